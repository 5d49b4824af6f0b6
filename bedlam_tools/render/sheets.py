"""Captioned contact sheets: pictures in a grid, each caption wrapped under its picture (Pillow; no OpenGL)."""
import math
from pathlib import Path

import numpy as np


def caption_font(size):
    """Pillow's built-in scalable font at `size` pixels (needs Pillow >= 10.1)."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _pieces(word, font, width):
    """An over-long word (an id, a path) cut into pieces that each fit in `width` pixels."""
    pieces = [""]
    for char in word:
        if pieces[-1] and font.getlength(pieces[-1] + char) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def wrap_text(text, font, width):
    """Lines of `text` that each fit in `width` pixels (an over-long word is cut where it must be); a newline in
    `text` starts a new line."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in (piece for w in paragraph.split() for piece in _pieces(w, font, width)):
            candidate = f"{line} {word}" if line else word
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines += [line] if line else []
    return lines


def contact_sheet(images, captions=None, columns=None, font_size=None, padding=6):
    """A white PIL image of the pictures (H, W, 3 uint8 arrays) in a grid, each caption wrapped under its picture.

    columns: default ceil(sqrt(n)). font_size: default from the picture height (13 px for 224 px).
    """
    from PIL import Image, ImageDraw

    images = [np.asarray(image, dtype=np.uint8) for image in images]
    if not images:
        raise ValueError("contact_sheet needs at least one image")
    if captions is not None and len(captions) != len(images):
        raise ValueError(f"{len(captions)} captions for {len(images)} images")
    columns = max(1, min(columns or math.ceil(math.sqrt(len(images))), len(images)))
    cell_w = max(image.shape[1] for image in images)
    cell_h = max(image.shape[0] for image in images)
    font = caption_font(font_size or max(11, round(cell_h / 17)))
    line_h = round(font.size * 1.25)
    wrapped = [wrap_text(c, font, cell_w - 2 * padding) for c in captions] if captions else [[] for _ in images]
    rows = [range(start, min(start + columns, len(images))) for start in range(0, len(images), columns)]
    text_h = [max(len(wrapped[i]) for i in row) * line_h + (2 * padding if captions else 0) for row in rows]
    sheet = Image.new("RGB", (columns * (cell_w + padding) + padding, sum(cell_h + h + padding for h in text_h)
                              + padding), "white")
    draw = ImageDraw.Draw(sheet)
    top = padding
    for row, height in zip(rows, text_h):
        for column, i in enumerate(row):
            left = padding + column * (cell_w + padding)
            sheet.paste(Image.fromarray(images[i]), (left, top))
            for k, line in enumerate(wrapped[i]):
                draw.text((left + padding, top + cell_h + padding + k * line_h), line, fill="black", font=font)
        top += cell_h + height + padding
    return sheet


PICTURE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


def save_picture(image, path):
    """Write a PIL image in the format its file name asks for (.png, .jpg or .jpeg)."""
    from .gl import RenderError

    fmt = PICTURE_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise RenderError(f"{path}: unknown picture extension; expected {', '.join(PICTURE_FORMATS)}")
    image.convert("RGB").save(path, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))


def save_sheet(path, images, captions=None, columns=None):
    """Write the contact sheet of `images` (with their captions) at `path` (.png or .jpg)."""
    save_picture(contact_sheet(images, captions, columns), path)
