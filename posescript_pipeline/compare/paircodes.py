"""The paircode catalogue (PoseFix, spec A.4-A.9), as tables.

A paircode measures, for a pair (A = start pose, B = target pose), value(A) - value(B) of a single-pose
measurement, or for relativePos kinds the move of one joint between the two poses. Category names read
from B's point of view ("bent more": B's joint is more bent than A's). The one category named IGNORED
is the direction switch: categories before it are one direction, after it the other; the distance to
it is the magnitude.

Records made from paircodes carry the interpretation `PAIR + category` so that they never collide with
posecode interpretations (a pose-B "bent more" statement is not a "bent more" instruction).
"""
from dataclasses import dataclass, replace

from ..posecodes.catalogue import ELEMENTARY, SUPER
from ..posecodes.record import L, R, split_name
from ..posecodes.kinds import IGNORED, KINDS, Kind

PAIR = "pair:"


def _kind(name, categories, thresholds, noise, needs_rotations=False):
    return Kind(name, categories, thresholds, noise, needs_rotations)


def _five(prefix, low, high, thresholds, noise, rotations=False, slight_after=False):
    """A five-category kind: much low, slightly low, ignored, slightly high, much high."""
    def slightly(x):
        return f"{x} slightly more" if slight_after else f"slightly {x}"
    more = " more" if slight_after else ""
    return _kind(prefix, (f"{low}{more}", slightly(low), IGNORED, slightly(high), f"{high}{more}"),
                 thresholds, noise, rotations)


_POSITION = (-0.40, -0.15, 0.15, 0.40)

PAIR_KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("pair_angle", ("bent much less", "bent less", "bent slightly less", IGNORED, "bent slightly more",
                         "bent more", "bent much more"), (-80, -45, -18, 18, 45, 80), 5),
    _kind("pair_distance", ("farther", "slightly farther", IGNORED, "slightly closer", "closer"),
          (-0.40, -0.10, 0.10, 0.40), 0.05),
    _kind("pair_relativePosX", ("more to left", "slightly more to left", IGNORED, "slightly more to right",
                                "more to right"), _POSITION, 0.05),
    _kind("pair_relativePosY", ("higher", "slightly higher", IGNORED, "slightly lower", "lower"), _POSITION, 0.05),
    _kind("pair_relativePosZ", ("more to front", "slightly more to front", IGNORED, "slightly more to back",
                                "more to back"), _POSITION, 0.05),
    _five("pair_bodyInclineX", "body incline forward", "body incline backward", (-45, -20, 20, 45), 5,
          slight_after=True),
    _five("pair_bodyInclineY", "body twist right", "body twist left", (-45, -20, 20, 45), 5, slight_after=True),
    _five("pair_bodyInclineZ", "body lean left", "body lean right", (-30, -15, 15, 30), 5, slight_after=True),
    _kind("pair_relativeRotX", ("incline forward more", IGNORED, "incline backward more"), (-30, 30), 5, True),
    _five("pair_relativeRotY", "turn left", "turn right", (-30, -15, 15, 30), 5, True, slight_after=True),
)}
# The turn of the whole body about the vertical from A to B (spec A.11): not a paircode (no record, no
# aggregation) but one sentence put before the instruction. Value = the root's rotation change in degrees,
# + = turning left; "around" is both ends (a half turn either way).
GLOBAL_ROTATION = _kind("global_rotation", ("around", "around to the right", "a quarter to the right",
                                            "slightly more to the right", IGNORED, "slightly more to the left",
                                            "a quarter to the left", "around to the left", "around"),
                        (-150, -120, -60, -20, 20, 60, 120, 150), 10)
# The single-pose kind each paircode kind differences (relativePos: the same joint in both poses).
BASE_KIND = {name: name[len("pair_"):] for name in PAIR_KINDS}
POSITION_KINDS = ("pair_relativePosX", "pair_relativePosY", "pair_relativePosZ")


def switch(kind: str) -> int:
    return PAIR_KINDS[kind].categories.index(IGNORED)


def direction(kind: str, category: str) -> int:
    """-1 before the switch, +1 after, 0 for the neutral category."""
    k = PAIR_KINDS[kind].categories.index(category) - switch(kind)
    return (k > 0) - (k < 0)


