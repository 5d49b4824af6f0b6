"""Square, rotated regions of interest in an image: from alignment points, to network input crops, and back.

A region is (centre x, centre y, side, angle) in image pixels (x right, y down); angle in radians, the
rotation MediaPipe gives its rectangles. A point u of the region, normalised to [0, 1]^2 in the crop,
lies in the image at  centre + side * R(angle) (u - 1/2),  R = [[cos, -sin], [sin, cos]].
"""
import numpy as np
from PIL import Image

REDUCE_ABOVE = 2.0
"""Shrink the image first (box filter) when the region is more than this many times the crop size: bilinear
sampling alone would alias."""


def whole_image(size) -> np.ndarray:
    """(4,) the square region centred on an image of size (width, height), side the longer edge (letterbox)."""
    w, h = size
    return np.array([w / 2, h / 2, max(w, h), 0.0])


def from_alignment_points(centre: np.ndarray, scale_point: np.ndarray, enlarge: float,
                          target_angle: float = np.pi / 2) -> np.ndarray:
    """(N, 4) regions centred on `centre` (N, 2), side enlarge x twice the distance to `scale_point`, rotated so
    that the centre -> scale point vector points at `target_angle` (measured with y up)."""
    d = scale_point - centre
    angle = target_angle - np.arctan2(-d[:, 1], d[:, 0])
    angle = (angle + np.pi) % (2 * np.pi) - np.pi
    return np.column_stack([centre, 2 * np.linalg.norm(d, axis=1) * enlarge, angle])


def rotation(angle) -> np.ndarray:
    """(..., 2, 2) image-plane rotation matrices."""
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)


def to_image(points: np.ndarray, regions: np.ndarray) -> np.ndarray:
    """Points (N, K, 2) normalised in their region's crop -> image pixels (N, K, 2)."""
    r = rotation(regions[:, 3])
    return regions[:, None, :2] + regions[:, None, 2:3] * ((points - 0.5) @ r.swapaxes(-1, -2))


def crop(image: Image.Image, region: np.ndarray, size: int, border: str = "zero") -> np.ndarray:
    """The region of an RGB image resampled (bilinear) to (size, size, 3) float32 in [0, 1]; outside the image
    black ("zero") or the nearest edge pixel ("replicate"). Only the part of the image under the region is read."""
    cx, cy, side, angle = region
    factor = int(side / (REDUCE_ABOVE * size))
    if factor >= 2:
        image = image.reduce(factor)
        cx, cy, side = cx / factor, cy / factor, side / factor
    u = (np.arange(size) + 0.5) / size - 0.5
    r = rotation(angle) * side
    x = cx + r[0, 0] * u[None] + r[0, 1] * u[:, None]   # output pixel centres in the image (pixel i: [i, i + 1))
    y = cy + r[1, 0] * u[None] + r[1, 1] * u[:, None]
    (w, h), margin = image.size, 2                      # margin: the bilinear neighbours
    left, top = int(np.clip(np.floor(x.min()) - margin, 0, w - 1)), int(np.clip(np.floor(y.min()) - margin, 0, h - 1))
    right = int(np.clip(np.ceil(x.max()) + margin, left + 1, w))
    bottom = int(np.clip(np.ceil(y.max()) + margin, top + 1, h))
    pixels = np.asarray(image.crop((left, top, right, bottom)), np.float32) / 255.0
    ph, pw = pixels.shape[:2]
    px, py = x - left - 0.5, y - top - 0.5   # in the part's pixel-centre coordinates
    x0, y0 = np.floor(px), np.floor(py)
    fx, fy = (px - x0)[..., None], (py - y0)[..., None]
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)

    def at(yi, xi):  # beyond the part's edges lies only what is beyond the image's (the margin sees to it)
        value = pixels[np.clip(yi, 0, ph - 1), np.clip(xi, 0, pw - 1)]
        if border == "zero":
            value = value * ((xi >= 0) & (xi < pw) & (yi >= 0) & (yi < ph))[..., None]
        return value

    top_row = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
    bottom_row = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
    return (top_row * (1 - fy) + bottom_row * fy).astype(np.float32)
