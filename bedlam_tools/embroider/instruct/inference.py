"""`embroider instruct A B`: the instruction from pose A to pose B, each given as a pose file or a
BEDLAM-Script id (of the script folder the generator was trained with), by greedy decoding."""
from pathlib import Path

import pyarrow as pa
import torch

from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from .. import EmbroiderError
from ..data import decode_images
from ..features import image_size
from ..runs import device, load_run
from .generator import decode
from .pairs import pose_row, represent
from .train import load_generator


def pose_input(source: str, script_dir: Path, modality: str, frame: int, encoders) -> torch.Tensor:
    """(1, W) frozen features of a pose file's frame (pose only) or of a dataset row's pose or image."""
    if Path(source).is_file():
        if modality != "pose":
            raise EmbroiderError(f"{source}: --inputs {modality} needs a BEDLAM-Script id (a pose file has no crop)")
        from bedlam_tools.pose_files import load_poses

        batch = load_poses(source, frames=frame)
        if batch.rotations is None:
            raise EmbroiderError(f"{source}: joint coordinates only; expected joint rotations (AMASS or SMPL-X "
                                 "parameters)")
        return encoders.pose(batch.rotations[:, :NUM_BODY_JOINTS].copy())
    row = pose_row(script_dir, source)
    if modality == "pose":
        return encoders.pose(row["pose"])
    size = image_size(encoders.config)  # None: the BlazePose network reads the encoded crop
    return encoders.image([row["image"]["bytes"]] if size is None else decode_images(pa.table({"image": [row["image"]]}),
                                                                                      size))


def instruct(folder: Path, a: str, b: str, inputs: tuple[str, str] = ("pose", "pose"), frame: int = 0,
             checkpoint: str = "best") -> tuple[str, float]:
    """(generated instruction from A to B, its mean log-probability per word)."""
    _, sources, vocabulary, generator = load_generator(folder, checkpoint)
    config, encoders, model = load_run(sources["run"])
    with torch.no_grad():
        a, b = (represent(model, config.model.kind, modality,
                          pose_input(source, Path(sources["script"]), modality, frame, encoders).to(device()))
                for source, modality in zip((a, b), inputs))
    texts, score = generator.generate(a, b)
    return decode(vocabulary, texts)[0], score.item()
