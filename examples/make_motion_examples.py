"""Write the motion examples into examples/: one known motion as a BVH file and as an AMASS .npz.

Run with the package installed (or PYTHONPATH at the repository root): python examples/make_motion_examples.py

The motion (30 fps, 5 s), built from `posescript_pipeline.crafted_poses` on the shipped Anny skeleton, feet kept on
the ground: still until 0.5 s, squat down (0.5-1.5 s), stand up (1.5-2.5 s), raise both arms overhead
(2.5-3.5 s), turn 90 degrees to the left with the arms up (3.5-4.5 s), hold.
- motion_biped.bvh: a Mixamo-style rig ("mixamorig:Hips", "LeftUpLeg", ...), centimetres, y up, channels ZXY,
  written here as plain text (the reader parses it with bvhio).
- amass_motion.npz: the same motion as AMASS stores it (SMPL-H 'poses', z-up 'trans', 'mocap_framerate').
"""
from pathlib import Path

import numpy as np

from posescript_pipeline.body import create
from posescript_pipeline.crafted_poses import crafted_rotvecs
from posescript_pipeline.orientation import Z_UP_TO_Y_UP
from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle, matrix_to_euler, rotation_about_y
from posescript_pipeline.skeleton import BODY_JOINT_NAMES, BODY_PARENTS, NUM_BODY_JOINTS

OUT = Path(__file__).resolve().parent
FPS = 30
SECONDS = 5.0
ARMS_UP = {"left_shoulder": (0, 0, 90), "right_shoulder": (0, 0, -90)}
BIPED_NAMES = {
    "pelvis": "Hips", "spine1": "Spine", "spine2": "Spine1", "spine3": "Spine2", "neck": "Neck", "head": "Head",
    **{f"{s}_{p}": f"{s.capitalize()}{n}" for s in ("left", "right") for p, n in (
        ("hip", "UpLeg"), ("knee", "Leg"), ("ankle", "Foot"), ("foot", "ToeBase"), ("collar", "Shoulder"),
        ("shoulder", "Arm"), ("elbow", "ForeArm"), ("wrist", "Hand"))},
}
END_SITES = {"head": (0, 10, 0), "left_foot": (0, 0, 5), "right_foot": (0, 0, 5), "left_wrist": (8, 0, 0),
             "right_wrist": (-8, 0, 0)}
"""Joint -> End Site offset in cm (the tips a BVH rig ends with)."""


def _smooth(t, start, end):
    u = np.clip((t - start) / (end - start), 0, 1)
    return u * u * (3 - 2 * u)


def motion():
    """(rotations (T, 52, 3) with a y-up root, root translation (T, 3) y-up metres, rest joints (52, 3))."""
    t = np.arange(int(SECONDS * FPS)) / FPS
    standing, squat = crafted_rotvecs("standing")[0], crafted_rotvecs("squat")[0]
    arms = standing.copy()
    for name, degrees in ARMS_UP.items():
        arms[BODY_JOINT_NAMES.index(name)] = np.radians(degrees)
    depth = (_smooth(t, 0.5, 1.5) - _smooth(t, 1.5, 2.5))[:, None, None]
    raise_ = _smooth(t, 2.5, 3.5)[:, None, None]
    rotations = (1 - depth) * standing + depth * squat
    rotations = (1 - raise_) * rotations + raise_ * arms
    yaw = np.radians(90) * _smooth(t, 3.5, 4.5)
    rotations[:, 0] = matrix_to_axis_angle(rotation_about_y(yaw))
    body = create()
    joints = body.joints(rotations.astype(np.float32)).astype(np.float64)
    rest = body.joints(np.zeros((1, 52, 3), np.float32))[0].astype(np.float64)
    lift = -joints[:, :NUM_BODY_JOINTS, 1].min(axis=1)  # the lowest joint on the ground
    trans = np.stack([np.zeros_like(lift), lift, np.zeros_like(lift)], axis=1)
    return rotations.astype(np.float32), trans, rest


def bvh_text(rotations, trans, rest) -> str:
    children = {j: [c for c, p in enumerate(BODY_PARENTS) if p == j] for j in range(NUM_BODY_JOINTS)}
    lines, order = ["HIERARCHY"], []

    def joint(j, depth):
        pad = "  " * depth
        name = BIPED_NAMES[BODY_JOINT_NAMES[j]]
        offset = (rest[j] - rest[BODY_PARENTS[j]]) * 100 if BODY_PARENTS[j] >= 0 else rest[j] * 100
        lines.append(f"{pad}{'ROOT' if j == 0 else 'JOINT'} {'mixamorig:' + name if j == 0 else name}")
        lines.append(pad + "{")
        lines.append(f"{pad}  OFFSET {offset[0]:.4f} {offset[1]:.4f} {offset[2]:.4f}")
        channels = ("Xposition Yposition Zposition " if j == 0 else "") + "Zrotation Xrotation Yrotation"
        lines.append(f"{pad}  CHANNELS {len(channels.split())} {channels}")
        order.append(j)
        for c in children[j]:
            joint(c, depth + 1)
        if not children[j]:
            end = END_SITES.get(BODY_JOINT_NAMES[j], (0, 5, 0))
            lines.extend([f"{pad}  End Site", pad + "  {", f"{pad}    OFFSET {end[0]} {end[1]} {end[2]}", pad + "  }"])
        lines.append(pad + "}")
    joint(0, 0)
    euler = np.degrees(matrix_to_euler(axis_angle_to_matrix(rotations[:, :NUM_BODY_JOINTS].astype(np.float64)),
                                       "zxy"))  # R = Rz Rx Ry, stored (x, y, z)
    lines += ["MOTION", f"Frames: {len(rotations)}", f"Frame Time: {1 / FPS:.8f}"]
    for f in range(len(rotations)):
        values = list(trans[f] * 100 + rest[0] * 100)
        for j in order:
            x, y, z = euler[f, j]
            values += [z, x, y]
        lines.append(" ".join(f"{v:.4f}" for v in values))
    return "\n".join(lines) + "\n"


def main():
    rotations, trans, rest = motion()
    (OUT / "motion_biped.bvh").write_text(bvh_text(rotations, trans, rest))
    amass = rotations.copy()
    amass[:, 0] = matrix_to_axis_angle(Z_UP_TO_Y_UP.T @ axis_angle_to_matrix(rotations[:, 0].astype(np.float64)))
    np.savez(OUT / "amass_motion.npz", poses=amass.reshape(len(amass), -1), trans=(trans @ Z_UP_TO_Y_UP).astype(np.float32),
             betas=np.zeros(16, np.float32), gender=np.str_("female"), mocap_framerate=np.float64(FPS))
    for name in ("motion_biped.bvh", "amass_motion.npz"):
        print(f"{name}: {(OUT / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
