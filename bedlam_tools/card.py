"""The dataset card: a README.md next to the shards, with counts, schema, caption lengths,
posecode and contact frequencies, and a contact sheet of example images with their captions."""
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.dataset as ds

from . import shards

EXAMPLES = 12
TAGS = ("human-pose", "3d", "text", "pose-description", "synthetic")


def yaml_header(manifest: dict, schema, pretty_name: str) -> str:
    """The card's YAML front matter as the Hugging Face hub reads it: the parquet files of each split
    (`configs`), the features and split sizes (`dataset_info`)."""
    import yaml

    from .hf_features import card_features

    splits = sorted(manifest["splits"])
    header = {
        "pretty_name": pretty_name, "tags": list(TAGS),
        "configs": [{"config_name": "default", "data_files": [
            {"split": split, "path": f"{shards.DATA_DIR}/{split}-*.parquet"} for split in splits]}],
        "dataset_info": {"features": card_features(schema), "splits": [
            {"name": split, "num_examples": manifest["splits"][split]["counts"]["rows"]} for split in splits]},
    }
    return "---\n" + yaml.safe_dump(header, sort_keys=False, width=120) + "---"


def loading(manifest: dict, columns: str) -> str:
    """How to load the folder (its splits only) with datasets, pandas, pyarrow and duckdb."""
    files = ", ".join(f'"{split}": "data/{split}-*.parquet"' for split in sorted(manifest["splits"]))
    return f"""From this folder (the shards are in `data/`):

```python
from datasets import load_dataset
data = load_dataset(".")                                   # every split, as the YAML header above declares
data = load_dataset("parquet", data_files={{{files}}})
rows = data[next(iter(data))].with_format("numpy")         # 52x3 poses as arrays; images as PIL images without it
import pandas as pd;  df = pd.read_parquet("data")
import pyarrow.dataset as ds;  table = ds.dataset("data").to_table()
import duckdb;  duckdb.sql("SELECT {columns} FROM 'data/*.parquet' LIMIT 5")
```"""


def write_card(out: Path, manifest: dict):
    out = Path(out)
    (out / "card").mkdir(exist_ok=True)
    sections = [yaml_header(manifest, shards.SCRIPT_SCHEMA, "BEDLAM-Script"), "", "# BEDLAM-Script dataset", "",
                "Images of people, their 3D pose (SMPL-H axis-angle and canonical joints) and three automatic "
                "captions per pose (PoseScript posecodes: full, simplified, pruned), built by the posescript "
                "toolkit (`bedlam-script build`).", "", _counts(manifest), "", "## Loading", "",
                loading(manifest, "id, captions"), "", "## Schema", "",
                schema_table(columns_help={**shards.SCRIPT_COLUMNS_HELP, "betas": _betas_help(manifest)})]
    for split in sorted(manifest["splits"]):
        table = shards.read_rows(out, split, columns=["captions", "posecodes", "contacts", "sex"])
        if table is None:
            continue
        notes = manifest["splits"][split].get("source_notes", [])
        sections += ["", f"## {split}", "", *(f"- {note}" for note in notes), *([""] if notes else []),
                     _caption_lengths(out, split, table.column("captions").to_pylist()), "",
                     _sexes(table.column("sex").to_pylist()), "",
                     _frequencies(table), "", _examples(out, manifest, split)]
    shards.write_text_atomic("\n".join(sections) + "\n", out / "README.md")


def _counts(manifest) -> str:
    rows = ["| split | source | candidates | selected | rows | rejects | shards |", "|---|---|---|---|---|---|---|"]
    for split, info in sorted(manifest["splits"].items()):
        c = info["counts"]
        rows.append(f"| {split} | {info['config']['source']} | {c['candidates']:,} | {c['selected']:,} | "
                    f"{c['rows']:,} | {c['rejects']:,} | {len(info['shards'])} |")
    return "\n".join(rows)


