"""Pose regression (issue 16) without a body mesh: the metrics (zero for identical poses, a hand-computed
Procrustes case), the 6D and mean rotations, the head overfitting a few items, and `pose-train` / `estimate` end
to end on the tiny in-test BEDLAM-Script folder (files, resume, a pose file `posescript describe` reads)."""
import json

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from bedlam_tools.embroider.geometry import matrix_from_6d
from bedlam_tools.embroider.regression import metrics
from bedlam_tools.embroider.regression.estimate import choose_input
from bedlam_tools.embroider.regression.head import RegressionHead, geodesic, loss_terms, mean_pose_6d
from bedlam_tools.embroider.regression.train import load_head
from bedlam_tools.pose_files import load_poses
from posescript_pipeline.errors import UserError
from posescript_pipeline.rotations import (axis_angle_to_matrix, matrix_to_6d, mean_rotation, rotation_about_x,
                                           rotation_about_z)
from tests.test_embroider_cli import TINY_MODEL, data, encoders, invoke  # noqa: F401 (fixtures)

TINY_HEAD = ["--set=hidden=32", "--set=batch_size=16"]


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)
    torch.set_num_threads(1)


def random_poses(n, seed=0, scale=0.4):
    return np.random.default_rng(seed).normal(0, scale, (n, 22, 3))


def test_metrics_are_zero_for_identical_poses():
    joints = np.random.default_rng(1).normal(size=(5, 22, 3))
    rotations = axis_angle_to_matrix(random_poses(5))
    for error in (metrics.mpjpe(joints, joints), metrics.pa_mpjpe(joints, joints),
                  metrics.rotation_error(rotations, rotations), metrics.vertex_error(joints, joints)):
        np.testing.assert_allclose(error, 0, atol=1e-5)


def test_procrustes_matches_a_hand_computed_case():
    truth = np.array([[[1.0, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]]])
    predicted = truth * [2.0, 1.0, 1.0]  # stretched along x
    # cross-covariance diag(4, 2, 0): rotation I, scale (4 + 2) / 10 = 0.6, so the points land at x = +-1.2 and
    # y = +-0.6: errors 0.2, 0.2, 0.4, 0.4
    np.testing.assert_allclose(metrics.pa_mpjpe(predicted, truth), [0.3], atol=1e-9)
    moved = 3.0 * predicted @ rotation_about_z(0.7).T @ rotation_about_x(-1.1).T + [0.5, -2.0, 1.0]
    np.testing.assert_allclose(metrics.pa_mpjpe(moved, truth), [0.3], atol=1e-9)  # similarity invariant
    np.testing.assert_allclose(metrics.mpjpe(truth + 5.0, truth), [0.0], atol=1e-9)  # root-relative
    # about the root (point 0): truth (0, 0), (-2, 0), (-1, +-1); prediction (0, 0), (-4, 0), (-2, +-1)
    np.testing.assert_allclose(metrics.mpjpe(predicted, truth), [(0 + 2 + 1 + 1) / 4], atol=1e-9)


def test_rotation_error_is_the_mean_geodesic_angle_in_degrees():
    predicted = np.stack([rotation_about_x(np.radians(30.0)), np.eye(3)])[None]
    np.testing.assert_allclose(metrics.rotation_error(predicted, np.eye(3)[None, None].repeat(2, 1)), [15.0])


def test_an_untrained_shape_head_gives_the_mean_shape():
    head = RegressionHead(16, 6, hidden=32, mean_shape=np.full(6, 0.3))
    np.testing.assert_allclose(head.eval()(torch.randn(5, 16))[1].detach().numpy(), 0.3, atol=1e-6)


def test_6d_round_trip_and_mean_rotation():
    matrices = axis_angle_to_matrix(random_poses(4))
    back = matrix_from_6d(torch.from_numpy(matrix_to_6d(matrices)))
    np.testing.assert_allclose(back.numpy(), matrices, atol=1e-6)
    same = np.broadcast_to(matrices[0], (6, 22, 3, 3))
    np.testing.assert_allclose(mean_rotation(same), matrices[0], atol=1e-9)
    two = np.stack([rotation_about_x(0.4), rotation_about_x(-0.4)])
    np.testing.assert_allclose(mean_rotation(two), np.eye(3), atol=1e-9)
    assert mean_pose_6d(random_poses(10)).shape == (132,)


def test_geodesic_loss_is_zero_for_the_truth_and_has_finite_gradients():
    truth = torch.from_numpy(axis_angle_to_matrix(random_poses(3)).astype(np.float32)).requires_grad_()
    angle = geodesic(truth, truth.detach())
    assert float(angle.detach().max()) < 3e-3
    angle.sum().backward()
    assert torch.isfinite(truth.grad).all()


def test_the_head_overfits_a_few_items():
    z = torch.randn(8, 16)
    poses = random_poses(8, seed=2)
    truth = torch.from_numpy(axis_angle_to_matrix(poses).astype(np.float32))
    shapes = torch.rand(8, 6)
    head = RegressionHead(16, 6, hidden=64, dropout=0.0, mean_pose=mean_pose_6d(poses), mean_shape=shapes.mean(0))
    optimiser = torch.optim.Adam(head.parameters(), lr=1e-3)
    for _ in range(400):
        terms = loss_terms(*head(z), truth, shapes)
        optimiser.zero_grad()
        torch.stack(list(terms.values())).mean().backward()
        optimiser.step()
    with torch.no_grad():
        rotations, shape = head(z)
    assert metrics.rotation_error(rotations.numpy(), truth.numpy()).max() < 2.0
    assert float((shape - shapes).abs().max()) < 0.05


