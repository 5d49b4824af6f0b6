"""The user's own photos: one person per photo, their 3D joints estimated by BlazePose (`bedlam_tools.vision`).

Layout: every image below `root` (sorted by relative path). Splits: `root/train/` and `root/val/` when present,
else about 1/6 of the photos (by a hash of the relative path) are val. A candidate per photo where a person is
found (the others are rejects): id "photos/<relative path without suffix>", subject and sequence = the photo's
folder, frame 0. Joints: the `blazepose33` conversion, NaN where a landmark is not visible enough (so the
posecodes that need it are skipped). There are no joint rotations: `pose` is NaN, and no contacts or head
rotations are measured. Crops: the box of the visible landmarks, x1.25, padded to the crop's aspect.
"""
import hashlib
from pathlib import Path

import numpy as np

from posescript_pipeline.skeleton import NUM_BODY_JOINTS, NUM_JOINTS

from ..images import encode, pad_and_resize
from ..pose_files import InputError
from .base import SPLITS, Candidates, Crop, RecordError, Source

VAL_MODULUS = 6
MIN_KNOWN_SHARE = 0.5
"""A photo's person is a candidate when at least this share of the body joints BlazePose can give are visible."""
BOX_SCALE = 1.25
"""Landmarks are on the body's surface but miss the hair, hands and feet tips: a wider margin than BEDLAM's 1.1."""


def split_of(relative: str) -> str:
    """"val" for about 1/6 of the photos (sha256 of the relative path), "train" for the others."""
    return "val" if int(hashlib.sha256(relative.encode()).hexdigest(), 16) % VAL_MODULUS == 0 else "train"


class PhotoSource(Source):
    """Photos of people below a folder (see the module docstring)."""
    name = "photos"
    has_rotations = False

    def __init__(self, root, min_visibility: float = 0.5):
        self.root, self.min_visibility = Path(root), float(min_visibility)
        self.stats = {}

    def check(self):
        if not self.photos():
            raise InputError(f"{self.root}: no photo below this folder (expected .jpg, .png ... images)")

    def photos(self) -> list[Path]:
        from ..vision.images import is_image_file

        if not self.root.is_dir():
            raise InputError(f"{self.root}: photo folder not found")
        return sorted((p for p in self.root.rglob("*") if p.is_file() and is_image_file(p)),
                      key=lambda p: p.relative_to(self.root).as_posix())

    def split_photos(self, split: str) -> list[Path]:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        photos = self.photos()
        named = {s: [p for p in photos if p.relative_to(self.root).parts[0] == s] for s in SPLITS}
        if any(named.values()):
            return named[split]
        return [p for p in photos if split_of(p.relative_to(self.root).as_posix()) == split]

    def candidates(self, split: str) -> Candidates:
        from ..inputs import load_photos

        paths = self.split_photos(split)
        loaded = load_photos(paths, self.min_visibility)
        rejects = [{"id": self._id(Path(item.path)), "reason": str(item.error)} for item in loaded
                   if item.batch is None]
        found = []
        for item in (item for item in loaded if item.batch is not None):
            body = item.batch.available[:NUM_BODY_JOINTS]
            known = int((~np.isnan(item.batch.joints[0, :NUM_BODY_JOINTS, 0]) & body).sum())
            if known < MIN_KNOWN_SHARE * body.sum():
                rejects.append({"id": self._id(Path(item.path)), "reason": f"{item.path}: too little of the person "
                                f"is visible ({known} of {int(body.sum())} body joints)"})
            else:
                found.append(item)
        self.stats[split] = {"photos": len(paths), "with_a_person": len(found)}
        n = len(found)
        folders = [Path(item.path).relative_to(self.root).parent.as_posix() or "." for item in found]
        estimates = [item.batch.estimates[0] for item in found]
        return Candidates(
            ids=np.array([self._id(Path(item.path)) for item in found], dtype=str),
            subject_id=np.array(folders, dtype=str), sequence_id=np.array(folders, dtype=str),
            frame=np.zeros(n, np.int32), time_s=np.zeros(n, np.float32),
            pose=np.full((n, NUM_JOINTS, 3), np.nan, np.float32), betas=np.zeros((n, 0), np.float32),
            joints=np.concatenate([item.batch.joints for item in found]) if n else np.zeros((0, NUM_JOINTS, 3)),
            body_model="none",
            extra={"path": np.array([item.path for item in found], dtype=str),
                   "box": np.array([self._box(e) for e in estimates], np.float32).reshape(n, 4)},
            rejects=rejects)

    def _id(self, path: Path) -> str:
        return "photos/" + path.relative_to(self.root).with_suffix("").as_posix()

    def _box(self, estimate) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1 of the visible landmarks (all of them when none is visible enough)."""
        seen = estimate.visibility >= self.min_visibility
        points = estimate.landmarks[seen if seen.any() else slice(None), :2]
        return (*points.min(0), *points.max(0))

    def crop(self, candidates: Candidates, row: int, size: tuple[int, int] = (256, 192)) -> Crop:
        from ..vision.images import read_image

        try:
            image = read_image(candidates.extra["path"][row])
        except InputError as err:
            raise RecordError(str(err)) from None
        x0, y0, x1, y1 = candidates.extra["box"][row]
        centre, half = np.array([x0 + x1, y0 + y1]) / 2, np.array([x1 - x0, y1 - y0]) * BOX_SCALE / 2
        low = np.maximum(np.floor(centre - half), 0).astype(int)
        high = np.minimum(np.ceil(centre + half), image.size).astype(int)
        if (high <= low).any():
            raise RecordError(f"{candidates.extra['path'][row]}: empty person box")
        box = (*low.tolist(), *high.tolist())
        return Crop(encode(pad_and_resize(image.crop(box), size)), box, str(candidates.extra["path"][row]))

    def notes(self, split: str) -> list[str]:
        stats = self.stats.get(split, {})
        return [f"Photos: a person was found, and seen well enough, in {stats.get('with_a_person', 0):,} of "
                f"{stats.get('photos', 0):,} photos (the others are in the rejects file); their 3D joints are BlazePose GHUM 3D estimates "
                "(joints not visible enough are left out and so are the posecodes that need them).",
                "There are no joint rotations: the `pose` column is NaN, and no self-contacts or head rotations are "
                "measured or said."]
