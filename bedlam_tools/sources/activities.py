"""Procedural human activities as SMPL-H axis-angle sequences (S, T, 52, 3), inside anatomical joint limits.

Angles are written in degrees as Euler triples (x, y, z) in the **left-side convention**: a value means the
same anatomical motion on either side; right-side joints are mirrored on the way out ((x, y, z) -> (x, -y, -z)).
Each joint's triple composes in the order of its row of `JOINT_LIMITS`: order "yzx" is R = Ry(y) Rz(z) Rx(x)
(outermost first). With the SMPL axes (y up, the body faces +z, +x is its left) the left-side meanings are:

  hip       x < 0 raises the thigh forward, z > 0 abducts it, y > 0 turns the knee outward   (order xzy)
  knee      x > 0 flexes                                                                    (order xzy)
  ankle     x > 0 points the toes down                                                      (order zyx)
  spine*, neck, head   x > 0 bends forward, y > 0 turns left, z > 0 tilts to the right      (order zyx)
  shoulder  z = elevation of the arm (+90 overhead, -90 down), y = swing about the vertical
            (-90 forward, more negative across the body), x = twist                         (order yzx)
  elbow     y < 0 flexes (the forearm points forward when the arm hangs)                    (order yzx)
  wrist     z > 0 raises the fingers (back of the hand up)                                  (order zyx)
  fingers   z < 0 curls                                                                     (order zyx)
  pelvis    the root: x pitches forward (+90 faces the floor, -90 lies on the back), z rolls to the
            body's right (+90 lies on the right side), y is the heading                     (order yzx)

An activity is a table of keyframes visited in a cycle (a single keyframe is a hold). Per sequence the keys are
jittered, their range scaled (amplitude, left/right asymmetry), played at a random speed and phase, then an
idle wobble, the head's look, finger curl, heading and optional mirroring are added, and every joint is clamped
to its limits. The root of the output is orientation-normalised (`posescript_pipeline.orientation`).
"""
from dataclasses import dataclass

import numpy as np

from posescript_pipeline.body import canonical
from posescript_pipeline.rotations import (axis_angle_to_matrix, euler_to_quaternion, matrix_to_euler,
                                           quaternion_to_axis_angle)
from posescript_pipeline.skeleton import (FINGERS, JOINT_INDEX, MIRROR_PERMUTATION, MIRROR_ROTATION, NUM_BODY_JOINTS,
                                          NUM_JOINTS, SIDES, SMPLH_JOINT_NAMES, part_of, side_of, swap_side)

N_JOINTS = NUM_JOINTS

# ---------------------------------------------------------------- joint limits

JOINT_LIMITS = {
    # part: (Euler order, (x low, high), (y low, high), (z low, high)), degrees, left-side convention
    "pelvis": ("yzx", (-180, 180), (-180, 180), (-180, 180)),
    "hip": ("xzy", (-135, 30), (-40, 60), (-30, 70)),
    "knee": ("xzy", (0, 155), (-10, 10), (-5, 5)),
    "ankle": ("zyx", (-30, 60), (-20, 20), (-20, 20)),
    "foot": ("zyx", (-30, 40), (-5, 5), (-5, 5)),
    "spine1": ("zyx", (-25, 45), (-25, 25), (-25, 25)),
    "spine2": ("zyx", (-20, 35), (-25, 25), (-20, 20)),
    "spine3": ("zyx", (-20, 35), (-25, 25), (-20, 20)),
    "neck": ("zyx", (-35, 40), (-45, 45), (-25, 25)),
    "head": ("zyx", (-35, 35), (-40, 40), (-25, 25)),
    "collar": ("zyx", (-10, 10), (-20, 20), (-15, 25)),
    "shoulder": ("yzx", (-90, 90), (-140, 60), (-88, 88)),
    "elbow": ("yzx", (-60, 60), (-150, 0), (-10, 10)),
    "wrist": ("zyx", (-60, 60), (-30, 30), (-70, 70)),
    **{f"{finger}{k}": ("zyx", (0, 0), (0, 0), (-95, 5)) for finger in FINGERS for k in (1, 2, 3)},
}
"""Body part (side stripped) -> Euler order and per-axis range. The root row only fixes its order."""


def _part(name):
    return name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name


