"""The motion-code catalogue: what moves, measured how, in which units, and how a change is graded (tables only).

A motion code is a change of one per-frame series (a *channel*) over an interval of time: a knee angle, the
distance of two body parts, a hand's position relative to its shoulder, the body's height, heading or lean, the
head's turn. Every number is in physical units (degrees, metres) and per second, never per frame, so the same
motion gives the same codes at any frame rate (MotionScript counted posecode bins per frame at a fixed 20 fps).

Each kind has
  step, hysteresis  the level quantiser: a series is read in levels `step` apart, and a level changes only once
                    the value is `hysteresis` past the level boundary (noise and flicker at a boundary are absorbed);
  min_levels        a motion is at least this many net levels in one direction;
  max_gap           seconds without a level change in the motion's direction that end it (a pause);
  still             speed (units/s) under which the series is still: the interval's ends are where it moves faster;
  intensity         thresholds on |change| -> INTENSITIES;  velocity: thresholds on |change|/duration -> VELOCITIES;
  said              the intensities that reach the text (the others stay in the json: MotionScript's "spatial
                    eligibility"); a slight and very slow change (a drift) is never said.
"""
from dataclasses import dataclass

from ..aggregation_rules import plural

INTENSITIES = ("slight", "moderate", "significant")
VELOCITIES = ("very_slow", "slow", "moderate", "fast", "very_fast")


@dataclass(frozen=True)
class MotionKind:
    name: str
    unit: str
    step: float
    hysteresis: float
    intensity: tuple[float, float]
    velocity: tuple[float, float, float, float]
    still: float
    min_levels: int = 2
    max_gap: float = 1.0
    said: tuple[str, ...] = INTENSITIES

    def __post_init__(self):
        assert 0 < 2 * self.hysteresis < self.step, self.name
        assert list(self.intensity) == sorted(self.intensity) and list(self.velocity) == sorted(self.velocity)


KINDS = {k.name: k for k in (
    MotionKind("angle", "deg", 10.0, 3.0, (35.0, 70.0), (30.0, 60.0, 180.0, 360.0), still=4.0),
    MotionKind("distance", "m", 0.08, 0.02, (0.25, 0.5), (0.1, 0.25, 0.75, 1.5), still=0.03, said=INTENSITIES[1:]),
    MotionKind("position", "m", 0.08, 0.02, (0.25, 0.5), (0.1, 0.25, 0.75, 1.5), still=0.03, said=INTENSITIES[1:]),
    MotionKind("height", "m", 0.05, 0.015, (0.15, 0.35), (0.08, 0.2, 0.6, 1.2), still=0.02),
    MotionKind("travel", "m", 0.15, 0.04, (0.5, 1.5), (0.2, 0.5, 1.5, 3.0), still=0.05),
    MotionKind("turn", "deg", 15.0, 5.0, (60.0, 135.0), (20.0, 45.0, 120.0, 240.0), still=5.0),
    MotionKind("lean", "deg", 8.0, 3.0, (25.0, 45.0), (15.0, 30.0, 90.0, 180.0), still=4.0),
    MotionKind("head", "deg", 8.0, 3.0, (25.0, 45.0), (20.0, 45.0, 120.0, 240.0), still=4.0),
)}


@dataclass(frozen=True)
class Channel:
    """One per-frame series and what its motions mean.

    measure: how `series` computes it (see `series.MEASURES`), with its joints (working-skeleton names).
    subject, second: the body parts a statement is about ("left_knee"; "body"; second "" or "right_hand").
    down, up: the interpretation of a decrease and of an increase of the series.
    towards_neutral: the interpretation of a change that brings the series back towards 0 (a lean that
    straightens up), or "" when the direction words always apply.
    needs_rotations: measured from joint rotations (head), skipped for joint-only inputs.
    near: a distance said only when one of its ends is this close (m): "the hand comes to the head", not every
    change of a hand's distance to the head while the arm moves (0: always said).
    """
    name: str
    kind: str
    measure: str
    joints: tuple[str, ...]
    subject: str
    down: str
    up: str
    second: str = ""
    towards_neutral: str = ""
    needs_rotations: bool = False
    near: float = 0.0


def _sided(fn):
    return [fn("left", "right"), fn("right", "left")]


