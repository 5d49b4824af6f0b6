"""Motion codes -> sentences: moments in time order, each aggregated like a pose caption and worded.

Per caption: the codes are grouped into moments (`relations.moments`); within a moment the pose engine's own
aggregation steps run on the codes' records (`aggregation`: the symmetry merge makes "both knees", the grouping
makes "the left hand moves up and forward" and "the left knee and the right elbow bend", the kinematic walk
orders the subjects), super motion codes replace the codes they stand for ("squats down"), and each moment
becomes one sentence, introduced by its time relation to the previous one ("then", "a moment later",
"meanwhile"). A subject that carries on from the previous sentence becomes a pronoun ("they", "she"), and
gendered words follow the body's sex as in the pose captions. Every choice draws from the caption's generator.
"""
import re
from dataclasses import dataclass
from random import Random

from ..aggregation import InterpretationGroup, SubjectGroup, group_records, merge_pairs, order_items, symmetry_merge
from ..aggregation_rules import singular
from ..captions.realisation import finish
from ..captions.templates import DETERMINERS, PERSON as PERSON_OF_DET, PRONOUNS_OF_SEX
from ..posecodes.record import BOTH, NONE, SIDES, Record, split_name
from .catalogue import KINDS, SUPER_MOTIONS
from .codes import MotionCode
from .intervals import intensity_category, velocity_category
from .relations import moments, relation
from .templates import (REPEATS, BODY_WORDS, CLAUSE_JOINERS, INTENSITY_SPECIAL, INTENSITY_WORDS, ONE, PERSON, PERSON_PARTS,
                        PROP_PERSON, STILL, TWO, VELOCITY_WORDS, third_person)

_DET_WORDS, _DET_WEIGHTS = zip(*DETERMINERS)
_VERB = re.compile(r"<(\w+)>")
PROP_SKIP_SLIGHT = 0.3


@dataclass(frozen=True)
class MotionOptions:
    """A caption variant: `simplified` says only the SIMPLIFIED_KEEP largest codes of each moment (relative to
    their kind's intensity scale), each on its own (no merges, groups or super codes); `random_skip` leaves out
    slight motions with p=0.3 (never all of them)."""
    simplified: bool = False
    random_skip: bool = False


SIMPLIFIED_KEEP = 3
MINOR_SHARE = 0.35
MAX_CYCLE = 4
REPEAT_SIMILARITY = 0.5
SIGNATURE_SIZE = 3
"""Moments whose statements overlap this much (intersection over union) are the same step of a cycle."""
BODY_PRONOUNS = {"the": "they", "their": "they", "his": "he", "her": "she"}


MOTION_VARIANTS = (MotionOptions(), MotionOptions(simplified=True), MotionOptions(random_skip=True))


@dataclass
class Sentence:
    text: str
    statements: list[str]   # the (possibly merged) statements it says, e.g. "both knees bend"
    codes: list[int]        # indices of the motion codes it came from


@dataclass
class _Words:
    rng: Random
    det: str

    @property
    def person(self) -> str:
        return PERSON_OF_DET[self.det]


def _part_text(side, part, w: _Words) -> str:
    if part == "body":
        return _body_text(w)
    if side == BOTH:
        return f"{w.rng.choice(('both', w.det))} {part}"
    return " ".join(filter(None, (w.det, side, part)))


def _body_text(w: _Words, agent=False) -> str:
    """The whole body as a subject; `agent`: as the one who moves a part ("the figure raises ...")."""
    if w.det in ("his", "her"):
        return w.rng.choice((w.person, "the man" if w.det == "his" else "the woman"))
    if w.det == "their":
        return "they"
    return w.rng.choice(BODY_WORDS[:2] if agent else BODY_WORDS)


def _conjugate(text: str, plural: bool) -> str:
    return _VERB.sub(lambda m: m.group(1) if plural else third_person(m.group(1)), text)


def _grade(codes: list[MotionCode]) -> tuple[str, str]:
    """(intensity, velocity) categories of the codes of one statement: the mean change and speed of those of
    the first code's kind (a super code mixes kinds: "squats down" is graded by its knees)."""
    kind = KINDS[codes[0].kind]
    codes = [c for c in codes if c.kind == kind.name]
    return (intensity_category(kind, sum(abs(c.change) for c in codes) / len(codes)),
            velocity_category(kind, sum(c.velocity for c in codes) / len(codes)))


