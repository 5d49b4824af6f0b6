"""Synthetic source: candidate generation speed, crop rendering speed, and posecode category coverage.

    python benchmarks/bench_synthetic.py [--crops 48] [--coverage 20000] [--sheet /tmp/synthetic_sheet.png]

Coverage: for each posecode kind, the share of each category over the noise-free categories of a random
sample of train candidates (pooled over the kind's codes); super-posecodes as the share of poses producing them.
"""
import argparse
import io
import time

import numpy as np

from bedlam_tools.sources.synthetic import SyntheticSource
from posescript_pipeline.posecodes.evaluation import CATALOGUE, measure, true_categories
from posescript_pipeline.posecodes.kinds import KINDS


def coverage(candidates):
    """Lines of the category-share table."""
    cats = true_categories(measure(candidates.joints, rotations=candidates.pose))
    lines = []
    for kind, members, _ in CATALOGUE.kind_groups:
        values = cats.categories[:, members]
        shares = [f"{c} {np.mean(values == k):.1%}" for k, c in enumerate(KINDS[kind].categories)]
        lines.append(f"{kind:<14} " + " | ".join(shares))
    supers = {}
    for s, sp in enumerate(CATALOGUE.supers):
        supers[f"{sp.subject} {sp.interpretation}"] = max(supers.get(f"{sp.subject} {sp.interpretation}", 0),
                                                          np.mean(cats.super_eligibility[:, s] > 0))
    lines.append("super          " + " | ".join(f"{k} {v:.1%}" for k, v in supers.items() if v > 0))
    return lines


def sheet(source, candidates, path, n=24, seed=0):
    """A contact sheet of n random crops, each with its activity and first caption."""
    from PIL import Image

    from bedlam_tools.render import save_sheet
    from posescript_pipeline.describe import describe

    rows = np.sort(np.random.default_rng(seed).choice(len(candidates), n, replace=False))
    crops = source.crops(candidates, rows)
    captions = describe(candidates.joints[rows], rotations=candidates.pose[rows], captions=1).captions
    save_sheet(path, [np.asarray(Image.open(io.BytesIO(c.data))) for c in crops],
               [f"[{candidates.extra['activity'][r]}] {cap[0]}" for r, cap in zip(rows, captions)], columns=6)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crops", type=int, default=48)
    parser.add_argument("--coverage", type=int, default=20000)
    parser.add_argument("--sheet", default=None, help="write a contact sheet of 24 random crops here")
    args = parser.parse_args()
    source = SyntheticSource()
    for split in ("train", "val"):
        start = time.perf_counter()
        candidates = source.candidates(split) if split == "val" else (train := source.candidates(split))
        seconds = time.perf_counter() - start
        print(f"{split}: {len(candidates)} candidates in {seconds:.1f} s ({len(candidates) / seconds:,.0f}/s)")
    rng = np.random.default_rng(0)
    source.crops(train, [0, 1])  # body model and renderer start
    few = np.flatnonzero(np.isin(train.subject_id, train.subject_id[rng.choice(len(train), 4)]))
    for label, rows in (("random rows", rng.choice(len(train), args.crops, replace=False)),
                        ("rows of 4 subjects", rng.choice(few, args.crops, replace=False))):
        start = time.perf_counter()
        source.crops(train, rows)
        seconds = time.perf_counter() - start
        print(f"crops, {label}: {args.crops} in {seconds:.1f} s ({args.crops / seconds:.1f}/s, "
              f"{len(set(train.subject_id[rows]))} subjects)")
    print(f"\nposecode category coverage over {args.coverage} train candidates:")
    print("\n".join(coverage(train.take(rng.choice(len(train), args.coverage, replace=False)))))
    if args.sheet:
        sheet(source, train, args.sheet)
        print(f"\ncontact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
