"""`embroider pose-train | estimate | pose-eval`: body pose regression from an image and/or a caption through a
trained PoseEmbroider (or Aligner) run; registered on the `embroider` group by cli/embroider.py."""
from pathlib import Path

import click

from .common import ToolkitCommand

INPUT_NAMES = ("image", "text", "image+text")
DATA = click.option("--data", "data_dir", required=True, type=click.Path(file_okay=False),
                    help="BEDLAM-Script folder (from `bedlam-script build`).")
HEADS = click.option("--heads", required=True, type=click.Path(file_okay=False),
                     help="Heads folder (the --out of `embroider pose-train`).")
CHECKPOINT = click.option("--checkpoint", type=click.Choice(["best", "last"]), default="best", show_default=True,
                          help="Head checkpoint: best held-out loss, or the last epoch.")


def _inputs(ctx, param, value):
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in INPUT_NAMES]
    if unknown or not names:
        raise click.BadParameter(f"unknown input {', '.join(unknown) or '(none)'}; choose from {', '.join(INPUT_NAMES)}")
    return names


@click.command("pose-train", cls=ToolkitCommand, short_help="Train pose (and shape) regression heads.")
@DATA
@click.option("--run", "run_dir", type=click.Path(file_okay=False), default=None,
              help="Trained PoseEmbroider or Aligner run (from `embroider train`); not needed with --resume.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Heads folder (one head per input).")
@click.option("--inputs", default="image,text,image+text", show_default=True, callback=_inputs,
              help="Comma-separated inputs, one head each: image, text, image+text.")
@click.option("--epochs", type=click.IntRange(1), default=None,
              help="Epochs (default: 100, or fewer on large sets: about 300,000 items seen).")
@click.option("--resume", is_flag=True, help="Continue the heads in --out from their last checkpoints.")
@click.option("--set", "assignments", multiple=True, metavar="NAME=VALUE",
              help="Any head value, e.g. --set lr=3e-4 --set hidden=512 (repeatable; see a head's config.json).")
def pose_train(data_dir, run_dir, out, inputs, epochs, resume, assignments):
    """Train an HMR-style iterative regression head (22 joint rotations in 6D from a learnable mean pose;
    geodesic loss) and a shape head on the cached representation of each input; checkpoint selection on
    held-out train subjects."""
    from dataclasses import replace

    from bedlam_tools.embroider.regression.train import HeadConfig, train_head

    from .embroider import overrides

    if not resume and run_dir is None:
        raise click.UsageError("--run is needed to start heads (or use --resume)")
    config = overrides(replace(HeadConfig(), **({"epochs": epochs} if epochs else {})), assignments)
    for name in inputs:
        summary = train_head(Path(out), Path(data_dir), run_dir and Path(run_dir), name, config, resume)
        click.echo(f"{name}: {summary['epochs']} epochs on {summary['fit_items']:,} items in "
                   f"{sum(summary['seconds'].values()):.1f} s, best held-out loss {summary['best_val_loss']:.4f} "
                   f"-> {Path(out) / name}")


@click.command(cls=ToolkitCommand, short_help="Estimate the body pose of a person crop (optionally with a caption).")
@click.argument("image", type=click.Path(dir_okay=False, exists=True))
@HEADS
@click.option("--text", default=None, help="A caption of the pose: the image+text head is used.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Pose file to write (.npz, SMPL-X parameters: `posescript describe` and `render` read it).")
@CHECKPOINT
def estimate(image, heads, text, output, checkpoint):
    """Regress the 3D body pose of the person crop IMAGE (with --text, from the image and the caption) and
    write it as a pose file; then `posescript render FILE -o pose.png --caption` draws and describes it."""
    from bedlam_tools.embroider.regression.estimate import estimate_pose, write_pose_file

    if not Path(output).resolve().parent.is_dir():
        raise click.UsageError(f"the folder of {output} does not exist")
    result = estimate_pose(Path(heads), Path(image).read_bytes(), text, checkpoint)
    write_pose_file(Path(output), result["pose"], result["shape"])
    note = "" if result["person_found"] else " (no person found in the image: from the caption alone)"
    click.echo(f"wrote {output} (estimated from the {result['input']}{note})", err=True)


@click.command("pose-eval", cls=ToolkitCommand, short_help="PA-MPJPE, MPJPE, rotation and vertex errors of heads.")
@HEADS
@DATA
@click.option("--split", default="val", show_default=True, help="Split to report on (caption 0 for text inputs).")
@CHECKPOINT
@click.option("--picture", type=click.Path(dir_okay=False), default=None,
              help="Also draw crop | truth | estimates side by side for a few items (.png or .jpg).")
@click.option("--picture-items", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Items in --picture, spread over the split.")
def pose_eval(heads, data_dir, split, checkpoint, picture, picture_items):
    """Evaluate every head of --heads on a split (spec 10.3): PA-MPJPE and MPJPE on the 22 body joints (mm),
    mean rotation error (degrees), vertex error on the Anny mesh (mm), shape error; beside the mean training
    pose and BlazePose's world landmarks (joints only). Saves eval-<split>-<checkpoint>.json/.npz in --heads."""
    from bedlam_tools.embroider.regression.evaluate import evaluate_heads, results_table

    results = evaluate_heads(Path(heads), Path(data_dir), split, checkpoint)
    click.echo(f"pose regression on {split} ({results['items']:,} items) from {results['model']} run "
               f"{results['run']}:\n")
    click.echo(results_table(results))
    if results["paired"]:
        p = results["paired"]
        click.echo(f"\nimage - image+text PA-MPJPE: {p['mean_mm']:+.2f} mm (standard error {p['stderr_mm']:.2f}); "
                   f"image+text better on {100 * p['b_better_share']:.0f}% of items; by quartile of the image error "
                   f"(easiest first): " + ", ".join(f"{g:+.1f}" for g in p["mean_mm_by_quartile_of_a"]) + " mm")
    if picture:
        from bedlam_tools.embroider.regression.pictures import side_by_side
        from bedlam_tools.render import save_picture

        save_picture(side_by_side(Path(heads), Path(data_dir), split, picture_items, checkpoint), picture)
        click.echo(f"wrote {picture}", err=True)
