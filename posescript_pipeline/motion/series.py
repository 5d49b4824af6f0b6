"""Per-frame series of every motion channel, for a whole sequence at once.

Input: world joints (T, 52, 3) in a y-up frame (any heading, pelvis anywhere), optionally the local joint
rotations (T, 52, 3) axis-angle with the world root. The joints are brought to the canonical frame once
(`orientation.normalise`): body-relative channels are measured there with the pose engine's own operators
(`posecodes.operators`); the body's height, travel and heading come from the world pelvis and hip line, the
heading unwrapped so a turn through 180 degrees is one turn (MotionScript wrapped it and lost the turn).
"""
from dataclasses import dataclass

import numpy as np

from ..orientation import hip_yaw, normalise
from ..posecodes.operators import OPERATORS, incline_lean, incline_twist
from ..posecodes.working_set import INDEX, working_joints
from ..rotations import axis_angle_to_matrix
from ..skeleton import JOINT_INDEX, NUM_BODY_JOINTS
from .catalogue import CHANNELS, Channel


@dataclass
class Series:
    """The channels' values (T, C) float64 (NaN where not measurable), the canonical joints and the frame rate."""
    values: np.ndarray
    measured: np.ndarray        # (C,) bool: the channel could be measured (its joints or rotations exist)
    canonical: np.ndarray       # (T, 52, 3) float32 canonical joints (pelvis at the origin, hips along +x)
    rotations: np.ndarray | None  # (T, 52, 3) with the normalised root, or None
    fps: float

    @property
    def times(self) -> np.ndarray:
        return np.arange(self.values.shape[0]) / self.fps


def _idx(channel: Channel):
    return np.array([[INDEX[j] for j in channel.joints]])


def _offset(axis):
    def measure(ctx, c):
        return ctx.working[:, INDEX[c.joints[0]], axis] - ctx.working[:, INDEX[c.joints[1]], axis]
    return measure


def _above_ground(ctx, c):
    return ctx.working[:, INDEX[c.joints[0]], 1] - ctx.ground


def _pitch(ctx, c):
    """Forward (+) pitch of the upper body (shoulder midpoint above the pelvis), in degrees, in any posture
    (the pose engine's incline code is zero unless the person stands)."""
    j = ctx.working
    up = (j[:, INDEX[c.joints[0]]] + j[:, INDEX[c.joints[1]]]) / 2 - j[:, INDEX[c.joints[2]]]
    return np.degrees(np.arctan2(up[:, 2], up[:, 1]))


def _posecode(op):
    def measure(ctx, c):
        return op(ctx.working, _idx(c))[:, 0]
    return measure


def _head(axis_op):
    """A head rotation code of the pose engine (Euler angle of the head relative to an ancestor), per frame."""
    def measure(ctx, c):
        idx = np.array([[JOINT_INDEX[j] for j in c.joints]])
        return OPERATORS[axis_op](ctx.working, idx, ctx.rotation_matrices)[:, 0]
    return measure


MEASURES = {
    "angle": _posecode(OPERATORS["angle"]),
    "distance": _posecode(OPERATORS["distance"]),
    "offset_x": _offset(0), "offset_y": _offset(1), "offset_z": _offset(2),
    "above_ground": _above_ground,
    "root_height": lambda ctx, c: ctx.height,
    "travel_forward": lambda ctx, c: ctx.travel[:, 0],
    "travel_left": lambda ctx, c: ctx.travel[:, 1],
    "heading": lambda ctx, c: ctx.heading,
    "pitch": _pitch,
    "roll": _posecode(incline_lean),
    "twist": _posecode(incline_twist),
    "head_turn": _head("relativeRotY"), "head_nod": _head("relativeRotX"), "head_tilt": _head("relativeRotZ"),
}
"""Measure name -> f(context, channel) -> (T,) values."""


@dataclass
class _Context:
    working: np.ndarray
    ground: np.ndarray
    height: np.ndarray
    travel: np.ndarray
    heading: np.ndarray
    rotation_matrices: np.ndarray | None


def heading_degrees(world_joints) -> np.ndarray:
    """(T,) yaw of the body about the vertical, unwrapped, in degrees; + is a turn towards the body's left."""
    return np.degrees(np.unwrap(-hip_yaw(np.asarray(world_joints, np.float64))))


def travel(pelvis, heading_deg) -> np.ndarray:
    """(T, 2) distance travelled along the body's own forward and left directions, accumulated frame by frame."""
    step = np.diff(pelvis[:, [0, 2]], axis=0)
    yaw = np.radians((heading_deg[1:] + heading_deg[:-1]) / 2)
    forward = np.stack([np.sin(yaw), np.cos(yaw)], axis=1)
    left = np.stack([np.cos(yaw), -np.sin(yaw)], axis=1)
    moved = np.stack([(step * forward).sum(1), (step * left).sum(1)], axis=1)
    return np.concatenate([np.zeros((1, 2)), np.cumsum(moved, axis=0)])


def measure_series(world_joints, fps: float, available=None, rotations=None, trajectory: bool = True) -> Series:
    """The series of every channel of a sequence.

    world_joints: (T, 52, 3) SMPL-H joints, y up, in metres (NaN where missing, `available` False).
    rotations: (T, 52|22, 3) axis-angle local rotations with the world root, or None (head channels unmeasured).
    trajectory: whether the pelvis positions are the real ones (AMASS `trans`, world joints); when False (the
    root is fixed), the body's height is the pelvis height above the lowest joint and it does not travel.
    """
    world = np.asarray(world_joints, np.float64)
    n = world.shape[0]
    available = np.ones(world.shape[1], bool) if available is None else np.asarray(available, bool)
    if rotations is not None:
        rotations = np.asarray(rotations, np.float64)
        canonical, root = normalise(world, root_rotvec=rotations[:, 0])
        rotations = rotations.copy()
        rotations[:, 0] = root
    else:
        canonical, _ = normalise(world)
    working, ok = working_joints(canonical.astype(np.float32), available)
    working = working.astype(np.float64)
    ground = np.nanmin(working[:, ok, 1], axis=1)
    pelvis = world[:, JOINT_INDEX["pelvis"]]
    heading = heading_degrees(world)
    if trajectory:
        height, moved = pelvis[:, 1] - pelvis[0, 1], travel(pelvis, heading)
    else:
        height, moved = -ground, np.zeros((n, 2))
    matrices = None if rotations is None else axis_angle_to_matrix(rotations[:, :NUM_BODY_JOINTS])
    ctx = _Context(working, ground, height, moved, heading, matrices)
    values = np.full((n, len(CHANNELS)), np.nan)
    measured = np.zeros(len(CHANNELS), bool)
    for c, channel in enumerate(CHANNELS):
        if channel.needs_rotations:
            if rotations is None:
                continue
        elif not all(ok[INDEX[j]] for j in channel.joints):
            continue
        values[:, c] = MEASURES[channel.measure](ctx, channel)
        measured[c] = True
    return Series(values, measured, canonical.astype(np.float32),
                  None if rotations is None else rotations.astype(np.float32), float(fps))
