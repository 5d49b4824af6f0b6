"""A tiny in-memory pose source for builder tests: crafted and random poses, flat-colour crops."""
import io

import numpy as np
from PIL import Image

from bedlam_tools.sources.base import Candidates, Crop, RecordError, Source
from posescript_pipeline.body import create
from posescript_pipeline.orientation import normalise


class ToySource(Source):
    """`n` poses per split over 4 subjects (train s0-s2, val s3); the pose whose id ends with
    `broken` (by default the first, which farthest point sampling always keeps) cannot be cropped."""
    name = "toy"

    def __init__(self, n: int = 40, broken: str = "f0000"):
        self.n, self.broken = n, broken

    def candidates(self, split: str) -> Candidates:
        rng = np.random.default_rng({"train": 0, "val": 1}[split])
        pose = rng.normal(0, 0.4, (self.n, 52, 3)).astype(np.float32)
        pose[:, 0] = 0
        joints, _ = normalise(create().joints(pose))
        subjects = ["s3"] * self.n if split == "val" else [f"s{i % 3}" for i in range(self.n)]
        return Candidates(
            ids=np.array([f"toy/{s}/q0/f{i:04d}" for i, s in enumerate(subjects)]), subject_id=np.array(subjects),
            sequence_id=np.array([f"{s}/q0" for s in subjects]), frame=np.arange(self.n, dtype=np.int32),
            time_s=(np.arange(self.n) / 6).astype(np.float32), pose=pose, betas=np.zeros((self.n, 6), np.float32),
            joints=joints, body_model="anny", rejects=[{"id": "toy/unreadable", "reason": "corrupt test record"}])

    def crop(self, candidates, row, size=(256, 192)):
        if str(candidates.ids[row]).endswith(self.broken):
            raise RecordError("image file is corrupt (test)")
        colour = tuple(int(c) for c in np.abs(candidates.joints[row, 20] * 200) % 255)
        buffer = io.BytesIO()
        Image.new("RGB", size[::-1], colour).save(buffer, format="PNG")
        return Crop(buffer.getvalue(), (0, 0, size[1], size[0]), f"toy/{row}.png")
