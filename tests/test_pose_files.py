import pickle

import numpy as np
import pytest

from bedlam_tools.pose_files import InputError, load_poses
from posescript_pipeline.body import create
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.orientation import Z_UP_TO_Y_UP
from posescript_pipeline.rotations import matrix_to_axis_angle, rotation_about_y
from tests.crafted import crafted_joints, crafted_rotvecs

NAMES = ("standing", "squat", "kneeling")


def _rotvecs(up="y"):
    """Three crafted poses turned by different yaws, with the root expressed in a y-up or z-up world."""
    rotvecs = np.concatenate([crafted_rotvecs(n) for n in NAMES]).astype(np.float64)
    turn = rotation_about_y(np.radians([20.0, -90.0, 170.0]))
    rotvecs[:, 0] = matrix_to_axis_angle((Z_UP_TO_Y_UP.T if up == "z" else np.eye(3)) @ turn)
    return rotvecs


def _expected():
    return np.concatenate([crafted_joints(n) for n in NAMES])


def _check(batch, fmt, rotations=True):
    assert batch.fmt == fmt and batch.joints.dtype == np.float32 and batch.joints.shape == (3, 52, 3)
    assert np.abs(batch.joints - _expected()).max() < 1e-4
    assert np.array_equal(batch.frame_ids, [0, 1, 2])
    if rotations:
        assert batch.rotations.dtype == np.float32 and np.allclose(batch.rotations[:, 0], 0, atol=1e-5)
        assert np.allclose(create().joints(batch.rotations), batch.joints, atol=1e-5)


def test_amass_smplh_and_smplx_poses(tmp_path):
    r = _rotvecs("z").reshape(3, -1)
    np.savez(tmp_path / "h.npz", poses=r, betas=np.zeros(16), gender=np.str_("male"))
    _check(load_poses(tmp_path / "h.npz"), "amass")
    x = np.concatenate([r[:, :66], np.full((3, 9), 0.3), r[:, 66:]], axis=1)  # jaw and eyes are dropped
    np.savez(tmp_path / "x.npz", poses=x)
    _check(load_poses(tmp_path / "x.npz"), "amass")
    np.savez(tmp_path / "k.npz", root_orient=r[:, :3], pose_body=r[:, 3:66], pose_hand=r[:, 66:])
    _check(load_poses(tmp_path / "k.npz"), "amass")


def test_smplx_parameters_npz_and_pkl(tmp_path):
    r = _rotvecs("y")
    fields = dict(global_orient=r[:, :1], body_pose=r[:, 1:22], left_hand_pose=r[:, 22:37].reshape(3, 45),
                  right_hand_pose=r[:, 37:].reshape(3, 45), betas=np.ones((3, 11)))
    np.savez(tmp_path / "p.npz", **fields)
    batch = load_poses(tmp_path / "p.npz")
    _check(batch, "smplx")
    assert batch.betas.shape == (3, 11)
    with open(tmp_path / "p.pkl", "wb") as f:
        pickle.dump({**fields, "body_pose": r[:, 1:22].reshape(3, 63).tolist()}, f)
    _check(load_poses(tmp_path / "p.pkl"), "smplx")
    one = load_poses(tmp_path / "p.pkl", frames=[2])
    assert one.joints.shape == (1, 52, 3) and one.frame_ids.tolist() == [2] and one.betas.shape == (1, 11)


def test_joint_files(tmp_path):
    raw = create().joints(_rotvecs("y"))
    np.save(tmp_path / "j.npy", raw)
    batch = load_poses(tmp_path / "j.npy")
    _check(batch, "joints", rotations=False)
    assert batch.rotations is None and batch.available.all()
    np.savez(tmp_path / "one.npz", joints=raw[0, :22])
    one = load_poses(tmp_path / "one.npz")
    assert one.joints.shape == (1, 52, 3) and one.available.sum() == 22
    assert np.isnan(one.joints[0, JOINT_INDEX["left_index1"]]).all()
    np.save(tmp_path / "zup.npy", raw @ Z_UP_TO_Y_UP)  # row vectors: the z-up version of raw
    assert np.abs(load_poses(tmp_path / "zup.npy", up="z").joints - _expected()).max() < 1e-4
    np.save(tmp_path / "coco.npy", np.zeros((2, 17, 3)) + np.arange(17)[:, None] * [0.1, 0.01, 0])
    assert load_poses(tmp_path / "coco.npy", skeleton="coco17").available.sum() == 18


