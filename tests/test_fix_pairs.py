"""BEDLAM-Fix builds on a tiny BEDLAM-Script output: files, mining constraints on the output, direction
A -> B, determinism, resume, the embroider similarity, rejects and the CLI."""
import json
import shutil
import sys
import types

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from bedlam_tools import fix_builder, shards
from bedlam_tools.fix_builder import FixBuild, FixConfig, FixError, write_instructions
from bedlam_tools.pair_mining import MiningConfig, posecode_categories, posecode_features
from bedlam_tools.script_builder import BuildConfig, ScriptBuild
from cli.bedlam_fix import main as bedlam_fix
from posescript_pipeline.compare import compare
from posescript_pipeline.skeleton import JOINT_INDEX
from tests.motion_source import MotionSource
from tests.test_script_builder import files, interrupted_after_one_call

CONFIG = FixConfig(split="train", rows_per_shard=40)


@pytest.fixture(scope="module")
def script(tmp_path_factory):
    out = tmp_path_factory.mktemp("fix") / "script"
    ScriptBuild(BuildConfig(split="train", n=90, source="motion", rows_per_shard=40, contacts=False), out,
                MotionSource()).run(progress=False, workers=1)
    return out


def fix(script, out, config=CONFIG, **kw):
    FixBuild(config, script, out, card_images="crops").run(progress=False, **kw)
    return out


@pytest.fixture(scope="module")
def built(script):
    return fix(script, script.parent / "out", workers=1)


@pytest.fixture(scope="module")
def rows(built):
    return pd.read_parquet(built / "data")


@pytest.fixture(scope="module")
def poses(script):
    return pd.read_parquet(script / "data").set_index("id")


def test_files_manifest_and_card(built, rows):
    names = set(files(built))
    assert {"data/train-00000.parquet", "manifest.json", "README.md", "rejects-train.jsonl",
            "card/train_instruction_lengths.png", "card/train_examples.png"} <= names
    assert not any(n.endswith(".tmp") for n in names)
    c = json.loads((built / "manifest.json").read_text())["splits"]["train"]["counts"]
    rejects = (built / "rejects-train.jsonl").read_text().splitlines()
    assert c["rows"] == len(rows) and c["rejects"] == len(rejects) and c["mined"] == c["rows"] + c["rejects"]
    assert c["in"] > 0 and c["out-same-subject"] > 0 and c["out-other-subject"] > 0
    assert c["in"] + c["out-same-subject"] + c["out-other-subject"] == c["rows"]
    assert rows.pair_id.is_unique and list(rows.pair_id) == sorted(rows.pair_id)
    card = (built / "README.md").read_text()
    assert "54,000" in card and f"| {c['rows']:,} " in card and "![examples](card/train_examples.png)" in card


def test_the_card_makes_the_folder_a_hub_dataset(built):
    import yaml
    from datasets import Features, load_dataset

    header = yaml.safe_load((built / "README.md").read_text().split("---\n")[1])
    assert header["configs"][0]["data_files"] == [{"split": "train", "path": "data/train-*.parquet"}]
    assert header["dataset_info"]["features"] == Features.from_arrow_schema(shards.FIX_SCHEMA)._to_yaml_list()
    data = load_dataset(str(built), cache_dir=str(built.parent / "hf-folder"))["train"]
    assert data.num_rows == header["dataset_info"]["splits"][0]["num_examples"]
    assert data.with_format("numpy")[0]["pose_a"].shape == (52, 3)


