"""Rotation helpers in numpy, batched over any leading dimensions; float32/float64 preserving."""
import numpy as np


def _float(x):
    x = np.asarray(x)
    return x if x.dtype in (np.float32, np.float64) else x.astype(np.float64)


def axis_angle_to_matrix(rotvec):
    """Rodrigues formula: (..., 3) axis-angle -> (..., 3, 3) rotation matrices."""
    v = _float(rotvec)
    angle = np.sqrt((v * v).sum(-1))
    small = angle < 1e-6
    safe = np.where(small, 1.0, angle)
    # sin(a)/a and (1-cos(a))/a^2, with their Taylor expansions near zero
    a = np.where(small, 1.0 - angle**2 / 6.0, np.sin(angle) / safe).astype(v.dtype)
    b = np.where(small, 0.5 - angle**2 / 24.0, (1.0 - np.cos(angle)) / safe**2).astype(v.dtype)
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    bxy, bxz, byz = b * x * y, b * x * z, b * y * z
    rows = (
        1 - b * (y * y + z * z), bxy - a * z, bxz + a * y,
        bxy + a * z, 1 - b * (x * x + z * z), byz - a * x,
        bxz - a * y, byz + a * x, 1 - b * (x * x + y * y),
    )
    return np.stack(rows, axis=-1).reshape(v.shape[:-1] + (3, 3))


def _matrix_to_quaternion(m):
    """(..., 3, 3) -> (..., 4) unit quaternions (x, y, z, w), branch chosen per matrix for stability."""
    m00, m11, m22 = m[..., 0, 0], m[..., 1, 1], m[..., 2, 2]
    s01, s02, s12 = m[..., 0, 1] + m[..., 1, 0], m[..., 0, 2] + m[..., 2, 0], m[..., 1, 2] + m[..., 2, 1]
    d10, d02, d21 = m[..., 1, 0] - m[..., 0, 1], m[..., 0, 2] - m[..., 2, 0], m[..., 2, 1] - m[..., 1, 2]
    # four candidate (unnormalised) quaternions, each well conditioned when its largest component dominates
    cand = np.stack([
        np.stack([1 + m00 - m11 - m22, s01, s02, d21], -1),
        np.stack([s01, 1 - m00 + m11 - m22, s12, d02], -1),
        np.stack([s02, s12, 1 - m00 - m11 + m22, d10], -1),
        np.stack([d21, d02, d10, 1 + m00 + m11 + m22], -1),
    ], axis=-2)
    best = np.argmax(np.stack([m00, m11, m22, m00 + m11 + m22], -1), axis=-1)
    q = np.take_along_axis(cand, best[..., None, None], axis=-2)[..., 0, :]
    return q / np.linalg.norm(q, axis=-1, keepdims=True)


def matrix_to_axis_angle(matrix):
    """(..., 3, 3) rotation matrices -> (..., 3) axis-angle with angle in [0, pi]."""
    m = _float(matrix)
    q = _matrix_to_quaternion(m)
    q = np.where(q[..., 3:] < 0, -q, q)  # w >= 0 gives angle <= pi
    sin_half = np.linalg.norm(q[..., :3], axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(sin_half, q[..., 3:])
    small = sin_half < 1e-8
    scale = np.where(small, 2.0 / np.maximum(q[..., 3:], 1e-12), angle / np.where(small, 1.0, sin_half))
    return (q[..., :3] * scale).astype(m.dtype)


def euler_zyx_from_matrix(matrix):
    """Angles (x, y, z) in radians, shape (..., 3), of R = Rz(z) @ Ry(y) @ Rx(x)."""
    r = _float(matrix)
    x = np.arctan2(r[..., 2, 1], r[..., 2, 2])
    y = np.arctan2(-r[..., 2, 0], np.sqrt(r[..., 2, 1] ** 2 + r[..., 2, 2] ** 2))
    z = np.arctan2(r[..., 1, 0], r[..., 0, 0])
    return np.stack([x, y, z], axis=-1)


def _about(axis, angle):
    angle = _float(angle)
    v = np.zeros(angle.shape + (3,), dtype=angle.dtype)
    v[..., axis] = angle
    return axis_angle_to_matrix(v)


def rotation_about_x(angle):
    """(...) angles in radians -> (..., 3, 3) rotations about the x axis."""
    return _about(0, angle)


def rotation_about_y(angle):
    """(...) angles in radians -> (..., 3, 3) rotations about the y axis."""
    return _about(1, angle)
