"""The default body backend: Anny (Apache-2.0 code, CC0 MakeHuman assets), driven by SMPL-H axis-angle.

Each SMPL-H joint rotates one or more Anny bones; every other bone follows its nearest mapped ancestor (its
"owner"). Rotations are given to Anny as `local-ref` deltas (world-aligned axes of Anny's reference pose, the SMPL
convention), after converting axes (SMPL y-up/+z front -> Anny z-up/-y front) and composing a per-bone
calibration that turns Anny's A-pose reference into a T-pose with straight arms, palms down and flat fingers.
Joints come from numpy forward kinematics on the shipped calibrated T-pose skeleton of the default body (no torch);
meshes from the Anny model, built at first use (torch and anny are imported then). betas: Anny phenotypes in
`PHENOTYPES` order, each in [0, 1] (see `phenotype_kwargs`).
"""
import json
import logging
import os
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from ...quiet import silenced_stderr
from ...rotations import axis_angle_to_matrix
from ...skeleton import FINGERS, FINGER_SEGMENTS, NUM_JOINTS, SMPLH_JOINT_NAMES, SMPLH_PARENTS
from ..base import Body, Mesh
from ..kinematics import forward_kinematics, global_rotations, pad_rotvecs
from ..parts import label_vertices, segments_from_names

SMPL_TO_ANNY = np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]])
"""p_anny = SMPL_TO_ANNY @ p_smpl; rotations convert as A R A^T."""
REST_SKELETON_PATH = Path(__file__).with_name("anny_rest_skeleton.json")
ANNY_SIDES = {"left": ("L", 1.0), "right": ("R", -1.0)}
"""Side -> (Anny bone-name suffix, sign of x along its T-pose arm)."""
ANNY_FINGER = {"thumb": 1, "index": 2, "middle": 3, "ring": 4, "pinky": 5}
PHENOTYPES = ("gender", "age", "muscle", "weight", "height", "proportions")
"""Anny phenotypes in betas order, each in [0, 1] (gender 0 male, 1 female); 0.5 is the default body."""
BONE_SEGMENTS = {
    r"root|pelvis|spine0[345]": "abdomen", r"spine0[12]|clavicle|shoulder01": "thorax",
    r"upperarm0\d": "upperarm", r"lowerarm0\d": "forearm", r"wrist|metacarpal\d|finger\d-\d": "hand",
    r"upperleg0\d": "thigh", r"lowerleg0\d": "calf", r"foot|toe\d-\d": "foot",
    r"neck0\d": "neck", r"head|eye": "head",
}
"""Anny bone name without its .L/.R suffix (regex, full match) -> skinning segment (see `body.parts`)."""

_CENTRAL_BONES = {
    "pelvis": ("root",), "spine1": ("spine03",), "spine2": ("spine02",), "spine3": ("spine01",),
    "neck": ("neck01",), "head": ("head",),
}
_SIDE_BONES = {
    "hip": ("upperleg01",), "knee": ("lowerleg01",), "ankle": ("foot",),
    "foot": tuple(f"toe{k}-1" for k in range(1, 6)), "collar": ("clavicle",), "shoulder": ("upperarm01",),
    "elbow": ("lowerarm01",), "wrist": ("wrist",),
    **{f"{finger}{k}": (f"finger{ANNY_FINGER[finger]}-{k}",) for finger in FINGERS for k in FINGER_SEGMENTS},
}
_POSITION_OVERRIDES = {"pelvis": ("upperleg01.L", "upperleg01.R")}
"""Joints placed at the mean of other bone heads; otherwise the mean head of the rotated bones."""


def _joint_bones():
    table = {name: bones for name, bones in _CENTRAL_BONES.items()}
    for side, (suffix, _) in ANNY_SIDES.items():
        table.update({f"{side}_{part}": tuple(f"{b}.{suffix}" for b in bones) for part, bones in _SIDE_BONES.items()})
    return {name: table[name] for name in SMPLH_JOINT_NAMES}


