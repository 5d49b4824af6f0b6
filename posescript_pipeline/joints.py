"""Input skeletons and their conversion to the 52 SMPL-H joints of `skeleton`.

Joint arrays are (N, J, 3) (a single (J, 3) pose is treated as N=1). A conversion rule per target joint is one of
  ("src", i)            the source joint i;
  ("mean", (i, j, ..))  the mean of source joints;
  ("lerp", a, b, t)     the point at fraction t from target joint a to target joint b.
Rules are evaluated in table order, so a lerp comes after the joints it uses.
Target joints without a rule are missing: NaN in the output and False in `available`.
"""
import numpy as np

from .skeleton import BODY_JOINT_NAMES, BODY_PARENTS, JOINT_INDEX, NUM_BODY_JOINTS, NUM_JOINTS, SIDES, SMPLH_JOINT_NAMES

# Fractions along pelvis->neck of the spine joints (projections on the Anny rest skeleton, see test_joints),
# and along pelvis->spine2 and spine2->neck for skeletons that give a mid-spine point.
SPINE_FRACTIONS = {"spine1": 0.276, "spine2": 0.42, "spine3": 0.677}
SPINE1_PELVIS_TO_SPINE2 = 0.658
SPINE3_SPINE2_TO_NECK = 0.44


_RULES = {
    "src": lambda src, out, i: src[:, i],
    "mean": lambda src, out, idx: src[:, list(idx)].mean(axis=1),
    "lerp": lambda src, out, a, b, t: (1 - t) * out[:, JOINT_INDEX[a]] + t * out[:, JOINT_INDEX[b]],
}
"""Rule kind -> evaluator(source joints, target joints so far, *args)."""


def _identity(names):
    return {name: ("src", i) for i, name in enumerate(names)}


def _spine_from_pelvis_neck():
    return {name: ("lerp", "pelvis", "neck", t) for name, t in SPINE_FRACTIONS.items()}


_LIMBS_H36M = {
    "pelvis": ("src", 0), "right_hip": ("src", 1), "right_knee": ("src", 2), "right_ankle": ("src", 3),
    "left_hip": ("src", 4), "left_knee": ("src", 5), "left_ankle": ("src", 6), "spine2": ("src", 7),
    "neck": ("src", 8), "head": ("mean", (9, 10)), "left_shoulder": ("src", 11), "left_elbow": ("src", 12),
    "left_wrist": ("src", 13), "right_shoulder": ("src", 14), "right_elbow": ("src", 15),
    "right_wrist": ("src", 16),
    "spine1": ("lerp", "pelvis", "spine2", SPINE1_PELVIS_TO_SPINE2),
    "spine3": ("lerp", "spine2", "neck", SPINE3_SPINE2_TO_NECK),
}

_COCO = {
    "pelvis": ("mean", (11, 12)), "left_hip": ("src", 11), "right_hip": ("src", 12), "left_knee": ("src", 13),
    "right_knee": ("src", 14), "left_ankle": ("src", 15), "right_ankle": ("src", 16),
    "neck": ("mean", (5, 6)), "head": ("mean", (3, 4)), "left_shoulder": ("src", 5),
    "right_shoulder": ("src", 6), "left_elbow": ("src", 7), "right_elbow": ("src", 8), "left_wrist": ("src", 9),
    "right_wrist": ("src", 10), **_spine_from_pelvis_neck(),
}

# BlazePose GHUM 3D's 33 landmarks (MediaPipe order). Its hip points sit wider than SMPL-H's; its foot index
# (toe tip) is as far from the ankle as the SMPL-H foot joint (13 vs 14 cm on synthetic train crops; the
# heel-toe midpoint is 8 cm). Fingers, collars and the face are not SMPL-H joints: missing.
_BLAZEPOSE = {
    "pelvis": ("mean", (23, 24)), "left_hip": ("src", 23), "right_hip": ("src", 24), "left_knee": ("src", 25),
    "right_knee": ("src", 26), "left_ankle": ("src", 27), "right_ankle": ("src", 28),
    "left_foot": ("src", 31), "right_foot": ("src", 32), "neck": ("mean", (11, 12)),
    "head": ("mean", (7, 8)), "left_shoulder": ("src", 11), "right_shoulder": ("src", 12),
    "left_elbow": ("src", 13), "right_elbow": ("src", 14), "left_wrist": ("src", 15), "right_wrist": ("src", 16),
    **_spine_from_pelvis_neck(),
}

