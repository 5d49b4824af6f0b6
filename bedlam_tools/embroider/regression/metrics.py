"""Pose-estimation metrics (spec section 10.3), per item, numpy, batched: MPJPE (root-relative), PA-MPJPE
(after a similarity Procrustes alignment), mean geodesic rotation error, mean vertex error. Positions in any
unit (the evaluation uses metres and reports mm); angles in degrees."""
import numpy as np

ROOT = 0


def point_errors(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """(N,) mean Euclidean distance between matched points (N, P, 3)."""
    return np.linalg.norm(np.asarray(predicted, np.float64) - np.asarray(truth, np.float64), axis=-1).mean(-1)


def procrustes(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """`predicted` (N, P, 3) moved by the similarity transform (scale, rotation, translation) that brings it
    closest to `truth` in the least-squares sense (Umeyama; no reflection)."""
    x, y = np.asarray(predicted, np.float64), np.asarray(truth, np.float64)
    mx, my = x.mean(1, keepdims=True), y.mean(1, keepdims=True)
    x0, y0 = x - mx, y - my
    u, s, vt = np.linalg.svd(np.swapaxes(x0, 1, 2) @ y0)  # (N, 3, 3) cross-covariance
    sign = np.sign(np.linalg.det(u @ vt))
    s[:, -1] *= sign
    u[:, :, -1] *= sign[:, None]
    rotation = u @ vt  # applied to row vectors: x0 @ rotation
    scale = s.sum(-1) / np.maximum((x0 ** 2).sum((1, 2)), 1e-12)
    return scale[:, None, None] * x0 @ rotation + my


def mpjpe(predicted: np.ndarray, truth: np.ndarray, root: int = ROOT) -> np.ndarray:
    """(N,) mean per-joint position error after putting both roots at the origin."""
    predicted, truth = np.asarray(predicted), np.asarray(truth)
    return point_errors(predicted - predicted[:, root:root + 1], truth - truth[:, root:root + 1])


def pa_mpjpe(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """(N,) mean per-joint position error after Procrustes alignment of the prediction to the truth."""
    return point_errors(procrustes(predicted, truth), truth)


def rotation_error(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """(N,) mean geodesic angle (degrees) between matched rotation matrices (N, J, 3, 3)."""
    relative = np.swapaxes(np.asarray(predicted, np.float64), -1, -2) @ np.asarray(truth, np.float64)
    cos = (np.trace(relative, axis1=-2, axis2=-1) - 1) / 2
    return np.degrees(np.arccos(np.clip(cos, -1, 1))).mean(-1)


def vertex_error(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """(N,) mean per-vertex distance of meshes (N, V, 3) posed with their roots at the same place."""
    return point_errors(predicted, truth)
