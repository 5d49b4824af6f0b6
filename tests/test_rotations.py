import numpy as np
import pytest

from posescript_pipeline.rotations import (
    axis_angle_to_matrix, axis_angle_to_quaternion, euler_to_quaternion, matrix_to_axis_angle, matrix_to_euler,
    quaternion_multiply, quaternion_rotate, quaternion_to_axis_angle, rotation_about_x, rotation_about_y,
    rotation_about_z,
)


def test_round_trip_any_leading_dims_and_near_pi():
    rng = np.random.default_rng(0)
    v = rng.normal(0, 1.2, (4, 5, 3))
    v[0, 0] = [np.pi - 1e-7, 0, 0]
    v[0, 1] = [0, 0, 1e-9]
    m = axis_angle_to_matrix(v)
    assert m.shape == (4, 5, 3, 3)
    assert np.allclose(m @ np.swapaxes(m, -1, -2), np.eye(3), atol=1e-12)
    assert np.allclose(np.linalg.det(m), 1)
    assert np.allclose(axis_angle_to_matrix(matrix_to_axis_angle(m)), m, atol=1e-9)
    back = matrix_to_axis_angle(m[1:])
    angles = np.linalg.norm(v[1:], axis=-1, keepdims=True)
    wrapped = v[1:] * (1 - 2 * np.pi / angles)  # the same rotation with angle in [0, pi]
    assert np.allclose(back, np.where(angles <= np.pi, v[1:], wrapped), atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_preserved(dtype):
    v = np.ones((2, 3), dtype)
    assert axis_angle_to_matrix(v).dtype == dtype
    assert matrix_to_axis_angle(axis_angle_to_matrix(v)).dtype == dtype
    assert rotation_about_y(np.zeros(2, dtype)).dtype == dtype


def test_axis_rotations_follow_right_hand_rule():
    assert np.allclose(rotation_about_x(np.pi / 2) @ [0, 1, 0], [0, 0, 1])
    assert np.allclose(rotation_about_y(np.pi / 2) @ [0, 0, 1], [1, 0, 0])
    assert rotation_about_y(np.zeros((3, 2))).shape == (3, 2, 3, 3)


def test_axis_rotations_follow_right_hand_rule_about_z():
    assert np.allclose(rotation_about_z(np.pi / 2) @ [1, 0, 0], [0, 1, 0])


@pytest.mark.parametrize("order", ["zyx", "xzy", "yzx", "xyz", "zxy", "yxz"])
def test_euler_angles_invert_their_composition(order):
    rng = np.random.default_rng(1)
    angles = rng.uniform(-1.2, 1.2, (10, 3))
    about = {ax: axis_angle_to_matrix(np.eye(3)[k] * angles[:, k:k + 1]) for k, ax in enumerate("xyz")}
    composed = about[order[0]] @ about[order[1]] @ about[order[2]]
    assert np.allclose(matrix_to_euler(composed, order), angles)
    q = euler_to_quaternion(angles, order)
    assert np.allclose(axis_angle_to_matrix(quaternion_to_axis_angle(q)), composed)


def test_quaternions_are_scalar_last_and_compose_like_matrices():
    rng = np.random.default_rng(2)
    a, b = rng.normal(0, 1, (2, 6, 3))
    qa, qb = axis_angle_to_quaternion(a), axis_angle_to_quaternion(b)
    assert np.allclose(axis_angle_to_quaternion(np.zeros(3)), [0, 0, 0, 1])
    product = axis_angle_to_matrix(quaternion_to_axis_angle(quaternion_multiply(qa, qb)))
    assert np.allclose(product, axis_angle_to_matrix(a) @ axis_angle_to_matrix(b))
    v = rng.normal(0, 1, (6, 3))
    assert np.allclose(quaternion_rotate(qa, v), np.einsum("nij,nj->ni", axis_angle_to_matrix(a), v))
    first = quaternion_multiply(qa.T, qb.T, axis=0).T  # components on the first axis: same products
    assert np.array_equal(first, quaternion_multiply(qa, qb))
