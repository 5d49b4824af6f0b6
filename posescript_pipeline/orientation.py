"""Orientation normalisation to the canonical frame: y up, body facing +z, +x towards the body's left.

The one place where frames change. Rotations about the vertical only: pitch and roll are kept.
"""
import numpy as np

from .joints import JOINT_INDEX
from .rotations import axis_angle_to_matrix, matrix_to_axis_angle, rotation_about_y

Z_UP_TO_Y_UP = np.array([[1.0, 0, 0], [0, 0, 1], [0, -1, 0]])
"""-90 deg about x: z-up +z becomes +y; a z-up body facing -y ends up facing +z."""
Y_DOWN_TO_Y_UP = np.diag([1.0, -1.0, -1.0])
"""180 deg about x: camera-like axes (y down, z away from the camera, as MediaPipe's world landmarks) to y up."""
UP_CONVERSIONS = {"y": np.eye(3), "z": Z_UP_TO_Y_UP, "-y": Y_DOWN_TO_Y_UP}
"""Input vertical axis -> rotation into the y-up frame (proper rotations: a body is never mirrored)."""


def y_up_root(root_rotvec, up="y"):
    """Root rotations (N, 3) axis-angle of a frame whose vertical is `up`, in the y-up frame (heading kept)."""
    return matrix_to_axis_angle(UP_CONVERSIONS[up] @ axis_angle_to_matrix(np.asarray(root_rotvec, np.float64)))


def hip_yaw(joints):
    """Yaw (N,) about y that brings the hip line (right_hip -> left_hip, on XZ) onto +x."""
    hips = joints[:, JOINT_INDEX["left_hip"]] - joints[:, JOINT_INDEX["right_hip"]]
    return np.arctan2(hips[:, 2], hips[:, 0])


def normalise(joints52, root_rotvec=None, up="y"):
    """Canonical joints (N, 52, 3), pelvis at the origin, and the root rotation (N, 3) made to match, or None.

    joints52: (N, 52, 3) (NaN allowed for missing joints other than pelvis and hips) in a frame whose vertical
    is `up` ("y" or "z"); root_rotvec: (N, 3) axis-angle of the root in the same frame.
    """
    if up not in UP_CONVERSIONS:
        raise ValueError(f"up must be one of {', '.join(UP_CONVERSIONS)}, got {up!r}")
    joints = np.asarray(joints52)
    dtype = joints.dtype if joints.dtype in (np.float32, np.float64) else np.float64
    joints = joints @ UP_CONVERSIONS[up].T
    joints = joints - joints[:, JOINT_INDEX["pelvis"]][:, None]
    yaw = rotation_about_y(hip_yaw(joints))  # (N, 3, 3)
    joints = (joints @ yaw.swapaxes(-1, -2)).astype(dtype)
    if root_rotvec is None:
        return joints, None
    root = np.asarray(root_rotvec)
    turned = yaw @ UP_CONVERSIONS[up] @ axis_angle_to_matrix(root.astype(np.float64))
    return joints, matrix_to_axis_angle(turned).astype(root.dtype if root.dtype == np.float32 else np.float64)
