"""Pictures of the poses of a pose file: each posed on a body mesh, its views side by side, optionally captioned."""
import sys

import numpy as np

from ..pose_files import SHAPE_SPACE, PoseBatch
from .bodies import BodyRenderer
from .sheets import contact_sheet

POSE_BATCH = 64
"""Poses meshed at a time."""
PROGRESS_FROM = 5
"""Batches of at least this many poses show a progress bar."""


def pose_pictures(batch: PoseBatch, body, views=("front",), size=224) -> list[np.ndarray]:
    """One (size, size * len(views), 3) uint8 picture per pose of the batch (a parameter file), meshed on `body`."""
    from tqdm import tqdm

    renderer = BodyRenderer(size, size)
    pictures = []
    with tqdm(total=len(batch), desc="rendering", unit="pose", disable=len(batch) < PROGRESS_FROM,
              file=sys.stderr) as bar:
        for start in range(0, len(batch), POSE_BATCH):
            part = batch.take(np.arange(start, min(start + POSE_BATCH, len(batch))))
            mesh = body.mesh(part.rotations, body.betas_for(part.betas, SHAPE_SPACE))
            for vertices in mesh.vertices:
                pictures.append(renderer.render_views(vertices, mesh.faces, views))
                bar.update()
    return pictures


def first_captions(batch: PoseBatch, body, seed=0, contacts=True) -> list[str]:
    """The first caption `posescript describe` gives each pose of the batch."""
    from ..pose_text import describe_batch

    return [captions[0] for captions in describe_batch(batch, body, seed=seed, captions=1, contacts=contacts).captions]


def batch_picture(batch: PoseBatch, body, *, views=("front",), size=224, caption=False, grid=False, columns=None,
                  seed=0, contacts=True):
    """A PIL image of the batch: one pose (with its caption under it when asked) or a grid of labelled frames."""
    from PIL import Image

    pictures = pose_pictures(batch, body, views, size)
    captions = first_captions(batch, body, seed, contacts) if caption else None
    if grid:
        labels = [f"frame {i}" + (f": {captions[k]}" if captions else "") for k, i in enumerate(batch.frame_ids)]
        return contact_sheet(pictures, labels, columns)
    return contact_sheet(pictures, captions) if captions else Image.fromarray(pictures[0])
