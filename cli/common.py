"""What every command shares: one-line user errors with exit code 2."""
import functools
import sys

import click

from bedlam_tools.pose_files import InputError
from posescript_pipeline.body.backends.smplx import ModelFilesError
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


def user_errors(fn):
    """Turn a bad input file or model folder into one line on stderr and exit code 2 (no traceback)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (InputError, ModelFilesError) as err:
            fail(str(err))
    return wrapper


def not_built_yet(name: str):
    """Entry point of a command whose issue is still open."""
    def main():
        click.echo(f"{name}: not built yet (see the project's open issues)", err=True)
        sys.exit(1)
    return main
