"""`posescript`: describe 3D poses in natural language."""
import json
import sys

import click

from .common import ToolkitGroup, pose_file_options
from .compare_command import compare
from .render_command import render

FORMATS_HELP = """\b
Accepted files:
  AMASS .npz         'poses' (T,156) SMPL-H or (T,165) SMPL-X, or root_orient/pose_body/pose_hand (z-up)
  SMPL-X .npz/.pkl   global_orient, body_pose, optional left/right_hand_pose, betas (y-up)
  joints .npy/.npz   (T,J,3) or (J,3) coordinates, key 'joints' in .npz; J = 52, 24, 22, or 17 with
                     --skeleton h36m17|coco17 (y-up unless --up z)"""


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Natural-language descriptions of 3D human poses (PoseScript posecodes)."""


@main.command(epilog=FORMATS_HELP)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--frame", type=int, default=None, help="Frame to describe (default 0).")
@click.option("--all", "all_frames", is_flag=True, help="Describe every frame.")
@click.option("--captions", "n_captions", type=click.IntRange(1, 100), default=3, show_default=True,
              help="Captions per pose; caption k uses variant k mod 3 (full, simplified, pruned).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same captions.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
              help="json/jsonl add the measured posecodes and the statements each caption was written from.")
@click.option("--sex", type=click.Choice(["male", "female", "neutral"]), default=None,
              help="The person's sex, which gendered words (he, her) follow; default: the file's 'gender' field, "
                   "neutral words when it has none.")
@pose_file_options
def describe(file, frame, all_frames, n_captions, seed, fmt, sex, skeleton, up, model_dir, model_type, no_contacts):
    """Describe the pose(s) in FILE.

    Parameter files (AMASS, SMPL-X) are posed on a body mesh to find self-contacts ("the right hand
    is touching the left knee") and head rotations; joint files are described from the joints only.
    """
    from bedlam_tools.pose_files import load_poses
    from bedlam_tools.pose_text import describe_batch
    from posescript_pipeline.body import create

    if all_frames and frame is not None:
        raise click.UsageError("use either --frame or --all")
    body = create(model_dir=model_dir, model_type=model_type)
    batch = load_poses(file, skeleton=skeleton, up=up, body=body, frames=None if all_frames else [frame or 0])
    result = describe_batch(batch, body, seed=seed, captions=n_captions, contacts=not no_contacts,
                            sex=None if sex is None else {"neutral": ""}.get(sex, sex))
    if fmt == "text":
        for i, frame_id in enumerate(batch.frame_ids.tolist()):
            if len(batch.frame_ids) > 1:
                click.echo(f"frame {frame_id}:")
            for caption in result.captions[i]:
                click.echo(("  " if len(batch.frame_ids) > 1 else "") + caption)
        return
    rows = [{"file": str(file), "frame": frame_id, **result.to_json(i)}
            for i, frame_id in enumerate(batch.frame_ids.tolist())]
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row) + "\n")
    else:
        click.echo(json.dumps(rows[0] if len(rows) == 1 else rows, indent=2))


main.add_command(render)
main.add_command(compare)
