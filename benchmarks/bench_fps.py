"""Time and peak memory of farthest point sampling on realistic SMPL body joints.

Two kinds of candidates: independent random poses (axis-angle ~ N(0, 0.3) on the 21 body joints), and smooth
100-frame motions (random-walk rotations), closer to real motion-capture frames with many near-duplicates.
Each case runs in a fresh process so that ru_maxrss (which includes making the data) is its own. "cpu s" is the
process CPU time (all threads) and "load" the 1-minute load average when the case ends: the machine is shared,
so compare seconds with the load in mind. tracemalloc slows the many small numpy calls of the sampler about 3x,
so the timed run is not traced; the traced peak comes from a second run of the first --traced-picks picks (the
sampler's large temporaries are those of the first picks, and its store is allocated up front).

    PYTHONPATH=. python benchmarks/bench_fps.py                       # 50,000 of 250,000 and of 1,000,000
    PYTHONPATH=. python benchmarks/bench_fps.py --n 2000 --candidates 20000
"""
import argparse
import multiprocessing
import os
import resource
import time
import tracemalloc

import numpy as np

from posescript_pipeline.body import create
from posescript_pipeline.sampling import farthest_point_sampling

BATCH = 50_000


def body_joints(rotvecs):
    """(m, 21, 3) body axis-angles -> (m, 22, 3) float32 joints (root rotation zero)."""
    full = np.zeros((len(rotvecs), 52, 3), np.float32)
    full[:, 1:22] = rotvecs
    return create().joints(full)[:, :22]


def candidates(kind, count, seed=0):
    """(count, 22, 3) joints of random poses ("random") or of 100-frame random-walk motions ("motion")."""
    rng = np.random.default_rng(seed)
    joints = np.empty((count, 22, 3), np.float32)
    for s in range(0, count, BATCH):
        m = min(BATCH, count - s)
        if kind == "random":
            rotvecs = rng.normal(0, 0.3, (m, 21, 3))
        else:
            n_seq = -(-m // 100)
            walk = np.cumsum(rng.normal(0, 0.02, (n_seq, 100, 21, 3)), axis=1)
            rotvecs = (rng.normal(0, 0.3, (n_seq, 1, 21, 3)) + walk).reshape(-1, 21, 3)[:m]
        joints[s : s + m] = body_joints(rotvecs)
    return joints


def run_case(kind, count, n, traced_picks, queue):
    joints = candidates(kind, count)
    t0, c0 = time.perf_counter(), time.process_time()
    result = farthest_point_sampling(joints, n)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    tracemalloc.start()
    farthest_point_sampling(joints, min(n, traced_picks))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put((seconds, cpu, peak, maxrss, joints.nbytes, float(result.pick_distance[-1]), os.getloadavg()[0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000, help="poses to pick")
    parser.add_argument("--candidates", type=int, nargs="+", default=[250_000, 1_000_000], help="candidate counts")
    parser.add_argument("--kinds", nargs="+", default=["random", "motion"], choices=["random", "motion"])
    parser.add_argument("--traced-picks", type=int, default=2000, help="picks of the run traced by tracemalloc")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(f"{'kind':>7} {'candidates':>10} {'picks':>7} {'seconds':>8} {'cpu s':>7} {'input MB':>9} "
          f"{'traced peak MB':>15} {'maxrss MB':>10} {'last pick MPJE':>15} {'load':>5}")
    for count in args.candidates:
        for kind in args.kinds:
            queue = context.Queue()
            process = context.Process(target=run_case, args=(kind, count, args.n, args.traced_picks, queue))
            process.start()
            seconds, cpu, peak, maxrss, nbytes, last, load = queue.get()
            process.join()
            print(f"{kind:>7} {count:>10} {args.n:>7} {seconds:>8.1f} {cpu:>7.1f} {nbytes / 1e6:>9.0f} "
                  f"{peak / 1e6:>15.0f} {maxrss / 1e6:>10.0f} {last:>15.4f} {load:>5.1f}", flush=True)


if __name__ == "__main__":
    main()