def _adverbs(codes: list[MotionCode], w: _Words, interpretation="", with_speed=True) -> str:
    intensity, speed = _grade(codes)
    words = INTENSITY_SPECIAL.get((interpretation, intensity)) or INTENSITY_SPECIAL.get((codes[0].kind, intensity))
    iw = w.rng.choice(words or INTENSITY_WORDS[intensity])
    vw = w.rng.choice(VELOCITY_WORDS[speed]) if with_speed else ""
    return (f" {iw}" if iw else "") + ((" and " if iw else " ") + vw if vw else "")


def _speed_words(codes, w):
    return w.rng.choice(VELOCITY_WORDS[_grade(codes)[1]])


def _template(interp: str, second: bool, w: _Words, continuing=False) -> str:
    pool = TWO[interp] if second and interp in TWO else ONE[interp]
    if continuing:
        pool = [t for t in pool if t.startswith("{s} ")] or pool
    return w.rng.choice(pool)


def _fill(template, subject, obj="", d="their", p="", x=""):
    return template.replace("{s}", subject).replace("{o}", obj).replace("{d}", d).replace("{p}", p).replace("{x}", x)


@dataclass
class _Clause:
    text: str
    subject: tuple[str, str] | None  # who a following sentence may refer to with a pronoun


def _record_clause(r: Record, codes, w: _Words, pronoun: str | None) -> _Clause:
    plural = r.side1 == BOTH
    d = "their" if w.det == "the" else w.det
    obj = _part_text(*r.second, w) if r.part2 else ""
    fits = r.part1 in PERSON_PARTS.get(r.interpretation, (r.part1,))
    if r.part1 != "body" and not r.part2 and r.interpretation in PERSON and fits and pronoun is None \
            and w.rng.random() < PROP_PERSON:
        person = _body_text(w, agent=True)
        text = _fill(w.rng.choice(PERSON[r.interpretation]), "", d=d, p=person, x=_part_text(*r.subject, w))
        return _Clause(_conjugate(text, person == "they") + _adverbs(codes, w, r.interpretation), ("", "body"))
    template = _template(r.interpretation, bool(r.part2), w)
    if pronoun is not None:
        subject, plural = pronoun, pronoun == "they" or plural
    else:  # "the body turns its shoulders" reads wrong: a template naming the person's parts wants a person
        subject = _body_text(w, agent="{d}" in template) if r.part1 == "body" else _part_text(*r.subject, w)
        plural = plural or subject == "they"
    text = _fill(template, subject, obj, d)
    return _Clause(_conjugate(text, plural) + _adverbs(codes, w, r.interpretation), r.subject)


def _group_clause(g: InterpretationGroup, codes, w: _Words) -> _Clause:
    names = [_part_text(s, p, w) for s, p in g.subjects]
    subjects = ", ".join(names[:-1]) + " and " + names[-1]
    obj = _part_text(*g.second, w) if g.second[1] else ""
    d = "their" if w.det == "the" else w.det
    text = _fill(_template(g.interpretation, bool(g.second[1]), w), subjects, obj, d)
    return _Clause(_conjugate(text, True) + _adverbs(codes, w, g.interpretation), None)


def _subject_clause(g: SubjectGroup, owners, w: _Words, pronoun: str | None) -> _Clause:
    side, part = g.subject
    subject = pronoun or _part_text(side, part, w)
    plural = side == BOTH or subject == "they"
    d = "their" if w.det == "the" else w.det
    pieces, every = [], []
    for k, (interp, side2, part2) in enumerate(g.relations):
        codes = owners[Record(side, part, interp, side2, part2)]
        every += codes
        obj = _part_text(side2, part2, w) if part2 else ""
        text = _fill(_template(interp, bool(part2), w, continuing=k > 0), subject, obj, d)
        if k:
            text = text.removeprefix(subject).strip()
        pieces.append(_conjugate(text, plural) + _adverbs(codes, w, interp, with_speed=False))
    speed = _speed_words(every, w)
    text = ", ".join(pieces[:-1]) + " and " + pieces[-1] + (f", {speed}" if speed else "")
    return _Clause(text, g.subject)


