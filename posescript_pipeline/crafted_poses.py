"""Hand-crafted SMPL-H poses with known geometry, for tests and examples.

Sign conventions (SMPL y-up frame, body facing +z, +x = body's left), per joint rotation (x, y, z) in degrees:
knee (+90, 0, 0) flexes the knee (shin backward); hip (-90, 0, 0) raises the thigh forward;
right_shoulder (0, 0, -90) / left_shoulder (0, 0, +90) raise the arm overhead, the opposite sign lowers it;
left_elbow (0, -90, 0) points the forearm forward; spine (+30, 0, 0) bends the torso forward.
"""
import numpy as np

from .body import joints_from_rotations
from .joints import JOINT_INDEX, MIRROR_PERMUTATION, SMPLH_JOINT_NAMES
from .orientation import normalise

ARMS_DOWN = {"left_shoulder": (0, 0, -75), "right_shoulder": (0, 0, 75)}

CRAFTED_POSES = {
    "t_pose": {},
    "standing": ARMS_DOWN,
    # thigh raised forward to horizontal, shin hanging vertically (one-sided sitting); the measured
    # hip-knee-ankle angle is 82 deg because Anny's rest leg is already flexed by 8.6 deg (171.4 deg)
    "left_knee_90": {**ARMS_DOWN, "left_hip": (-90, 0, 0), "left_knee": (90, 0, 0)},
    "right_arm_overhead": {"left_shoulder": (0, 0, -75), "right_shoulder": (0, 0, -90)},
    "left_arm_overhead": {"left_shoulder": (0, 0, 90), "right_shoulder": (0, 0, 75)},
    "torso_forward": {**ARMS_DOWN, "spine1": (25, 0, 0), "spine2": (25, 0, 0), "spine3": (25, 0, 0)},
    # upright on both knees: thighs vertical, shins horizontal behind, feet stretched back
    "kneeling": {
        **ARMS_DOWN, "left_knee": (90, 0, 0), "right_knee": (90, 0, 0),
        "left_ankle": (45, 0, 0), "right_ankle": (45, 0, 0),
    },
    # deep squat, feet flat (hip + knee + ankle = 0 about x), torso leaning forward, arms forward
    "squat": {
        "left_hip": (-100, 0, 10), "right_hip": (-100, 0, -10), "left_knee": (120, 0, 0),
        "right_knee": (120, 0, 0), "left_ankle": (-20, 0, 0), "right_ankle": (-20, 0, 0),
        "spine1": (15, 0, 0), "left_shoulder": (0, -80, 0), "right_shoulder": (0, 80, 0),
    },
    # straight arms pointing forward and slightly inward, wrists a few cm apart in front of the chest
    "hands_together_front": {"left_shoulder": (0, -106, 0), "right_shoulder": (0, 106, 0)},
}
"""Pose name -> {SMPL-H joint name: axis-angle in degrees}; unlisted joints (and the root) are zero."""


def crafted_rotvecs(name):
    """Axis-angle (1, 52, 3) float32, radians, of a crafted pose."""
    rotvecs = np.zeros((1, len(SMPLH_JOINT_NAMES), 3), dtype=np.float32)
    for joint, degrees in CRAFTED_POSES[name].items():
        rotvecs[0, JOINT_INDEX[joint]] = np.radians(degrees)
    return rotvecs


def mirror(rotvecs):
    """Left/right mirror image of axis-angle poses (..., 52, 3): swap sides, negate the y and z components."""
    rotvecs = np.asarray(rotvecs)
    return rotvecs[..., MIRROR_PERMUTATION, :] * np.array([1, -1, -1], dtype=rotvecs.dtype)


def crafted_joints(name):
    """Canonical joints (1, 52, 3) float32 of a crafted pose (numpy FK on the shipped Anny skeleton)."""
    return normalise(joints_from_rotations(crafted_rotvecs(name)))[0]
