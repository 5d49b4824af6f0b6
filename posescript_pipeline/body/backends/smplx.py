"""SMPL-X / SMPL-H body models from the user's own (licensed) model files, through the `smplx` package.

Joints are returned in SMPL-H order (52), in the models' native y-up frame, pelvis at the origin.
torch and smplx are imported when a model is created. betas: the model's shape coefficients.
"""
import os

import numpy as np

from ...errors import UserError
from ...skeleton import BODY_JOINT_NAMES, NUM_BODY_JOINTS, NUM_HAND_JOINTS, NUM_JOINTS, SMPLH_JOINT_NAMES
from ..base import Body, Mesh
from ..parts import label_vertices, segments_from_names

MODEL_FILES = {"smplx": "SMPLX_{gender}", "smplh": "SMPLH_{gender}"}
"""Model type -> file name stem inside <model_dir>/<model_type>/; .npz is preferred over .pkl."""
EXTENSIONS = ("npz", "pkl")
JOINT_SELECTION = {"smplx": np.r_[0:NUM_BODY_JOINTS, NUM_BODY_JOINTS + 3:NUM_JOINTS + 3], "smplh": np.r_[0:NUM_JOINTS]}
"""Model type -> model output joints kept, in SMPL-H order (SMPL-X: jaw and eyes dropped)."""
MODEL_JOINT_NAMES = {"smplx": BODY_JOINT_NAMES + ("jaw", "left_eye", "right_eye") + SMPLH_JOINT_NAMES[NUM_BODY_JOINTS:],
                     "smplh": SMPLH_JOINT_NAMES}
NUM_BETAS = 16
JOINT_SEGMENTS = {
    r"pelvis|spine1": "abdomen", r"spine[23]|collar": "thorax", r"shoulder": "upperarm", r"elbow": "forearm",
    r"wrist|(index|middle|pinky|ring|thumb)\d": "hand", r"hip": "thigh", r"knee": "calf", r"ankle|foot": "foot",
    r"neck": "neck", r"head|jaw|eye": "head",
}
"""SMPL-X/SMPL-H joint name without its left_/right_ prefix (regex, full match) -> segment (the joint's bone)."""
POSE_FIELDS = (("global_orient", 0, 1), ("body_pose", 1, NUM_BODY_JOINTS),
               ("left_hand_pose", NUM_BODY_JOINTS, NUM_BODY_JOINTS + NUM_HAND_JOINTS),
               ("right_hand_pose", NUM_BODY_JOINTS + NUM_HAND_JOINTS, NUM_JOINTS))
"""smplx keyword -> the SMPL-H joints it holds (start, stop)."""


class ModelFilesError(UserError, FileNotFoundError):
    """The model directory or the expected model file is missing."""


def find_model_file(model_dir, model_type="smplx", gender="neutral"):
    """(path, ext) of the model file, or ModelFilesError naming the expected files."""
    if model_type not in MODEL_FILES:
        raise ModelFilesError(f"model type must be one of {', '.join(MODEL_FILES)}, got {model_type!r}")
    stem = MODEL_FILES[model_type].format(gender=gender.upper())
    expected = [os.path.join(model_dir, model_type, f"{stem}.{ext}") for ext in EXTENSIONS]
    if not os.path.isdir(model_dir):
        raise ModelFilesError(f"model directory {model_dir} does not exist; expected {' or '.join(expected)}")
    for path, ext in zip(expected, EXTENSIONS):
        if os.path.isfile(path):
            return path, ext
    raise ModelFilesError(f"no {model_type} model in {model_dir}: expected {' or '.join(expected)}")


class SmplxBody(Body):
    """A SMPL-X or SMPL-H model (use_pca=False, flat_hand_mean=True) posed by SMPL-H axis-angle."""
    name = "smplx"
    shape_space = "smpl-betas"

    def __init__(self, model_dir=None, model_type="smplx", gender="neutral"):
        if model_dir is None:
            raise ModelFilesError("the smplx backend needs a model folder (--model-dir) holding smplx/ or smplh/")
        model_type = model_type or "smplx"
        path, ext = find_model_file(model_dir, model_type, gender)
        import smplx

        self.model_type = model_type
        self.model = smplx.create(path, model_type=model_type, gender=gender, ext=ext, use_pca=False,
                                  flat_hand_mean=True, num_betas=NUM_BETAS)

    @property
    def faces(self):
        return np.asarray(self.model.faces, dtype=np.int64)

    def _inputs(self, rotvecs, betas):
        import torch

        n = len(rotvecs)
        t = torch.from_numpy(np.ascontiguousarray(rotvecs, dtype=np.float32))
        shape = np.zeros((n, self.model.num_betas), dtype=np.float32)
        if betas is not None:
            b = np.broadcast_to(np.asarray(betas, dtype=np.float32), (n, np.shape(betas)[-1]))
            k = min(b.shape[1], shape.shape[1])
            shape[:, :k] = b[:, :k]
        inputs = {name: t[:, start:stop].reshape(n, -1) for name, start, stop in POSE_FIELDS}
        inputs.update(betas=torch.from_numpy(shape), transl=torch.zeros(n, 3))
        if self.model_type == "smplx":
            inputs.update(jaw_pose=torch.zeros(n, 3), leye_pose=torch.zeros(n, 3), reye_pose=torch.zeros(n, 3),
                          expression=torch.zeros(n, self.model.num_expression_coeffs))
        return inputs

    def mesh(self, rotvecs, betas=None) -> Mesh:
        import torch

        rotvecs = np.asarray(rotvecs, dtype=np.float32)
        full = np.zeros((len(rotvecs), NUM_JOINTS, 3), dtype=np.float32)
        full[:, :rotvecs.shape[1]] = rotvecs
        with torch.no_grad():
            out = self.model(**self._inputs(full, betas))
        joints = out.joints[:, JOINT_SELECTION[self.model_type]].numpy()
        pelvis = joints[:, :1]
        return Mesh(out.vertices.numpy() - pelvis, joints - pelvis, self.faces)

    def joints(self, rotvecs, betas=None):
        return self.mesh(rotvecs, betas).joints.astype(np.float32)

    def _part_labels(self):
        model = self.model
        vertices = model.v_template.double().cpu().numpy()
        joint_segments = segments_from_names(MODEL_JOINT_NAMES[self.model_type], JOINT_SEGMENTS, r"^(left|right)_")
        weights = model.lbs_weights.cpu().numpy()
        joints = model.J_regressor.double().cpu().numpy() @ vertices
        selected = joints[JOINT_SELECTION[self.model_type]]
        return label_vertices(vertices, joint_segments[weights.argmax(axis=1)], selected)


BODY = SmplxBody
