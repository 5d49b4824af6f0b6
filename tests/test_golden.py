"""The outputs the code gave before a refactoring, recomputed: captions, instructions, records and a small build.

The stored files are written by `python -m tests.golden` (see that module for what each holds).
"""
import json

import pytest

from tests import golden


def _lines(name):
    return [json.loads(line) for line in (golden.GOLDEN / name).read_text().splitlines()]


def _first_difference(expected, actual, where="") -> str:
    """Where two JSON values first differ, for a readable failure."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if expected.get(key) != actual.get(key):
                return _first_difference(expected.get(key), actual.get(key), f"{where}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (e, a) in enumerate(zip(expected, actual)):
            if e != a:
                return _first_difference(e, a, f"{where}[{i}]")
    return f"{where}: expected {str(expected)[:300]!r}, got {str(actual)[:300]!r}"


def _same(expected, actual):
    actual = golden.canonical(actual)
    assert expected == actual, _first_difference(expected, actual)


def test_random_poses_and_pairs_are_described_as_before():
    _same(json.loads((golden.GOLDEN / "library.json").read_text()), golden.library())


@pytest.mark.slow
def test_example_files_are_described_as_before():
    _same(_lines("describe.jsonl"), golden.describe_lines())


@pytest.mark.slow
def test_example_pairs_are_compared_as_before():
    _same(_lines("compare.jsonl"), golden.compare_lines())


@pytest.mark.slow
def test_a_small_synthetic_build_writes_the_same_rows(tmp_path):
    _same(json.loads((golden.GOLDEN / "build.json").read_text()), golden.build_rows(tmp_path / "out"))
