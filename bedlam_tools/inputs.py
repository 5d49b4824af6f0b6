"""What a command is pointed at: pose files and photos, folders expanded; one `PoseBatch` or one error per file.

Photos (`vision.IMAGE_SUFFIXES`) go through the BlazePose estimator together (one batch), each giving a pose of
the `blazepose33` skeleton with the joints that are not visible enough left out (NaN); pose files through
`pose_files.load_poses`.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posescript_pipeline.errors import UserError

from .pose_files import InputError, PoseBatch, load_poses


@dataclass
class Loaded:
    """One input file: its poses, or the one-line error that stopped it."""
    path: str
    batch: PoseBatch | None = None
    error: UserError | None = None


def is_photo(path) -> bool:
    from .vision.images import is_image_file

    return is_image_file(path)


def expand(paths) -> list[Path]:
    """The files of `paths`, each folder replaced by its pose files and photos (sorted; not recursive)."""
    from .pose_files import READERS

    out = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and (is_photo(p) or p.suffix.lower() in READERS))
            if not found:
                raise InputError(f"{path}: no pose file or photo in this folder (expected "
                                 f"{', '.join(READERS)} or an image)")
            out += found
        else:
            out.append(path)
    return out


def load_photos(paths, min_visibility: float) -> list[Loaded]:
    """Photos -> one single-pose batch each (fmt "photo", the estimate in `estimates`), or their error."""
    from .vision import read_photos
    from .vision.images import read_image

    loaded, images = [], {}
    for path in paths:
        try:
            images[str(path)] = read_image(path)
        except UserError as err:
            loaded.append(Loaded(str(path), error=err))
    photos = read_photos(list(images.values()), list(images), min_visibility=min_visibility) if images else None
    found = dict(zip(photos.rows.tolist(), range(len(photos.rows)))) if photos else {}
    for i, name in enumerate(images):
        if i not in found:
            loaded.append(Loaded(name, error=InputError(f"{name}: no person found")))
            continue
        k = found[i]
        batch = PoseBatch(photos.joints[k:k + 1], photos.available, None, None, np.zeros(1, np.int64), name,
                          "photo", estimates=[photos.estimates[i]])
        loaded.append(Loaded(name, batch=batch))
    order = {str(p): n for n, p in enumerate(paths)}
    return sorted(loaded, key=lambda item: order[item.path])


def load_inputs(paths, *, frames=None, min_visibility: float = 0.5, **pose_file_options) -> list[Loaded]:
    """Every input of a command, in order: photos estimated together, pose files read one by one with their
    `frames` (None: all) and `pose_file_options` (see `load_poses`). A photo has one pose, frame 0."""
    files = expand(paths)
    photos = [p for p in files if is_photo(p)]
    results = {item.path: item for item in load_photos(photos, min_visibility)} if photos else {}
    out = []
    for path in files:
        if str(path) in results:
            item = results[str(path)]
            if frames is not None and list(np.atleast_1d(frames)) != [0]:
                item = Loaded(item.path, error=InputError(f"{path}: a photo has one pose (frame 0); asked for "
                                                          f"frame {max(np.atleast_1d(frames))}"))
            out.append(item)
            continue
        try:
            out.append(Loaded(str(path), batch=load_poses(path, frames=frames, **pose_file_options)))
        except UserError as err:
            out.append(Loaded(str(path), error=err))
    return out


def load_one(path, **options) -> PoseBatch:
    """The poses of one input (a pose file or a photo); its error raised as is."""
    (item,) = load_inputs([path], **options)
    if item.error is not None:
        raise item.error
    return item.batch
