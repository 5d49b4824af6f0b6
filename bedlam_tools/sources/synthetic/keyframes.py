"""Keyframes of the activities: dicts {SMPL-H joint name: left-convention Euler degrees (x, y, z)} (see
`joint_angles`), the notation that writes them, and the body-part keys several activities share."""
import numpy as np

from posescript_pipeline.skeleton import MIRROR_ROTATION, SIDES, side_of, swap_side


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
    """The left/right mirror image of a keyframe (see `joint_angles.mirror`)."""
    return {swap_side(name): angles if side_of(name) else tuple(np.multiply(angles, MIRROR_ROTATION).tolist())
            for name, angles in key.items()}


def deg(x=0, y=0, z=0):
    return (x, y, z)


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
