"""Turn ordered records into one caption (spec section 11), with the published wording quirks fixed:
subject-verb agreement ("they are"), "His knees" keeps its space, only the first letter of a
sentence is capitalised, and head statements always keep their own connectors.

The comparative engine (`compare.instructions`) words its pose-B statements with the same pieces:
`Context`, `relation`, `second_part_text`, `fill` and `finish`."""
import re
from dataclasses import dataclass
from random import Random

import numpy as np

from ..aggregation import CaptionOptions, InterpretationGroup, SubjectGroup
from ..posecodes.kinds import HEAD_ROTATIONS, ORDER_AXIS
from ..posecodes.record import BOTH, SIDES, Record
from .templates import (BODY_AT_START, BODY_INSIDE, COMPOUND_WORDS, DETERMINERS, HEAD, ONE_PART, PERSON,
                        PRONOUNS_OF_SEX, TRANSITIONS, TWO_PARTS)

_DET_WORDS, _DET_WEIGHTS = zip(*DETERMINERS)
_VERB_REMOVAL = re.compile(r" (is|are) ")
_SPACES = re.compile(r"\s+")
_COMPOUNDS = re.compile(r"\b(" + "|".join(COMPOUND_WORDS) + r")")


@dataclass
class Context:
    """One text's choices: its generator, its determiner ("the", "their", "his", "her") and its variant."""
    rng: Random
    det: str
    options: CaptionOptions

    @property
    def person(self) -> str:
        return PERSON[self.det]


@dataclass
class _Subject:
    text: str
    plural: bool
    pronoun: str | None  # how to refer to it again in a new sentence ("it", "they", "he", ...)


def _subject(side: str, part: str, ctx: Context, sentence_start: bool) -> _Subject:
    if part == "body":
        return _body_subject(ctx, sentence_start)
    if side == BOTH:
        return _Subject(f"{ctx.rng.choice(('both', ctx.det))} {part}", True, "they")
    return _Subject(" ".join(filter(None, (ctx.det, side, part))), False, "it")


def _body_subject(ctx: Context, sentence_start: bool) -> _Subject:
    word = ctx.rng.choice(BODY_AT_START if sentence_start else BODY_INSIDE)
    if word == "they" and ctx.det in ("his", "her"):
        word = ctx.person
    elif word == "the human" and ctx.det in ("his", "her"):
        word = "the man" if ctx.det == "his" else "the woman"
    elif word == "the body":
        word = f"{ctx.det} body"
    again = {"the": "the person", "their": "they", "his": "he", "her": "she"}[ctx.det]
    return _Subject(word, word == "they", again)


def second_part_text(record_side1, record_part1, side2, part2, ctx: Context, omit_allowed: bool) -> str:
    """The second body part of a relation; the same part on the other side may be "the other" or "the <side>"
    when `omit_allowed`."""
    if side2 == BOTH:
        return f"{ctx.det} {part2}"
    if omit_allowed and part2 == record_part1 and {side2, record_side1} == set(SIDES):
        choice = ctx.rng.randrange(3)
        if choice == 1:
            return "the other"
        if choice == 2:
            return f"the {side2}"
    return " ".join(filter(None, (ctx.det, side2, part2)))


def _omit_second(part1: str, interp: str, part2: str) -> bool:
    """Second parts that add nothing ("the left hand is behind the torso" -> "is in the back"). For
    feet the torso stays: "the left foot is ahead" would read as ahead of the other foot."""
    axis = ORDER_AXIS.get(interp)
    return ((part2 == "torso" and axis == "z" and part1 not in ("foot", "feet"))
            or (part1 in ("hand", "hands") and part2 == "shoulder" and axis == "x")
            or (part1 in ("foot", "feet") and part2 == "hip" and axis == "x")
            or (part1 in ("hand", "hands", "wrist") and part2 == "neck" and interp == "above"))


def relation(side1, part1, interp, side2, part2, ctx: Context):
    """(template, second-part text) for one relation of a subject."""
    flow = not ctx.options.simplified
    if part2 and not (flow and _omit_second(part1, interp, part2)) and interp in TWO_PARTS:
        return ctx.rng.choice(TWO_PARTS[interp]), second_part_text(side1, part1, side2, part2, ctx, flow)
    return ctx.rng.choice(ONE_PART[interp]), ""


def fill(template: str, subject: str, verb: str, obj: str = "") -> str:
    """A template with its slots filled; without a verb ("with ..." clauses) the "is"/"are" goes too."""
    text = template.format(s=subject, v=verb, o=obj)
    return _VERB_REMOVAL.sub(" ", f" {text} ").strip() if not verb else text


def _head(interp: str, ctx: Context, with_mode: bool) -> str:
    template, by_person = ctx.rng.choice([t for t in HEAD[interp] if not (with_mode and t[1])])
    who = ctx.person
    verb = "" if with_mode else ("are" if by_person and who == "they" else "is")
    return fill(template.replace("{who}", who).replace("{d}", ctx.det), "", verb)


def _verb(subject: _Subject, with_mode: bool) -> str:
    return "" if with_mode else ("are" if subject.plural else "is")


