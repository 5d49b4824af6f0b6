"""The on-disk state of one split's resumable build, shared by the BEDLAM-Script and BEDLAM-Fix builders.

`OUT/.build-<split>/` holds the configuration the build was started with, the result of its one global
step (selection, pair mining) and a record per completed shard. A build started again with the same
configuration reuses them and ends with the same files; another configuration in the same folder is refused.
The split's entry in `OUT/manifest.json` and its rejects file are written last.
"""
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pyarrow as pa

from .shards import DATA_DIR, MANIFEST, read_manifest, shard_name, write_atomic, write_text_atomic

VERSIONED_PACKAGES = ("posescript-toolkit", "numpy", "pyarrow", "anny", "torch", "pyrender")


def versions() -> dict:
    """Installed versions of the packages an output depends on (None when missing)."""
    out = {}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


class BuildState:
    """One split's build state in an output folder (several splits may share the folder)."""

    def __init__(self, out: Path, split: str, dataset: str):
        self.out, self.split, self.dataset = Path(out), split, dataset
        self.dir = self.out / f".build-{split}"

    def claim(self, key: dict) -> str | None:
        """Create the folders and record the configuration; the reason to refuse if another one is there."""
        (self.out / DATA_DIR).mkdir(parents=True, exist_ok=True)
        self.dir.mkdir(exist_ok=True)
        config_file = self.dir / "config.json"
        wanted = json.dumps(key, sort_keys=True)
        if config_file.exists() and config_file.read_text() != wanted:
            return f"{self.out} holds a {self.split} build with another configuration ({config_file})"
        write_text_atomic(wanted, config_file)
        return None

    def cached(self, name: str, compute) -> dict[str, np.ndarray]:
        """The arrays of the global step `name`: computed once by compute() -> {name: array}, then read back."""
        path = self.dir / f"{name}.npz"
        if not path.exists():
            tmp = self.dir / f"{name}.tmp.npz"
            np.savez(tmp, **compute())
            tmp.replace(path)
        with np.load(path) as saved:
            return {key: saved[key] for key in saved.files}

    def shard_done(self, k: int) -> tuple[dict, list] | None:
        """(manifest entry, rejects) of shard k if both its parquet file and its record exist."""
        record = self.dir / f"shard-{k:05d}.json"
        if not (record.exists() and (self.out / shard_name(self.split, k)).exists()):
            return None
        saved = json.loads(record.read_text())
        return saved["entry"], saved["rejects"]

    def save_shard(self, k: int, table: pa.Table, rejects: list) -> dict:
        entry = write_atomic(table, self.out / shard_name(self.split, k))
        write_text_atomic(json.dumps({"entry": entry, "rejects": rejects}), self.dir / f"shard-{k:05d}.json")
        return entry

    def finish(self, entry: dict, rejects: list) -> dict:
        """Write the rejects file and the split's entry (plus versions and the rejects file's name) into
        manifest.json; returns the whole manifest."""
        rejects_file = f"rejects-{self.split}.jsonl"
        write_text_atomic("".join(json.dumps(r, sort_keys=True) + "\n" for r in rejects), self.out / rejects_file)
        path = self.out / MANIFEST
        manifest = read_manifest(self.out, self.dataset) if path.exists() else {"dataset": self.dataset, "splits": {}}
        manifest["splits"][self.split] = {**entry, "versions": versions(), "rejects_file": rejects_file}
        write_text_atomic(json.dumps(manifest, indent=2, sort_keys=True), path)
        return manifest