def test_the_input_used_follows_the_text_and_the_person_found():
    every = ["image", "text", "image+text"]
    assert choose_input(every, has_text=False, person_found=True) == "image"
    assert choose_input(every, has_text=True, person_found=True) == "image+text"
    assert choose_input(every, has_text=True, person_found=False) == "text"
    with pytest.raises(UserError, match="no person found"):
        choose_input(every, has_text=False, person_found=False)
    with pytest.raises(UserError, match="no image\\+text head"):
        choose_input(["image"], has_text=True, person_found=True)


@pytest.fixture(scope="module")
def run(data, encoders):  # noqa: F811
    out = encoders.parent / "emb-for-heads"
    result = invoke("train", "--data", data, "--out", out, "--encoders", encoders, "--epochs", 2,
                    *[f"--set={a}" for a in TINY_MODEL])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def heads(data, run):  # noqa: F811
    out = run.parent / "heads"
    result = invoke("pose-train", "--data", data, "--run", run, "--out", out, "--epochs", 3, *TINY_HEAD)
    assert result.exit_code == 0, result.output
    return out


def test_pose_train_writes_one_head_per_input(heads):
    for name in ("image", "text", "image+text"):
        folder = heads / name
        assert {"config.json", "checkpoint_best.pt", "checkpoint_last.pt", "log.jsonl", "train.json"} <= \
            {p.name for p in folder.iterdir()}
        log = [json.loads(line) for line in (folder / "log.jsonl").read_text().splitlines()]
        assert [r["epoch"] for r in log] == [1, 2, 3] and all(np.isfinite(r["val_loss"]) for r in log)
        assert ("val_shape" in log[0]) == ("image" in name)  # the shape is learnt from images only
    assert list((heads / "features").glob("z-train-*.pt"))


def test_resumed_heads_end_like_uninterrupted_ones(data, run, heads, tmp_path):  # noqa: F811
    out = tmp_path / "heads"
    first = invoke("pose-train", "--data", data, "--run", run, "--out", out, "--inputs", "image", "--epochs", 2,
                   *TINY_HEAD)
    assert first.exit_code == 0, first.output
    config = json.loads((out / "image" / "config.json").read_text())
    config["head"]["epochs"] = 3
    (out / "image" / "config.json").write_text(json.dumps(config))
    resumed = invoke("pose-train", "--data", data, "--out", out, "--inputs", "image", "--resume")
    assert resumed.exit_code == 0, resumed.output
    a, b = (torch.load(f / "image" / "checkpoint_last.pt", weights_only=True)["model"] for f in (out, heads))
    assert all(torch.allclose(a[k], b[k], atol=1e-6) for k in a)


def test_estimate_writes_a_pose_file_that_describe_reads(data, heads, tmp_path):  # noqa: F811
    from bedlam_tools import shards
    from cli.posescript import main as posescript

    row = shards.read_rows(data, "val", columns=["image"]).column("image")[0].as_py()
    crop = tmp_path / "crop.png"
    crop.write_bytes(row["bytes"])
    out = tmp_path / "pose.npz"
    result = invoke("estimate", crop, "--heads", heads, "--text", "the left knee is bent", "-o", out)
    assert result.exit_code == 0, result.output
    assert "image+text" in result.output
    batch = load_poses(out)
    assert batch.rotations.shape == (1, 52, 3) and np.isfinite(batch.joints).all()
    described = CliRunner().invoke(posescript, ["describe", str(out), "--no-contacts"])
    assert described.exit_code == 0 and len(described.output.strip()) > 20, described.output


def test_loaded_head_matches_the_saved_config(heads):
    spec, head = load_head(heads / "image+text")
    assert spec.input == "image+text" and spec.head.hidden == 32 and not head.training


@pytest.mark.parametrize("args, message", [
    (["pose-train", "--data", "{data}", "--out", "{tmp}/h"], "--run is needed"),
    (["pose-train", "--data", "{data}", "--run", "{tmp}/none", "--out", "{tmp}/h"], "not a training run"),
    (["pose-train", "--data", "{data}", "--out", "{tmp}/h", "--resume"], "nothing to resume"),
    (["pose-train", "--data", "{data}", "--run", "{tmp}", "--out", "{tmp}/h", "--inputs", "pose"], "unknown input pose"),
    (["pose-eval", "--heads", "{tmp}", "--data", "{data}"], "no trained heads"),
])
def test_user_errors_are_one_line(args, message, data, tmp_path):  # noqa: F811
    result = invoke(*[a.format(data=data, tmp=tmp_path) for a in args])
    assert result.exit_code == 2 and message in result.output, result.output


def test_a_pose_file_keeps_the_estimated_phenotypes_and_their_sex(tmp_path):
    from bedlam_tools.embroider.regression.estimate import write_pose_file

    pose = random_poses(1, seed=4)[0].astype(np.float32)
    write_pose_file(tmp_path / "p.npz", pose, np.array([0.9, 0.5, 0.5, 0.5, 0.5, 1.2]))
    batch = load_poses(tmp_path / "p.npz")
    assert batch.sex == "female"
    np.testing.assert_allclose(batch.rotations[0, 1:22], pose[1:], atol=1e-6)  # the root is canonicalised
    with np.load(tmp_path / "p.npz") as saved:
        np.testing.assert_allclose(saved["anny_phenotypes"], [[0.9, 0.5, 0.5, 0.5, 0.5, 1.0]], atol=1e-6)
    with pytest.raises(UserError, match="written as .npz"):
        write_pose_file(tmp_path / "p.pkl", pose)