def magnitude(kind: str, category: str) -> int:
    return abs(PAIR_KINDS[kind].categories.index(category) - switch(kind))


def non_neutral(kind: str) -> tuple[str, ...]:
    return tuple(c for c in PAIR_KINDS[kind].categories if c != IGNORED)


def pair_interpretations() -> dict[str, tuple[str, int, int]]:
    """Record interpretation -> (kind, direction, magnitude), for every elementary category."""
    return {PAIR + c: (kind, direction(kind, c), magnitude(kind, c)) for kind in PAIR_KINDS for c in non_neutral(kind)}


@dataclass(frozen=True)
class Paircode:
    kind: str
    joints: tuple[str, ...]
    focus: str | None = None          # text subject; None: the first joint (and the second is the object)
    support1: tuple[str, ...] = ()    # categories only used to build super-paircodes (never said)
    support2: tuple[str, ...] = ()    # categories hidden where a super-paircode using them is produced

    @property
    def subject_part(self) -> tuple[str, str]:
        return split_name(self.focus or self.joints[0])

    @property
    def second_part(self) -> tuple[str, str]:
        """Only distances keep a second body part (spec A.5)."""
        return split_name(self.joints[1]) if self.kind == "pair_distance" else ("", "")

    @property
    def base(self) -> tuple[str, tuple[str, ...]]:
        """The single-pose (kind, joints) whose value is differenced."""
        return BASE_KIND[self.kind], self.joints


_BENT = ("bent much less", "bent less", "bent slightly less", "bent slightly more", "bent more", "bent much more")
_INCLINE = ("left_shoulder", "right_shoulder", "pelvis", "left_ankle", "right_ankle")
PAIRED_PARTS = ("elbow", "hand", "knee", "foot")

PAIRCODES: list[Paircode] = [
    *[Paircode("pair_angle", (f"{s}_hip", f"{s}_knee", f"{s}_ankle"), f"{s}_knee", support2=_BENT) for s in (L, R)],
    *[Paircode("pair_angle", (f"{s}_shoulder", f"{s}_elbow", f"{s}_wrist"), f"{s}_elbow", support2=_BENT)
      for s in (L, R)],
    *[Paircode("pair_distance", (f"left_{p}", f"right_{p}"), support1=non_neutral("pair_distance"))
      for p in PAIRED_PARTS],
    *[Paircode("pair_distance", (f"{s}_{p}", "torso"), f"{s}_{p}", support1=non_neutral("pair_distance"))
      for s in (L, R) for p in PAIRED_PARTS],
    *[Paircode("pair_relativePosX", (f"{s}_{p}",)) for p in PAIRED_PARTS for s in (L, R)],
    *[Paircode(f"pair_relativePos{ax}", (f"{s}_{p}",)) for ax in "YZ" for p in ("shoulder", *PAIRED_PARTS)
      for s in (L, R)],
    *[Paircode(f"pair_bodyIncline{ax}", _INCLINE, "body") for ax in "XYZ"],
    Paircode("pair_relativeRotX", ("head", "neck"), "head"),
    Paircode("pair_relativeRotY", ("head", "pelvis"), "head"),
]
PAIRCODE_INDEX = {(c.kind, c.joints): i for i, c in enumerate(PAIRCODES)}

# --- super-paircodes (spec A.9): any recipe; a recipe is a conjunction of conditions.
# A condition is ("pair", paircode joints key, categories) | ("A"/"B", posecode kind, joints, category).
STRAIGHTEN = PAIR + "straighten"


@dataclass(frozen=True)
class SuperPaircode:
    subject: str
    interpretation: str
    recipes: tuple[tuple[tuple, ...], ...]
    second: str | None = None
    rare: bool = True

    @property
    def subject_part(self):
        return split_name(self.subject)

    @property
    def second_part(self):
        return split_name(self.second) if self.second else ("", "")


def _less_bent():
    return tuple(c for c in non_neutral("pair_angle") if direction("pair_angle", c) < 0)


def _straighten(side, limb, joints):
    angle = ("pair", ("pair_angle", joints), _less_bent())
    recipes = tuple((angle, ("B", "angle", joints, target)) for target in ("slightly bent", "straight"))
    return SuperPaircode(f"{side}_{limb}", STRAIGHTEN, recipes)


