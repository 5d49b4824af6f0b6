"""The posecode catalogue: every elementary posecode and super-posecode, as tables.

An elementary posecode is a kind measured on an ordered joint set of the working skeleton
(`working_set.WORKING_JOINTS`). Its *subject* is the body part a sentence is about; distance and
relative-position codes also have a *second* part. Categories are:
  acceptable  may be described (eligibility 1, skippable),
  rare        may be described and is never skipped (eligibility 2),
  support1    only used to build super-posecodes, never described,
  support2    described unless a super-posecode that needs it is produced.
Sides are "left", "right", "" (unsided) or "both" (plural subject, part in plural form).
"""
from dataclasses import dataclass, replace
from itertools import product

from ..skeleton import OTHER_SIDE
from .kinds import IGNORED, KINDS
from .record import NONE, L, R, split_name

ALL = "ALL"


@dataclass(frozen=True)
class Posecode:
    kind: str
    joints: tuple[str, ...]
    subject: str | None = None          # defaults to the first joint
    acceptable: tuple[str, ...] | str = ALL
    rare: tuple[str, ...] = ()
    support1: tuple[str, ...] = ()
    support2: tuple[str, ...] = ()

    @property
    def subject_part(self) -> tuple[str, str]:
        return split_name(self.subject or self.joints[0])

    @property
    def second_part(self) -> tuple[str, str]:
        two_parts = self.kind == "distance" or self.kind.startswith("relativePos")
        return split_name(self.joints[1]) if two_parts else (NONE, NONE)

    def describable(self) -> frozenset[str]:
        """Categories that may reach the text (support-I ones never do)."""
        cats = KINDS[self.kind].categories
        acc = [c for c in cats if c != IGNORED] if self.acceptable == ALL else list(self.acceptable)
        return frozenset(c for c in acc + list(self.rare) + list(self.support2) if c not in self.support1)


def _sided(fn):
    """Expand a per-side code builder into the left and right codes."""
    return [fn(s, OTHER_SIDE[s]) for s in (L, R)]


def _pairs(kind, parts, **kw):
    """Left-versus-right codes of a kind for each named part (subject = the left one)."""
    return [Posecode(kind, (f"left_{p}", f"right_{p}"), **kw) for p in parts]


_CLOSE_RARE = dict(acceptable=("close",), rare=("close",))

