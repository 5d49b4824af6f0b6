"""`posescript render`: pictures of posed body meshes, one frame or a contact sheet of many, optionally captioned."""
from pathlib import Path

import click
import numpy as np

from .common import MIN_VISIBILITY_OPTION, ToolkitCommand, pose_file_options

RENDER_HELP = """\b
Views:
  front  the body's left on the picture's right, as when facing someone
  side   seen from the body's left
  back   seen from behind
  top    from above, the body's front towards the bottom
\b
Input: AMASS .npz or SMPL-X parameter .npz/.pkl files. A mesh is posed from
rotations, so joint coordinate files cannot be rendered (except --timeline,
which draws joint and BVH files as stick figures). The body is turned
so that its hips face the camera in the front view. The first use of the
free Anny body builds its model once (about 2-3 minutes; cached afterwards).
A photo (.jpg, .png ...) is drawn with its estimated skeleton on it, and its
3D pose as a stick figure from the front and from the side."""


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


@click.command(cls=ToolkitCommand, epilog=RENDER_HELP)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="Picture to write (.png, .jpg or .jpeg).")
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
@click.option("--timeline", is_flag=True,
              help="The motion's key frames in a strip, each with its sentence of `describe-motion` under it.")
@click.option("--fps", default=None, metavar="F", help="Frames per second of a timeline (default: the file's own).")
@MIN_VISIBILITY_OPTION
@pose_file_options
def render(file, output, frame, views, caption, grid, frame_list, every, columns, size, seed, timeline, fps,
           min_visibility, skeleton, up, model_dir, model_type, no_contacts):
    """Render the posed body of FILE to a picture: one frame, a grid of frames, optionally captioned, the
    timeline of its motion, or a photo with its estimated pose."""
    from bedlam_tools.inputs import is_photo, load_one
    from bedlam_tools.pose_files import InputError
    from bedlam_tools.render import save_picture
    from bedlam_tools.render.poses import batch_picture, first_captions
    from posescript_pipeline.body import create

    if timeline:
        if grid or frame is not None or caption:
            raise click.UsageError("--timeline picks its own frames and sentences; drop --frame/--grid/--caption")
        _timeline(file, output, views, size, seed, fps, skeleton, up, model_dir, model_type)
        return
    grid = grid or frame_list is not None or every is not None
    if frame_list is not None and every is not None:
        raise click.UsageError("use either --frames or --every")
    if grid and frame is not None:
        raise click.UsageError("--frame picks one picture; use --frames for a grid")
    if not Path(output).resolve().parent.is_dir():
        raise click.UsageError(f"the folder of {output} does not exist")
    body = create(model_dir=model_dir, model_type=model_type)
    if is_photo(file):
        from bedlam_tools.render.photos import photo_picture
        from bedlam_tools.vision.images import read_image

        batch = load_one(file, min_visibility=min_visibility)
        words = first_captions(batch, body, seed, contacts=False)[0] if caption else None
        sheet = photo_picture(read_image(file), batch.estimates[0], batch.joints[0], words, size=max(size, 256),
                              min_visibility=min_visibility)
        save_picture(sheet, output)
        click.echo(f"wrote {output} (a photo's estimated pose, {sheet.width}x{sheet.height})", err=True)
        return
    batch = load_one(file, skeleton=skeleton, up=up, body=body, frames=frame_list if grid else [frame or 0])
    if batch.rotations is None:
        raise InputError(f"{file}: holds joint coordinates only; rendering needs a parameter file "
                         "(AMASS or SMPL-X rotations) to pose a body mesh")
    if every:
        batch = batch.take(np.arange(0, len(batch), every))
    sheet = batch_picture(batch, body, views=views, size=size, caption=caption, grid=grid, columns=columns, seed=seed,
                          contacts=not no_contacts)
    save_picture(sheet, output)
    click.echo(f"wrote {output} ({len(batch)} pose{'s' if len(batch) > 1 else ''}, {sheet.width}x{sheet.height})",
               err=True)


def _timeline(file, output, views, size, seed, fps, skeleton, up, model_dir, model_type):
    from bedlam_tools.pose_files import load_sequence
    from bedlam_tools.pose_text import describe_sequence
    from bedlam_tools.render import save_picture
    from bedlam_tools.render.timeline import timeline_picture
    from posescript_pipeline.body import create

    if not Path(output).resolve().parent.is_dir():
        raise click.UsageError(f"the folder of {output} does not exist")
    body = create(model_dir=model_dir, model_type=model_type)
    sequence = load_sequence(file, fps=fps, skeleton=skeleton, up=up, body=body)
    description = describe_sequence(sequence, seed=seed, captions=1)
    sheet = timeline_picture(sequence, description, body, size=size, views=views)
    save_picture(sheet, output)
    click.echo(f"wrote {output} ({len(description.sentences[0])} sentences, {sheet.width}x{sheet.height})", err=True)
