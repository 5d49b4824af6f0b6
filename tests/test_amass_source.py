"""The AMASS reader on a miniature AMASS tree (tests/fixtures_amass.py)."""
import io

import numpy as np
import pytest
from PIL import Image

from bedlam_tools.sources.amass import AmassSource, split_of
from bedlam_tools.sources.base import Crop
from posescript_pipeline.body import create
from posescript_pipeline.orientation import normalise
from tests.fixtures_amass import CORRUPT, NAN, SEQUENCES, expected_frames, write_amass


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_amass(tmp_path_factory.mktemp("amass"))


@pytest.fixture(scope="module")
def cands(root):
    source = AmassSource(root)
    return {split: source.candidates(split) for split in ("train", "val")}


def _subject(rel):
    return "/".join(rel.split("/")[:2])


def test_frames_are_subsampled_to_6fps_per_sequence(cands):
    for rel, rate, n, width, _ in SEQUENCES:
        c = cands[split_of(_subject(rel))]
        rows = c.sequence_id == rel
        assert list(c.frame[rows]) == expected_frames(rate, n), rel
        assert np.allclose(c.time_s[rows], np.arange(rows.sum()) / 6, atol=1e-6)
        assert (c.subject_id[rows] == _subject(rel)).all()


def test_counts_ids_and_order(root, cands):
    total = {s: sum(len(expected_frames(r, n)) for rel, r, n, w, _ in SEQUENCES if split_of(_subject(rel)) == s)
             for s in ("train", "val")}
    assert {s: len(c) for s, c in cands.items()} == total and total["val"] > 0 and total["train"] > 0
    again = AmassSource(root).candidates("train")
    c = cands["train"]
    assert list(again.ids) == list(c.ids) and len(set(c.ids)) == len(c)
    assert list(c.sequence_id) == sorted(c.sequence_id)  # files walked in sorted order
    assert c.ids[0].startswith("amass/DatasetA/") and c.ids[0].endswith("/f00000")


def test_splits_are_disjoint_by_subject(cands):
    train, val = set(cands["train"].subject_id), set(cands["val"].subject_id)
    assert train and val and not train & val
    assert all(split_of(s) == "val" for s in val) and all(split_of(s) == "train" for s in train)


def test_unreadable_sequences_are_rejected_with_a_reason(cands):
    rejects = {r["id"]: r["reason"] for r in cands["train"].rejects + cands["val"].rejects}
    assert set(rejects) == {f"amass/{CORRUPT}", f"amass/{NAN}"}  # shape.npz is skipped, not rejected
    assert "could not be read" in rejects[f"amass/{CORRUPT}"]
    assert "NaN" in rejects[f"amass/{NAN}"] and "'poses'" in rejects[f"amass/{NAN}"]


def test_poses_and_joints_are_canonical(cands):
    for c in cands.values():
        j = c.joints
        assert c.body_model == "anny" and c.pose.dtype == np.float32 and c.betas.shape == (len(c), 16)
        assert np.allclose(j[:, 0], 0, atol=1e-6)
        assert (j[:, 1, 0] > 0).all() and np.allclose(j[:, 1, 2], 0, atol=1e-5)  # hips along +x
        assert (j[:, 15, 1] > 0.5).all()  # the z-up AMASS bodies stand up in y
        again, _ = normalise(create().joints(c.pose))
        assert np.allclose(again, j, atol=1e-4)


def test_smplx_width_sequences_drop_jaw_and_eyes(root, cands):
    rel = next(s for s in SEQUENCES if s[3] == 165)[0]
    c = cands[split_of(_subject(rel))]
    rows = np.flatnonzero(c.sequence_id == rel)
    poses = np.load(root / rel)["poses"]
    assert np.allclose(c.pose[rows, 1:22].reshape(len(rows), -1), poses[c.frame[rows], 3:66], atol=1e-6)
    assert np.allclose(c.pose[rows, 22:].reshape(len(rows), -1), poses[c.frame[rows], 75:], atol=1e-6)
    assert (c.extra["model_type"][rows] == "smplx").all()


@pytest.mark.slow
def test_crops_render_the_pose_front_on_white(root, cands):
    source = AmassSource(root)
    c = cands["train"]
    out = source.crops(c, [0, 1], size=(128, 96))
    assert all(isinstance(o, Crop) for o in out)
    for o in out:
        a = np.asarray(Image.open(io.BytesIO(o.data)).convert("RGB"))
        assert a.shape == (128, 96, 3) and o.box == (0, 0, 96, 128) and o.path.startswith("render:")
        assert (a[:3, :3] > 245).all() and (a[-3:, -3:] > 245).all()  # white background
        body = (a < 240).any(axis=-1)
        rows, cols = np.flatnonzero(body.any(axis=1)), np.flatnonzero(body.any(axis=0))
        assert rows[-1] - rows[0] > 0.7 * 128  # a standing body fills the picture's height
        assert rows[-1] - rows[0] > 1.5 * (cols[-1] - cols[0])
    single = source.crop(c, 0, size=(128, 96))
    assert single.data == out[0].data
