"""The one rotation convention: axis-angle vectors, 3x3 matrices, unit quaternions stored (x, y, z, w) (scalar
last), and Tait-Bryan Euler angles; numpy, batched over any leading dimensions, float32/float64 preserving.

Quaternion functions take the axis that holds the four components (`axis`, default last): batched code may keep
them on the first axis, where each component is a contiguous row (several times faster elementwise).
"""
import numpy as np

AXES = {"x": 0, "y": 1, "z": 2}


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


def _components(q, axis):
    return np.moveaxis(np.asarray(q), axis, 0)


def _cross(u, v):
    """Cross products of 3-vectors stored component-first (3, ...)."""
    return np.stack([u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]])


def quaternion_multiply(a, b, axis=-1):
    """Hamilton products a b of quaternions (x, y, z, w) along `axis`."""
    ax, ay, az, aw = _components(a, axis)
    bx, by, bz, bw = _components(b, axis)
    return np.stack([
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
        aw * bw - ax * bx - ay * by - az * bz,
    ], axis=axis)


def quaternion_rotate(q, v, axis=-1):
    """Vectors v rotated by unit quaternions q (x, y, z, w); the components of both lie along `axis`."""
    q, v = _components(q, axis), _components(v, axis)
    t = 2 * _cross(q[:3], v)
    return np.moveaxis(v + q[3] * t + _cross(q[:3], t), 0, axis)


def axis_angle_to_quaternion(rotvec, axis=-1):
    """Axis-angle vectors -> unit quaternions (x, y, z, w), components along `axis` in and out."""
    v = _components(_float(rotvec), axis)
    angle = np.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
    small = angle < 1e-8
    scale = np.where(small, v.dtype.type(0.5), np.sin(0.5 * angle) / np.where(small, v.dtype.type(1.0), angle))
    return np.moveaxis(np.concatenate([v * scale, np.cos(0.5 * angle)[None]]), 0, axis)


def quaternion_to_axis_angle(q):
    """Unit quaternions (..., 4) (x, y, z, w) -> axis-angle (..., 3) with the angle in [0, pi]."""
    q = _float(q)
    q = np.where(q[..., 3:] < 0, -q, q)  # w >= 0 gives angle <= pi
    sin_half = np.linalg.norm(q[..., :3], axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(sin_half, q[..., 3:])
    small = sin_half < 1e-8
    scale = np.where(small, 2.0 / np.maximum(q[..., 3:], 1e-12), angle / np.where(small, 1.0, sin_half))
    return (q[..., :3] * scale).astype(q.dtype)


def euler_to_quaternion(angles, order):
    """Unit quaternions (..., 4) of Tait-Bryan angles (..., 3) in radians, stored (x, y, z), composed in `order`:
    "yzx" is R = Ry(y) Rz(z) Rx(x) (the first axis outermost)."""
    half = _float(angles) / 2
    out = None
    for ax in order:
        q = np.zeros(half.shape[:-1] + (4,), half.dtype)
        q[..., AXES[ax]] = np.sin(half[..., AXES[ax]])
        q[..., 3] = np.cos(half[..., AXES[ax]])
        out = q if out is None else quaternion_multiply(out, q)
    return out


def matrix_to_euler(matrix, order):
    """Tait-Bryan angles (..., 3) in radians, stored (x, y, z), of R = R_i(a) R_j(b) R_k(c) for an order "ijk";
    the middle angle lies in [-pi/2, pi/2]."""
    i, j, k = (AXES[ax] for ax in order)
    parity = 1.0 if (i, j, k) in ((0, 1, 2), (1, 2, 0), (2, 0, 1)) else -1.0
    r = _float(matrix)
    out = np.empty(r.shape[:-1], r.dtype)
    out[..., i] = np.arctan2(-parity * r[..., j, k], r[..., k, k])
    out[..., j] = np.arctan2(parity * r[..., i, k], np.sqrt(r[..., i, j] ** 2 + r[..., i, i] ** 2))
    out[..., k] = np.arctan2(-parity * r[..., i, j], r[..., i, i])
    return out


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
    return quaternion_to_axis_angle(_matrix_to_quaternion(_float(matrix)))


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


def rotation_about_z(angle):
    """(...) angles in radians -> (..., 3, 3) rotations about the z axis."""
    return _about(2, angle)


def matrix_to_6d(matrix):
    """(..., 3, 3) rotation matrices -> (..., 6): their first two columns, concatenated (column 0, then column 1);
    `bedlam_tools.embroider.geometry.matrix_from_6d` inverts it by Gram-Schmidt."""
    m = _float(matrix)
    return np.concatenate([m[..., :, 0], m[..., :, 1]], axis=-1)


def mean_rotation(matrices, axis=0):
    """The chordal L2 mean of rotation matrices (..., 3, 3) along `axis`: their arithmetic mean projected back
    onto the rotations (SVD, determinant +1)."""
    mean = _float(matrices).mean(axis=axis)
    u, _, vt = np.linalg.svd(mean)
    fix = np.ones(mean.shape[:-1], mean.dtype)
    fix[..., -1] = np.sign(np.linalg.det(u @ vt))
    return (u * fix[..., None, :]) @ vt