ORDERS = tuple(JOINT_LIMITS[_part(n)][0] for n in SMPLH_JOINT_NAMES)
LIMITS = np.array([JOINT_LIMITS[_part(n)][1:] for n in SMPLH_JOINT_NAMES], np.float32)  # (52, 3 axes, 2)
RIGHT = np.array([n.startswith("right_") for n in SMPLH_JOINT_NAMES])
CENTRAL = ~RIGHT & ~np.array([n.startswith("left_") for n in SMPLH_JOINT_NAMES])
SIDE_SIGN = np.where(RIGHT[:, None], [1.0, -1.0, -1.0], 1.0).astype(np.float32)  # left convention <-> actual
BODY = np.arange(1, 22)
HANDS = np.arange(22, N_JOINTS)
ARM_JOINTS = np.array([JOINT_INDEX[f"{s}_{p}"] for s in SIDES for p in ("collar", "shoulder", "elbow", "wrist")])
LOOK_JOINTS = np.array([JOINT_INDEX["neck"], JOINT_INDEX["head"]])
FINGER_CURL = {"1": 0.8, "2": 1.0, "3": 0.7}
"""Share of the hand's curl angle (90 deg) at each finger segment; the thumb curls half as much."""
CURL = np.array([0.0] * 22 + [FINGER_CURL[n[-1]] * (0.5 if "thumb" in n else 1.0) * -90.0
                              for n in SMPLH_JOINT_NAMES[22:]], np.float32)


def clamp(euler):
    """Clamp left-convention Euler degrees (..., 52, 3) to the joint limits."""
    return np.clip(euler, LIMITS[..., 0], LIMITS[..., 1])


def to_rotvecs(euler):
    """Left-convention Euler degrees (..., 52, 3) -> SMPL-H axis-angle (..., 52, 3) float32."""
    actual = (euler * SIDE_SIGN).astype(np.float32)
    q = np.empty(actual.shape[:-1] + (4,), np.float32)
    for order in set(ORDERS):
        cols = np.array([o == order for o in ORDERS])
        q[..., cols, :] = euler_to_quaternion(np.radians(actual[..., cols, :]), order)
    return quaternion_to_axis_angle(q).astype(np.float32)


def euler_of(rotvecs):
    """SMPL-H axis-angle (..., 52, 3) -> left-convention Euler degrees in each joint's order (for checks)."""
    matrices = axis_angle_to_matrix(np.asarray(rotvecs, np.float64))
    out = np.stack([matrix_to_euler(matrices[..., j, :, :], ORDERS[j]) for j in range(N_JOINTS)], axis=-2)
    return np.degrees(out) * SIDE_SIGN


# ---------------------------------------------------------------- keyframe notation


def sym(**parts):
    """The same left-convention angles on both sides: sym(knee=(90, 0, 0))."""
    return {f"{s}_{p}": v for p, v in parts.items() for s in SIDES}


def left(**parts):
    return {f"left_{p}": v for p, v in parts.items()}


def right(**parts):
    return {f"right_{p}": v for p, v in parts.items()}


def pose(*parts):
    """Merge keyframe parts, later ones overriding."""
    out = {}
    for part in parts:
        out.update(part)
    return out


def bend(key, degrees):
    """Hinge at the hips: pitch the root forward and counter-rotate both thighs, legs unchanged in the world."""
    out = dict(key)
    x, y, z = out.get("pelvis", (0, 0, 0))
    out["pelvis"] = (x + degrees, y, z)
    for s in SIDES:
        hx, hy, hz = out.get(f"{s}_hip", (0, 0, 0))
        out[f"{s}_hip"] = (hx - degrees, hy, hz)
    return out


def mirrored(key):
    """The left/right mirror image of a keyframe."""
    swap = {"left_": "right_", "right_": "left_"}
    out = {}
    for name, (x, y, z) in key.items():
        prefix = name[:name.index("_") + 1] if name.startswith(tuple(swap)) else ""
        out[swap[prefix] + name[len(prefix):] if prefix else name] = (x, y, z) if prefix else (x, -y, -z)
    return out


def deg(x=0, y=0, z=0):
    return (x, y, z)


# ---------------------------------------------------------------- body parts of keyframes

