import subprocess
import sys
import time

import numpy as np
import pytest

from posescript_pipeline.body import create
from posescript_pipeline.errors import UserError
from posescript_pipeline.body.backends.anny import REST_SKELETON_PATH, rest_skeleton
from posescript_pipeline.body.kinematics import forward_kinematics
from posescript_pipeline.body.backends.smplx import ModelFilesError, SmplxBody
from posescript_pipeline.skeleton import JOINT_INDEX, MIRROR_PERMUTATION, SMPLH_PARENTS
from tests.crafted import CRAFTED_POSES, crafted_joints, crafted_rotvecs, mirror

J = JOINT_INDEX


def _angle(a, b, c):
    u, v = a - b, c - b
    return np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v)))


def _side(joints, side, part):
    return joints[J[f"{side}_{part}"]]


# ---------------------------------------------------------------- numpy FK on the shipped skeleton

def test_rest_skeleton_is_a_y_up_t_pose_facing_z():
    r = rest_skeleton()
    assert r.shape == (52, 3) and np.allclose(r[0], 0) and not r.flags.writeable
    assert r[J["head"], 1] > 0.55 and r[J["left_ankle"], 1] < -0.7
    assert r[J["left_hip"], 0] > 0.05 and r[J["left_wrist"], 0] > 0.6 and r[J["right_wrist"], 0] < -0.6
    assert np.allclose(r[J["left_wrist"], 1:], r[J["left_shoulder"], 1:], atol=1e-4)  # straight arm along +x
    assert r[J["left_foot"], 2] > r[J["left_ankle"], 2] + 0.1  # toes point forward (+z)
    assert np.abs(r[MIRROR_PERMUTATION] * [-1, 1, 1] - r).max() < 1e-3  # left/right symmetric


def test_zero_pose_gives_rest_and_22_rotations_pad_hands():
    rng = np.random.default_rng(0)
    zero = forward_kinematics(np.zeros((2, 52, 3)), rest_skeleton(), SMPLH_PARENTS)
    assert np.allclose(zero, rest_skeleton(), atol=1e-6)
    rotvecs = rng.normal(0, 0.5, (3, 22, 3))
    padded = np.concatenate([rotvecs, np.zeros((3, 30, 3))], axis=1)
    assert np.allclose(create().joints(rotvecs), create().joints(padded))


def test_fk_keeps_bone_lengths_and_root_rotation_is_rigid():
    rng = np.random.default_rng(1)
    rotvecs = rng.normal(0, 0.8, (5, 52, 3)).astype(np.float32)
    joints = create().joints(rotvecs)
    assert joints.dtype == np.float32 and joints.shape == (5, 52, 3)
    r = rest_skeleton()
    lengths = np.linalg.norm(joints[:, 1:] - joints[:, SMPLH_PARENTS[1:]], axis=-1)
    assert np.allclose(lengths, np.linalg.norm(r[1:] - r[SMPLH_PARENTS[1:]], axis=-1), atol=1e-5)


def test_fk_speed_is_reported():
    rotvecs = np.random.default_rng(2).normal(0, 0.5, (10000, 52, 3)).astype(np.float32)
    start = time.perf_counter()
    create().joints(rotvecs)
    print(f"numpy FK: 10,000 poses in {1000 * (time.perf_counter() - start):.1f} ms")  # reported, not asserted


