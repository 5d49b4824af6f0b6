"""Sequences of an activity: its keyframes played in a cycle, varied per sequence as its table row says.

Per sequence the keys are jittered, their range scaled (amplitude, left/right asymmetry), played at a random
speed and phase; the arms may do a gesture instead; then an idle wobble, the head's look, finger curl, heading
and optional mirroring are added, and every joint is clamped to its limits (`joint_angles`). The root of the
output is orientation-normalised (`posescript_pipeline.body.canonical`).
"""
import numpy as np

from posescript_pipeline.body import canonical
from posescript_pipeline.skeleton import (FINGER_SEGMENTS, HAND_JOINTS, JOINT_INDEX, NUM_BODY_JOINTS, NUM_JOINTS, SIDES,
                                          SMPLH_JOINT_NAMES)

from .activities import ACTIVITIES
from .joint_angles import CENTRAL, IS_RIGHT, clamp, mirror, to_rotvecs
from .keyframes import ARMS, GESTURES

BODY = np.arange(1, NUM_BODY_JOINTS)
HANDS = np.concatenate([HAND_JOINTS[side] for side in SIDES])
ARM_JOINTS = np.array([JOINT_INDEX[f"{s}_{p}"] for s in SIDES for p in ("collar", "shoulder", "elbow", "wrist")])
LOOK_JOINTS = np.array([JOINT_INDEX["neck"], JOINT_INDEX["head"]])
FINGER_CURL = dict(zip(FINGER_SEGMENTS, (0.8, 1.0, 0.7)))
"""Share of the hand's curl angle (90 deg) at each finger segment; the thumb curls half as much."""
CURL = np.zeros(NUM_JOINTS, np.float32)
CURL[HANDS] = [FINGER_CURL[int(SMPLH_JOINT_NAMES[j][-1])] * (0.5 if "thumb" in SMPLH_JOINT_NAMES[j] else 1.0) * -90.0
               for j in HANDS]


def _key_array(key):
    out = np.zeros((NUM_JOINTS, 3), np.float32)
    for name, angles in key.items():
        out[JOINT_INDEX[name]] = angles
    return out


KEYS = {name: np.stack([_key_array(k) for k in a.keys]) for name, a in ACTIVITIES.items()}
GESTURE_KEYS = {name: np.stack([_key_array(k) for k in keys]) for name, keys in ARMS.items()}


def _play(keys, times, period, phase):
    """Cyclic smooth interpolation of keys (S, K, J, 3) at times (T,) -> (S, T, J, 3)."""
    s, k = keys.shape[:2]
    u = (times[None] / period[:, None] + phase[:, None]) * k
    k0 = np.floor(u).astype(np.int64) % k
    w = u - np.floor(u)
    w = (w * w * (3 - 2 * w))[..., None, None].astype(np.float32)
    rows = np.arange(s)[:, None]
    return keys[rows, k0] * (1 - w) + keys[rows, (k0 + 1) % k] * w


def _slow_noise(rng, shape, times, period):
    """Smooth random motion in [-1, 1] (S, T, *shape[1:]): one sinusoid of random period and phase per channel."""
    p = rng.uniform(*period, shape)
    phi = rng.uniform(0, 2 * np.pi, shape)
    return np.sin(2 * np.pi * times.reshape((1, -1) + (1,) * (len(shape) - 1)) / p[:, None] + phi[:, None])


def animate(name, n, times, rng):
    """Left-convention Euler degrees (n, T, 52, 3) of n sequences of one activity at `times` (seconds)."""
    act, keys = ACTIVITIES[name], KEYS[name]
    keys = keys + rng.normal(0, act.jitter, (n,) + keys.shape).astype(np.float32) * (np.arange(NUM_JOINTS) > 0)[:, None]
    mean = keys.mean(axis=1, keepdims=True)
    scale = rng.uniform(*act.amplitude, n)[:, None] * (1 + rng.uniform(-act.asymmetry, act.asymmetry, n)[:, None]
                                                        * np.where(IS_RIGHT, -1.0, ~CENTRAL * 1.0))
    keys = mean + (keys - mean) * scale[:, None, :, None].astype(np.float32)
    period = rng.uniform(*act.period, n)
    phase = rng.uniform(0, 1, n)
    out = _play(keys, times, period, phase)
    gesture = np.where(rng.uniform(0, 1, n) < act.arms, rng.integers(0, len(GESTURES), n), -1)
    for g in np.unique(gesture[gesture >= 0]):
        rows = np.flatnonzero(gesture == g)
        gkeys = np.broadcast_to(GESTURE_KEYS[GESTURES[g]], (len(rows),) + GESTURE_KEYS[GESTURES[g]].shape)
        gkeys = gkeys + rng.normal(0, act.jitter, gkeys.shape).astype(np.float32)
        played = _play(gkeys, times, rng.uniform(*act.gesture_period, len(rows)), rng.uniform(0, 1, len(rows)))
        out[rows[:, None], :, ARM_JOINTS] = played[:, :, ARM_JOINTS].transpose(0, 2, 1, 3)
    slow = act.wobble_period
    out[:, :, BODY] += act.wobble * _slow_noise(rng, (n, len(BODY), 3), times, slow)
    out[:, :, LOOK_JOINTS, :2] += act.look * _slow_noise(rng, (n, 2, 2), times, slow) * np.array(
        [act.look_pitch, 1.0], np.float32)
    curl = np.clip(rng.uniform(*act.curl, (n, 1, 2)) + act.curl_wobble * _slow_noise(rng, (n, 2), times, slow), 0, 1)
    out[:, :, HANDS, 2] = np.repeat(curl, len(HANDS) // 2, axis=-1) * CURL[HANDS]
    out[:, :, 0, 1] = rng.uniform(*act.heading, n)[:, None] + act.heading_wobble * _slow_noise(rng, (n,), times, slow)
    out[:, :, 0, ::2] += act.root_wobble * _slow_noise(rng, (n, 2), times, slow)
    flip = rng.uniform(0, 1, n) < act.mirror
    out[flip] = mirror(out[flip])
    return clamp(out)


def finish(euler, chunk=8192):
    """Left-convention Euler degrees (N, 52, 3) -> (pose (N, 52, 3) with normalised root, canonical joints, the
    roots before normalisation (N, 3))."""
    pose = np.empty(euler.shape, np.float32)
    joints = np.empty(euler.shape, np.float32)
    world_root = np.empty((len(euler), 3), np.float32)
    for start in range(0, len(euler), chunk):  # chunks keep the arrays in cache
        rotvecs = to_rotvecs(euler[start:start + chunk])
        world_root[start:start + chunk] = rotvecs[:, 0]
        joints[start:start + chunk], pose[start:start + chunk] = canonical(rotvecs)
    return pose, joints, world_root
