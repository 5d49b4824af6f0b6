"""`bedlam-fix`: pose pairs with comparative instructions (BEDLAM-Fix) from a BEDLAM-Script folder."""
from pathlib import Path

import click

from bedlam_tools.fix_builder import MODEL_FREE, FixBuild, FixConfig
from bedlam_tools.pair_mining import MiningConfig
from bedlam_tools.shards import read_manifest, verified_shards
from bedlam_tools.sources.base import SPLITS

from .common import ToolkitGroup, engine_options, verify_folder

DEFAULTS = MiningConfig()


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Pairs of similar-but-different poses (A -> B) with instructions to go from A to B."""


def _splits(script: str, split: str | None) -> list[str]:
    present = sorted(read_manifest(script, "bedlam-script")["splits"])
    return [split] if split else present


@main.command()
@click.option("--script", "script", type=click.Path(file_okay=False), default="data/bedlam-script", show_default=True,
              help="BEDLAM-Script folder (written by `bedlam-script build`).")
@click.option("--out", type=click.Path(file_okay=False), default="data/bedlam-fix", show_default=True,
              help="Output folder (train and val may share it).")
@click.option("--split", type=click.Choice(SPLITS), default=None, help="One split (default: every split of --script).")
@click.option("--similarity", default=MODEL_FREE, show_default=True,
              help="Semantic similarity for mining: 'posecodes' (cosine of the poses' describable posecode "
                   "statements, no model) or 'embroider:RUN' (pose embeddings of a trained PoseEmbroider run).")
@click.option("--min-similarity", type=float, default=DEFAULTS.min_similarity, show_default=True,
              help="A and B must be more similar than this (strict).")
@click.option("--max-similarity", type=float, default=DEFAULTS.max_similarity, show_default=True,
              help="... and less similar than this (strict): not near-duplicates.")
@click.option("--top-k", type=click.IntRange(1), default=DEFAULTS.top_k, show_default=True,
              help="Only each B's K most similar poses can be its A.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same pairs and instructions.")
@engine_options
@click.option("--card-images", type=click.Choice(["render", "crops", "none"]), default="render", show_default=True,
              help="Example pairs in the card: posed bodies (the crops when OpenGL is missing), the image "
                   "crops, or none.")
def pairs(script, out, split, similarity, min_similarity, max_similarity, top_k, seed, workers, engine, ray_address,
          rows_per_shard, card_images):
    """Mine pose pairs from a BEDLAM-Script folder and write three instructions per pair.

    In-sequence pairs: same subject and sequence, B less than 0.5 s after A, each the other's
    closest in time. Out-of-sequence pairs: same or other subject. Both must be semantically
    similar (similarity strictly between the bounds, among B's top-k) but visibly different (more
    than 15 / 20 differing posecode categories). Writes data/*.parquet, manifest.json,
    rejects-<split>.jsonl and a README.md card; an interrupted build resumes where it stopped.
    """
    mining = MiningConfig(top_k=top_k, min_similarity=min_similarity, max_similarity=max_similarity)
    for name in _splits(script, split):
        config = FixConfig(split=name, similarity=similarity, seed=seed, rows_per_shard=rows_per_shard, mining=mining)
        built = FixBuild(config, Path(script), Path(out), card_images).run(workers=workers, engine=engine,
                                                                           ray_address=ray_address)
        _summary(out, name)
        if not built:
            click.echo("  already complete with these options (every shard checked): nothing to do")


def _summary(out, split):
    c = read_manifest(out, "bedlam-fix")["splits"][split]["counts"]
    click.echo(f"{split}: {c['rows']:,} pairs from {c['poses']:,} poses (in-sequence {c['in']:,}, out-of-sequence "
               f"same subject {c['out-same-subject']:,}, other subject {c['out-other-subject']:,}), "
               f"{c['rejects']:,} rejects -> {out}")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
def info(directory):
    """Summarise a BEDLAM-Fix folder: counts per pair type, shards, configuration."""
    content = read_manifest(directory, "bedlam-fix")
    verified_shards(directory)
    for split, entry in sorted(content["splits"].items()):
        _summary(directory, split)
        cfg = entry["config"]
        click.echo(f"  {len(entry['shards'])} shards, similarity {cfg['similarity']}, seed {cfg['seed']}, "
                   f"from {entry['script']}")
    click.echo(f"card: {Path(directory) / 'README.md'}")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
def verify(directory):
    """Check every shard of a BEDLAM-Fix folder against the sha256 its manifest records."""
    verify_folder(directory, "bedlam-fix")
