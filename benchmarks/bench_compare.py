"""Instructions per second of `posescript_pipeline.compare`, single process.

Pairs of similar poses: A = seeded random SMPL-H rotations around a standing pose, B = A plus a random
change of every body joint (N(0, 0.25) rad), joints by the Anny skeleton. Measured from joint coordinates
only, then with joint rotations (adds the head-rotation paircodes); 1 instruction per pair, then 3
(normal, simplified, normal) as BEDLAM-Fix. Reports instructions/s, ms/pair and the traced peak memory.

    PYTHONPATH=. python benchmarks/bench_compare.py [--n 10000]
"""
import argparse
import resource

import numpy as np
from workload import standing_rotations, timed

from posescript_pipeline.body import create
from posescript_pipeline.compare import compare


def pairs(n: int, seed: int = 0):
    rot_a = standing_rotations(n, seed)
    rot_b = rot_a.copy()
    rot_b[:, 1:22] += np.random.default_rng(seed + 1).normal(0, 0.25, (n, 21, 3)).astype(np.float32)
    return create().joints(rot_a), create().joints(rot_b), rot_a, rot_b


def run(label, texts, ja, jb, ra, rb):
    rotations = (ra, rb) if ra is not None else (None, None)
    result, elapsed, peak = timed(lambda: compare(ja, jb, *rotations, texts=texts),
                                  lambda: compare(ja[:200], jb[:200], *(None if r is None else r[:200]
                                                                         for r in rotations), texts=texts))
    empty = sum(t == "" for row in result.texts for t in row)
    words = np.mean([len(t.split()) for row in result.texts for t in row if t])
    total = len(ja) * texts
    print(f"{label:<34} {total / elapsed:>9,.0f} instructions/s {1000 * elapsed / len(ja):>7.2f} ms/pair "
          f"{peak:>6.0f} MiB traced peak   {words:.0f} words on average, {empty} empty")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    n = parser.parse_args().n
    ja, jb, ra, rb = pairs(n)
    print(f"{n:,} pairs, single process")
    run("joint coordinates, 1 instruction", 1, ja, jb, None, None)
    run("joints + rotations, 1 instruction", 1, ja, jb, ra, rb)
    run("joints + rotations, 3 instructions", 3, ja, jb, ra, rb)
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
