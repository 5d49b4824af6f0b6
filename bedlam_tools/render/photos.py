"""The picture of a photo's estimated pose: the photo with the 2D skeleton drawn on it, then the 3D pose as a
stick figure from the front and from the side, the caption under them. Pillow only (no OpenGL)."""
import numpy as np

from posescript_pipeline.skeleton import BODY_PARENTS, JOINT_INDEX, NUM_BODY_JOINTS, side_of

from .sheets import contact_sheet

LANDMARK_BONES = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    *((f"{s}_{a}", f"{s}_{b}") for s in ("left", "right") for a, b in (
        ("shoulder", "elbow"), ("elbow", "wrist"), ("wrist", "index"), ("wrist", "pinky"), ("wrist", "thumb"),
        ("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle"), ("ankle", "heel"), ("heel", "foot_index"),
        ("ankle", "foot_index"), ("eye", "ear"))),
    ("left_eye", "nose"), ("right_eye", "nose"), ("mouth_left", "mouth_right"),
)
"""Lines drawn between BlazePose landmarks (by name) on the photo."""
SIDE_COLOURS = {"left": (40, 110, 230), "right": (230, 70, 40), "": (40, 170, 60)}
"""Colour of a bone by the side of its far joint: the person's left blue, right red, the middle green."""
STICK_VIEWS = {"front": (0, 1), "side": (2, 1)}
"""View -> the canonical axes drawn as (image right, image up): from the front the body's left (+x) is on the
right; from its left side, its front (+z) is on the left (drawn mirrored: right = -z)."""
STICK_SIGN = {"front": (1.0, 1.0), "side": (-1.0, 1.0)}


def _side(name: str) -> str:
    return side_of(name.replace("mouth_", ""))


def photo_skeleton(image, estimate, min_visibility: float = 0.5):
    """A copy of the photo (PIL) with the landmarks visible enough drawn and joined."""
    from PIL import ImageDraw

    from ..vision import LANDMARK_NAMES

    picture = image.convert("RGB").copy()
    draw = ImageDraw.Draw(picture)
    width = max(2, round(max(picture.size) / 250))
    index = {name: i for i, name in enumerate(LANDMARK_NAMES)}
    seen = estimate.visibility >= min_visibility
    for a, b in LANDMARK_BONES:
        i, j = index[a], index[b]
        if seen[i] and seen[j]:
            draw.line([tuple(estimate.landmarks[i, :2]), tuple(estimate.landmarks[j, :2])],
                      fill=SIDE_COLOURS[_side(b)], width=width)
    for i in np.flatnonzero(seen):
        x, y = estimate.landmarks[i, :2]
        draw.ellipse([x - width, y - width, x + width, y + width], fill=(255, 255, 255), outline=(0, 0, 0))
    return picture


def stick_figure(joints: np.ndarray, view: str, size: int):
    """A (size x size) PIL picture of canonical joints (52, 3) (NaN: not known) from `view`: each known body joint
    joined to its nearest known ancestor, scaled to fit."""
    from PIL import Image, ImageDraw

    axes, sign = STICK_VIEWS[view], np.array(STICK_SIGN[view])
    points = joints[:NUM_BODY_JOINTS][:, list(axes)] * sign
    known = ~np.isnan(points).any(axis=1)
    picture = Image.new("RGB", (size, size), "white")
    if not known.any():
        return picture
    low, high = points[known].min(0), points[known].max(0)
    scale = 0.85 * size / max(float((high - low).max()), 1e-6)
    pixel = (points - (low + high) / 2) * scale * [1, -1] + size / 2
    draw = ImageDraw.Draw(picture)
    names = list(JOINT_INDEX)
    for j in np.flatnonzero(known):
        parent = BODY_PARENTS[j]
        while parent >= 0 and not known[parent]:  # a missing joint (BlazePose has no collars): skip it
            parent = BODY_PARENTS[parent]
        if parent >= 0:
            draw.line([tuple(pixel[parent]), tuple(pixel[j])], fill=SIDE_COLOURS[side_of(names[j])],
                      width=max(2, size // 80))
    for j in np.flatnonzero(known):
        x, y = pixel[j]
        draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=(0, 0, 0))
    return picture


def photo_picture(image, estimate, joints: np.ndarray, caption: str | None = None, size: int = 320,
                  min_visibility: float = 0.5):
    """The photo with its skeleton (scaled to `size` pixels high), the 3D pose from the front and the side, and
    the caption under them when given."""
    from PIL import Image

    photo = photo_skeleton(image, estimate, min_visibility)
    photo = photo.resize((max(1, round(photo.width * size / photo.height)), size), Image.Resampling.LANCZOS)
    views = [np.asarray(stick_figure(joints, view, size)) for view in STICK_VIEWS]
    strip = np.concatenate([np.asarray(photo)] + views, axis=1)
    labels = "photo with its landmarks; the estimated 3D pose from the front and from its left side"
    return contact_sheet([strip], [f"{caption}\n({labels})" if caption else labels])