# Axes of the canonical frame: x the body's own left, y up, z forward.
CHANNELS: tuple[Channel, ...] = (
    # --- joints bending (the angle decreases) and extending
    *[Channel(f"{s}_{j}_angle", "angle", "angle", (f"{s}_{a}", f"{s}_{j}", f"{s}_{b}"), f"{s}_{j}", "bend", "extend")
      for j, a, b in (("knee", "hip", "ankle"), ("elbow", "shoulder", "wrist")) for s in ("left", "right")],
    # --- body parts approaching and moving apart
    *[Channel(f"{plural(p)}_distance", "distance", "distance", (f"left_{p}", f"right_{p}"), f"left_{p}", "closer",
              "apart", second=f"right_{p}") for p in ("hand", "foot", "knee")],
    *_sided(lambda s, o: Channel(f"{s}_hand_head_distance", "distance", "distance", (f"{s}_hand", "head"),
                                 f"{s}_hand", "closer", "apart", second="head", near=0.25)),
    # --- hands relative to their shoulder, feet relative to their hip (x, z) and to the ground (y)
    *[Channel(f"{s}_hand_{axis}", "position", f"offset_{axis}", (f"{s}_hand", f"{s}_shoulder"), f"{s}_hand", *words)
      for s in ("left", "right") for axis, words in (("x", ("right", "left")), ("y", ("down", "up")),
                                                      ("z", ("backward", "forward")))],
    *[Channel(f"{s}_foot_{axis}", "position", measure, (f"{s}_foot", f"{s}_hip"), f"{s}_foot", *words)
      for s in ("left", "right") for axis, measure, words in (("x", "offset_x", ("right", "left")),
                                                               ("y", "above_ground", ("down", "up")),
                                                               ("z", "offset_z", ("backward", "forward")))],
    # --- the whole body: height, travel along its own axes, heading
    Channel("body_height", "height", "root_height", ("pelvis",), "body", "body down", "body up"),
    Channel("body_forward", "travel", "travel_forward", ("pelvis",), "body", "body backward", "body forward"),
    Channel("body_sideways", "travel", "travel_left", ("pelvis",), "body", "body right", "body left"),
    Channel("body_heading", "turn", "heading", ("left_hip", "right_hip"), "body", "turn right", "turn left"),
    # --- leaning: the upper body's pitch (+ forward), its roll (+ to the left), the shoulders' twist
    Channel("body_pitch", "lean", "pitch", ("left_shoulder", "right_shoulder", "pelvis"), "body", "lean backward",
            "lean forward", towards_neutral="upright"),
    Channel("body_roll", "lean", "roll", ("left_shoulder", "right_shoulder", "pelvis"), "body", "lean right",
            "lean left", towards_neutral="upright"),
    Channel("body_twist", "lean", "twist", ("left_shoulder", "right_shoulder", "pelvis"), "body", "twist left",
            "twist right", towards_neutral="untwist"),
    # --- the head relative to the body (from rotations, as the pose engine's head posecodes)
    Channel("head_turn", "head", "head_turn", ("head", "pelvis"), "head", "head turn right", "head turn left",
            towards_neutral="head forward", needs_rotations=True),
    Channel("head_nod", "head", "head_nod", ("head", "neck"), "head", "head up", "head down",
            towards_neutral="head level", needs_rotations=True),
    Channel("head_tilt", "head", "head_tilt", ("head", "neck"), "head", "head tilt left", "head tilt right",
            towards_neutral="head straight", needs_rotations=True),
)
CHANNEL_INDEX = {c.name: i for i, c in enumerate(CHANNELS)}

# Codes that another code says already when both happen at the same time (overlapping by half the first one's
# duration, in the direction given): a hand moving sideways while both hands come together or move apart.
REDUNDANT = (
    *((f"{s}_{p}_x", f"{plural(p)}_distance") for s in ("left", "right") for p in ("hand", "foot")),
)

# Whole-body statements that several codes make together (super motion codes): when every (subject, interpretation)
# of a recipe is said in the same moment, one statement replaces them.
SUPER_MOTIONS = (
    ("squat down", (("both_knees", "bend"), ("body", "body down"))),
    ("stand up", (("both_knees", "extend"), ("body", "body up"))),
)


def _validate():
    names = [c.name for c in CHANNELS]
    assert len(names) == len(set(names)), "channel names are unique"
    assert all(a in names and b in names for a, b in REDUNDANT), "redundancy rules name channels"
    for c in CHANNELS:
        assert c.kind in KINDS, c
        assert c.down != c.up, c


_validate()
