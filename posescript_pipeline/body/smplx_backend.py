"""SMPL-X / SMPL-H body models from the user's own (licensed) model files, through the `smplx` package.

Joints are returned in SMPL-H order (52), in the models' native y-up frame, pelvis at the origin.
torch and smplx are imported when a model is created.
"""
import os

import numpy as np

from ..joints import SMPLH_JOINT_NAMES

MODEL_FILES = {"smplx": "SMPLX_{gender}", "smplh": "SMPLH_{gender}"}
"""Model type -> file name stem inside <model_dir>/<model_type>/; .npz is preferred over .pkl."""
EXTENSIONS = ("npz", "pkl")
JOINT_SELECTION = {"smplx": np.r_[0:22, 25:55], "smplh": np.r_[0:52]}
"""Model type -> model output joints kept, in SMPL-H order (SMPL-X: jaw and eyes dropped)."""
NUM_BETAS = 16


class ModelFilesError(FileNotFoundError):
    """The model directory or the expected model file is missing."""


def find_model_file(model_dir, model_type="smplx", gender="neutral"):
    """(path, ext) of the model file, or ModelFilesError naming the expected files."""
    if model_type not in MODEL_FILES:
        raise ValueError(f"model_type must be one of {', '.join(MODEL_FILES)}, got {model_type!r}")
    stem = MODEL_FILES[model_type].format(gender=gender.upper())
    expected = [os.path.join(model_dir, model_type, f"{stem}.{ext}") for ext in EXTENSIONS]
    if not os.path.isdir(model_dir):
        raise ModelFilesError(f"model directory {model_dir} does not exist; expected {' or '.join(expected)}")
    for path, ext in zip(expected, EXTENSIONS):
        if os.path.isfile(path):
            return path, ext
    raise ModelFilesError(f"no {model_type} model in {model_dir}: expected {' or '.join(expected)}")


class SmplxBody:
    """A SMPL-X or SMPL-H model (use_pca=False, flat_hand_mean=True) posed by SMPL-H axis-angle."""

    def __init__(self, model_dir, model_type="smplx", gender="neutral"):
        path, ext = find_model_file(model_dir, model_type, gender)
        import smplx
        import torch

        self._torch = torch
        self.model_type = model_type
        self.model = smplx.create(
            path, model_type=model_type, gender=gender, ext=ext, use_pca=False, flat_hand_mean=True,
            num_betas=NUM_BETAS,
        )
        self.faces = np.asarray(self.model.faces, dtype=np.int64)

    def _inputs(self, rotvecs, betas):
        n = len(rotvecs)
        t = self._torch.from_numpy(np.ascontiguousarray(rotvecs, dtype=np.float32)).reshape(n, -1)
        zeros = self._torch.zeros
        shape = np.zeros((n, self.model.num_betas), dtype=np.float32)
        if betas is not None:
            b = np.broadcast_to(np.asarray(betas, dtype=np.float32), (n, np.shape(betas)[-1]))
            k = min(b.shape[1], shape.shape[1])
            shape[:, :k] = b[:, :k]
        inputs = {
            "global_orient": t[:, :3], "body_pose": t[:, 3:66], "left_hand_pose": t[:, 66:111],
            "right_hand_pose": t[:, 111:156], "betas": self._torch.from_numpy(shape), "transl": zeros(n, 3),
        }
        if self.model_type == "smplx":
            inputs.update(
                jaw_pose=zeros(n, 3), leye_pose=zeros(n, 3), reye_pose=zeros(n, 3),
                expression=zeros(n, self.model.num_expression_coeffs),
            )
        return inputs

    def pose(self, rotvecs, betas=None):
        """(N, 52|22, 3) axis-angle [+ betas (B,) or (N, B)] -> dict(vertices, joints (N, 52, 3), faces)."""
        rotvecs = np.asarray(rotvecs, dtype=np.float32)
        full = np.zeros((len(rotvecs), len(SMPLH_JOINT_NAMES), 3), dtype=np.float32)
        full[:, :rotvecs.shape[1]] = rotvecs
        with self._torch.no_grad():
            out = self.model(**self._inputs(full, betas))
        joints = out.joints[:, JOINT_SELECTION[self.model_type]].numpy()
        pelvis = joints[:, :1]
        return {"vertices": out.vertices.numpy() - pelvis, "joints": joints - pelvis, "faces": self.faces}
