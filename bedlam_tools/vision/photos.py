"""Photos -> the batch the description engine takes: canonical joints, NaN where a joint is not visible enough
in that image (so the posecodes needing it are skipped), and the raw estimates; "no person found" per input."""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bedlam_tools.pose_files import InputError
from posescript_pipeline.joints import to_smplh52
from posescript_pipeline.orientation import normalise

from .estimator import PoseEstimate, estimate

MIN_VISIBILITY = 0.5
ALWAYS_KEPT = (23, 24)
"""Hip landmarks, never hidden: they are the world origin and give the body's frame (without them nothing
could be described)."""
SKELETON, UP = "blazepose33", "-y"


class NoPersonError(InputError):
    """No person was found in an input; the message is one line naming it."""


def landmarks_to_joints(world: np.ndarray, visibility: np.ndarray, min_visibility: float = MIN_VISIBILITY):
    """World landmarks (N, 33, 3) in MediaPipe's axes and visibility (N, 33) -> (canonical joints (N, 52, 3)
    float32, NaN where a source landmark's visibility is below `min_visibility`; available (52,))."""
    hidden = np.asarray(visibility) < min_visibility
    hidden[:, list(ALWAYS_KEPT)] = False
    joints, available = to_smplh52(np.where(hidden[..., None], np.nan, world), SKELETON)
    joints, _ = normalise(joints, up=UP)
    return joints.astype(np.float32), available


@dataclass
class PhotoBatch:
    """The people found in a list of inputs, ready for `posescript_pipeline.describe.describe`."""
    names: list[str]                # per input
    estimates: list[PoseEstimate]   # per input
    rows: np.ndarray                # (F,) the inputs where a person was found
    joints: np.ndarray              # (F, 52, 3) canonical joints, NaN where not visible enough
    available: np.ndarray           # (52,) joints the landmarks give at all

    @property
    def errors(self) -> list[NoPersonError]:
        """One error per input where no person was found."""
        return [NoPersonError(f"{self.names[i]}: no person found") for i, e in enumerate(self.estimates)
                if not e.found]


def read_photos(images, names=None, *, detect: bool = True, min_visibility: float = MIN_VISIBILITY,
                workers: int = 1, **options) -> PhotoBatch:
    """Estimate one person per image (files, encoded bytes, arrays or PIL images) and convert them.

    detect=False for person-centred crops; min_visibility=0 keeps every joint; workers and options go to
    `estimator.estimate` (threads, batch, features, detection and presence thresholds)."""
    images = list(images)
    if names is None:
        names = [str(x) if isinstance(x, (str, Path)) else f"image {i}" for i, x in enumerate(images)]
    estimates = estimate(images, detect=detect, workers=workers, **options)
    rows = np.array([i for i, e in enumerate(estimates) if e.found], np.int64)
    world = np.stack([estimates[i].world for i in rows]) if len(rows) else np.zeros((0, 33, 3), np.float32)
    visibility = np.stack([estimates[i].visibility for i in rows]) if len(rows) else np.zeros((0, 33), np.float32)
    joints, available = landmarks_to_joints(world, visibility, min_visibility)
    return PhotoBatch(list(names), estimates, rows, joints, available)
