"""BEDLAM-Script rows -> arrays: body poses, decoded crops, tokenised captions, subject splits.

Text uses a small word-level vocabulary built from the training captions (no hub tokenizer).
"""
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from .. import shards
from . import EmbroiderError


PAD, UNK, BOS, EOS = 0, 1, 2, 3
SPECIALS = ("<pad>", "<unk>", "<bos>", "<eos>")
_WORD = re.compile(r"[a-z]+|[0-9]+|[^\sa-z0-9]")


@dataclass
class Items:
    """One split's rows as arrays; item i of every field is the same record."""
    ids: np.ndarray  # (N,) str
    subjects: np.ndarray  # (N,) str
    poses: np.ndarray  # (N, 22, 3) float32 axis-angle
    images: np.ndarray | list  # (N, 3, H, W) uint8 decoded crops, or the N encoded crops (image_size None)
    captions: list[list[str]]  # N lists of 3

    def __len__(self):
        return len(self.ids)


def body_poses(table: pa.Table) -> np.ndarray:
    """The `pose` column's 22 body joint rotations, (N, 22, 3) float32."""
    return shards.to_vectors(table.column("pose"))[:, :NUM_BODY_JOINTS]


def decode_images(table: pa.Table, size: tuple[int, int]) -> np.ndarray:
    """The `image` crops (JPEG/PNG bytes) -> (N, 3, H, W) uint8, resized (bicubic, antialiased)."""
    from PIL import Image
    from tqdm import tqdm

    height, width = size
    out = np.empty((table.num_rows, 3, height, width), np.uint8)
    for i, image in enumerate(tqdm(table.column("image").to_pylist(), desc="decode crops", unit="img",
                                   leave=False, disable=table.num_rows < 500)):
        picture = Image.open(io.BytesIO(image["bytes"])).convert("RGB").resize((width, height), Image.BICUBIC)
        out[i] = np.asarray(picture).transpose(2, 0, 1)
    return out


def read_split(data_dir: Path, split: str, image_size: tuple[int, int] | None) -> Items:
    """A split of a BEDLAM-Script folder, crops resized to `image_size` (H, W), or kept encoded (None)."""
    data_dir = Path(data_dir)
    table = shards.read_rows(data_dir, split, columns=["id", "subject_id", "pose", "captions", "image"],
                             dataset="bedlam-script")
    if table is None or table.num_rows == 0:
        raise EmbroiderError(f"{data_dir}: no {split} shards ({shards.DATA_DIR}/{split}-*.parquet); "
                             f"build them with `bedlam-script build --split {split}`")
    captions = table.column("captions").to_pylist()
    if any(len(c) == 0 for c in captions):
        raise EmbroiderError(f"{data_dir}: field captions: every {split} row needs at least one caption")
    return Items(ids=np.asarray(table.column("id").to_pylist()),
                 subjects=np.asarray(table.column("subject_id").to_pylist()),
                 poses=body_poses(table),
                 images=decode_images(table, image_size) if image_size else
                 [image["bytes"] for image in table.column("image").to_pylist()],
                 captions=[[c[k % len(c)] for k in range(3)] for c in captions])


def holdout_by_subject(subjects: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (fit, holdout): a `fraction` of the subjects (at least one) is held out entirely."""
    unique = np.unique(subjects)
    rng = np.random.default_rng(seed)
    held = rng.permutation(unique)[:max(1, round(fraction * len(unique)))]
    mask = np.isin(subjects, held)
    if mask.all() or not mask.any():
        raise EmbroiderError(f"cannot hold out {fraction:.0%} of {len(unique)} subject(s) for validation")
    return np.flatnonzero(~mask), np.flatnonzero(mask)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Vocabulary:
    """Word-level vocabulary; unknown words map to <unk>."""

    def __init__(self, tokens: list[str]):
        self.tokens = list(tokens)
        self.index = {t: i for i, t in enumerate(self.tokens)}

    @classmethod
    def build(cls, texts, min_count: int = 1) -> "Vocabulary":
        counts = Counter(w for text in texts for w in words(text))
        return cls(list(SPECIALS) + sorted(w for w, c in counts.items() if c >= min_count))

    def __len__(self):
        return len(self.tokens)

    def encode(self, texts: list[str], max_tokens: int) -> tuple[np.ndarray, np.ndarray]:
        """Texts -> (ids (N, L) int64 with <bos>/<eos>, right-padded; lengths (N,)), cut at `max_tokens`."""
        rows = [[BOS] + [self.index.get(w, UNK) for w in words(t)][:max_tokens - 2] + [EOS] for t in texts]
        lengths = np.array([len(r) for r in rows], np.int64)
        ids = np.full((len(rows), lengths.max()), PAD, np.int64)
        for i, r in enumerate(rows):
            ids[i, :len(r)] = r
        return ids, lengths

    def encode_captions(self, captions: list[list[str]], max_tokens: int) -> tuple[np.ndarray, np.ndarray]:
        """N lists of 3 captions -> (ids (N, 3, L), lengths (N, 3))."""
        ids, lengths = self.encode([c for caps in captions for c in caps], max_tokens)
        return ids.reshape(len(captions), 3, -1), lengths.reshape(len(captions), 3)

    def save(self, path: Path):
        Path(path).write_text(json.dumps(self.tokens) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        return cls(json.loads(Path(path).read_text()))
