import numpy as np
import pytest

from posescript_pipeline.body import create
from posescript_pipeline.sampling import farthest_point_sampling


def mpje_to(joints, point):
    """Float32 MPJE of every pose to one pose: joint norms summed in index order, over the joint count."""
    total = np.zeros(len(joints), np.float32)
    for j in range(joints.shape[1]):
        d = joints[:, j] - point[j]
        total += np.sqrt((d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1]) + d[:, 2] * d[:, 2])
    return total / np.float32(joints.shape[1])


def naive_fps(joints, n, start=0):
    """The published loop, never re-picking a selected pose: (indices, final min distances, pick distances)."""
    joints = np.asarray(joints, np.float32)
    mind = np.full(len(joints), np.inf, np.float32)
    selected = np.zeros(len(joints), bool)
    indices, picks = [start], [np.inf]
    for _ in range(n):
        mind = np.minimum(mind, mpje_to(joints, joints[indices[-1]]))
        selected[indices[-1]] = True
        if len(indices) == n:
            break
        masked = np.where(selected, -1, mind)
        indices.append(int(masked.argmax()))
        picks.append(masked[indices[-1]])
    return np.array(indices), mind, np.array(picks, np.float32)


def body_poses(n, seed):
    rotvecs = np.zeros((n, 52, 3), np.float32)
    rotvecs[:, 1:22] = np.random.default_rng(seed).normal(0, 0.3, (n, 21, 3))
    return create().joints(rotvecs)[:, :22]


def motion_poses(n_sequences, length, seed):
    """Smooth random-walk sequences: many near-duplicates."""
    rng = np.random.default_rng(seed)
    rotvecs = np.zeros((n_sequences, length, 52, 3), np.float32)
    walk = rng.normal(0, 0.3, (n_sequences, 1, 21, 3)) + np.cumsum(rng.normal(0, 0.02, (n_sequences, length, 21, 3)), 1)
    rotvecs[:, :, 1:22] = walk
    return create().joints(rotvecs.reshape(-1, 52, 3))[:, :22]


def clustered(n, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (6, 22, 3))
    return (centres[rng.integers(0, 6, n)] + rng.normal(0, 0.01, (n, 22, 3))).astype(np.float32)


def lattice(n, seed):
    """Small integer coordinates: exact duplicates and many exactly tied distances."""
    return np.random.default_rng(seed).integers(0, 2, (n, 5, 3)).astype(np.float32)


@pytest.mark.parametrize("joints, n, start", [
    (body_poses(1500, 0), 600, 0),
    (motion_poses(15, 100, 1), 1500, 3),
    (clustered(800, 2), 300, 17),
    (lattice(400, 3), 400, 5),
    (np.concatenate([body_poses(300, 4)] * 3), 700, 250),
    (np.random.default_rng(5).normal(0, 1, (500, 3, 3)).astype(np.float64), 200, 499),
])
def test_identical_to_naive(joints, n, start):
    result = farthest_point_sampling(joints, n, start=start)
    indices, mind, picks = naive_fps(joints, n, start)
    np.testing.assert_array_equal(result.indices, indices)
    np.testing.assert_array_equal(result.min_distance, mind)
    np.testing.assert_array_equal(result.pick_distance, picks)
    assert result.indices.dtype == np.int64 and result.min_distance.dtype == result.pick_distance.dtype == np.float32


def test_order_and_distances():
    joints = body_poses(1000, 6)
    result = farthest_point_sampling(joints, 200, start=42)
    assert result.indices[0] == 42 and len(set(result.indices.tolist())) == 200
    assert result.indices[1] == int(np.argmax(mpje_to(joints, joints[42])))
    assert result.pick_distance[0] == np.inf
    assert np.all(np.diff(result.pick_distance[1:]) <= 0)
    assert np.all(result.min_distance[result.indices] == 0)
    assert result.min_distance.max() <= result.pick_distance[-1]
    np.testing.assert_allclose(
        result.min_distance,
        np.linalg.norm(joints[:, None] - joints[result.indices][None], axis=-1).mean(-1).min(1), rtol=1e-5)
    again = farthest_point_sampling(joints, 200, start=42, progress=True)
    np.testing.assert_array_equal(again.indices, result.indices)


def test_all_and_single():
    joints = lattice(60, 7)
    assert sorted(farthest_point_sampling(joints, 60).indices.tolist()) == list(range(60))
    single = farthest_point_sampling(joints[:1], 1)
    assert single.indices.tolist() == [0] and single.min_distance.tolist() == [0]


