"""A miniature AMASS download for the reader's tests: `<dataset>/<subject>/<sequence>.npz`.

SEQUENCES lists what is written (relative path, frame rate, frame count, pose width) and what the reader must
make of it at 6 fps; subject folder names are chosen so that both splits are populated (the split is a hash of
"<dataset>/<subject>"). Also written: a subject-shape file (skipped, not a sequence), a corrupt .npz and a
sequence with NaN poses (both rejected with a reason).
"""
from pathlib import Path

import numpy as np

from bedlam_tools.sources.amass import split_of
from posescript_pipeline.crafted_poses import crafted_rotvecs
from posescript_pipeline.skeleton import JOINT_INDEX


def _subject(dataset, split, taken=()):
    """The first folder name "sNN" whose subject id "<dataset>/sNN" falls in `split`."""
    for i in range(100):
        name = f"s{i:02d}"
        if split_of(f"{dataset}/{name}") == split and name not in taken:
            return name
    raise RuntimeError("no subject name found")


TRAIN_A = _subject("DatasetA", "train")
TRAIN_A2 = _subject("DatasetA", "train", (TRAIN_A,))
VAL_B = _subject("DatasetB", "val")
TRAIN_B = _subject("DatasetB", "train")

SEQUENCES = [
    # (relative path, frame rate, frames, pose width 156 SMPL-H | 165 SMPL-X, rate key) -> 6-fps frames
    (f"DatasetA/{TRAIN_A}/walk_poses.npz", 120, 61, 156, "mocap_framerate"),     # frames 0, 20, 40, 60
    (f"DatasetA/{TRAIN_A}/jump_poses.npz", 60, 25, 156, "mocap_framerate"),      # frames 0, 10, 20
    (f"DatasetA/{TRAIN_A2}/sit_poses.npz", 30, 12, 156, "mocap_framerate"),      # frames 0, 5, 10
    (f"DatasetB/{VAL_B}/wave_stageii.npz", 30, 16, 165, "mocap_frame_rate"),     # frames 0, 5, 10, 15
    (f"DatasetB/{TRAIN_B}/bend_poses.npz", 60, 31, 156, "mocap_framerate"),      # frames 0, 10, 20, 30
]
CORRUPT = f"DatasetB/{TRAIN_B}/broken_poses.npz"
NAN = f"DatasetA/{TRAIN_A2}/nan_poses.npz"
SHAPE = f"DatasetA/{TRAIN_A}/shape.npz"


def expected_frames(rate, n, fps=6):
    return list(range(0, n, rate // fps))


def smplh_poses(n, seed):
    """(n, 52, 3) standing with a swinging right arm and a root yaw, in AMASS's z-up frame."""
    base = crafted_rotvecs("standing")[0].astype(np.float64)
    t = np.arange(n)
    poses = np.repeat(base[None], n, axis=0)
    poses[:, JOINT_INDEX["right_shoulder"], 2] = np.radians(75 - 60 * np.sin(t / 6 + seed))
    # y-up body -> z-up (AMASS): +90 deg about x, then a heading about z
    yaw = np.radians(20.0 * seed)
    root = np.array([[1, 0, 0], [0, 0, -1], [0, 1, 0]], dtype=float)
    heading = np.array([[np.cos(yaw), -np.sin(yaw), 0], [np.sin(yaw), np.cos(yaw), 0], [0, 0, 1]])
    m = heading @ root
    angle = np.arccos(np.clip((np.trace(m) - 1) / 2, -1, 1))
    axis = np.array([m[2, 1] - m[1, 2], m[0, 2] - m[2, 0], m[1, 0] - m[0, 1]]) / (2 * np.sin(angle))
    poses[:, 0] = axis * angle
    return poses


def write_amass(root):
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for i, (rel, rate, n, width, rate_key) in enumerate(SEQUENCES):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        p = smplh_poses(n, i)
        if width == 156:
            flat = p.reshape(n, 156)
        else:  # SMPL-X: jaw and eyes inserted after the 22 body joints
            flat = np.concatenate([p[:, :22].reshape(n, -1), np.zeros((n, 9)), p[:, 22:].reshape(n, -1)], axis=1)
        np.savez(path, poses=flat, trans=np.zeros((n, 3)), betas=np.linspace(0, 1, 16),
                 gender=np.array("female"), **{rate_key: np.array(float(rate))})
    (root / CORRUPT).write_bytes(b"PK\x03\x04 not really a zip")
    bad = smplh_poses(10, 0).reshape(10, 156)
    bad[3, 7] = np.nan
    (root / NAN).parent.mkdir(parents=True, exist_ok=True)
    np.savez(root / NAN, poses=bad, trans=np.zeros((10, 3)), betas=np.zeros(16), mocap_framerate=np.array(30.0))
    np.savez(root / SHAPE, betas=np.zeros(16), gender=np.array("female"))
    return root