ARMS_DOWN = sym(shoulder=deg(0, 0, -72), elbow=deg(0, -12, 0))
STAND = pose(ARMS_DOWN, sym(hip=deg(0, 0, 3), knee=deg(4)))
ARMS = {
    # arm gestures: name -> keyframes (left convention, right side = left unless given)
    "arms_down": (ARMS_DOWN,),
    "hands_on_hips": (sym(shoulder=deg(90, 25, -45), elbow=deg(0, -85, 0), wrist=deg(0, 0, 15)),),
    "hands_on_head": (sym(shoulder=deg(-85, -5, 60), elbow=deg(0, -105, 0)),),
    "cross_arms": (sym(shoulder=deg(-30, -110, -45), elbow=deg(0, -80, 0)),),
    "arms_forward": (sym(shoulder=deg(0, -90, 0), elbow=deg(0, -5, 0)),),
    "t_arms": (sym(shoulder=deg(0, 0, 0), elbow=deg(0, -5, 0)),),
    "arms_up": (sym(shoulder=deg(0, -10, 82), elbow=deg(0, -10, 0)),),
    "point": (pose(ARMS_DOWN, left(shoulder=deg(0, -80, 10), elbow=deg(0, -5, 0), wrist=deg(0, 0, 10))),),
    "phone": (pose(ARMS_DOWN, left(shoulder=deg(0, -50, -45), elbow=deg(0, -110, 0), wrist=deg(0, 0, 25))),),
    "wave": (pose(ARMS_DOWN, left(shoulder=deg(-20, -10, 55), elbow=deg(0, -70, 0))),
             pose(ARMS_DOWN, left(shoulder=deg(30, -10, 55), elbow=deg(0, -80, 0)))),
    "clap": (sym(shoulder=deg(0, -70, -15), elbow=deg(0, -40, 0)),
             sym(shoulder=deg(0, -100, -15), elbow=deg(0, -45, 0))),
    "guard": (sym(shoulder=deg(0, -45, -50), elbow=deg(0, -135, 0)),),
}
GESTURES = tuple(ARMS)
GUARD = ARMS["guard"][0]


# leg shapes and whole-body keys used by several activities
SQUAT = pose(sym(hip=deg(-100, 10, 12), knee=deg(120), ankle=deg(-20)), {"spine1": deg(15)},
             ARMS["arms_forward"][0])
SIT = bend(pose(ARMS_DOWN, sym(hip=deg(-88, 0, 5), knee=deg(90), ankle=deg(-2))), 8)
HALF_SIT = bend(pose(sym(hip=deg(-40, 0, 5), knee=deg(60), ankle=deg(-20)),
                     sym(shoulder=deg(0, -60, -30), elbow=deg(0, -20, 0))), 30)
KNEEL = pose(ARMS_DOWN, sym(knee=deg(90), ankle=deg(45)))
KNEEL_ONE = pose(ARMS_DOWN, left(hip=deg(-85, 0, 8), knee=deg(85), ankle=deg(0)),
                 right(hip=deg(5), knee=deg(90), ankle=deg(45)))
ALL_FOURS = pose({"pelvis": deg(90), "neck": deg(-25), "head": deg(-15)},
                 sym(hip=deg(-90, 0, 5), knee=deg(90), ankle=deg(35), shoulder=deg(0, -88, -5), elbow=deg(0, -5, 0),
                     wrist=deg(0, 0, 70)))
WALK_CONTACT = pose(left(hip=deg(-25), knee=deg(5), ankle=deg(-5), shoulder=deg(0, 20, -75), elbow=deg(0, -15, 0)),
                    right(hip=deg(15), knee=deg(20), ankle=deg(15), shoulder=deg(0, -25, -75), elbow=deg(0, -30, 0)),
                    {"spine2": deg(0, -5, 0)})
WALK_PASS = pose(ARMS_DOWN, left(hip=deg(-5), knee=deg(10)), right(hip=deg(-30), knee=deg(60), ankle=deg(-5)))
JOG_CONTACT = bend(pose(
    left(hip=deg(-40), knee=deg(20), ankle=deg(-5), shoulder=deg(0, 35, -65), elbow=deg(0, -85, 0)),
    right(hip=deg(20), knee=deg(50), ankle=deg(25), shoulder=deg(0, -35, -65), elbow=deg(0, -100, 0)),
    {"spine2": deg(0, -8, 0)}), 8)