JOINT_BONES = _joint_bones()
"""SMPL-H joint name -> the Anny bones its rotation drives, in SMPL-H order."""


def _minimal_rotation(a, b):
    """Rotation matrices (..., 3, 3) of least angle taking directions a to b."""
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    cross = np.cross(a, b)
    sin = np.linalg.norm(cross, axis=-1, keepdims=True)
    angle = np.arctan2(sin, (a * b).sum(-1, keepdims=True))
    return axis_angle_to_matrix(cross / np.maximum(sin, 1e-12) * angle)


class AnnyRig:
    """Anny's bone tree with the SMPL-H mapping: owners, joint positions, calibration and deltas (numpy)."""

    def __init__(self, bone_names, bone_parents):
        self.names = list(bone_names)
        self.parents = np.asarray(bone_parents)
        index = {n: i for i, n in enumerate(self.names)}
        mapped = {index[b]: j for j, bones in enumerate(JOINT_BONES.values()) for b in bones}
        self.owner = np.array([self._owner(i, mapped) for i in range(len(self.names))])
        self.joint_heads = [
            [index[b] for b in _POSITION_OVERRIDES.get(name, bones)] for name, bones in JOINT_BONES.items()
        ]
        drivers = [index[bones[0]] for bones in JOINT_BONES.values()]
        derived = [self.owner[self.parents[b]] if b else -1 for b in drivers]
        if not np.array_equal(derived, SMPLH_PARENTS):
            raise RuntimeError("Anny bone hierarchy does not match the SMPL-H tree")

    def _owner(self, bone, mapped):
        while bone not in mapped:
            bone = self.parents[bone]
        return mapped[bone]

    def joints(self, heads):
        """(N, 104, 3) bone heads -> (N, 52, 3) SMPL-H joint positions (same axes)."""
        return np.stack([heads[:, idx].mean(axis=1) for idx in self.joint_heads], axis=1)

    def calibration(self, reference):
        """Per-bone global rotations (104, 3, 3), Anny axes, taking the reference pose (104, 4, 4) to the T-pose."""
        heads, frames = reference[:, :3, 3], reference[:, :3, :3]
        calib = np.tile(np.eye(3), (len(self.names), 1, 1))
        for suffix, sign in ANNY_SIDES.values():
            b = {n.removesuffix("." + suffix): i for i, n in enumerate(self.names) if n.endswith("." + suffix)}
            along = np.array([sign, 0.0, 0.0])

            def aim(start, end):
                return _minimal_rotation(heads[b[end]] - heads[b[start]], along)

            calib[[b["upperarm01"], b["upperarm02"]]] = aim("upperarm01", "lowerarm01")
            calib[[b["lowerarm01"], b["lowerarm02"]]] = aim("lowerarm01", "wrist")
            straight = aim("wrist", "finger3-1")
            knuckles = straight @ (heads[b["finger5-1"]] - heads[b["finger2-1"]])  # index -> pinky: to +y (back)
            hand = axis_angle_to_matrix(np.array([-np.arctan2(knuckles[2], knuckles[1]), 0.0, 0.0])) @ straight
            hand_bones = [i for n, i in b.items() if n == "wrist" or n.startswith(("metacarpal", "finger1-"))]
            calib[hand_bones] = hand
            for k in range(2, 6):  # index..pinky: remove the curl (vertical component), keep the spread
                for seg in (1, 2, 3):
                    bone = b[f"finger{k}-{seg}"]
                    direction = hand @ frames[bone][:, 1]  # a bone's y axis runs from head to tail
                    flat = direction * np.array([1.0, 1.0, 0.0])
                    calib[bone] = _minimal_rotation(direction, flat) @ hand
        return calib

    def deltas(self, rotvecs, calibration):
        """(N, 52|22, 3) SMPL-H axis-angle -> (N, 104, 4, 4) Anny `local-ref` deltas."""
        a = SMPL_TO_ANNY
        local = a @ axis_angle_to_matrix(pad_rotvecs(np.asarray(rotvecs, np.float64), NUM_JOINTS)) @ a.T
        world = global_rotations(local, SMPLH_PARENTS)[:, self.owner] @ calibration
        rot = np.swapaxes(world[:, np.maximum(self.parents, 0)], -1, -2) @ world
        rot[:, 0] = world[:, 0]
        out = np.zeros(rot.shape[:2] + (4, 4))
        out[..., :3, :3] = rot
        out[..., 3, 3] = 1.0
        return out


