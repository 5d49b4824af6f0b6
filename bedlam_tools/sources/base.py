"""The interface every pose source implements.

A source gives, per split, cheap *candidates* (poses and joints only, no mesh, no image) and, for
the few candidates kept by farthest point sampling, an *image crop* of the person.
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

SPLITS = ("train", "val")


class RecordError(Exception):
    """One input record cannot be used (corrupt file, missing image...): it goes to rejects.jsonl."""


@dataclass
class Candidates:
    """Candidate poses of one split, one row per (person, frame), in a deterministic order."""
    ids: np.ndarray          # (N,) str, unique, stable across runs (e.g. "synthetic/s0012/q0003/f0042")
    subject_id: np.ndarray   # (N,) str; train and val share none (but BEDLAM, split by scene: see its card)
    sequence_id: np.ndarray  # (N,) str
    frame: np.ndarray        # (N,) int32, frame index in the sequence
    time_s: np.ndarray       # (N,) float32, time stamp in the sequence
    pose: np.ndarray         # (N, 52, 3) float32 SMPL-H axis-angle, root orientation-normalised (y up)
    betas: np.ndarray        # (N, B) float32 body shape in the source's own parameterisation
    joints: np.ndarray       # (N, 52, 3) float32 canonical joints (y up, hips along +x, pelvis at origin)
    body_model: str          # "anny" or "smplx"
    sex: np.ndarray | None = None  # (N,) "male", "female" or "" (unknown): the captions' gendered words follow it
    world_root: np.ndarray | None = None  # (N, 3) float32 axis-angle root before orientation normalisation (y up,
    # the sequence's own frame: the whole-body turn between two frames of a sequence); None when unknown
    extra: dict = field(default_factory=dict)    # per-row arrays a source needs to make images
    rejects: list = field(default_factory=list)  # [{"id": ..., "reason": ...}] records that could not be read

    def __post_init__(self):
        if self.sex is None:
            self.sex = np.full(len(self.ids), "", dtype="<U6")

    def __len__(self):
        return len(self.ids)

    def take(self, rows) -> "Candidates":
        """The candidates at `rows`, in that order (rejects are not carried)."""
        rows = np.asarray(rows)
        return Candidates(self.ids[rows], self.subject_id[rows], self.sequence_id[rows], self.frame[rows],
                          self.time_s[rows], self.pose[rows], self.betas[rows], self.joints[rows], self.body_model,
                          sex=self.sex[rows], world_root=None if self.world_root is None else self.world_root[rows],
                          extra={k: v[rows] for k, v in self.extra.items()})


@dataclass
class Crop:
    """An image crop of one person: encoded bytes, the crop box in the source image, and a path."""
    data: bytes                      # encoded image (PNG or JPEG)
    box: tuple[int, int, int, int]   # x0, y0, x1, y1 in the source image
    path: str                        # source image path, or a synthetic name


class Source(ABC):
    """A pose source. Subclasses are cheap to construct and picklable (they run in worker processes)."""
    name: str = ""
    shape_space: str = ""
    """What the candidates' betas are (a body's `shape_space`: "anny-phenotypes", "smpl-betas"); "" unknown."""
    has_rotations: bool = True
    """The candidates' `pose` holds joint rotations (photos: only joints are known)."""

    @abstractmethod
    def candidates(self, split: str) -> Candidates:
        """All candidate poses of a split."""

    @abstractmethod
    def crop(self, candidates: Candidates, row: int, size: tuple[int, int] = (256, 192)) -> Crop:
        """The (height, width) image crop of one candidate; raises RecordError when impossible."""

    def check(self):
        """Raise a UserError (one line) now if this source cannot give candidates (a missing folder...), before a
        build touches its output folder."""

    def notes(self, split: str) -> list[str]:
        """Sentences for the dataset card about how this source made the split (after `candidates(split)`),
        e.g. what it dropped and why; the builder stores them in the manifest."""
        return []

    def crops(self, candidates: Candidates, rows, size: tuple[int, int] = (256, 192)) -> list:
        """Crops of several candidates: a Crop or the RecordError per row. Sources that can batch
        (pose many meshes at once) override this."""
        out = []
        for row in rows:
            try:
                out.append(self.crop(candidates, row, size))
            except RecordError as err:
                out.append(err)
        return out
