"""Captions per second of `posescript_pipeline.describe`, single process.

10,000 poses (seeded random SMPL-H rotations around a standing pose, joints by the Anny skeleton),
described from joint coordinates only, then with joint rotations (adds the head-rotation codes);
one caption per pose (the full variant) and three (full, simplified, pruned), as BEDLAM-Script.
Reports captions/s, ms/pose and peak memory (tracemalloc peak of the call, and process max RSS).

    python benchmarks/bench_describe.py [--n 10000]
"""
import argparse
import resource
import time
import tracemalloc

import numpy as np

from posescript_pipeline.body import joints_from_rotations
from posescript_pipeline.describe import describe


def poses(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    rot = rng.normal(0, 0.35, (n, 52, 3)).astype(np.float32)
    rot[:, 0] = 0
    rot[:, 16, 2] -= 1.2  # arms down from the T-pose, so the poses look like people standing
    rot[:, 17, 2] += 1.2
    return joints_from_rotations(rot), rot


def run(label, n_captions, joints, rot):
    describe(joints[:200], rotations=rot[:200] if rot is not None else None, captions=n_captions)  # warm-up
    start = time.perf_counter()
    describe(joints, rotations=rot, captions=n_captions)
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # a second, traced run: tracing slows it, so it is not timed
    describe(joints, rotations=rot, captions=n_captions)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    total = len(joints) * n_captions
    print(f"{label:<34} {total / elapsed:>9,.0f} captions/s {1000 * elapsed / len(joints):>7.2f} ms/pose "
          f"{peak:>8.0f} MiB traced peak")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    n = parser.parse_args().n
    joints, rot = poses(n)
    print(f"{n:,} poses, single process")
    run("joint coordinates, 1 caption", 1, joints, None)
    run("joints + rotations, 1 caption", 1, joints, rot)
    run("joints + rotations, 3 captions", 3, joints, rot)
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
