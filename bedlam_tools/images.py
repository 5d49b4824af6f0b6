"""Image crops as every source stores them: padded to the crop's aspect, resized, encoded as JPEG or PNG."""
import io

import numpy as np

JPEG_QUALITY = 92
ENCODINGS = {"jpeg": "JPEG", "jpg": "JPEG", "png": "PNG"}


def pad_and_resize(patch, size):
    """Pad a PIL image symmetrically with black to the (height, width) aspect of `size`, resize (bicubic)."""
    from PIL import Image

    out_h, out_w = size
    w, h = patch.size
    if h * out_w > w * out_h:  # too tall: widen
        new_w, new_h = max(w, round(h * out_w / out_h)), h
    else:
        new_w, new_h = w, max(h, round(w * out_h / out_w))
    canvas = Image.new("RGB", (new_w, new_h), (0, 0, 0))
    canvas.paste(patch, ((new_w - w) // 2, (new_h - h) // 2))
    return canvas.resize((out_w, out_h), Image.Resampling.BICUBIC)


def encode(image, image_format="jpeg", quality=JPEG_QUALITY) -> bytes:
    """A PIL image or an (H, W, 3) uint8 array -> JPEG (at `quality`) or PNG bytes."""
    from PIL import Image

    if isinstance(image, np.ndarray):
        image = Image.fromarray(np.asarray(image, dtype=np.uint8))
    fmt = ENCODINGS.get(image_format.lower())
    if fmt is None:
        raise ValueError(f"unknown image format {image_format!r}; expected {', '.join(ENCODINGS)}")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def decode(data: bytes) -> np.ndarray:
    """JPEG or PNG bytes -> (H, W, 3) uint8 RGB."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
