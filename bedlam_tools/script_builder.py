"""BEDLAM-Script: candidates -> farthest point sampling -> annotated, rendered parquet shards.

Stages: (1) the source's candidate poses (cheap), (2) selection by farthest point sampling on the
22 canonical body joints, (3) one task per shard: image crops, self-contacts, captions,
posecodes, written atomically, (4) manifest, rejects and dataset card. A build that stops and is
started again reuses its selection and its completed shards and ends with the same files.
"""
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from posescript_pipeline.body import create
from posescript_pipeline.errors import UserError
from posescript_pipeline.sampling import farthest_point_sampling
from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from . import shards
from .annotate import annotate
from .build_state import BuildState, folder_lock, run_shards
from .sources.base import SPLITS, Candidates, RecordError, Source

DEFAULT_N = {"train": 50_000, "val": 10_000}
SELECTION_JOINTS = NUM_BODY_JOINTS
TASK_ROWS = 250
"""Rows of one task (a shard is built by several, so that every worker has work even with one shard)."""


@dataclass(frozen=True)
class BuildConfig:
    split: str
    n: int
    source: str = "synthetic"
    root: str | None = None
    seed: int = 0
    rows_per_shard: int = 2000
    image_size: tuple[int, int] = (256, 192)
    contacts: bool = True
    model_dir: str | None = None
    image_root: str | None = None   # bedlam: images kept apart from the csv files (default: root)
    csv_root: str | None = None     # bedlam: the csv files' tree (default: root)
    motion_dir: str | None = None   # bedlam: the motion folder (default: found below root)
    split_by: str = "scene"         # bedlam: "scene" (published) or "subject" (no subject in both splits)
    min_visibility: float = 0.5     # photos: landmarks below this visibility are left out

    def key(self) -> dict:
        """What the output depends on (workers and engine do not change it)."""
        return {**asdict(self), "image_size": list(self.image_size)}


class BuildError(UserError):
    """A build that cannot start (one-line message for the user)."""


def _synthetic(config: BuildConfig) -> Source:
    from .sources.synthetic import SyntheticSource
    return SyntheticSource(seed=config.seed)


def _bedlam(config: BuildConfig) -> Source:
    from .sources.bedlam import BedlamSource
    return BedlamSource(config.root, model_dir=config.model_dir, image_root=config.image_root,
                        csv_root=config.csv_root, motion_dir=config.motion_dir, split_by=config.split_by)


def _amass(config: BuildConfig) -> Source:
    from .sources.amass import AmassSource
    return AmassSource(config.root, model_dir=config.model_dir)


def _photos(config: BuildConfig) -> Source:
    from .sources.photos import PhotoSource
    return PhotoSource(config.root, min_visibility=config.min_visibility)


SOURCES = {"synthetic": (_synthetic, False), "bedlam": (_bedlam, True), "amass": (_amass, True),
           "photos": (_photos, True)}
"""Source name -> (its factory, whether it needs --root)."""


def make_source(config: BuildConfig) -> Source:
    if config.source not in SOURCES:
        raise BuildError(f"unknown source {config.source!r}; expected one of {', '.join(SOURCES)}")
    factory, needs_root = SOURCES[config.source]
    if needs_root and config.root is None:
        raise BuildError(f"--source {config.source} needs --root DIR (the folder of your {config.source} data)")
    return factory(config)


def build_shard(source: Source, cands: Candidates, ranks: np.ndarray, config: BuildConfig) -> tuple[pa.Table, list]:
    """One shard's rows (those whose crop could be made) and the rejects; `ranks` are the rows'
    selection ranks."""
    crops = source.crops(cands, range(len(cands)), config.image_size)
    good = [i for i, c in enumerate(crops) if not isinstance(c, RecordError)]
    rejects = [{"id": str(cands.ids[i]), "stage": "image", "reason": str(c)} for i, c in enumerate(crops)
               if isinstance(c, RecordError)]
    kept = cands.take(good)
    notes = annotate(kept, seed=config.seed, contacts=config.contacts and source.has_rotations,
                     model_dir=config.model_dir, rotations=source.has_rotations)
    n = len(kept)
    columns = {
        "id": kept.ids.astype(str), "split": [config.split] * n, "source": [source.name] * n,
        "selection_rank": np.asarray(ranks, np.int32)[good],
        "subject_id": kept.subject_id.astype(str), "sequence_id": kept.sequence_id.astype(str),
        "frame": kept.frame.astype(np.int32), "time_s": kept.time_s.astype(np.float32),
        "pose": shards.vectors(kept.pose), "world_root": world_root_column(kept),
        "joints": shards.vectors(kept.joints),
        "betas": [b.tolist() for b in kept.betas.astype(np.float32)], "body_model": [kept.body_model] * n,
        "sex": kept.sex.astype(str),
        "image": [{"bytes": crops[i].data, "path": crops[i].path} for i in good],
        "crop_box": [list(crops[i].box) for i in good], **notes,
    }
    said = np.array([any(captions) for captions in notes["captions"]], bool)
    rejects += [{"id": str(kept.ids[i]), "stage": "captions", "reason": "nothing to describe: no posecode could "
                 "be measured (too few joints known)"} for i in np.flatnonzero(~said)]
    return pa.table(columns, schema=shards.SCRIPT_SCHEMA).filter(pa.array(said)), rejects


