"""The BlazePose GHUM 3D landmark network's outputs, decoded as MediaPipe's pose landmark graph does.

Input: (N, 256, 256, 3) float32 RGB in [0, 1], a square region around the person. Outputs used: 39 x
(x, y, z, visibility logit, presence logit) image landmarks in input pixels, the pose presence score, and
39 x (x, y, z) world landmarks in metres with the hip centre at the origin; the first 33 landmarks are the
body's. World landmarks follow the crop's axes (x right, y down, z away from the camera) and are turned by
the region's angle back to the image's axes. The heatmap refinement of the 2D landmarks is not done.
"""
from dataclasses import dataclass

import numpy as np

from .detector import sigmoid
from .geometry import rotation, to_image
from .models import TRUNK_TENSOR

INPUT_SIZE = 256
N_LANDMARKS = 33
N_OUTPUT_LANDMARKS = 39
MIN_PRESENCE = 0.5
OUTPUTS = {"landmarks": "Identity", "presence": "Identity_1", "world": "Identity_4", "trunk": TRUNK_TENSOR}
"""Our name -> the network's output tensor name."""
TRUNK_SIZE = 2 * 2 * 288

LANDMARK_NAMES = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
    "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    "left_heel", "right_heel", "left_foot_index", "right_foot_index",
)
"""BlazePose's 33 body landmarks; left and right are the person's own."""


@dataclass
class Decoded:
    """A batch of landmark network results, mapped back to the image."""
    image: np.ndarray       # (N, 33, 3) x, y in image pixels, z relative depth at the same scale
    world: np.ndarray       # (N, 33, 3) metres, image axes (x right, y down, z away from the camera)
    visibility: np.ndarray  # (N, 33) in [0, 1]
    presence: np.ndarray    # (N, 33) in [0, 1]
    score: np.ndarray       # (N,) pose presence score
    trunk: np.ndarray | None  # (N, 1152) trunk features, or None


def decode(outputs: dict, regions: np.ndarray) -> Decoded:
    """Network outputs (by our names) of N crops and their regions (N, 4) -> Decoded."""
    n = len(regions)
    raw = outputs["landmarks"].reshape(n, N_OUTPUT_LANDMARKS, 5)[:, :N_LANDMARKS]
    side = regions[:, 2, None]
    xy = to_image(raw[..., :2] / INPUT_SIZE, regions)
    image = np.concatenate([xy, (raw[..., 2] / INPUT_SIZE * side)[..., None]], axis=-1)
    world = outputs["world"].reshape(n, N_OUTPUT_LANDMARKS, 3)[:, :N_LANDMARKS].copy()
    world[..., :2] = world[..., :2] @ rotation(regions[:, 3]).swapaxes(-1, -2)
    trunk = outputs.get("trunk")
    return Decoded(image.astype(np.float32), world.astype(np.float32), sigmoid(raw[..., 3]).astype(np.float32),
                   sigmoid(raw[..., 4]).astype(np.float32), outputs["presence"].reshape(n).astype(np.float32),
                   None if trunk is None else trunk.reshape(n, TRUNK_SIZE).astype(np.float32))