JOG_PASS = bend(pose(sym(shoulder=deg(0, 0, -68), elbow=deg(0, -95, 0)), left(hip=deg(-10), knee=deg(35)),
                     right(hip=deg(-55), knee=deg(105), ankle=deg(10))), 8)
LUNGE = pose(left(hip=deg(-85, 0, 5), knee=deg(90), ankle=deg(-5)),
             right(hip=deg(10, 0, 3), knee=deg(80), ankle=deg(0)),
             ARMS["hands_on_hips"][0])
KICK_STANCE = pose(GUARD, sym(knee=deg(15), hip=deg(-10, 0, 6)))
TREE = pose(ARMS["arms_up"][0], left(hip=deg(-35, 55, 45), knee=deg(145), ankle=deg(20)), right(hip=deg(0, 0, 0)))
WARRIOR2 = pose(ARMS["t_arms"][0], left(hip=deg(-50, 55, 40), knee=deg(80)), right(hip=deg(0, -10, 35), knee=deg(0)),
                {"neck": deg(0, 30, 0), "head": deg(0, 30, 0)})
WARRIOR1 = pose(ARMS["arms_up"][0], left(hip=deg(-75, 0, 8), knee=deg(75), ankle=deg(0)),
                right(hip=deg(30, 0, 8), knee=deg(0), ankle=deg(-20)))
TRIANGLE = pose({"pelvis": deg(0, 0, -35), "spine1": deg(0, 0, -12), "spine2": deg(0, 0, -12)},
                left(hip=deg(0, 45, 65)), right(hip=deg(0, 0, -5)), sym(shoulder=deg(0, 0, 0)),
                {"neck": deg(0, 0, -15), "head": deg(0, 30, 0)})  # hips counter the pelvis roll: feet apart
DOWN_DOG = pose({"pelvis": deg(125), "neck": deg(-10)},
                sym(hip=deg(-95, 0, 5), knee=deg(0), ankle=deg(-25), shoulder=deg(0, -5, 80), elbow=deg(0, -3, 0),
                    wrist=deg(0, 0, 60)))
CHILD = pose({"pelvis": deg(70), "neck": deg(10)},
             sym(hip=deg(-135, 0, 15), knee=deg(150), ankle=deg(45), shoulder=deg(0, 0, 80), elbow=deg(0, -5, 0)))
PLANK = pose({"pelvis": deg(68), "neck": deg(-15)},
             sym(hip=deg(0, 0, 3), ankle=deg(-25), shoulder=deg(0, -88, -25), elbow=deg(0, -3, 0), wrist=deg(0, 0, 70)))
LIE_BACK = pose({"pelvis": deg(-90)}, ARMS_DOWN, sym(knee=deg(5), ankle=deg(20)))
LIE_FRONT = pose({"pelvis": deg(90), "neck": deg(-10, 45, 0)}, sym(knee=deg(5), ankle=deg(60)),
                 sym(shoulder=deg(0, -20, 55), elbow=deg(0, -120, 0)))
LIE_SIDE = pose({"pelvis": deg(0, 0, 90)}, sym(hip=deg(-45, 0, 0), knee=deg(60)),
                right(shoulder=deg(0, -80, 10), elbow=deg(0, -40, 0)), left(shoulder=deg(0, -20, -65)))


@dataclass(frozen=True)
class Activity:
    """Keyframes visited in a cycle, and how freely each sequence varies them."""
    keys: tuple
    period: tuple = (2.0, 4.0)       # seconds per cycle
    arms: float = 0.0                # probability that the arms do a random gesture instead
    curl: tuple = (0.0, 0.6)         # finger curl range (0 flat, 1 fist)
    jitter: float = 5.0              # sd (deg) of the per-sequence noise on each key
    amplitude: tuple = (0.75, 1.15)  # scale of the motion around the mean key
    look: float = 15.0               # amplitude (deg) of the head looking around


