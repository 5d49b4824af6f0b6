"""The points of each body that are projected for its box and visibility, in the motion frame without `trans`.

With SMPL-X model files: every `MESH_STRIDE`-th vertex of the posed mesh with the person's betas (the model of
the motion's gender), and the 22 body joints. Without: the box vertices of the posed default Anny mesh
(`box_points`: fingertips, toes, head top...) and its 22 body joints, placed with the SMPL-X neutral pelvis offset
`SMPLX_PELVIS` (zero betas).
"""
import numpy as np

from . import box_points

BODY_JOINTS = 22
SMPLX_PELVIS = np.array([0.0031, -0.3514, 0.0120])
"""Pelvis of the SMPL-X neutral model at zero pose and zero betas (metres, model frame); approximate, used to
place the Anny points when no SMPL-X model files are given."""
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


def anny_points(rotvecs):
    """Anny box vertices and 22 body joints in the motion frame minus trans: (T, P, 3), (T, 22, 3)."""
    joints, vertices = box_points.posed(rotvecs)
    return vertices + SMPLX_PELVIS, joints[:, :BODY_JOINTS] + SMPLX_PELVIS
