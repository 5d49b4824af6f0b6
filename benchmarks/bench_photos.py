"""Photos -> captions through BlazePose GHUM 3D: throughput on this machine, and how right the words are.

(a) Throughput. Photos: 1280x720 JPEGs, each a synthetic crop enlarged to 540x720 on a noisy backdrop, run
    through decoding, detection, landmarks, conversion and 3 captions; crops: the 256x192 JPEG crops in the
    person-centred mode (no detection). Each for one process with 1 and 2 interpreter threads and for a pool of
    2 processes (one call each, the pool's start-up included; then that start-up alone); then the landmark
    network with and without its trunk features (a real model output, or read with
    `experimental_preserve_all_tensors`). The machine may be shared: the load average is printed.
(b) Agreement. `--crops` crops of the default synthetic val split (SyntheticSource(seed=0), picked by farthest
    point sampling over the 22 body joints from candidate 0, as the dataset builder does; rendered at 256x192
    once and cached): the noise-free posecode categories from the estimated joints against those from the
    true joints, per posecode kind, over the codes measurable in both, with the visibility filter (joints
    below --min-visibility hidden) and without it.

    python benchmarks/bench_photos.py [--crops 2000] [--throughput 96] [--min-visibility 0.5]
                                      [--skip-throughput] [--skip-study]
"""
import argparse
import io
import os
import time
from pathlib import Path

import numpy as np

from bedlam_tools.vision import PoseEstimator, estimate, landmarks_to_joints, read_photos
from bedlam_tools.vision.models import (
    LANDMARKER_FILE, TRUNK_TENSOR, cache_dir, interpreter, landmarker_with_trunk, shipped_file,
)
from posescript_pipeline.describe import describe
from posescript_pipeline.posecodes.evaluation import CATALOGUE, measure, true_categories
from posescript_pipeline.posecodes.kinds import IGNORED, KINDS

PHOTO_SIZE, PERSON_HEIGHT = (1280, 720), 720
SEGMENTS = ("thigh", "shin", "upperarm", "forearm")
SUB_ROWS = {"angle": {"knees": ("knee",), "elbows": ("elbow",)},
            "relativeVAxis": {"limb segments": SEGMENTS, **{f"{p}s": (p,) for p in SEGMENTS}}}
"""Rows under a kind: the limbs (the issue's 'angles and vertical/horizontal segments of visible limbs')."""


# ---------------------------------------------------------------- data


def study_crops(n, cache):
    """(JPEG bytes per crop, true canonical joints (n, 52, 3)) of n FPS-picked val crops, cached as .npz."""
    from bedlam_tools.sources.synthetic import SyntheticSource
    from posescript_pipeline.sampling import farthest_point_sampling

    source = SyntheticSource(seed=0)
    cands = source.candidates("val")
    path = cache / f"synthetic_val_fps{n}.npz"
    if not path.is_file():
        rows = farthest_point_sampling(cands.joints[:, :22], n).indices
        crops = source.crops(cands, rows)
        data = [c.data for c in crops]  # a failed render raises here: the study needs every crop
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, rows=rows, offsets=np.cumsum([0] + [len(d) for d in data]),
                 jpeg=np.frombuffer(b"".join(data), np.uint8))
    with np.load(path) as f:
        rows, offsets, blob = f["rows"], f["offsets"], f["jpeg"].tobytes()
    return [blob[a:b] for a, b in zip(offsets[:-1], offsets[1:])], cands.joints[rows]


def photos_from(crops, seed=0):
    """Photo-sized JPEGs: each crop enlarged to PERSON_HEIGHT tall, pasted at a seeded place on a noisy backdrop."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    out = []
    for data in crops:
        person = Image.open(io.BytesIO(data)).convert("RGB")
        person = person.resize((round(person.width * PERSON_HEIGHT / person.height), PERSON_HEIGHT))
        backdrop = rng.normal(rng.uniform(60, 200, 3), 12, (PHOTO_SIZE[1], PHOTO_SIZE[0], 3))
        photo = Image.fromarray(np.clip(backdrop, 0, 255).astype(np.uint8))
        photo.paste(person, (int(rng.integers(0, PHOTO_SIZE[0] - person.width)), 0))
        buffer = io.BytesIO()
        photo.save(buffer, format="JPEG", quality=90)
        out.append(buffer.getvalue())
    return out


# ---------------------------------------------------------------- (a) throughput


def seconds_to_captions(images, detect, workers, threads, **options):
    """(Seconds from encoded images to 3 captions each, share of people found)."""
    start = time.perf_counter()
    batch = read_photos(images, detect=detect, workers=workers, threads=threads, **options)
    describe(batch.joints, batch.available, captions=3)
    return time.perf_counter() - start, len(batch.rows) / len(images)


def trunk_cost(repeats=30, batch=8):
    """Median ms per crop of the landmark network: plain, with the trunk as a model output, with all tensors
    kept (read from the tensor list). Runs interleave, so a busy machine slows the three alike."""
    x = np.random.default_rng(0).random((batch, 256, 256, 3), np.float32)
    plain, trunk = shipped_file(LANDMARKER_FILE), landmarker_with_trunk()
    variants = {"plain": (plain, False), "trunk output (edited flatbuffer)": (trunk, False),
                "experimental_preserve_all_tensors": (plain, True)}
    models = {name: interpreter(path, batch, 1, preserve_all_tensors=keep) for name, (path, keep) in variants.items()}
    trunk_index = {name: {d["name"]: d["index"] for d in m.get_tensor_details()}[TRUNK_TENSOR]
                   for name, m in models.items()}
    seconds = {name: [] for name in variants}
    for k in range(repeats + 1):
        for name, model in models.items():
            start = time.perf_counter()
            model.set_tensor(model.get_input_details()[0]["index"], x)
            model.invoke()
            if name != "plain":
                model.get_tensor(trunk_index[name])
            if k:  # the first round warms up
                seconds[name].append(time.perf_counter() - start)
    return {name: 1000 * float(np.median(s)) / batch for name, s in seconds.items()}


def throughput(crops):
    photos = photos_from(crops)
    print(f"(a) throughput: {len(photos)} photos {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} and {len(crops)} crops 256x192, "
          f"3 captions each; load before: {os.getloadavg()[0]:.2f}")
    print(f"{'input':<8} {'engine':<28} {'images/s':>9} {'found':>6}")
    for label, images, detect in (("photos", photos, True), ("crops", crops, False)):
        read_photos(images[:8], detect=detect)  # this process's interpreters warm
        for engine, workers, threads in (("1 process, 1 thread", 1, 1), ("1 process, 2 threads", 1, 2),
                                         ("2 processes, 1 thread each", 2, 1)):
            seconds, found = seconds_to_captions(images, detect, workers, threads)
            print(f"{label:<8} {engine:<28} {len(images) / seconds:9.1f} {found:6.0%}")
    startup, _ = seconds_to_captions(crops[:2], False, 2, 1, batch=1)
    print(f"process pool start-up (2 workers, 2 crops): {startup:.1f} s")
    print("landmark network per crop (batch 8, 1 thread, median of 30):")
    for name, ms in trunk_cost().items():
        print(f"  {name:<36} {ms:6.1f} ms")
    print(f"load after: {os.getloadavg()[0]:.2f}\n")


# ---------------------------------------------------------------- (b) agreement


def categories(joints, available=None):
    return true_categories(measure(joints, available)).categories


def _codes(kind, parts=None):
    """Catalogue indices of a kind's codes, optionally only those whose subject part is one of `parts`."""
    return [i for i, c in enumerate(CATALOGUE.codes)
            if c.kind == kind and (parts is None or (c.subject or c.joints[0]).split("_")[-1] in parts)]


