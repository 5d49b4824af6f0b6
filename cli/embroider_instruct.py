"""`embroider instruct-train | instruct | pairtext-train | instruct-eval`: instruction generation from pose
pairs on frozen PoseEmbroider (or Aligner) representations, and its evaluation."""
from pathlib import Path

import click

from .common import ToolkitCommand

PAIRS_OPTION = click.option("--pairs", "pairs_dir", required=True, type=click.Path(file_okay=False),
                            help="BEDLAM-Fix folder (from `bedlam-fix pairs`).")
SET_OPTION = click.option("--set", "assignments", multiple=True, metavar="NAME=VALUE",
                          help="Any config value, e.g. --set width=256 --set lr=1e-4 (repeatable; see config.json).")
INPUT_CHOICES = click.Choice(["pose", "image"])


@click.command("instruct-train", cls=ToolkitCommand, short_help="Train the instruction generator on pose pairs.")
@PAIRS_OPTION
@click.option("--run", "run_dir", type=click.Path(file_okay=False), default=None,
              help="PoseEmbroider or Aligner run (from `embroider train`) whose frozen representations are used.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Generator folder.")
@click.option("--script", "script_dir", type=click.Path(file_okay=False), default=None,
              help="BEDLAM-Script folder of the pairs' poses (default: the one recorded in the pairs manifest).")
@click.option("--epochs", type=click.IntRange(1), default=None, help="Training epochs (default 60).")
@click.option("--train-on", type=click.Choice(["pose", "image", "mixed"]), default=None,
              help="Representations fed in training: poses A/B (default, as published), images A/B, or either "
                   "at random per side.")
@click.option("--resume", is_flag=True, help="Continue the generator in --out from its last checkpoint.")
@SET_OPTION
def instruct_train(pairs_dir, run_dir, out, script_dir, epochs, train_on, resume, assignments):
    """Train the TIRG + transformer-decoder instruction generator on the cached representations of the
    BEDLAM-Fix train pairs (teacher forcing), with validation on held-out subjects, checkpoints and resume."""
    from bedlam_tools.embroider.instruct.config import GeneratorConfig
    from bedlam_tools.embroider.instruct.train import train_generator

    from .embroider import overrides

    config = None
    if not resume:
        if run_dir is None:
            raise click.BadParameter("needed unless --resume", param_hint="--run")
        chosen = {k: v for k, v in (("epochs", epochs), ("train_on", train_on)) if v is not None}
        config = overrides(GeneratorConfig(**chosen), assignments)
    summary = train_generator(Path(out), Path(pairs_dir), run_dir and Path(run_dir), script_dir and Path(script_dir),
                              config, resume)
    click.echo(f"trained {summary['epochs']} epochs in {sum(summary['seconds'].values()):.1f} s on "
               f"{summary['fit_pairs']:,} pairs, best validation loss {summary['best_val_loss']:.3f} -> {out}")


@click.command(cls=ToolkitCommand, short_help="Write the instruction that takes pose A to pose B.")
@click.argument("a")
@click.argument("b")
@click.option("--model", "folder", required=True, type=click.Path(file_okay=False),
              help="Generator folder (from `embroider instruct-train`).")
@click.option("--inputs", nargs=2, type=INPUT_CHOICES, default=("pose", "pose"), show_default=True,
              help="Modality of A and of B: pose, or image (the crop of a BEDLAM-Script row).")
@click.option("--frame", type=click.IntRange(0), default=0, show_default=True, help="Frame of a pose file.")
@click.option("--checkpoint", type=click.Choice(["best", "last"]), default="best", show_default=True)
@click.option("--score", is_flag=True, help="Also print the mean log-probability per word.")
def instruct(a, b, folder, inputs, frame, checkpoint, score):
    """A and B are pose files (AMASS or SMPL-X parameters) or BEDLAM-Script ids of the generator's script
    folder; prints the greedily decoded instruction from A to B."""
    from bedlam_tools.embroider.instruct.inference import instruct as generate

    text, logprob = generate(Path(folder), a, b, tuple(inputs), frame, checkpoint)
    click.echo(text + (f"\t(mean log-probability {logprob:.3f})" if score else ""))