@cache
def _init_warp_quietly():
    """Initialise warp (Anny's kernels) without its log lines and, on a machine with no CUDA driver, without
    the driver warning its native library prints straight to stderr (a Python error still shows)."""
    import warp

    warp.config.log_level = logging.ERROR
    with silenced_stderr():
        warp.init()


def phenotype_kwargs(betas) -> dict | None:
    """Anny's phenotype keyword arguments of one betas row (PHENOTYPES order); None: the default body."""
    return None if betas is None else {name: float(v) for name, v in zip(PHENOTYPES, np.asarray(betas).reshape(-1))}


class AnnyBody(Body):
    """Anny posed by SMPL-H axis-angle. Outputs are in the SMPL y-up frame with the pelvis at the origin."""
    name = "anny"
    shape_space = "anny-phenotypes"

    def __init__(self, model_dir=None, model_type=None, gender="neutral", dtype="float32"):
        self.dtype = dtype
        self._calibrations = {}

    @cached_property
    def model(self):
        """The Anny torch model (built at first use: 2-3 minutes and a cache in ~/.cache/anny the first time)."""
        _init_warp_quietly()
        import anny
        import torch

        if _cache_is_cold():
            logging.getLogger(__name__).warning("note: building the Anny body model once (about 2-3 minutes; "
                                                "cached afterwards)")
        return anny.Anny().to(getattr(torch, self.dtype))

    @cached_property
    def rig(self):
        return AnnyRig(self.model.bone_labels, self.model.bone_parents)

    @cached_property
    def faces(self):
        return self.model.faces.cpu().numpy().astype(np.int64)

    @property
    def version(self):
        from importlib.metadata import version

        return version("anny")

    def _run(self, deltas, phenotype):
        import torch

        with torch.no_grad():
            return self.model(pose_parameters=deltas, phenotype_kwargs=phenotype, pose_parameterization="local-ref")

    def calibration(self, phenotype=None):
        """Per-bone T-pose calibration (104, 3, 3) for a phenotype dict (None: the default body), cached."""
        key = tuple(sorted((phenotype or {}).items()))
        if key not in self._calibrations:
            reference = self._run(None, phenotype)["bone_poses"][0]
            self._calibrations[key] = self.rig.calibration(reference.double().cpu().numpy())
        return self._calibrations[key]

    def joints(self, rotvecs, betas=None):
        """Numpy FK on the shipped skeleton of the default body (betas are not used: no torch, no mesh)."""
        return forward_kinematics(rotvecs, rest_skeleton(), SMPLH_PARENTS)

    def mesh_float64(self, rotvecs, betas=None, batch_size=256) -> Mesh:
        """Like `mesh`, with float64 vertices and joints."""
        import torch

        rotvecs = np.asarray(rotvecs, dtype=np.float64)
        rows = _rows_by_shape(betas, len(rotvecs))
        vertices = np.empty((len(rotvecs), self.model.template_vertices.shape[0], 3))
        joints = np.empty((len(rotvecs), NUM_JOINTS, 3))
        for shape, picked in rows:
            phenotype = phenotype_kwargs(shape)
            calibration = self.calibration(phenotype)
            for start in range(0, len(picked), batch_size):
                part = picked[start:start + batch_size]
                deltas = self.rig.deltas(rotvecs[part], calibration)
                out = self._run(torch.from_numpy(deltas).to(self.model.dtype), phenotype)
                anny_joints = self.rig.joints(out["bone_poses"][..., :3, 3].double().cpu().numpy())
                pelvis = anny_joints[:, :1]
                joints[part] = (anny_joints - pelvis) @ SMPL_TO_ANNY  # row vectors: A^T p
                vertices[part] = (out["vertices"].double().cpu().numpy() - pelvis) @ SMPL_TO_ANNY
        return Mesh(vertices, joints, self.faces)

    def mesh(self, rotvecs, betas=None, batch_size=256) -> Mesh:
        """Posed Anny meshes; betas: phenotypes (6,) for the batch or (N, 6) per pose (poses of one phenotype
        are posed together), None for the default body."""
        out = self.mesh_float64(rotvecs, betas, batch_size)
        return Mesh(out.vertices.astype(np.float32), out.joints.astype(np.float32), out.faces)

    def _part_labels(self):
        model = self.model
        weights = model.vertex_bone_weights.cpu().numpy()
        bones = model.vertex_bone_indices.cpu().numpy()[np.arange(len(weights)), weights.argmax(axis=1)]
        bone_segments = segments_from_names(model.bone_labels, BONE_SEGMENTS, r"\.[LR]$")
        heads = model.template_bone_heads.double().cpu().numpy()
        joints = self.rig.joints(heads[None])[0] @ SMPL_TO_ANNY
        vertices = model.template_vertices.double().cpu().numpy() @ SMPL_TO_ANNY
        return label_vertices(vertices, bone_segments[bones], joints)


