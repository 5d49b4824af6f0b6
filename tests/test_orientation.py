import numpy as np
import pytest

from posescript_pipeline.body import create
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.orientation import Z_UP_TO_Y_UP, normalise
from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle, rotation_about_x, rotation_about_y
from tests.crafted import crafted_rotvecs

HEAD, PELVIS, LHIP, RHIP = (JOINT_INDEX[n] for n in ("head", "pelvis", "left_hip", "right_hip"))


def _posed(name, root_matrices):
    rotvecs = np.repeat(crafted_rotvecs(name), len(root_matrices), axis=0)
    rotvecs[:, 0] = matrix_to_axis_angle(root_matrices)
    return rotvecs, create().joints(rotvecs)


def test_z_up_standing_body_ends_up_y_up():
    # a z-up body (AMASS): the y-up body turned by +90 deg about x, facing -y
    rotvecs, joints = _posed("standing", Z_UP_TO_Y_UP.T[None])
    assert joints[0, HEAD, 2] > 0.5 and joints[0, HEAD, 1] == pytest.approx(0, abs=0.05)
    canonical, root = normalise(joints, rotvecs[:, 0], up="z")
    assert canonical[0, HEAD, 1] > 0.5
    assert np.allclose(root, 0, atol=1e-6)
    assert np.allclose(canonical, create().joints(crafted_rotvecs("standing")), atol=1e-5)


def test_yaw_removed_pitch_kept_root_consistent():
    yaws = np.radians([0, 50, 135, -170])
    roots = rotation_about_y(yaws) @ rotation_about_x(np.radians(30))  # leaning forward 30 deg, turned
    rotvecs, joints = _posed("squat", roots)
    canonical, root = normalise(joints + 5.0, rotvecs[:, 0])
    assert np.allclose(canonical[:, PELVIS], 0, atol=1e-5)
    hips = canonical[:, LHIP] - canonical[:, RHIP]
    assert np.allclose(hips[:, 2], 0, atol=1e-5) and (hips[:, 0] > 0).all()
    assert np.allclose(axis_angle_to_matrix(root), rotation_about_x(np.radians(30)), atol=1e-5)
    rotvecs[:, 0] = root
    assert np.allclose(create().joints(rotvecs), canonical, atol=1e-5)  # FK with the normalised root


def test_missing_joints_stay_nan_and_bad_up_rejected():
    joints = create().joints(crafted_rotvecs("standing"))
    joints[0, 30] = np.nan
    out, root = normalise(joints)
    assert root is None and np.isnan(out[0, 30]).all() and np.isfinite(out[0, :30]).all()
    assert out.dtype == np.float32
    with pytest.raises(ValueError, match="up"):
        normalise(joints, up="x")
