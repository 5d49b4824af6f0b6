"""Words of motion statements, keyed by interpretation (see `catalogue.CHANNELS`).

Slots: {s} the subject ("the left knee", "both hands", "the person"), {o} the second part, {p} the person
(for templates whose subject is the person while the statement is about a part), {x} the part as an object
("raises {x}"), {d} the determiner. Verbs are written <base>: they agree with the subject when filled.
"""

ONE = {
    "bend": ["{s} <bend>", "{s} <flex>"],
    "extend": ["{s} <straighten>", "{s} <extend>", "{s} <unbend>"],
    "closer": ["{s} <come> together", "{s} <move> closer together", "{s} <draw> together"],
    "apart": ["{s} <move> apart", "{s} <spread> apart", "{s} <separate>"],
    "up": ["{s} <move> up", "{s} <rise>", "{s} <go> up"],
    "down": ["{s} <move> down", "{s} <go> down", "{s} <drop>"],
    "forward": ["{s} <move> forward", "{s} <reach> forward", "{s} <go> forward"],
    "backward": ["{s} <move> back", "{s} <pull> back", "{s} <move> backward"],
    "left": ["{s} <move> to the left", "{s} <shift> to the left", "{s} <go> to the left"],
    "right": ["{s} <move> to the right", "{s} <shift> to the right", "{s} <go> to the right"],
    "body up": ["{s} <move> up", "{s} <rise>", "{s} <go> up"],
    "body down": ["{s} <move> down", "{s} <go> down", "{s} <sink> down"],
    "body forward": ["{s} <move> forward", "{s} <travel> forward", "{s} <step> forward"],
    "body backward": ["{s} <move> backward", "{s} <step> back", "{s} <move> back"],
    "body left": ["{s} <move> to the left", "{s} <step> to the left", "{s} <shift> to the left"],
    "body right": ["{s} <move> to the right", "{s} <step> to the right", "{s} <shift> to the right"],
    "turn left": ["{s} <turn> to the left", "{s} <turn> left", "{s} <rotate> to the left"],
    "turn right": ["{s} <turn> to the right", "{s} <turn> right", "{s} <rotate> to the right"],
    "lean forward": ["{s} <lean> forward", "{s} <bend> forward", "{s} <bow> forward"],
    "lean backward": ["{s} <lean> back", "{s} <lean> backward", "{s} <arch> back"],
    "lean left": ["{s} <lean> to the left", "{s} <bend> sideways to the left", "{s} <tilt> to the left"],
    "lean right": ["{s} <lean> to the right", "{s} <bend> sideways to the right", "{s} <tilt> to the right"],
    "upright": ["{s} <straighten> up", "{s} <come> back upright", "{s} <return> upright"],
    "twist left": ["{s} <twist> to the left", "{s} <turn> {d} shoulders to the left"],
    "twist right": ["{s} <twist> to the right", "{s} <turn> {d} shoulders to the right"],
    "untwist": ["{s} <untwist>", "{s} <turn> {d} shoulders back to the front"],
    "head turn left": ["{s} <turn> to the left", "{s} <turn> left"],
    "head turn right": ["{s} <turn> to the right", "{s} <turn> right"],
    "head forward": ["{s} <turn> back to the front", "{s} <turn> back forward"],
    "head down": ["{s} <tilt> down", "{s} <bow>", "{s} <drop> forward"],
    "head up": ["{s} <tilt> up", "{s} <tilt> back", "{s} <lift>"],
    "head level": ["{s} <come> back level", "{s} <return> to level"],
    "head tilt left": ["{s} <tilt> to the left", "{s} <lean> to the left"],
    "head tilt right": ["{s} <tilt> to the right", "{s} <lean> to the right"],
    "head straight": ["{s} <straighten>", "{s} <come> back upright"],
    "squat down": ["{s} <squat> down", "{s} <crouch> down", "{s} <bend> both knees and <go> down"],
    "stand up": ["{s} <stand> up", "{s} <rise> back up", "{s} <straighten> both legs and <come> up"],
}