def test_describing_joints_does_not_import_torch():
    code = ("import sys, numpy as np; from posescript_pipeline.body import create; "
            "import posescript_pipeline.crafted_poses, bedlam_tools.pose_files; "
            "create().joints(np.zeros((1, 22, 3))); assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- crafted poses (sign conventions)

def test_every_crafted_pose_is_canonical():
    for name in CRAFTED_POSES:
        j = crafted_joints(name)[0]
        assert np.allclose(j[0], 0) and j[J["left_hip"], 0] > 0 and abs(j[J["left_hip"], 2]) < 1e-5, name


def test_crafted_pose_facts():
    t = crafted_joints("t_pose")[0]
    assert _angle(t[J["left_hip"]], t[J["left_knee"]], t[J["left_ankle"]]) == pytest.approx(171.4, abs=0.5)

    s = crafted_joints("standing")[0]
    for side in ("left", "right"):
        assert _side(s, side, "wrist")[1] < _side(s, side, "shoulder")[1] - 0.35  # arms hang
        assert abs(_side(s, side, "wrist")[0]) < abs(_side(s, side, "shoulder")[0]) + 0.15

    k = crafted_joints("left_knee_90")[0]
    assert _angle(k[J["left_hip"]], k[J["left_knee"]], k[J["left_ankle"]]) == pytest.approx(82, abs=2)
    thigh = k[J["left_knee"]] - k[J["left_hip"]]
    assert thigh[2] > 0.35 and abs(thigh[1]) < 0.05  # thigh forward, horizontal
    assert k[J["left_ankle"], 1] < k[J["left_knee"], 1] - 0.35  # shin hanging down

    for side, name in (("right", "right_arm_overhead"), ("left", "left_arm_overhead")):
        p = crafted_joints(name)[0]
        assert _side(p, side, "wrist")[1] > p[J["head"], 1] + 0.2
        other = "left" if side == "right" else "right"
        assert _side(p, other, "wrist")[1] < p[J["pelvis"], 1] + 0.1

    f = crafted_joints("torso_forward")[0]
    assert f[J["head"], 2] > 0.3 and f[J["head"], 1] < 0.4  # head well forward and lower

    kn = crafted_joints("kneeling")[0]
    for side in ("left", "right"):
        shin = _side(kn, side, "ankle") - _side(kn, side, "knee")
        thigh = _side(kn, side, "knee") - _side(kn, side, "hip")
        assert shin[2] < -0.3 and abs(shin[1]) < 0.05  # shin horizontal, behind
        assert thigh[1] < -0.35 and abs(thigh[2]) < 0.05  # thigh vertical: upright on the knees

    sq = crafted_joints("squat")[0]
    assert _angle(sq[J["left_hip"]], sq[J["left_knee"]], sq[J["left_ankle"]]) < 70
    assert sq[J["left_knee"], 1] > sq[J["pelvis"], 1] - 0.05  # knees up at hip height
    assert (sq[J["left_foot"]] - sq[J["left_ankle"]])[2] > 0.1  # feet pointing forward

    h = crafted_joints("hands_together_front")[0]
    assert np.linalg.norm(h[J["left_wrist"]] - h[J["right_wrist"]]) < 0.1
    assert h[J["left_wrist"], 2] > 0.4 and h[J["right_wrist"], 2] > 0.4


def test_mirror_swaps_sides_and_negates_x():
    rng = np.random.default_rng(3)
    rotvecs = rng.normal(0, 0.6, (8, 52, 3)).astype(np.float32)
    joints = create().joints(rotvecs)
    mirrored = create().joints(mirror(rotvecs))
    assert np.abs(mirrored - joints[:, MIRROR_PERMUTATION] * [-1, 1, 1]).max() < 2e-3  # rest asymmetry 0.3 mm
    assert np.allclose(mirror(crafted_rotvecs("right_arm_overhead")), crafted_rotvecs("left_arm_overhead"))
    assert np.allclose(mirror(mirror(rotvecs)), rotvecs)


# ---------------------------------------------------------------- smplx backend, synthetic model files

SMPLX_EXTRA_PARENT = {22: 15, 23: 15, 24: 15}  # jaw, eyes


def _write_model(folder, model_type):
    """A random but valid model file whose joint regressor returns the Anny rest skeleton."""
    rng = np.random.default_rng(4)
    n_verts, n_joints = {"smplx": (10475, 55), "smplh": (6890, 52)}[model_type]
    smplh_to_model = np.r_[0:22, 25:55] if model_type == "smplx" else np.r_[0:52]
    rest = np.zeros((n_joints, 3))
    rest[smplh_to_model] = rest_skeleton() + [0, 0.2, 0]  # pelvis away from the origin
    parents = np.zeros(n_joints, dtype=np.int64)
    parents[smplh_to_model] = [smplh_to_model[p] if p >= 0 else -1 for p in SMPLH_PARENTS]
    if model_type == "smplx":
        rest[22:25] = rest[15] + [[0, -0.05, 0.05], [0.03, 0.03, 0.08], [-0.03, 0.03, 0.08]]
        for j, p in SMPLX_EXTRA_PARENT.items():
            parents[j] = p
    v_template = rng.normal(0, 0.3, (n_verts, 3))
    v_template[:n_joints] = rest
    regressor = np.zeros((n_joints, n_verts))
    regressor[np.arange(n_joints), np.arange(n_joints)] = 1
    weights = np.zeros((n_verts, n_joints))
    weights[np.arange(n_verts), rng.integers(0, n_joints, n_verts)] = 1
    n_pose = 9 * (n_joints - 1)
    data = dict(
        v_template=v_template, f=rng.integers(0, n_verts, (200, 3)).astype(np.int64),
        shapedirs=rng.normal(0, 0.01, (n_verts, 3, 20)), posedirs=np.zeros((n_verts, 3, n_pose), np.float32),
        J_regressor=regressor, weights=weights, kintree_table=np.stack([parents, np.arange(n_joints)]),
        hands_componentsl=np.eye(45), hands_componentsr=np.eye(45),
        hands_meanl=np.zeros(45), hands_meanr=np.zeros(45),
    )
    if model_type == "smplx":
        data.update(
            lmk_faces_idx=np.zeros(51, np.int64), lmk_bary_coords=np.full((51, 3), 1 / 3),
            dynamic_lmk_faces_idx=np.zeros((79, 17), np.int64), dynamic_lmk_bary_coords=np.full((79, 17, 3), 1 / 3),
        )
    (folder / model_type).mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / model_type / f"{model_type.upper()}_NEUTRAL.npz", **data)
    return folder


