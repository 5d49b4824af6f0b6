"""End-to-end small builds from each real source, read back by the four readers, and the
`bedlam-script` commands a user runs (build, info, show)."""
import json

import duckdb
import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest
from click.testing import CliRunner
from datasets import load_dataset

from bedlam_tools.script_builder import BuildConfig, ScriptBuild
from bedlam_tools.sources.amass import AmassSource
from bedlam_tools.sources.bedlam import BedlamSource
from cli.bedlam_script import main
from tests.fixtures_amass import write_amass
from tests.fixtures_bedlam import LAYOUTS, SOURCE_KWARGS, write_bedlam


def read_back(out, split, tmp_path) -> pd.DataFrame:
    """The split through pandas, pyarrow, duckdb and datasets; they must agree on the ids."""
    df = pd.read_parquet(out / "data")
    df = df[df.split == split]
    assert list(ds.dataset(out / "data").to_table().column("id").to_pylist()) == list(pd.read_parquet(
        out / "data").id)
    ids = [r[0] for r in duckdb.sql(f"SELECT id FROM '{out}/data/{split}-*.parquet'").fetchall()]
    hf = load_dataset("parquet", data_files={split: str(out / "data" / f"{split}-*.parquet")},
                      cache_dir=str(tmp_path / "hf"))[split]
    assert ids == list(df.id) == hf["id"]
    return df


def check_rows(df, n_expected):
    assert len(df) == n_expected and df.id.is_unique
    assert all(len(c) == 3 and all(c) for c in df.captions)
    assert all(np.asarray(p.tolist()).shape == (52, 3) for p in df.pose)
    assert all(r["bytes"][:2] in (b"\xff\xd8", b"\x89P") for r in df.image)  # JPEG or PNG


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.filterwarnings("ignore:BEDLAM. 1 scene.s. of .* not found")  # the fixture's missing scene
def test_bedlam_fixture_build(tmp_path, layout):
    root = write_bedlam(tmp_path / "bedlam", layout)
    source = BedlamSource(root, **SOURCE_KWARGS) if layout == "bedlam" else \
        BedlamSource(root / "raw", image_root=root / "images", **SOURCE_KWARGS)
    for split in ("train", "val"):
        config = BuildConfig(split=split, n=6, source="bedlam", root=str(root), contacts=False)
        ScriptBuild(config, tmp_path / "out", source).run(progress=False, workers=1)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())["splits"]
    for split in ("train", "val"):
        counts = manifest[split]["counts"]
        image_rejects = [r for r in map(json.loads, (tmp_path / "out" / f"rejects-{split}.jsonl").read_text()
                                        .splitlines()) if r["stage"] == "image"]
        assert counts["rows"] == counts["selected"] - len(image_rejects) > 0
        check_rows(read_back(tmp_path / "out", split, tmp_path), counts["rows"])
    card = (tmp_path / "out" / "README.md").read_text()
    assert "Split by scene" in card and "2 of 3 subjects of this split also appear in train scenes" in card
    assert "Boxes: the posed default Anny mesh" in card


@pytest.mark.slow
def test_amass_fixture_build(tmp_path):
    write_amass(tmp_path / "amass")
    config = BuildConfig(split="train", n=5, source="amass", root=str(tmp_path / "amass"))
    ScriptBuild(config, tmp_path / "out", AmassSource(tmp_path / "amass")).run(progress=False, workers=1)
    check_rows(read_back(tmp_path / "out", "train", tmp_path), 5)


@pytest.mark.slow
def test_synthetic_build_info_and_show_from_the_command_line(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--split", "val", "--n", "4", "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "val: 4 rows from" in result.output and "time per stage" in result.output
    df = read_back(out, "val", tmp_path)
    check_rows(df, 4)
    assert (out / "README.md").read_text().count("![") == 2  # caption histogram and example sheet

    info = runner.invoke(main, ["info", str(out)])
    assert info.exit_code == 0 and "val: 4 rows in 1 shards, source synthetic" in info.output

    picture = tmp_path / "row.png"
    shown = runner.invoke(main, ["show", str(out), "--id", df.id.iloc[0], "-o", str(picture)])
    assert shown.exit_code == 0, shown.output
    assert df.captions.iloc[0][0] in shown.output and picture.stat().st_size > 10_000

    missing = runner.invoke(main, ["show", str(out), "--id", "nope"])
    assert missing.exit_code == 2 and "no row with id 'nope'" in missing.output


def test_build_errors_are_one_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--source", "bedlam", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "needs --root" in result.output
    result = runner.invoke(main, ["info", str(tmp_path)])
    assert result.exit_code == 2 and "no manifest.json" in result.output