ACTIVITIES = {
    "walk": Activity((WALK_CONTACT, WALK_PASS, mirrored(WALK_CONTACT), mirrored(WALK_PASS)), (0.9, 1.3), arms=0.2),
    "jog": Activity((JOG_CONTACT, JOG_PASS, mirrored(JOG_CONTACT), mirrored(JOG_PASS)), (0.6, 0.8), curl=(0.4, 0.8)),
    "squat": Activity((STAND, SQUAT), (2.5, 4.0), arms=0.4, amplitude=(0.6, 1.05)),
    "lunge": Activity((STAND, LUNGE), (2.5, 4.0), arms=0.4, amplitude=(0.7, 1.0)),
    "sit_down_up": Activity((STAND, HALF_SIT, SIT, SIT, HALF_SIT), (5.0, 8.0), arms=0.2, amplitude=(0.9, 1.0)),
    "sit_chair": Activity((SIT,), arms=0.7),
    "sit_chair_lean_back": Activity((bend(SIT, -20),), arms=0.7),
    "sit_floor_legs_out": Activity((bend(pose(sym(hip=deg(-90, 0, 8), knee=deg(5), ankle=deg(10)),
                                               sym(shoulder=deg(0, 30, -70))), -12),), arms=0.3),
    "sit_floor_cross_legged": Activity((pose(sym(hip=deg(-75, 45, 40), knee=deg(140), ankle=deg(10)),
                                             sym(shoulder=deg(0, -35, -60), elbow=deg(0, -40, 0))),), arms=0.4),
    "sit_floor_knees_up": Activity((bend(pose(sym(hip=deg(-115, 0, 8), knee=deg(130), ankle=deg(-10)),
                                              sym(shoulder=deg(0, -70, -45), elbow=deg(0, -50, 0))), -15),)),
    "kneel": Activity((KNEEL,), arms=0.6),
    "kneel_sit_back": Activity((pose(ARMS_DOWN, sym(hip=deg(-70, 0, 5), knee=deg(150), ankle=deg(45))),), arms=0.4),
    "kneel_one_knee": Activity((KNEEL_ONE,), arms=0.5),
    "pick_up": Activity((STAND, bend(pose(sym(knee=deg(20), ankle=deg(-10), shoulder=deg(0, -75, -10),
                                                elbow=deg(0, -10, 0)), {"neck": deg(-20)}), 80)), (2.5, 5.0)),
    "pick_up_squat": Activity((STAND, pose(SQUAT, left(shoulder=deg(0, -60, -45), elbow=deg(0, -5, 0)),
                                           right(shoulder=deg(0, -30, -60)), {"spine1": deg(30), "spine2": deg(15)})),
                              (2.5, 5.0)),
    "reach_up": Activity((STAND, pose(STAND, left(shoulder=deg(0, -15, 85), elbow=deg(0, -5, 0)),
                                      sym(ankle=deg(25)), {"spine2": deg(0, 0, 8)})), (2.0, 4.0)),
    "reach_forward": Activity((STAND, bend(pose(STAND, left(shoulder=deg(0, -90, 5), elbow=deg(0, -5, 0)),
                                                {"spine1": deg(10)}, left(hip=deg(0, 0, 3))), 25)), (2.0, 4.0)),
    "reach_side": Activity((STAND, pose(STAND, left(shoulder=deg(0, -10, 5), elbow=deg(0, -5, 0)),
                                        {"spine1": deg(0, 0, -12), "spine2": deg(0, 0, -10)})), (2.0, 4.0)),
    "reach_across": Activity((STAND, pose(STAND, left(shoulder=deg(0, -130, 5), elbow=deg(0, -5, 0)),
                                          {"spine1": deg(0, -15, 0), "spine2": deg(0, -15, 0)})), (2.0, 4.0)),
    "stretch_overhead": Activity((pose(STAND, ARMS["arms_up"][0], sym(ankle=deg(10))),
                                  pose(STAND, sym(shoulder=deg(0, -120, 85), elbow=deg(0, -5, 0)))), (3.0, 6.0)),
    "side_bend": Activity((pose(STAND, right(shoulder=deg(0, -10, 85)), left(shoulder=deg(0, 20, -50)),
                                {"spine1": deg(0, 0, -18), "spine2": deg(0, 0, -15), "spine3": deg(0, 0, -15)}),
                           pose(STAND, left(shoulder=deg(0, -10, 85)), right(shoulder=deg(0, 20, -50)),
                                {"spine1": deg(0, 0, 18), "spine2": deg(0, 0, 15), "spine3": deg(0, 0, 15)})),
                          (3.0, 6.0)),
    "twist": Activity((pose(STAND, sym(shoulder=deg(0, -70, -20), elbow=deg(0, -90, 0)),
                            {"spine1": deg(0, 20, 0), "spine2": deg(0, 20, 0), "spine3": deg(0, 15, 0)}),
                       pose(STAND, sym(shoulder=deg(0, -70, -20), elbow=deg(0, -90, 0)),
                            {"spine1": deg(0, -20, 0), "spine2": deg(0, -20, 0), "spine3": deg(0, -15, 0)})),
                      (2.5, 5.0)),
    "jumping_jacks": Activity((STAND, pose(sym(shoulder=deg(0, 0, 80), hip=deg(0, 0, 25), knee=deg(5), ankle=deg(20)))),
                              (0.8, 1.3), curl=(0.0, 0.3)),
    "yoga_tree": Activity((TREE,), curl=(0.0, 0.2), amplitude=(1, 1)),
    "yoga_warrior_1": Activity((WARRIOR1,), curl=(0.0, 0.2), look=5),
    "yoga_warrior_2": Activity((WARRIOR2,), curl=(0.0, 0.2), look=5),
    "yoga_triangle": Activity((TRIANGLE,), curl=(0.0, 0.2), look=5),
    "yoga_downward_dog": Activity((DOWN_DOG,), curl=(0.0, 0.1), look=5),
    "yoga_child": Activity((CHILD,), curl=(0.0, 0.2), look=5),
    "plank": Activity((PLANK,), curl=(0.0, 0.1), look=5),
    "lie_back": Activity((LIE_BACK, pose(LIE_BACK, left(hip=deg(-60), knee=deg(100), ankle=deg(0)))), (6.0, 12.0),
                         arms=0.5),
    "lie_side": Activity((LIE_SIDE,), look=8),
    "lie_front": Activity((LIE_FRONT,), look=5),
    "crawl": Activity((pose(ALL_FOURS, left(shoulder=deg(0, -100, -5)), right(hip=deg(-105, 0, 5))), ALL_FOURS,
                       pose(ALL_FOURS, right(shoulder=deg(0, -100, -5)), left(hip=deg(-105, 0, 5))), ALL_FOURS),
                      (1.5, 2.5), curl=(0.0, 0.2), look=5),
    **{f"stand_{g}": Activity(tuple(pose(STAND, key) for key in ARMS[g]), (0.6, 1.4) if len(ARMS[g]) > 1 else (3, 6))
       for g in GESTURES if g != "guard"},
    "boxing": Activity((pose(KICK_STANCE), pose(KICK_STANCE, left(shoulder=deg(0, -85, -5), elbow=deg(0, -10, 0))),
                        pose(KICK_STANCE), pose(KICK_STANCE, right(shoulder=deg(0, -85, -5), elbow=deg(0, -10, 0)),
                                                {"spine2": deg(0, 15, 0), "spine3": deg(0, 10, 0)})),
                       (1.2, 2.0), curl=(0.9, 1.0)),
    "kick": Activity((KICK_STANCE, pose(KICK_STANCE, left(hip=deg(-80, 0, 5), knee=deg(110))),
                      pose(KICK_STANCE, left(hip=deg(-85, 0, 5), knee=deg(10), ankle=deg(30)), {"spine1": deg(-10)}),
                      pose(KICK_STANCE, left(hip=deg(-70, 0, 5), knee=deg(100)))), (1.5, 2.5), curl=(0.9, 1.0)),
    "look_around": Activity((pose(STAND, {"neck": deg(0, 30, 0), "head": deg(0, 30, 0)}),
                             pose(STAND, {"neck": deg(20, 0, 0), "head": deg(15, 0, 0)}),
                             pose(STAND, {"neck": deg(0, -30, 0), "head": deg(0, -30, 10)}),
                             pose(STAND, {"neck": deg(-20, 0, 0), "head": deg(-15, 0, -10)})), (4.0, 8.0), arms=0.5),
}
"""Activity name -> its keyframes and variation; `mirror` flips half of the sequences to the other side."""
NAMES = tuple(ACTIVITIES)