def test_mining_constraints_hold_on_the_output(rows, poses):
    joints = np.stack([np.stack(j) for j in poses.joints]).astype(np.float32)
    cats, supers = posecode_categories(joints)
    features, scale = posecode_features(cats, supers)
    sim = features @ features.T * scale[:, None] * scale[None]
    np.fill_diagonal(sim, -np.inf)
    table = np.concatenate([cats, supers], axis=1)
    index = {pid: i for i, pid in enumerate(poses.index)}
    a, b = rows.id_a.map(index).to_numpy(), rows.id_b.map(index).to_numpy()
    s = sim[b, a]
    np.testing.assert_allclose(rows.similarity, s, atol=1e-5)
    assert ((s > 0.7) & (s < 0.9)).all()
    top = ((sim[b] > s[:, None]).sum(1) < 100) | ((sim[a] > s[:, None]).sum(1) < 100)  # reversed pairs: in A's
    assert top.all()
    diff = (table[a] != table[b]).sum(1)
    np.testing.assert_array_equal(rows.posecode_difference, diff)
    same_seq = (poses.subject_id.to_numpy()[a] == poses.subject_id.to_numpy()[b]) & (
        poses.sequence_id.to_numpy()[a] == poses.sequence_id.to_numpy()[b])
    dt = poses.time_s.to_numpy()[b] - poses.time_s.to_numpy()[a]
    inside = rows.in_sequence.to_numpy()
    assert (same_seq == inside).all()
    assert ((dt[inside] > 0) & (dt[inside] < 0.5)).all() and (diff[inside] > 15).all()
    assert (diff[~inside] > 20).all()
    np.testing.assert_allclose(rows.time_diff_s[inside], dt[inside], atol=1e-4)
    assert rows.time_diff_s[~inside].isna().all()
    for kind in (inside, ~inside):  # a pose is A at most once and B at most once in sequence; B once out
        assert rows.id_b[kind].is_unique
    assert rows.id_a[inside].is_unique
    same_subject = poses.subject_id.to_numpy()[a] == poses.subject_id.to_numpy()[b]
    assert (rows.same_subject == same_subject).all()
    assert set(rows.pair_type[~inside & same_subject]) <= {"out-same-subject"}


def test_rows_go_from_a_to_b(rows, poses):
    for row in rows.head(12).itertuples():
        pa_, pb = (np.stack(poses.pose[i]).astype(np.float32) for i in (row.id_a, row.id_b))
        np.testing.assert_array_equal(np.stack(row.pose_a), pa_)
        np.testing.assert_array_equal(np.stack(row.pose_b), pb)
        ja, jb = (np.stack(poses.joints[i]).astype(np.float32)[None] for i in (row.id_a, row.id_b))
        again = compare(ja, jb, pa_[None], pb[None], pair_ids=[f"{row.id_a}->{row.id_b}"], texts=3,
                        contacts_a=[[]], contacts_b=[[]])
        assert list(row.instructions) == [t for t in again.texts[0] if t]
        knee = [p for p in row.paircodes if p["kind"] == "pair_relativePosY" and p["subject"] == "left_knee"]
        y = JOINT_INDEX["left_knee"]
        for p in knee:  # paircode values are A - B; "higher" means B's knee is higher
            assert p["value"] == pytest.approx(ja[0, y, 1] - jb[0, y, 1], abs=1e-4)
            assert (p["value"] < 0) == (p["category"] in ("higher", "slightly higher"))


def test_in_sequence_instructions_follow_the_motion(rows, poses):
    """The squat motion: B is deeper than A, so its in-sequence pairs bend the knees, never straighten them."""
    squat = rows[rows.in_sequence & rows.id_a.str.contains("/q0/")]
    assert len(squat)
    for row in squat.itertuples():
        said = " ".join(row.instructions)
        assert not any(w in said for w in ("straighten", "unbend", "extend")), said
        cats = {p["category"] for p in row.paircodes if p["kind"] == "pair_angle"}
        assert not cats & {"bent less", "bent much less", "bent slightly less"}, cats


def test_same_inputs_same_files_and_resume(script, built, tmp_path, monkeypatch):
    assert files(fix(script, tmp_path / "again", workers=1)) == files(built)
    real = fix_builder.write_instructions
    monkeypatch.setattr(fix_builder, "write_instructions", interrupted_after_one_call(real))
    with pytest.raises(KeyboardInterrupt):
        fix(script, tmp_path / "stopped", workers=1)
    assert (tmp_path / "stopped" / "data" / "train-00000.parquet").exists()
    assert not (tmp_path / "stopped" / "manifest.json").exists()
    monkeypatch.setattr(fix_builder, "write_instructions", real)
    assert files(fix(script, tmp_path / "stopped", workers=1)) == files(built)


@pytest.mark.slow  # spawning workers takes seconds
def test_worker_count_does_not_change_the_output(script, built, tmp_path):
    assert files(fix(script, tmp_path / "two", workers=2)) == files(built)


@pytest.mark.slow
def test_ray_engine_writes_identical_shards(script, built, tmp_path):
    pytest.importorskip("ray")
    assert files(fix(script, tmp_path / "ray", engine="ray", workers=2)) == files(built)


