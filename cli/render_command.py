"""`posescript render`: pictures of posed body meshes, one frame or a contact sheet of many, optionally captioned."""
import dataclasses
import sys
from pathlib import Path

import click
import numpy as np

from .common import pose_file_options, user_errors

POSE_BATCH = 64
"""Poses meshed at a time."""
PROGRESS_FROM = 5
"""Grids of at least this many frames show a progress bar."""
RENDER_HELP = """\b
Views:
  front  the body's left on the picture's right, as when facing someone
  side   seen from the body's left
  back   seen from behind
  top    from above, the body's front towards the bottom
\b
Input: AMASS .npz or SMPL-X parameter .npz/.pkl files. A mesh is posed from
rotations, so joint coordinate files cannot be rendered. The body is turned
so that its hips face the camera in the front view. The first use of the
free Anny body builds its model once (about 2-3 minutes; cached afterwards)."""


def _frame_list(ctx, param, value):
    if value is None:
        return None
    try:
        return [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated frame numbers, got {value!r}")


def _view_list(ctx, param, value):
    from bedlam_tools.render import VIEWS

    views = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in views if v not in VIEWS]
    if unknown or not views:
        raise click.BadParameter(f"unknown view {', '.join(unknown) or '(none)'}; choose from {', '.join(VIEWS)}")
    return views


def _subset(batch, every):
    """Every `every`-th frame of a PoseBatch."""
    keep = np.arange(0, len(batch.frame_ids), every)
    betas = batch.betas
    if betas is not None and betas.ndim == 2 and len(betas) == len(batch.frame_ids):
        betas = betas[keep]
    return dataclasses.replace(batch, joints=batch.joints[keep], rotations=batch.rotations[keep], betas=betas,
                               frame_ids=batch.frame_ids[keep])


def _captions(batch, seed, body, contacts):
    """The first caption of `posescript describe` for each pose of the batch."""
    from posescript_pipeline.contact import detect_contacts
    from posescript_pipeline.describe import describe

    pairs = detect_contacts(batch.rotations, body) if contacts else None
    result = describe(batch.joints, batch.available, batch.rotations, seed=seed,
                      pose_ids=batch.frame_ids.tolist(), captions=1, contacts=pairs)
    return [captions[0] for captions in result.captions]


def _pictures(batch, renderer, body, views):
    """One (H, W * len(views), 3) picture per pose, meshed POSE_BATCH poses at a time."""
    from tqdm import tqdm

    n = len(batch.frame_ids)
    pictures = []
    with tqdm(total=n, desc="rendering", unit="pose", disable=n < PROGRESS_FROM, file=sys.stderr) as bar:
        for start in range(0, n, POSE_BATCH):
            betas = batch.betas
            if betas is not None and betas.ndim == 2:
                betas = betas[start:start + POSE_BATCH]
            mesh = body.mesh(batch.rotations[start:start + POSE_BATCH], betas if body.name == "smplx" else None)
            for vertices in mesh.vertices:
                pictures.append(renderer.render_views(vertices, mesh.faces, views))
                bar.update()
    return pictures


@click.command(epilog=RENDER_HELP)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="PNG file to write.")
@click.option("--frame", type=int, default=None, help="Frame to render (default 0).")
@click.option("--views", default="front", show_default=True, callback=_view_list,
              help="Comma-separated views shown side by side: front, side, back, top.")
@click.option("--caption", is_flag=True,
              help="Write the pose's first caption (as `posescript describe` gives it) under its picture.")
@click.option("--grid", is_flag=True, help="Render every frame (or those of --frames/--every) as one contact sheet.")
@click.option("--frames", "frame_list", default=None, callback=_frame_list,
              help="Frames of the grid, e.g. 0,5,10 (implies --grid).")
@click.option("--every", type=click.IntRange(1), default=None, help="Every K-th frame in the grid (implies --grid).")
@click.option("--columns", type=click.IntRange(1), default=None, help="Grid columns (default: about square).")
@click.option("--size", type=click.IntRange(32, 2048), default=224, show_default=True,
              help="Side of each view's square picture, in pixels.")
@click.option("--seed", type=int, default=0, show_default=True, help="Caption seed (same as `describe --seed`).")
@pose_file_options
@user_errors
def render(file, output, frame, views, caption, grid, frame_list, every, columns, size, seed, skeleton, up,
           model_dir, model_type, no_contacts):
    """Render the posed body of FILE to a PNG: one frame, or a grid of frames, optionally captioned."""
    from bedlam_tools.pose_files import InputError, load_poses
    from bedlam_tools.render import BodyRenderer, RenderError, contact_sheet

    grid = grid or frame_list is not None or every is not None
    if frame_list is not None and every is not None:
        raise click.UsageError("use either --frames or --every")
    if grid and frame is not None:
        raise click.UsageError("--frame picks one picture; use --frames for a grid")
    if not Path(output).resolve().parent.is_dir():
        raise click.UsageError(f"the folder of {output} does not exist")
    from posescript_pipeline.body import create

    body = create(model_dir=model_dir, model_type=model_type)
    batch = load_poses(file, skeleton=skeleton, up=up, body=body, frames=frame_list if grid else [frame or 0])
    if batch.rotations is None:
        raise InputError(f"{file}: holds joint coordinates only; rendering needs a parameter file "
                         "(AMASS or SMPL-X rotations) to pose a body mesh")
    if every:
        batch = _subset(batch, every)
    try:
        renderer = BodyRenderer(size, size)
    except RenderError as err:
        raise click.ClickException(str(err))
    pictures = _pictures(batch, renderer, body, views)
    captions = _captions(batch, seed, body, not no_contacts) if caption else None
    if grid:
        labels = [f"frame {i}" + (f": {captions[k]}" if captions else "") for k, i in enumerate(batch.frame_ids)]
        sheet = contact_sheet(pictures, labels, columns)
    elif captions:
        sheet = contact_sheet(pictures, captions)
    else:
        from PIL import Image

        sheet = Image.fromarray(pictures[0])
    sheet.save(output, format="PNG")
    click.echo(f"wrote {output} ({len(pictures)} pose{'s' if len(pictures) > 1 else ''}, {sheet.width}x{sheet.height})",
               err=True)
