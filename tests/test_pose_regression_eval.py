"""`embroider pose-eval` on the tiny in-test folder with the Anny body (joints and meshes) and the side-by-side
picture (OpenGL): the table's rows, the per-item errors, the paired comparison. Slow: needs the Anny model."""
import json

import numpy as np
import pytest
from PIL import Image

from tests.test_embroider_cli import data, encoders, invoke  # noqa: F401 (fixtures)
from tests.test_pose_regression import heads, run  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def test_pose_eval_prints_heads_and_the_mean_pose_baseline(heads, data, tmp_path):  # noqa: F811
    picture = tmp_path / "side.png"
    result = invoke("pose-eval", "--heads", heads, "--data", data, "--picture", picture, "--picture-items", 2)
    assert result.exit_code == 0, result.output
    names = [line.split("|")[1].strip() for line in result.output.splitlines() if line.startswith("|")]
    assert names[2:] == ["mean training pose", "image", "text", "image+text"]
    assert "image - image+text PA-MPJPE" in result.output
    saved = json.loads((heads / "eval-val-best.json").read_text())
    assert set(saved["rows"]) == {"mean training pose", "image", "text", "image+text"}  # a CNN run: no BlazePose row
    for row in saved["rows"].values():
        assert row["items"] == 24 and 0 < row["PA-MPJPE"] <= row["MPJPE"] + 1e-6 and row["vertex"] > 0
    per_item = np.load(heads / "eval-val-best.npz")
    assert per_item["image/PA-MPJPE"].shape == (24,)
    assert list((heads / "features").glob("truth-joints-val-*.npy"))
    assert Image.open(picture).size[0] > 4 * 18  # crop, truth and three estimates side by side