BAD_INPUTS = {
    "missing.npz": (None, r"missing\.npz: file not found"),
    "text.npz": (b"not a zip", r"text\.npz: could not be read"),
    "pose.txt": (b"1 2 3", r"pose\.txt: unknown extension; expected \.npz, \.npy, \.pkl \(or a photo\)"),
    "keys.npz": ({"trans": np.zeros((2, 3))}, r"keys\.npz: unknown keys \(found trans\); expected 'poses'"),
    "width.npz": ({"poses": np.zeros((10, 99))},
                  r"width\.npz: field 'poses' has shape \(10, 99\); expected \(T, 156\) SMPL-H or \(T, 165\) SMPL-X"),
    "nan.npz": ({"poses": np.where(np.arange(5)[:, None] == 3, np.nan, np.zeros((5, 156)))},
                r"nan\.npz: field 'poses' has NaN or inf values \(first at frame 3\)"),
    "body.npz": ({"global_orient": np.zeros((4, 3)), "body_pose": np.zeros((4, 60))},
                 r"body\.npz: field 'body_pose' has shape \(4, 60\); expected \(T, 63\), \(T, 21, 3\) or \(63,\)"),
    "frames.npz": ({"global_orient": np.zeros((4, 3)), "body_pose": np.zeros((3, 63))},
                   r"frames\.npz: field 'body_pose' has 3 frames; expected 4 like 'global_orient'"),
    "inf.npy": (np.full((2, 22, 3), np.inf), r"inf\.npy: field 'joints' has NaN or inf values \(first at frame 0\)"),
    "j17.npy": (np.zeros((2, 17, 3)),
                r"j17\.npy: field 'joints' has 17 joints; expected a skeleton name .*h36m17, coco17"),
    "j4.npy": (np.zeros((2, 22, 4)), r"j4\.npy: field 'joints' has shape \(2, 22, 4\); expected \(T, J, 3\)"),
    "list.pkl": ([1, 2], r"list\.pkl: holds a list; expected a dict of arrays"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_inputs_raise_one_line_errors(tmp_path, name):
    content, pattern = BAD_INPUTS[name]
    path = tmp_path / name
    writers = {dict: lambda: np.savez(path, **content), np.ndarray: lambda: np.save(path, content),
               bytes: lambda: path.write_bytes(content), list: lambda: path.write_bytes(pickle.dumps(content))}
    if content is not None:
        writers[type(content)]()
    with pytest.raises(InputError, match=pattern) as err:
        load_poses(path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_bad_options(tmp_path):
    np.savez(tmp_path / "p.npz", global_orient=np.zeros((4, 3)), body_pose=np.zeros((4, 63)))
    with pytest.raises(InputError, match=r"field 'frames' asks for frame 7; expected 0 <= frame < 4"):
        load_poses(tmp_path / "p.npz", frames=[1, 7])
    with pytest.raises(InputError, match=r"up axis 'x'"):
        load_poses(tmp_path / "p.npz", up="x")
    np.save(tmp_path / "j.npy", np.zeros((2, 24, 3)))
    with pytest.raises(InputError, match=r"field 'joints' has 24 joints; expected 22 for skeleton body22"):
        load_poses(tmp_path / "j.npy", skeleton="body22")
    with pytest.raises(InputError, match=r"unknown skeleton 'openpose'"):
        load_poses(tmp_path / "j.npy", skeleton="openpose")
