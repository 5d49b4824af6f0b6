"""`embroider pretrain / train / eval` end to end on a tiny in-test BEDLAM-Script folder (no body model):
files, losses, resume, checkpoint reload, the retrieval table, pose embeddings and user errors."""
import io
import json

import numpy as np
import pyarrow as pa
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from bedlam_tools import shards
from bedlam_tools.embroider.config import ModelConfig, RunConfig, TrainConfig, save_json
from bedlam_tools.embroider.evaluate import inputs
from bedlam_tools.embroider.features import split_features
from bedlam_tools.embroider.inference import pose_embeddings
from bedlam_tools.embroider.runs import load_run
from bedlam_tools.embroider.train import Trainer
from cli.embroider import main

TINY_ENCODERS = ["image_encoder=cnn", "image_size=[16,12]", "image_channels=[8,16]", "pose_width=16", "pose_latent=8", "text_width=16",
                 "text_heads=2", "pose_epochs=4", "text_epochs=4", "image_epochs=4", "batch_size=16"]
TINY_MODEL = ["latent_d=16", "core_heads=2", "batch_size=16", "eval_every=1"]
WORDS = {False: "straight", True: "bent"}


def tiny_rows(split: str, n: int, subjects: int, seed: int) -> pa.Table:
    """Random poses; crops coloured by the pose; captions saying which of 4 joints are bent."""
    rng = np.random.default_rng(seed)
    pose = rng.normal(0, 0.5, (n, 52, 3)).astype(np.float32)
    images, captions = [], []
    for p in pose:
        buffer = io.BytesIO()
        Image.new("RGB", (18, 24), tuple(int(c) for c in (np.tanh(p[[4, 5, 18]].sum(1)) + 1) * 127)).save(buffer, "PNG")
        images.append({"bytes": buffer.getvalue(), "path": "tiny.png"})
        said = [f"the {joint} is {WORDS[bool(p[j, 0] > 0)]}" for joint, j in
                (("left knee", 4), ("right knee", 5), ("left elbow", 18), ("right elbow", 19))]
        captions.append([". ".join(said), ". ".join(said[::-1]), " and ".join(said)])
    subject = [f"{split}{i % subjects}" for i in range(n)]
    columns = {"id": [f"tiny/{split}/{i}" for i in range(n)], "split": [split] * n, "source": ["tiny"] * n,
               "selection_rank": np.arange(n, dtype=np.int32), "subject_id": subject, "sequence_id": subject,
               "frame": np.zeros(n, np.int32), "time_s": np.zeros(n, np.float32), "pose": shards.vectors(pose),
               "world_root": [None] * n, "joints": shards.vectors(np.zeros((n, 52, 3))), "betas": [[0.0]] * n,
               "body_model": ["anny"] * n,
               "sex": [""] * n, "image": images, "crop_box": [[0, 0, 18, 24]] * n, "captions": captions, "posecodes": [[]] * n,
               "contacts": [[]] * n}
    return pa.table(columns, schema=shards.SCRIPT_SCHEMA)


def invoke(*args):
    result = CliRunner().invoke(main, ["--threads", "1", *map(str, args)])
    return result


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    (folder / shards.DATA_DIR).mkdir()
    splits = {}
    for split, n, subjects, seed in (("train", 64, 8, 0), ("val", 24, 2, 1)):
        entry = shards.write_atomic(tiny_rows(split, n, subjects, seed), folder / shards.shard_name(split, 0))
        splits[split] = {"shards": [entry], "counts": {"rows": n}}
    (folder / shards.MANIFEST).write_text(json.dumps({"dataset": "bedlam-script", "splits": splits}))
    return folder


@pytest.fixture(scope="module")
def encoders(data, tmp_path_factory):
    torch.manual_seed(0)
    out = tmp_path_factory.mktemp("runs") / "encoders"
    result = invoke("pretrain", "--data", data, "--out", out, *[f"--set={a}" for a in TINY_ENCODERS])
    assert result.exit_code == 0, result.output
    return out


def train_args(data, encoders, out, kind="embroider", epochs=3):
    return ["train", "--data", data, "--out", out, "--model", kind, "--encoders", encoders, "--epochs", epochs,
            *[f"--set={a}" for a in TINY_MODEL]]


