"""Vectorised measurement operators, one per posecode kind.

Each takes the working joints (N, W, 3) (`working_set`) (y up, body facing +z, +x = the body's left), the joint
indices of every code of that kind (C, arity), and optionally joint rotations (N, 52, 3, 3) as
local rotation matrices (the body joints at least); it returns the measured values (N, C) in degrees or metres.
"""
import numpy as np

from ..rotations import matrix_to_euler
from ..skeleton import JOINT_INDEX, chain
from .working_set import INDEX


def _unit(v):
    return v / (np.linalg.norm(v, axis=-1, keepdims=True) + 1e-9)


def _angle_between(u, v):
    cos = np.sum(_unit(u) * _unit(v), axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def angle(j, idx, rot=None):
    a, b, c = j[:, idx[:, 0]], j[:, idx[:, 1]], j[:, idx[:, 2]]
    return _angle_between(a - b, c - b)


def distance(j, idx, rot=None):
    return np.linalg.norm(j[:, idx[:, 0]] - j[:, idx[:, 1]], axis=-1)


def _relative_position(axis):
    def measure(j, idx, rot=None):
        return j[:, idx[:, 0], axis] - j[:, idx[:, 1], axis]
    return measure


def vertical_axis(j, idx, rot=None):
    """Angle between the segment and the vertical, folded to [0, 90] degrees."""
    seg = _unit(j[:, idx[:, 1]] - j[:, idx[:, 0]])
    return np.degrees(np.arccos(np.clip(np.abs(seg[..., 1]), 0.0, 1.0)))


def on_ground(j, idx, rot=None):
    """Height above the lowest known joint; NaN in a pose whose ankles are not both known (the ground is unseen)."""
    ankles_y = j[:, INDEX["left_ankle"], 1] + j[:, INDEX["right_ankle"], 1]
    floor = np.where(np.isnan(ankles_y), np.nan, np.nanmin(j[:, :, 1], axis=1))
    return j[:, idx[:, 0], 1] - floor[:, None]


def _upper_body(j, idx):
    """Shoulder midpoint minus pelvis, and the shoulder line, for the fixed incline joint set."""
    ls, rs, pelvis = j[:, idx[:, 0]], j[:, idx[:, 1]], j[:, idx[:, 2]]
    return (ls + rs) / 2 - pelvis, ls - rs


def incline_forward(j, idx, rot=None):
    """Signed forward (+) / backward (-) bend of the upper body in the sagittal plane; forced to 0
    unless an ankle is more than 0.20 m below the shoulders (the person stands); NaN when an ankle is unknown."""
    up, _ = _upper_body(j, idx)
    yz = up[..., 1:]
    value = np.degrees(np.arctan2(np.abs(yz[..., 1]), yz[..., 0])) * np.sign(yz[..., 1])
    shoulders_y = ((j[:, idx[:, 0], 1] + j[:, idx[:, 1], 1]) / 2)
    lowest_ankle = np.minimum(j[:, idx[:, 3], 1], j[:, idx[:, 4], 1])
    standing = np.where(lowest_ankle < shoulders_y - 0.20, value, 0.0)
    return np.where(np.isnan(lowest_ankle), np.nan, standing)  # unknown ankles: unknown, not "upright"


def incline_twist(j, idx, rot=None):
    """Signed turn of the shoulder line about the vertical: + when the left shoulder is ahead
    (torso turned to its right)."""
    _, line = _upper_body(j, idx)
    xz = line[..., [0, 2]]
    return np.degrees(np.arctan2(np.abs(xz[..., 1]), xz[..., 0])) * np.sign(xz[..., 1])


def incline_lean(j, idx, rot=None):
    """Elevation of the upper body out of the sagittal plane: + leaning towards the body's left."""
    up, _ = _upper_body(j, idx)
    return np.degrees(np.arcsin(np.clip(_unit(up)[..., 0], -1.0, 1.0)))


def _relative_rotation(axis):
    def measure(j, idx, rot):
        out = np.empty((rot.shape[0], len(idx)), np.float32)
        for c, (child, ancestor) in enumerate(idx):
            composed = rot[:, ancestor]
            for k in chain(child, ancestor)[1:]:
                composed = composed @ rot[:, k]
            out[:, c] = np.degrees(matrix_to_euler(composed, "zyx")[..., axis])
        return out
    return measure


OPERATORS = {
    "angle": angle, "distance": distance,
    "relativePosX": _relative_position(0), "relativePosY": _relative_position(1),
    "relativePosZ": _relative_position(2),
    "relativeVAxis": vertical_axis, "onGround": on_ground,
    "bodyInclineX": incline_forward, "bodyInclineY": incline_twist, "bodyInclineZ": incline_lean,
    "relativeRotX": _relative_rotation(0), "relativeRotY": _relative_rotation(1),
    "relativeRotZ": _relative_rotation(2),
}


def joint_indices(kind: str, joints: tuple[str, ...]) -> tuple[int, ...]:
    """Working-skeleton indices, or SMPL-H joint indices for rotation kinds."""
    if kind.startswith("relativeRot"):
        return tuple(JOINT_INDEX[n] for n in joints)
    return tuple(INDEX[n] for n in joints)
