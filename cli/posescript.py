"""`posescript`: describe 3D poses in natural language."""
import json
import sys

import click

from .common import MIN_VISIBILITY_OPTION, POSE_FILE_OPTIONS, ToolkitGroup, pose_file_options
from .compare_command import compare
from .render_command import render

FORMATS_HELP = """\b
Accepted files (several, or folders of them):
  AMASS .npz         'poses' (T,156) SMPL-H or (T,165) SMPL-X, or root_orient/pose_body/pose_hand (z-up)
  SMPL-X .npz/.pkl   global_orient, body_pose, optional left/right_hand_pose, betas, gender (y-up)
  joints .npy/.npz   (T,J,3) or (J,3) coordinates, key 'joints' in .npz; J = 52, 24, 22, 33 (BlazePose), or 17
                     with --skeleton h36m17|coco17 (y-up unless --up)
  photos             .jpg .png ...: one person's 3D pose estimated by BlazePose GHUM 3D (offline)"""


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Natural-language descriptions of 3D human poses (PoseScript posecodes)."""


@main.command(epilog=FORMATS_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--frame", type=int, default=None, help="Frame to describe (default 0).")
@click.option("--all", "all_frames", is_flag=True, help="Describe every frame.")
@click.option("--smooth", is_flag=True,
              help="Describe the frames as one sequence: a statement stays while its category holds (hysteresis on "
                   "the thresholds) and the words are drawn once, so consecutive captions change only where the "
                   "pose changed.")
@click.option("--captions", "n_captions", type=click.IntRange(1, 100), default=3, show_default=True,
              help="Captions per pose; caption k uses variant k mod 3 (full, simplified, pruned).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same captions.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
              help="json/jsonl add the measured posecodes and the statements each caption was written from (and "
                   "for photos the landmarks, their visibility and the image size).")
@click.option("--sex", type=click.Choice(["male", "female", "neutral"]), default=None,
              help="The person's sex, which gendered words (he, her) follow; default: the file's 'gender' field, "
                   "neutral words when it has none.")
@MIN_VISIBILITY_OPTION
@pose_file_options
def describe(files, frame, all_frames, smooth, n_captions, seed, fmt, sex, min_visibility, skeleton, up, model_dir,
             model_type, no_contacts):
    """Describe the pose(s) in FILES: pose files, photos, or folders of them.

    Parameter files (AMASS, SMPL-X) are posed on a body mesh to find self-contacts ("the right hand
    is touching the left knee") and head rotations; joint files and photos are described from the
    joints only. With several inputs, one that cannot be described is reported in one line and the
    others go on; the exit code is 2 when none could be described.
    """
    from bedlam_tools.inputs import load_inputs
    from bedlam_tools.pose_text import describe_batch, describe_steadily
    from posescript_pipeline.body import create

    if all_frames and frame is not None:
        raise click.UsageError("use either --frame or --all")
    body = create(model_dir=model_dir, model_type=model_type)
    inputs = load_inputs(files, frames=None if all_frames else [frame or 0], min_visibility=min_visibility,
                         skeleton=skeleton, up=up, body=body)
    if len(inputs) == 1 and inputs[0].error is not None:
        raise inputs[0].error
    step = describe_steadily if smooth else describe_batch
    rows, failed = [], 0
    for item in inputs:
        if item.error is not None:
            click.echo(f"error: {item.error}", err=True)
            failed += 1
            continue
        batch = item.batch
        result = step(batch, body, seed=seed, captions=n_captions, contacts=not no_contacts,
                      sex=None if sex is None else {"neutral": ""}.get(sex, sex))
        for i, frame_id in enumerate(batch.frame_ids.tolist()):
            row = {"file": item.path, "frame": frame_id, **result.to_json(i)}
            if batch.estimates is not None:
                row["photo"] = batch.estimates[i].to_json()
            rows.append(row)
    _print(rows, fmt, several_files=len(inputs) > 1)
    if failed:
        click.echo(f"{failed} of {len(inputs)} inputs could not be described", err=True)
        if failed == len(inputs):
            sys.exit(2)


def _print(rows, fmt, several_files):
    """Captions as text (a line per caption, headed by file and frame when there are several), json or jsonl."""
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row) + "\n")
    elif fmt == "json":
        click.echo(json.dumps(rows[0] if len(rows) == 1 else rows, indent=2))
    else:
        several_frames = len({(r["file"], r["frame"]) for r in rows}) > len({r["file"] for r in rows})
        for row in rows:
            heading = " ".join(filter(None, (row["file"] + ":" if several_files else "",
                                             f"frame {row['frame']}:" if several_frames else "")))
            if heading:
                click.echo(heading)
            for caption in row["captions"]:
                click.echo(("  " if heading else "") + caption)


MOTION_HELP = """\b
Accepted files:
  AMASS .npz         'poses' + 'trans' at its 'mocap_framerate' (z-up)
  SMPL-X .npz/.pkl   global_orient, body_pose, optional transl, at --fps or an 'fps' field (y-up)
  joints .npy/.npz   (T,J,3) world coordinates at --fps (y-up unless --up z)
  BVH .bvh           its 'Frame Time'; rigs: smpl (Pelvis, L_Hip, ...), biped (Hips, LeftUpLeg, ...,
                     Mixamo, LaFAN1, CMU), humanoid (Hips, UpperLeg_L, ...); units from the rest pose"""


@main.command("describe-motion", epilog=MOTION_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--fps", default=None, metavar="F",
              help="Frames per second (default: the file's own; needed for joint files).")
@click.option("--captions", "n_captions", type=click.IntRange(1, 100), default=3, show_default=True,
              help="Captions per sequence; caption k uses variant k mod 3 (full, simplified, with skips).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same captions.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
              help="json/jsonl add every motion code (kind, parts, start/end in seconds, intensity, velocity) and the "
                   "statements and codes each sentence came from.")
@click.option("--sex", type=click.Choice(["male", "female", "neutral"]), default=None,
              help="The person's sex, which gendered words follow; default: the file's 'gender' field, else neutral.")
@POSE_FILE_OPTIONS[0]
@POSE_FILE_OPTIONS[1]
@POSE_FILE_OPTIONS[2]
@POSE_FILE_OPTIONS[3]
def describe_motion(files, fps, n_captions, seed, fmt, sex, skeleton, up, model_dir, model_type):
    """Describe what moves in each sequence FILE, over time ("both knees bend slowly, then ...")."""
    from bedlam_tools.pose_files import load_sequence
    from bedlam_tools.pose_text import describe_sequence
    from posescript_pipeline.body import create

    body = create(model_dir=model_dir, model_type=model_type)
    rows = []
    for file in files:
        sequence = load_sequence(file, fps=fps, skeleton=skeleton, up=up, body=body)
        result = describe_sequence(sequence, seed=seed, captions=n_captions,
                                   sex=None if sex is None else {"neutral": ""}.get(sex, sex))
        if fmt == "text":
            if len(files) > 1:
                click.echo(f"{file}: {len(sequence)} frames at {sequence.fps:g} fps ({sequence.duration:.2f} s)")
            for caption in result.captions:
                click.echo(("  " if len(files) > 1 else "") + caption)
            continue
        row = {"file": str(file), "format": sequence.fmt, **({"rig": sequence.rig} if sequence.rig else {}),
               **result.to_json()}
        if fmt == "jsonl":
            sys.stdout.write(json.dumps(row) + "\n")
        else:
            rows.append(row)
    if fmt == "json":
        click.echo(json.dumps(rows[0] if len(rows) == 1 else rows, indent=2))


main.add_command(render)
main.add_command(compare)
