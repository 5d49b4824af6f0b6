import numpy as np
import pytest

from posescript_pipeline.body import create
from posescript_pipeline.body.backends.anny import rest_skeleton
from posescript_pipeline.joints import (
    SKELETONS, SPINE1_PELVIS_TO_SPINE2, SPINE3_SPINE2_TO_NECK, SPINE_FRACTIONS, skeleton_for_joint_count, to_smplh52,
)
from posescript_pipeline.skeleton import JOINT_INDEX, MIRROR_PERMUTATION, SMPLH_JOINT_NAMES, SMPLH_PARENTS
from tests.crafted import crafted_rotvecs


def test_smplh_names_and_tree():
    assert len(SMPLH_JOINT_NAMES) == len(SMPLH_PARENTS) == 52
    assert SMPLH_JOINT_NAMES[22:25] == ("left_index1", "left_index2", "left_index3")
    assert SMPLH_JOINT_NAMES[-1] == "right_thumb3" and SMPLH_JOINT_NAMES[25 + 1] == "left_middle2"
    assert SMPLH_PARENTS[JOINT_INDEX["left_index1"]] == JOINT_INDEX["left_wrist"]
    assert SMPLH_PARENTS[JOINT_INDEX["right_thumb1"]] == JOINT_INDEX["right_wrist"]
    assert SMPLH_PARENTS[JOINT_INDEX["right_ring3"]] == JOINT_INDEX["right_ring2"]
    assert all(p < j for j, p in enumerate(SMPLH_PARENTS))
    assert SMPLH_JOINT_NAMES[MIRROR_PERMUTATION[JOINT_INDEX["left_pinky2"]]] == "right_pinky2"


def test_skeleton_for_joint_count():
    assert [skeleton_for_joint_count(n) for n in (52, 24, 22)] == ["smplh52", "smpl24", "body22"]
    with pytest.raises(ValueError, match="h36m17, coco17"):
        skeleton_for_joint_count(17)
    with pytest.raises(ValueError, match="matches no skeleton"):
        skeleton_for_joint_count(31)


def test_identity_conversions():
    joints = create().joints(crafted_rotvecs("squat"))
    out, available = to_smplh52(joints[0], "smplh52")
    assert out.shape == (1, 52, 3) and available.all() and np.array_equal(out, joints)
    out, available = to_smplh52(np.concatenate([joints[:, :22], joints[:, :2]], 1), "smpl24")
    assert available.sum() == 22 and np.isnan(out[0, 22:]).all() and np.array_equal(out[0, :22], joints[0, :22])
    with pytest.raises(ValueError, match=r"\(N, 22, 3\)"):
        to_smplh52(joints, "body22")


def _h36m_from(joints):
    j = {name: joints[:, i] for name, i in JOINT_INDEX.items()}
    head_top = j["head"] + (j["head"] - j["neck"])
    order = [j["pelvis"], j["right_hip"], j["right_knee"], j["right_ankle"], j["left_hip"], j["left_knee"],
             j["left_ankle"], j["spine2"], j["neck"], 2 * j["head"] - head_top, head_top, j["left_shoulder"],
             j["left_elbow"], j["left_wrist"], j["right_shoulder"], j["right_elbow"], j["right_wrist"]]
    return np.stack(order, 1)


def test_h36m_and_coco_derive_the_body():
    joints = create().joints(crafted_rotvecs("t_pose"))
    h36m, available = to_smplh52(_h36m_from(joints), "h36m17")
    assert available.sum() == 18
    missing = [n for n in SMPLH_JOINT_NAMES if not available[JOINT_INDEX[n]]]
    assert {"left_foot", "right_collar", "left_index1"} <= set(missing)
    spine = [JOINT_INDEX[n] for n in ("spine1", "spine2", "spine3", "head")]
    assert np.abs(h36m[0, spine] - joints[0, spine]).max() < 0.03  # rest-pose spine recovered within 3 cm

    coco = np.zeros((1, 17, 3), np.float32)
    coco[0, [11, 12]] = joints[0, [JOINT_INDEX["left_hip"], JOINT_INDEX["right_hip"]]]
    coco[0, [5, 6]] = [[0.2, 0.5, 0], [-0.2, 0.5, 0]]
    coco[0, [3, 4]] = [[0.07, 0.63, 0], [-0.07, 0.63, 0]]
    out, available = to_smplh52(coco, "coco17")
    assert np.allclose(out[0, JOINT_INDEX["pelvis"]], 0, atol=1e-6)
    assert np.allclose(out[0, JOINT_INDEX["neck"]], [0, 0.5, 0])
    assert np.allclose(out[0, JOINT_INDEX["head"]], [0, 0.63, 0])
    assert np.allclose(out[0, JOINT_INDEX["spine2"]], [0, 0.5 * SPINE_FRACTIONS["spine2"], 0], atol=1e-6)
    assert set(SKELETONS) == {"smplh52", "smpl24", "body22", "h36m17", "coco17", "blazepose33"}


def test_spine_fractions_match_the_rest_skeleton():
    r = rest_skeleton()

    def fraction(a, b, s):
        d = r[JOINT_INDEX[b]] - r[JOINT_INDEX[a]]
        return (r[JOINT_INDEX[s]] - r[JOINT_INDEX[a]]) @ d / (d @ d)

    for name, t in SPINE_FRACTIONS.items():
        assert fraction("pelvis", "neck", name) == pytest.approx(t, abs=1e-3)
    assert fraction("pelvis", "spine2", "spine1") == pytest.approx(SPINE1_PELVIS_TO_SPINE2, abs=1e-3)
    assert fraction("spine2", "neck", "spine3") == pytest.approx(SPINE3_SPINE2_TO_NECK, abs=1e-3)
