"""The BEDLAM-Fix dataset card: counts per pair type against the published dataset, schema,
instruction lengths, and example pairs drawn side by side (A then B) with their instructions."""
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.dataset as ds

from . import shards
from .card import length_histogram, loading, schema_table, yaml_header

EXAMPLES = 6  # pairs drawn per split
PUBLISHED = {"train": (50_000, 54_000), "val": (10_000, 12_000)}  # poses and pairs of the published BEDLAM-Fix
VERSIONS = ("normal", "simplified", "normal (new draw)")
JOINING = ("Images, captions and joints of A and B: join `id_a` / `id_b` with the `id` column of the BEDLAM-Script "
           "folder.")


def write_fix_card(out: Path, manifest: dict, script_dir: Path, images: str = "render"):
    """README.md of a BEDLAM-Fix folder. images: "render" (posed Anny bodies, front and side views),
    "crops" (the BEDLAM-Script image crops) or "none"."""
    out = Path(out)
    (out / "card").mkdir(exist_ok=True)
    sections = [yaml_header(manifest, shards.FIX_SCHEMA, "BEDLAM-Fix"), "", "# BEDLAM-Fix dataset", "",
                "Pairs of BEDLAM-Script poses (A = start, B = target) that are semantically similar but visibly "
                "different, each with up to three automatic instructions saying how to go from A to B (PoseFix "
                "paircodes), built by the posescript toolkit (`bedlam-fix pairs`).", "", _counts(manifest), "",
                "## Loading", "", loading(manifest, "pair_type, id_a, id_b, instructions"), JOINING, "",
                "## Schema", "",
                schema_table(shards.FIX_SCHEMA, shards.FIX_COLUMNS_HELP)]
    for split in sorted(manifest["splits"]):
        table = shards.read_rows(out, split, columns=["pair_id", "pair_type", "id_a", "id_b", "instructions",
                                                       "pose_a", "pose_b"])
        if table is None:
            continue
        sections += ["", f"## {split}", "", _lengths(out, split, table.column("instructions").to_pylist())]
        if images != "none":
            sections += ["", _examples(out, split, table, Path(script_dir), images)]
    shards.write_text_atomic("\n".join(sections) + "\n", out / "README.md")


def _counts(manifest) -> str:
    rows = ["| split | poses | pairs | in-sequence | out, same subject | out, other subject | poses in a pair | "
            "rejects | published (poses / pairs) |", "|---|---|---|---|---|---|---|---|---|"]
    for split, info in sorted(manifest["splits"].items()):
        c = info["counts"]
        poses, pairs = PUBLISHED.get(split, (0, 0))
        rows.append(f"| {split} | {c['poses']:,} | {c['rows']:,} ({c['rows'] / c['poses']:.2f} per pose) | {c['in']:,} "
                    f"| {c['out-same-subject']:,} | {c['out-other-subject']:,} | {c['poses_in_pairs']:,} | "
                    f"{c['rejects']:,} | {poses:,} / ~{pairs:,} ({pairs / max(poses, 1):.2f} per pose) |")
    mining = next(iter(manifest["splits"].values()))["config"]
    return "\n".join(rows) + (
        f"\n\nMining: semantic similarity `{mining['similarity']}` strictly inside "
        f"({mining['mining']['min_similarity']}, {mining['mining']['max_similarity']}) among each B's "
        f"{mining['mining']['top_k']} most similar poses; more than {mining['mining']['min_difference_in']} (in "
        f"sequence) / {mining['mining']['min_difference_out']} (out) differing posecode categories; in-sequence B "
        f"less than {mining['mining']['max_time_diff']} s after A. Rejected pairs (nothing to say) are listed in "
        "the rejects file.")


def _lengths(out: Path, split: str, instructions: list[list[str]]) -> str:
    words = {label: [len(row[k].split()) for row in instructions if len(row) > k] for k, label in enumerate(VERSIONS)}
    name = f"card/{split}_instruction_lengths.png"
    length_histogram(out / name, words, "instruction")
    counts = np.bincount([len(row) for row in instructions], minlength=4)
    means = ", ".join(f"{label} {np.mean(w):.0f}" for label, w in words.items() if w)
    return (f"Instruction length (mean words: {means}); pairs with 3 / 2 / 1 non-empty instructions: "
            f"{counts[3]:,} / {counts[2]:,} / {counts[1]:,}:\n\n![instruction lengths]({name})")


def _example_rows(table) -> list[dict]:
    """Up to EXAMPLES pairs, taking the pair types in turn (in pair order within a type), never the same two
    poses twice (an in-sequence pair may also be mined the other way round)."""
    queues = [table.filter(pc.equal(table.column("pair_type"), kind)).slice(0, 2 * EXAMPLES).to_pylist()
              for kind in shards.PAIR_TYPES]
    rows, seen = [], set()
    while len(rows) < EXAMPLES and any(queues):
        for queue in queues:
            while queue and len(rows) < EXAMPLES:
                row = queue.pop(0)
                if frozenset((row["id_a"], row["id_b"])) not in seen:
                    seen.add(frozenset((row["id_a"], row["id_b"])))
                    rows.append(row)
                    break
    return rows


def _rendered(rows) -> list[np.ndarray]:
    """Front and side views of A, then of B, per pair."""
    from posescript_pipeline.body import create

    from .render import BodyRenderer

    poses = np.asarray([r[key] for r in rows for key in ("pose_a", "pose_b")], np.float32)
    posed = create().mesh(poses)
    renderer = BodyRenderer(176, 220)
    views = [renderer.render_views(v, posed.faces, ("front", "side")) for v in posed.vertices]
    return [_side_by_side(views[2 * i], views[2 * i + 1]) for i in range(len(rows))]


def _cropped(rows, script_dir: Path) -> list[np.ndarray]:
    ids = [r[key] for r in rows for key in ("id_a", "id_b")]
    found = ds.dataset(script_dir / shards.DATA_DIR).to_table(columns=["id", "image"],
                                                              filter=pc.field("id").isin(ids)).to_pylist()
    crop = {r["id"]: shards.decode_image(r["image"]) for r in found}
    return [_side_by_side(crop[r["id_a"]], crop[r["id_b"]]) for r in rows]


def _side_by_side(a: np.ndarray, b: np.ndarray, gap: int = 12) -> np.ndarray:
    height = max(a.shape[0], b.shape[0])
    pad = [np.pad(x, ((0, height - x.shape[0]), (0, 0), (0, 0)), constant_values=255) for x in (a, b)]
    return np.concatenate([pad[0], np.full((height, gap, 3), 255, np.uint8), pad[1]], axis=1)


def _examples(out: Path, split: str, table, script_dir: Path, images: str) -> str:
    from .render import RenderError, contact_sheet

    rows = _example_rows(table)
    try:
        pictures = _rendered(rows) if images == "render" else None
    except (RenderError, ImportError):  # no OpenGL or no body model here: the crops still show the pairs
        images = "crops"
    if images == "crops":
        pictures = _cropped(rows, script_dir)
    what = ("the posed bodies, each from the front then from its left side; in the front view the body's left is "
            "on the picture's right" if images == "render" else "their image crops")
    captions = [f"{r['pair_id']} ({r['pair_type']}): {r['instructions'][0]}" for r in rows]
    name = f"card/{split}_examples.png"
    contact_sheet(pictures, captions, columns=2).save(out / name)
    return f"Example pairs, A on the left and B on the right ({what}), with their first instruction:\n\n" \
           f"![examples]({name})"