def _betas_help(manifest) -> str:
    """What `betas` holds in each split (the sources' shape spaces)."""
    spaces = {split: info.get("shape_space", "") for split, info in sorted(manifest["splits"].items())}
    meanings = {shards.SHAPE_SPACES.get(space, "body shape in the source's own parameterisation")
                for space in spaces.values()}
    if len(meanings) == 1:
        return meanings.pop()
    return "; ".join(f"{split}: {shards.SHAPE_SPACES.get(space, 'the source’s parameterisation')}"
                     for split, space in spaces.items())


def schema_table(schema=shards.SCRIPT_SCHEMA, columns_help=shards.SCRIPT_COLUMNS_HELP) -> str:
    rows = ["| column | type | content |", "|---|---|---|"]
    rows += [f"| `{f.name}` | `{f.type}` | {columns_help[f.name]} |" for f in schema]
    return "\n".join(rows)


def _caption_lengths(out: Path, split: str, captions: list[list[str]]) -> str:
    labels = ("full", "simplified", "pruned")
    lengths = {label: [len(row[k].split()) for row in captions] for k, label in enumerate(labels)}
    name = f"card/{split}_caption_lengths.png"
    length_histogram(out / name, lengths, "caption")
    means = ", ".join(f"{label} {np.mean(v):.0f}" for label, v in lengths.items())
    return f"Caption length (mean words: {means}):\n\n![caption lengths]({name})"


def length_histogram(path: Path, lengths: dict[str, list[int]], unit: str):
    """A PNG histogram of words per text, one overlaid series per label (empty series left out)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    for label, values in lengths.items():
        if values:
            ax.hist(values, bins=40, alpha=0.5, label=label)
    ax.set_xlabel(f"words per {unit}")
    ax.set_ylabel(f"{unit}s")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _sexes(sexes: list[str]) -> str:
    """The split of the bodies' sex, which the captions' gendered words follow."""
    counts = Counter(sexes)
    shares = ", ".join(f"{label} {counts.get(sex, 0) / max(len(sexes), 1):.1%}" for sex, label in
                       (("male", "male"), ("female", "female"), ("", "unknown or in between (neutral words only)")))
    return f"Sex of the bodies, which the captions' gendered words (he, her) follow: {shares}."


def _frequencies(table, top: int = 25) -> str:
    n = table.num_rows
    codes = Counter((p["kind"], p["subject"], p["second"], p["category"])
                    for row in table.column("posecodes").to_pylist() for p in row)
    contacts = Counter((c["part_a"], c["part_b"]) for row in table.column("contacts").to_pylist() for c in row)
    lines = [f"Most frequent describable posecodes (share of {n:,} poses):", "",
             "| kind | subject | second part | category | share |", "|---|---|---|---|---|"]
    lines += [f"| {k} | {s} | {second or '-'} | {c} | {v / n:.1%} |" for (k, s, second, c), v in codes.most_common(top)]
    with_contact = sum(1 for row in table.column("contacts").to_pylist() if row)
    lines += ["", f"Poses with at least one self-contact: {with_contact / max(n, 1):.1%}. Most frequent contacts:", "",
              "| parts | share |", "|---|---|"]
    lines += [f"| {a} - {b} | {v / n:.1%} |" for (a, b), v in contacts.most_common(10)]
    return "\n".join(lines)


def _examples(out: Path, manifest: dict, split: str) -> str:
    from .render import contact_sheet

    files = [str(f) for f in shards.shard_files(out, manifest, split)]
    rows = ds.dataset(files, format="parquet").to_table(
        columns=["id", "image", "captions", "selection_rank"], filter=pc.field("selection_rank") < EXAMPLES)
    rows = rows.sort_by("selection_rank").to_pylist()
    images = [shards.decode_image(r["image"]) for r in rows]
    sheet = contact_sheet(images, [f"{r['id']}: {r['captions'][0]}" for r in rows], columns=4)
    name = f"card/{split}_examples.png"
    sheet.save(out / name)
    return (f"The {len(rows)} most diverse poses (the first picks of farthest point sampling): image crop and "
            f"first caption:\n\n![examples]({name})")
