"""`embroider estimate`: one person crop (and optionally a caption) -> a body pose, written as an SMPL-X
parameter file (`global_orient`, `body_pose`) that `posescript describe` and `posescript render` read.

The head of the input given is used: image, or image+text with a caption (text alone with a caption and no
person found in the crop). The estimated Anny phenotypes are kept in the file as `anny_phenotypes` (read by no
command: the file's betas would be SMPL's) and set its `gender` field (male, female, neutral) as the synthetic
source words it.
"""
from pathlib import Path

import numpy as np
import torch

from posescript_pipeline.rotations import matrix_to_axis_angle

from .. import EmbroiderError
from ..data import decode_images
from ..features import FrozenEncoders, image_size
from ..runs import load_run
from .features import INPUTS, represent
from .train import HeadRun, load_head, trained_inputs

GENDER_WORDS = {"male": "male", "female": "female", "": "neutral"}


def choose_input(available: list[str], has_text: bool, person_found: bool) -> str:
    """The input to regress from: image(+text) when a person is found, text when only a caption is usable."""
    wanted = ("image+text" if has_text else "image") if person_found else "text" if has_text else None
    if wanted is None:
        raise EmbroiderError("no person found in the image; give a caption (--text) to estimate from words alone")
    if wanted not in available:
        raise EmbroiderError(f"no {wanted} head (trained: {', '.join(available) or 'none'}); "
                             f"train it with `embroider pose-train --inputs {wanted}`")
    return wanted


@torch.no_grad()
def estimate_pose(heads_dir: Path, image: bytes, text: str | None = None, which: str = "best") -> dict:
    """{"pose": (22, 3) axis-angle, "shape": (S,), "input": the input used, "person_found": bool}."""
    available = trained_inputs(heads_dir)
    if not available:
        raise EmbroiderError(f"{heads_dir}: no trained heads; train them with `embroider pose-train`")
    run = HeadRun.load(Path(heads_dir) / available[0] / "config.json").run
    config, encoders, model = load_run(Path(run), "best")
    features = {"image": image_features(encoders, image)}
    found = bool(_found(encoders, features["image"]))
    if text:
        features["text"] = encoders.text([[text] * 3])[:, 0]
    name = choose_input(available, bool(text), found)
    _, head = load_head(Path(heads_dir) / name, which)
    z = represent(config.model.kind, model, features, INPUTS[name])
    rotations, shape = (t.cpu().numpy()[0] for t in head(z.to(next(head.parameters()).device)))
    return {"pose": matrix_to_axis_angle(rotations.astype(np.float64)).astype(np.float32), "shape": shape,
            "input": name, "person_found": found}


def image_features(encoders: FrozenEncoders, image: bytes) -> torch.Tensor:
    """(1, W) features of one encoded crop, decoded as the split's crops are for a CNN encoder."""
    import pyarrow as pa

    size = image_size(encoders.config)
    return encoders.image(decode_images(pa.table({"image": [{"bytes": image}]}), size) if size else [image])


def _found(encoders: FrozenEncoders, image_features: torch.Tensor) -> bool:
    """Whether BlazePose found a person (its found flag, the last raw feature); always True for the CNN."""
    if encoders.image_net is not None:
        return True
    raw = image_features * encoders.image_scale[1] + encoders.image_scale[0]
    return bool(raw[0, -1] > 0.5)


def write_pose_file(path: Path, pose: np.ndarray, shape: np.ndarray | None = None):
    """An SMPL-X parameter .npz of one frame: global_orient (1, 3), body_pose (1, 63), and with an Anny shape
    (6 phenotypes) its `anny_phenotypes` and `gender`."""
    from ...sources.synthetic.subjects import sex_of
    from posescript_pipeline.body.backends.anny import PHENOTYPES

    path = Path(path)
    if path.suffix.lower() != ".npz":
        raise EmbroiderError(f"{path}: a pose file is written as .npz")
    fields = {"global_orient": pose[None, 0], "body_pose": pose[None, 1:].reshape(1, -1)}
    if shape is not None and len(shape) == len(PHENOTYPES):
        phenotypes = np.clip(shape, 0, 1).astype(np.float32)
        fields |= {"anny_phenotypes": phenotypes[None], "gender": np.array(GENDER_WORDS[str(sex_of(phenotypes))])}
    np.savez(path, **fields)