@click.command("pairtext-train", cls=ToolkitCommand, short_help="Train the PairText pair<->text retrieval model.")
@PAIRS_OPTION
@click.option("--out", required=True, type=click.Path(file_okay=False), help="PairText folder.")
@click.option("--epochs", type=click.IntRange(1), default=None, help="Training epochs (default 60).")
@SET_OPTION
def pairtext_train(pairs_dir, out, epochs, assignments):
    """Train PairText (pose pair A, B <-> instruction retrieval) on the BEDLAM-Fix train pairs: the evaluator
    behind the R-precision of `instruct-eval`."""
    from bedlam_tools.embroider.instruct.config import PairTextConfig
    from bedlam_tools.embroider.instruct.pairtext import train_pairtext

    from .embroider import overrides

    config = overrides(PairTextConfig(**({"epochs": epochs} if epochs else {})), assignments)
    summary = train_pairtext(Path(pairs_dir), Path(out), config)
    click.echo(f"trained PairText {config.epochs} epochs on {summary['pairs']:,} pairs in "
               f"{sum(summary['seconds'].values()):.1f} s, last loss {summary['epoch_losses'][-1]:.3f} -> {out}")


@click.command("instruct-eval", cls=ToolkitCommand, short_help="Score generated instructions (table beside the paper's).")
@click.option("--model", "generators", required=True, multiple=True, type=click.Path(file_okay=False),
              help="Generator folder (repeat to compare, e.g. on PoseEmbroider and on Aligner features).")
@click.option("--pairtext", required=True, type=click.Path(file_okay=False),
              help="PairText folder (from `embroider pairtext-train`) for the R-precision.")
@PAIRS_OPTION
@click.option("--split", default="val", show_default=True, help="Split of the pairs to report on.")
@click.option("--script", "script_dir", type=click.Path(file_okay=False), default=None,
              help="BEDLAM-Script folder of the pairs' poses (default: the one recorded in the pairs manifest).")
@click.option("--inputs", "input_sets", multiple=True, type=click.Choice(["P_A,P_B", "V_A,V_B", "V_A,P_B"]),
              help="Input combinations (repeatable; default all three): poses, images, image A and pose B.")
@click.option("--pool", type=click.IntRange(2), default=200, show_default=True, help="R-precision pool size.")
@click.option("--repetitions", type=click.IntRange(1), default=10, show_default=True,
              help="R-precision repetitions (the rank is averaged over them).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the R-precision pools.")
@click.option("--checkpoint", type=click.Choice(["best", "last"]), default="best", show_default=True)
@click.option("--save", type=click.Path(dir_okay=False), default=None, help="Write the results (and examples) as JSON.")
def instruct_eval(generators, pairtext, pairs_dir, split, script_dir, input_sets, pool, repetitions, seed,
                  checkpoint, save):
    """R-precision@1/2/3 (PairText), BLEU-4, ROUGE-L and METEOR (x100, every reference text of a pair) of
    greedily generated instructions, with the ground-truth and shifted-text controls, beside the paper's rows."""
    import json

    from bedlam_tools.embroider.instruct.evaluate import INPUTS, evaluate_instructions, table

    result = evaluate_instructions([Path(g) for g in generators], Path(pairtext), Path(pairs_dir), split,
                                   tuple(input_sets) or tuple(INPUTS), pool, repetitions, seed,
                                   script_dir and Path(script_dir), checkpoint)
    click.echo(f"instruction generation on {split} ({result['pairs']:,} pairs; R-precision pool {pool}, "
               f"{repetitions} repetitions), x100:\n")
    click.echo(table(result))
    if save:
        Path(save).write_text(json.dumps(result, indent=1) + "\n")
