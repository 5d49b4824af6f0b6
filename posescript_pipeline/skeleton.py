"""The one joint table: the 52 SMPL-H joints (22 body, 15 per hand), their tree, sides and mirror images.

Every other module takes joint names, parents, counts and sides from here. Frame of the mirror images: the
canonical one (y up, the body faces +z, +x is its own left), so mirroring is the reflection x -> -x.
"""
import numpy as np

LEFT, RIGHT = SIDES = ("left", "right")
OTHER_SIDE = {LEFT: RIGHT, RIGHT: LEFT}

BODY_JOINT_NAMES = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
    "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head",
    "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
)
BODY_PARENTS = (-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19)
FINGERS = ("index", "middle", "pinky", "ring", "thumb")
"""SMPL-H order within each hand; each finger has segments 1 (knuckle) to 3 (tip side)."""
FINGER_SEGMENTS = (1, 2, 3)


def _hand(side: str, first: int):
    """(names, parents) of one hand whose joints start at index `first`: each finger chains from the wrist."""
    wrist = BODY_JOINT_NAMES.index(f"{side}_wrist")
    names = tuple(f"{side}_{finger}{k}" for finger in FINGERS for k in FINGER_SEGMENTS)
    parents = tuple(wrist if k == 0 else first + len(FINGER_SEGMENTS) * f + k - 1
                    for f in range(len(FINGERS)) for k in range(len(FINGER_SEGMENTS)))
    return names, parents


NUM_BODY_JOINTS = len(BODY_JOINT_NAMES)
NUM_HAND_JOINTS = len(FINGERS) * len(FINGER_SEGMENTS)
_LEFT_HAND, _LEFT_PARENTS = _hand(LEFT, NUM_BODY_JOINTS)
_RIGHT_HAND, _RIGHT_PARENTS = _hand(RIGHT, NUM_BODY_JOINTS + NUM_HAND_JOINTS)
SMPLH_JOINT_NAMES = BODY_JOINT_NAMES + _LEFT_HAND + _RIGHT_HAND
SMPLH_PARENTS = np.array(BODY_PARENTS + _LEFT_PARENTS + _RIGHT_PARENTS)
NUM_JOINTS = len(SMPLH_JOINT_NAMES)
JOINT_INDEX = {name: i for i, name in enumerate(SMPLH_JOINT_NAMES)}
HAND_JOINTS = {LEFT: np.arange(NUM_BODY_JOINTS, NUM_BODY_JOINTS + NUM_HAND_JOINTS),
               RIGHT: np.arange(NUM_BODY_JOINTS + NUM_HAND_JOINTS, NUM_JOINTS)}


def side_of(name: str) -> str:
    """'left_knee' -> 'left'; a central joint or part -> ''."""
    side = name.partition("_")[0]
    return side if side in SIDES else ""


def part_of(name: str) -> str:
    """'left_knee' -> 'knee'; 'neck' -> 'neck'."""
    return name.partition("_")[2] if side_of(name) else name


def swap_side(name: str) -> str:
    """'left_knee' <-> 'right_knee'; a central name is its own mirror image."""
    side = side_of(name)
    return f"{OTHER_SIDE[side]}_{part_of(name)}" if side else name


MIRROR_PERMUTATION = np.array([JOINT_INDEX[swap_side(n)] for n in SMPLH_JOINT_NAMES])
"""Index of each joint's left/right counterpart (itself for central joints)."""
MIRROR_ROTATION = np.array([1, -1, -1])
"""Sign of the axis-angle (or Euler) components of a rotation under the reflection x -> -x."""


def mirror_rotations(rotvecs: np.ndarray) -> np.ndarray:
    """Left/right mirror image of axis-angle poses (..., 52, 3): sides swapped, y and z components negated."""
    rotvecs = np.asarray(rotvecs)
    return rotvecs[..., MIRROR_PERMUTATION, :] * MIRROR_ROTATION.astype(rotvecs.dtype)


def mirror_joints(joints: np.ndarray) -> np.ndarray:
    """Left/right mirror image of canonical joint positions (..., 52, 3): sides swapped, x negated."""
    joints = np.asarray(joints)
    return joints[..., MIRROR_PERMUTATION, :] * np.array([-1, 1, 1], dtype=joints.dtype)


def depth_levels(parents) -> list[np.ndarray]:
    """Joint indices grouped by depth in the tree: each level's parents all lie in earlier levels."""
    depth = np.zeros(len(parents), dtype=int)
    for j, p in enumerate(parents):
        depth[j] = depth[p] + 1 if p >= 0 else 0
    return [np.flatnonzero(depth == d) for d in range(depth.max() + 1)]


def chain(child: int, ancestor: int) -> list[int]:
    """Joint indices from `ancestor` (inclusive) down to `child` (inclusive), parent first."""
    out = [child]
    while out[-1] != ancestor:
        if out[-1] < 0:
            raise ValueError(f"{SMPLH_JOINT_NAMES[ancestor]} is not an ancestor of {SMPLH_JOINT_NAMES[child]}")
        out.append(int(SMPLH_PARENTS[out[-1]]))
    return out[::-1]


assert (NUM_BODY_JOINTS, NUM_HAND_JOINTS, NUM_JOINTS) == (22, 15, 52), "the SMPL-H joint counts"
assert all(SMPLH_PARENTS[j] < j for j in range(1, NUM_JOINTS)), "parents come before their children"
