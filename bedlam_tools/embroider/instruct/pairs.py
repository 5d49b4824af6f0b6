"""BEDLAM-Fix pairs and the frozen representations of their poses and images.

A pair's A and B are BEDLAM-Script rows (`id_a`, `id_b`) of the script folder the pairs were built from
(recorded in the pairs manifest). Representations (spec 11.1): PoseEmbroider's intermodality token z of one
modality alone (LayerNorm output, no head); the Aligner's L2-normalised reference embedding. They are computed
once per split for every script row and cached in the generator's folder.
"""
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from ... import shards
from .. import EmbroiderError
from ..features import split_features, split_key
from ..runs import checkpoint_path, device, load_run

INPUT_MODALITIES = ("image", "pose")
REPRESENTATIONS = {
    "embroider": lambda model, modality, reference: model.intermodality({modality: reference}, (modality,)),
    "aligner": lambda model, modality, reference: reference,
}
"""Model kind -> the frozen representation of one modality, from its reference embedding."""


@dataclass
class PairSet:
    """One split's pairs; item p of every field is pair p."""
    pair_ids: list[str]
    id_a: list[str]
    id_b: list[str]
    instructions: list[list[str]]  # 1 to 3 non-empty texts each
    poses_a: np.ndarray  # (P, 22, 3) float32 axis-angle
    poses_b: np.ndarray

    def __len__(self):
        return len(self.pair_ids)

    def take(self, rows) -> "PairSet":
        rows = np.asarray(rows, int)
        pick = lambda values: [values[r] for r in rows]
        return PairSet(pick(self.pair_ids), pick(self.id_a), pick(self.id_b), pick(self.instructions),
                       self.poses_a[rows], self.poses_b[rows])


def read_pairs(pairs_dir: Path, split: str) -> PairSet:
    """The pairs of a split of a BEDLAM-Fix folder (pairs without any instruction left out)."""
    columns = ["pair_id", "id_a", "id_b", "instructions", "pose_a", "pose_b"]
    table = shards.read_rows(pairs_dir, split, columns=columns, dataset="bedlam-fix")
    if table is None or table.num_rows == 0:
        raise EmbroiderError(f"{pairs_dir}: no {split} pairs; build them with `bedlam-fix pairs`")
    texts = [[t for t in row if t] for row in table.column("instructions").to_pylist()]
    pairs = PairSet(table.column("pair_id").to_pylist(), table.column("id_a").to_pylist(),
                    table.column("id_b").to_pylist(), texts,
                    *(shards.to_vectors(table.column(side))[:, :NUM_BODY_JOINTS] for side in ("pose_a", "pose_b")))
    return pairs.take([p for p, row in enumerate(texts) if row])


def script_folder(pairs_dir: Path, split: str) -> Path:
    """The BEDLAM-Script folder a split's pairs were built from (the pairs manifest's `script`)."""
    entry = shards.read_manifest(pairs_dir, "bedlam-fix")["splits"].get(split)
    if entry is None:
        raise EmbroiderError(f"{pairs_dir}: no {split} split in {shards.MANIFEST}")
    if not entry.get("script"):
        raise EmbroiderError(f"{pairs_dir}/{shards.MANIFEST}: field script: the BEDLAM-Script folder is not recorded; "
                             "pass --script")
    return Path(entry["script"])


def represent(model, kind: str, modality: str, features: torch.Tensor) -> torch.Tensor:
    """(B, D) frozen representations of one modality's frozen features."""
    return REPRESENTATIONS[kind](model, modality, model.projections.forward_one(modality, features))


@torch.no_grad()
def split_representations(run_dir: Path, script_dir: Path, split: str, cache: Path, checkpoint: str = "best") -> dict:
    """{"ids", "subjects", "image" (N, D), "pose" (N, D)} of every row of a script split, cached in `cache`
    (keyed by the split's shards and the run's checkpoint)."""
    config, encoders, model = load_run(run_dir, checkpoint)
    weights = hashlib.sha256(checkpoint_path(run_dir, checkpoint).read_bytes()).hexdigest()[:12]
    path = Path(cache) / f"representations-{split}-{split_key(script_dir, split)}-{weights}.pt"
    if path.exists():
        return torch.load(path, weights_only=True)
    features = split_features(encoders, script_dir, split)
    result = {"ids": features["ids"], "subjects": features["subjects"]}
    for modality in INPUT_MODALITIES:
        result[modality] = torch.cat([represent(model, config.model.kind, modality, chunk.to(device())).cpu()
                                      for chunk in features[modality].split(1024)])
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(result, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)
    return result


def pair_rows(pairs: PairSet, ids: list[str], where: str) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the pairs' A and B among `ids` (the script split's), or an error naming the first missing."""
    index = {i: r for r, i in enumerate(ids)}
    for field, values in (("id_a", pairs.id_a), ("id_b", pairs.id_b)):
        missing = next((v for v in values if v not in index), None)
        if missing is not None:
            raise EmbroiderError(f"{where}: field {field}: pose {missing!r} is not in the BEDLAM-Script split")
    return np.array([index[i] for i in pairs.id_a]), np.array([index[i] for i in pairs.id_b])


def pose_row(script_dir: Path, row_id: str) -> dict:
    """A BEDLAM-Script row by id: {"pose": (1, 22, 3) float32, "image": the crop {bytes, path}}."""
    row = shards.read_row(script_dir, row_id)
    return {"pose": np.asarray(row["pose"], np.float32)[None, :NUM_BODY_JOINTS], "image": row["image"]}
