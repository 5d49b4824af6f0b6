"""Photos through the commands: describe, compare, render and a dataset of the user's photos (BlazePose, offline)."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from cli.bedlam_script import main as bedlam_script
from cli.posescript import main as posescript

PHOTO = Path(__file__).resolve().parent / "data" / "synthetic_kneeling.jpg"


def run(main, *args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two photos of a person, a blank picture and a file that is not an image at all."""
    root = tmp_path_factory.mktemp("photos")
    shutil.copy(PHOTO, root / "a.jpg")
    Image.open(PHOTO).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(root / "b_mirrored.jpg")
    Image.new("RGB", (192, 256), "white").save(root / "c_blank.png")
    (root / "d_broken.jpg").write_bytes(b"not a jpeg")
    return root


def test_a_photo_is_described_and_json_has_the_landmarks():
    result = run(posescript, "describe", PHOTO, "--format", "json", "--captions", 2)
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert len(row["captions"]) == 2 and all(len(c.split()) > 5 for c in row["captions"])
    photo = row["photo"]
    assert photo["person_found"] and photo["image_size"] == list(Image.open(PHOTO).size)
    assert len(photo["landmarks_px"]) == len(photo["visibility"]) == 33
    assert not any(w in " ".join(row["captions"]).lower().split() for w in ("his", "her", "he", "she"))


def test_a_photo_without_a_person_is_one_line_and_exit_2(folder):
    result = run(posescript, "describe", folder / "c_blank.png")
    assert result.exit_code == 2 and result.output.strip() == f"error: {folder / 'c_blank.png'}: no person found"


def test_a_folder_goes_on_past_bad_files_and_counts_them(folder):
    result = run(posescript, "describe", folder, "--captions", 1)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"{folder / 'a.jpg'}:" in lines and f"{folder / 'b_mirrored.jpg'}:" in lines
    assert any("c_blank.png: no person found" in line for line in lines)
    assert any("d_broken.jpg: not a readable image" in line for line in lines)
    assert "2 of 4 inputs could not be described" in lines


def test_a_mirrored_photo_swaps_the_knees(folder):
    def knees(path):
        result = run(posescript, "describe", path, "--format", "json", "--captions", 1)
        return {p["subject"]: p["value"] for p in json.loads(result.output)["posecodes"] if p["subject"].endswith("knee")
                and p["kind"] == "angle"}

    straight, mirrored = knees(folder / "a.jpg"), knees(folder / "b_mirrored.jpg")
    assert abs(straight["left_knee"] - mirrored["right_knee"]) < 10  # (the estimator is not exactly mirror-symmetric)
    assert abs(straight["right_knee"] - mirrored["left_knee"]) < 10


def test_compare_takes_two_photos(folder):
    same = run(posescript, "compare", PHOTO, PHOTO)
    assert same.exit_code == 0 and "no difference" in same.output
    other = run(posescript, "compare", folder / "a.jpg", folder / "b_mirrored.jpg", "--texts", 1)
    assert other.exit_code == 0 and len(other.output.split()) > 5, other.output


def test_render_draws_the_photo_its_skeleton_and_the_3d_pose(tmp_path):
    out = tmp_path / "photo.png"
    result = run(posescript, "render", PHOTO, "-o", out, "--caption")
    assert result.exit_code == 0, result.output
    picture = Image.open(out)
    assert picture.width > 2 * picture.height * 0.9 and picture.height > 300  # photo + two views + caption


def test_a_dataset_of_the_users_photos(folder, tmp_path):
    out = tmp_path / "ds"
    result = run(bedlam_script, "build", "--source", "photos", "--root", folder, "--split", "train", "--out", out)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())["splits"]["train"]
    import pandas as pd

    rows = pd.read_parquet(out / "data")
    rejects = [json.loads(line)["id"] for line in (out / "rejects-train.jsonl").read_text().splitlines()]
    assert manifest["counts"]["rows"] == len(rows) >= 1 and "photos/c_blank" in rejects
    assert all(len(c) == 3 for c in rows.captions) and not any(len(c) for c in rows.contacts)
    assert "no self-contacts or head rotations" in (out / "README.md").read_text()
