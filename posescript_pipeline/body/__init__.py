"""Body models: `create(backend, model_dir)` gives the process's one body of a backend, posed by SMPL-H axis-angle.

Backends are the modules of `body/backends/` (a new backend is one new file there, defining `BODY`):
"anny" (default, free: joints by numpy forward kinematics, meshes by the Anny model) and "smplx" (the user's
own SMPL-X/SMPL-H model files). `canonical` is the one path from rotations to canonical joints.
"""
import importlib
import pkgutil
from functools import lru_cache

import numpy as np

from ..errors import UserError
from ..orientation import normalise
from . import backends
from .base import Body, Mesh

DEFAULT_BACKEND = "anny"
BACKENDS = tuple(sorted(m.name for m in pkgutil.iter_modules(backends.__path__)))


def backend_for(model_dir=None) -> str:
    """The backend of a model folder: the user's files (smplx) when given, else the free default."""
    return "smplx" if model_dir else DEFAULT_BACKEND


@lru_cache(maxsize=8)
def _create(backend: str, model_dir: str | None, model_type: str | None, gender: str) -> Body:
    if backend not in BACKENDS:
        raise UserError(f"unknown body backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    module = importlib.import_module(f"{backends.__name__}.{backend}")
    return module.BODY(model_dir=model_dir, model_type=model_type, gender=gender)


def create(backend: str | None = None, model_dir=None, model_type: str | None = None, gender: str = "neutral") -> Body:
    """The body of a backend (default: `backend_for(model_dir)`), created once per process and argument set.

    Cheap for anny until a mesh is asked for (the Anny model is built then)."""
    backend = backend or backend_for(model_dir)
    if model_dir is None:  # a body without model files has one form whatever the type or gender asked for
        return _create(backend, None, None, "neutral")
    return _create(backend, str(model_dir), model_type, gender)


def normalised(joints, rotvecs, up="y"):
    """(canonical joints, rotations with the root normalised) from a body's joints (N, 52, 3) and the rotations
    (N, J, 3) that posed them, in a frame whose vertical is `up` (see `orientation.normalise`)."""
    rotvecs = np.asarray(rotvecs)
    canonical_joints, root = normalise(joints, root_rotvec=rotvecs[:, 0], up=up)
    out = rotvecs.copy()
    out[:, 0] = root
    return canonical_joints, out


def canonical(rotvecs, body: Body | None = None, up="y", betas=None):
    """(canonical joints (N, 52, 3) float32, rotations (N, J, 3) with the root normalised) of axis-angle poses:
    forward kinematics on `body` (default: the Anny body), then orientation normalisation."""
    body = body or create()
    return normalised(body.joints(rotvecs, betas), rotvecs, up)


__all__ = ["BACKENDS", "Body", "Mesh", "backend_for", "canonical", "create", "normalised"]
