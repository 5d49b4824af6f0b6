"""Images in: files (decoded by Pillow, EXIF orientation applied), encoded bytes, arrays or PIL images -> RGB."""
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from bedlam_tools.pose_files import InputError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


def is_image_file(path) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def read_image(path) -> Image.Image:
    """An image file as an upright RGB image; InputError (one line naming the file) when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        with Image.open(path) as image:
            return ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError) as err:
        raise InputError(f"{path}: not a readable image ({type(err).__name__}: {err})".splitlines()[0]) from None


def as_image(image) -> Image.Image:
    """An RGB PIL image from a file path, encoded bytes, a PIL image or an (H, W), (H, W, 3|4) uint8 array."""
    if isinstance(image, (str, Path)):
        return read_image(image)
    if isinstance(image, bytes):
        return Image.open(io.BytesIO(image)).convert("RGB")
    if isinstance(image, Image.Image):
        return image.convert("RGB")
    array = np.asarray(image)
    if array.dtype != np.uint8 or array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(f"expected an (H, W), (H, W, 3) or (H, W, 4) uint8 image, got {array.dtype} {array.shape}")
    return Image.fromarray(array).convert("RGB")
