"""Temporally consistent pose captions of a sequence (`posescript describe --all --smooth`).

Per-frame captions of the pose engine jump from frame to frame: each frame draws its own threshold noise, its own
skips and its own words. Here, for the frames of one sequence:
- categories hold with hysteresis: a posecode leaves its category only once its value is past the threshold by
  the kind's noise margin (5 degrees, 5 cm: the width of the noise the engine would add), so a value wobbling at
  a threshold keeps its statement;
- the skips and the words are drawn per sequence, not per frame: the same statements give the same caption.
Consecutive captions therefore change only where a category changed. Everything else is the pose engine's
(`posecodes.evaluation`, `aggregation`, `captions`), through its public steps.
"""
import numpy as np

from ..aggregation import CAPTION_VARIANTS, CaptionOptions, aggregate, order_items
from ..captions.realisation import write_caption
from ..describe import Descriptions
from ..posecodes.evaluation import CATALOGUE, Catalogue, Measurements, measure, select_records, true_categories
from ..posecodes.kinds import KINDS
from ..posecodes.touch import touch_records, with_touches
from ..random_streams import caption_rng, pose_key


def _tables(catalogue: Catalogue):
    """Per code: its thresholds padded with +inf (M, K) and its hysteresis margin (M,)."""
    width = max(len(k.thresholds) for k in KINDS.values())
    thresholds = np.full((len(catalogue.codes), width), np.inf, np.float32)
    margin = np.zeros(len(catalogue.codes), np.float32)
    for kind, members, _ in catalogue.kind_groups:
        th = np.asarray(KINDS[kind].thresholds, np.float32)
        thresholds[members, :len(th)] = th
        margin[members] = KINDS[kind].noise
    return thresholds, margin


def held_values(values: np.ndarray, catalogue: Catalogue = CATALOGUE) -> np.ndarray:
    """Values (T, M) of consecutive frames, changed where needed so that each code keeps the previous frame's
    category until its value is past a threshold by the margin (the value then sits on the held category's
    boundary, inside it). NaN stays NaN; frame 0 is unchanged."""
    thresholds, margin = _tables(catalogue)
    values = np.asarray(values, np.float32)
    out = values.copy()
    if len(values) == 0:
        return out

    def category(v):
        return (v[:, None] > thresholds).sum(-1)

    held = category(values[0])
    rows = np.arange(values.shape[1])
    for t in range(1, len(values)):
        v = values[t]
        low, high, raw = category(v - margin), category(v + margin), category(v)
        keep = (held >= low) & (held <= high) & np.isfinite(v) & (held != raw)
        up = keep & (held < raw)     # the value rose past the held category's upper threshold, within the margin
        down = keep & (held > raw)
        out[t, up] = thresholds[rows[up], held[up]]
        out[t, down] = np.nextafter(thresholds[rows[down], held[down] - 1], np.float32(np.inf))
        held = np.where(np.isfinite(v), np.where(keep, held, raw), held)
    return out


def describe_steady(joints52, available=None, rotations=None, *, seed: int = 0, sequence_id=0, captions: int = 3,
                    variants: tuple[CaptionOptions, ...] = CAPTION_VARIANTS, contacts=None, sex: str = "") -> Descriptions:
    """Pose captions of the T consecutive frames of one sequence (canonical joints (T, 52, 3), as `describe`),
    held across frames: caption k of a frame depends only on (seed, sequence id, k) and the held statements."""
    n = len(joints52)
    m = measure(joints52, available, rotations)
    held = true_categories(Measurements(held_values(m.values)))
    key = pose_key(sequence_id)
    keys = np.full(n, key, np.uint64)
    touches = [touch_records(pairs) for pairs in contacts] if contacts is not None else [[] for _ in range(n)]
    out_captions, out_records = [[] for _ in range(n)], [[] for _ in range(n)]
    for k in range(captions):
        options = variants[k % len(variants)]
        selected = select_records(held, seed, keys, k, options.random_skip)
        cache = {}
        for p, records in enumerate(selected):
            records = with_touches(records, touches[p])
            signature = tuple(records)
            if signature not in cache:
                rng = caption_rng(seed, key, k)
                cache[signature] = write_caption(order_items(aggregate(records, rng, options), rng), rng, options, sex)
            out_captions[p].append(cache[signature])
            out_records[p].append(records)
    return Descriptions(out_captions, out_records, m, touches)
