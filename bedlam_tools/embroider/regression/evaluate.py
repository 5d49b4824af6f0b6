"""`embroider pose-eval`: the heads of a folder on a split (caption 0), beside two baselines, in mm and degrees.

Joints: forward kinematics of the default Anny body (the same body for truth and estimate: the pose alone is
judged; the shape head is judged by its own error, `shape MAE`); the 22 body joints, pelvis-relative (MPJPE) or
Procrustes-aligned (PA-MPJPE). Vertex error: the Anny mesh of the default body, pelvis at the origin.
Baselines: the mean training pose (per-joint rotation average) and BlazePose's world landmarks of the crop
(joints only: the 17 joints its landmarks give directly, `BLAZEPOSE_JOINTS`, in the canonical frame).
"""
import json
import time
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from posescript_pipeline.orientation import normalise
from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle, mean_rotation
from posescript_pipeline.skeleton import JOINT_INDEX, NUM_BODY_JOINTS

from .. import EmbroiderError
from ..evaluate import markdown_table
from ..features import FrozenEncoders, split_features, split_key
from ..runs import device, load_config
from . import metrics
from .features import choose, split_representations, split_targets
from .train import load_head, trained_inputs

BLAZEPOSE_JOINTS = ("pelvis", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
                    "left_foot", "right_foot", "neck", "head", "left_shoulder", "right_shoulder", "left_elbow",
                    "right_elbow", "left_wrist", "right_wrist")
"""The SMPL-H joints `landmarks_to_joints` takes from BlazePose landmarks (one landmark or a mean of two; its
spine joints are interpolated, so they are left out)."""
MESH_CHUNK = 128
PAPER_PA_MPJPE = {("embroider", "image"): 49, ("aligner", "image"): 50, ("embroider", "image+text"): 44}
"""Table 3 of the paper (BEDLAM-Script val, SMPL-X): PA-MPJPE in mm."""
COLUMNS = ("PA-MPJPE", "MPJPE", "rotation", "vertex", "shape MAE")


@torch.no_grad()
def predict(heads_dir: Path, data_dir: Path, split: str, which: str = "best") -> dict:
    """{input: (rotations (N, 22, 3, 3), shapes (N, S)) numpy} of every head of a folder (caption 0), and
    "ids", "run" (the heads' PoseEmbroider run; every head of a folder must share it)."""
    inputs = trained_inputs(heads_dir)
    if not inputs:
        raise EmbroiderError(f"{heads_dir}: no trained heads; train them with `embroider pose-train`")
    out = {}
    for name in inputs:
        spec, head = load_head(Path(heads_dir) / name, which)
        if out.setdefault("run", spec.run) != spec.run:
            raise EmbroiderError(f"{heads_dir}: the heads come from different runs ({out['run']}, {spec.run})")
        z = split_representations(Path(spec.run), data_dir, split, Path(heads_dir) / "features")
        values = choose(z[name], range(len(z["ids"])), 0)
        parts = [head(values[s:s + 4096].to(device())) for s in range(0, len(values), 4096)]
        out[name] = tuple(torch.cat(p).cpu().numpy().astype(np.float64) for p in zip(*parts))
        out["ids"] = z["ids"]
    return out


def truth_joints(body, poses: np.ndarray, cache: Path) -> np.ndarray:
    """(N, 22, 3) joints of the true poses on `body`, cached in `cache` (an .npy path)."""
    if cache.exists():
        return np.load(cache)
    joints = body.joints(poses)[:, :NUM_BODY_JOINTS]
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, joints)
    return joints


def mesh_errors(body, truth: np.ndarray, estimates: dict) -> dict:
    """{name: (N,) vertex errors} of estimated axis-angle poses (N, 22, 3) against the true ones, chunked."""
    errors = {name: [] for name in estimates}
    for s in tqdm(range(0, len(truth), MESH_CHUNK), desc="meshes", unit="chunk", leave=False):
        true_vertices = body.mesh(truth[s:s + MESH_CHUNK]).vertices
        for name, poses in estimates.items():
            errors[name].append(metrics.vertex_error(body.mesh(poses[s:s + MESH_CHUNK]).vertices, true_vertices))
    return {name: np.concatenate(e) for name, e in errors.items()}


