"""Descriptions of crafted poses with known facts: the measured posecodes and the captions agree
with the geometry, and a mirrored pose swaps left and right in every posecode."""
import re

import numpy as np
import pytest

from posescript_pipeline.describe import describe
from posescript_pipeline.posecodes.catalogue import ELEMENTARY, SUPER
from posescript_pipeline.posecodes.evaluation import measure, true_categories
from posescript_pipeline.posecodes.kinds import KINDS
from tests.crafted import crafted_joints, crafted_rotvecs, mirror
from posescript_pipeline.body import create
from posescript_pipeline.orientation import normalise
from posescript_pipeline.posecodes.record import Record


def facts(name):
    """Noise-free categories of a crafted pose: {(kind, joints): category} and the fired super-posecodes."""
    m = measure(crafted_joints(name), rotations=crafted_rotvecs(name))
    c = true_categories(m)
    cats = {(code.kind, code.joints): KINDS[code.kind].categories[k]
            for code, k in zip(ELEMENTARY, c.categories[0].tolist()) if k >= 0}
    supers = {s.interpretation for s, e in zip(SUPER, c.super_eligibility[0]) if e}
    return cats, supers


def captions_of(name, n=30):
    joints, rot = crafted_joints(name), crafted_rotvecs(name)
    return describe(np.repeat(joints, n, 0), rotations=np.repeat(rot, n, 0), seed=11).captions


def test_left_knee_bent_ninety_degrees():
    cats, _ = facts("left_knee_90")
    assert cats[("angle", ("left_hip", "left_knee", "left_ankle"))] == "right angle"
    assert cats[("angle", ("right_hip", "right_knee", "right_ankle"))] == "straight"
    assert cats[("relativeVAxis", ("left_hip", "left_knee"))] == "horizontal"
    text = " ".join(c for caps in captions_of("left_knee_90") for c in caps).lower()
    assert re.search(r"left knee (is )?(bent at (a right angle|90 degrees|about 90 degrees)|in an l-shape|forming)", text)
    assert not re.search(r"right knee (is )?(bent at|in an l-shape|forming)", text)


def test_arm_raised_overhead():
    cats, _ = facts("right_arm_overhead")
    assert cats[("relativePosY", ("right_wrist", "neck"))] == "above"
    assert cats[("relativePosY", ("right_hand", "right_shoulder"))] == "above"
    assert cats[("relativeVAxis", ("right_shoulder", "right_elbow"))] == "vertical"
    assert cats[("relativePosY", ("left_hand", "right_hand"))] == "below"
    text = " ".join(c for caps in captions_of("right_arm_overhead") for c in caps).lower()
    assert "right hand is raised" in text or "right hand is up" in text or "right hand is higher" in text
    assert not re.search(r"left hand is (raised|up |lifted)", text)


def test_torso_leaning_forward():
    cats, _ = facts("torso_forward")
    assert cats[("bodyInclineX", Record("left_shoulder", "right_shoulder", "pelvis", "left_ankle", "right_ankle"))] in (
        "body incline forward", "body incline forward slightly")
    assert facts("standing")[0][("bodyInclineX", Record("left_shoulder", "right_shoulder", "pelvis", "left_ankle",
                                                   "right_ankle"))] == "ignored"
    text = " ".join(c for caps in captions_of("torso_forward") for c in caps).lower()
    assert re.search(r"(leaning|bent|bowing|hunched)[a-z ]*forward|hunched|bending over", text)
    assert not re.search(r"leaning (a bit |slightly )?back|arched back|bent backward", text)


def test_kneeling_is_said():
    cats, supers = facts("kneeling")
    assert "kneeling" in supers
    text = " ".join(c for caps in captions_of("kneeling") for c in caps).lower()
    assert "kneeling" in text or "on their knees" in text or "knees are on the ground" in text


