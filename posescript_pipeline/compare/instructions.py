"""Paircode records -> one imperative instruction (spec A.13-A.15).

Aggregation and ordering reuse the single-pose machinery (`aggregation`): the entity merge (here also for
two codes of the same direction, keeping the larger magnitude), the symmetry merge, the random side swap,
the interpretation/subject grouping and the body-part-graph ordering. Realisation is imperative ("bend
your left knee more", "raising the right hand" after "while"); pose-B posecodes are said with the
single-pose descriptive templates and a modal verb ("your left knee should be straight").
"""
import re
from dataclasses import dataclass
from random import Random

from ..aggregation import (InterpretationGroup, SubjectGroup, entity_merge, group_records, merge_pairs, order_items,
                           symmetry_merge, vary_sides)
from ..captions.realisation import Context, fill, finish, relation, second_part_text
from ..posecodes.kinds import IGNORED, TOUCH
from ..posecodes.record import BOTH, SIDES, Record
from .paircodes import GLOBAL_ROTATION, PAIR, STRAIGHTEN, pair_interpretations
_PAIR_INTERPS = pair_interpretations()
DISTANCE_INTERPS = frozenset(i for i, (kind, _, _) in _PAIR_INTERPS.items() if kind == "pair_distance")
# Codes without a body-part subject in the text: the whole body (incline) and the head (rotation).
JOINTLESS_KINDS = ("pair_bodyInclineX", "pair_bodyInclineY", "pair_bodyInclineZ", "pair_relativeRotX",
                   "pair_relativeRotY")
TRANSITIONS = (" while ", ", ", ". ", " and ", " then ")
MODALS = {False: ("should be", "needs to be", "must be"), True: ("should be", "need to be", "must be")}
NEUTRAL_VERBS = ("move", "bring")
_GERUNDS = {"put": "putting", "drop": "dropping", "tuck": "tucking"}
_TEMPLATE = re.compile(r"<(\w+)> ?(.*)")


@dataclass(frozen=True)
class InstructionOptions:
    """One text version (spec A.16)."""
    random_skip: bool = True
    simplified: bool = False
    description_pieces: bool = False  # add the pose-B target-state statements


# BEDLAM-Fix: normal, simplified, normal (new draw); random skip everywhere.
FIX_VARIANTS = (InstructionOptions(), InstructionOptions(simplified=True), InstructionOptions())


def is_paircode(interp: str) -> bool:
    return interp.startswith(PAIR) or interp == TOUCH


def _direction_key(interp):
    """Codes of the same paircode kind and direction merge into an entity; posecodes need the same category."""
    kind_dir = _PAIR_INTERPS.get(interp)
    return kind_dir[:2] if kind_dir else interp


def _direction_entity_merge(a: Record, b: Record) -> Record | None:
    merged = entity_merge(a, b)
    if merged is None or a.interpretation == b.interpretation:
        return merged
    stronger = max(a.interpretation, b.interpretation, key=lambda i: _PAIR_INTERPS[i][2])
    return merged._replace(interpretation=stronger)


def _groupable(record: Record) -> bool:
    """Distance changes and contacts keep their own sentence (spec A.13.4), like joint-less codes."""
    kind = _PAIR_INTERPS.get(record.interpretation, ("",))[0]
    return record.interpretation not in DISTANCE_INTERPS and record.interpretation != TOUCH \
        and kind not in JOINTLESS_KINDS


def aggregate_instructions(records, rng: Random, options: InstructionOptions):
    """Entity and symmetry merges, side swap, grouping (spec A.13); simplified keeps only the side swap."""
    if not options.simplified:
        records = merge_pairs(records, rng, _direction_entity_merge,
                              key=lambda r: (r.side1, _direction_key(r.interpretation), r.side2))
        records = merge_pairs(records, rng, symmetry_merge, key=lambda r: (r.part1, r.interpretation, r.part2))
    records = vary_sides(records, rng)
    if not options.simplified:
        records = group_records([r for r in records if _groupable(r)], rng) + [r for r in records if not _groupable(r)]
    return records


