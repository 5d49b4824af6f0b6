"""Joint sets, the SMPL-H kinematic tree, and conversion of other skeletons to the 52 SMPL-H joints.

Joint arrays are (N, J, 3) (a single (J, 3) pose is treated as N=1). A conversion rule per target joint is one of
  ("src", i)            the source joint i;
  ("mean", (i, j, ..))  the mean of source joints;
  ("lerp", a, b, t)     the point at fraction t from target joint a to target joint b.
Rules are evaluated in table order, so a lerp comes after the joints it uses.
Target joints without a rule are missing: NaN in the output and False in `available`.
"""
import numpy as np

BODY_JOINT_NAMES = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
    "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head",
    "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
)
BODY_PARENTS = (-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19)
FINGERS = ("index", "middle", "pinky", "ring", "thumb")  # SMPL-H order within each hand


def _hand(side, wrist):
    names = tuple(f"{side}_{finger}{k}" for finger in FINGERS for k in (1, 2, 3))
    start = len(BODY_JOINT_NAMES) + (0 if side == "left" else len(names))
    parents = tuple(wrist if k == 0 else start + 3 * f + k - 1 for f in range(len(FINGERS)) for k in range(3))
    return names, parents


_LEFT_HAND, _LEFT_HAND_PARENTS = _hand("left", BODY_JOINT_NAMES.index("left_wrist"))
_RIGHT_HAND, _RIGHT_HAND_PARENTS = _hand("right", BODY_JOINT_NAMES.index("right_wrist"))
SMPLH_JOINT_NAMES = BODY_JOINT_NAMES + _LEFT_HAND + _RIGHT_HAND
SMPLH_PARENTS = np.array(BODY_PARENTS + _LEFT_HAND_PARENTS + _RIGHT_HAND_PARENTS)
JOINT_INDEX = {name: i for i, name in enumerate(SMPLH_JOINT_NAMES)}


def _swap_side(name):
    for a, b in (("left_", "right_"), ("right_", "left_")):
        if name.startswith(a):
            return b + name[len(a):]
    return name


MIRROR_PERMUTATION = np.array([JOINT_INDEX[_swap_side(n)] for n in SMPLH_JOINT_NAMES])
"""Index of each joint's left/right counterpart (itself for central joints)."""

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
    "smplh52": (52, _identity(SMPLH_JOINT_NAMES)),
    "smpl24": (24, _identity(BODY_JOINT_NAMES)),  # SMPL's joints 22/23 (hands) are not middle2: unused
    "body22": (22, _identity(BODY_JOINT_NAMES)),
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
    out = np.full((src.shape[0], len(SMPLH_JOINT_NAMES), 3), np.nan, dtype=np.float32)
    for name, (kind, *args) in rules.items():
        out[:, JOINT_INDEX[name]] = _RULES[kind](src, out, *args)
    available = np.zeros(len(SMPLH_JOINT_NAMES), dtype=bool)
    available[[JOINT_INDEX[name] for name in rules]] = True
    return out, available