def world_root_column(cands: Candidates) -> list:
    """The `world_root` cells: one 3-vector per row, None for all when the source has no such roots."""
    if cands.world_root is None:
        return [None] * len(cands)
    return np.asarray(cands.world_root, np.float32).tolist()


def selection_joints(joints: np.ndarray) -> np.ndarray:
    """The body joints farthest point sampling measures; a joint a pose lacks (NaN, a joint not seen in a photo)
    counts as that joint's median over the candidates."""
    body = np.asarray(joints[:, :SELECTION_JOINTS], np.float32)
    missing = np.isnan(body)
    if missing.any():
        seen = ~missing.all(axis=0)  # joints no candidate has (BlazePose's collars) stay 0
        median = np.zeros(body.shape[1:], np.float32)
        median[seen] = np.nanmedian(body[:, seen], axis=0)
        body = np.where(missing, median, body)
    return body


class ScriptBuild:
    """One split's build into an output folder (train and val may share the folder)."""

    def __init__(self, config: BuildConfig, out: Path, source: Source | None = None):
        if config.split not in SPLITS:
            raise BuildError(f"unknown split {config.split!r}; expected one of {', '.join(SPLITS)}")
        self.config, self.out = config, Path(out)
        self.source = source or make_source(config)
        self.state = BuildState(self.out, config.split, "bedlam-script")
        self.timings: dict[str, float] = {}

    def run(self, workers: int = 0, engine: str = "local", ray_address: str | None = None, progress: bool = True):
        """Build the split (or resume it); {stage: seconds}, empty when it was already complete."""
        self._check()
        with folder_lock(self.out):
            if self.state.finished(self.config.key()):
                return self.timings
            self._prepare()
            cands = self._stage("candidates", lambda: self.source.candidates(self.config.split))
            selected = self._stage("selection", lambda: self._select(cands, progress))
            entries, rejects = self._stage("shards", lambda: self._shards(self.source, cands, selected, workers,
                                                                           engine, ray_address, progress))
            self._stage("card", lambda: self._finish(cands, selected, entries, rejects))
        return self.timings

    def _check(self):
        """Everything that can be checked before the folder is touched: the source's files, the body model."""
        self.source.check()
        if self.config.model_dir is not None:
            create(model_dir=self.config.model_dir)

    def _stage(self, name, fn):
        start = time.perf_counter()
        result = fn()
        self.timings[name] = time.perf_counter() - start
        return result

    def _prepare(self):
        if refused := self.state.claim(self.config.key()):
            raise BuildError(f"{refused}; use another --out or delete it")

    def _select(self, cands: Candidates, progress: bool) -> np.ndarray:
        n = min(self.config.n, len(cands))
        if n == 0:
            raise BuildError(f"the {self.config.source} source has no {self.config.split} candidates")
        return self.state.cached("selection", lambda: {"indices": farthest_point_sampling(
            selection_joints(cands.joints), n, progress=progress).indices})["indices"]

    def _shards(self, source, cands, selected, workers, engine, ray_address, progress):
        """Rows in candidate order (subject, sequence, frame: neighbours share a body, which makes
        meshing and rendering cheap), each with its selection rank; each shard is built by tasks of
        TASK_ROWS rows."""
        size = self.config.rows_per_shard
        order = np.argsort(selected, kind="stable")  # order[i]: the selection rank of row i
        rows = selected[order]
        shard_tasks, sizes = [], []
        for start in range(0, len(rows), size):
            parts = range(start, min(start + size, len(rows)), TASK_ROWS)
            spans = [slice(p, min(p + TASK_ROWS, start + size, len(rows))) for p in parts]
            shard_tasks.append([(source, cands.take(rows[span]), order[span], self.config) for span in spans])
            sizes.append([span.stop - span.start for span in spans])
        with tqdm(total=len(rows), unit="pose", desc=f"{self.config.split} shards", disable=not progress) as bar:
            return run_shards(self.state, shard_tasks, build_shard, sizes=sizes, bar=bar, workers=workers,
                              engine=engine, ray_address=ray_address)

    def _finish(self, cands, selected, entries, rejects):
        from .card import write_card

        all_rejects = [{"stage": "candidates", **r} for r in cands.rejects] + rejects
        write_card(self.out, self.state.finish({
            "config": self.config.key(),
            "counts": {"candidates": len(cands), "candidate_rejects": len(cands.rejects), "selected": len(selected),
                       "rows": sum(e["rows"] for e in entries), "rejects": len(all_rejects)},
            "selection": {"method": "farthest point sampling", "distance": "mean per-joint distance, 22 canonical "
                          "body joints", "start": 0, "order": "rows in candidate order; selection_rank gives the "
                          "sampling order"},
            "shards": entries, "source_notes": self.source.notes(self.config.split),
            "shape_space": self.source.shape_space,
        }, all_rejects))
