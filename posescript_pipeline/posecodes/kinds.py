"""Posecode kinds: what each measures, its categories, thresholds and noise margin.

A value v falls in category i for the smallest i with v <= thresholds[i]; values above the last
threshold get the last category (intervals are left-open, right-closed). Categories named
"ignored" are ambiguous bands that are never described.
"""
from dataclasses import dataclass

IGNORED = "ignored"


@dataclass(frozen=True)
class Kind:
    name: str
    categories: tuple[str, ...]
    thresholds: tuple[float, ...]
    noise: float  # half-width of the uniform noise added before binning ("random margin")
    needs_rotations: bool = False

    def __post_init__(self):
        assert len(self.categories) == len(self.thresholds) + 1, self.name
        assert list(self.thresholds) == sorted(self.thresholds), self.name


def _relative_position(axis: str, low: str, high: str) -> Kind:
    return Kind(f"relativePos{axis.upper()}", (low, IGNORED, f"{axis}-aligned", IGNORED, high),
                (-0.15, -0.05, 0.05, 0.15), 0.05)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("angle", ("completely bent", "bent more", "right angle", "bent less", "slightly bent", "straight"),
         (45, 75, 105, 135, 160), 5),
    Kind("distance", ("close", "shoulder width", "spread", "wide"), (0.20, 0.40, 0.80), 0.05),
    _relative_position("x", "at_right", "at_left"),
    _relative_position("y", "below", "above"),
    _relative_position("z", "behind", "front"),
    Kind("relativeVAxis", ("vertical", IGNORED, "horizontal"), (10, 80), 5),
    Kind("onGround", ("on_ground", IGNORED), (0.10,), 0.05),
    Kind("bodyInclineX", ("body incline backward", "body incline backward slightly", IGNORED,
                          "body incline forward slightly", "body incline forward"), (-50, -20, 20, 50), 5),
    Kind("bodyInclineY", ("body twist left", "body twist left slightly", IGNORED,
                          "body twist right slightly", "body twist right"), (-50, -20, 20, 50), 5),
    Kind("bodyInclineZ", ("body lean right", "body lean right slightly", IGNORED,
                          "body lean left slightly", "body lean left"), (-30, -15, 15, 30), 5),
    Kind("relativeRotX", ("incline backward", IGNORED, "incline forward"), (-45, 30), 5, True),
    Kind("relativeRotY", ("turn right", "turn right slightly", IGNORED, "turn left slightly", "turn left"),
         (-30, -15, 15, 30), 5, True),
    Kind("relativeRotZ", ("incline left", IGNORED, "incline right"), (-30, 30), 5, True),
)}

# Interpretations of super-posecodes and contacts, after those of the kinds (global id order).
SUPER_INTERPRETATIONS = ("kneel_on_left", "kneel_on_right", "kneeling", "xy-aligned", "xz-aligned", "yz-aligned")
TOUCH = "touch"

# Order relations and their opposites: reversing a record swaps its two parts and uses the opposite.
OPPOSITE = {"at_right": "at_left", "at_left": "at_right", "below": "above", "above": "below",
            "behind": "front", "front": "behind"}
ORDER_AXIS = {"at_right": "x", "at_left": "x", "below": "y", "above": "y", "behind": "z", "front": "z"}
DISTANCE_CATEGORIES = frozenset(KINDS["distance"].categories)
HEAD_ROTATIONS = frozenset(c for k in ("relativeRotX", "relativeRotY", "relativeRotZ")
                           for c in KINDS[k].categories if c != IGNORED)


def interpretations() -> tuple[str, ...]:
    """Every describable interpretation name, unique, in global id order."""
    names = [c for kind in KINDS.values() for c in kind.categories if c != IGNORED]
    names += [*SUPER_INTERPRETATIONS, TOUCH]
    assert len(names) == len(set(names)), "category names must be globally unique"
    return tuple(names)
