"""Parquet shards: the row schema, atomic writes, checksums, and reading a dataset back.

Shards are written to a temporary name and renamed when complete, so a shard file that exists is
whole. The schema follows DESIGN section 6 and carries Hugging Face features in its metadata: with
`datasets.load_dataset("parquet", ...)`, `image` (a struct of bytes and path) loads as a `datasets.Image`
and the 52x3 poses and joints as (52, 3) arrays with `.with_format("numpy")`.
"""
import hashlib
import json
import os
import secrets
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from posescript_pipeline.body.backends.anny import PHENOTYPES
from posescript_pipeline.errors import UserError

from .hf_features import IMAGE_FEATURE, with_features

COMPRESSION = "zstd"
_VEC3 = pa.list_(pa.list_(pa.float32()))

SHAPE_SPACES = {
    "anny-phenotypes": "Anny phenotypes " + ", ".join(PHENOTYPES) + ", each in [0, 1] (gender 0 male, 1 female)",
    "smpl-betas": "SMPL-X shape coefficients (betas)",
}
"""What the `betas` column holds, by the source's shape space (the manifest's `shape_space`)."""

POSECODE = pa.struct([("kind", pa.string()), ("subject", pa.string()), ("second", pa.string()),
                      ("category", pa.string()), ("value", pa.float32())])
CONTACT = pa.struct([("part_a", pa.string()), ("part_b", pa.string())])
IMAGE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])

SCRIPT_SCHEMA = with_features(pa.schema([
    ("id", pa.string()), ("split", pa.string()), ("source", pa.string()), ("selection_rank", pa.int32()),
    ("subject_id", pa.string()),
    ("sequence_id", pa.string()), ("frame", pa.int32()), ("time_s", pa.float32()),
    ("pose", _VEC3), ("world_root", pa.list_(pa.float32())), ("joints", _VEC3), ("betas", pa.list_(pa.float32())),
    ("body_model", pa.string()), ("sex", pa.string()),
    ("image", IMAGE), ("crop_box", pa.list_(pa.int32())), ("captions", pa.list_(pa.string())),
    ("posecodes", pa.list_(POSECODE)), ("contacts", pa.list_(CONTACT)),
]), {"image": IMAGE_FEATURE})
SCRIPT_COLUMNS_HELP = {
    "id": "unique pose id (source/subject/sequence/frame)",
    "split": "train or val (disjoint by subject; BEDLAM by scene, as published)",
    "source": "synthetic, bedlam or amass",
    "selection_rank": "rank in the farthest point sampling order (the first N ranks are the N most diverse poses)",
    "subject_id": "person identity", "sequence_id": "motion sequence", "frame": "frame index in the sequence",
    "time_s": "time stamp in the sequence (s)",
    "pose": "52x3 SMPL-H axis-angle (root, 21 body, 2x15 hand joints), root orientation-normalised, y up",
    "world_root": "root axis-angle before the orientation normalisation (y up, in the sequence's own frame: "
                  "compare it between frames of one sequence only); null when the source has no rotations",
    "joints": "52x3 canonical joints (m; y up, body facing +z, +x = body's left, pelvis at origin)",
    "betas": "body shape in the source's parameterisation (see `SHAPE_SPACES`)",
    "body_model": "anny or smplx",
    "sex": "male, female, or empty when the source does not know (or the body is in between); the captions' "
           "gendered words follow it, and are neutral when it is empty",
    "image": "person crop {bytes, path} (datasets.Image convention)",
    "crop_box": "x0, y0, x1, y1 of the crop in the source image",
    "captions": "3 captions: full, simplified, full with pruning",
    "posecodes": "describable posecodes {kind, subject, second, category, value} (noise-free)",
    "contacts": "self-contacts on the body mesh {part_a, part_b}",
}

