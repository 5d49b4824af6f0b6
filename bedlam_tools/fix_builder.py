"""BEDLAM-Fix: pose pairs mined from a BEDLAM-Script output, with three comparative instructions each.

Stages: (1) read the split's poses, (2) similarity features (model-free posecode statements, or a
trained PoseEmbroider's pose embeddings), (3) pair mining (one global step, memory linear in N),
(4) one task per shard of pairs: instructions A -> B and paircodes, written atomically, (5) manifest,
rejects and dataset card. A build that stops and is started again reuses its mined pairs and its
completed shards and ends with the same files.
"""
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from posescript_pipeline.compare import compare, rotation_change
from posescript_pipeline.errors import UserError

from . import shards
from .build_state import BuildState, folder_lock, run_shards
from .fix_card import write_fix_card
from .pair_mining import MiningConfig, Pairs, PoseTable, mine_pairs, posecode_categories, posecode_features

POSE_COLUMNS = ["id", "subject_id", "sequence_id", "time_s", "selection_rank", "joints", "pose", "contacts"]
WORLD_ROOT = "world_root"
"""The optional BEDLAM-Script column of the un-normalised roots (folders written before it have none)."""
MODEL_FREE = "posecodes"
TASK_PAIRS = 1000
"""Pairs of one task (a shard is written by several)."""


class FixError(UserError):
    """A build that cannot start (one-line message for the user)."""


@dataclass(frozen=True)
class FixConfig:
    split: str
    similarity: str = MODEL_FREE    # or "embroider:RUN"
    seed: int = 0
    rows_per_shard: int = 2000
    mining: MiningConfig = field(default_factory=MiningConfig)

    def key(self) -> dict:
        return asdict(self)


def read_poses(script_dir: Path, split: str) -> pa.Table:
    content = shards.read_manifest(script_dir, "bedlam-script")
    if split not in content["splits"]:
        raise FixError(f"{script_dir}: no {split} split in manifest.json")
    first = shards.shard_files(script_dir, content, split)[:1]
    known = first and first[0].is_file() and WORLD_ROOT in pq.read_schema(first[0]).names
    optional = [WORLD_ROOT] if known else []  # a missing shard: read_rows says so
    table = shards.read_rows(script_dir, split, columns=POSE_COLUMNS + optional, dataset="bedlam-script")
    if table is None or table.num_rows < 2:
        raise FixError(f"{script_dir}: the {split} split has fewer than 2 poses; nothing to pair")
    return table


def similarity_features(table: pa.Table, similarity: str, categories) -> tuple[np.ndarray, np.ndarray]:
    """(features, scale) such that cosine(i, j) = features[i] @ features[j] * scale[i] * scale[j]."""
    if similarity == MODEL_FREE:
        return posecode_features(*categories)
    kind, _, run = similarity.partition(":")
    if kind != "embroider" or not run:
        raise FixError(f"--similarity {similarity!r}: expected {MODEL_FREE} or embroider:RUN")
    if not Path(run).is_dir():
        raise FixError(f"--similarity {similarity}: embroider run not found: {run}")
    try:
        from .embroider import EmbroiderError
        from .embroider.inference import pose_embeddings
    except ImportError as err:
        raise FixError(f"--similarity {similarity}: embroider trainer not installed ({err})") from None
    try:
        emb = np.asarray(pose_embeddings(run, table), np.float32)
    except EmbroiderError as err:
        raise FixError(f"--similarity {similarity}: {err}") from None
    if emb.ndim != 2 or len(emb) != table.num_rows or not np.isfinite(emb).all():
        raise FixError(f"--similarity {similarity}: embeddings of shape {emb.shape}; expected ({table.num_rows}, D), "
                       "finite")
    norm = np.linalg.norm(emb, axis=1)
    return emb, np.where(norm > 0, 1 / np.maximum(norm, 1e-12), 0).astype(np.float32)


def pose_table(table: pa.Table, similarity: str) -> PoseTable:
    cats, supers = posecode_categories(shards.to_vectors(table.column("joints")))
    features, scale = similarity_features(table, similarity, (cats, supers))
    subject, sequence = (table.column(c).to_numpy(zero_copy_only=False).astype(str) for c in ("subject_id",
                                                                                                 "sequence_id"))
    return PoseTable(ids=table.column("id").to_numpy(zero_copy_only=False).astype(str),
                     group=np.unique(np.char.add(np.char.add(subject, "\0"), sequence), return_inverse=True)[1],
                     subject=np.unique(subject, return_inverse=True)[1],
                     time_s=table.column("time_s").to_numpy().astype(np.float64),
                     order=table.column("selection_rank").to_numpy(),
                     categories=np.concatenate([cats, supers], axis=1).astype(np.int8),
                     features=features, scale=scale)