def test_errors():
    joints = body_poses(10, 8)
    with pytest.raises(ValueError, match="n=11"):
        farthest_point_sampling(joints, 11)
    with pytest.raises(ValueError, match="n=0"):
        farthest_point_sampling(joints, 0)
    with pytest.raises(ValueError, match="start=10"):
        farthest_point_sampling(joints, 2, start=10)
    with pytest.raises(ValueError, match=r"\(N, J, 3\)"):
        farthest_point_sampling(joints.reshape(10, 66), 2)
    joints[3, 4, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        farthest_point_sampling(joints, 2)


def test_torch_kernel_identical_to_naive(monkeypatch):
    """The CUDA path's code, run on the CPU (in chunks): float64 sqrt and division give numpy's float32 distances."""
    torch = pytest.importorskip("torch")
    from posescript_pipeline import sampling

    monkeypatch.setattr(sampling, "TORCH_CHUNK", 128)
    for joints, n, start in [(body_poses(700, 9), 300, 4), (lattice(200, 10), 200, 0)]:
        indices, mind, picks = sampling._brute_fps_torch(joints, n, start, None, torch.device("cpu"))
        expected = naive_fps(joints, n, start)
        for got, want in zip((indices, mind, picks), expected):
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("joints, n, start", [
    (body_poses(3000, 11), 1200, 7),
    (motion_poses(20, 100, 12), 2000, 0),
    (np.concatenate([lattice(150, 13), lattice(150, 13)]), 300, 299),
    (np.concatenate([clustered(500, 14)] * 2), 900, 3),
    (np.random.default_rng(15).normal(0, 1, (300, 1, 3)).astype(np.float32), 300, 100),
])
def test_threads_chunks_and_compaction(monkeypatch, joints, n, start):
    """Work split between threads, measured in small chunks, store compacted often: still the naive picks."""
    from posescript_pipeline import sampling

    monkeypatch.setattr(sampling, "THREADS", 3)
    monkeypatch.setattr(sampling, "SPLIT", 16)
    monkeypatch.setattr(sampling, "CHUNK", 100)
    monkeypatch.setattr(sampling, "SLACK", 0.05)
    result = farthest_point_sampling(joints, n, start=start)
    for got, want in zip(result, naive_fps(joints, n, start)):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("n_poses", [1, 2, 3, 5])
def test_tiny(n_poses):
    joints = body_poses(n_poses, 16)
    for n in range(1, n_poses + 1):
        for start in {0, n_poses - 1}:
            result = farthest_point_sampling(joints, n, start=start)
            for got, want in zip(result, naive_fps(joints, n, start)):
                np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("joints", [
    body_poses(2000, 17),
    lattice(500, 18),
    (body_poses(800, 19) + np.float32(1000)),  # large coordinates: float32 spacing 6e-5
    np.concatenate([body_poses(3000, 20), body_poses(1, 21) * 50]),  # an outlier, clipped out of the code range
])
def test_code_bound_below_distance(joints):
    """The uint8 code L1 bound never exceeds J x MPJE, whatever the point, and is tight for typical poses."""
    from posescript_pipeline import sampling

    state = sampling._Sampler(joints, 2, None, 1)
    state.first(joints, 0)
    entries = np.arange(len(joints))
    for pose in (1, len(joints) // 2, len(joints) - 1):
        record = state.member_record[state.slot[pose]].copy()
        l1 = sampling._code_l1(state.member_record[entries].copy(), sampling._Block.of(record), state.code_weights)
        exact = mpje_to(joints, joints[pose])[state.member_pose[entries]]
        bound = (l1.astype(np.float64) - sampling.CODE_ROUNDING) * state.code_step / np.sqrt(3)  # |x - p|_1 / sqrt(3)
        assert np.all(bound <= joints.shape[1] * exact.astype(np.float64))
        if pose < 3000:  # and it does bound, except from the outlier
            typical = state.member_pose[entries] < 3000
            assert np.median(bound[typical] / (joints.shape[1] * exact[typical] + 1e-9)) > 0.5


@pytest.mark.parametrize("joints, n, start", [
    (body_poses(1500, 22) + np.float32(1000), 500, 0),
    (np.concatenate([body_poses(1000, 23), body_poses(1, 24) * 50]), 400, 1000),
    (np.concatenate([motion_poses(5, 100, 25)] * 2), 1000, 999),  # exact duplicates, ties
])
def test_more_kinds_identical_to_naive(joints, n, start):
    for got, want in zip(farthest_point_sampling(joints, n, start=start), naive_fps(joints, n, start)):
        np.testing.assert_array_equal(got, want)
