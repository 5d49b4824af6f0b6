"""The synthetic source: deterministic, split by subject, valid poses, varied posecodes, and pictures of people."""
import io

import numpy as np
import pytest
from PIL import Image

from bedlam_tools.sources.synthetic import animation, joint_angles
from bedlam_tools.sources.synthetic.activities import NAMES
from bedlam_tools.sources.synthetic import SyntheticSource
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.posecodes.evaluation import CATALOGUE, measure, true_categories
from posescript_pipeline.posecodes.kinds import KINDS

TINY = dict(n_subjects=6, sequences_per_subject=4, sequence_seconds=2.0)


@pytest.fixture(scope="module")
def train():
    return SyntheticSource(seed=3, **TINY).candidates("train")


def test_same_seed_same_candidates_different_seed_different(train):
    again = SyntheticSource(seed=3, **TINY).candidates("train")
    other = SyntheticSource(seed=4, **TINY).candidates("train")
    for field in ("ids", "pose", "joints", "betas", "time_s"):
        np.testing.assert_array_equal(getattr(train, field), getattr(again, field))
    assert len(other.pose) != len(train.pose) or not np.array_equal(other.pose, train.pose)


def test_splits_are_disjoint_by_subject_and_ids_unique(train):
    val = SyntheticSource(seed=3, **TINY).candidates("val")
    assert len(val) and not set(train.subject_id) & set(val.subject_id)
    ids = np.concatenate([train.ids, val.ids])
    assert len(set(ids)) == len(ids)
    assert str(train.ids[0]).startswith("synthetic/s") and str(train.subject_id[0]).startswith("synthetic-s")


def test_default_size():
    source = SyntheticSource()
    frames = source.n_frames * source.sequences
    assert len(source.subjects("train")) * frames == 300_000
    assert len(source.subjects("val")) * frames == 60_000


def test_time_stamps_step_by_one_over_fps(train):
    for sequence in np.unique(train.sequence_id):
        rows = train.sequence_id == sequence
        np.testing.assert_allclose(np.diff(train.time_s[rows]), 1 / 6.0, atol=1e-5)
        assert (np.diff(train.frame[rows]) == 1).all()


def test_poses_within_joint_limits(train):
    euler = joint_angles.euler_of(train.pose)[:, 1:]
    low, high = joint_angles.LIMITS[1:, :, 0], joint_angles.LIMITS[1:, :, 1]
    assert ((euler >= low - 0.05) & (euler <= high + 0.05)).all()


def test_joints_are_canonical(train):
    hips = train.joints[:, JOINT_INDEX["left_hip"]] - train.joints[:, JOINT_INDEX["right_hip"]]
    assert (hips[:, 0] > 0).all() and np.abs(hips[:, 2]).max() < 1e-4
    assert np.abs(train.joints[:, 0]).max() < 1e-6
    assert train.pose.shape[1:] == (52, 3) and train.betas.shape[1] == 6


@pytest.mark.parametrize("name", NAMES)
def test_every_activity_gives_finite_poses(name):
    euler = animation.animate(name, 3, np.arange(12) / 6.0, np.random.default_rng(0))
    pose, joints, _ = animation.finish(euler.reshape(-1, 52, 3))
    assert np.isfinite(pose).all() and np.isfinite(joints).all()


def _categories(candidates):
    values = measure(candidates.joints, rotations=candidates.pose)
    cats = true_categories(values)
    return values, cats


def _share(cats, kind, joints, category):
    code = next(i for i, c in enumerate(CATALOGUE.codes) if c.kind == kind and c.joints == joints)
    return np.mean(cats.categories[:, code] == KINDS[kind].categories.index(category))


def test_posecode_coverage():
    candidates = SyntheticSource(seed=0, n_subjects=30, sequences_per_subject=15,
                                 sequence_seconds=2.0).candidates("train")
    _, cats = _categories(candidates)
    knee = ("left_hip", "left_knee", "left_ankle")
    assert _share(cats, "angle", knee, "completely bent") > 0.01
    assert _share(cats, "angle", knee, "straight") > 0.2
    assert _share(cats, "relativePosY", ("left_wrist", "neck"), "above") > 0.03
    assert _share(cats, "bodyInclineX", ("left_shoulder", "right_shoulder", "pelvis", "left_ankle", "right_ankle"),
                  "body incline forward") > 0.01
    assert _share(cats, "relativeVAxis", ("pelvis", "neck"), "horizontal") > 0.02  # lying, crawling, planks
    kneeling = [s for s, sp in enumerate(CATALOGUE.supers) if sp.interpretation == "kneeling"][0]
    rows = candidates.extra["activity"] == "kneel"
    assert rows.any() and cats.super_eligibility[rows, kneeling].mean() > 0.5


@pytest.mark.slow
def test_crop_shows_a_person(train):
    source = SyntheticSource(seed=3, **TINY)
    crops = source.crops(train, [0, len(train) - 1], size=(128, 96))
    crop = source.crop(train, 5, size=(128, 96))
    for c in crops + [crop]:
        image = np.asarray(Image.open(io.BytesIO(c.data)))
        assert image.shape == (128, 96, 3)
        x0, y0, x1, y1 = c.box
        assert (y1 - y0) / (x1 - x0) == pytest.approx(4 / 3, rel=0.01)
        centre, border = image[32:96, 24:72].astype(float), np.concatenate([image[:8], image[-8:]]).astype(float)
        assert np.abs(centre.mean((0, 1)) - border.mean((0, 1))).max() > 3 or centre.std() > border.std()
    assert source.crop(train, 5, size=(128, 96)).data == crop.data  # same id, same picture
    assert crop.path == f"{train.ids[5]}.jpg" and crop.path.startswith("synthetic/s")
    assert "_scene" not in {k for k, v in source.__getstate__().items() if v is not None}


def test_the_sex_of_a_subject_follows_its_gender_phenotype(train):
    from bedlam_tools.sources.synthetic.subjects import sex_of

    gender = train.betas[:, 0]
    assert set(train.sex) <= {"male", "female", ""}
    assert (train.sex == "male").any() and (train.sex == "female").any()
    assert (gender[train.sex == "male"] < 0.34).all() and (gender[train.sex == "female"] > 0.66).all()
    assert list(sex_of(np.array([[0.1] + [0.5] * 5, [0.5] * 6, [0.9] + [0.5] * 5]))) == ["male", "", "female"]


def test_backdrop_is_seeded_and_edges_soften_only_at_outlines():
    from bedlam_tools.sources.synthetic.scene import background, bounds, soften_edges

    xs, ys = np.arange(96) * 3.0 + 100, np.arange(128) * 3.0 + 50
    image = background(np.random.default_rng(4), xs, ys)
    assert image.shape == (128, 96, 3) and image.dtype == np.uint8
    assert np.array_equal(image, background(np.random.default_rng(4), xs, ys))
    assert not np.array_equal(image, background(np.random.default_rng(5), xs, ys))
    labels = np.zeros((128, 96), np.uint8)
    labels[30:90, 20:60] = 1
    picture = np.where(labels[..., None] > 0, 255, 0).astype(np.uint8).repeat(3, -1)
    soft = soften_edges(picture, labels)
    changed = (soft != picture).any(-1)
    assert changed.any() and not changed[40:80, 30:50].any() and not changed[:20].any()
    assert changed[30, 40] and 0 < soft[30, 40, 0] < 255  # the outline's pixels blend both sides
    points = np.random.default_rng(0).normal(size=(1000, 3))
    low, high = bounds(points)
    assert np.array_equal(low, points.min(0)) and np.array_equal(high, points.max(0))
