"""Golden outputs: what the toolkit wrote before a refactoring, to prove the refactoring changes nothing.

`python -m tests.golden` (re)writes `tests/golden/*`; `test_golden.py` recomputes the same outputs with the
current code and compares. Regenerate only when a change is meant to change outputs, and say why in the commit.
- describe.jsonl: `posescript describe --all --format jsonl` on every example file (50 poses), contacts on;
- compare.jsonl: `posescript compare --format json` on 20 example frame pairs;
- library.json: `describe` and `compare` of 200 random poses / pairs (captions and the records they came from);
- build.json: a small synthetic BEDLAM-Script build (2 shards, process pool): every column but the image,
  which is kept as its sha256.
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
DESCRIBE_FILES = (  # (file, frames (None: all), extra arguments): 12 + 9 + 13 + 13 + 3 frames = 50 poses
    ("amass_poses.npz", None, []), ("smplx_params.npz", None, []),
    ("joints_h36m17.npy", None, ["--skeleton", "h36m17"]), ("joints_coco17.npz", None, ["--skeleton", "coco17"]),
    ("joints_smplh52.npy", (0, 1, 2), []),
)
COMPARE_PAIRS = [("smplx_params.npz", a, b) for a, b in ((0, 3), (1, 5), (2, 8), (4, 6), (7, 0), (8, 8))] + \
                [("amass_poses.npz", a, b) for a, b in ((0, 6), (1, 11), (3, 9), (5, 2), (10, 4), (11, 7))] + \
                [("joints_smplh52.npy", a, b) for a, b in ((0, 4), (2, 9), (6, 12), (11, 1))] + \
                [("joints_smpl24.npy", a, b) for a, b in ((0, 7), (3, 12), (5, 8), (9, 10))]


def _cli(*args):
    from click.testing import CliRunner

    from cli.posescript import main

    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exit_code != 0:
        raise RuntimeError(f"posescript {' '.join(map(str, args))} failed: {result.output}")
    return result.output


def describe_lines() -> list[dict]:
    rows = []
    for name, frames, extra in DESCRIBE_FILES:
        for selection in (["--all"],) if frames is None else (["--frame", f] for f in frames):
            rows += [json.loads(line) for line in _cli("describe", EXAMPLES / name, *selection, "--format", "jsonl",
                                                       *extra).splitlines()]
    for row in rows:
        row["file"] = Path(row["file"]).name
    return rows


def compare_lines() -> list[dict]:
    rows = []
    for name, a, b in COMPARE_PAIRS:
        row = json.loads(_cli("compare", EXAMPLES / name, EXAMPLES / name, "--frame-a", a, "--frame-b", b,
                              "--format", "json"))
        row["a"]["file"] = row["b"]["file"] = name
        rows.append(row)
    return rows


def _random_poses(seed, n):
    from posescript_pipeline.body import create
    from posescript_pipeline.orientation import normalise

    rng = np.random.default_rng(seed)
    pose = (rng.normal(0, 0.35, (n, 52, 3)) * (np.arange(52) < 22)[:, None]).astype(np.float32)
    joints, root = normalise(create().joints(pose), root_rotvec=pose[:, 0])
    pose[:, 0] = root
    return joints, pose


def library() -> dict:
    from posescript_pipeline.compare import compare
    from posescript_pipeline.describe import describe

    joints, pose = _random_poses(7, 200)
    described = describe(joints, None, pose, seed=3, pose_ids=[f"p{i}" for i in range(200)], captions=3)
    joints_b, pose_b = _random_poses(8, 200)
    compared = compare(joints, joints_b, pose, pose_b, seed=5, pair_ids=[f"q{i}" for i in range(200)], texts=3)
    joints_only = describe(joints, None, None, seed=1, captions=2)
    return {"describe": {"captions": described.captions, "records": described.records},
            "describe_joints": joints_only.captions,
            "compare": {"texts": compared.texts, "records": compared.records}}


def small_build(out: Path, **engine):
    """A small synthetic build (2 shards; a process pool unless `engine` says otherwise) into `out`."""
    from bedlam_tools.script_builder import BuildConfig, ScriptBuild
    from bedlam_tools.sources.synthetic import SyntheticSource

    config = BuildConfig(split="train", n=24, seed=2, rows_per_shard=12)
    ScriptBuild(config, out, SyntheticSource(seed=2, n_subjects=12, sequences_per_subject=3)).run(
        **{"workers": 2, **engine}, progress=False)
    return out


def build_rows(out: Path, **engine) -> list[dict]:
    """The rows of `small_build`, images as sha256."""
    import pyarrow.parquet as pq

    small_build(out, **engine)
    rows = []
    for path in sorted((out / "data").glob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            row["image"] = {"sha256": hashlib.sha256(row["image"]["bytes"]).hexdigest(), "path": row["image"]["path"]}
            for column in ("pose", "joints", "betas"):  # exact bits, beside the rounded values
                row[f"{column}_sha256"] = hashlib.sha256(np.asarray(row[column], np.float32).tobytes()).hexdigest()
            rows.append(row)
    return rows


def canonical(value):
    """JSON-ready value with floats rounded to 6 significant digits (tuples as lists)."""
    return json.loads(json.dumps(value, default=float), parse_float=lambda s: float(f"{float(s):.6g}"))


def write_all():
    import tempfile

    GOLDEN.mkdir(exist_ok=True)
    (GOLDEN / "describe.jsonl").write_text("".join(json.dumps(r) + "\n" for r in canonical(describe_lines())))
    (GOLDEN / "compare.jsonl").write_text("".join(json.dumps(r) + "\n" for r in canonical(compare_lines())))
    (GOLDEN / "library.json").write_text(json.dumps(canonical(library())) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        (GOLDEN / "build.json").write_text(json.dumps(canonical(build_rows(Path(tmp) / "out"))) + "\n")


if __name__ == "__main__":
    sys.exit(write_all())