ELEMENTARY: list[Posecode] = [
    # --- angles
    *_sided(lambda s, o: Posecode("angle", (f"{s}_hip", f"{s}_knee", f"{s}_ankle"), f"{s}_knee",
                                  rare=("completely bent",), support2=("completely bent",))),
    *_sided(lambda s, o: Posecode("angle", (f"{s}_shoulder", f"{s}_elbow", f"{s}_wrist"), f"{s}_elbow",
                                  rare=("completely bent",))),
    # --- distances
    Posecode("distance", ("left_elbow", "right_elbow"), acceptable=("close", "shoulder width", "wide"),
             rare=("close",), support1=("shoulder width",)),
    Posecode("distance", ("left_hand", "right_hand"), acceptable=("close", "shoulder width", "spread", "wide"),
             support1=("shoulder width",)),
    Posecode("distance", ("left_knee", "right_knee"), acceptable=("close", "shoulder width", "wide"),
             rare=("wide",), support1=("shoulder width",)),
    Posecode("distance", ("left_foot", "right_foot"), acceptable=("close", "shoulder width", "wide"),
             rare=("close",), support1=("shoulder width",)),
    *[Posecode("distance", (f"{s}_hand", f"{t}_{p}"), **_CLOSE_RARE)
      for p in ("shoulder",) for s, t in product((L, R), (L, R))],
    *_sided(lambda s, o: Posecode("distance", (f"{s}_hand", f"{o}_elbow"), **_CLOSE_RARE)),
    *[Posecode("distance", (f"{s}_hand", f"{t}_{p}"), **_CLOSE_RARE)
      for p in ("knee", "ankle", "foot") for s, t in product((L, R), (L, R))],
    *[Posecode("distance", (f"{s}_{p}", "torso"), acceptable=("close",), support1=("close",))
      for s in (L, R) for p in ("elbow", "hand", "knee", "foot")],
    # --- relative positions along x (left is +x): arms and legs crossing the midline
    Posecode("relativePosX", ("left_hand", "right_hand"), acceptable=("at_right",), rare=("at_right",)),
    Posecode("relativePosX", ("left_foot", "right_foot"), acceptable=("at_right",), rare=("at_right",)),
    Posecode("relativePosX", ("left_hand", "left_shoulder"), acceptable=("at_right",)),
    Posecode("relativePosX", ("right_hand", "right_shoulder"), acceptable=("at_left",)),
    Posecode("relativePosX", ("left_foot", "left_hip"), acceptable=("at_right",), rare=("at_right",)),
    Posecode("relativePosX", ("right_foot", "right_hip"), acceptable=("at_left",), rare=("at_left",)),
    # --- relative positions along y (up)
    *_pairs("relativePosY", ("shoulder", "elbow", "hand", "foot"), acceptable=("below", "above")),
    Posecode("relativePosY", ("left_knee", "right_knee"), acceptable=("below", "above"), support2=("above",)),
    *_sided(lambda s, o: Posecode("relativePosY", (f"{s}_hip", f"{s}_knee"), acceptable=("above",),
                                  support1=("above",))),
    *_sided(lambda s, o: Posecode("relativePosY", (f"{s}_hand", f"{s}_shoulder"), acceptable=("above",))),
    *_sided(lambda s, o: Posecode("relativePosY", (f"{s}_foot", f"{s}_hip"), acceptable=("above",),
                                  rare=("above",))),
    *_sided(lambda s, o: Posecode("relativePosY", (f"{s}_wrist", "neck"), f"{s}_hand", acceptable=("above",))),
    *_sided(lambda s, o: Posecode("relativePosY", (f"{s}_hand", f"{s}_hip"), acceptable=("below",))),
    # --- relative positions along z (forward)
    *_pairs("relativePosZ", ("shoulder", "elbow", "hand", "knee", "foot"), acceptable=("behind", "front")),
    *_sided(lambda s, o: Posecode("relativePosZ", (f"{s}_hand", "torso"), acceptable=("behind",))),
    *_sided(lambda s, o: Posecode("relativePosZ", (f"{s}_foot", "torso"), acceptable=("behind", "front"))),
    # --- segments vertical / horizontal
    *[Posecode("relativeVAxis", (f"{s}_{a}", f"{s}_{b}"), f"{s}_{seg}", acceptable=("horizontal", "vertical"),
               rare=(rare,))
      for s in (L, R) for a, b, seg, rare in (("hip", "knee", "thigh", "horizontal"),
                                               ("knee", "ankle", "shin", "horizontal"),
                                               ("shoulder", "elbow", "upperarm", "vertical"),
                                               ("elbow", "wrist", "forearm", "vertical"))],
    *_sided(lambda s, o: Posecode("relativeVAxis", ("pelvis", f"{s}_shoulder"), f"{s}_backdiag",
                                  acceptable=("horizontal",), support1=("horizontal",))),
    Posecode("relativeVAxis", ("pelvis", "neck"), "torso", acceptable=("vertical",)),
    Posecode("relativeVAxis", ("left_hand", "right_hand"), "both_hands", acceptable=("horizontal",),
             support1=("horizontal",)),
    Posecode("relativeVAxis", ("left_foot", "right_foot"), "both_feet", acceptable=("horizontal",),
             support1=("horizontal",)),
    # --- on the ground (relative to the lowest joint)
    *[Posecode("onGround", (f"{s}_{p}",), acceptable=("on_ground",), support1=("on_ground",))
      for s in (L, R) for p in ("knee", "foot")],
    *[Posecode("onGround", (f"{s}_hand",), acceptable=("on_ground",)) for s in (L, R)],
    # --- whole-body inclination, from the shoulders, pelvis and ankles
    *[Posecode(f"bodyIncline{ax}", ("left_shoulder", "right_shoulder", "pelvis", "left_ankle", "right_ankle"),
               "body") for ax in "XYZ"],
    # --- head rotation, from joint rotations (head relative to an ancestor)
    Posecode("relativeRotX", ("head", "neck"), "head"),
    Posecode("relativeRotY", ("head", "pelvis"), "head"),
    Posecode("relativeRotZ", ("head", "neck"), "head"),
]


@dataclass(frozen=True)
class SuperPosecode:
    """A boolean combination of elementary categories: any recipe suffices; a recipe needs all its
    (kind, joints, category) conditions to hold on the noisy categories."""
    subject: str
    interpretation: str
    recipes: tuple[tuple[tuple[str, tuple[str, ...], str], ...], ...]
    rare: bool = False
    second: str | None = None

    @property
    def subject_part(self):
        return split_name(self.subject)

    @property
    def second_part(self):
        return split_name(self.second) if self.second else (NONE, NONE)


_KNEES_ON_GROUND = (("onGround", ("left_knee",), "on_ground"), ("onGround", ("right_knee",), "on_ground"))