def _key_array(key):
    out = np.zeros((N_JOINTS, 3), np.float32)
    for name, angles in key.items():
        out[JOINT_INDEX[name]] = angles
    return out


KEYS = {name: np.stack([_key_array(k) for k in a.keys]) for name, a in ACTIVITIES.items()}
GESTURE_KEYS = {name: np.stack([_key_array(k) for k in keys]) for name, keys in ARMS.items()}


# ---------------------------------------------------------------- animation


def _play(keys, times, period, phase):
    """Cyclic smooth interpolation of keys (S, K, J, 3) at times (T,) -> (S, T, J, 3)."""
    s, k = keys.shape[:2]
    u = (times[None] / period[:, None] + phase[:, None]) * k
    k0 = np.floor(u).astype(np.int64) % k
    w = u - np.floor(u)
    w = (w * w * (3 - 2 * w))[..., None, None].astype(np.float32)
    rows = np.arange(s)[:, None]
    return keys[rows, k0] * (1 - w) + keys[rows, (k0 + 1) % k] * w


def _slow_noise(rng, shape, times, period=(3.0, 8.0)):
    """Smooth random motion in [-1, 1] (S, T, *shape[1:]): one sinusoid of random period and phase per channel."""
    p = rng.uniform(*period, shape)
    phi = rng.uniform(0, 2 * np.pi, shape)
    return np.sin(2 * np.pi * times.reshape((1, -1) + (1,) * (len(shape) - 1)) / p[:, None] + phi[:, None])


