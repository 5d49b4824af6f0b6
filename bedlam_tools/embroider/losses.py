"""Symmetric InfoNCE (the published `symBBC`) and the pose reconstruction terms."""
import torch
from torch.nn import functional as F


def sym_info_nce(queries: torch.Tensor, targets: torch.Tensor, temperature: torch.Tensor) -> torch.Tensor:
    """Mean of the row- and column-wise cross-entropies of (Q R^T) * temperature; row i's positive is column i."""
    scores = queries @ targets.T * temperature
    labels = torch.arange(len(scores), device=scores.device)
    return 0.5 * (F.cross_entropy(scores, labels) + F.cross_entropy(scores.T, labels))


def pose_error(rotations: torch.Tensor, target_rotations: torch.Tensor, joints: torch.Tensor,
               target_joints: torch.Tensor) -> torch.Tensor:
    """L1 on rotation matrix entries plus L1 on joint positions in decimetres."""
    return (rotations - target_rotations).abs().mean() + 10 * (joints - target_joints).abs().mean()
