"""Images -> one person's BlazePose landmarks each: detection, region of interest, landmark network; batched.

Photos (detect=True): the detector runs on the letterboxed image; its best detection's alignment keypoints
give a rotated square region (MediaPipe's full-body rule: centred on the hips, side 1.25 x twice the
hips -> scale point distance, turned so the body points up), which the landmark network sees at 256x256.
Person-centred crops (detect=False): the landmark network sees the whole crop, square-padded.
"""
import os
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from . import detector, landmarks
from .geometry import crop, from_alignment_points, to_image, whole_image
from .images import as_image
from .models import DETECTOR_FILE, LANDMARKER_FILE, interpreter, landmarker_with_trunk, shipped_file

REGION_ENLARGE = 1.25
LANDMARK_BORDER = "replicate"   # outside the image, as MediaPipe pads the landmark crop (the letterbox is black)
DETECTOR_OUTPUTS = {"boxes": "Identity", "scores": "Identity_1"}


@dataclass
class PoseEstimate:
    """One image's result. Coordinates are NaN, visibilities 0 and features zeros when no person is found."""
    found: bool
    image_size: tuple[int, int]           # (width, height) pixels
    landmarks: np.ndarray                 # (33, 3) x, y image pixels, z relative depth at the same scale
    world: np.ndarray                     # (33, 3) metres, hip centre origin, x right, y down, z away from the camera
    visibility: np.ndarray                # (33,) in [0, 1]
    presence: np.ndarray                  # (33,) in [0, 1]
    score: float                          # pose presence score of the landmark network (0 when not run)
    detection_score: float | None         # the detector's score, None without detection (or no detection)
    region: np.ndarray                    # (4,) centre x, y, side (pixels), angle (rad) the network saw
    features: np.ndarray | None = field(default=None, repr=False)  # (1152,) trunk features when asked for

    def to_json(self) -> dict:
        """The estimate as JSON-ready lists (landmark names in `landmarks.LANDMARK_NAMES` order)."""
        def rounded(a, digits):
            return np.round(a, digits).tolist() if self.found else None
        return {"person_found": self.found, "image_size": list(self.image_size), "score": round(self.score, 4),
                "landmarks_px": rounded(self.landmarks, 2), "world_landmarks_m": rounded(self.world, 4),
                "visibility": np.round(self.visibility, 3).tolist(), "presence": np.round(self.presence, 3).tolist()}


class _Network:
    """A LiteRT network run on full batches, and image by image on the rest of a batch (no padded compute).
    Interpreters are made at first use; outputs are read by our names."""

    def __init__(self, path, batch, threads, outputs):
        self.path, self.batch, self.threads, self.names = path, batch, threads, outputs
        self.models = {}

    def _model(self, batch):
        if batch not in self.models:
            model = interpreter(self.path, batch, self.threads)
            index = {d["name"]: d["index"] for d in model.get_output_details()}
            self.models[batch] = (model, model.get_input_details()[0]["index"],
                                  {ours: index[theirs] for ours, theirs in self.names.items()})
        return self.models[batch]

    def _run(self, x):
        model, source, outputs = self._model(len(x))
        model.set_tensor(source, np.ascontiguousarray(x, np.float32))
        model.invoke()
        return {name: model.get_tensor(i) for name, i in outputs.items()}

    def __call__(self, x: np.ndarray) -> list[dict]:
        """Outputs of each run: one for a full batch, else one per image."""
        return [self._run(x)] if len(x) == self.batch else [self._run(x[i:i + 1]) for i in range(len(x))]