def animate(name, n, times, rng):
    """Left-convention Euler degrees (n, T, 52, 3) of n sequences of one activity at `times` (seconds)."""
    act, keys = ACTIVITIES[name], KEYS[name]
    keys = keys + rng.normal(0, act.jitter, (n,) + keys.shape).astype(np.float32) * (np.arange(N_JOINTS) > 0)[:, None]
    mean = keys.mean(axis=1, keepdims=True)
    scale = rng.uniform(*act.amplitude, n)[:, None] * (1 + rng.uniform(-0.15, 0.15, n)[:, None] * np.where(
        RIGHT, -1.0, ~CENTRAL * 1.0))
    keys = mean + (keys - mean) * scale[:, None, :, None].astype(np.float32)
    period = rng.uniform(*act.period, n)
    phase = rng.uniform(0, 1, n)
    out = _play(keys, times, period, phase)
    gesture = np.where(rng.uniform(0, 1, n) < act.arms, rng.integers(0, len(GESTURES), n), -1)
    for g in np.unique(gesture[gesture >= 0]):
        rows = np.flatnonzero(gesture == g)
        gkeys = np.broadcast_to(GESTURE_KEYS[GESTURES[g]], (len(rows),) + GESTURE_KEYS[GESTURES[g]].shape)
        gkeys = gkeys + rng.normal(0, act.jitter, gkeys.shape).astype(np.float32)
        played = _play(gkeys, times, rng.uniform(0.6, 1.4, len(rows)), rng.uniform(0, 1, len(rows)))
        out[rows[:, None], :, ARM_JOINTS] = played[:, :, ARM_JOINTS].transpose(0, 2, 1, 3)
    out[:, :, BODY] += 3.0 * _slow_noise(rng, (n, len(BODY), 3), times)
    out[:, :, LOOK_JOINTS, :2] += act.look * _slow_noise(rng, (n, 2, 2), times) * np.array([0.4, 1.0], np.float32)
    curl = np.clip(rng.uniform(*act.curl, (n, 1, 2)) + 0.1 * _slow_noise(rng, (n, 2), times), 0, 1)
    out[:, :, HANDS, 2] = np.repeat(curl, len(HANDS) // 2, axis=-1) * CURL[HANDS]
    out[:, :, 0, 1] = rng.uniform(-170, 170, n)[:, None] + 10 * _slow_noise(rng, (n,), times)
    out[:, :, 0, ::2] += 2.0 * _slow_noise(rng, (n, 2), times)
    flip = rng.uniform(0, 1, n) < 0.5
    out[flip] = out[flip][:, :, MIRROR_PERMUTATION] * np.where(CENTRAL[:, None], [1, -1, -1], 1).astype(np.float32)
    return clamp(out)


def finish(euler, chunk=8192):
    """Left-convention Euler degrees (N, 52, 3) -> (pose (N, 52, 3) with normalised root, canonical joints)."""
    pose_ = np.empty(euler.shape, np.float32)
    joints = np.empty(euler.shape, np.float32)
    for start in range(0, len(euler), chunk):  # chunks keep the arrays in cache
        joints[start:start + chunk], pose_[start:start + chunk] = canonical(to_rotvecs(euler[start:start + chunk]))
    return pose_, joints