# BEDLAM-Fix: pairs of BEDLAM-Script poses, A (start) -> B (target); paircodes reuse the posecode struct.
PAIR_TYPES = ("in", "out-same-subject", "out-other-subject")
"""The values of `pair_type`: in sequence, out of sequence with the same subject, with another subject."""
FIX_SCHEMA = with_features(pa.schema([
    ("pair_id", pa.string()), ("split", pa.string()), ("pair_type", pa.string()), ("id_a", pa.string()),
    ("id_b", pa.string()), ("same_subject", pa.bool_()), ("in_sequence", pa.bool_()), ("time_diff_s", pa.float32()),
    ("rotation_change", pa.float32()), ("similarity", pa.float32()), ("posecode_difference", pa.int32()),
    ("instructions", pa.list_(pa.string())), ("paircodes", pa.list_(POSECODE)), ("pose_a", _VEC3), ("pose_b", _VEC3),
]), {})
FIX_COLUMNS_HELP = {
    "pair_id": "unique pair id (split-number; in-sequence pairs first)", "split": "train or val",
    "pair_type": "in (same sequence, B < 0.5 s after A), out-same-subject, out-other-subject",
    "id_a": "BEDLAM-Script id of pose A (start)", "id_b": "BEDLAM-Script id of pose B (target)",
    "same_subject": "A and B show the same person", "in_sequence": "A and B come from the same sequence",
    "time_diff_s": "time of B minus time of A (s); null out of sequence",
    "rotation_change": "degrees the whole body turns about the vertical from A to B (+ = to the left; past about "
                       "20 degrees a turn sentence starts the instructions); null out of sequence or when the "
                       "poses' un-normalised roots are unknown",
    "similarity": "semantic similarity of A and B used for mining (cosine)",
    "posecode_difference": "number of posecode categories that differ between A and B",
    "instructions": "up to 3 instructions from A to B (normal, simplified, normal); empty ones dropped",
    "paircodes": "measured paircodes {kind, subject, second, category, value = A - B} and super-paircodes "
                 "(noise-free, neutral ones left out)",
    "pose_a": "52x3 SMPL-H axis-angle of A (as in BEDLAM-Script)", "pose_b": "52x3 SMPL-H axis-angle of B",
}


def vectors(array: np.ndarray) -> pa.Array:
    """(N, J, 3) floats -> list<list<float32>> column."""
    array = np.ascontiguousarray(array, np.float32)
    n, j, d = array.shape
    inner = pa.FixedSizeListArray.from_arrays(pa.array(array.reshape(-1)), d).cast(pa.list_(pa.float32()))
    return pa.ListArray.from_arrays(pa.array(np.arange(0, n * j + 1, j, dtype=np.int32)), inner)


def to_vectors(column) -> np.ndarray:
    """A list<list<float32>> column of 3-vectors -> (N, J, 3) float32 (the inverse of `vectors`)."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    flat = column.flatten().flatten().to_numpy(zero_copy_only=False)
    return flat.astype(np.float32).reshape(len(column), -1, 3)


def decode_image(image: dict) -> np.ndarray:
    """An `image` cell ({bytes, path}: JPEG or PNG bytes) -> (H, W, 3) uint8 RGB."""
    from .images import decode

    return decode(image["bytes"])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def temporary_name(path: Path) -> Path:
    """A name beside `path` that no other writer uses (process id and random suffix), hidden, ending in .tmp."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def write_atomic(table: pa.Table, path: Path) -> dict:
    """Write a parquet file under a temporary name, then rename it; returns its manifest entry."""
    path = Path(path)
    tmp = temporary_name(path)
    try:
        pq.write_table(table, tmp, compression=COMPRESSION, row_group_size=256)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return {"file": f"{path.parent.name}/{path.name}", "rows": table.num_rows, "sha256": sha256(path)}


def write_text_atomic(text: str, path: Path):
    path = Path(path)
    tmp = temporary_name(path)
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