def world_roots(poses: pa.Table) -> np.ndarray:
    """(N, 3) roots before orientation normalisation (y up, the sequence's frame), NaN where unknown."""
    out = np.full((poses.num_rows, 3), np.nan)
    if WORLD_ROOT in poses.column_names:
        column = poses.column(WORLD_ROOT).combine_chunks()
        known = column.is_valid()
        out[known.to_numpy(zero_copy_only=False)] = column.filter(known).flatten().to_numpy().reshape(-1, 3)
    return out


def turns(pairs: Pairs, world: np.ndarray) -> np.ndarray:
    """(P,) degrees the body turns about the vertical from A to B, for in-sequence pairs (one frame: the
    sequence's) whose roots are known; NaN for the others."""
    out = np.full(len(pairs), np.nan)
    known = pairs.in_sequence & np.isfinite(world[pairs.a]).all(1) & np.isfinite(world[pairs.b]).all(1)
    out[known] = rotation_change(world[pairs.a[known]], world[pairs.b[known]])
    return out


def pair_types(pairs: Pairs, subject: np.ndarray) -> np.ndarray:
    same = subject[pairs.a] == subject[pairs.b]
    return np.where(pairs.in_sequence, shards.PAIR_TYPES[0], np.where(same, shards.PAIR_TYPES[1], shards.PAIR_TYPES[2]))


def _paircode_rows(rows: list[dict]) -> list[dict]:
    return [{"kind": r["kind"], "subject": r["parts"][0], "second": r["parts"][1] if len(r["parts"]) > 1 else "",
             "category": r["category"], "value": r.get("value", float("nan"))}
            for r in rows if r["category"] != "ignored"]


def write_instructions(job: dict, seed: int) -> tuple[pa.Table, list]:
    """One shard: three instructions per pair (A -> B), after the whole-body turn sentence where the job has
    a `rotation_change` (optional, degrees, NaN: none); pairs with nothing to say go to the rejects."""
    ids_a, ids_b = job["id_a"], job["id_b"]
    turn = np.asarray(job.get("rotation_change", np.full(len(ids_a), np.nan)), np.float64)
    result = compare(job["joints_a"], job["joints_b"], job["pose_a"], job["pose_b"], seed=seed,
                     pair_ids=[f"{a}->{b}" for a, b in zip(ids_a, ids_b)], texts=3,
                     contacts_a=job["contacts_a"], contacts_b=job["contacts_b"], rotation_change=turn)
    texts = [[t for t in row if t] for row in result.texts]
    good = [p for p, row in enumerate(texts) if row]
    rejects = [{"pair_id": job["pair_id"][p], "id_a": ids_a[p], "id_b": ids_b[p], "stage": "instructions",
                "reason": "no difference to describe (all 3 instructions empty)"} for p, row in enumerate(texts)
               if not row]
    columns = {name: [job[name][p] for p in good] for name in ("pair_id", "pair_type", "id_a", "id_b",
                                                                 "same_subject", "in_sequence", "time_diff_s",
                                                                 "similarity", "posecode_difference")}
    columns["time_diff_s"] = [None if np.isnan(t) else t for t in columns["time_diff_s"]]
    columns["rotation_change"] = [None if np.isnan(turn[p]) else float(turn[p]) for p in good]
    table = pa.table({**columns, "split": [job["split"]] * len(good), "instructions": [texts[p] for p in good],
                      "paircodes": [_paircode_rows(result.paircodes(p)) for p in good],
                      "pose_a": shards.vectors(job["pose_a"][good]), "pose_b": shards.vectors(job["pose_b"][good])})
    return table.select(shards.FIX_SCHEMA.names).cast(shards.FIX_SCHEMA), rejects


