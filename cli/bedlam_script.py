"""`bedlam-script`: build, inspect and look at BEDLAM-Script datasets."""
from pathlib import Path

import click

from bedlam_tools.script_builder import DEFAULT_N, SOURCES, BuildConfig, ScriptBuild
from bedlam_tools.shards import read_manifest, read_row, verified_shards
from bedlam_tools.sources.base import SPLITS

from .common import MIN_VISIBILITY_OPTION, ToolkitGroup, engine_options, verify_folder


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Tri-modal pose datasets (image, 3D pose, 3 captions) from a pose source."""


@main.command()
@click.option("--split", type=click.Choice(SPLITS), default="train", show_default=True,
              help="train or val (synthetic, amass and photos: disjoint subjects; bedlam: by scene, see --split-by).")
@click.option("--n", type=click.IntRange(1), default=None,
              help="Poses to keep, the most diverse first (default 50,000 train, 10,000 val).")
@click.option("--source", type=click.Choice(list(SOURCES)), default="synthetic", show_default=True,
              help="synthetic: the embedded BEDLAM-like world (no files needed); bedlam / amass: your download; "
                   "photos: your photos of people (3D joints estimated by BlazePose).")
@click.option("--root", type=click.Path(exists=True, file_okay=False), default=None,
              help="The folder of your BEDLAM or AMASS download, or of your photos.")
@click.option("--out", type=click.Path(file_okay=False), default="data/bedlam-script", show_default=True,
              help="Output folder (train and val may share it).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same dataset.")
@engine_options
@click.option("--no-contacts", is_flag=True, help="Skip self-contact detection on the body mesh.")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None,
              help="Your SMPL-X model files (bedlam/amass sources; default: the free Anny body).")
@click.option("--image-root", type=click.Path(exists=True, file_okay=False), default=None,
              help="bedlam: the images' tree when kept apart from the csv files, e.g. <img>/{training,validation}/.")
@click.option("--csv-root", type=click.Path(exists=True, file_okay=False), default=None,
              help="bedlam: the csv files' tree, e.g. <raw>/csv/ (default: --root).")
@click.option("--motion-dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="bedlam: the motion folder (default: neutral_ground_truth_motioninfo or "
                   "lockedhead_16betas_motioninfo found below --root).")
@click.option("--split-by", type=click.Choice(["scene", "subject"]), default="scene", show_default=True,
              help="bedlam: the published scene split, or no subject in both splits (drops most of val).")
@MIN_VISIBILITY_OPTION
def build(split, n, source, root, out, seed, workers, engine, ray_address, rows_per_shard, no_contacts, model_dir,
          image_root, csv_root, motion_dir, split_by, min_visibility):
    """Select diverse poses by farthest point sampling, caption them and write parquet shards.

    A build that was interrupted resumes from its completed shards when started again with the
    same options, and ends with the same files as an uninterrupted build.
    """
    config = BuildConfig(split=split, n=n or DEFAULT_N[split], source=source, root=root, seed=seed,
                         rows_per_shard=rows_per_shard, contacts=not no_contacts, model_dir=model_dir,
                         image_root=image_root, csv_root=csv_root, motion_dir=motion_dir, split_by=split_by,
                         min_visibility=min_visibility)
    timings = ScriptBuild(config, Path(out)).run(workers=workers, engine=engine, ray_address=ray_address)
    summary = read_manifest(out, "bedlam-script")["splits"][split]["counts"]
    click.echo(f"{split}: {summary['rows']:,} rows from {summary['candidates']:,} candidates, "
               f"{summary['rejects']:,} rejects -> {out}")
    if timings:
        click.echo("time per stage: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    else:
        click.echo("already complete with these options (every shard checked): nothing to do")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
def info(directory):
    """Summarise a dataset folder: counts, shards, configuration."""
    manifest = read_manifest(directory, "bedlam-script")
    verified_shards(directory)
    for split, entry in sorted(manifest["splits"].items()):
        c, cfg = entry["counts"], entry["config"]
        click.echo(f"{split}: {c['rows']:,} rows in {len(entry['shards'])} shards, source {cfg['source']}, "
                   f"seed {cfg['seed']}; {c['candidates']:,} candidates, {c['rejects']:,} rejects "
                   f"({entry['rejects_file']})")
    click.echo(f"card: {Path(directory) / 'README.md'}")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
def verify(directory):
    """Check every shard of a dataset folder against the sha256 its manifest records."""
    verify_folder(directory, "bedlam-script")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--id", "row_id", required=True, help="Row id (see the `id` column).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Picture to write (.png or .jpg): the crop, the posed body and the captions (default: <id>.png).")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None,
              help="Your SMPL-X model files, to draw rows built with them on their own body (default: Anny).")
def show(directory, row_id, output, model_dir):
    """Print one row and draw it: its image crop beside its pose on its body, with its captions."""
    from bedlam_tools.render import save_picture
    from bedlam_tools.render.rows import row_picture

    manifest = read_manifest(directory, "bedlam-script")
    row = read_row(directory, row_id)
    path = output or f"{row_id.replace('/', '_')}.png"
    save_picture(row_picture(row, manifest["splits"][row["split"]].get("shape_space", ""), model_dir), path)
    for key in ("id", "split", "source", "subject_id", "sequence_id", "frame", "time_s", "sex", "crop_box"):
        click.echo(f"{key}: {row[key]}")
    for k, caption in enumerate(row["captions"]):
        click.echo(f"caption {k}: {caption}")
    click.echo("contacts: " + (", ".join(f"{c['part_a']}-{c['part_b']}" for c in row["contacts"]) or "none"))
    click.echo(f"posecodes: {len(row['posecodes'])} describable")
    click.echo(f"picture: {path}")