TWO = {
    "closer": ["{s} <move> closer to {o}", "{s} <come> closer to {o}", "{s} <approach> {o}"],
    "apart": ["{s} <move> away from {o}", "{s} <move> further from {o}", "{s} <draw> away from {o}"],
}

PERSON = {
    # the person as the subject of a statement about one of their parts (without a second part; see PERSON_PARTS)
    "bend": ["{p} <bend> {x}"],
    "extend": ["{p} <straighten> {x}", "{p} <extend> {x}"],
    "up": ["{p} <raise> {x}", "{p} <lift> {x}"],
    "down": ["{p} <lower> {x}", "{p} <drop> {x}"],
    "forward": ["{p} <push> {x} forward", "{p} <reach> forward with {x}"],
    "backward": ["{p} <pull> {x} back", "{p} <draw> {x} back"],
    "closer": ["{p} <bring> {x} together", "{p} <bring> {x} closer together"],
    "apart": ["{p} <spread> {x} apart", "{p} <move> {x} apart"],
    "head turn left": ["{p} <look> to the left", "{p} <turn> {x} to the left"],
    "head turn right": ["{p} <look> to the right", "{p} <turn> {x} to the right"],
    "head down": ["{p} <look> down", "{p} <lower> {x}", "{p} <nod> down"],
    "head up": ["{p} <look> up", "{p} <raise> {x}"],
    "head forward": ["{p} <look> ahead again"],
}
PERSON_PARTS = {"forward": ("hand", "hands"), "backward": ("hand", "hands"), "closer": ("hands", "feet", "knees"),
                "apart": ("hands", "feet", "knees")}
"""Interpretations whose person templates fit only some parts (the others fit every part they are said of)."""
PROP_PERSON = 0.35
"""Share of single statements about a part said with the person as the subject, where the words exist."""

INTENSITY_WORDS = {
    "slight": ("slightly", "a little", "a bit"),
    "moderate": ("",),
    "significant": ("a lot", "considerably", "far"),
}
INTENSITY_SPECIAL = {
    # interpretations, then kinds, whose changes have their own words
    ("squat down", "significant"): ("deeply", "low"),
    ("squat down", "moderate"): ("",), ("squat down", "slight"): ("a little", "slightly"),
    ("stand up", "significant"): ("fully", "all the way"), ("stand up", "moderate"): ("",),
    ("stand up", "slight"): ("a little", "slightly"),
    ("angle", "significant"): ("a lot", "fully", "deeply"),
    ("turn", "significant"): ("a long way", "all the way round"),
    ("turn", "moderate"): ("",),
}
VELOCITY_WORDS = {
    "very_slow": ("very slowly", "extremely slowly"),
    "slow": ("slowly", "gently", "steadily"),
    "moderate": ("",),
    "fast": ("quickly", "rapidly", "briskly"),
    "very_fast": ("very quickly", "very fast", "rapidly"),
}
REPEATS = ["{s} <do> this {n}", "{s} <repeat> this {n}", "{s} <go> through the same motion {n}"]
"""A cycle said once, then its repetitions: {n} is "once more", "twice more", "5 more times"."""
STILL = ["{s} <stay> still", "{s} <do> not move", "{s} <hold> still the whole time", "{s} <keep> still"]
BODY_WORDS = ("the person", "the figure", "the body")
CLAUSE_JOINERS = (" and ", ", and ", " while ")
ES_ENDINGS = ("s", "sh", "ch", "x", "z", "o")


def third_person(verb: str) -> str:
    """'bend' -> 'bends', 'reach' -> 'reaches', 'go' -> 'goes'."""
    return verb + ("es" if verb.endswith(ES_ENDINGS) else "s")


def _check():
    for table in (ONE, TWO, PERSON):
        for interp, pool in table.items():
            assert pool and all("<" in t for t in pool), interp
    from .catalogue import CHANNELS, SUPER_MOTIONS
    needed = {i for c in CHANNELS for i in (c.down, c.up, c.towards_neutral) if i} | {s for s, _ in SUPER_MOTIONS}
    missing = needed - set(ONE)
    assert not missing, f"motion interpretations without words: {sorted(missing)}"


_check()
