"""The Anny mesh vertices whose projection gives a person's box when no SMPL-X model files are given.

`anny_box_points.json` (shipped) lists a fixed set of vertices of the default Anny body: the smallest set found
(greedily) such that, on `BUILD_POSES` poses of the synthetic source and `BUILD_DIRECTIONS` directions, the posed
mesh's extreme vertex in every direction is within `BUILD_TOLERANCE_M` of a listed one. Those are the fingertips,
toes, heels, head top, elbows, knees, buttocks... whatever sticks out in some pose. Each is posed by linear
blend skinning on the SMPL-H joints (its Anny bone weights summed per SMPL-H joint), with the numpy forward
kinematics of the joints: no torch, no mesh, a few tens of microseconds per pose.
"""
import json
from functools import cache
from pathlib import Path

import numpy as np

from posescript_pipeline.body.backends.anny import rest_skeleton
from posescript_pipeline.body.kinematics import forward_kinematics
from posescript_pipeline.skeleton import NUM_JOINTS, SMPLH_PARENTS

TABLE_PATH = Path(__file__).with_name("anny_box_points.json")
BUILD_POSES = 1500
BUILD_DIRECTIONS = 200
BUILD_TOLERANCE_M = 0.01
MIN_WEIGHT = 0.05
"""Skinning weights below this are dropped (the others renormalised) in the table."""


@cache
def _rig():
    """(rest positions (52 + P, 3), parents (52 + P,)) of the joints followed by one virtual leaf per (vertex,
    joint) pair of the shipped table, and the (K, P) blend matrix of the leaves into the vertices."""
    record = json.loads(TABLE_PATH.read_text())
    pairs = [(v, j, w) for v, (joints, ws) in enumerate(zip(record["joints"], record["weights"]))
             for j, w in zip(joints, ws)]
    vertex, joint = (np.array([p[k] for p in pairs]) for k in (0, 1))
    blend = np.zeros((len(record["rest"]), len(pairs)))
    blend[vertex, np.arange(len(pairs))] = [p[2] for p in pairs]
    rest = np.concatenate([rest_skeleton(), np.array(record["rest"])[vertex]])
    return rest, np.concatenate([SMPLH_PARENTS, joint]), blend


def posed(rotvecs):
    """(joints (N, 52, 3), box vertices (N, K, 3)) float64, pelvis at the origin, SMPL frame (y up).

    A virtual leaf rigidly follows its joint, so blending the leaves by the weights is skinning on the joints."""
    rest, parents, blend = _rig()
    out = forward_kinematics(rotvecs, rest, parents).astype(np.float64)
    return out[:, :NUM_JOINTS], blend @ out[:, NUM_JOINTS:]


def n_vertices():
    """The number of box vertices in the shipped table."""
    return _rig()[2].shape[0]


def joint_weights(body):
    """(V, 52) skinning weights of the Anny body's vertices summed per SMPL-H joint (the owner of each bone)."""
    model = body.model
    weights = model.vertex_bone_weights.double().cpu().numpy()
    owners = body.rig.owner[model.vertex_bone_indices.cpu().numpy()]
    out = np.zeros((len(weights), NUM_JOINTS))
    np.add.at(out, (np.arange(len(weights))[:, None].repeat(weights.shape[1], 1), owners), weights)
    return out


def _directions(n):
    """n unit vectors spread evenly on the sphere (Fibonacci lattice)."""
    i = np.arange(n) + 0.5
    polar, azimuth = np.arccos(1 - 2 * i / n), np.pi * (1 + 5 ** 0.5) * i
    return np.stack([np.cos(azimuth) * np.sin(polar), np.cos(polar), np.sin(azimuth) * np.sin(polar)], 1)


def _greedy_cover(meshes, directions, tolerance):
    """Vertex ids, greedily chosen, so that every (mesh, direction) extreme is within `tolerance` of one."""
    from scipy import sparse

    cases, vertices = [], []
    for start in range(0, len(meshes), 10):
        heights = np.einsum("npj,dj->ndp", meshes[start:start + 10].astype(np.float32), directions)
        n, d, v = np.nonzero(heights >= heights.max(-1, keepdims=True) - tolerance)
        cases.append((start + n) * len(directions) + d)
        vertices.append(v)
    n_cases = len(meshes) * len(directions)
    cover = sparse.csc_matrix((np.ones(sum(map(len, cases)), bool), (np.concatenate(cases), np.concatenate(vertices))),
                              shape=(n_cases, meshes.shape[1]))
    by_case = cover.tocsr()
    gain = np.asarray(cover.sum(0)).ravel().astype(np.int64)
    uncovered, chosen = np.ones(n_cases, bool), []
    while uncovered.any():
        v = int(np.argmax(gain))
        chosen.append(v)
        newly = cover.indices[cover.indptr[v]:cover.indptr[v + 1]]
        newly = newly[uncovered[newly]]
        uncovered[newly] = False
        np.subtract.at(gain, by_case[newly].indices, 1)
    return np.array(chosen)


def build_table(path=TABLE_PATH, seed=0):
    """Choose the vertices on the synthetic source's train poses (seeded) and write the table (a few minutes)."""
    from posescript_pipeline.body import create

    from ..synthetic import SyntheticSource

    body = create()
    poses = SyntheticSource(seed=seed).candidates("train").pose
    poses = poses[np.random.default_rng(seed).choice(len(poses), BUILD_POSES, replace=False)]
    chosen = np.sort(_greedy_cover(body.mesh(poses).vertices, _directions(BUILD_DIRECTIONS), BUILD_TOLERANCE_M))
    weights = joint_weights(body)[chosen]
    weights = np.where(weights >= MIN_WEIGHT, weights, 0.0)
    weights /= weights.sum(1, keepdims=True)
    record = {
        "description": "Anny default-body vertices for person boxes: T-pose positions (SMPL axes, pelvis at 0, "
                       "metres) and skinning weights per SMPL-H joint; see bedlam_tools/sources/bedlam/box_points.py",
        "anny_version": body.version,
        "build": {"poses": BUILD_POSES, "directions": BUILD_DIRECTIONS, "tolerance_m": BUILD_TOLERANCE_M,
                  "min_weight": MIN_WEIGHT, "seed": seed},
        "vertices": chosen.tolist(),
        "rest": np.round(body.rest_vertices.astype(np.float64)[chosen], 6).tolist(),
        "joints": [np.flatnonzero(w).tolist() for w in weights],
        "weights": [np.round(w[w > 0], 5).tolist() for w in weights],
    }
    Path(path).write_text(json.dumps(record) + "\n")
    return record
