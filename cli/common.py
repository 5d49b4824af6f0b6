"""What every command shares: one-line user errors with exit code 2, and the option groups."""
import sys

import click

from posescript_pipeline.errors import UserError
from posescript_pipeline.joints import SKELETONS

POSE_FILE_OPTIONS = (
    click.option("--skeleton", type=click.Choice(sorted(SKELETONS)), default=None,
                 help="Joint layout of a coordinate file (guessed from the joint count when unambiguous)."),
    click.option("--up", type=click.Choice(["y", "z"]), default=None,
                 help="Vertical axis of the file (default: z for AMASS, y otherwise)."),
    click.option("--model-dir", type=click.Path(file_okay=False), default=None,
                 help="Your SMPL-X/SMPL-H model files: use that body (smplx) instead of the free Anny body."),
    click.option("--model-type", type=click.Choice(["smplx", "smplh"]), default="smplx", show_default=True,
                 help="Model type in --model-dir."),
    click.option("--no-contacts", is_flag=True,
                 help="Do not pose the body mesh to find self-contacts (captions without them)."),
)


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


def fail(message: str):
    """Stop with one line on stderr and exit code 2 (a user error: no traceback)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


class ToolkitCommand(click.Command):
    """A command whose user errors end as one line on stderr and exit code 2: a `UserError`, or a file the
    system refuses (missing, read-only, full device). Other exceptions are bugs and keep their traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as err:
            fail(str(err).splitlines()[0] if str(err) else type(err).__name__)
        except OSError as err:
            if err.filename is None:
                raise
            fail(f"{err.filename}: {err.strerror or err}")


class ToolkitGroup(click.Group):
    """A command group whose commands are `ToolkitCommand`s."""
    command_class = ToolkitCommand
