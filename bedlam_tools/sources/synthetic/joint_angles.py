"""Joint angles of the procedural activities: Euler degrees in the left-side convention, inside joint limits.

A value means the same anatomical motion on either side; right-side joints are mirrored on the way out
((x, y, z) -> (x, -y, -z)). Each joint's triple composes in the order of its row of `JOINT_LIMITS`: order "yzx"
is R = Ry(y) Rz(z) Rx(x) (outermost first). With the SMPL axes (y up, the body faces +z, +x is its left) the
left-side meanings are:

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
"""
import numpy as np

from posescript_pipeline.rotations import (axis_angle_to_matrix, euler_to_quaternion, matrix_to_euler,
                                           quaternion_to_axis_angle)
from posescript_pipeline.skeleton import (FINGER_SEGMENTS, FINGERS, MIRROR_PERMUTATION, MIRROR_ROTATION, NUM_JOINTS,
                                          RIGHT, SMPLH_JOINT_NAMES, part_of, side_of)

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
    **{f"{finger}{k}": ("zyx", (0, 0), (0, 0), (-95, 5)) for finger in FINGERS for k in FINGER_SEGMENTS},
}
"""Body part (side stripped) -> Euler order and per-axis range. The root row only fixes its order."""

ORDERS = tuple(JOINT_LIMITS[part_of(n)][0] for n in SMPLH_JOINT_NAMES)
LIMITS = np.array([JOINT_LIMITS[part_of(n)][1:] for n in SMPLH_JOINT_NAMES], np.float32)  # (52, 3 axes, 2)
IS_RIGHT = np.array([side_of(n) == RIGHT for n in SMPLH_JOINT_NAMES])
CENTRAL = np.array([side_of(n) == "" for n in SMPLH_JOINT_NAMES])
SIDE_SIGN = np.where(IS_RIGHT[:, None], MIRROR_ROTATION, 1).astype(np.float32)  # left convention <-> actual


def clamp(euler):
    """Clamp left-convention Euler degrees (..., 52, 3) to the joint limits."""
    return np.clip(euler, LIMITS[..., 0], LIMITS[..., 1])


def mirror(euler):
    """The left/right mirror image of left-convention Euler degrees (..., 52, 3): sides swap and the central
    joints' y and z angles change sign (the sided ones are already in their side's convention)."""
    return euler[..., MIRROR_PERMUTATION, :] * np.where(CENTRAL[:, None], MIRROR_ROTATION, 1).astype(euler.dtype)


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
    out = np.stack([matrix_to_euler(matrices[..., j, :, :], ORDERS[j]) for j in range(NUM_JOINTS)], axis=-2)
    return np.degrees(out) * SIDE_SIGN
