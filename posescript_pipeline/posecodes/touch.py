"""Self-contacts as "touch" records: never skipped, and they replace the distance record of the same
two parts ("close", or a joint-based "spread" that the mesh contradicts).

The subject is the part that more naturally does the touching (a hand rather than the knee it
rests on), whatever the sides; same-part pairs (two hands) get a random first side later, in
aggregation, like any left/right record.
"""
from .kinds import DISTANCE_CATEGORIES, TOUCH
from .record import Record, split_name

# Earlier = more likely the subject of "... is touching ...".
SUBJECT_PRIORITY = ("hand", "forearm", "foot", "elbow", "head", "knee", "upperarm", "calf", "thigh", "shoulder",
                    "neck", "chest", "belly", "upperback", "lowerback", "buttock")
_RANK = {part: i for i, part in enumerate(SUBJECT_PRIORITY)}


def touch_records(pairs) -> list[Record]:
    """(part_a, part_b) full names ("left_hand", "head") -> touch records, subject first."""
    out = []
    for a, b in pairs:
        (sa, pa), (sb, pb) = split_name(a), split_name(b)
        if (_RANK.get(pb, len(_RANK)), sb != "left") < (_RANK.get(pa, len(_RANK)), sa != "left"):
            (sa, pa), (sb, pb) = (sb, pb), (sa, pa)
        out.append(Record(sa, pa, TOUCH, sb, pb))
    return out


def with_touches(records: list[Record], touches: list[Record]) -> list[Record]:
    """Drop the distance records of touching parts (in either order), then add the contacts."""
    if not touches:
        return records
    touching = {frozenset((t.subject, t.second)) for t in touches}
    kept = [r for r in records
            if not (r.interpretation in DISTANCE_CATEGORIES and frozenset((r.subject, r.second)) in touching)]
    return kept + touches