@pytest.fixture(scope="module")
def runs(data, encoders):
    folders = {}
    for kind in ("embroider", "aligner"):
        folders[kind] = encoders.parent / kind
        result = invoke(*train_args(data, encoders, folders[kind], kind))
        assert result.exit_code == 0, result.output
    return folders


def test_the_default_image_encoder_is_the_frozen_blazepose_network(data, tmp_path, monkeypatch):
    from bedlam_tools.embroider.features import FrozenEncoders, split_features
    from bedlam_tools.vision import ENCODER_WIDTH

    tiny = [a for a in TINY_ENCODERS if not a.startswith(("image_encoder", "image_size", "image_channels"))]
    result = invoke("pretrain", "--data", data, "--out", tmp_path / "enc", *[f"--set={a}" for a in tiny])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "enc" / "pretrain.json").read_text())
    assert record["config"]["image_encoder"] == "blazepose" and "image" not in record["epoch_losses"]
    features = split_features(FrozenEncoders(tmp_path / "enc"), data, "train")
    assert features["image"].shape == (64, ENCODER_WIDTH) and torch.isfinite(features["image"]).all()
    # the tiny crops are flat colours: no person anywhere, so every item has the flagged zero feature
    assert torch.allclose(features["image"], features["image"][0].expand_as(features["image"]))
    # the network's features depend on the crops only: pretraining again (e.g. after an interruption) reuses them
    assert len(list((tmp_path / "enc" / "features").glob("blazepose-train-*.pt"))) == 1

    def no_network(*args, **kwargs):
        raise AssertionError("the BlazePose features were computed again")
    monkeypatch.setattr("bedlam_tools.embroider.features.blazepose_features", no_network)
    result = invoke("pretrain", "--data", data, "--out", tmp_path / "enc", *[f"--set={a}" for a in tiny], "--set=seed=2")
    assert result.exit_code == 0, result.output
    # ... while the features of the encoders trained here are those of the new weights, not the cached old ones
    again = split_features(FrozenEncoders(tmp_path / "enc"), data, "train")
    assert torch.equal(again["image"], features["image"]) and not torch.allclose(again["pose"], features["pose"])


def test_pretraining_saves_encoders_and_its_losses_decrease(encoders):
    assert {"config.json", "vocabulary.json", "encoders.pt", "pretrain.json"} <= {p.name for p in encoders.iterdir()}
    record = json.loads((encoders / "pretrain.json").read_text())
    assert record["items"] == 64 and record["vocabulary"] == 4 + 10  # specials + the left right knee elbow is ...
    for name in ("pose", "text", "image"):
        losses = record["epoch_losses"][name]
        assert len(losses) == 4 and losses[-1] < losses[0], name
    assert list((encoders / "features").glob("train-*.pt"))


@pytest.mark.parametrize("kind", ["embroider", "aligner"])
def test_training_writes_config_log_and_checkpoints(runs, kind):
    run = runs[kind]
    config = RunConfig.load(run / "config.json")
    assert config.model.kind == kind and config.model.latent_d == 16 and config.train.epochs == 3
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in log] == [1, 2, 3] and all("val_mRecall" in r for r in log)
    assert log[-1]["loss"] < log[0]["loss"]
    assert (run / "checkpoint_last.pt").exists() and (run / "checkpoint_best.pt").exists()
    summary = json.loads((run / "train.json").read_text())
    assert (summary["fit_items"], summary["validation_items"]) == (56, 8)  # 1 of the 8 train subjects held out


def test_published_flag_restores_the_original_behaviours(data, encoders, tmp_path):
    result = invoke(*train_args(data, encoders, tmp_path / "published", epochs=1), "--published")
    assert result.exit_code == 0, result.output
    config = RunConfig.load(tmp_path / "published" / "config.json")
    assert config.model.published_leaky_targets and config.model.feature_noise == 0.1
    assert config.train.schedule == "constant" and config.train.validate_on == "val"
    summary = json.loads((tmp_path / "published" / "train.json").read_text())
    assert summary["fit_items"] == 64 and summary["validation_items"] == 24  # selection on the val split


def test_data_size_truncates_the_fitting_items(data, encoders, tmp_path):
    result = invoke(*train_args(data, encoders, tmp_path / "small", epochs=1), "--set=data_size=32")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "small" / "train.json").read_text())["fit_items"] == 32