def table_groups():
    """(row label, code indices): every kind measured from joints, with the limb rows under angle and relativeVAxis."""
    groups = []
    for kind, members, _ in CATALOGUE.kind_groups:
        if not KINDS[kind].needs_rotations:
            groups.append((kind, list(members)))
            groups += [(f"  {label}", _codes(kind, parts)) for label, parts in SUB_ROWS.get(kind, {}).items()]
    return groups


def agreement_rows(estimated, truth):
    """[(label, agreement, within one category, agreement where the estimate is said (not an ignored band),
    share measurable in both)] of the table's groups."""
    both = (estimated >= 0) & (truth >= 0)
    said = both.copy()
    for kind, members, _ in CATALOGUE.kind_groups:
        bands = [k for k, name in enumerate(KINDS[kind].categories) if name == IGNORED]
        said[:, members] &= ~np.isin(estimated[:, members], bands)
    same, near = estimated == truth, np.abs(estimated.astype(int) - truth) <= 1
    return [(label, same[:, m][both[:, m]].mean(), near[:, m][both[:, m]].mean(), same[:, m][said[:, m]].mean(),
             both[:, m].mean()) for label, m in table_groups()]


def study(n, cache, min_visibility):
    crops, truth = study_crops(n, cache)
    true_cats = categories(truth)
    print(f"(b) agreement on {n} FPS-picked val crops; noise-free categories, codes measurable in both "
          f"(head rotations need joint rotations: never measured from photos)")
    for label, detect in (("photo pipeline (detection + ROI)", True), ("person-centred crops", False)):
        results = estimate(crops, detect=detect, threads=2)
        found = np.array([r.found for r in results])
        world = np.stack([r.world for r in results])[found]
        visibility = np.stack([r.visibility for r in results])[found]
        table = {}
        for name, threshold in (("filter", min_visibility), ("no filter", 0.0)):
            joints, available = landmarks_to_joints(world, visibility, threshold)
            table[name] = agreement_rows(categories(joints, available), true_cats[found])
        print(f"\n{label}: person found in {found.sum()} of {n}; visibility filter at {min_visibility}")
        print(f"{'':<26} {'with the filter':^33} | {'without':^33}")
        print(f"{'posecode kind':<26}" + " |".join([f" {'agree':>6} {'+-1 cat':>8} {'said ok':>8} {'measured':>9}"] * 2))
        for (name, *with_filter), (_, *without) in zip(table["filter"], table["no filter"]):
            cells = [f" {a:6.1%} {w:8.1%} {s:8.1%} {m:9.0%}" for a, w, s, m in (with_filter, without)]
            print(f"{name:<26}" + " |".join(cells))
    print("agree: same noise-free category; +-1 cat: at most one category apart; said ok: agreement where the\n"
          "estimate's category is one a caption may say (not an ignored band); measured: share of code x pose\n"
          "measurable in both.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crops", type=int, default=2000, help="FPS-picked val crops of the study")
    parser.add_argument("--throughput", type=int, default=96, help="photos and crops timed (the study's first)")
    parser.add_argument("--min-visibility", type=float, default=0.5)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-study", action="store_true")
    parser.add_argument("--cache", default=str(cache_dir() / "bench_photos"), help="rendered crops go here")
    args = parser.parse_args()
    cache = Path(args.cache)
    PoseEstimator(batch=1)  # model files present, trunk model built
    if not args.skip_throughput:
        throughput(study_crops(max(args.crops, args.throughput), cache)[0][:args.throughput])
    if not args.skip_study:
        study(args.crops, cache, args.min_visibility)


if __name__ == "__main__":
    main()
