"""Batched numpy forward kinematics for the SMPL-H tree (SMPL convention: T-pose rest, parent-frame rotations)."""
import numpy as np

from ..rotations import axis_angle_to_quaternion, quaternion_multiply, quaternion_rotate
from ..skeleton import depth_levels


def pad_rotvecs(rotvecs, n_joints):
    """(N, J, 3) -> (N, n_joints, 3), appending identity (zero) rotations for the missing joints."""
    rotvecs = np.asarray(rotvecs)
    missing = n_joints - rotvecs.shape[-2]
    if missing < 0:
        raise ValueError(f"expected at most {n_joints} joint rotations, got {rotvecs.shape[-2]}")
    return np.concatenate([rotvecs, np.zeros(rotvecs.shape[:-2] + (missing, 3), rotvecs.dtype)], axis=-2)


def global_rotations(local, parents):
    """(N, J, 3, 3) parent-relative rotation matrices -> (N, J, 3, 3) world rotations."""
    parents = np.asarray(parents)
    world = local.copy()
    for level in depth_levels(parents)[1:]:
        world[:, level] = world[:, parents[level]] @ local[:, level]
    return world


def forward_kinematics(rotvecs, rest_joints, parents):
    """Posed joints (N, J, 3) float32 from axis-angle (N, J or fewer, 3) on a T-pose rest skeleton (J, 3).

    Missing trailing rotations (the hands when 22 are given) are identity. The root stays at its rest position.
    Computed in float32 (about 1e-6 m from float64), which makes the trigonometry several times faster, on
    quaternions and vectors stored component-first ((4, J, N), (3, J, N)): elementwise products on contiguous
    rows are several times faster than numpy's batched 3x3 matmul.
    """
    rest = np.asarray(rest_joints, dtype=np.float32)
    parents = np.asarray(parents)
    rotvecs = pad_rotvecs(np.asarray(rotvecs, np.float32), len(parents))
    local = axis_angle_to_quaternion(np.ascontiguousarray(np.transpose(rotvecs, (2, 1, 0))), axis=0)
    offsets = (rest - rest[np.maximum(parents, 0)]).T[:, :, None]  # (3, J, 1)
    world = np.empty_like(local)
    joints = np.empty((3,) + local.shape[1:], dtype=np.float32)
    levels = depth_levels(parents)
    world[:, levels[0]] = local[:, levels[0]]
    joints[:, levels[0]] = rest[levels[0]].T[:, :, None]
    for level in levels[1:]:
        p = parents[level]
        world[:, level] = quaternion_multiply(world[:, p], local[:, level], axis=0)
        joints[:, level] = joints[:, p] + quaternion_rotate(world[:, p], offsets[:, level], axis=0)
    return np.ascontiguousarray(np.transpose(joints, (2, 1, 0)))
