"""The points of each body that are projected for its box and visibility, in the motion frame without `trans`.

With SMPL-X model files: every `MESH_STRIDE`-th vertex of the posed mesh with the person's betas, and the 22 body
joints. Without: the 22 joints of the Anny skeleton (numpy FK) plus a virtual head-top point, placed with the
SMPL-X neutral pelvis offset `SMPLX_PELVIS` (zero betas).
"""
import numpy as np

from posescript_pipeline.skeleton import JOINT_INDEX

BODY_JOINTS = 22
SMPLX_PELVIS = np.array([0.0031, -0.3514, 0.0120])
"""Pelvis of the SMPL-X neutral model at zero pose and zero betas (metres, model frame); approximate, used to
place joint-only projections when no SMPL-X model files are given."""
HEAD_TOP = 2.0
"""Virtual head-top point of joint-only projections: head + HEAD_TOP x (head - neck) (about 0.2 m up)."""
MESH_STRIDE = 8


def smplx_points(body, rotvecs, betas):
    """SMPL-X posed mesh points and 22 body joints in the motion frame minus trans: (T, P, 3), (T, 22, 3)."""
    import torch

    out = body.mesh(rotvecs, betas)  # pelvis at the origin
    n_betas = body.model.num_betas
    shape = np.zeros((1, n_betas), dtype=np.float32)
    shape[0, :min(n_betas, len(betas))] = betas[:n_betas]
    with torch.no_grad():
        rest = body.model(betas=torch.from_numpy(shape))
    pelvis = rest.joints[0, 0].numpy().astype(np.float64)
    vertices = out.vertices[:, ::MESH_STRIDE].astype(np.float64) + pelvis
    joints = out.joints[:, :BODY_JOINTS].astype(np.float64) + pelvis
    return np.concatenate([vertices, joints], axis=1), joints


def anny_points(joints_rel):
    """Joint-only projection points: 22 body joints + virtual head top, with the SMPL-X pelvis offset."""
    j = joints_rel[:, :BODY_JOINTS].astype(np.float64)
    head, neck = j[:, JOINT_INDEX["head"]], j[:, JOINT_INDEX["neck"]]
    top = head + HEAD_TOP * (head - neck)
    return np.concatenate([j, top[:, None]], axis=1) + SMPLX_PELVIS, j + SMPLX_PELVIS
