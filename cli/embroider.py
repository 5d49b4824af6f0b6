"""`embroider`: pretrain the frozen encoders, train PoseEmbroider or the Aligner, evaluate by retrieval."""
import json
from dataclasses import fields, replace
from pathlib import Path

import click

from .common import ToolkitGroup

DATA_OPTION = click.option("--data", "data_dir", required=True, type=click.Path(file_okay=False),
                           help="BEDLAM-Script folder (from `bedlam-script build`).")
SET_HELP = "Any config value, e.g. --set pose_epochs=20 (repeatable; see config.json of a run)."


def overrides(config, assignments: tuple[str, ...], option="--set"):
    """`config` with `name=value` assignments applied (values parsed as JSON, else kept as text)."""
    known = {f.name for f in fields(config)}
    changes = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or name not in known:
            raise click.BadParameter(f"{assignment!r}: expected NAME=VALUE with NAME one of {', '.join(sorted(known))}",
                                     param_hint=option)
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = value
        changes[name] = tuple(parsed) if isinstance(parsed, list) else parsed
    return replace(config, **changes)


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--threads", type=click.IntRange(1), default=None, help="CPU threads for torch (default: torch's).")
def main(threads):
    """Compact PoseEmbroider: a shared embedding of images, 3D poses and captions, trained and
    evaluated on BEDLAM-Script shards (CPU by default, CUDA when present)."""
    if threads:
        import torch
        torch.set_num_threads(threads)


@main.command(short_help="Train the frozen pose, text and image encoders.")
@DATA_OPTION
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for the frozen encoders.")
@click.option("--set", "assignments", multiple=True, metavar="NAME=VALUE", help=SET_HELP)
def pretrain(data_dir, out, assignments):
    """Prepare the three frozen encoders on the train split and cache their features: the pose autoencoder and
    the text encoder (a bag of word n-grams, or `--set text_encoder=transformer`, by pose-text retrieval) are
    trained here; the image encoder is the pretrained BlazePose
    network, its features computed once per split on every core (`--set image_encoder=cnn`: a small CNN trained
    here to regress the pose)."""
    from bedlam_tools.embroider.config import EncoderConfig
    from bedlam_tools.embroider.pretrain import pretrain as run_pretrain

    timings = run_pretrain(Path(data_dir), Path(out), overrides(EncoderConfig(), assignments))
    click.echo("pretraining time: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + f" -> {out}")


@main.command(short_help="Train PoseEmbroider or the Aligner on the frozen features.")
@DATA_OPTION
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Run folder.")
@click.option("--model", "kind", type=click.Choice(["embroider", "aligner"]), default="embroider", show_default=True)
@click.option("--encoders", type=click.Path(file_okay=False), default=None,
              help="Frozen encoders from `embroider pretrain` (default: pretrain them into RUN/encoders).")
@click.option("--epochs", type=click.IntRange(1), default=None,
              help="Training epochs (default: by the data size, at most 60 and about 900,000 items seen: "
                   "20 epochs on the default 50,000-pose build).")
@click.option("--resume", is_flag=True, help="Continue the run in --out from its last checkpoint.")
@click.option("--published", is_flag=True,
              help="Restore the published quirks: leaky targets, feature noise 0.1, constant LR, "
                   "checkpoint selection on the val split. The recipe stays; the published one is "
                   "--set lr=5e-4 --set dropout=0.1 --set core_layers=1.")
@click.option("--set", "assignments", multiple=True, metavar="NAME=VALUE",
              help="Any model or training value, e.g. --set latent_d=256 --set lr=1e-4 (repeatable).")
def train(data_dir, out, kind, encoders, epochs, resume, published, assignments):
    """Train PoseEmbroider (or the Aligner baseline) on the frozen features, with validation on held-out
    train subjects, checkpoints and resume; saves config.json, log.jsonl and checkpoints in --out."""
    from bedlam_tools.embroider.config import EncoderConfig, ModelConfig, RunConfig, TrainConfig
    from bedlam_tools.embroider.pretrain import pretrain as run_pretrain
    from bedlam_tools.embroider.train import train as run_train

    config = None
    if not resume:
        model_names = {f.name for f in fields(ModelConfig)}
        model = overrides(ModelConfig(kind=kind, published_leaky_targets=published,
                                      feature_noise=0.1 if published else 0.0),
                          tuple(a for a in assignments if a.partition("=")[0] in model_names))
        schedule = dict(schedule="constant", validate_on="val") if published else {}
        training = overrides(replace(TrainConfig(**schedule), **({"epochs": epochs} if epochs else {})),
                             tuple(a for a in assignments if a.partition("=")[0] not in model_names))
        if encoders is None:
            encoders = Path(out) / "encoders"
            if not (encoders / "encoders.pt").exists():
                run_pretrain(Path(data_dir), encoders, EncoderConfig())
        config = RunConfig(str(Path(encoders).resolve()), model, training)
    summary = run_train(Path(out), Path(data_dir), config, resume=resume)
    click.echo(f"trained {summary['epochs']} epochs in {sum(summary['seconds'].values()):.1f} s, "
               f"best validation mRecall {summary['best_val_mRecall']:.1f} -> {out}")


@main.command("eval", short_help="Any-to-any retrieval table of trained runs.")
@click.option("--run", "runs", required=True, multiple=True, type=click.Path(file_okay=False),
              help="Run folder (repeat to compare runs in one table).")
@DATA_OPTION
@click.option("--split", default="val", show_default=True, help="Split to report on.")
@click.option("--checkpoint", type=click.Choice(["best", "last"]), default="best", show_default=True)
def evaluate(runs, data_dir, split, checkpoint):
    """Any-to-any retrieval: 6 single- and 3 dual-query tasks, R@1/5/10 and mRecall (single, dual, total);
    prints the tables and saves eval-<split>-<checkpoint>.json in each run."""
    from bedlam_tools.embroider.evaluate import evaluate_run, recall_table, summary_table

    results = {}
    for run in runs:
        result = evaluate_run(Path(run), Path(data_dir), split, checkpoint)
        results[f"{Path(run).name} ({result['model']})"] = result
    items = next(iter(results.values()))["items"]
    click.echo(f"retrieval on {split} ({items:,} items, caption 0), mean of R@1/5/10 per task:\n")
    click.echo(summary_table(results) + "\n")
    click.echo(recall_table(results))


from .embroider_instruct import instruct, instruct_eval, instruct_train, pairtext_train  # noqa: E402

main.add_command(instruct_train)
main.add_command(instruct)
main.add_command(pairtext_train)
main.add_command(instruct_eval)

from .embroider_pose import estimate as _estimate, pose_eval as _pose_eval, pose_train as _pose_train  # noqa: E402

main.add_command(_pose_train)
main.add_command(_estimate)
main.add_command(_pose_eval)
