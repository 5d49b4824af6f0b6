"""Syntactic aggregation of one pose's records (spec section 9) and their ordering (section 10).

Records are `posecodes.record.Record`s. Aggregation prunes redundant records and merges others into two kinds
of groups that the text stage words together. Every random choice draws from the caption's own generator.
The comparative engine (`compare.instructions`) reuses these steps: `merge_pairs` with `entity_merge` and
`symmetry_merge`, `vary_sides`, `group_records` and `order_items`.
"""
from dataclasses import dataclass
from random import Random

from .aggregation_rules import BODY_PART_GRAPH, BODY_PARTS, ENTITIES, STAT_RULES, SUBTREE, plural, singular
from .posecodes.kinds import DISTANCE_CATEGORIES, HEAD_ROTATIONS, OPPOSITE, ORDER_AXIS, TOUCH
from .posecodes.record import BOTH, NONE, SIDES, L, R, Record

PROP_AGGREGATE = 0.95
HIGHER = ("above", "front", "at_left")
"""Order relations whose subject is the higher one on its axis."""


@dataclass(frozen=True)
class CaptionOptions:
    """The flags that make the caption variants (spec section 12)."""
    random_skip: bool = True
    simplified: bool = False
    transitive_pruning: bool = False
    statistical_pruning: bool = False


# BEDLAM-Script's three captions: full, simplified, full with pruning.
CAPTION_VARIANTS = (
    CaptionOptions(),
    CaptionOptions(simplified=True),
    CaptionOptions(transitive_pruning=True, statistical_pruning=True),
)


@dataclass(frozen=True)
class InterpretationGroup:
    """Several subjects in the same relation: "the left knee and the right elbow are bent"."""
    subjects: tuple[tuple[str, str], ...]
    interpretation: str
    second: tuple[str, str]


@dataclass(frozen=True)
class SubjectGroup:
    """One subject in several relations: "the left hand is below the hip and behind the back"."""
    subject: tuple[str, str]
    relations: tuple[tuple[str, str, str], ...]  # (interpretation, side2, part2)


def reverse(record: Record) -> Record:
    """The same statement with its parts swapped ("A above B" -> "B below A")."""
    return Record(*record.second, OPPOSITE.get(record.interpretation, record.interpretation), *record.subject)


def prune_transitive(records):
    """Drop "x > z" when "x > y" and "y > z" are also said, on the same axis (spec 9.0)."""
    edges = {}  # (axis, higher, lower) -> index; higher/lower are (side, part)
    for i, r in enumerate(records):
        axis = ORDER_AXIS.get(r.interpretation)
        if axis and r.part1 and r.part2:
            high, low = (r.subject, r.second) if r.interpretation in HIGHER else (r.second, r.subject)
            edges[(axis, high, low)] = i
    drop = set()
    for (axis, x, y) in edges:
        for (axis2, y2, z) in edges:
            if axis2 == axis and y2 == y and len({x, y, z}) == 3 and (axis, x, z) in edges:
                drop.add(edges[(axis, x, z)])
    return [r for i, r in enumerate(records) if i not in drop]


def merge_pairs(records, rng: Random, merge, key):
    """Walk pairs (A before B) that share key(record); where merge(A, B) gives a record (p=0.95),
    A becomes it and B goes. Merging never changes a record's key, so groups are independent."""
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(records):
        groups.setdefault(key(r), []).append(i)
    out, removed = list(records), set()
    for members in groups.values():
        for pos, i in enumerate(members[:-1]):
            if i in removed:
                continue
            for j in members[pos + 1:]:
                if j not in removed:
                    merged = merge(out[i], out[j])
                    if merged is not None and rng.random() < PROP_AGGREGATE:
                        out[i] = merged
                        removed.add(j)
    return list(dict.fromkeys(r for i, r in enumerate(out) if i not in removed))


def entity_merge(a: Record, b: Record) -> Record | None:
    """Two parts of one limb in the same relation become the whole limb ("hand and elbow" -> "arm")."""
    e1, e2 = ENTITIES.get(frozenset((a.part1, b.part1))), ENTITIES.get(frozenset((a.part2, b.part2)))
    p1, p2 = a.part1, a.part2
    if e1 and (a.part2 == b.part2 or e2):
        p1 = e1
    if e2 and (a.part1 == b.part1 or e1):
        p2 = e2
    return None if (p1, p2) == (a.part1, a.part2) else a._replace(part1=p1, part2=p2)


def symmetry_merge(a: Record, b: Record) -> Record | None:
    """A left and a right subject in the same relation become a plural ("both knees")."""
    # Only a left and a right subject make a plural (the published code merged left+left too).
    if {a.side1, b.side1} != set(SIDES):
        return None
    second = (BOTH, plural(a.part2)) if a.side2 != b.side2 else a.second
    return Record(BOTH, plural(a.part1), a.interpretation, *second)


