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
from .catalogue import CHANNEL_INDEX, CHANNELS, KINDS, REDUNDANT
from .intervals import Interval, find_intervals, intensity_category, velocity_category
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
    if channel.towards_neutral and abs(iv.end_value) < abs(iv.start_value):
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
    fps = series.fps
    out = []
    for c, channel in enumerate(CHANNELS):
        if not series.measured[c]:
            continue
        kind = KINDS[channel.kind]
        for iv in find_intervals(series.values[:, c], c, kind, fps):
            subject, second = _subjects(channel, iv, working)
            intensity = intensity_category(kind, iv.change)
            near = not channel.near or min(abs(iv.start_value), abs(iv.end_value)) <= channel.near
            out.append(MotionCode(channel.name, channel.kind, subject, second, _interpretation(channel, iv),
                                  iv.start / fps, iv.end / fps, iv.start, iv.end, iv.change, kind.unit, intensity,
                                  abs(iv.velocity), velocity_category(kind, iv.velocity),
                                  intensity in kind.said and near))
    out = _without_redundant(out)
    out.sort(key=lambda m: (m.start, CHANNEL_INDEX[m.channel]))
    return out


def _without_redundant(codes):
    """Codes that a simultaneous code of another channel says already are kept, but not said (`REDUNDANT`)."""
    by_channel = {}
    for i, code in enumerate(codes):
        by_channel.setdefault(code.channel, []).append(i)
    out = list(codes)
    for covered, cover in REDUNDANT:
        for i in by_channel.get(covered, ()):
            a = out[i]
            for j in by_channel.get(cover, ()):
                b = out[j]
                overlap = min(a.end, b.end) - max(a.start, b.start)
                if b.said and overlap >= 0.5 * (a.end - a.start):
                    out[i] = replace(a, said=False)
                    break
    return out
