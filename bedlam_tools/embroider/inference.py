"""Embeddings of a trained run for other tools (e.g. pair mining)."""
from pathlib import Path

import numpy as np
import pyarrow as pa
import torch

from .data import body_poses
from .runs import device, load_run


@torch.no_grad()
def pose_embeddings(run_dir: Path, table: pa.Table, checkpoint: str = "best") -> np.ndarray:
    """(N, D) float32 L2-normalised pose reference embeddings of BEDLAM-Script rows (their `pose` column):
    the frozen pose encoder followed by the run's trained pose projection."""
    _, encoders, model = load_run(run_dir, checkpoint)
    features = encoders.pose(body_poses(table)).to(device())
    return model.projections.forward_one("pose", features).cpu().numpy().astype(np.float32)
