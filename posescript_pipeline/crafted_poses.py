"""Hand-crafted SMPL-H poses with known geometry, for tests and examples.

Sign conventions (SMPL y-up frame, body facing +z, +x = body's left), per joint rotation (x, y, z) in degrees:
knee (+90, 0, 0) flexes the knee (shin backward); hip (-90, 0, 0) raises the thigh forward;
right_shoulder (0, 0, -90) / left_shoulder (0, 0, +90) raise the arm overhead, the opposite sign lowers it;
left_elbow (0, -90, 0) points the forearm forward; spine (+30, 0, 0) bends the torso forward.
"""
import numpy as np

from .body import canonical
from .skeleton import JOINT_INDEX, NUM_JOINTS

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
    # Self-contact poses. The arm angles were solved from target wrist positions and hand directions on the
    # Anny skeleton (upper arm and forearm oriented so that the elbow is a pure hinge), rounded to degrees
    # and checked on the Anny mesh: the hand surface lies on the touched part, penetrating it by under 1 cm.
    # right arm raised forward across the chest, elbow bent ~100 deg: the right palm on the left shoulder
    "right_hand_on_left_shoulder": {**ARMS_DOWN, "right_shoulder": (0, 100, 20), "right_elbow": (0, 100, 10)},
    # prayer: elbows down and out, forearms rising inward, hands vertical (fingers up, tilted 14 deg forward)
    # with the palms pressed together at the midline, 26 cm in front of the spine3 joint at chest height
    "palms_together": {
        "left_shoulder": (15, -57, -56), "left_elbow": (0, -94, 0), "left_wrist": (12, -37, 55),
        "right_shoulder": (15, 57, 56), "right_elbow": (0, 94, 0), "right_wrist": (12, 37, -55),
    },
    # right elbow out to the side and up, the right palm flat on the crown, fingers pointing to the left
    "right_hand_on_head": {
        **ARMS_DOWN, "right_shoulder": (-76, 53, -52), "right_elbow": (0, 78, 0), "right_wrist": (-86, 27, 25),
    },
    # sitting (thighs horizontal, shins vertical), upper arms hanging slightly out and back, forearms
    # forward-down, palms flat on the middle of the thighs, fingers pointing forward
    "sitting_hands_on_thighs": {
        "left_hip": (-90, 0, 0), "right_hip": (-90, 0, 0), "left_knee": (90, 0, 0), "right_knee": (90, 0, 0),
        "left_shoulder": (47, -23, -62), "left_elbow": (0, -98, 0), "left_wrist": (63, 34, 36),
        "right_shoulder": (47, 23, 62), "right_elbow": (0, 98, 0), "right_wrist": (63, -34, -36),
    },
}
"""Pose name -> {SMPL-H joint name: axis-angle in degrees}; unlisted joints (and the root) are zero."""


def crafted_rotvecs(name):
    """Axis-angle (1, 52, 3) float32, radians, of a crafted pose."""
    rotvecs = np.zeros((1, NUM_JOINTS, 3), dtype=np.float32)
    for joint, degrees in CRAFTED_POSES[name].items():
        rotvecs[0, JOINT_INDEX[joint]] = np.radians(degrees)
    return rotvecs


def crafted_joints(name):
    """Canonical joints (1, 52, 3) float32 of a crafted pose (numpy FK on the shipped Anny skeleton)."""
    return canonical(crafted_rotvecs(name))[0]
