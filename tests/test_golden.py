"""The outputs the code gave before a refactoring, recomputed: captions, instructions, records and a small build.

The stored files are written by `python -m tests.golden` (see that module for what each holds).
"""
import json

import pytest

from bedlam_tools import script_builder
from tests import golden
from tests.test_script_builder import files, interrupted_after_one_call


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


@pytest.mark.slow
def test_the_same_files_in_one_process_after_an_interruption_and_on_ray(tmp_path, monkeypatch):
    """Every task runs under the same numeric setup wherever it runs: pixels, contacts and captions do not
    depend on the worker count, on a resume or on the engine."""
    pool = files(golden.small_build(tmp_path / "pool"))
    assert files(golden.small_build(tmp_path / "one", workers=1)) == pool
    real = script_builder.build_shard
    monkeypatch.setattr(script_builder, "build_shard", interrupted_after_one_call(real))
    with pytest.raises(KeyboardInterrupt):
        golden.small_build(tmp_path / "resumed", workers=1)
    monkeypatch.setattr(script_builder, "build_shard", real)
    assert files(golden.small_build(tmp_path / "resumed", workers=1)) == pool
    pytest.importorskip("ray")
    assert files(golden.small_build(tmp_path / "ray", engine="ray")) == pool
