"""The timeline of a motion (`posescript render FILE --timeline`): the first frame, then the pose reached at the end
of each sentence's motions, in a strip with the sentence under its picture.

Parameter files are posed on the body mesh (`BodyRenderer`); joint and BVH files are drawn as stick figures
(Pillow, no OpenGL). Every picture keeps the body's heading relative to the first frame, so a turn shows, and the
front view of the first frame faces the camera (the body's left on the picture's right).
"""
import numpy as np

from posescript_pipeline.motion.catalogue import CHANNEL_INDEX
from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle, rotation_about_y
from posescript_pipeline.skeleton import BODY_PARENTS, JOINT_INDEX, NUM_BODY_JOINTS, SMPLH_JOINT_NAMES, side_of

from .sheets import contact_sheet

STICK_COLOURS = {"left": (40, 90, 200), "right": (200, 60, 40), "": (90, 90, 90)}


def key_frames(description, caption: int = 0) -> list[tuple[int, str]]:
    """(frame, label) of the strip: the first frame, then the end of each sentence's motions."""
    fps = description.series.fps
    out = [(0, "0.0 s: start")]
    for sentence in description.sentences[caption]:
        codes = [description.codes[i] for i in sentence.codes]
        if not codes:
            last = description.series.values.shape[0] - 1
            out.append((last, f"0.0-{last / fps:.1f} s: {sentence.text}"))
            continue
        start, end = min(c.start_frame for c in codes), max(c.end_frame for c in codes)
        out.append((end, f"{start / fps:.1f}-{end / fps:.1f} s: {sentence.text}"))
    return out


def _turns(description, frames):
    """(K,) yaw in radians of each key frame relative to the first frame."""
    heading = description.series.values[:, CHANNEL_INDEX["body_heading"]]
    return np.radians(heading[frames] - heading[0])


def stick_figure(joints, size=224, available=None):
    """(size, size, 3) uint8 front view of canonical joints (52, 3): bones of the body tree, the body's left in blue
    (on the picture's right), a dot for the nose that shows where the body faces."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    body = np.asarray(joints[:NUM_BODY_JOINTS], np.float64)
    ok = np.isfinite(body).all(axis=1) if available is None else np.asarray(available[:NUM_BODY_JOINTS], bool)
    scale = size / 2.2
    ground = np.nanmin(body[ok, 1])
    x = size / 2 + body[:, 0] * scale            # the body's left (+x) on the picture's right
    y = size * 0.92 - (body[:, 1] - ground) * scale
    draw.line([(0, size * 0.92), (size, size * 0.92)], fill=(200, 200, 200), width=2)
    for j, p in enumerate(BODY_PARENTS):
        if p >= 0 and ok[j] and ok[p]:
            draw.line([(x[p], y[p]), (x[j], y[j])], fill=STICK_COLOURS[side_of(SMPLH_JOINT_NAMES[j])],
                      width=max(2, size // 56))
    head = JOINT_INDEX["head"]
    if ok[head]:
        r = size / 28
        draw.ellipse([x[head] - r, y[head] - 1.6 * r, x[head] + r, y[head] + 0.4 * r], outline=(90, 90, 90), width=2)
        hips = body[JOINT_INDEX["left_hip"]] - body[JOINT_INDEX["right_hip"]]
        facing = -hips[2] / (np.hypot(hips[0], hips[2]) + 1e-9)  # x of the forward direction (-z_hips, x_hips)
        nx, ny = x[head] + facing * 1.3 * r, y[head] - 0.6 * r  # the nose: where the face points, seen from the front
        draw.ellipse([nx - r / 3, ny - r / 3, nx + r / 3, ny + r / 3], fill=(90, 90, 90))
    return np.asarray(image)


def timeline_picture(sequence, description, body=None, *, size=224, views=("front",), caption=0):
    """A PIL image: the key frames of the description's caption in one row, each with its sentence under it."""
    frames_labels = key_frames(description, caption)
    frames = np.array([f for f, _ in frames_labels])
    labels = [label for _, label in frames_labels]
    turns = _turns(description, frames)
    series = description.series
    if sequence.rotations is not None and body is not None:
        from ..pose_files import SHAPE_SPACE
        from .bodies import BodyRenderer

        rotations = series.rotations[frames].copy()
        rotations[:, 0] = matrix_to_axis_angle(rotation_about_y(turns) @ axis_angle_to_matrix(
            rotations[:, 0].astype(np.float64))).astype(np.float32)
        betas = sequence.betas
        if betas is not None and betas.ndim == 2:
            betas = betas[frames]
        mesh = body.mesh(rotations, body.betas_for(betas, SHAPE_SPACE))
        renderer = BodyRenderer(size, size)
        pictures = [renderer.render_views(v, mesh.faces, views) for v in mesh.vertices]
    else:
        joints = series.canonical[frames].astype(np.float64) @ rotation_about_y(turns).swapaxes(-1, -2)
        pictures = [stick_figure(j, size, sequence.available) for j in joints]
    return contact_sheet(pictures, labels, columns=len(pictures))