def _merged(records, owners, rng, options):
    """The moment's records after the symmetry merge and the super motion codes, with the codes each says."""
    if options.simplified:
        return records, owners
    merged = merge_pairs(records, rng, symmetry_merge, key=lambda r: (r.part1, r.interpretation, r.part2))
    out_owners = {}
    for m in merged:
        if m in owners:
            out_owners[m] = owners[m]
        else:  # a plural: every left and right record of that part and relation
            out_owners[m] = [c for r, codes in owners.items() if r.side1 in SIDES and r.part1 == singular(m.part1)
                             and r.interpretation == m.interpretation and r.part2 == singular(m.part2) for c in codes]
    for name, recipe in SUPER_MOTIONS:
        wanted = [Record(*split_name(subject), interp) for subject, interp in recipe]
        if all(r in out_owners for r in wanted):
            codes = [c for r in wanted for c in out_owners.pop(r)]
            merged = [r for r in merged if r not in wanted] + [Record(NONE, "body", name)]
            out_owners[Record(NONE, "body", name)] = codes
    return [r for r in merged if r in out_owners], out_owners


def _item_codes(item, owners):
    if isinstance(item, InterpretationGroup):
        return [c for s in item.subjects for c in owners[Record(*s, item.interpretation, *item.second)]]
    if isinstance(item, SubjectGroup):
        return [c for rel in item.relations for c in owners[Record(*item.subject, *rel)]]
    return owners[item]


def _statement(item) -> str:
    if isinstance(item, InterpretationGroup):
        return " and ".join(" ".join(filter(None, s)) for s in item.subjects) + " " + " ".join(
            filter(None, (item.interpretation, *item.second)))
    if isinstance(item, SubjectGroup):
        return " ".join(filter(None, item.subject)) + " " + " and ".join(
            " ".join(filter(None, rel)) for rel in item.relations)
    return item.statement()


