"""What every body backend gives: joints (cheap), posed meshes, and the part label of every mesh vertex.

A backend is one module of `body/backends/` defining `BODY`, a subclass of `Body`. Outputs are in the SMPL
frame (y up, +z front for a zero root rotation, +x the body's left), pelvis at the origin, float32.
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..skeleton import NUM_JOINTS


@dataclass
class Mesh:
    """Posed meshes of a batch."""
    vertices: np.ndarray  # (N, V, 3) float32
    joints: np.ndarray    # (N, 52, 3) float32, SMPL-H order
    faces: np.ndarray     # (F, 3) int64, shared by the batch


class Body(ABC):
    """A body model posed by SMPL-H axis-angle rotations (N, 52 or fewer, 3); missing trailing joints are identity.

    betas: the body shape in the backend's own parameterisation ((B,) for the batch or (N, B) per pose), or None
    for the backend's default body.
    """
    name: str = ""
    shape_space: str = ""
    """What its betas mean ("smpl-betas", "anny-phenotypes"): betas of another space are not used."""

    def betas_for(self, betas, shape_space: str):
        """`betas` if they are in this body's shape space, else None (the default body)."""
        return betas if shape_space == self.shape_space else None

    @abstractmethod
    def joints(self, rotvecs, betas=None) -> np.ndarray:
        """Posed joints (N, 52, 3) float32 (without building a mesh where the backend can)."""

    @abstractmethod
    def mesh(self, rotvecs, betas=None) -> Mesh:
        """Posed meshes and joints."""

    @property
    @abstractmethod
    def faces(self) -> np.ndarray:
        """(F, 3) int64 triangle indices."""

    @abstractmethod
    def _part_labels(self) -> np.ndarray:
        """(V,) int16 indices into `parts.PART_NAMES` (-1: unlabelled) of the default body's vertices."""

    @cached_property
    def part_labels(self) -> np.ndarray:
        """(V,) int16 part label of every vertex, read-only (see `body.parts`)."""
        labels = np.asarray(self._part_labels(), np.int16)
        labels.setflags(write=False)
        return labels

    @cached_property
    def rest_vertices(self) -> np.ndarray:
        """(V, 3) float32 vertices of the default body in the T-pose (zero rotations)."""
        return self.mesh(np.zeros((1, NUM_JOINTS, 3), np.float32)).vertices[0]
