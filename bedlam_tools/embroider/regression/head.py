"""The regression head (spec section 11.2): HMR-style iterative residual pose regression in 6D from a learnable
mean pose, a shape MLP, and the losses (geodesic on rotations, smooth L1 on the shape)."""
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_6d, mean_rotation
from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from ..geometry import matrix_from_6d

POSE_WIDTH = NUM_BODY_JOINTS * 6


def mean_pose_6d(poses: np.ndarray) -> np.ndarray:
    """(22 * 6,) float32 6D of the per-joint rotation average (chordal mean) of axis-angle poses (N, 22, 3)."""
    return matrix_to_6d(mean_rotation(axis_angle_to_matrix(np.asarray(poses, np.float64)))).reshape(-1).astype(np.float32)


class RegressionHead(nn.Module):
    """z (B, D) -> (rotation matrices (B, 22, 3, 3), shape (B, S)).

    Pose: `iterations` times, state += MLP(concat(z, state)) with MLP = Linear -> Dropout -> LeakyReLU ->
    Linear -> Dropout -> LeakyReLU -> Linear (Xavier, gain 0.01), starting from the learnable mean pose; the
    6D state is turned into rotations by Gram-Schmidt. Shape: Linear -> ReLU -> Linear, starting at the mean
    training shape (zero last weights, the mean as bias): a head that never learns shape gives the mean.
    """

    def __init__(self, width: int, shape_width: int, hidden: int = 1024, iterations: int = 3, dropout: float = 0.5,
                 mean_pose: np.ndarray | None = None, mean_shape: np.ndarray | None = None):
        super().__init__()
        self.iterations = iterations
        start = torch.zeros(POSE_WIDTH) if mean_pose is None else torch.as_tensor(mean_pose, dtype=torch.float32)
        self.mean_pose = nn.Parameter(start.clone())
        last = nn.Linear(hidden, POSE_WIDTH)
        nn.init.xavier_uniform_(last.weight, gain=0.01)
        nn.init.zeros_(last.bias)
        self.step = nn.Sequential(nn.Linear(width + POSE_WIDTH, hidden), nn.Dropout(dropout), nn.LeakyReLU(),
                                  nn.Linear(hidden, hidden), nn.Dropout(dropout), nn.LeakyReLU(), last)
        self.shape = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, shape_width))
        nn.init.zeros_(self.shape[-1].weight)
        if mean_shape is not None:
            with torch.no_grad():
                self.shape[-1].bias.copy_(torch.as_tensor(mean_shape, dtype=torch.float32))

    def forward(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        state = self.mean_pose.expand(len(z), -1)
        for _ in range(self.iterations):
            state = state + self.step(torch.cat([z, state], -1))
        return matrix_from_6d(state.reshape(len(z), NUM_BODY_JOINTS, 6)), self.shape(z)


def geodesic(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Angles (radians) between rotation matrices (..., 3, 3), the cosine clamped away from +-1 (finite gradient)."""
    cos = ((a.transpose(-1, -2) @ b).diagonal(dim1=-2, dim2=-1).sum(-1) - 1) / 2
    return torch.acos(cos.clamp(-1 + eps, 1 - eps))


def loss_terms(rotations, shape, true_rotations, true_shape) -> dict:
    """{"pose": geodesic distance summed over the joints, "shape": smooth L1 summed over the coefficients},
    each a mean over the batch."""
    return {"pose": geodesic(rotations, true_rotations).sum(-1).mean(),
            "shape": F.smooth_l1_loss(shape, true_shape, reduction="none").sum(-1).mean()}