def _distance_supers():
    out = []
    for p in PAIRED_PARTS:
        for (joints, subject, second) in [((f"left_{p}", f"right_{p}"), f"both_{_plural(p)}", None),
                                          *[((f"{s}_{p}", "torso"), f"{s}_{p}", "torso") for s in (L, R)]]:
            for category in non_neutral("pair_distance"):
                # farther: the parts were close in A; closer: they end close in B
                pose = "A" if direction("pair_distance", category) < 0 else "B"
                recipe = (("pair", ("pair_distance", joints), (category,)), (pose, "distance", joints, "close"))
                out.append(SuperPaircode(subject, PAIR + category, (recipe,), second))
    return out


def _plural(part):
    return {"foot": "feet"}.get(part, part + "s")


SUPER_PAIRCODES: list[SuperPaircode] = [
    _straighten(L, "leg", ("left_hip", "left_knee", "left_ankle")),
    _straighten(R, "leg", ("right_hip", "right_knee", "right_ankle")),
    _straighten(L, "arm", ("left_shoulder", "left_elbow", "left_wrist")),
    _straighten(R, "arm", ("right_shoulder", "right_elbow", "right_wrist")),
    *_distance_supers(),
]

# --- pose-B "absolute" posecodes (spec A.7): categories meaningful as a target state, and the rare ones.
_ANGLE_ABS = (("completely bent", "right angle", "straight"), ("completely bent",))
_CLOSE, _CLOSE_RARE = (("close",), ()), (("close",), ("close",))


def _absolute_of(code) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(absolute categories, rare among them) of a single-pose posecode."""
    side, part = split_name(code.subject or code.joints[0])
    parts = tuple(split_name(j)[1] for j in code.joints)
    if code.kind == "angle":
        return _ANGLE_ABS
    if code.kind == "distance" and len(set(parts)) == 1 and parts[0] in PAIRED_PARTS:
        return _CLOSE_RARE if parts[0] in ("elbow", "foot") else _CLOSE
    if code.kind == "distance" and parts[0] == "hand" and code.rare == ("close",):
        return _CLOSE_RARE  # the 18 hand-to-limb distances
    if code.kind == "relativeVAxis" and part in ("thigh", "shin") and side:
        return ("horizontal",), ("horizontal",)
    if code.kind == "relativeVAxis" and part in ("upperarm", "forearm") and side:
        return ("horizontal", "vertical"), ("vertical",)
    if code.kind == "onGround" and part == "hand":
        return ("on_ground",), ()
    return (), ()


def _absolute_posecodes():
    """The single-pose catalogue with its describable categories restricted to the absolute ones (same
    code order, so single-pose measurements index it directly)."""
    out = []
    for code in ELEMENTARY:
        absolute, rare = _absolute_of(code)
        out.append(replace(code, acceptable=absolute, rare=rare,
                           support2=tuple(c for c in code.support2 if c in absolute)))
    return out


ABSOLUTE_POSECODES = _absolute_posecodes()
# Super-posecodes flagged absolute: all but the kneeling ones.
ABSOLUTE_SUPER_POSECODES = [s for s in SUPER if not s.interpretation.startswith("kneel")]


def _validate():
    assert len(PAIRCODES) == 49 and len(SUPER_PAIRCODES) == 52
    assert sum(bool(_absolute_of(c)[0]) for c in ELEMENTARY) == 4 + 4 + 18 + 8 + 2
    posecodes = {(c.kind, c.joints) for c in ELEMENTARY}
    for c in PAIRCODES:
        if c.kind not in POSITION_KINDS:
            assert c.base in posecodes, f"paircode {c.kind}{c.joints} needs the posecode {c.base}"
    for s in SUPER_PAIRCODES:
        for recipe in s.recipes:
            for cond in recipe:
                if cond[0] == "pair":
                    assert cond[1] in PAIRCODE_INDEX and set(cond[2]) <= set(non_neutral(cond[1][0]))
                else:
                    assert (cond[1], cond[2]) in posecodes and cond[3] in KINDS[cond[1]].categories
    names = [c for k in PAIR_KINDS.values() for c in k.categories if c != IGNORED]
    assert len(names) == len(set(names)), "paircode category names must be unique"


_validate()
