"""Captions per second of `posescript_pipeline.describe`, single process.

10,000 poses (seeded random SMPL-H rotations around a standing pose, joints by the Anny skeleton),
described from joint coordinates only, then with joint rotations (adds the head-rotation codes);
one caption per pose (the full variant) and three (full, simplified, pruned), as BEDLAM-Script.
Reports captions/s, ms/pose and peak memory (tracemalloc peak of the call, and process max RSS).

    python benchmarks/bench_describe.py [--n 10000]
"""
import argparse
import resource

from workload import standing_rotations, timed

from posescript_pipeline.body import create
from posescript_pipeline.describe import describe


def run(label, n_captions, joints, rot):
    _, elapsed, peak = timed(lambda: describe(joints, rotations=rot, captions=n_captions),
                             lambda: describe(joints[:200], rotations=None if rot is None else rot[:200],
                                              captions=n_captions))
    total = len(joints) * n_captions
    print(f"{label:<34} {total / elapsed:>9,.0f} captions/s {1000 * elapsed / len(joints):>7.2f} ms/pose "
          f"{peak:>8.0f} MiB traced peak")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    n = parser.parse_args().n
    rot = standing_rotations(n)
    joints = create().joints(rot)
    print(f"{n:,} poses, single process")
    run("joint coordinates, 1 caption", 1, joints, None)
    run("joints + rotations, 1 caption", 1, joints, rot)
    run("joints + rotations, 3 captions", 3, joints, rot)
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