def write_motion_caption(codes: list[MotionCode], rng: Random, options: MotionOptions = MotionOptions(),
                         sex: str = "") -> list[Sentence]:
    """The sentences of one caption of a sequence's motion codes; a still sequence gets one sentence saying so."""
    drawn = rng.choices(_DET_WORDS, _DET_WEIGHTS)[0]
    w = _Words(rng, PRONOUNS_OF_SEX[sex].get(drawn, drawn))
    kept = [i for i, code in enumerate(codes) if code.said]
    if options.random_skip:
        skip = [i for i in kept if codes[i].intensity == "slight" and rng.random() < PROP_SKIP_SLIGHT]
        kept = [i for i in kept if i not in skip] or kept
    if not kept:
        subject = _body_text(w)
        text = _conjugate(_fill(rng.choice(STILL), subject), subject == "they")
        return [Sentence(finish(text + ".", w.det), ["body still"], [])]
    spans = moments([codes[i].start for i in kept], [codes[i].end for i in kept], [codes[i].channel for i in kept])
    spans = [_main_codes(m, kept, codes) for m in spans]
    sentences, previous, previous_members, last_subject = [], None, [], None
    for moment, repeats in _cycles(spans, kept, codes):
        if repeats:
            repeated = sorted(kept[i] for m in repeats for i in m.codes)
            subject = _body_text(w) if last_subject != ("", "body") else BODY_PRONOUNS[w.det]
            text = _fill(rng.choice(REPEATS), subject).replace("{n}", _times(len(repeats) // moment))
            sentences.append(Sentence(finish(_conjugate(text, subject == "they") + ".", w.det),
                                      [f"repeat {len(repeats) // moment}"], repeated))
            previous, previous_members, last_subject = repeats[-1], repeated, ("", "body")
            continue
        members = [kept[i] for i in moment.codes]
        if options.simplified:
            members = sorted(sorted(members, key=lambda i: -_salience(codes[i]))[:SIMPLIFIED_KEEP])
        owners: dict[Record, list[int]] = {}
        for i in members:
            owners.setdefault(codes[i].record, []).append(i)
        records, owners = _merged(list(owners), owners, rng, options)
        items = records if options.simplified else group_records(records, rng)
        items = [_in_time_order(item, owners, codes) for item in order_items(items, rng)]
        clauses, last_subject_before = [], last_subject
        for k, item in enumerate(items):
            item_codes = [codes[c] for c in _item_codes(item, owners)]
            pronoun = None
            if k > 0:
                last_subject = clauses[-1].subject
            if last_subject is not None and not isinstance(item, InterpretationGroup) \
                    and _subject_of(item) == last_subject:
                pronoun = BODY_PRONOUNS[w.det] if last_subject == ("", "body") else (
                    "they" if last_subject[0] == BOTH else "it")
            if isinstance(item, InterpretationGroup):
                clauses.append(_group_clause(item, item_codes, w))
            elif isinstance(item, SubjectGroup):
                clauses.append(_subject_clause(item, {r: [codes[c] for c in cs] for r, cs in owners.items()}, w,
                                               pronoun))
            else:
                clauses.append(_record_clause(item, item_codes, w, pronoun))
        text = clauses[0].text
        for clause in clauses[1:]:
            text += (rng.choice(CLAUSE_JOINERS) if len(clauses) == 2 else rng.choice(CLAUSE_JOINERS[:2])) + clause.text
        _, phrases = relation(_carried_on(previous, previous_members, items, last_subject_before, codes), moment)
        phrase = rng.choice(phrases)
        text = f"{phrase}, {text}" if phrase else text
        sentences.append(Sentence(finish(text + ".", w.det), [_statement(i) for i in items],
                                  sorted(c for item in items for c in _item_codes(item, owners))))
        previous, previous_members, last_subject = moment, members, clauses[-1].subject
    return sentences


def _main_codes(moment, kept, codes):
    """The moment without its minor codes: those under MINOR_SHARE of its largest code's salience (a hand drifting
    by 20 cm while the body squats stays in the json, not in the sentence)."""
    top = max(_salience(codes[kept[i]]) for i in moment.codes)
    main = tuple(i for i in moment.codes if _salience(codes[kept[i]]) >= MINOR_SHARE * top)
    return type(moment)(main, moment.start, moment.end)


def _signature(moment, kept, codes):
    """What a moment is, for finding cycles: the records of its SIGNATURE_SIZE largest codes."""
    largest = sorted(moment.codes, key=lambda i: -_salience(codes[kept[i]]))[:SIGNATURE_SIZE]
    return frozenset(codes[kept[i]].record for i in largest)


def _similar(a, b) -> bool:
    return len(a & b) >= REPEAT_SIMILARITY * len(a | b)


def _cycles(spans, kept, codes):
    """(moment, None) for the moments to say, and (cycle length, the moments of its repetitions) after a cycle of
    1-MAX_CYCLE moments that repeats (each repetition as similar as REPEAT_SIMILARITY): a walk or a series of
    squats is said once, then "they do this N more times"."""
    signatures = [_signature(m, kept, codes) for m in spans]
    i, n = 0, len(spans)
    while i < n:
        best = (0, 0)  # (moments covered by repetitions, cycle length)
        for p in range(1, MAX_CYCLE + 1):
            r = 0
            while i + (r + 2) * p <= n and all(_similar(signatures[i + k], signatures[i + (r + 1) * p + k])
                                               for k in range(p)):
                r += 1
            if r * p > best[0]:
                best = (r * p, p)
        for k in range(best[1] if best[0] else 1):
            yield spans[i + k], None
        if best[0]:
            yield best[1], spans[i + best[1]:i + best[1] + best[0]]
            i += best[1] + best[0]
        else:
            i += 1


def _times(n: int) -> str:
    return {1: "once more", 2: "twice more"}.get(n, f"{n} more times")


def _carried_on(previous, members, items, last_subject, codes):
    """The moment a new one is timed against: when its first subject carries on from the previous sentence, only
    that subject's codes there ("both hands move apart. Then they come together", not "meanwhile")."""
    if previous is None or not items or last_subject is None or isinstance(items[0], InterpretationGroup) \
            or _subject_of(items[0]) != last_subject:
        return previous
    part = last_subject[1]
    same = [codes[i] for i in members if codes[i].record.part1 in (part, singular(part))]
    if not same:
        return previous
    return type(previous)(previous.codes, previous.start, max(c.end for c in same))


def _salience(code: MotionCode) -> float:
    """How large a change is on its kind's scale (1 at the 'moderate' threshold)."""
    return abs(code.change) / KINDS[code.kind].intensity[0]


def _in_time_order(item, owners, codes):
    """A subject's relations in the order they start ("separate, then come together" is not shuffled)."""
    if not isinstance(item, SubjectGroup):
        return item
    start = {rel: min(codes[c].start for c in owners[Record(*item.subject, *rel)]) for rel in item.relations}
    return SubjectGroup(item.subject, tuple(sorted(item.relations, key=lambda rel: start[rel])))


def _subject_of(item):
    return item.subjects[0] if isinstance(item, InterpretationGroup) else item.subject
