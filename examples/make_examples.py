"""Write one small example file per supported input format into examples/.

Run with the package installed (or PYTHONPATH at the repository root): python examples/make_examples.py

All poses come from posescript_pipeline.crafted_poses; joints are the numpy FK on the shipped Anny skeleton.
Face points (nose, eyes, ears, head top) of the H3.6M/COCO examples are rough offsets from the head joint.
"""
import pickle
from pathlib import Path

import numpy as np

from posescript_pipeline.body import create
from posescript_pipeline.crafted_poses import CRAFTED_POSES, crafted_rotvecs
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.orientation import Z_UP_TO_Y_UP
from posescript_pipeline.rotations import matrix_to_axis_angle, rotation_about_y

OUT = Path(__file__).resolve().parent
POSES = ("standing", "left_knee_90", "right_arm_overhead", "torso_forward", "kneeling", "squat",
         "right_hand_on_left_shoulder", "right_hand_on_head", "sitting_hands_on_thighs")
H36M = ("pelvis", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle", "spine2",
        "neck", "nose", "head_top", "left_shoulder", "left_elbow", "left_wrist", "right_shoulder", "right_elbow",
        "right_wrist")
COCO = ("nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
        "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee",
        "left_ankle", "right_ankle")
FACE_OFFSETS = {  # metres from the head joint, in the frame of a body facing +z
    "nose": (0, 0.0, 0.11), "left_eye": (0.03, 0.03, 0.09), "right_eye": (-0.03, 0.03, 0.09),
    "left_ear": (0.075, 0.015, 0.0), "right_ear": (-0.075, 0.015, 0.0), "head_top": (0, 0.14, 0.0),
}


def with_root(rotvecs, root_matrices):
    """Copy of rotvecs (N, 52, 3) with the root rotation replaced."""
    out = rotvecs.copy()
    out[:, 0] = matrix_to_axis_angle(root_matrices).astype(out.dtype)
    return out


def named_points(joints, names):
    """(N, len(names), 3) from SMPL-H joints or head offsets (valid for unrotated heads and roots)."""
    head = joints[:, JOINT_INDEX["head"]]
    return np.stack([joints[:, JOINT_INDEX[n]] if n in JOINT_INDEX else head + FACE_OFFSETS[n] for n in names], 1)


def amass_motion(n_frames=12):
    """SMPL-H poses of a slow squat while turning, with AMASS's z-up root."""
    t = np.linspace(0.0, 1.0, n_frames)[:, None, None]
    depth = np.sin(np.pi * t)
    rotvecs = (1 - depth) * crafted_rotvecs("standing") + depth * crafted_rotvecs("squat")
    root = Z_UP_TO_Y_UP.T @ rotation_about_y(np.linspace(0.0, np.pi / 2, n_frames))
    return with_root(rotvecs.astype(np.float32), root).reshape(n_frames, -1)


def smplx_parameters():
    rotvecs = np.concatenate([crafted_rotvecs(name) for name in POSES])
    rotvecs = with_root(rotvecs, rotation_about_y(np.radians(np.linspace(-60, 60, len(POSES)))))
    n = len(rotvecs)
    return {
        "global_orient": rotvecs[:, 0], "body_pose": rotvecs[:, 1:22].reshape(n, 63),
        "left_hand_pose": rotvecs[:, 22:37].reshape(n, 45), "right_hand_pose": rotvecs[:, 37:52].reshape(n, 45),
        "betas": np.zeros((n, 11), dtype=np.float32),
    }


def main():
    np.savez(OUT / "amass_poses.npz", poses=amass_motion(), betas=np.zeros(16, np.float32),
             trans=np.zeros((12, 3), np.float32), gender=np.str_("neutral"), mocap_framerate=np.float64(30))
    params = smplx_parameters()
    np.savez(OUT / "smplx_params.npz", **params)
    with open(OUT / "smplx_params.pkl", "wb") as f:
        pickle.dump(params, f)
    rotvecs = np.concatenate([crafted_rotvecs(name) for name in CRAFTED_POSES])
    joints = create().joints(rotvecs)
    yawed = create().joints(with_root(rotvecs, rotation_about_y(np.radians(np.linspace(0, 90, len(rotvecs))))))
    np.save(OUT / "joints_smplh52.npy", yawed)
    np.save(OUT / "joints_smpl24.npy", np.concatenate(
        [joints[:, :22], joints[:, [JOINT_INDEX["left_middle1"], JOINT_INDEX["right_middle1"]]]], axis=1))
    np.save(OUT / "joints_h36m17.npy", named_points(joints, H36M).astype(np.float32))
    np.savez(OUT / "joints_coco17.npz", joints=named_points(joints, COCO).astype(np.float32))
    for path in sorted(OUT.glob("*.np[yz]")) + sorted(OUT.glob("*.pkl")):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