def test_eval_prints_both_models_and_saves_json(runs, data):
    result = invoke("eval", "--run", runs["embroider"], "--run", runs["aligner"], "--data", data)
    assert result.exit_code == 0, result.output
    assert "embroider (embroider)" in result.output and "aligner (aligner)" in result.output
    assert "image+text->pose" in result.output and "mRecall" in result.output
    saved = json.loads((runs["embroider"] / "eval-val-best.json").read_text())
    assert saved["items"] == 24 and len(saved["tasks"]) == 9
    assert saved["mRecall"] == pytest.approx((saved["mRecall_single"] + saved["mRecall_dual"]) / 2)
    assert all(set(r) == {"R@1", "R@5", "R@10"} for r in saved["tasks"].values())


def test_reloaded_checkpoint_gives_identical_outputs(data, encoders, tmp_path):
    config = RunConfig(str(encoders), ModelConfig(latent_d=16, core_heads=2), TrainConfig(epochs=1, batch_size=16))
    save_json(config, tmp_path / "config.json")
    trainer = Trainer(tmp_path, data, config)
    trainer.run()
    _, _, model = load_run(tmp_path, "last")
    trainer.model.eval()
    with torch.no_grad():
        for subset in (("image",), ("pose", "text"), ("image", "pose", "text")):
            ours = trainer.model.query(trainer.model.references(trainer.validation), subset)
            loaded = model.query(model.references(trainer.validation), subset)
            assert all(torch.equal(ours[m], loaded[m]) for m in ours)


def test_resumed_run_ends_like_an_uninterrupted_one(data, encoders, tmp_path, monkeypatch):
    assert invoke(*train_args(data, encoders, tmp_path / "straight")).exit_code == 0
    original = Trainer.train_epoch

    def interrupted(self):
        if self.epoch == 2:
            raise KeyboardInterrupt
        return original(self)
    monkeypatch.setattr(Trainer, "train_epoch", interrupted)
    assert invoke(*train_args(data, encoders, tmp_path / "resumed")).exit_code != 0
    monkeypatch.setattr(Trainer, "train_epoch", original)
    result = invoke("train", "--data", data, "--out", tmp_path / "resumed", "--resume")
    assert result.exit_code == 0, result.output
    straight, resumed = (torch.load(tmp_path / name / "checkpoint_last.pt", weights_only=True)["model"]
                         for name in ("straight", "resumed"))
    assert all(torch.equal(straight[k], resumed[k]) for k in straight)


def test_pose_embeddings_for_pair_mining(runs, data):
    table = shards.read_rows(data, "val")
    embeddings = pose_embeddings(runs["embroider"], table)
    assert embeddings.shape == (24, 16) and embeddings.dtype == np.float32
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1, atol=1e-5)
    _, encoders, model = load_run(runs["embroider"])
    with torch.no_grad():  # the same as the pose references the evaluator uses
        references = model.references(inputs(split_features(encoders, data, "val"), range(24), 0))
    assert np.allclose(embeddings, references["pose"].numpy(), atol=1e-6)


@pytest.mark.parametrize("args, message", [
    (["train", "--data", "{missing}", "--out", "{tmp}/run"], "expected a folder written by `bedlam-script build`"),
    (["train", "--data", "{data}", "--out", "{tmp}/run", "--set", "latent_d=abc"], "latent_d='abc': expected an integer"),
    (["train", "--data", "{data}", "--out", "{tmp}/run", "--set", "batch_size=-5"], "batch_size=-5: expected a positive"),
    (["eval", "--run", "{missing}", "--data", "{data}"], "not a training run"),
    (["train", "--data", "{data}", "--out", "{tmp}/run", "--encoders", "{missing}"], "no pretrained encoders"),
    (["train", "--data", "{data}", "--out", "{tmp}/run", "--resume"], "nothing to resume"),
    (["pretrain", "--data", "{data}", "--out", "{tmp}/enc", "--set", "colour=red"], "expected NAME=VALUE"),
])
def test_user_errors_are_one_line_with_exit_code_2(args, message, data, tmp_path):
    values = {"missing": tmp_path / "missing", "tmp": tmp_path, "data": data}
    result = invoke(*[a.format(**values) for a in args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output
