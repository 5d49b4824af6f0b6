"""Motion intervals on per-frame series: MotionScript's interval finder, in seconds and physical units.

1. Levels with hysteresis (a Schmitt quantiser, vectorised): a series is read in levels `step` apart; the level
   changes only once the value is `hysteresis` past a level boundary, so noise at a boundary makes no
   transitions (MotionScript added i.i.d. threshold noise per frame and relied on its finder to absorb it).
2. Transitions are the level changes with their full size: a jump of three levels in one frame counts three
   (MotionScript clamped every change to one bin per frame, which capped the speed it could see).
3. The finder (MotionScript's `single_path_finder`, its rules kept): a motion starts with a transition and runs
   while transitions keep its direction; it ends after `min_levels` net levels back from its peak (the
   hysteresis against reversals) or after a pause longer than `max_gap` seconds (MotionScript had no time limit,
   so two steps a minute apart made one motion). It keeps the shortest segment reaching the largest net change,
   and counts only if that change is at least `min_levels`. The scan goes on after the peak, so the way back is
   the next motion.
4. The ends are refined on the series itself: from the first transition back, and from the peak on, while the
   series still moves in the motion's direction faster than `still` units per second. Intensity is the change of
   the series between the ends, velocity that change over the duration in seconds.
"""
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from .catalogue import INTENSITIES, VELOCITIES, MotionKind


@dataclass(frozen=True)
class Interval:
    channel: int
    start: int       # first frame (the series' value before the motion)
    end: int         # last frame (the value it reached)
    change: float    # series[end] - series[start], in the kind's unit
    start_value: float
    end_value: float
    velocity: float  # change per second

    @property
    def direction(self) -> int:
        return 1 if self.change > 0 else -1


def levels(values: np.ndarray, step: float, hysteresis: float) -> np.ndarray:
    """Hysteresis levels (T, C) int of series (T, C): a frame whose value is within `hysteresis` of a level
    boundary keeps the level the series had last when it was clear of every boundary (clipped to the two
    levels the value could be in). NaN frames take the last level."""
    v = np.asarray(values, np.float64) / step
    h = hysteresis / step
    low, high = np.round(v - h), np.round(v + h)
    clear = (low == high) & np.isfinite(v)
    t = np.arange(v.shape[0])[:, None]
    last = np.maximum.accumulate(np.where(clear, t, -1), axis=0)
    first = np.argmax(np.isfinite(v), axis=0)  # before any clear frame: the first value's own level
    base = np.where(last >= 0, np.take_along_axis(np.where(clear, low, 0), np.maximum(last, 0), axis=0),
                    np.round(np.take_along_axis(np.nan_to_num(v), first[None], axis=0)))
    out = np.where(np.isfinite(v), np.clip(base, low, high), base)
    return out.astype(np.int64)


def find_segments(frames, deltas, fps: float, min_levels: int, max_gap: float):
    """(first event, peak event, net levels) of each motion in one channel's transitions (frames, deltas)."""
    frames, deltas = [int(f) for f in frames], [int(d) for d in deltas]
    out, n, i = [], len(frames), 0
    gap = max_gap * fps
    while i < n:
        sign = 1 if deltas[i] > 0 else -1
        net = best = deltas[i]
        best_j, last_forward = i, frames[i]
        j = i + 1
        while j < n:
            if frames[j] - last_forward > gap:
                break
            net += deltas[j]
            if deltas[j] * sign > 0:
                last_forward = frames[j]
                if net * sign > best * sign:
                    best, best_j = net, j
            if (best - net) * sign >= min_levels:
                break
            j += 1
        if abs(best) >= min_levels:
            # the shortest segment with the same net change: start as late as the peak's net allows
            start, tail = best_j, 0
            for k in range(best_j, i - 1, -1):
                tail += deltas[k]
                if tail == best:
                    start = k
                    break
            out.append((start, best_j, best))
            i = best_j + 1
        else:
            i += 1
    return out


def _refine(moving, first, peak, limit):
    """Frames (start, end) of a motion: from the frame before the first transition back, and from the peak's
    frame on, while the series still moves in the motion's direction (`moving[t]`: from frame t to t+1 faster
    than `still`), at most `limit` frames each way."""
    start = first - 1
    lo = max(0, start - limit)
    while start > lo and moving[start - 1]:
        start -= 1
    end = peak
    hi = min(len(moving), end + limit)
    while end < hi and moving[end]:
        end += 1
    return max(start, 0), end


def find_intervals(values: np.ndarray, channel: int, kind: MotionKind, fps: float, lv=None) -> list[Interval]:
    """The motion intervals of one channel's series (T,); `lv`: its levels if already computed (`levels`)."""
    series = np.asarray(values, np.float64)
    if series.shape[0] < 2 or not np.isfinite(series).any():
        return []
    series = filled(series)
    if lv is None:
        lv = levels(series[:, None], kind.step, kind.hysteresis)[:, 0]
    steps = np.diff(lv)
    frames = np.flatnonzero(steps) + 1
    if len(frames) < 1:
        return []
    deltas = steps[frames - 1]
    out = []
    still = kind.still / fps
    limit = max(1, int(round(kind.max_gap * fps)))
    moving = None
    for first, peak, _ in find_segments(frames, deltas, fps, kind.min_levels, kind.max_gap):
        sign = 1 if deltas[first] > 0 else -1
        if moving is None:
            d = np.diff(series)
            moving = {1: (d > still).tolist(), -1: (d < -still).tolist()}
        start, end = _refine(moving[sign], int(frames[first]), int(frames[peak]), limit)
        change = float(series[end] - series[start])
        if change * sign <= 0 or end <= start:
            continue
        out.append(Interval(channel, start, end, change, float(series[start]), float(series[end]),
                            change * fps / (end - start)))
    return _disjoint(out, fps)


def _disjoint(intervals, fps):
    """Refined ends may overlap the neighbouring motion by a frame or two; cut them at the turning point."""
    for k in range(1, len(intervals)):
        a, b = intervals[k - 1], intervals[k]
        if b.start < a.end:
            change = b.end_value - a.end_value
            intervals[k] = Interval(b.channel, a.end, b.end, change, a.end_value, b.end_value,
                                    change * fps / max(b.end - a.end, 1))
    return [iv for iv in intervals if iv.end > iv.start and iv.change * iv.direction > 0]


def filled(series):
    """NaN frames (a joint lost for a moment) take the last measured value (the first one before it)."""
    ok = np.isfinite(series)
    if ok.all():
        return series
    idx = np.where(ok, np.arange(len(series)), -1)
    idx = np.maximum.accumulate(idx)
    idx[idx < 0] = np.flatnonzero(ok)[0]
    return series[idx]


def intensity_category(kind: MotionKind, change: float) -> str:
    return INTENSITIES[bisect_right(kind.intensity, abs(change))]


def velocity_category(kind: MotionKind, velocity: float) -> str:
    return VELOCITIES[bisect_right(kind.velocity, abs(velocity))]
