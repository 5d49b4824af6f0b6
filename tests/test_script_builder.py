"""BEDLAM-Script builds on a tiny source: files, loaders, rejects, resume, workers and engines."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from bedlam_tools import script_builder
from bedlam_tools.script_builder import BuildConfig, BuildError, ScriptBuild
from tests.toy_source import ToySource

CONFIG = BuildConfig(split="train", n=12, source="toy", rows_per_shard=5, contacts=False)


def build(out: Path, config=CONFIG, **kw):
    ScriptBuild(config, out, ToySource()).run(progress=False, **kw)
    return out


def files(directory: Path) -> dict:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("script") / "out", workers=1)


def test_output_files_and_manifest(built):
    names = set(files(built))
    assert {"data/train-00000.parquet", "data/train-00001.parquet", "data/train-00002.parquet", "manifest.json",
            "README.md",
            "rejects-train.jsonl", "card/train_caption_lengths.png", "card/train_examples.png"} <= names
    assert not any(n.endswith(".tmp") for n in names)
    manifest = json.loads((built / "manifest.json").read_text())["splits"]["train"]
    assert manifest["counts"] == {"candidates": 40, "candidate_rejects": 1, "selected": 12, "rows": 11, "rejects": 2}
    assert [e["rows"] for e in manifest["shards"]] == [4, 5, 2]  # the broken pose was in the first shard
    for entry in manifest["shards"]:
        from bedlam_tools.shards import sha256
        assert sha256(built / entry["file"]) == entry["sha256"]


def test_rejects_are_written_with_their_reason(built):
    rejects = [json.loads(line) for line in (built / "rejects-train.jsonl").read_text().splitlines()]
    assert rejects == [{"id": "toy/unreadable", "reason": "corrupt test record", "stage": "candidates"},
                       {"id": "toy/s0/q0/f0000", "reason": "image file is corrupt (test)", "stage": "image"}]


def test_shards_load_in_the_four_readers(built):
    import duckdb
    import pandas as pd
    import pyarrow.dataset as ds
    from datasets import load_dataset

    rows = json.loads((built / "manifest.json").read_text())["splits"]["train"]["counts"]["rows"]
    df = pd.read_parquet(built / "data")
    assert len(df) == rows and len(df.captions[0]) == 3 and np.asarray(df.pose[0].tolist()).shape == (52, 3)
    assert ds.dataset(built / "data").to_table().num_rows == rows
    assert duckdb.sql(f"SELECT count(*) FROM '{built}/data/train-*.parquet'").fetchall()[0][0] == rows
    data = load_dataset("parquet", data_files={"train": str(built / "data" / "train-*.parquet")},
                        cache_dir=str(built.parent / "hf"))["train"]
    assert data.num_rows == rows and data[0]["image"].format == "PNG" and data[0]["image"].size == (192, 256)
    assert data.with_format("numpy")[0]["pose"].shape == (52, 3)


def test_the_card_names_the_second_parts_the_sexes_and_the_betas(built):
    card = (built / "README.md").read_text()
    assert "| kind | subject | second part | category | share |" in card
    assert "Sex of the bodies, which the captions' gendered words (he, her) follow: male 0.0%" in card
    assert "| `betas` | `list<item: float>` | body shape in the source's own parameterisation |" in card


def test_the_card_makes_the_folder_a_hub_dataset(built):
    import yaml
    from datasets import Features, load_dataset

    from bedlam_tools.shards import SCRIPT_SCHEMA

    text = (built / "README.md").read_text()
    assert text.startswith("---\n")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["configs"] == [{"config_name": "default", "data_files": [{"split": "train",
                                                                            "path": "data/train-*.parquet"}]}]
    assert header["dataset_info"]["features"] == Features.from_arrow_schema(SCRIPT_SCHEMA)._to_yaml_list()
    assert header["dataset_info"]["splits"] == [{"name": "train", "num_examples": 11}]
    assert 'data_files={"train": "data/train-*.parquet"})' in text and "val-" not in text  # the splits it has
    data = load_dataset(str(built), cache_dir=str(built.parent / "hf-folder"))
    assert list(data) == ["train"] and data["train"].num_rows == 11 and data["train"][0]["image"].format == "PNG"


def test_rows_follow_the_selection_and_captions(built):
    import pandas as pd

    from posescript_pipeline.sampling import farthest_point_sampling

    df = pd.read_parquet(built / "data")
    assert df.id.is_unique and set(df.split) == {"train"} and set(df.source) == {"toy"}
    cands = ToySource().candidates("train")
    picks = list(farthest_point_sampling(cands.joints[:, :22], 12).indices)
    kept = sorted(picks)[1:]  # candidate order, minus the broken first pick (candidate 0)
    assert list(df.id) == [cands.ids[i] for i in kept]
    assert list(df.selection_rank) == [picks.index(i) for i in kept]
    assert all(len(c) == 3 and all(len(t) > 20 for t in c) for c in df.captions)
    assert all(len(p) > 5 for p in df.posecodes)


def interrupted_after_one_call(real):
    """real, but a second call raises KeyboardInterrupt (a build stopped by the user after one shard)."""
    calls = []

    def dies_after_one(*args):
        if calls:
            raise KeyboardInterrupt
        calls.append(1)
        return real(*args)
    return dies_after_one


def test_a_resumed_build_ends_with_the_same_files(built, tmp_path, monkeypatch):
    real = script_builder.build_shard
    monkeypatch.setattr(script_builder, "build_shard", interrupted_after_one_call(real))
    with pytest.raises(KeyboardInterrupt):
        build(tmp_path / "out", workers=1)
    assert (tmp_path / "out" / "data" / "train-00000.parquet").exists() and not (tmp_path / "out" / "manifest.json").exists()
    monkeypatch.setattr(script_builder, "build_shard", real)
    assert files(build(tmp_path / "out", workers=1)) == files(built)


def test_worker_count_does_not_change_the_output(built, tmp_path):
    assert files(build(tmp_path / "out", workers=2)) == files(built)


def test_another_configuration_in_the_same_folder_is_refused(built, tmp_path):
    out = build(tmp_path / "out", workers=1)
    with pytest.raises(BuildError, match="another configuration"):
        build(out, BuildConfig(split="train", n=10, source="toy", rows_per_shard=5, contacts=False))


def test_train_and_val_share_a_folder_and_no_subject(tmp_path):
    out = build(tmp_path / "out", workers=1)
    build(out, BuildConfig(split="val", n=6, source="toy", rows_per_shard=5, contacts=False), workers=1)
    import pandas as pd
    df = pd.read_parquet(out / "data")
    assert set(df.split) == {"train", "val"}
    assert not set(df[df.split == "train"].subject_id) & set(df[df.split == "val"].subject_id)
    assert set(json.loads((out / "manifest.json").read_text())["splits"]) == {"train", "val"}


@pytest.mark.slow
def test_ray_engine_writes_identical_shards(built, tmp_path):
    pytest.importorskip("ray")
    assert files(build(tmp_path / "out", engine="ray", workers=2)) == files(built)


@pytest.mark.slow
def test_contacts_are_found_on_the_body_mesh_and_said(tmp_path):
    import pandas as pd

    config = BuildConfig(split="train", n=8, source="toy", rows_per_shard=8, contacts=True)
    ScriptBuild(config, tmp_path, ToySource(broken="none")).run(progress=False, workers=1)
    df = pd.read_parquet(tmp_path / "data")
    touching = df[df.contacts.map(len) > 0]
    assert len(df) == 8 and len(touching) >= 2  # random arm rotations often press an arm into the body
    for captions in touching.captions:
        assert all(re.search(r"touching|in contact|brushing", c) for c in captions), captions