def test_another_seed_gives_other_instructions(script, rows, tmp_path):
    other = pd.read_parquet(fix(script, tmp_path / "seed1", FixConfig(split="train", seed=1, rows_per_shard=40),
                                workers=1) / "data")
    shared = rows.merge(other, on=["id_a", "id_b"])
    assert len(shared) and (shared.instructions_x.map(list) != shared.instructions_y.map(list)).any()
    with pytest.raises(FixError, match="other poses or options"):
        fix(script, tmp_path / "seed1", workers=1)


def test_embroider_similarity_uses_the_run_embeddings(script, tmp_path, monkeypatch):
    """A stand-in for the trainer's pose_embeddings (the agreed interface)."""
    seen = {}

    def pose_embeddings(run_dir, table):
        seen["run"], seen["rows"] = run_dir, table.num_rows
        pose = np.stack([np.stack(p) for p in table.column("pose").to_pylist()]).reshape(table.num_rows, -1)
        emb = pose[:, 3:66] + 0.3
        return (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)

    monkeypatch.setitem(sys.modules, "bedlam_tools.embroider.inference",
                        types.SimpleNamespace(pose_embeddings=pose_embeddings))
    run = tmp_path / "run"
    run.mkdir()
    config = FixConfig(split="train", similarity=f"embroider:{run}", mining=MiningConfig(min_similarity=0.5,
                                                                                        max_similarity=0.99))
    out = fix(script, tmp_path / "emb", config, workers=1)
    got = pd.read_parquet(out / "data")
    assert seen == {"run": str(run), "rows": 90} and len(got)
    poses = pd.read_parquet(script / "data").set_index("id")
    emb = pose_embeddings(run, __import__("pyarrow").Table.from_pandas(poses.reset_index()[["pose"]]))
    index = {pid: i for i, pid in enumerate(poses.index)}
    cos = (emb[got.id_a.map(index)] * emb[got.id_b.map(index)]).sum(1)
    np.testing.assert_allclose(got.similarity, cos, atol=1e-5)


def test_embroider_errors_are_one_line(script, tmp_path, monkeypatch):
    with pytest.raises(FixError, match="embroider run not found"):
        fix(script, tmp_path / "a", FixConfig(split="train", similarity=f"embroider:{tmp_path / 'nope'}"))
    monkeypatch.setitem(sys.modules, "bedlam_tools.embroider.inference", None)  # import fails
    with pytest.raises(FixError, match="trainer not installed"):
        fix(script, tmp_path / "b", FixConfig(split="train", similarity=f"embroider:{tmp_path}"))
    with pytest.raises(FixError, match="expected posecodes or embroider:RUN"):
        fix(script, tmp_path / "c", FixConfig(split="train", similarity="clip"))


def test_pairs_with_nothing_to_say_are_rejects(poses):
    pose = np.stack([np.stack(p) for p in poses.pose[:2]]).astype(np.float32)
    joints = np.stack([np.stack(p) for p in poses.joints[:2]]).astype(np.float32)
    ids = list(poses.index[:2])
    job = {"split": "train", "pair_id": ["train-000000", "train-000001"], "pair_type": ["out-other-subject"] * 2,
           "id_a": ids, "id_b": [ids[0], ids[0]], "same_subject": [True, False], "in_sequence": [False, False],
           "time_diff_s": [np.nan, np.nan], "similarity": [0.8, 0.8], "posecode_difference": [30, 30],
           "joints_a": joints, "joints_b": joints[[0, 0]], "pose_a": pose, "pose_b": pose[[0, 0]],
           "contacts_a": [[], []], "contacts_b": [[], []]}
    table, rejects = write_instructions(job, seed=0)
    assert table.column("pair_id").to_pylist() == ["train-000001"]
    assert rejects == [{"pair_id": "train-000000", "id_a": ids[0], "id_b": ids[0], "stage": "instructions",
                        "reason": "no difference to describe (all 3 instructions empty)"}]


