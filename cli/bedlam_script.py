"""`bedlam-script`: build, inspect and look at BEDLAM-Script datasets."""
import json
from pathlib import Path

import click

from bedlam_tools.script_builder import DEFAULT_N, BuildConfig, BuildError, ScriptBuild
from bedlam_tools.shards import DATA_DIR, decode_image
from bedlam_tools.sources.base import SPLITS

from .common import engine_options, fail, user_errors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Tri-modal pose datasets (image, 3D pose, 3 captions) from a pose source."""


@main.command()
@click.option("--split", type=click.Choice(SPLITS), default="train", show_default=True,
              help="train and val are disjoint by subject.")
@click.option("--n", type=click.IntRange(1), default=None, help="Poses to keep (default 50,000 train, 10,000 val).")
@click.option("--source", type=click.Choice(["synthetic", "bedlam", "amass"]), default="synthetic", show_default=True,
              help="synthetic: the embedded BEDLAM-like world (no files needed); bedlam/amass: your download.")
@click.option("--root", type=click.Path(exists=True, file_okay=False), default=None, help="BEDLAM or AMASS folder.")
@click.option("--out", type=click.Path(file_okay=False), default="data/bedlam-script", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same dataset.")
@engine_options
@click.option("--no-contacts", is_flag=True, help="Skip self-contact detection on the body mesh.")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None,
              help="Your SMPL-X model files (bedlam/amass sources; default: the free Anny body).")
@user_errors
def build(split, n, source, root, out, seed, workers, engine, ray_address, rows_per_shard, no_contacts, model_dir):
    """Select diverse poses by farthest point sampling, caption them and write parquet shards.

    A build that was interrupted resumes from its completed shards when started again with the
    same options, and ends with the same files as an uninterrupted build.
    """
    config = BuildConfig(split=split, n=n or DEFAULT_N[split], source=source, root=root, seed=seed,
                         rows_per_shard=rows_per_shard, contacts=not no_contacts, model_dir=model_dir)
    try:
        timings = ScriptBuild(config, Path(out)).run(workers=workers, engine=engine, ray_address=ray_address)
    except BuildError as err:
        fail(str(err))
    summary = json.loads((Path(out) / "manifest.json").read_text())["splits"][split]["counts"]
    click.echo(f"{split}: {summary['rows']:,} rows from {summary['candidates']:,} candidates, "
               f"{summary['rejects']:,} rejects -> {out}")
    click.echo("time per stage: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))


def _manifest(directory: str) -> dict:
    path = Path(directory) / "manifest.json"
    if not path.exists():
        fail(f"{directory}: no manifest.json; expected a folder written by `bedlam-script build`")
    return json.loads(path.read_text())


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
def info(directory):
    """Summarise a dataset folder: counts, shards, configuration."""
    manifest = _manifest(directory)
    for split, entry in sorted(manifest["splits"].items()):
        c, cfg = entry["counts"], entry["config"]
        click.echo(f"{split}: {c['rows']:,} rows in {len(entry['shards'])} shards, source {cfg['source']}, "
                   f"seed {cfg['seed']}; {c['candidates']:,} candidates, {c['rejects']:,} rejects "
                   f"({entry['rejects_file']})")
    click.echo(f"card: {Path(directory) / 'README.md'}")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--id", "row_id", required=True, help="Row id (see the `id` column).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="PNG to write: the crop, the posed body and the captions (default: <id>.png).")
def show(directory, row_id, output):
    """Print one row and render it next to its image crop."""
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    _manifest(directory)
    table = ds.dataset(Path(directory) / DATA_DIR, format="parquet").to_table(
        filter=pc.field("id") == row_id).to_pylist()
    if not table:
        fail(f"{directory}: no row with id {row_id!r}")
    row = table[0]
    for key in ("id", "split", "source", "subject_id", "sequence_id", "frame", "time_s", "crop_box"):
        click.echo(f"{key}: {row[key]}")
    for k, caption in enumerate(row["captions"]):
        click.echo(f"caption {k}: {caption}")
    click.echo("contacts: " + (", ".join(f"{c['part_a']}-{c['part_b']}" for c in row["contacts"]) or "none"))
    click.echo(f"posecodes: {len(row['posecodes'])} describable")
    from bedlam_tools.render import BodyRenderer, contact_sheet
    from posescript_pipeline.body import create

    crop = decode_image(row["image"])
    mesh = create().mesh(np.asarray(row["pose"], np.float32)[None])
    picture = BodyRenderer(*crop.shape[1::-1]).render(mesh.vertices[0], mesh.faces)
    path = output or f"{row_id.replace('/', '_')}.png"
    contact_sheet([crop, picture], [f"{row_id} (image crop)", " ".join(row["captions"])], columns=2).save(path)
    click.echo(f"picture: {path}")