DATA_DIR = "data"  # shards live in DIR/data/, so DIR/data is a plain parquet dataset for every reader
MANIFEST = "manifest.json"
WRITERS = {"bedlam-script": "`bedlam-script build`", "bedlam-fix": "`bedlam-fix pairs`"}
"""Dataset kind (the manifest's "dataset") -> the command that writes such a folder."""


class DatasetError(UserError):
    """A dataset folder that is missing, incomplete, damaged or of another kind."""


def read_manifest(directory, dataset: str | None = None) -> dict:
    """The manifest of a dataset folder, checked to be one (of kind `dataset` when given); DatasetError if not."""
    path = Path(directory) / MANIFEST
    expected = f"expected a folder written by {WRITERS.get(dataset, ' or '.join(WRITERS.values()))}"
    if not path.is_file():
        raise DatasetError(f"{directory}: no {MANIFEST}; {expected}")
    try:
        content = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DatasetError(f"{path}: not a valid manifest ({err}); {expected}") from None
    if not isinstance(content, dict) or not isinstance(content.get("splits"), dict) \
            or content.get("dataset") not in WRITERS:
        raise DatasetError(f"{path}: not a dataset manifest (no 'dataset' and 'splits'); {expected}")
    if dataset is not None and content["dataset"] != dataset:
        raise DatasetError(f"{directory}: a {content['dataset']} folder; {expected}")
    return content


def shard_name(split: str, index: int) -> str:
    return f"{DATA_DIR}/{split}-{index:05d}.parquet"


def shard_problems(directory, manifest: dict, split: str | None = None) -> list[str]:
    """One line per shard of the manifest (of one split, or of all) that is missing or no longer matches its
    sha256; empty when every shard is whole."""
    problems = []
    for name, entry in sorted(manifest["splits"].items()):
        if split is not None and name != split:
            continue
        for shard in entry["shards"]:
            path = Path(directory) / shard["file"]
            if not path.is_file():
                problems.append(f"{path}: missing (the manifest lists it with {shard['rows']:,} rows)")
            elif sha256(path) != shard["sha256"]:
                problems.append(f"{path}: sha256 differs from {MANIFEST} (the file changed after it was written)")
    return problems


def verified_shards(directory, split: str | None = None, dataset: str | None = None) -> list[Path]:
    """The shard files of a dataset folder (or of one split) in order, each checked against its sha256 in the
    manifest; DatasetError names the first one that is missing or changed."""
    manifest = read_manifest(directory, dataset)
    if split is not None and split not in manifest["splits"]:
        raise DatasetError(f"{directory}: no {split} split in {MANIFEST} (it has {', '.join(manifest['splits'])})")
    if problems := shard_problems(directory, manifest, split):
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DatasetError(f"{problems[0]}{more}; run `{WRITERS[manifest['dataset']].strip('`')} ...` again with the "
                           "same options to rebuild it, or `verify` the folder")
    return shard_files(directory, manifest, split)


def shard_files(directory, manifest: dict, split: str | None = None) -> list[Path]:
    """The shard files the manifest lists (of one split, or of all), in order (not checked: see verified_shards)."""
    names = [name for name in sorted(manifest["splits"]) if split is None or name == split]
    return [Path(directory) / shard["file"] for name in names for shard in manifest["splits"][name]["shards"]]


def read_row(directory: Path, row_id: str) -> dict:
    """The row of a dataset folder with that id (shards verified), or DatasetError."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    files = [str(f) for f in verified_shards(directory)]
    rows = ds.dataset(files, format="parquet").to_table(filter=pc.field("id") == row_id)
    if rows.num_rows == 0:
        raise DatasetError(f"{directory}: no row with id {row_id!r}")
    return rows.to_pylist()[0]


def read_rows(directory: Path, split: str | None = None, columns=None, dataset: str | None = None) -> pa.Table:
    """All rows of a dataset folder (or of one split), in shard order, the shards verified against the manifest;
    None when the split has no rows."""
    files = verified_shards(directory, split, dataset)
    return pa.concat_tables([pq.read_table(f, columns=columns) for f in files]) if files else None
