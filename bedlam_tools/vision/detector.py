"""The BlazePose person detector's output decoding: SSD anchors, boxes and alignment keypoints, weighted NMS.

Parameters are those of MediaPipe's published pose detection graph: a 224x224 letterboxed input in [-1, 1],
2254 anchors of fixed unit size on 28x28, 14x14 and 7x7 grids, raw values in input pixels ordered
x, y, w, h then 4 keypoints (x, y), sigmoid scores, weighted non-maximum suppression at IoU 0.3.
Keypoint 0 is the mid-hip centre, keypoint 1 the point whose distance and direction give the full body's
size and rotation.
"""
from dataclasses import dataclass
from itertools import groupby

import numpy as np

INPUT_SIZE = 224
STRIDES = (8, 16, 32, 32, 32)
ANCHORS_PER_LAYER = 2     # aspect ratio 1 and the interpolated scale, both of unit size
N_KEYPOINTS = 4
SCORE_CLIP = 100.0
NMS_IOU = 0.3
MIN_SCORE = 0.5


def _grids():
    """(cells per side, anchors per cell) of each output head: layers of equal stride share a grid."""
    return [(-(-INPUT_SIZE // stride), ANCHORS_PER_LAYER * len(list(layers))) for stride, layers in groupby(STRIDES)]


def anchors() -> np.ndarray:
    """(2254, 2) anchor centres, normalised, in the network's output order (head, row, column, anchor)."""
    out = []
    for cells, per_cell in _grids():
        centres = (np.arange(cells) + 0.5) / cells
        y, x = np.meshgrid(centres, centres, indexing="ij")
        out.append(np.repeat(np.column_stack([x.ravel(), y.ravel()]), per_cell, axis=0))
    return np.concatenate(out)


ANCHORS = anchors()
HEAD_SIZES = [cells * cells * per_cell for cells, per_cell in _grids()]


def split_batch(raw: np.ndarray, batch: int) -> np.ndarray:
    """(1, batch x 2254, C) output of a batched run -> (batch, 2254, C). The network's reshapes keep batch 1,
    so each head's rows come for all images before the next head's."""
    rows, start = [], 0
    for size in HEAD_SIZES:
        rows.append(raw[0, start:start + batch * size].reshape(batch, size, -1))
        start += batch * size
    return np.concatenate(rows, axis=1)


@dataclass
class Detection:
    score: float
    box: np.ndarray        # (4,) x0, y0, x1, y1, normalised in the detector input
    keypoints: np.ndarray  # (4, 2) normalised in the detector input


def sigmoid(x):
    """Logistic function without overflow."""
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(x, np.float64)))


def decode(boxes: np.ndarray, scores: np.ndarray, min_score: float = MIN_SCORE) -> list[Detection]:
    """One image's raw outputs (2254, 12) and (2254,) -> detections after weighted NMS, best first."""
    score = sigmoid(np.clip(scores, -SCORE_CLIP, SCORE_CLIP))
    keep = np.flatnonzero(score >= min_score)
    if not len(keep):
        return []
    keep = keep[np.argsort(-score[keep], kind="stable")]
    raw = boxes[keep] / INPUT_SIZE
    anchor = ANCHORS[keep]
    centre, half = raw[:, :2] + anchor, raw[:, 2:4] / 2
    corners = np.hstack([centre - half, centre + half])
    keypoints = raw[:, 4:4 + 2 * N_KEYPOINTS].reshape(-1, N_KEYPOINTS, 2) + anchor[:, None]
    return weighted_nms(corners, keypoints, score[keep])


def _area(boxes):
    return np.prod(np.clip(boxes[..., 2:] - boxes[..., :2], 0, None), axis=-1)


def iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Intersection over union of one (4,) box with (M, 4) boxes."""
    low, high = np.maximum(box[:2], boxes[:, :2]), np.minimum(box[2:], boxes[:, 2:])
    inter = np.prod(np.clip(high - low, 0, None), axis=1)
    return inter / np.maximum(_area(box) + _area(boxes) - inter, 1e-12)


def weighted_nms(corners, keypoints, scores) -> list[Detection]:
    """Candidates sorted by score -> one detection per cluster (IoU > NMS_IOU with the cluster's best):
    the score-weighted mean box and keypoints, with the best score."""
    out = []
    remaining = np.arange(len(scores))
    while len(remaining):
        cluster = iou(corners[remaining[0]], corners[remaining]) > NMS_IOU
        cluster[0] = True
        members = remaining[cluster]
        w = scores[members] / scores[members].sum()
        out.append(Detection(float(scores[members[0]]), w @ corners[members],
                             np.tensordot(w, keypoints[members], axes=1)))
        remaining = remaining[~cluster]
    return out
