"""A side-by-side picture of a few items of a split: the crop, the true pose, and each head's estimate, all posed
on the default Anny body (front view), with the item's caption 0 and each estimate's PA-MPJPE under them."""
from pathlib import Path

import numpy as np

from posescript_pipeline.rotations import matrix_to_axis_angle
from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from ... import shards
from ...images import decode
from . import metrics
from .evaluate import predict

PICTURE_INPUTS = ("image", "text", "image+text")
CAPTION_CHARACTERS = 240


def example_rows(count: int, n_items: int) -> np.ndarray:
    """`count` item indices spread evenly over the split (deterministic)."""
    return np.unique(np.linspace(0, n_items - 1, count).round().astype(int))


def side_by_side(heads_dir: Path, data_dir: Path, split: str, count: int, which: str = "best"):
    """A PIL image: one row per item, [crop | truth | estimate of each head], labelled."""
    from posescript_pipeline.body import create

    from ...render import BodyRenderer, contact_sheet

    predictions = predict(heads_dir, data_dir, split, which)
    table = shards.read_rows(data_dir, split, columns=["id", "pose", "image", "captions"], dataset="bedlam-script")
    rows = example_rows(count, table.num_rows)
    table = table.take(rows)
    truth = shards.to_vectors(table.column("pose"))[:, :NUM_BODY_JOINTS]
    estimates = {name: matrix_to_axis_angle(predictions[name][0][rows]).astype(np.float32)
                 for name in PICTURE_INPUTS if name in predictions}
    body = create()
    crops = [decode(image["bytes"]) for image in table.column("image").to_pylist()]
    height, width = crops[0].shape[:2]
    renderer = BodyRenderer(width, height)
    meshes = {"truth": body.mesh(truth)} | {name: body.mesh(poses) for name, poses in estimates.items()}
    true_joints = body.joints(truth)[:, :NUM_BODY_JOINTS]
    errors = {name: 1000 * metrics.pa_mpjpe(body.joints(poses)[:, :NUM_BODY_JOINTS], true_joints)
              for name, poses in estimates.items()}
    pictures, labels = [], []
    for k, crop in enumerate(crops):
        tiles = [crop] + [renderer.render(mesh.vertices[k], mesh.faces) for mesh in meshes.values()]
        pictures.append(np.concatenate([np.asarray(_fit(t, width, height)) for t in tiles], axis=1))
        caption = table.column("captions")[k].as_py()[0]
        labels.append(f"{table.column('id')[k].as_py()}: crop | truth | " + " | ".join(estimates) +
                      f"\nPA-MPJPE: {', '.join(f'{name} {e[k]:.0f} mm' for name, e in errors.items())}\ncaption 0: {caption[:CAPTION_CHARACTERS]}"
                      + ("..." if len(caption) > CAPTION_CHARACTERS else ""))
    return contact_sheet(pictures, labels, columns=1)


def _fit(tile: np.ndarray, width: int, height: int):
    """A tile resized to the crop's size (renders already are)."""
    from PIL import Image

    image = Image.fromarray(tile)
    return image if image.size == (width, height) else image.resize((width, height))
