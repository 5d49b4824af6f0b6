"""Body backends: joints (and meshes) from SMPL-H axis-angle poses.

"anny" (default, free): numpy forward kinematics on the shipped Anny T-pose skeleton, no torch import;
`anny_backend.AnnyBody` gives meshes. "smplx": the user's SMPL-X/SMPL-H model files via `smplx_backend`.
"""
from functools import lru_cache

import numpy as np

from ..joints import SMPLH_PARENTS
from .anny_backend import rest_skeleton
from .skeleton import forward_kinematics

BACKENDS = ("anny", "smplx")


@lru_cache(maxsize=4)
def _smplx_body(model_dir, model_type, gender):
    from .smplx_backend import SmplxBody

    return SmplxBody(model_dir, model_type, gender)


def joints_from_rotations(rotvecs, backend="anny", model_dir=None, model_type=None, betas=None, gender="neutral"):
    """Joints (N, 52, 3) float32, pelvis at the origin, in the frame of the root rotation (y-up SMPL axes).

    rotvecs: (N, 52|22, 3) axis-angle (root, 21 body joints, 15 left-hand, 15 right-hand joints).
    betas are used by the smplx backend only (Anny's skeleton is its default body).
    """
    rotvecs = np.asarray(rotvecs)
    if backend == "anny":
        return forward_kinematics(rotvecs, rest_skeleton(), SMPLH_PARENTS)
    if backend == "smplx":
        if model_dir is None:
            raise ValueError("the smplx backend needs model_dir (a folder holding smplx/ or smplh/ model files)")
        body = _smplx_body(str(model_dir), model_type or "smplx", gender)
        return body.pose(rotvecs, betas)["joints"].astype(np.float32)
    raise ValueError(f"unknown body backend {backend!r}; choose one of {', '.join(BACKENDS)}")
