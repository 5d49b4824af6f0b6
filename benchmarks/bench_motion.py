"""Seconds of motion described per second of wall time by `posescript_pipeline.motion.describe_motion`.

Sequences of the synthetic source's activities (every activity in turn, 30 fps), posed by the Anny skeleton with
their heading; described from world joints only (as joint files and BVH files are), then with the joint rotations
(adds the head channels), with 1 and 3 captions. Single process; the time to make the sequences is not counted.
Also the share of the time spent in the series, the interval finder and the words (1 caption, joints).

    python benchmarks/bench_motion.py [--sequences 60] [--seconds 60] [--fps 30]
"""
import argparse
import time

import numpy as np

from bedlam_tools.sources.synthetic.activities import NAMES
from bedlam_tools.sources.synthetic.animation import animate
from bedlam_tools.sources.synthetic.joint_angles import to_rotvecs
from posescript_pipeline.body import create
from posescript_pipeline.motion import describe_motion
from posescript_pipeline.motion.codes import motion_codes
from posescript_pipeline.motion.series import measure_series


def workload(n, seconds, fps, seed=0):
    times = np.arange(int(round(seconds * fps)) + 1) / fps
    body = create()
    out = []
    for k in range(n):
        rotations = to_rotvecs(animate(NAMES[k % len(NAMES)], 1, times, np.random.default_rng([seed, k])))[0]
        out.append((body.joints(rotations), rotations))
    return out


def run(label, sequences, fps, seconds, captions, with_rotations):
    start = time.perf_counter()
    n_codes = 0
    for k, (joints, rotations) in enumerate(sequences):
        d = describe_motion(joints, fps, rotations=rotations if with_rotations else None, trajectory=False,
                            sequence_id=k, captions=captions)
        n_codes += len(d.codes)
    elapsed = time.perf_counter() - start
    motion = len(sequences) * seconds
    print(f"| {label} | {motion / elapsed:,.0f}x real time | {1000 * elapsed / len(sequences):.1f} ms per "
          f"{seconds:g} s sequence | {n_codes / len(sequences):.0f} codes per sequence |")


def shares(sequences, fps):
    """Seconds spent in the series, the finder (codes) and the words, for 1 caption from joints."""
    t_series = t_codes = t_total = 0.0
    for k, (joints, _) in enumerate(sequences):
        t0 = time.perf_counter()
        series = measure_series(joints, fps, trajectory=False)
        t1 = time.perf_counter()
        motion_codes(series)
        t2 = time.perf_counter()
        describe_motion(joints, fps, trajectory=False, sequence_id=k, captions=1)
        t3 = time.perf_counter()
        t_series, t_codes, t_total = t_series + t1 - t0, t_codes + t2 - t1, t_total + t3 - t2
    words = t_total - t_series - t_codes
    print(f"time shares (1 caption, joints): series {100 * t_series / t_total:.0f} %, interval finder and codes "
          f"{100 * t_codes / t_total:.0f} %, aggregation and words {100 * words / t_total:.0f} %")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--fps", type=float, default=30.0)
    args = parser.parse_args()
    sequences = workload(args.sequences, args.seconds, args.fps)
    frames = sum(len(j) for j, _ in sequences)
    print(f"{args.sequences} sequences x {args.seconds:g} s at {args.fps:g} fps ({frames:,} frames, "
          f"{args.sequences * args.seconds / 60:.0f} min of motion), single process")
    describe_motion(sequences[0][0][:60], args.fps, trajectory=False)  # warm-up (imports, tables)
    print("| input | speed | per sequence | motion codes |")
    print("|---|---|---|---|")
    run("world joints, 1 caption", sequences, args.fps, args.seconds, 1, False)
    run("world joints, 3 captions", sequences, args.fps, args.seconds, 3, False)
    run("joints + rotations, 1 caption", sequences, args.fps, args.seconds, 1, True)
    run("joints + rotations, 3 captions", sequences, args.fps, args.seconds, 3, True)
    shares(sequences, args.fps)


if __name__ == "__main__":
    main()
