"""What every command shares: one-line user errors with exit code 2, and the option groups."""
import errno
import sys

import click

from posescript_pipeline.errors import UserError
from posescript_pipeline.joints import SKELETONS

POSE_FILE_OPTIONS = (
    click.option("--skeleton", type=click.Choice(sorted(SKELETONS)), default=None,
                 help="Joint layout of a coordinate file (guessed from the joint count when unambiguous)."),
    click.option("--up", type=click.Choice(["y", "z", "-y"]), default=None,
                 help="Vertical axis of the file (default: z for AMASS, -y (y down) for blazepose33 joints, "
                      "y otherwise)."),
    click.option("--model-dir", type=click.Path(file_okay=False), default=None,
                 help="Your SMPL-X/SMPL-H model files: use that body (smplx) instead of the free Anny body."),
    click.option("--model-type", type=click.Choice(["smplx", "smplh"]), default="smplx", show_default=True,
                 help="Model type in --model-dir."),
    click.option("--no-contacts", is_flag=True,
                 help="Do not pose the body mesh to find self-contacts (captions without them)."),
)


MIN_VISIBILITY_OPTION = click.option(
    "--min-visibility", type=click.FloatRange(0, 1), default=0.5, show_default=True,
    help="Photos: a joint whose landmark visibility is below this is left out, with the posecodes that need it.")


def pose_file_options(fn):
    """The options that say how to read a pose file and which body to use."""
    for option in reversed(POSE_FILE_OPTIONS):
        fn = option(fn)
    return fn


ENGINE_OPTIONS = (
    click.option("--workers", type=click.IntRange(0), default=0, help="Processes (default: one per core)."),
    click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                 help="ray: run the shard tasks on a Ray cluster (same output)."),
    click.option("--ray-address", default=None, help="Address of a running Ray cluster (default: start a local one)."),
    click.option("--rows-per-shard", type=click.IntRange(1), default=2000, show_default=True),
)


def engine_options(fn):
    """The options that say where a build's shard tasks run and how large the shards are."""
    for option in reversed(ENGINE_OPTIONS):
        fn = option(fn)
    return fn


STORAGE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)
"""System errors that say where the output goes is full, read-only or forbidden (even without a file name)."""


def fail(message: str):
    """Stop with one line on stderr and exit code 2 (a user error: no traceback)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def verify_folder(directory, dataset: str):
    """Print a line per split (and per bad shard) of a dataset folder; exit code 2 if a shard is missing or changed."""
    from bedlam_tools.shards import read_manifest, shard_problems

    manifest = read_manifest(directory, dataset)
    bad = 0
    for split, entry in sorted(manifest["splits"].items()):
        problems = shard_problems(directory, manifest, split)
        rows = sum(shard["rows"] for shard in entry["shards"])
        state = "every shard matches its sha256" if not problems else f"{len(problems)} bad"
        click.echo(f"{split}: {len(entry['shards'])} shards, {rows:,} rows: {state}")
        for problem in problems:
            click.echo(f"  {problem}")
        bad += len(problems)
    if bad:
        fail(f"{bad} shard(s) missing or changed; run the same build again to rebuild them")


class ToolkitCommand(click.Command):
    """A command whose user errors end as one line on stderr and exit code 2: a `UserError`, or a file the
    system refuses (missing, read-only, full device). Other exceptions are bugs and keep their traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as err:
            fail(str(err).splitlines()[0] if str(err) else type(err).__name__)
        except OSError as err:
            if err.filename is None and err.errno not in STORAGE_ERRORS:
                raise
            fail(f"{err.filename}: {err.strerror}" if err.filename else f"cannot write: {err.strerror or err}")


class ToolkitGroup(click.Group):
    """A command group whose commands are `ToolkitCommand`s."""
    command_class = ToolkitCommand
