"""The motion engine's entry point: a sequence of world joints (and rotations) in, motion codes and captions out."""
import math
from dataclasses import dataclass

import numpy as np

from ..errors import UserError
from ..random_streams import caption_rng, pose_key
from .codes import MotionCode, motion_codes
from .realisation import MOTION_VARIANTS, MotionOptions, Sentence, write_motion_caption
from .series import Series, measure_series


class MotionError(UserError):
    """A sequence that cannot be described (no frame rate, too few frames, bad joints)."""


@dataclass
class MotionDescription:
    """One sequence's motion codes and captions, with what each sentence was written from."""
    codes: list[MotionCode]
    captions: list[str]
    sentences: list[list[Sentence]]   # per caption
    series: Series

    @property
    def duration(self) -> float:
        return (self.series.values.shape[0] - 1) / self.series.fps

    def to_json(self) -> dict:
        return {"fps": self.series.fps, "frames": int(self.series.values.shape[0]),
                "duration_s": round(self.duration, 3), "captions": self.captions,
                "sentences": [[{"text": s.text, "statements": s.statements, "codes": s.codes} for s in caption]
                              for caption in self.sentences],
                "motion_codes": [c.to_json() for c in self.codes]}


def check_sequence(joints, fps) -> np.ndarray:
    """The joints as (T, J, 3) float64, or the one-line MotionError of a frame rate or frame count that cannot be
    a motion."""
    if not isinstance(fps, (int, float, np.integer, np.floating)) or not math.isfinite(fps) or fps <= 0:
        raise MotionError(f"frame rate {fps!r}: expected a number of frames per second > 0")
    joints = np.asarray(joints, np.float64)
    if joints.ndim != 3 or joints.shape[-1] != 3:
        raise MotionError(f"joints of shape {joints.shape}: expected (T, J, 3) frames of joints")
    if joints.shape[0] < 2:
        raise MotionError(f"{joints.shape[0]} frame: a motion needs at least 2 frames")
    return joints


def describe_motion(world_joints, fps: float, available=None, rotations=None, *, trajectory: bool = True,
                    seed: int = 0, sequence_id=0, captions: int = 3, sex: str = "",
                    variants: tuple[MotionOptions, ...] = MOTION_VARIANTS) -> MotionDescription:
    """Describe the motion of one sequence.

    world_joints: (T, 52, 3) SMPL-H joints in metres, y up, any heading (NaN where missing: `available` False).
    fps: frames per second (every threshold is in seconds and units per second). rotations: (T, 52|22, 3)
    axis-angle with the world root, or None (no head codes). trajectory: False when the root does not move in the
    file (no translation): the body's height is then read from the pelvis above the lowest joint.
    Caption k uses variants[k % len(variants)] and depends only on (seed, sequence id, k, sex).
    """
    joints = check_sequence(world_joints, fps)
    series = measure_series(joints, float(fps), available, rotations, trajectory)
    codes = motion_codes(series, available)
    key = pose_key(sequence_id)
    sentences = [write_motion_caption(codes, caption_rng(seed, key, k), variants[k % len(variants)], sex)
                 for k in range(captions)]
    return MotionDescription(codes, [" ".join(s.text for s in caption) for caption in sentences], sentences, series)
