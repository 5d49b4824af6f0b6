"""The on-disk state of one split's resumable build, shared by the BEDLAM-Script and BEDLAM-Fix builders.

`OUT/.build-<split>/` holds the configuration the build was started with, the result of its one global
step (selection, pair mining) and a record per completed shard (with the shard's sha256: a shard that changed
since is built again). A build started again with the same configuration reuses them and ends with the same
files; another configuration is refused once the first one has written a shard (before, it takes the folder
over). One build writes into a folder at a time (`folder_lock`). The split's entry in `OUT/manifest.json` and
its rejects file are written last.
"""
import fcntl
import json
import os
import shutil
import socket
import time
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pyarrow as pa

from .engine import run_tasks
from posescript_pipeline.errors import UserError

from .shards import (DATA_DIR, MANIFEST, read_manifest, sha256, shard_name, shard_problems, temporary_name,
                     write_atomic, write_text_atomic)

LOCK = ".lock"


class FolderBusy(UserError):
    """Another build is writing into the output folder."""


@contextmanager
def folder_lock(out: Path):
    """Hold the output folder for one build (an advisory lock the system releases if the process dies)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise FolderBusy(f"{out} is being written by {holder}; wait for it to end or use another --out") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} (since {time.strftime('%Y-%m-%d %H:%M:%S')})")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()

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
        """Create the folders and record the configuration; the reason to refuse if another build that wrote
        something is there (one that wrote no shard yet is replaced)."""
        config_file = self.dir / "config.json"
        wanted = json.dumps(key, sort_keys=True)
        if config_file.exists() and config_file.read_text() != wanted:
            if any(self.dir.glob("shard-*.json")) or self._in_manifest():
                return f"{self.out} holds a {self.split} build with another configuration ({config_file})"
            shutil.rmtree(self.dir)  # a build that stopped before its first shard: nothing to keep
        (self.out / DATA_DIR).mkdir(parents=True, exist_ok=True)
        self.dir.mkdir(exist_ok=True)
        write_text_atomic(wanted, config_file)
        return None

    def _in_manifest(self) -> bool:
        return (self.out / MANIFEST).exists() and self.split in read_manifest(self.out, self.dataset)["splits"]

    def finished(self, key: dict) -> bool:
        """This configuration's build of the split is complete: in the manifest, with every shard whole."""
        config_file = self.dir / "config.json"
        if not (config_file.exists() and config_file.read_text() == json.dumps(key, sort_keys=True)
                and self._in_manifest()):
            return False
        return not shard_problems(self.out, read_manifest(self.out, self.dataset), self.split)

    def cached(self, name: str, compute) -> dict[str, np.ndarray]:
        """The arrays of the global step `name`: computed once by compute() -> {name: array}, then read back."""
        path = self.dir / f"{name}.npz"
        if not path.exists():
            tmp = temporary_name(path).with_suffix(".npz")
            np.savez(tmp, **compute())
            tmp.replace(path)
        with np.load(path) as saved:
            return {key: saved[key] for key in saved.files}

    def shard_done(self, k: int) -> tuple[dict, list] | None:
        """(manifest entry, rejects) of shard k if its record exists and its parquet file still has the sha256
        the record holds (a missing or changed shard is built again)."""
        record, shard = self.dir / f"shard-{k:05d}.json", self.out / shard_name(self.split, k)
        if not (record.exists() and shard.exists()):
            return None
        saved = json.loads(record.read_text())
        return (saved["entry"], saved["rejects"]) if sha256(shard) == saved["entry"]["sha256"] else None

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


def run_shards(state: BuildState, shard_tasks: list[list[tuple]], fn, *, sizes: list[list[int]], bar, workers=0,
               engine="local", ray_address=None) -> tuple[list[dict], list]:
    """Build the shards that are not done yet. Shard k is the concatenation, in order, of the (table, rejects)
    that fn(*args) gives for each args of shard_tasks[k]; it is written as soon as all of them are back.
    The tasks are fixed by the data, not by the worker count, so every engine writes the same shards.
    sizes[k][j]: rows of task j of shard k (for the progress bar). Returns (entries, rejects) in shard order."""
    entries, rejects = [None] * len(shard_tasks), [None] * len(shard_tasks)
    todo, parts = [], {}
    for k, tasks in enumerate(shard_tasks):
        if (done := state.shard_done(k)) is not None:
            entries[k], rejects[k] = done
            bar.update(sum(sizes[k]))
            continue
        parts[k] = [None] * len(tasks)
        todo += [(k, j, args) for j, args in enumerate(tasks)]
    for i, result in run_tasks(fn, [args for _, _, args in todo], workers=workers, engine=engine,
                               ray_address=ray_address):
        k, j, _ = todo[i]
        parts[k][j] = result
        bar.update(sizes[k][j])
        if all(part is not None for part in parts[k]):
            done = parts.pop(k)
            shard_rejects = [r for _, task_rejects in done for r in task_rejects]
            table = pa.concat_tables([t for t, _ in done]).combine_chunks()
            entries[k], rejects[k] = state.save_shard(k, table, shard_rejects), shard_rejects
    return entries, [r for shard in rejects for r in shard]
