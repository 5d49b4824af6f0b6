"""Motion codes: the intervals of every channel, graded (intensity, velocity), with their subject and meaning.

A distance code between a left and a right part says who moved (MotionScript's subject detection): when both
parts moved by more than ACTIVE_SHARE of their summed displacement relative to the body, both are the subject
("both hands come together"); otherwise the part that moved is, relative to the other ("the left hand moves
closer to the right hand").
"""
from dataclasses import dataclass, replace

import numpy as np

from ..posecodes.record import BOTH, NONE, Record, split_name
from ..posecodes.working_set import INDEX, working_joints
from ..aggregation_rules import plural
from .catalogue import CHANNEL_INDEX, CHANNELS, INTENSITIES, KINDS, REDUNDANT, VELOCITIES
from .intervals import Interval, filled, find_intervals, intensity_category, levels, velocity_category
from .series import Series

ACTIVE_SHARE = 0.4


@dataclass(frozen=True)
class MotionCode:
    """One motion over an interval: which channel, what it means, when, how much and how fast."""
    channel: str
    kind: str
    subject: str          # "left_knee", "both_hands", "body"
    second: str           # "" or "right_hand", "head", ...
    interpretation: str   # "bend", "closer", "body down", "turn left", "upright", ...
    start: float          # seconds
    end: float
    start_frame: int
    end_frame: int
    change: float         # in `unit`, signed (the series' end value minus its start value)
    unit: str
    intensity: str
    velocity: float       # |change| per second
    speed: str            # the velocity category
    said: bool = True     # its intensity reaches the text (see `catalogue.MotionKind.said`)

    @property
    def record(self) -> Record:
        return Record(*split_name(self.subject), self.interpretation, *split_name(self.second))

    def to_json(self) -> dict:
        return {"kind": self.kind, "channel": self.channel, "subject": self.subject, "second": self.second,
                "motion": self.interpretation, "start_s": round(self.start, 3), "end_s": round(self.end, 3),
                "intensity": {"value": round(self.change, 3), "unit": self.unit, "category": self.intensity},
                "velocity": {"value": round(self.velocity, 3), "unit": f"{self.unit}/s", "category": self.speed},
                "said": self.said}


def _interpretation(channel, iv: Interval) -> str:
    """The channel's word for a change; back towards neutral only when the series ends nearer 0 on the side it
    started (or at 0, within a level): a twist from 40 degrees left to 38 right is a twist to the right."""
    back = abs(iv.end_value) < abs(iv.start_value)
    same_side = np.sign(iv.end_value) == np.sign(iv.start_value) or abs(iv.end_value) < KINDS[channel.kind].step
    if channel.towards_neutral and back and same_side:
        return channel.towards_neutral
    return channel.up if iv.change > 0 else channel.down


def _subjects(channel, iv: Interval, working) -> tuple[str, str]:
    """(subject, second) of a code; for a left-right distance, who moved."""
    if channel.kind != "distance" or not channel.second:
        return channel.subject, channel.second
    a, b = channel.joints
    moved = [np.linalg.norm(working[iv.end, INDEX[j]] - working[iv.start, INDEX[j]]) for j in (a, b)]
    total = sum(moved) + 1e-9
    side_a, part_a = split_name(a)
    side_b, part_b = split_name(b)
    if part_a == part_b and min(moved) > ACTIVE_SHARE * total:
        return f"{BOTH}_{plural(part_a)}", NONE
    if moved[1] > moved[0] and split_name(b)[0]:  # the second part moved, and it can be a subject (not the head)
        return b, a
    return a, b


def motion_codes(series: Series, available=None) -> list[MotionCode]:
    """Every motion code of a sequence's series, in time order."""
    working, _ = working_joints(series.canonical, available)
    out = []
    for name, kind in KINDS.items():  # levels of all the channels of a kind at once
        cols = [c for c, ch in enumerate(CHANNELS) if ch.kind == name and series.measured[c]]
        lv = levels(_filled_columns(series.values[:, cols]), kind.step, kind.hysteresis) if cols else None
        for k, c in enumerate(cols):
            out += _codes_of(series, c, kind, lv[:, k], working)
    out = _without_redundant(out)
    out.sort(key=lambda m: (m.start, CHANNEL_INDEX[m.channel]))
    return out


def _filled_columns(values):
    """NaN frames of each column take the last measured value (the first one before it)."""
    if np.isfinite(values).all():
        return values
    out = values.copy()
    for c in range(values.shape[1]):
        if np.isfinite(values[:, c]).any():
            out[:, c] = filled(values[:, c])
    return out


def _codes_of(series, c, kind, lv, working):
    """The graded codes of one channel (`lv`: its levels)."""
    channel, fps, out = CHANNELS[c], series.fps, []
    for iv in find_intervals(series.values[:, c], c, kind, fps, lv):
        subject, second = _subjects(channel, iv, working)
        intensity = intensity_category(kind, iv.change)
        near = not channel.near or min(abs(iv.start_value), abs(iv.end_value)) <= channel.near
        speed = velocity_category(kind, iv.velocity)
        drift = intensity == INTENSITIES[0] and speed == VELOCITIES[0]  # slight and very slow: not a motion to say
        out.append(MotionCode(channel.name, channel.kind, subject, second, _interpretation(channel, iv),
                              iv.start / fps, iv.end / fps, iv.start, iv.end, iv.change, kind.unit, intensity,
                              abs(iv.velocity), speed, intensity in kind.said and near and not drift))
    return out


def _without_redundant(codes):
    """Codes that a simultaneous code of another channel says already are kept, but not said (`REDUNDANT`)."""
    by_channel = {}
    for i, code in enumerate(codes):
        by_channel.setdefault(code.channel, []).append(i)
    out = list(codes)
    for covered, cover in REDUNDANT:
        a_idx = by_channel.get(covered, [])
        b_idx = [j for j in by_channel.get(cover, []) if codes[j].said]
        if not a_idx or not b_idx:
            continue
        a = np.array([(codes[i].start, codes[i].end) for i in a_idx])
        b = np.array([(codes[j].start, codes[j].end) for j in b_idx])
        overlap = np.minimum(a[:, None, 1], b[None, :, 1]) - np.maximum(a[:, None, 0], b[None, :, 0])
        for i in np.flatnonzero((overlap >= 0.5 * (a[:, 1] - a[:, 0])[:, None]).any(axis=1)):
            out[a_idx[i]] = replace(out[a_idx[i]], said=False)
    return out
