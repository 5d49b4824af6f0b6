"""The shard stage of `bedlam-script build`, per step: ms/pose and poses/s.

Rows are drawn as a default build draws them: n of the split's candidates (here at random, standing in for
farthest point sampling), in candidate order, cut into tasks of TASK_ROWS rows; the timed rows are a run of
consecutive tasks at a seeded place. Each task is `build_shard`, the function the build runs.

One process (a fresh worker, set up as the build's are): every task under the engine's numeric setup, each
step timed by wrapping the function the build calls (`STEPS`; a wrapped call inside another counts for the
inner step only, so the steps add up to the total), in wall and CPU time. The body model, the OpenGL context
and a first subject are warmed up before timing; a new subject's calibration is part of "posing".
Pool: the same tasks on a local process pool of each `--workers` count, timed after every worker has built
one warm-up task (start-up not included; it is printed apart).

    python benchmarks/bench_build.py [--poses 500] [--workers 1,2,3] [--split train] [--n 50000]
                                     [--crops DIR]   # also save the first 24 timed crops as JPEG files
"""
import argparse
import importlib
import os
import time
from collections import defaultdict
from functools import wraps
from pathlib import Path

import numpy as np

from bedlam_tools import script_builder
from bedlam_tools.engine import numeric_setup, process_pool, run_task
from bedlam_tools.script_builder import DEFAULT_N, TASK_ROWS, BuildConfig, build_shard
from bedlam_tools.sources.synthetic import SyntheticSource

STEPS = (
    # (module, attribute path in it, step): where the build looks the function up
    ("bedlam_tools.sources.synthetic.scene", "SceneRenderer.pose", "posing (Anny, subject's body)"),
    ("bedlam_tools.render.bodies", "VertexNormals.__call__", "vertex normals"),
    ("bedlam_tools.sources.synthetic.scene", "vertex_normals", "vertex normals"),  # before issue 12
    ("bedlam_tools.render.raster", "MeshRaster.render", "rendering (OpenGL)"),
    ("pyrender.offscreen", "OffscreenRenderer.render", "rendering (OpenGL)"),  # the crops' renderer before issue 12
    ("bedlam_tools.sources.synthetic.scene", "background", "backdrop"),
    ("bedlam_tools.sources.synthetic.source", "encode", "JPEG"),
    ("bedlam_tools.sources.synthetic.scene", "SceneRenderer.render", "crop: camera, lights, compositing"),
    ("bedlam_tools.sources.synthetic.source", "SyntheticSource.crops", "crop: camera, lights, compositing"),
    ("posescript_pipeline.contact", "detect_contacts", "contacts: posing (Anny, default body)"),
    ("posescript_pipeline.contact", "ContactDetector.detect", "contacts: detection"),
    ("bedlam_tools.annotate", "describe", "captions (3 per pose)"),
    ("bedlam_tools.annotate", "true_categories", "captions (3 per pose)"),
    ("bedlam_tools.annotate", "describable_posecodes", "captions (3 per pose)"),
    ("bedlam_tools.script_builder", "build_shard", "rows and table"),
)


class StepTimer:
    """Exclusive (wall, CPU) seconds per step of nested wrapped calls; CPU time is the process's, all threads
    (on a shared machine it moves far less with the load than wall time)."""

    def __init__(self):
        self.seconds, self._stack, self._saved = defaultdict(lambda: np.zeros(2)), [], []

    def wrap(self, fn, step):
        @wraps(fn)
        def timed(*args, **kwargs):
            self._stack.append(np.zeros(2))
            start = np.array([time.perf_counter(), time.process_time()])
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = np.array([time.perf_counter(), time.process_time()]) - start
                inner = self._stack.pop()
                self.seconds[step] += elapsed - inner
                if self._stack:
                    self._stack[-1] += elapsed
        return timed

    def install(self):
        """Wrap every step this code has (until `uninstall`); the steps found."""
        found = []
        for module_name, path, step in STEPS:
            try:
                owner = importlib.import_module(module_name)
            except ImportError:
                continue
            *parents, name = path.split(".")
            for part in parents:
                owner = getattr(owner, part, None)
            if owner is not None and hasattr(owner, name):
                self._saved.append((owner, name, getattr(owner, name)))
                setattr(owner, name, self.wrap(getattr(owner, name), step))
                found.append(step)
        return list(dict.fromkeys(found))

    def uninstall(self):
        while self._saved:
            setattr(*self._saved.pop())


