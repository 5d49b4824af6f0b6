"""The published human selection (PoseEmbroider's step 3) and its boxes, per image.

Tight box = box of the projected points inside the image. Scaled box = tight box grown by (scale - 1) x its
diagonal / 2 on every side, truncated to integers and clamped to the image. A person is rejected for:
  * overlap: another person closer to the camera (smaller pelvis depth) whose tight box covers more than
    `overlap` of its own tight box's area;
  * visibility: fewer than `min_visible` of the 22 body joints project strictly inside the image;
  * resolution: the larger side of the scaled box is not above `min_resolution` px;
  * out_of_frame: no projected point inside the image.
"""
import numpy as np

REASONS = ("out_of_frame", "visibility", "resolution", "overlap")


def scaled_box(tight, width, height, scale):
    """Tight boxes (N, 4) -> scaled boxes (N, 4) int: grown by (scale - 1) x diagonal / 2, truncated, clamped."""
    tight = np.asarray(tight, dtype=np.float64)
    diag = np.hypot(tight[:, 2] - tight[:, 0], tight[:, 3] - tight[:, 1])
    off = (scale - 1.0) * diag / 2.0
    box = np.stack([tight[:, 0] - off, tight[:, 1] - off, tight[:, 2] + off, tight[:, 3] + off], axis=1)
    box = np.trunc(box)
    limits = np.stack([width, height, width, height], axis=1)
    return np.clip(box, 0, limits).astype(np.int32)


def select_humans(boxes, depth, visible, width, height, overlap, min_visible, min_resolution, scale):
    """Reasons (N,) ("" = kept) of the persons of ONE image. boxes (N, 4) tight boxes, NaN when out of frame."""
    n = len(boxes)
    reasons = np.full(n, "", dtype=object)
    valid = ~np.isnan(boxes).any(axis=1)
    reasons[~valid] = "out_of_frame"
    sides = np.zeros(n)
    if valid.any():
        sb = scaled_box(boxes[valid], np.full(valid.sum(), width), np.full(valid.sum(), height), scale)
        sides[valid] = np.maximum(sb[:, 2] - sb[:, 0], sb[:, 3] - sb[:, 1])
    covered = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(valid):
        area = max((boxes[i, 2] - boxes[i, 0]) * (boxes[i, 3] - boxes[i, 1]), 1e-9)
        for j in np.flatnonzero(valid):
            if j == i or not depth[j] < depth[i]:
                continue
            w = min(boxes[i, 2], boxes[j, 2]) - max(boxes[i, 0], boxes[j, 0])
            h = min(boxes[i, 3], boxes[j, 3]) - max(boxes[i, 1], boxes[j, 1])
            if max(w, 0.0) * max(h, 0.0) / area > overlap:
                covered[i] = True
    for i in np.flatnonzero(valid):
        if visible[i] < min_visible:
            reasons[i] = "visibility"
        elif not sides[i] > min_resolution:
            reasons[i] = "resolution"
        elif covered[i]:
            reasons[i] = "overlap"
    return reasons


def select_all(image, tight, image_wh, depth, visible, overlap, min_visible, min_resolution, scale):
    """(reasons (N,) list, scaled boxes (N, 4) int32) of person-frames grouped by their image key `image`."""
    n = len(image)
    tight, wh = np.asarray(tight).reshape(n, 4), np.asarray(image_wh).reshape(n, 2)
    depth, visible = np.asarray(depth), np.asarray(visible)
    valid = ~np.isnan(tight).any(axis=1)
    boxes = np.zeros((n, 4), np.int32)
    boxes[valid] = scaled_box(tight[valid], wh[valid, 0], wh[valid, 1], scale)
    groups = {}
    for i, key in enumerate(image):
        groups.setdefault(key, []).append(i)
    reasons = [""] * n
    for idx in groups.values():
        idx = np.array(idx)
        for i, r in zip(idx, select_humans(tight[idx], depth[idx], visible[idx], wh[idx[0], 0], wh[idx[0], 1],
                                           overlap, min_visible, min_resolution, scale)):
            reasons[i] = r
    return reasons, boxes
