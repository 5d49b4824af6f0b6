"""The representation the heads regress from, per input, and the regression targets of a split.

Inputs: "image", "text", "image+text". PoseEmbroider: z = intermodality(references, subset), the LayerNorm output
at the global token; Aligner: the re-normalised mean of the available reference embeddings (its query). Text
inputs keep all 3 captions ((N, 3, D)); the image input is (N, D). Cached per split in `cache_dir`, keyed by the
split's shards and the run's checkpoint.
"""
import hashlib
from pathlib import Path

import numpy as np
import torch

from ... import shards
from .. import EmbroiderError
from ..data import body_poses
from ..features import _save, split_features, split_key
from ..runs import checkpoint_path, device, load_run

INPUTS = {"image": ("image",), "text": ("text",), "image+text": ("image", "text")}
"""Input name -> the modalities it gives the model (alphabetical, as the model orders tokens)."""
REPRESENTATIONS = {
    "embroider": lambda model, references, subset: model.intermodality(references, subset),
    "aligner": lambda model, references, subset: model.query(references, subset)["pose"],  # the same mix for every target
}
"""Model kind -> the representation of a subset of modalities."""
CHUNK = 1024


@torch.no_grad()
def represent(kind: str, model, features: dict, subset: tuple) -> torch.Tensor:
    """(B, D) representation of the features {modality: (B, W)} of a subset (other modalities may be absent)."""
    references = {m: model.projections.forward_one(m, features[m].to(device())) for m in subset}
    return REPRESENTATIONS[kind](model, references, subset).cpu()


def run_fingerprint(run_dir: Path, which: str) -> str:
    return hashlib.sha256(checkpoint_path(run_dir, which).read_bytes()).hexdigest()[:12]


def split_representations(run_dir: Path, data_dir: Path, split: str, cache_dir: Path, which: str = "best") -> dict:
    """{input: (N, D) or (N, 3, D) float32, "ids": [...], "subjects": [...]} of a split, cached in `cache_dir`."""
    path = Path(cache_dir) / f"z-{split}-{split_key(data_dir, split)}-{run_fingerprint(run_dir, which)}.pt"
    if path.exists():
        return torch.load(path, weights_only=True)
    config, encoders, model = load_run(run_dir, which)
    features = split_features(encoders, data_dir, split)
    n = len(features["ids"])
    out = {"ids": features["ids"], "subjects": features["subjects"]}
    for name, subset in INPUTS.items():
        captions = range(3) if "text" in subset else [None]
        per_caption = [torch.cat([represent(config.model.kind, model, _take(features, slice(s, s + CHUNK), k), subset)
                                  for s in range(0, n, CHUNK)]) for k in captions]
        out[name] = torch.stack(per_caption, 1) if "text" in subset else per_caption[0]
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    _save(out, path)
    return out


def _take(features: dict, rows: slice, caption: int | None) -> dict:
    picked = {"image": features["image"][rows]}
    if caption is not None:
        picked["text"] = features["text"][rows, caption]
    return picked


def choose(values: torch.Tensor, rows, captions) -> torch.Tensor:
    """The representations of some rows: (N, D) as is, (N, 3, D) at one caption per row (or one for all)."""
    rows = torch.as_tensor(rows)
    return values[rows] if values.dim() == 2 else values[rows, torch.as_tensor(captions)]


def split_targets(data_dir: Path, split: str, ids: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(poses (N, 22, 3) axis-angle, body shapes (N, S) float32: the row's `betas`) of a split, checked to be
    in the order of `ids` when given."""
    table = shards.read_rows(data_dir, split, columns=["id", "pose", "betas"], dataset="bedlam-script")
    if table is None or table.num_rows == 0:
        raise EmbroiderError(f"{data_dir}: no {split} shards; build them with `bedlam-script build --split {split}`")
    if ids is not None and table.column("id").to_pylist() != list(ids):
        raise EmbroiderError(f"{data_dir}: field id: the {split} rows differ from the cached features; "
                             "delete the features folder and run again")
    betas = table.column("betas").to_pylist()
    if len({len(b) for b in betas}) != 1:
        raise EmbroiderError(f"{data_dir}: field betas: {split} rows hold betas of different lengths")
    return body_poses(table), np.asarray(betas, np.float32).reshape(len(betas), -1)