class FixBuild:
    """One split's BEDLAM-Fix build from a BEDLAM-Script folder into an output folder."""

    def __init__(self, config: FixConfig, script_dir: Path, out: Path, card_images: str = "render"):
        self.config, self.script_dir, self.out = config, Path(script_dir), Path(out)
        self.card_images = card_images
        self.state = BuildState(self.out, config.split, "bedlam-fix")

    def run(self, workers: int = 0, engine: str = "local", ray_address: str | None = None, progress: bool = True):
        """Mine the split's pairs and write their instructions (or resume); False when it was already complete."""
        poses = read_poses(self.script_dir, self.config.split)
        with folder_lock(self.out):
            if self.state.finished(self._key()):
                return False
            table = pose_table(poses, self.config.similarity)
            self._prepare()
            pairs = self._pairs(table, progress)
            entries, rejects = self._shards(poses, table, pairs, workers, engine, ray_address, progress)
            self._finish(poses, table, pairs, entries, rejects)
        return True

    def _key(self) -> dict:
        script = shards.read_manifest(self.script_dir, "bedlam-script")["splits"][self.config.split]
        return {**self.config.key(), "script_shards": [e["sha256"] for e in script["shards"]]}

    def _prepare(self):
        if refused := self.state.claim(self._key()):
            raise FixError(f"{refused}: other poses or options; use another --out or delete it")

    def _pairs(self, table: PoseTable, progress: bool) -> Pairs:
        return Pairs(**self.state.cached("pairs", lambda: asdict(mine_pairs(table, self.config.mining,
                                                                            self.config.seed, progress))))

    def _jobs(self, poses: pa.Table, table: PoseTable, pairs: Pairs) -> list[list[dict]]:
        """Per shard, its tasks: TASK_PAIRS consecutive pairs each, with everything `write_instructions` needs."""
        joints, rot = shards.to_vectors(poses.column("joints")), shards.to_vectors(poses.column("pose"))
        contacts = [[(c["part_a"], c["part_b"]) for c in row] for row in poses.column("contacts").to_pylist()]
        types, turn = pair_types(pairs, table.subject), turns(pairs, world_roots(poses))
        split = self.config.split

        def job(s: slice) -> dict:
            a, b = pairs.a[s], pairs.b[s]
            return {"split": split, "pair_id": [f"{split}-{k:06d}" for k in range(s.start, s.start + len(a))],
                    "pair_type": types[s].tolist(), "id_a": table.ids[a].tolist(), "id_b": table.ids[b].tolist(),
                    "same_subject": (table.subject[a] == table.subject[b]).tolist(),
                    "in_sequence": pairs.in_sequence[s].tolist(), "time_diff_s": pairs.time_diff[s].tolist(),
                    "rotation_change": turn[s],
                    "similarity": pairs.similarity[s].tolist(), "posecode_difference": pairs.difference[s].tolist(),
                    "joints_a": joints[a], "joints_b": joints[b], "pose_a": rot[a], "pose_b": rot[b],
                    "contacts_a": [contacts[i] for i in a], "contacts_b": [contacts[i] for i in b]}

        size = self.config.rows_per_shard
        return [[job(slice(start, min(start + TASK_PAIRS, first + size, len(pairs))))
                 for start in range(first, min(first + size, len(pairs)), TASK_PAIRS)]
                for first in range(0, len(pairs), size)]

    def _shards(self, poses, table, pairs, workers, engine, ray_address, progress):
        jobs = self._jobs(poses, table, pairs)
        tasks = [[(job, self.config.seed) for job in shard] for shard in jobs]
        sizes = [[len(job["id_a"]) for job in shard] for shard in jobs]
        with tqdm(total=len(pairs), unit="pair", desc=f"{self.config.split} instructions", disable=not progress) as bar:
            return run_shards(self.state, tasks, write_instructions, sizes=sizes, bar=bar, workers=workers,
                              engine=engine, ray_address=ray_address)

    def _finish(self, poses, table, pairs, entries, rejects):
        split = self.config.split
        types = pair_types(pairs, table.subject)
        rejected = {r["pair_id"] for r in rejects}
        kept = np.array([f"{split}-{k:06d}" not in rejected for k in range(len(pairs))], bool)
        manifest = self.state.finish({
            "config": self.config.key(), "script": str(self.script_dir),
            "counts": {"poses": poses.num_rows, "mined": len(pairs), "rows": sum(e["rows"] for e in entries),
                       "rejects": len(rejects), **{t: int((types[kept] == t).sum()) for t in shards.PAIR_TYPES},
                       "poses_in_pairs": int(len(np.union1d(pairs.a[kept], pairs.b[kept])))},
            "shards": entries,
        }, rejects)
        write_fix_card(self.out, manifest, self.script_dir, self.card_images)
