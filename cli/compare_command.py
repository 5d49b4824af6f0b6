"""`posescript compare`: instructions to go from pose A to pose B (PoseFix paircodes)."""
import json
from pathlib import Path

import click

from .common import MIN_VISIBILITY_OPTION, ToolkitCommand, pose_file_options


@click.command(cls=ToolkitCommand)
@click.argument("file_a", type=click.Path(dir_okay=False))
@click.argument("file_b", type=click.Path(dir_okay=False))
@click.option("--frame-a", type=click.IntRange(min=0), default=0, show_default=True,
              help="Frame of FILE_A (start pose).")
@click.option("--frame-b", type=click.IntRange(min=0), default=0, show_default=True,
              help="Frame of FILE_B (target pose).")
@click.option("--texts", "n_texts", type=click.IntRange(1, 100), default=3, show_default=True,
              help="Instructions per pair; text k uses variant k mod 3 (normal, simplified, normal).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same instructions.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json adds the measured paircodes and the statements each text was written from.")
@click.option("--with-rotation", is_flag=True,
              help="Start with the whole-body turn about the vertical from A's root to B's (parameter files in one "
                   "world frame, e.g. two frames of a motion).")
@MIN_VISIBILITY_OPTION
@pose_file_options
def compare(file_a, file_b, frame_a, frame_b, n_texts, seed, fmt, with_rotation, min_visibility, skeleton, up,
            model_dir, model_type, no_contacts):
    """Say how to go from the pose in FILE_A (start) to the pose in FILE_B (target); pose files or photos
    ("how to go from the pose in photo A to the pose in photo B").

    FILE_A and FILE_B may be the same file with two frames:
    posescript compare motion.npz motion.npz --frame-a 0 --frame-b 5
    """
    from bedlam_tools.inputs import load_one
    from bedlam_tools.pose_text import compare_batches
    from posescript_pipeline.body import create

    body = create(model_dir=model_dir, model_type=model_type)
    a, b = (load_one(path, frames=[frame], min_visibility=min_visibility, skeleton=skeleton, up=up, body=body)
            for path, frame in ((file_a, frame_a), (file_b, frame_b)))
    pair_id = f"{Path(file_a).name}:{frame_a}->{Path(file_b).name}:{frame_b}"  # the same words from any folder
    result = compare_batches(a, b, body, pair_ids=[pair_id], seed=seed,
                             texts=n_texts, contacts=not no_contacts, turn=with_rotation)
    if fmt == "text":
        if not any(result.texts[0]):
            click.echo("no difference to describe: the two poses are the same in every paircode")
        for text in filter(None, result.texts[0]):
            click.echo(text)
        return
    row = {"a": {"file": str(file_a), "frame": frame_a}, "b": {"file": str(file_b), "frame": frame_b},
           **result.to_json(0)}
    click.echo(json.dumps(row, indent=2))