@pytest.mark.parametrize("model_type", ["smplx", "smplh"])
def test_smplx_backend_matches_numpy_fk(tmp_path, model_type):
    model_dir = _write_model(tmp_path, model_type)
    rotvecs = np.random.default_rng(5).normal(0, 0.5, (4, 52, 3)).astype(np.float32)
    body = create(model_dir=model_dir, model_type=model_type)
    assert isinstance(body, SmplxBody) and create(model_dir=model_dir, model_type=model_type) is body
    out = body.mesh(rotvecs)
    assert out.joints.shape == (4, 52, 3) and out.vertices.shape[0] == 4
    expected = forward_kinematics(rotvecs, rest_skeleton(), SMPLH_PARENTS)
    assert np.abs(out.joints - expected).max() < 1e-4
    joints = body.joints(rotvecs[:, :22])
    assert np.abs(joints - forward_kinematics(rotvecs[:, :22], rest_skeleton(), SMPLH_PARENTS)).max() < 1e-4
    shaped = body.mesh(rotvecs, betas=np.ones(11)).joints
    assert np.abs(shaped - out.joints).max() > 1e-3  # betas reach the model


def test_smplx_backend_errors_name_the_expected_files(tmp_path):
    with pytest.raises(ModelFilesError, match=r"does not exist; expected .*smplx/SMPLX_NEUTRAL\.npz or .*\.pkl"):
        SmplxBody(tmp_path / "nope")
    with pytest.raises(ModelFilesError, match=r"no smplh model .*smplh/SMPLH_FEMALE\.npz"):
        SmplxBody(tmp_path, model_type="smplh", gender="female")
    with pytest.raises(ModelFilesError, match="model type"):
        SmplxBody(tmp_path, model_type="mano")
    with pytest.raises(UserError, match="--model-dir"):
        create("smplx")
    with pytest.raises(UserError, match="anny, smplx"):
        create("star")


# ---------------------------------------------------------------- Anny itself (builds the model: slow)

@pytest.fixture(scope="module")
def anny_body():
    return create()


@pytest.mark.slow
def test_anny_driver_equals_numpy_fk(anny_body):
    rng = np.random.default_rng(6)
    rotvecs = rng.normal(0, 0.5, (16, 52, 3))
    posed = anny_body.mesh(rotvecs).joints
    error = np.abs(posed - forward_kinematics(rotvecs, rest_skeleton(), SMPLH_PARENTS)).max()
    print(f"Anny vs numpy FK: max joint error {error:.2e} m")
    assert error < 1e-4


@pytest.mark.slow
def test_anny_mesh_follows_the_pose(anny_body):
    rotvecs = np.concatenate([crafted_rotvecs("t_pose"), crafted_rotvecs("right_arm_overhead")])
    out = anny_body.mesh(rotvecs[:, :22], betas=[0.5, 0.5, 0.5, 0.5, 0.7, 0.5])  # a taller default body
    v, joints = out.vertices, out.joints
    assert v.dtype == np.float32 and v.shape == (2, 13718, 3) and out.faces.shape == (27420, 3)
    assert np.allclose(joints[:, 0], 0)
    assert v[0, :, 1].max() > joints[0, J["head"], 1] + 0.05  # y-up: top of the head above the head joint
    assert v[0, :, 0].max() > joints[0, J["left_wrist"], 0]  # left hand towards +x
    assert v[1, :, 1].max() > v[0, :, 1].max() + 0.2  # the raised arm reaches over the head
    head = v[0, v[0, :, 1] > joints[0, J["neck"], 1] + 0.05]
    assert head[:, 2].max() > joints[0, J["head"], 2] + 0.08  # the face (nose) points to +z
    assert v[0, np.argmax(v[0, :, 2]), 1] < joints[0, J["left_knee"], 1]  # so do the toes


@pytest.mark.slow
def test_shipped_rest_skeleton_is_reproducible(tmp_path):
    import json

    from posescript_pipeline.body.backends.anny import build_rest_skeleton

    rebuilt = build_rest_skeleton(tmp_path / "rest.json")
    assert np.abs(rebuilt - rest_skeleton()).max() < 1e-6
    assert json.loads(REST_SKELETON_PATH.read_text())["anny_version"] == json.loads(
        (tmp_path / "rest.json").read_text())["anny_version"]
