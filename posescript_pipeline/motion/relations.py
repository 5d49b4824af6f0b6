"""Time relations between moments ("then", "meanwhile", "a moment later"), from their times in seconds.

MotionScript put motions in 0.4 s bins and then measured bin differences in steps of 0.5 s; here the relation
is the gap between the end of one moment and the start of the next, in seconds, whatever the frame rate.
"""
import math
from dataclasses import dataclass

SIMULTANEOUS = 0.3
"""Motions starting within this many seconds of a moment's first motion belong to that moment."""

TIME_RELATIONS = (
    # (gap below which it applies in s, category, sentence-initial phrases); gap = next start - previous end
    (-SIMULTANEOUS, "meanwhile", ("meanwhile", "at the same time", "in the meantime", "while doing so")),
    (SIMULTANEOUS, "then", ("then", "right after that", "next", "after that")),
    (1.0, "a moment later", ("a moment later", "shortly after", "soon after")),
    (3.0, "a little later", ("a little later", "after a short pause", "a few seconds later")),
    (math.inf, "after a while", ("after a while", "some time later", "eventually")),
)
FIRST_RELATIONS = (
    # the first moment, by its start time (s): nothing to say if it starts at once
    (0.5, "at once", ("",)),
    (2.0, "after a moment", ("after a moment", "after a brief pause")),
    (math.inf, "after a while", ("after a while", "after standing still for a while")),
)


@dataclass(frozen=True)
class Moment:
    """Motion codes that start together: indices into the description's codes, and the moment's time span."""
    codes: tuple[int, ...]
    start: float
    end: float


def moments(starts, ends, channels=None) -> list[Moment]:
    """Codes grouped into moments, in time order: a code joins the current moment when it starts within
    SIMULTANEOUS seconds of the moment's first code and its channel has no code there yet (a knee that bends
    and straightens again within 0.3 s makes two moments, in order); it joins the earliest moment still open."""
    channels = list(range(len(starts))) if channels is None else list(channels)
    order = sorted(range(len(starts)), key=lambda i: (starts[i], i))
    groups: list[list[int]] = []
    seen: list[set] = []
    first_open = 0
    for i in order:
        while first_open < len(groups) and starts[i] - starts[groups[first_open][0]] > SIMULTANEOUS:
            first_open += 1
        # the earliest moment still open (started within SIMULTANEOUS) that has no code of this channel yet
        home = next((g for g in range(first_open, len(groups)) if channels[i] not in seen[g]), None)
        if home is not None:
            groups[home].append(i)
            seen[home].add(channels[i])
        else:
            groups.append([i])
            seen.append({channels[i]})
    return [Moment(tuple(g), min(starts[i] for i in g), max(ends[i] for i in g)) for g in groups]


def _lookup(table, value):
    return next((category, phrases) for bound, category, phrases in table if value < bound)


def relation(previous: Moment | None, moment: Moment) -> tuple[str, tuple[str, ...]]:
    """(category, phrases) of the relation of a moment to the one before it (or to the start)."""
    if previous is None:
        return _lookup(FIRST_RELATIONS, moment.start)
    return _lookup(TIME_RELATIONS, moment.start - previous.end)