def tasks(split, n, poses, seed=0):
    """(source, warm-up task, timed tasks): `build_shard` arguments of a default build's rows."""
    source = SyntheticSource()
    cands = source.candidates(split)
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(cands), min(n, len(cands)), replace=False))
    n_tasks = max(1, -(-poses // TASK_ROWS))
    first = int(rng.integers(0, max(1, len(rows) // TASK_ROWS - n_tasks)))
    config = BuildConfig(split=split, n=n)
    spans = [rows[(first + k) * TASK_ROWS:(first + k + 1) * TASK_ROWS] for k in range(n_tasks)]
    spans[-1] = spans[-1][:poses - TASK_ROWS * (n_tasks - 1)]
    warm = rows[-8:]  # the split's last subject: not among the timed rows
    make = lambda r: (source, cands.take(r), np.arange(len(r)), config)  # noqa: E731
    return source, make(warm), [make(s) for s in spans]


def profile(warm, timed):
    """(steps found, {step: (wall, CPU) seconds}, total (wall, CPU), tables, OpenGL renderer) of the timed tasks,
    in this process."""
    timer = StepTimer()
    found = timer.install()
    with numeric_setup():
        script_builder.build_shard(*warm)  # the wrapped function
        timer.seconds.clear()
        start = np.array([time.perf_counter(), time.process_time()])
        tables = [script_builder.build_shard(*args)[0] for args in timed]
        total = np.array([time.perf_counter(), time.process_time()]) - start
    timer.uninstall()
    renderer_name = getattr(importlib.import_module("bedlam_tools.render.gl"), "renderer_name", None)
    return found, dict(timer.seconds), total, tables, renderer_name() if renderer_name else "pyrender"


def one_process(warm, timed, crops_dir=None):
    """The per-step profile, run in one fresh worker process (set up as the build's workers are)."""
    with process_pool(1) as pool:
        found, seconds, total, tables, renderer = pool.submit(profile, warm, timed).result()
    n = sum(len(t) for t in tables)
    print(f"\none process ({renderer}), {n} poses in {len(timed)} task(s) of <= {TASK_ROWS} rows "
          f"({len(set(np.concatenate([a[1].subject_id for a in timed])))} subjects): {total[0]:.1f} s")
    print(f"{'step':<40} {'ms/pose':>8} {'CPU ms':>8} {'share':>6}")
    for step in found:
        wall, cpu = 1000 * seconds.get(step, np.zeros(2)) / n
        print(f"{step:<40} {wall:8.2f} {cpu:8.2f} {cpu / (1000 * total[1] / n):6.1%}")
    wall, cpu = 1000 * total / n
    print(f"{'total':<40} {wall:8.2f} {cpu:8.2f}   ->  {n / total[0]:.1f} poses/s ({n / total[1]:.1f} per CPU "
          f"second)")
    if crops_dir:
        out = Path(crops_dir)
        out.mkdir(parents=True, exist_ok=True)
        for row in tables[0].slice(0, 24).to_pylist():
            (out / row["image"]["path"].replace("/", "_")).write_bytes(row["image"]["bytes"])
        print(f"first 24 crops: {out}")


def pooled(warm, timed, workers):
    n = sum(len(args[1]) for args in timed)
    print(f"\nprocess pool, {n} poses in {len(timed)} task(s)")
    for w in workers:
        start = time.perf_counter()
        with process_pool(w) as pool:
            list(pool.map(run_task, [build_shard] * w, [warm] * w))
            ready = time.perf_counter()
            list(pool.map(run_task, [build_shard] * len(timed), timed))
            seconds = time.perf_counter() - ready
        print(f"{w} worker(s): {n / seconds:6.1f} poses/s ({1000 * seconds / n:.1f} ms/pose of wall time; "
              f"start-up and warm-up {ready - start:.1f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poses", type=int, default=500)
    parser.add_argument("--workers", default="1,2,3", help="pool sizes to time, comma-separated ('' for none)")
    parser.add_argument("--split", default="train")
    parser.add_argument("--n", type=int, default=None, help="poses of the build the rows are drawn from "
                        "(default: the split's default)")
    parser.add_argument("--crops", default=None, help="save the first 24 timed crops (JPEG) in this folder")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"LP_NUM_THREADS={os.environ.get('LP_NUM_THREADS', 'unset')}")
    _, warm, timed = tasks(args.split, args.n or DEFAULT_N[args.split], args.poses)
    one_process(warm, timed, args.crops)
    if args.workers:
        pooled(warm, timed, [int(w) for w in args.workers.split(",")])
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