def _record(record: Record, ctx: Context, with_mode: bool, sentence_start: bool) -> str:
    if record.interpretation in HEAD_ROTATIONS and record.part1 == "head":
        return _head(record.interpretation, ctx, with_mode)
    subject = _subject(*record.subject, ctx, sentence_start)
    template, obj = relation(*record, ctx)
    return fill(template, subject.text, _verb(subject, with_mode), obj)


def _interpretation_group(group: InterpretationGroup, ctx: Context, with_mode: bool) -> str:
    names = [_subject(s, p, ctx, False).text for s, p in group.subjects]
    subjects = ", ".join(names[:-1]) + " and " + names[-1]
    side2, part2 = group.second
    template, obj = relation("", "", group.interpretation, side2, part2, ctx)
    return fill(template, subjects, "" if with_mode else "are", obj)


def _subject_group(group: SubjectGroup, ctx: Context, with_mode: bool, sentence_start: bool) -> str:
    """First relation with the full subject; the next ones joined by a connector (spec 11.6):
    "and"/"," without verb, a new sentence with a pronoun, or "and" with verb (only after a
    connector that kept its verb, and then followed by a new sentence)."""
    side1, part1 = group.subject
    subject = _subject(side1, part1, ctx, sentence_start)
    verb = _verb(subject, with_mode)
    pronoun_verb = "are" if subject.pronoun == "they" else "is"
    pieces, previous = [], ("verb" if verb else "bare")
    for k, (interp, side2, part2) in enumerate(group.relations):
        template, obj = relation(side1, part1, interp, side2, part2, ctx)
        if k == 0:
            pieces.append(fill(template, subject.text, verb, obj))
            continue
        if with_mode:
            choices = ("and", "comma")
        elif previous == "and+verb":
            choices = ("sentence",)
        else:
            choices = ("and", "comma", "sentence") + (("and+verb",) if previous != "bare" else ())
        previous = ctx.rng.choice(choices)
        if previous == "sentence":
            pieces.append(". " + fill(template, subject.pronoun, pronoun_verb, obj))
        else:
            joiner = ", " if previous == "comma" else " and "
            bare = "" if previous != "and+verb" else verb
            pieces.append(joiner + fill(template, "", bare, obj).strip())
            previous = "bare" if not bare else previous
    return "".join(pieces)


def write_caption(items, rng: Random, options: CaptionOptions, sex: str = "") -> str:
    """One caption from ordered (possibly aggregated) records; "" when there is nothing to say. `sex` ("male",
    "female", "" unknown) decides the gendered words ("he", "her"): they follow the body, or are neutral."""
    if not items:
        return ""
    drawn = rng.choices(_DET_WORDS, _DET_WEIGHTS)[0]
    ctx = Context(rng, PRONOUNS_OF_SEX[sex].get(drawn, drawn), options)
    pieces, with_mode = [], False
    for k, item in enumerate(items):
        transition = rng.choice(TRANSITIONS) if k else ""
        if transition != " and ":
            with_mode = transition == " with "
        start = k == 0 or transition == ". "
        if isinstance(item, InterpretationGroup):
            text = _interpretation_group(item, ctx, with_mode)
        elif isinstance(item, SubjectGroup):
            text = _subject_group(item, ctx, with_mode, start)
        else:
            text = _record(item, ctx, with_mode, start)
        pieces.append(transition + text)
    return finish("".join(pieces) + ".", ctx.det)


def finish(text: str, det: str) -> str:
    """Spacing, compound words, gendered pronouns, then sentence capitals (first letter only)."""
    text = _SPACES.sub(" ", text).strip()
    text = _COMPOUNDS.sub(lambda m: COMPOUND_WORDS[m.group(1)], text)
    if det in ("his", "her"):
        text = re.sub(r"\btheir\b", det, text)
        text = re.sub(r"\bthem\b", "him" if det == "his" else "her", text)
    return ". ".join(s[:1].upper() + s[1:] for s in text.split(". "))


def _check_templates():
    """Every statement a caption can make has templates (checked once, at import): head rotations in HEAD; a
    relation with a second part in TWO_PARTS, or in ONE_PART when the part is missing or may be left out."""
    from ..posecodes.evaluation import CATALOGUE
    from ..posecodes.kinds import TOUCH
    from ..posecodes.touch import touch_records

    sayable = zip(*np.nonzero(CATALOGUE.eligibility))
    records = [CATALOGUE.records[code][category] for code, category in sayable] + CATALOGUE.super_records
    records += touch_records([("left_hand", "right_knee")])
    missing = set()
    for r in records:
        if r.interpretation in HEAD_ROTATIONS:
            missing |= {("HEAD", r.interpretation)} - {("HEAD", i) for i in HEAD}
            continue
        omissible = r.interpretation in ORDER_AXIS or r.interpretation == "above"
        if not r.part2 or r.interpretation not in TWO_PARTS or omissible:
            missing |= {("ONE_PART", r.interpretation)} - {("ONE_PART", i) for i in ONE_PART}
    assert TOUCH in TWO_PARTS and not missing, f"statements without a caption template: {sorted(missing)}"


_check_templates()