def blazepose_joints(run_dir: Path, data_dir: Path, split: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(canonical joints (N, 52, 3), found (N,)) from the BlazePose world landmarks in the run's image features,
    or None when its image encoder is not BlazePose."""
    from ...vision import landmarks_to_joints
    from ...vision.estimator import ENCODER_PARTS

    encoders = FrozenEncoders(load_config(run_dir).encoders)
    if encoders.config.image_encoder != "blazepose":
        return None
    scale = encoders.image_scale
    raw = (split_features(encoders, data_dir, split)["image"] * scale[1] + scale[0]).numpy()
    ends = np.cumsum([0] + [width for _, width in ENCODER_PARTS])
    part = {name: raw[:, a:b] for (name, _), a, b in zip(ENCODER_PARTS, ends[:-1], ends[1:])}
    found = part["found"][:, 0] > 0.5
    joints, _ = landmarks_to_joints(part["world"].reshape(-1, 33, 3), part["visibility"], min_visibility=0.0)
    return joints, found


def summarise(per_item: dict) -> dict:
    return {k: float(np.mean(v)) for k, v in per_item.items() if k != "items"} | {"items": int(per_item["items"])}


def evaluate_heads(heads_dir: Path, data_dir: Path, split: str = "val", which: str = "best") -> dict:
    """Every head of a folder and the two baselines on a split; saves `eval-<split>-<which>.json` (means) and
    `eval-<split>-<which>.npz` (per-item errors) in the folder."""
    from posescript_pipeline.body import create

    heads_dir, clock = Path(heads_dir), {}
    start = time.perf_counter()
    predictions = predict(heads_dir, data_dir, split, which)
    clock["predict_s"] = time.perf_counter() - start
    run = Path(predictions.pop("run"))
    poses, shapes = split_targets(data_dir, split, predictions.pop("ids"))
    train_poses, train_shapes = split_targets(data_dir, "train")
    body = create()
    start = time.perf_counter()
    truth = truth_joints(body, poses, heads_dir / "features" / f"truth-joints-{split}-{split_key(data_dir, split)}.npy")
    true_rotations = axis_angle_to_matrix(poses.astype(np.float64))
    mean = np.broadcast_to(mean_rotation(axis_angle_to_matrix(train_poses.astype(np.float64))), true_rotations.shape)
    estimates = {"mean training pose": (mean, np.broadcast_to(train_shapes.mean(0), shapes.shape))} | predictions
    rotvecs = {name: matrix_to_axis_angle(r).astype(np.float32) for name, (r, _) in estimates.items()}
    vertex = mesh_errors(body, poses, rotvecs)
    rows = {}
    for name, (rotations, shape) in estimates.items():
        joints = body.joints(rotvecs[name])[:, :NUM_BODY_JOINTS]
        rows[name] = {"PA-MPJPE": 1000 * metrics.pa_mpjpe(joints, truth), "MPJPE": 1000 * metrics.mpjpe(joints, truth),
                      "rotation": metrics.rotation_error(rotations, true_rotations), "vertex": 1000 * vertex[name],
                      "shape MAE": np.abs(shape - shapes).mean(-1), "items": len(poses)}
    blaze = blazepose_joints(run, data_dir, split)
    if blaze is not None:
        joints, found = blaze
        keep = [JOINT_INDEX[j] for j in BLAZEPOSE_JOINTS]
        true_canonical, _ = normalise(body.joints(poses))
        rows["BlazePose world landmarks"] = {
            "PA-MPJPE": 1000 * metrics.pa_mpjpe(joints[found][:, keep], true_canonical[found][:, keep]),
            "MPJPE": 1000 * metrics.mpjpe(joints[found][:, keep], true_canonical[found][:, keep]),
            "items": int(found.sum())}
    clock["metrics_s"] = time.perf_counter() - start
    results = {"heads": str(heads_dir), "run": str(run), "model": load_config(run).model.kind, "split": split,
               "checkpoint": which, "items": len(poses), "shape_width": shapes.shape[1],
               "rows": {name: summarise(r) for name, r in rows.items()}, "paired": paired(rows), "seconds": clock}
    np.savez(heads_dir / f"eval-{split}-{which}.npz",
             **{f"{name}/{k}": v for name, r in rows.items() for k, v in r.items() if k != "items"})
    (heads_dir / f"eval-{split}-{which}.json").write_text(json.dumps(results, indent=1) + "\n")
    return results


def paired(rows: dict, a: str = "image", b: str = "image+text") -> dict | None:
    """PA-MPJPE of `a` minus `b` per item: mean, standard error, share of items where `b` is better, and the mean
    in each quartile of `a`'s error (easiest first: where the image is ambiguous, does the text help more?)."""
    if a not in rows or b not in rows:
        return None
    diff = rows[a]["PA-MPJPE"] - rows[b]["PA-MPJPE"]
    quartile = np.digitize(rows[a]["PA-MPJPE"], np.quantile(rows[a]["PA-MPJPE"], [0.25, 0.5, 0.75]))
    return {"compared": f"{a} - {b}", "mean_mm": float(diff.mean()),
            "stderr_mm": float(diff.std(ddof=1) / np.sqrt(len(diff))), "b_better_share": float((diff > 0).mean()),
            "mean_mm_by_quartile_of_a": [float(diff[quartile == q].mean()) for q in range(4)]}


def results_table(results: dict) -> str:
    """Markdown: one row per input or baseline; the paper's PA-MPJPE beside ours where it reports one."""
    header = ["input", "PA-MPJPE (mm)", "paper PA-MPJPE", "MPJPE (mm)", "rotation (deg)", "vertex (mm)",
              "shape MAE", "joints", "items"]
    rows = []
    for name, r in results["rows"].items():
        paper = PAPER_PA_MPJPE.get((results["model"], name))
        cells = [f"{r[c]:.1f}" if c in r and c != "shape MAE" else f"{r[c]:.3f}" if c in r else "-" for c in COLUMNS]
        joints = len(BLAZEPOSE_JOINTS) if name.startswith("BlazePose") else NUM_BODY_JOINTS
        rows.append([name, cells[0], f"{paper}" if paper else "-", *cells[1:], joints, r["items"]])
    return markdown_table(header, rows)