class PoseEstimator:
    """Detection and 3D landmarks for batches of images; holds its own interpreters (one per process)."""

    def __init__(self, *, batch: int = 8, threads: int = 1, features: bool = False,
                 min_detection_score: float = detector.MIN_SCORE, min_presence: float = landmarks.MIN_PRESENCE):
        self.batch, self.features = batch, features
        self.min_detection_score, self.min_presence = min_detection_score, min_presence
        self.detector = _Network(shipped_file(DETECTOR_FILE), batch, threads, DETECTOR_OUTPUTS)
        outputs = landmarks.OUTPUTS if features else {k: v for k, v in landmarks.OUTPUTS.items() if k != "trunk"}
        path = landmarker_with_trunk() if features else shipped_file(LANDMARKER_FILE)
        self.landmarker = _Network(path, batch, threads, outputs)

    def __call__(self, images, detect: bool = True) -> list[PoseEstimate]:
        """Estimates of images (PIL images, or (H, W[, 3|4]) uint8 arrays); detect=False for person crops."""
        images = [as_image(x) for x in images]
        out = []
        for start in range(0, len(images), self.batch):
            out += self._batch(images[start:start + self.batch], detect)
        return out

    def _detect(self, images, regions):
        """Regions (in place) and detector scores of a batch; None where nothing is detected."""
        x = np.stack([crop(im, r, detector.INPUT_SIZE) for im, r in zip(images, regions)]) * 2 - 1
        runs = self.detector(x)
        per_run = len(x) // len(runs)
        boxes = np.concatenate([detector.split_batch(r["boxes"], per_run) for r in runs])
        scores = np.concatenate([detector.split_batch(r["scores"], per_run) for r in runs])[..., 0]
        scores_out = []
        for i in range(len(images)):
            found = detector.decode(boxes[i], scores[i], self.min_detection_score)
            scores_out.append(found[0].score if found else None)
            if found:
                centre, scale = to_image(found[0].keypoints[None, :2], regions[i:i + 1])[0]
                regions[i] = from_alignment_points(centre[None], scale[None], REGION_ENLARGE)[0]
        return scores_out

    def _batch(self, images, detect):
        n = len(images)
        regions = np.stack([whole_image(im.size) for im in images])
        detection = self._detect(images, regions) if detect else [None] * n
        rows = [i for i in range(n) if not detect or detection[i] is not None]
        decoded = None
        if rows:
            x = np.stack([crop(images[i], regions[i], landmarks.INPUT_SIZE, LANDMARK_BORDER) for i in rows])
            runs = self.landmarker(x)
            decoded = landmarks.decode({k: np.concatenate([r[k] for r in runs]) for k in runs[0]}, regions[rows])
        position = {i: k for k, i in enumerate(rows)}
        return [self._estimate(images[i], regions[i], detection[i], decoded, position.get(i)) for i in range(n)]

    def _estimate(self, image, region, detection_score, decoded, k):
        if k is None:
            return self._missed(image, region, detection_score, 0.0)
        score = float(decoded.score[k])
        if score < self.min_presence:
            return self._missed(image, region, detection_score, score)
        return PoseEstimate(True, image.size, decoded.image[k], decoded.world[k], decoded.visibility[k],
                            decoded.presence[k], score, detection_score, region,
                            decoded.trunk[k] if self.features else None)

    def _missed(self, image, region, detection_score, score):
        nan = np.full((landmarks.N_LANDMARKS, 3), np.nan, np.float32)
        zeros = np.zeros(landmarks.N_LANDMARKS, np.float32)
        features = np.zeros(landmarks.TRUNK_SIZE, np.float32) if self.features else None
        return PoseEstimate(False, image.size, nan, nan.copy(), zeros, zeros.copy(), score, detection_score, region,
                            features)


@cache
def _process_estimator(options: tuple) -> PoseEstimator:
    return PoseEstimator(**dict(options))


def _estimate_chunk(images, detect, options):
    return _process_estimator(options)(images, detect)


def estimate(images, *, detect: bool = True, workers: int = 1, threads: int | None = None, progress: bool = False,
             **options):
    """Estimates of many images. workers > 1: a process pool, each process one interpreter thread; workers=1:
    this process, `threads` interpreter threads (default: all cores). progress: a bar over the images.
    options: PoseEstimator's keywords."""
    from tqdm import tqdm

    from bedlam_tools.engine import run_tasks

    images = list(images)
    single = workers <= 1
    options["threads"] = (threads or os.cpu_count() or 1) if single else 1
    size = options.get("batch", 8) * (16 if single else 1)  # a process's chunk: few calls; a pool's: many tasks
    chunks = [(images[s:s + size], detect, tuple(sorted(options.items()))) for s in range(0, len(images), size)]
    out = [None] * len(chunks)
    with tqdm(total=len(images), desc="pose estimation", unit="img", disable=not progress) as bar:
        for i, result in run_tasks(_estimate_chunk, chunks, workers=1 if single else workers):
            out[i] = result
            bar.update(len(result))
    return [e for chunk in out for e in chunk]


ENCODER_PARTS = (("trunk", landmarks.TRUNK_SIZE), ("world", 3 * landmarks.N_LANDMARKS),
                 ("image", 2 * landmarks.N_LANDMARKS), ("visibility", landmarks.N_LANDMARKS), ("found", 1))
"""The frozen image features of a crop, in order: the 1152-d trunk, the 33 world landmarks (metres), the 33
image landmarks (as a share of the crop's width and height), their visibility, and 1 when a person was found
(a missed person's features are all zero)."""
ENCODER_WIDTH = sum(width for _, width in ENCODER_PARTS)


def encoder_features(images, **options) -> tuple[np.ndarray, np.ndarray]:
    """((N, ENCODER_WIDTH) float32 features, (N,) found) of person crops (see ENCODER_PARTS); options: `estimate`'s
    keywords (workers, progress, batch...)."""
    results = estimate(images, detect=False, features=True, **options)
    out = np.zeros((len(results), ENCODER_WIDTH), np.float32)
    for i, r in enumerate(results):
        if r.found:
            size = np.asarray(r.image_size, np.float32)
            out[i] = np.concatenate([r.features, r.world.reshape(-1), (r.landmarks[:, :2] / size).reshape(-1),
                                     r.visibility, [1.0]])
    return out, out[:, -1] > 0


def trunk_features(images, *, detect: bool = False, **options) -> tuple[np.ndarray, np.ndarray]:
    """((N, 1152) float32 trunk features, (N,) found) of images, person crops by default; a missed person has
    zero features. options: `estimate`'s keywords."""
    results = estimate(images, detect=detect, features=True, **options)
    features = np.zeros((len(results), landmarks.TRUNK_SIZE), np.float32)
    for i, r in enumerate(results):
        features[i] = r.features
    return features, np.array([r.found for r in results], bool)
