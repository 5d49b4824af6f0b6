"""Batched numpy forward kinematics for the SMPL-H tree (SMPL convention: T-pose rest, parent-frame rotations)."""
import numpy as np


def depth_levels(parents):
    """Joint indices grouped by depth in the tree: each level's parents all lie in earlier levels."""
    depth = np.zeros(len(parents), dtype=int)
    for j, p in enumerate(parents):
        depth[j] = depth[p] + 1 if p >= 0 else 0
    return [np.flatnonzero(depth == d) for d in range(depth.max() + 1)]


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


# The FK below works on quaternions stored component-first, (4, J, N) as (w, x, y, z), and vectors (3, J, N):
# elementwise products on contiguous rows are several times faster than numpy's batched 3x3 matmul.

def _quaternions(rotvecs):
    """(N, J, 3) axis-angle -> (4, J, N) unit quaternions."""
    v = np.ascontiguousarray(np.transpose(rotvecs, (2, 1, 0)))
    angle = np.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
    small = angle < 1e-8
    scale = np.where(small, np.float32(0.5), np.sin(0.5 * angle) / np.where(small, np.float32(1.0), angle))
    return np.concatenate([np.cos(0.5 * angle)[None], v * scale])


def _multiply(a, b):
    aw, ax, ay, az = a
    bw, bx, by, bz = b
    return np.stack([
        aw * bw - ax * bx - ay * by - az * bz,
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
    ])


def _cross(u, v):
    return np.stack([u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]])


def _rotate(q, v):
    """Rotate vectors v (3, ...) by unit quaternions q (4, ...)."""
    t = 2 * _cross(q[1:], v)
    return v + q[0] * t + _cross(q[1:], t)


def forward_kinematics(rotvecs, rest_joints, parents):
    """Posed joints (N, J, 3) float32 from axis-angle (N, J or 22, 3) on a T-pose rest skeleton (J, 3).

    Missing trailing rotations (the hands when 22 are given) are identity. The root stays at its rest position.
    Computed in float32 (about 1e-6 m from float64), which makes the trigonometry several times faster.
    """
    rest = np.asarray(rest_joints, dtype=np.float32)
    parents = np.asarray(parents)
    local = _quaternions(pad_rotvecs(np.asarray(rotvecs, np.float32), len(parents)))
    offsets = (rest - rest[np.maximum(parents, 0)]).T[:, :, None]  # (3, J, 1)
    world = np.empty_like(local)
    joints = np.empty((3,) + local.shape[1:], dtype=np.float32)
    levels = depth_levels(parents)
    world[:, levels[0]] = local[:, levels[0]]
    joints[:, levels[0]] = rest[levels[0]].T[:, :, None]
    for level in levels[1:]:
        p = parents[level]
        world[:, level] = _multiply(world[:, p], local[:, level])
        joints[:, level] = joints[:, p] + _rotate(world[:, p], offsets[:, level])
    return np.ascontiguousarray(np.transpose(joints, (2, 1, 0)))