def test_t_pose():
    cats, supers = facts("t_pose")
    for side in ("left", "right"):
        assert cats[("angle", (f"{side}_shoulder", f"{side}_elbow", f"{side}_wrist"))] == "straight"
        assert cats[("angle", (f"{side}_hip", f"{side}_knee", f"{side}_ankle"))] == "straight"
        assert cats[("relativeVAxis", (f"{side}_shoulder", f"{side}_elbow"))] == "horizontal"
        assert cats[("relativeVAxis", (f"{side}_hip", f"{side}_knee"))] == "vertical"
    assert cats[("distance", ("left_hand", "right_hand"))] == "wide"
    assert cats[("relativeRotY", ("head", "pelvis"))] == "ignored"
    assert not supers & {"kneeling", "kneel_on_left", "kneel_on_right"}
    text = " ".join(c for caps in captions_of("t_pose") for c in caps).lower()
    assert "bent" not in text.replace("unbent", "") and "kneel" not in text


# How each kind's value transforms under a left/right mirror, for the code with swapped sides:
# (sign when that code keeps the joint order, sign when it stores them reversed).
_MIRROR_SIGN = {"relativePosX": (-1, 1), "relativePosY": (1, -1), "relativePosZ": (1, -1),
                "bodyInclineY": (-1, -1), "bodyInclineZ": (-1, -1), "relativeRotY": (-1, -1),
                "relativeRotZ": (-1, -1)}


def _swap(name):
    return name.replace("left", "@").replace("right", "left").replace("@", "right")


@pytest.mark.parametrize("name", ["squat", "left_knee_90", "right_arm_overhead", "random"])
def test_mirrored_pose_swaps_left_and_right_in_every_posecode(name):
    if name == "random":
        rot = np.random.default_rng(4).normal(0, 0.4, (8, 52, 3)).astype(np.float32)
        rot[:, 0] = 0
    else:
        rot = crafted_rotvecs(name)
    joints, mirrored = (normalise(create().joints(r))[0] for r in (rot, mirror(rot)))
    original = measure(joints, rotations=rot).values
    flipped = measure(mirrored, rotations=mirror(rot)).values
    by_set = {(c.kind, frozenset(c.joints)): i for i, c in enumerate(ELEMENTARY)}
    checked = 0
    for i, code in enumerate(ELEMENTARY):
        swapped = tuple(_swap(j) for j in code.joints)
        j = by_set[(code.kind, frozenset(swapped))]
        same_order = ELEMENTARY[j].joints == swapped or len(swapped) != 2
        sign = _MIRROR_SIGN.get(code.kind, (1, 1))[0 if same_order else 1]
        np.testing.assert_allclose(flipped[:, i], sign * original[:, j], atol=2e-3 if "Rot" not in code.kind else 0.05,
                                   err_msg=f"{code.kind} {code.joints}")
        checked += 1
    assert checked == len(ELEMENTARY)


def test_mirrored_captions_swap_sides():
    left = " ".join(c for caps in captions_of("left_knee_90") for c in caps)
    joints = normalise(create().joints(mirror(crafted_rotvecs("left_knee_90"))))[0]
    rot = mirror(crafted_rotvecs("left_knee_90"))
    right = " ".join(c for caps in describe(np.repeat(joints, 30, 0), rotations=np.repeat(rot, 30, 0),
                                            seed=11).captions for c in caps)
    assert left.lower().count("left knee") > right.lower().count("left knee")
    assert right.lower().count("right knee") > left.lower().count("right knee")


def test_joint_only_input_skips_head_rotation():
    m = measure(crafted_joints("standing"))
    heads = [i for i, c in enumerate(ELEMENTARY) if c.kind.startswith("relativeRot")]
    assert np.isnan(m.values[:, heads]).all()
    assert not np.isnan(np.delete(m.values, heads, axis=1)).any()


def test_missing_joints_skip_their_posecodes():
    joints = crafted_joints("standing").copy()
    available = np.ones(52, bool)
    available[[10, 11]] = False  # feet unknown (as from Human3.6M)
    joints[:, [10, 11]] = np.nan
    m = measure(joints, available)
    uses_feet = [i for i, c in enumerate(ELEMENTARY) if any(j.endswith("_foot") for j in c.joints)]
    assert np.isnan(m.values[:, uses_feet]).all()
    others = [i for i, c in enumerate(ELEMENTARY) if i not in uses_feet and not c.kind.startswith("relativeRot")]
    assert not np.isnan(m.values[:, others]).any()