def prune_statistical(records, before):
    """Remove records that co-occurring ones make redundant (statistics-based rules, spec 9.3)."""
    present = set(before)
    drop = {target for conds, target in STAT_RULES if all(c in present for c in conds)}
    return [r for r in records if r not in drop]


def vary_sides(records, rng: Random):
    """Randomly put the right side first; word same-part distances as one plural subject (9.4)."""
    out = []
    for r in records:
        if r.left_versus_right:
            if rng.random() < 0.5:
                r = reverse(r)
            if (r.interpretation in DISTANCE_CATEGORIES or r.interpretation == TOUCH) and rng.random() < 0.5:
                r = Record(BOTH, plural(r.part1), r.interpretation, NONE, NONE)
        out.append(r)
    return out


def group_records(records, rng: Random):
    """Interpretation- and subject-based aggregation (9.5). Head rotations keep their own sentences."""
    by_relation, by_subject = {}, {}
    for i, r in enumerate(records):
        by_relation.setdefault(("relation", r.interpretation, *r.second), []).append(i)
        if r.interpretation not in HEAD_ROTATIONS:
            by_subject.setdefault(("subject", *r.subject), []).append(i)
    candidates = [(k, v) for k, v in (*by_relation.items(), *by_subject.items()) if len(v) >= 2]
    rng.shuffle(candidates)
    claimed, scheduled = set(), []
    for key, members in candidates:
        free = [i for i in members if i not in claimed]
        if len(free) >= 2:
            rng.shuffle(free)
            claimed.update(free)
            scheduled.append((key[0], free))
    grouped, used = [], set()
    for kind, members in scheduled:
        if rng.random() < PROP_AGGREGATE:
            used.update(members)
            first = records[members[0]]
            if kind == "relation":
                grouped.append(InterpretationGroup(tuple(records[i].subject for i in members), first.interpretation,
                                                   first.second))
            else:
                grouped.append(SubjectGroup(first.subject, tuple((records[i].interpretation, *records[i].second)
                                                                 for i in members)))
    return grouped + [r for i, r in enumerate(records) if i not in used]


def aggregate(records, rng: Random, options: CaptionOptions):
    """The aggregation steps in the spec's order."""
    before = list(records)
    if options.transitive_pruning:
        records = prune_transitive(records)
    if not options.simplified:
        records = merge_pairs(records, rng, entity_merge, key=lambda r: (r.side1, r.interpretation, r.side2))
        records = merge_pairs(records, rng, symmetry_merge, key=lambda r: (r.part1, r.interpretation, r.part2))
    if options.statistical_pruning:
        records = prune_statistical(records, before)
    records = vary_sides(records, rng)
    if not options.simplified:
        records = group_records(records, rng)
    return records


def subject_of(item) -> tuple[str, str]:
    """(side, part) of the subject an item is about (the first one of an interpretation group)."""
    if isinstance(item, InterpretationGroup):
        return item.subjects[0]
    return item.subject


def body_part_order(rng: Random, wanted=BODY_PARTS) -> list[str]:
    """A random depth-first walk of the body-part graph from "body": a coherent, varied order.

    Only branches leading to a `wanted` part are walked; dropping the others does not change the
    distribution of the wanted parts' relative order (it is what makes this fast)."""
    order, seen, stack = [], set(), ["body"]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        children = [c for c in BODY_PART_GRAPH.get(node, ()) if not wanted.isdisjoint(SUBTREE[c])]
        rng.shuffle(children)
        stack.extend(children)
    return order


def order_items(items, rng: Random):
    """Group items by subject and emit the groups following a random kinematic walk (section 10)."""
    items = list(items)
    rng.shuffle(items)
    buckets: dict[str, list] = {}
    plural_items = []
    for item in items:
        side, part = subject_of(item)
        if side == BOTH:
            plural_items.append(item)
        else:
            buckets.setdefault(f"{side}_{part}" if side else part, []).append(item)
    for item in plural_items:
        part = singular(subject_of(item)[1])
        sides = [L, R]
        rng.shuffle(sides)
        side = next((s for s in sides if f"{s}_{part}" in buckets), sides[0])
        buckets.setdefault(f"{side}_{part}", []).append(item)
    ordered = [item for key in body_part_order(rng, buckets.keys()) for item in buckets.pop(key, ())]
    # Subjects outside the graph would be a catalogue error; keep them rather than lose a statement.
    return ordered + [item for key in sorted(buckets) for item in buckets[key]]


__all__ = ["CaptionOptions", "CAPTION_VARIANTS", "InterpretationGroup", "SubjectGroup", "aggregate", "entity_merge",
           "group_records", "merge_pairs", "order_items", "reverse", "symmetry_merge", "vary_sides", "BODY_PARTS"]