SUPER: list[SuperPosecode] = [
    SuperPosecode("torso", "horizontal", ((("relativeVAxis", ("pelvis", "left_shoulder"), "horizontal"),
                                           ("relativeVAxis", ("pelvis", "right_shoulder"), "horizontal")),), rare=True),
    SuperPosecode("body", "kneel_on_left", ((("relativePosY", ("left_knee", "right_knee"), "below"),
                                             ("onGround", ("left_knee",), "on_ground"),
                                             ("onGround", ("right_foot",), "on_ground")),), rare=True),
    SuperPosecode("body", "kneel_on_right", ((("relativePosY", ("left_knee", "right_knee"), "above"),
                                              ("onGround", ("right_knee",), "on_ground"),
                                              ("onGround", ("left_foot",), "on_ground")),), rare=True),
    SuperPosecode("body", "kneeling", (
        (("relativePosY", ("left_hip", "left_knee"), "above"), ("relativePosY", ("right_hip", "right_knee"), "above"),
         *_KNEES_ON_GROUND),
        (("angle", ("left_hip", "left_knee", "left_ankle"), "completely bent"),
         ("angle", ("right_hip", "right_knee", "right_ankle"), "completely bent"), *_KNEES_ON_GROUND)), rare=True),
    SuperPosecode("both_hands", "shoulder width", ((("distance", ("left_hand", "right_hand"), "shoulder width"),
                                                    ("relativeVAxis", ("left_hand", "right_hand"), "horizontal")),),
                  rare=True),
    SuperPosecode("both_feet", "shoulder width", ((("distance", ("left_foot", "right_foot"), "shoulder width"),
                                                   ("relativeVAxis", ("left_foot", "right_foot"), "horizontal")),)),
]

# --- alignment super-posecodes: an extremity aligned with a limb part on two axes (and not far away)
ALIGNMENT_TARGETS = ("shoulder", "upperarm", "elbow", "forearm", "hip", "thigh", "knee", "shin")
_SAME_SIDE_EXCLUDED = {"hand": ALIGNMENT_TARGETS[:4], "foot": ALIGNMENT_TARGETS[4:]}
ALIGNMENT_AXES = {"xy-aligned": "xy", "xz-aligned": "xz", "yz-aligned": "yz"}
ALIGNMENT_DISTANCES = ("close", "shoulder width", "spread")


def _alignment_pairs():
    for s1, extremity, s2, target in product((L, R), ("hand", "foot"), (L, R), ALIGNMENT_TARGETS):
        if not (s1 == s2 and target in _SAME_SIDE_EXCLUDED[extremity]):
            yield f"{s1}_{extremity}", f"{s2}_{target}"


def _with_alignment_codes(codes: list[Posecode], supers: list[SuperPosecode]):
    """Create or extend the elementary codes the alignment super-posecodes need (as support), and add them."""
    by_key = {(c.kind, frozenset(c.joints)): i for i, c in enumerate(codes)}
    codes = list(codes)

    def support(kind, joints, category):
        i = by_key.get((kind, frozenset(joints)))
        if i is None:
            by_key[(kind, frozenset(joints))] = len(codes)
            codes.append(Posecode(kind, joints, acceptable=(), support1=(category,)))
            return
        code = codes[i]
        if category in code.support1 + code.support2:
            return
        if category in code.rare:   # a rare "close" stays said unless the alignment is said instead
            codes[i] = replace(code, support2=code.support2 + (category,))
        else:
            codes[i] = replace(code, support1=code.support1 + (category,))

    new_supers = []
    for a, b in _alignment_pairs():
        for axis in "xyz":
            support(f"relativePos{axis.upper()}", (a, b), f"{axis}-aligned")
        for d in ALIGNMENT_DISTANCES:
            support("distance", (a, b), d)
        for interp, axes in ALIGNMENT_AXES.items():
            recipes = tuple(tuple((f"relativePos{ax.upper()}", (a, b), f"{ax}-aligned") for ax in axes)
                            + (("distance", (a, b), d),) for d in ALIGNMENT_DISTANCES)
            new_supers.append(SuperPosecode(a, interp, recipes, second=b))
    return codes, supers + new_supers


ELEMENTARY, SUPER = _with_alignment_codes(ELEMENTARY, SUPER)


def _validate():
    """Start-up sanity rules of the catalogue."""
    seen = set()
    for c in ELEMENTARY:
        cats = KINDS[c.kind].categories
        key = (c.kind, frozenset(c.joints))
        assert key not in seen, f"joint set defined twice for {c.kind}: {c.joints}"
        seen.add(key)
        listed = (() if c.acceptable == ALL else c.acceptable) + c.rare + c.support1 + c.support2
        assert all(x in cats and x != IGNORED for x in listed), c
        assert not set(c.rare) & set(c.support1), f"rare and support-I at once: {c}"
    for s in SUPER:
        for recipe in s.recipes:
            for kind, joints, cat in recipe:
                assert (kind, frozenset(joints)) in seen, f"super-posecode needs a missing code {kind}{joints}"
                assert cat in KINDS[kind].categories, (kind, cat)


_validate()