SKELETONS = {
    "smplh52": (NUM_JOINTS, _identity(SMPLH_JOINT_NAMES)),
    "smpl24": (24, _identity(BODY_JOINT_NAMES)),  # SMPL: the body joints, then two hand joints (not middle2: unused)
    "body22": (NUM_BODY_JOINTS, _identity(BODY_JOINT_NAMES)),
    "h36m17": (17, _LIMBS_H36M),
    "coco17": (17, _COCO),
    "blazepose33": (33, _BLAZEPOSE),  # MediaPipe world landmarks are y down: up="-y"
}
"""Skeleton name -> (number of source joints, {SMPL-H joint name: rule})."""


def skeleton_for_joint_count(n_joints):
    """The skeleton name for a joint count, or ValueError when it is unknown or ambiguous."""
    names = [name for name, (count, _) in SKELETONS.items() if count == n_joints]
    if len(names) != 1:
        known = ", ".join(f"{name} ({count})" for name, (count, _) in SKELETONS.items())
        what = f"is ambiguous: choose one of {', '.join(names)}" if names else f"matches no skeleton; known: {known}"
        raise ValueError(f"{n_joints} joints {what}")
    return names[0]


def to_smplh52(joints, skeleton):
    """Source joints (N, J, 3) or (J, 3) -> (joints52 (N, 52, 3) float32 with NaN where missing, available (52,))."""
    count, rules = SKELETONS[skeleton]
    src = np.asarray(joints, dtype=np.float32)
    src = src[None] if src.ndim == 2 else src
    if src.ndim != 3 or src.shape[1:] != (count, 3):
        raise ValueError(f"skeleton {skeleton} expects joints of shape (N, {count}, 3), got {np.shape(joints)}")
    out = np.full((src.shape[0], NUM_JOINTS, 3), np.nan, dtype=np.float32)
    for name, (kind, *args) in rules.items():
        out[:, JOINT_INDEX[name]] = _RULES[kind](src, out, *args)
    available = np.zeros(NUM_JOINTS, dtype=bool)
    available[[JOINT_INDEX[name] for name in rules]] = True
    return out, available


BONE_RANGE = (0.01, 1.5)
"""Plausible median bone length of a body in metres (shorter: collapsed joints; longer: not metres)."""
LIMBS = (("hip", "knee"), ("knee", "ankle"), ("shoulder", "elbow"), ("elbow", "wrist"))
MAX_LIMB_ASYMMETRY = 1.8
"""Largest ratio of a left and a right limb's lengths in a frame of a real body (equal in a rigid skeleton)."""


def implausibility(joints52, available=None) -> tuple[int, str] | None:
    """(frame, what is wrong) of the first pose (N, 52, 3) whose joints cannot be a body in metres, or None:
    the median bone length of the body tree out of BONE_RANGE, or a left and a right limb of very different
    lengths (which is what joints in another skeleton's order look like)."""
    joints = np.asarray(joints52, np.float64)
    ok = np.ones(joints.shape[1], bool) if available is None else np.asarray(available, bool)
    bones = [(j, p) for j, p in enumerate(BODY_PARENTS) if p >= 0 and ok[j] and ok[p]]
    if bones:
        length = np.linalg.norm(joints[:, [j for j, _ in bones]] - joints[:, [p for _, p in bones]], axis=-1)
        median = np.nanmedian(length, axis=1)
        for frame in np.flatnonzero(~((median >= BONE_RANGE[0]) & (median <= BONE_RANGE[1]))):
            what = "collapse to a point" if median[frame] < BONE_RANGE[0] else "are far apart for metres"
            return int(frame), f"the joints {what} (median bone {median[frame]:.3g} m; expected metres, " \
                               f"{BONE_RANGE[0]} to {BONE_RANGE[1]} m)"
    for a, b in LIMBS:
        ends = [JOINT_INDEX[f"{side}_{part}"] for side in SIDES for part in (a, b)]
        if not ok[ends].all():
            continue
        left = np.linalg.norm(joints[:, ends[0]] - joints[:, ends[1]], axis=-1)
        right = np.linalg.norm(joints[:, ends[2]] - joints[:, ends[3]], axis=-1)
        ratio = np.maximum(left, right) / np.maximum(np.minimum(left, right), 1e-9)
        for frame in np.flatnonzero(ratio > MAX_LIMB_ASYMMETRY):
            return int(frame), f"the left and right {a}-{b} bones are {left[frame]:.2f} m and {right[frame]:.2f} m " \
                               "long: the joints do not follow the skeleton's order (check --skeleton)"
    return None
