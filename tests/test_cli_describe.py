"""`posescript describe` as a user runs it: every example input format, output formats, errors."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cli.posescript import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_ARGS = [  # contacts need the Anny mesh (slow on a cold cache): tested on their own below
    ("amass_poses.npz", ["--no-contacts"]), ("smplx_params.npz", ["--no-contacts"]),
    ("smplx_params.pkl", ["--no-contacts"]), ("joints_smplh52.npy", []),
    ("joints_smpl24.npy", []), ("joints_h36m17.npy", ["--skeleton", "h36m17"]),
    ("joints_coco17.npz", ["--skeleton", "coco17"]),
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("name, extra", EXAMPLE_ARGS)
def test_every_example_format_is_described(name, extra):
    result = run("describe", EXAMPLES / name, "--frame", 1, *extra)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 and all(line.endswith(".") and len(line.split()) > 5 for line in lines)


def test_all_frames_and_seed_reproducibility():
    args = ("describe", EXAMPLES / "amass_poses.npz", "--all", "--captions", 1, "--no-contacts", "--seed")
    first, again, other = (run(*args, seed).output for seed in (4, 4, 5))
    assert first == again != other
    assert first.count("frame ") == 12


def test_json_explains_the_captions():
    result = run("describe", EXAMPLES / "smplx_params.npz", "--frame", 0, "--format", "json", "--no-contacts")
    row = json.loads(result.output)
    assert row["frame"] == 0 and len(row["captions"]) == 3 and len(row["statements"]) == 3
    kinds = {p["kind"] for p in row["posecodes"]}
    assert {"angle", "distance", "relativePosY", "relativeRotY"} <= kinds
    knee = next(p for p in row["posecodes"] if p["kind"] == "angle" and p["joints"][1] == "left_knee")
    assert set(knee) >= {"joints", "value", "category", "eligibility"}


def test_jsonl_has_one_row_per_frame():
    result = run("describe", EXAMPLES / "joints_smplh52.npy", "--all", "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["frame"] for r in rows] == list(range(len(np.load(EXAMPLES / "joints_smplh52.npy"))))
    assert all(not any(p["kind"].startswith("relativeRot") for p in r["posecodes"]) for r in rows)


def _bad_files(tmp):
    np.savez(tmp / "wrong_keys.npz", foo=np.zeros(3))
    np.savez(tmp / "wrong_shape.npz", poses=np.zeros((4, 99)))
    nan = np.zeros((2, 156))
    nan[1, 5] = np.nan
    np.savez(tmp / "nan.npz", poses=nan)
    (tmp / "corrupt.npz").write_bytes(b"not a zip")
    np.save(tmp / "joints17.npy", np.zeros((2, 17, 3)))
    return {"wrong_keys.npz": "poses", "wrong_shape.npz": "(T, 156)", "nan.npz": "frame 1",
            "corrupt.npz": "could not be read", "missing.npz": "not found", "joints17.npy": "h36m17"}


def test_bad_inputs_stop_with_one_line_and_exit_code_2(tmp_path):
    for name, expected in _bad_files(tmp_path).items():
        result = run("describe", tmp_path / name)
        assert result.exit_code == 2, (name, result.output)
        message = result.output.strip()
        assert "\n" not in message and name in message and expected in message, message
        assert "Traceback" not in message


def test_frame_out_of_range_and_conflicting_options():
    result = run("describe", EXAMPLES / "amass_poses.npz", "--frame", 99, "--no-contacts")
    assert result.exit_code == 2 and "frame" in result.output
    assert run("describe", EXAMPLES / "amass_poses.npz", "--frame", 1, "--all").exit_code == 2


def test_missing_model_dir_is_a_user_error(tmp_path):
    result = run("describe", EXAMPLES / "smplx_params.npz", "--model-dir", tmp_path / "models")
    assert result.exit_code == 2 and "SMPLX_NEUTRAL" in result.output and "\n" not in result.output.strip()


def test_describing_joints_does_not_import_torch():
    code = ("import sys, click.testing as t; from cli.posescript import main; "
            "r = t.CliRunner().invoke(main, ['describe', sys.argv[1]]); "
            "assert r.exit_code == 0, r.output; assert 'torch' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "joints_smplh52.npy")], capture_output=True,
                         text=True, cwd=EXAMPLES.parent)
    assert out.stdout.strip() == "ok", out.stderr


def test_help_lists_the_formats():
    result = run("describe", "--help")
    assert result.exit_code == 0 and "AMASS" in result.output and "--skeleton" in result.output
