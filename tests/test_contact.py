"""Body-part segmentation and self-contact: crafted poses with known contacts, mirror symmetry, the smplx path."""
import subprocess
import sys

import numpy as np
import pytest

from posescript_pipeline.body.parts import PART_INDEX, PART_NAMES, SIDED
from posescript_pipeline.body import create
from posescript_pipeline.contact import ContactDetector, detect_contacts, detector, prune_inclusions
from tests.crafted import crafted_rotvecs, mirror
from tests.test_body import _write_model

EXPECTED = {
    "t_pose": [],
    "standing": [],
    "right_hand_on_left_shoulder": [("left_shoulder", "right_hand")],
    "palms_together": [("left_hand", "right_hand")],
    "right_hand_on_head": [("head", "right_hand")],
    "sitting_hands_on_thighs": [("left_hand", "left_thigh"), ("right_hand", "right_thigh")],
}


def _swap(name):
    side, _, part = name.partition("_")
    return {"left": "right_", "right": "left_"}.get(side, "") + (part if side in ("left", "right") else name)


def _mirrored(pairs):
    return sorted(tuple(sorted(map(_swap, pair))) for pair in pairs)


# ---------------------------------------------------------------- pure computation (fast)

def test_inclusion_pruning_keeps_the_specific_part_to_a_fixed_point():
    contacts = {("left_hand", "left_thigh"): 300, ("left_hand", "left_knee"): 40, ("left_forearm", "left_thigh"): 80,
                ("head", "right_hand"): 50, ("head", "right_forearm"): 9}
    assert prune_inclusions(contacts) == {("left_hand", "left_knee"): 40, ("head", "right_hand"): 50}
    across = {("chest", "right_hand"): 30, ("left_shoulder", "right_hand"): 100, ("left_upperarm", "right_hand"): 7}
    assert prune_inclusions(across) == {("left_shoulder", "right_hand"): 100}
    sides = {("left_hand", "right_thigh"): 5, ("left_hand", "left_knee"): 5}  # other side: both stay
    assert prune_inclusions(sides) == sides


def _two_boxes(gap):
    """Two 20 cm boxes (hand at x < 0, head at x > gap), one mesh (a zero-area face joins them)."""
    corners = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=float) * 0.2
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    box_faces = np.array([f for a, b, c, d in quads for f in ((a, b, c), (a, c, d))])
    vertices = np.concatenate([corners - [0.2, 0, 0], corners + [gap, 0, 0]])
    faces = np.concatenate([box_faces, box_faces + 8, [(0, 8, 0)]])
    labels = np.repeat([PART_INDEX["left_hand"], PART_INDEX["head"]], 8).astype(np.int16)
    return vertices, faces, labels


def test_detector_on_two_boxes_counts_pairs_and_masks_rest_neighbours():
    rest, faces, labels = _two_boxes(0.5)
    detector = ContactDetector(rest, faces, labels, n_samples=4000)
    touching = _two_boxes(0.01)[0]
    apart = _two_boxes(0.05)[0]
    counts = detector.detect_counts(np.stack([touching, apart, rest]))
    assert list(counts[0]) == [("head", "left_hand")] and counts[0][("head", "left_hand")] >= 5
    assert counts[1:] == [{}, {}]
    assert detector.detect(touching[None]) == [[("head", "left_hand")]]
    close_at_rest = ContactDetector(_two_boxes(0.01)[0], faces, labels, n_samples=4000)
    assert close_at_rest.detect(touching[None]) == [[]]  # every close pair was close at rest: a fold


def test_sampling_is_seeded():
    rest, faces, labels = _two_boxes(0.5)
    a, b = ContactDetector(rest, faces, labels, seed=3), ContactDetector(rest, faces, labels, seed=3)
    assert np.array_equal(a.bary, b.bary) and np.array_equal(a.corners, b.corners)


def test_contact_module_does_not_import_torch():
    code = "import sys, posescript_pipeline.contact; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_smplx_path_on_a_synthetic_model(tmp_path):
    model_dir = _write_model(tmp_path, "smplx")
    rotvecs = np.concatenate([crafted_rotvecs("t_pose"), crafted_rotvecs("palms_together")])
    out = detect_contacts(rotvecs, create(model_dir=model_dir, model_type="smplx"), batch_size=1)
    assert len(out) == 2
    for pairs in out:
        assert pairs == sorted(pairs) and all(a < b and {a, b} <= set(PART_NAMES) for a, b in pairs)


# ---------------------------------------------------------------- Anny (builds the model: slow)

@pytest.fixture(scope="module")
def anny():
    from posescript_pipeline.body.backends.anny import AnnyBody

    body = create()
    assert isinstance(body, AnnyBody)
    return body, detector(body), body.part_labels


@pytest.mark.slow
def test_anny_parts_cover_the_body_and_mirror(anny):
    body, _, labels = anny
    counts = np.bincount(labels[labels >= 0], minlength=len(PART_NAMES))
    print({name: int(c) for name, c in zip(PART_NAMES, counts)})
    assert (labels >= 0).mean() >= 0.95
    assert counts[PART_INDEX["head"]] > 1000 and counts[PART_INDEX["left_hand"]] > 500
    assert counts.min() > 50  # every part exists
    for part in SIDED:
        left, right = counts[PART_INDEX[f"left_{part}"]], counts[PART_INDEX[f"right_{part}"]]
        assert abs(left - right) <= 0.15 * max(left, right), part
    rest = body.rest_vertices
    for part in ("hand", "knee", "shoulder", "buttock"):
        centre = {side: rest[labels == PART_INDEX[f"{side}_{part}"]].mean(axis=0) for side in ("left", "right")}
        assert centre["left"][0] > 0.05 and np.allclose(centre["left"] * [-1, 1, 1], centre["right"], atol=0.01)
    assert rest[labels == PART_INDEX["chest"], 2].mean() > rest[labels == PART_INDEX["upperback"], 2].mean() + 0.1
    assert rest[labels == PART_INDEX["left_buttock"], 2].mean() < -0.05  # behind


@pytest.mark.slow
def test_crafted_poses_give_their_known_contacts(anny):
    body, found_by, _ = anny
    names = list(EXPECTED)
    rotvecs = np.concatenate([crafted_rotvecs(name) for name in names])
    counts = found_by.detect_counts(body.mesh(rotvecs).vertices)
    for name, found in zip(names, counts):
        print(f"{name}: {found}")
        assert sorted(found) == EXPECTED[name], (name, found)
        assert all(n >= 40 for n in found.values()), (name, found)  # clear contacts, not grazes


@pytest.mark.slow
def test_mirrored_poses_give_mirrored_contacts(anny):
    names = list(EXPECTED)
    rotvecs = np.concatenate([crafted_rotvecs(name) for name in names])
    found = detect_contacts(mirror(rotvecs), batch_size=4)
    assert found == [_mirrored(EXPECTED[name]) for name in names]


@pytest.mark.slow
def test_detect_contacts_batches_and_accepts_22_joints(anny):
    rotvecs = np.concatenate([crafted_rotvecs("right_hand_on_head")] * 3 + [crafted_rotvecs("t_pose")])
    expected = [[("head", "right_hand")]] * 3 + [[]]
    assert detect_contacts(rotvecs, batch_size=3) == expected
    assert detect_contacts(rotvecs[:, :22]) == expected
