"""The activity table: every procedural activity of the synthetic source, its keyframes and every setting of
how a sequence plays and varies them (see `animation.animate`)."""
from dataclasses import dataclass

from .keyframes import (ALL_FOURS, ARMS, ARMS_DOWN, CHILD, DOWN_DOG, GESTURES, HALF_SIT, JOG_CONTACT, JOG_PASS,
                        KICK_STANCE, KNEEL, KNEEL_ONE, LIE_BACK, LIE_FRONT, LIE_SIDE, LUNGE, PLANK, SIT, SQUAT, STAND,
                        TREE, TRIANGLE, WALK_CONTACT, WALK_PASS, WARRIOR1, WARRIOR2, bend, deg, left, mirrored, pose,
                        right, sym)


@dataclass(frozen=True)
class Activity:
    """Keyframes visited in a cycle (a single keyframe is a hold), and how freely each sequence varies them."""
    keys: tuple
    period: tuple = (2.0, 4.0)          # seconds per cycle
    arms: float = 0.0                   # probability that the arms do a random gesture instead
    gesture_period: tuple = (0.6, 1.4)  # seconds per cycle of that gesture
    curl: tuple = (0.0, 0.6)            # finger curl range (0 flat, 1 fist)
    curl_wobble: float = 0.1            # amplitude of the slow change of the curl
    jitter: float = 5.0                 # sd (deg) of the per-sequence noise on each key
    amplitude: tuple = (0.75, 1.15)     # scale of the motion around the mean key
    asymmetry: float = 0.15             # largest extra scale of the left side (and less on the right)
    look: float = 15.0                  # amplitude (deg) of the head looking around
    look_pitch: float = 0.4             # share of `look` that nods (the rest turns)
    wobble: float = 3.0                 # amplitude (deg) of the idle motion of every body joint
    wobble_period: tuple = (3.0, 8.0)   # seconds per cycle of every slow random motion
    heading: tuple = (-170.0, 170.0)    # range (deg) of the direction the body faces
    heading_wobble: float = 10.0        # amplitude (deg) of the slow turning about the vertical
    root_wobble: float = 2.0            # amplitude (deg) of the slow pitch and roll of the root
    mirror: float = 0.5                 # probability that a sequence is played on the other side


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