def _rows_by_shape(betas, n):
    """[(betas row or None, row indices)] grouping the n poses by body shape, in order of first appearance."""
    if betas is None:
        return [(None, np.arange(n))]
    betas = np.asarray(betas, np.float64)
    if betas.ndim == 1:
        return [(betas, np.arange(n))]
    if len(betas) != n:
        raise ValueError(f"betas of shape {betas.shape} for {n} poses; expected (B,) or ({n}, B)")
    unique, first, inverse = np.unique(betas, axis=0, return_index=True, return_inverse=True)
    return [(unique[u], np.flatnonzero(inverse.reshape(-1) == u)) for u in np.argsort(first)]


def _cache_is_cold():
    """True when Anny has not built its compact model yet (its cache: $ANNY_CACHE_DIR or ~/.cache/anny)."""
    root = Path(os.environ.get("ANNY_CACHE_DIR") or Path.home() / ".cache" / "anny")
    return not any(root.glob("v*/build_compact_model_data_*.safetensors"))


def build_rest_skeleton(path=REST_SKELETON_PATH):
    """Measure the calibrated T-pose joints of the default Anny body (SMPL axes, pelvis at 0); write the JSON."""
    body = AnnyBody(dtype="float64")
    rest = body.mesh_float64(np.zeros((1, NUM_JOINTS, 3))).joints[0]
    record = {
        "description": "Anny calibrated T-pose joints, SMPL-H order, SMPL axes (y up, faces +z), metres",
        "anny_version": body.version,
        "phenotype": {label: 0.5 for label in body.model.phenotype_labels},
        "joint_names": list(SMPLH_JOINT_NAMES),
        "parents": SMPLH_PARENTS.tolist(),
        "joints": np.round(rest, 7).tolist(),
    }
    Path(path).write_text(json.dumps(record, indent=1) + "\n")
    return rest


@cache
def rest_skeleton():
    """The shipped 52-joint Anny T-pose skeleton (52, 3), float64, read-only; no torch/anny import."""
    joints = np.array(json.loads(REST_SKELETON_PATH.read_text())["joints"], dtype=np.float64)
    joints.setflags(write=False)
    return joints


BODY = AnnyBody