# --- CLI
def test_cli_pairs_and_info(script, tmp_path):
    runner = CliRunner()
    result = runner.invoke(bedlam_fix, ["pairs", "--script", str(script), "--out", str(tmp_path / "cli"),
                                        "--workers", "1", "--card-images", "none"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("train: ") and "in-sequence" in result.stdout
    info = runner.invoke(bedlam_fix, ["info", str(tmp_path / "cli")])
    assert info.exit_code == 0 and "similarity posecodes" in info.output


def test_cli_pairs_every_split_of_the_script_folder(script, tmp_path):
    both = tmp_path / "script"
    shutil.copytree(script, both)
    ScriptBuild(BuildConfig(split="val", n=30, source="motion", rows_per_shard=40, contacts=False), both,
                MotionSource()).run(progress=False, workers=1)
    result = CliRunner().invoke(bedlam_fix, ["pairs", "--script", str(both), "--out", str(tmp_path / "fix"),
                                             "--workers", "1", "--card-images", "none"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "fix" / "manifest.json").read_text())["splits"]
    assert set(manifest) == {"train", "val"} and manifest["val"]["counts"]["poses"] == 30
    val = pd.read_parquet(tmp_path / "fix" / "data" / "val-00000.parquet")
    assert set(val.split) == {"val"} and val.id_a.str.contains("/m3/").all()
    assert "## val" in (tmp_path / "fix" / "README.md").read_text()


@pytest.mark.parametrize("args", [
    lambda script, tmp: ["pairs", "--script", str(tmp / "nothing"), "--out", str(tmp / "x")],
    lambda script, tmp: ["pairs", "--script", str(script), "--out", str(tmp / "x"), "--similarity", "embroider:/nope"],
    lambda script, tmp: ["info", str(tmp)],
    lambda script, tmp: ["info", str(script)],
    lambda script, tmp: ["pairs", "--script", str(tmp / "out"), "--out", str(tmp / "x")],  # a BEDLAM-Fix folder
])
def test_cli_user_errors_exit_2(script, built, tmp_path, args):
    shutil.copytree(built, tmp_path / "out")
    result = CliRunner().invoke(bedlam_fix, args(script, tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")


def test_card_falls_back_to_the_crops_without_opengl(script, tmp_path, monkeypatch):
    from bedlam_tools import fix_card
    from bedlam_tools.render import RenderError

    def no_gl(rows):
        raise RenderError("no OpenGL here (test)")

    monkeypatch.setattr(fix_card, "_rendered", no_gl)
    out = tmp_path / "no_gl"
    FixBuild(CONFIG, script, out, card_images="render").run(progress=False, workers=1)
    assert "their image crops" in (out / "README.md").read_text() and (out / "card" / "train_examples.png").exists()


@pytest.mark.slow
def test_card_renders_the_pairs(script, tmp_path):
    from PIL import Image

    out = tmp_path / "rendered"
    FixBuild(CONFIG, script, out, card_images="render").run(progress=False, workers=1)
    picture = np.asarray(Image.open(out / "card" / "train_examples.png").convert("L"))
    assert picture.shape[1] > 4 * 176 and (picture < 200).mean() > 0.02  # bodies drawn, not a blank sheet


@pytest.mark.slow
def test_end_to_end_on_the_default_synthetic_build(tmp_path):
    from cli.bedlam_script import main as bedlam_script

    script, out = tmp_path / "script", tmp_path / "fix"
    built = CliRunner().invoke(bedlam_script, ["build", "--n", "150", "--out", str(script), "--workers", "1"])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(bedlam_fix, ["pairs", "--script", str(script), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    rows = pd.read_parquet(out / "data")
    assert len(rows) > 20 and rows.instructions.map(len).min() >= 1
    assert (out / "card" / "train_examples.png").exists()


def test_card_examples_never_show_a_pair_twice():
    import pyarrow as pa

    from bedlam_tools.fix_card import EXAMPLES, _example_rows

    rows = [("in", "a", "b"), ("in", "b", "a"), ("in", "c", "d"), ("out-other-subject", "e", "f"),
            ("out-other-subject", "f", "e"), ("in", "g", "h"), ("in", "i", "j"), ("in", "k", "l")]
    table = pa.table({"pair_type": [t for t, _, _ in rows], "id_a": [a for _, a, _ in rows],
                      "id_b": [b for _, _, b in rows]})
    picked = _example_rows(table)
    pairs = [frozenset((r["id_a"], r["id_b"])) for r in picked]
    assert len(picked) == min(EXAMPLES, 6) and len(set(pairs)) == len(pairs)
    assert [r["pair_type"] for r in picked[:2]] == ["in", "out-other-subject"]  # the types in turn
