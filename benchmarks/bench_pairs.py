"""Time and peak memory of BEDLAM-Fix pair mining (features, chunked top-k similarity search, constraints).

Poses: a seeded random subset of the embedded synthetic source's training candidates (realistic joints,
subjects, sequences and time stamps; joints only, so no body model or rendering is needed). Each size runs
in a fresh process, so its max RSS is its own. The published code holds dense N x N float matrices
(about 10 GB each at 50,000 poses); the figure to compare is the traced peak of mining.

    PYTHONPATH=. python benchmarks/bench_pairs.py                  # 10,000 and 50,000 poses
    PYTHONPATH=. python benchmarks/bench_pairs.py --n 2000
"""
import argparse
import multiprocessing
import resource
import time
import tracemalloc

import numpy as np


def pose_table(n: int, seed: int = 0):
    from bedlam_tools.pair_mining import PoseTable, posecode_categories, posecode_features
    from bedlam_tools.sources.synthetic import SyntheticSource

    cands = SyntheticSource(seed=0).candidates("train")
    rows = np.sort(np.random.default_rng(seed).choice(len(cands), n, replace=False))
    c = cands.take(rows)
    start = time.perf_counter()
    cats, supers = posecode_categories(c.joints)
    features, scale = posecode_features(cats, supers)
    seconds = time.perf_counter() - start
    group = np.unique(np.char.add(np.char.add(c.subject_id.astype(str), "\0"), c.sequence_id.astype(str)),
                      return_inverse=True)[1]
    table = PoseTable(ids=c.ids.astype(str), group=group, subject=np.unique(c.subject_id, return_inverse=True)[1],
                      time_s=c.time_s.astype(np.float64), order=np.arange(n),
                      categories=np.concatenate([cats, supers], axis=1).astype(np.int8), features=features,
                      scale=scale)
    return table, seconds


def run_case(n, queue):
    from bedlam_tools.pair_mining import mine_pairs

    table, feature_seconds = pose_table(n)
    tracemalloc.start()
    start = time.perf_counter()
    pairs = mine_pairs(table, progress=False)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put((feature_seconds, seconds, peak, maxrss, table.features.nbytes + table.categories.nbytes, len(pairs),
               int(pairs.in_sequence.sum())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 50_000], help="pose counts")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(f"{'poses':>7} {'posecodes s':>11} {'mining s':>9} {'inputs MB':>10} {'mining traced peak MB':>22} "
          f"{'maxrss MB':>10} {'dense N x N MB':>15} {'pairs':>7} {'in-seq':>7}")
    for n in args.n:
        queue = context.Queue()
        process = context.Process(target=run_case, args=(n, queue))
        process.start()
        features_s, seconds, peak, maxrss, inputs, n_pairs, n_in = queue.get()
        process.join()
        print(f"{n:>7,} {features_s:>11.1f} {seconds:>9.1f} {inputs / 1e6:>10.0f} {peak / 1e6:>22.0f} "
              f"{maxrss / 1e6:>10.0f} {n * n * 4 / 1e6:>15,.0f} {n_pairs:>7,} {n_in:>7,}", flush=True)


if __name__ == "__main__":
    main()