# --- realisation
def _gerund(verb: str) -> str:
    if verb in _GERUNDS:
        return _GERUNDS[verb]
    return (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"


def _subject_text(side, part, det, rng: Random) -> tuple[str, bool]:
    """(text, plural) of a body part with the instruction's determiner (spec A.15.3)."""
    if side == BOTH:
        words = ["both", det] + (["both your"] if det == "your" else [])
        return f"{rng.choice(words)} {part}", True
    return " ".join(filter(None, (det, side, part))), False


def _second_text(side1, part1, side2, part2, ctx: Context) -> str:
    """The second body part; the same part on the other side may be "the other", "the <side>" or, with
    the determiner "your", "your <side>" (spec A.15.8), each as likely as the full name."""
    flow = not ctx.options.simplified
    other_side = part2 == part1 and {side1, side2} == set(SIDES)
    if flow and other_side and ctx.det == "your" and ctx.rng.random() < 0.25:
        return f"your {side2}"
    return second_part_text(side1, part1, side2, part2, ctx, flow)


@dataclass
class _Piece:
    text: str
    neutral_verb: bool  # the piece's verb is "move"/"bring": a next piece may drop verb and subject


def _pair_piece(interp, subject, obj, rng: Random, gerund: bool, pronoun=None, drop_verb=False) -> _Piece:
    """One paircode relation. pronoun: refer to the subject again ("it"/"them") when the template allows;
    drop_verb: continue a neutral-verb piece ("... up and to the left")."""
    two_parts = bool(obj) and interp in TWO_PART_TEMPLATES
    pool = (TWO_PART_TEMPLATES if two_parts else ONE_PART_TEMPLATES)[interp]
    jointless = "{s}" not in pool[0]
    if drop_verb and not jointless:
        neutral = [t for t in pool if _TEMPLATE.match(t).group(1) in NEUTRAL_VERBS and "{s}" in t]
        if neutral:
            rest = _TEMPLATE.match(rng.choice(neutral)).group(2)
            return _Piece(rest.replace("{s}", "").format(o=obj).strip(), True)
    if pronoun and not jointless:
        direct = [t for t in pool if _TEMPLATE.match(t).group(2).startswith("{s}")]
        if direct:
            pool, subject = direct, pronoun
    verb, rest = _TEMPLATE.match(rng.choice(pool)).groups()
    text = f"{_gerund(verb) if gerund else verb} {rest}".format(s=subject, o=obj)
    return _Piece(text, verb in NEUTRAL_VERBS)


def _pose_piece(record: Record, subject, plural, ctx: Context, gerund: bool) -> _Piece:
    """A pose-B posecode as a target state, with the single-pose descriptive templates."""
    modals = MODALS[plural] + ((("are",) if plural else ("is",)) if gerund else ())
    template, obj = relation(*record, ctx)
    return _Piece(fill(template, subject, ctx.rng.choice(modals), obj), False)


def _record_piece(record: Record, ctx: Context, gerund: bool) -> _Piece:
    subject, plural = _subject_text(*record.subject, ctx.det, ctx.rng)
    if not is_paircode(record.interpretation):
        return _pose_piece(record, subject, plural, ctx, gerund)
    obj = _second_text(*record.subject, *record.second, ctx) if record.part2 else ""
    return _pair_piece(record.interpretation, subject, obj, ctx.rng, gerund)


def _interpretation_group(group: InterpretationGroup, ctx: Context, gerund: bool) -> _Piece:
    names = [_subject_text(s, p, ctx.det, ctx.rng)[0] for s, p in group.subjects]
    subjects = ", ".join(names[:-1]) + " and " + names[-1]
    side2, part2 = group.second
    record = Record("", "", group.interpretation, side2, part2)
    obj = _second_text("", "", side2, part2, ctx) if part2 else ""
    if not is_paircode(group.interpretation):
        return _pose_piece(record, subjects, True, ctx, gerund)
    return _pair_piece(group.interpretation, subjects, obj, ctx.rng, gerund)


def _subject_group(group: SubjectGroup, ctx: Context, gerund: bool) -> _Piece:
    """Relations of one subject one after the other (spec A.15.7)."""
    side1, part1 = group.subject
    subject, plural = _subject_text(side1, part1, ctx.det, ctx.rng)
    rng, texts, previous = ctx.rng, [], None
    for k, (interp, side2, part2) in enumerate(group.relations):
        record = Record(side1, part1, interp, side2, part2)
        joiner = "" if k == 0 else rng.choice((" and ", ", "))
        drop = False
        if previous is not None and previous.neutral_verb:
            if rng.random() < 0.5:
                joiner = " and "
            drop = joiner == " and " and is_paircode(interp) and rng.random() < 0.8
        again = None if k == 0 or ctx.options.simplified else ("them" if plural else "it")
        if not is_paircode(interp):
            name = subject if again is None else ("they" if plural else "it")
            piece = _pose_piece(record, name, plural, ctx, gerund)
        else:
            obj = _second_text(side1, part1, side2, part2, ctx) if part2 else ""
            piece = _pair_piece(interp, subject, obj, rng, gerund, pronoun=again, drop_verb=drop)
        texts.append(joiner + piece.text)
        previous = piece
    return _Piece("".join(texts), False)


def write_instruction(items, rng: Random, options: InstructionOptions) -> str:
    """One instruction from ordered (possibly aggregated) records; "" when there is nothing to say."""
    if not items:
        return ""
    ctx = Context(rng, rng.choice(("the", "your")), options)
    pieces, gerund = [], False
    for k, item in enumerate(items):
        transition = rng.choice(TRANSITIONS) if k else ""
        if transition != " and ":
            gerund = transition == " while "
        if isinstance(item, InterpretationGroup):
            piece = _interpretation_group(item, ctx, gerund)
        elif isinstance(item, SubjectGroup):
            piece = _subject_group(item, ctx, gerund)
        else:
            piece = _record_piece(item, ctx, gerund)
        pieces.append(transition + piece.text)
    text = " " + "".join(pieces) + "."
    if ctx.det == "the":
        text = text.replace(" your ", " the ")
    return finish(text, ctx.det)


def instruction(records, rng: Random, options: InstructionOptions) -> str:
    """Aggregate, order (random kinematic walk) and realise one pair's records."""
    return write_instruction(order_items(aggregate_instructions(records, rng, options), rng), rng, options)


def with_rotation(text: str, category: str | None, rng: Random) -> str:
    """The instruction with the whole-body turn sentence of a `GLOBAL_ROTATION` category before it (spec
    A.11.3); unchanged for None. The template is drawn after the instruction's own choices."""
    if category is None:
        return text
    verb, rest = _TEMPLATE.match(rng.choice(ROTATION_TEMPLATES[category])).groups()
    sentence = f"{verb} {rest}".strip()
    return f"{sentence[0].upper()}{sentence[1:]}. {text}".rstrip()


# --- templates: "<verb> rest", {s} the subject, {o} the second part. Joint-less templates have no {s}.
def _p(name):
    return PAIR + name


ONE_PART_TEMPLATES = {
    _p("bent much less"): ["<straighten> {s} a lot", "<bend> {s} much less", "<unbend> {s} a lot"],
    _p("bent less"): ["<bend> {s} less", "<unbend> {s}", "<open> {s} more", "<extend> {s} more"],
    _p("bent slightly less"): ["<bend> {s} slightly less", "<unbend> {s} a little", "<open> {s} a bit more",
                               "<extend> {s} a bit"],
    _p("bent slightly more"): ["<bend> {s} slightly more", "<bend> {s} a bit more", "<flex> {s} a little more"],
    _p("bent more"): ["<bend> {s} more", "<flex> {s} more", "<fold> {s} more"],
    _p("bent much more"): ["<bend> {s} much more", "<bend> {s} a lot more", "<fold> {s} a lot more",
                           "<flex> {s} much more"],
    _p("farther"): ["<move> {s} further apart", "<spread> {s} more", "<move> {s} apart", "<separate> {s} more"],
    _p("slightly farther"): ["<spread> {s} a bit more", "<move> {s} slightly further apart",
                             "<move> {s} a little apart"],
    _p("slightly closer"): ["<move> {s} slightly closer", "<bring> {s} a bit closer together",
                            "<bring> {s} a little closer"],
    _p("closer"): ["<move> {s} closer together", "<bring> {s} closer", "<bring> {s} together",
                   "<move> {s} closer"],
    _p("more to left"): ["<move> {s} to the left", "<move> {s} further left", "<bring> {s} more to the left",
                         "<shift> {s} to the left"],
    _p("slightly more to left"): ["<move> {s} a bit to the left", "<move> {s} slightly to the left",
                                  "<shift> {s} a little to the left"],
    _p("slightly more to right"): ["<move> {s} a bit to the right", "<move> {s} slightly to the right",
                                   "<shift> {s} a little to the right"],
    _p("more to right"): ["<move> {s} to the right", "<move> {s} further right", "<bring> {s} more to the right",
                          "<shift> {s} to the right"],
    _p("higher"): ["<raise> {s}", "<lift> {s}", "<move> {s} up", "<bring> {s} higher", "<move> {s} higher"],
    _p("slightly higher"): ["<raise> {s} a bit", "<lift> {s} slightly", "<move> {s} up a little",
                            "<bring> {s} a bit higher"],
    _p("slightly lower"): ["<lower> {s} a bit", "<move> {s} down slightly", "<bring> {s} a little lower"],
    _p("lower"): ["<lower> {s}", "<move> {s} down", "<bring> {s} lower", "<drop> {s}"],
    _p("more to front"): ["<move> {s} forward", "<bring> {s} further to the front", "<push> {s} forward"],
    _p("slightly more to front"): ["<move> {s} slightly forward", "<bring> {s} a bit forward",
                                   "<push> {s} forward a little"],
    _p("slightly more to back"): ["<move> {s} back a bit", "<pull> {s} slightly back", "<bring> {s} a little back"],
    _p("more to back"): ["<move> {s} backward", "<pull> {s} back", "<bring> {s} further back"],
    _p("body incline forward more"): ["<lean> forward more", "<bend> forward more",
                                      "<incline> your torso further forward"],
    _p("body incline forward slightly more"): ["<lean> a bit more forward", "<bend> slightly more forward",
                                               "<tilt> your torso a little further forward"],
    _p("body incline backward slightly more"): ["<lean> back a little more", "<lean> slightly further backward",
                                                "<arch> your back a bit more"],
    _p("body incline backward more"): ["<lean> back more", "<arch> your back more", "<lean> further backward"],
    _p("body twist right more"): ["<twist> more to the right", "<rotate> your torso further to the right",
                                  "<turn> your shoulders more to the right"],
    _p("body twist right slightly more"): ["<twist> a bit more to the right",
                                           "<rotate> your torso slightly more to the right"],
    _p("body twist left slightly more"): ["<twist> a bit more to the left",
                                          "<rotate> your torso slightly more to the left"],
    _p("body twist left more"): ["<twist> more to the left", "<rotate> your torso further to the left",
                                 "<turn> your shoulders more to the left"],
    _p("body lean left more"): ["<lean> more to the left", "<tilt> your torso further to the left",
                                "<bend> sideways more to the left"],
    _p("body lean left slightly more"): ["<lean> a bit more to the left", "<tilt> your torso slightly to the left"],
    _p("body lean right slightly more"): ["<lean> a bit more to the right", "<tilt> your torso slightly to the right"],
    _p("body lean right more"): ["<lean> more to the right", "<tilt> your torso further to the right",
                                 "<bend> sideways more to the right"],
    _p("incline forward more"): ["<tuck> your chin in more", "<lower> your head more",
                                 "<tilt> your head further forward"],
    _p("incline backward more"): ["<raise> your chin more", "<tilt> your head further back", "<lift> your chin"],
    _p("turn left more"): ["<turn> your head more to the left", "<look> further to the left"],
    _p("turn left slightly more"): ["<turn> your head slightly more to the left", "<look> a bit more to the left"],
    _p("turn right slightly more"): ["<turn> your head slightly more to the right",
                                     "<look> a bit more to the right"],
    _p("turn right more"): ["<turn> your head more to the right", "<look> further to the right"],
    STRAIGHTEN: ["<straighten> {s}", "<extend> {s} fully", "<stretch> {s} out", "<make> {s} straight"],
    TOUCH: ["<bring> {s} together so that they touch", "<make> {s} touch", "<put> {s} together"],
}

TWO_PART_TEMPLATES = {
    _p("closer"): ["<bring> {s} closer to {o}", "<move> {s} closer to {o}", "<pull> {s} in towards {o}"],
    _p("slightly closer"): ["<bring> {s} a bit closer to {o}", "<move> {s} slightly closer to {o}"],
    _p("farther"): ["<move> {s} away from {o}", "<move> {s} further from {o}", "<push> {s} away from {o}"],
    _p("slightly farther"): ["<move> {s} a bit further from {o}", "<move> {s} slightly away from {o}"],
    TOUCH: ["<make> {s} touch {o}", "<put> {s} on {o}", "<bring> {s} to {o}", "<place> {s} against {o}"],
}


# The whole-body turn (spec A.11), by `GLOBAL_ROTATION` category: joint-less, never a gerund.
ROTATION_TEMPLATES = {
    "around": ["<turn> around", "<turn> to face the opposite direction", "<make> a half turn"],
    "around to the right": ["<turn> around to the right", "<make> a half turn to the right",
                            "<turn> right until you face the other way"],
    "a quarter to the right": ["<turn> a quarter to the right", "<make> a quarter turn to the right",
                               "<rotate> your whole body 90 degrees to the right"],
    "slightly more to the right": ["<turn> slightly to the right", "<rotate> your body a bit to the right",
                                   "<turn> a little more to the right"],
    "slightly more to the left": ["<turn> slightly to the left", "<rotate> your body a bit to the left",
                                  "<turn> a little more to the left"],
    "a quarter to the left": ["<turn> a quarter to the left", "<make> a quarter turn to the left",
                              "<rotate> your whole body 90 degrees to the left"],
    "around to the left": ["<turn> around to the left", "<make> a half turn to the left",
                           "<turn> left until you face the other way"],
}


def _check_templates():
    for interp in _PAIR_INTERPS:
        if _PAIR_INTERPS[interp][0] != "pair_distance" or interp in ONE_PART_TEMPLATES:
            assert interp in ONE_PART_TEMPLATES, f"no template for {interp}"
    for pool in (*ONE_PART_TEMPLATES.values(), *TWO_PART_TEMPLATES.values()):
        assert all(_TEMPLATE.match(t) for t in pool)
        assert len({"{s}" in t for t in pool}) == 1, pool  # a pool is joint-less or not, as a whole
    assert set(ROTATION_TEMPLATES) == set(GLOBAL_ROTATION.categories) - {IGNORED}
    assert all(_TEMPLATE.match(t) and "{" not in t for pool in ROTATION_TEMPLATES.values() for t in pool)


_check_templates()
