"""Farthest point sampling (FPS) of poses under MPJE, exact and fast (section B of the pairs spec).

MPJE(a, b), computed in float32: per joint sqrt((dx*dx + dy*dy) + dz*dz), summed over the joints in index
order, divided by the number of joints J. The published loop (every step: min distance of every pose to the
last pick, then the argmax, lowest index on ties) reads all N poses per pick. With a GPU (torch and CUDA) that
loop runs on the device (`_brute_fps_torch`); on the CPU `_pruned_fps` makes the same picks with numpy on all
cores, measuring only the poses the new pick p may get closer to:

- every pose x keeps its nearest selected centre c (owner) at distance mind(x); a centre's radius is the
  largest mind among its members. MPJE is a metric, so d(x, p) >= d(c, p) - mind(x): x can get closer to p
  only if d(c, p) < 2 mind(x);
- centres: c is skipped when d(c, p) >= 2 radius(c). The partial sum over the joints that move most is a lower
  bound of J d(c, p), summed for all centres at once (joint-major layout); the other joints are added only for
  the centres it does not rule out;
- members: a centre's members are stored contiguously, sorted by decreasing mind, so those with
  mind(x) >= d(c, p) / 2 are a prefix (binary search);
- each of those is first bounded with an 8-bit code of its coordinates (one 64-byte record per member with its
  mind): J d(x, p) >= |x - p|_1 / sqrt(3), and the L1 distance of the codes, less their rounding errors, bounds
  |x - p|_1; then partial sums over a few joints at a time, dropped once one reaches J mind(x); the survivors get
  the exact float32 MPJE, the same float32 operations as the published loop.

Each member joins its centre when the centre is picked and only ever leaves, so members are appended centre
after centre to one store (pose, sort key, record, float32 coordinates) that is compacted when full. The work of
a pick (centres, then members) is split between the cores: numpy releases the GIL.

Every bound keeps a relative margin (MARGIN) far above float32 rounding (below 30 units in the last place of
an MPJE), so distances and picks are bit-identical to the naive loop's. Memory is linear in N: the store holds at
most (1 + SLACK) N poses (float32 coordinates and a record: about 330 bytes each for 22 joints) plus a few
N-sized vectors.
"""
import os
from contextlib import nullcontext
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

MARGIN = np.float32(1 + 1e-4)  # float32 rounding of one MPJE is below 1e-5 relative
HALF = np.float32(0.5) / MARGIN  # a member x of centre c can get closer to p only if mind(x) >= HALF d(c, p)
CHUNK = 1 << 14  # poses measured at once
STAGES = (8, 12)  # joint counts (largest spread first) after which partial sums are tested
SLACK = 0.5  # spare member entries, as a fraction of N, before the store is compacted
TILE = 16  # copies of the point in the flat subtraction
SPLIT = 4096  # smallest share of work handed to another thread
DENSE = 0.25  # centres: fraction above which the next block is summed for all of them
KEY_TOP = np.int64(0x7FFFFFFF)
THREADS = None  # worker threads (None: one per available core)
TORCH_CHUNK = 1 << 18  # poses per chunk on the GPU
CODE_SAMPLE = 100_000  # poses sampled to choose the code range
CODE_CLIP = 1e-3  # fraction of the sampled coordinates clipped on each side of the code range
CODE_ROUNDING = np.float32(0.01)  # bound on the float32 rounding of code L1 distances (< 2 * 16830 * 2**-24)


class FPSResult(NamedTuple):
    indices: np.ndarray  # (n,) int64 in pick order, indices[0] == start
    min_distance: np.ndarray  # (N,) float32 final MPJE of every pose to the selected set (0 when selected)
    pick_distance: np.ndarray  # (n,) float32 MPJE of each pick to the poses picked before it (inf for the first)


def _plane_norms(coords, point):
    """(3j, m) coordinates (joint-major rows x, y, z), (3j,) point -> (j, m) float32 per-joint distances."""
    d = coords - point[:, None]
    d *= d
    s = d[0::3] + d[1::3]
    s += d[2::3]
    return np.sqrt(s, out=s)


def _tiled(ufunc, rows, point, out):
    """ufunc(rows, point) into out, for (m, w) rows and a _Block point, on long flat rows (numpy is slow on many
    short rows): the point is tiled TILE times."""
    m, w = rows.shape
    head = m - m % TILE
    ufunc(rows[:head].reshape(-1, TILE * w), point.tiled, out=out[:head].reshape(-1, TILE * w))
    ufunc(rows[head:], point.coords, out=out[head:])
    return out


def _row_norms(rows, point):
    """(m, 3j) coordinates (a copy, overwritten), _Block point -> (m, j) float32 per-joint distances: exactly the
    published per-joint float32 sqrt((dx*dx + dy*dy) + dz*dz)."""
    flat = _tiled(np.subtract, rows, point, rows).reshape(-1)
    flat *= flat
    s = flat[0::3] + flat[1::3]
    s += flat[2::3]
    return np.sqrt(s, out=s).reshape(len(rows), rows.shape[1] // 3)


def _code_l1(records, point, weights):
    """(m, w + 8) uint8 member records (a copy, overwritten), _Block record of the point -> (m,) float32 lower
    bounds of |x - p|_1 / step (up to CODE_ROUNDING): with codes y, |y - y'|_1 = sum(y) + sum(y') - 2 sum(min(y, y')),
    less the rounding errors of both (see _Sampler.quantize). The minima are summed in pairs (uint16) before the
    float32 sum (weights 0 for the bytes of the two floats)."""
    sums = records[:, -8:-4].copy().view(np.float32)[:, 0]
    low = _tiled(np.minimum, records, point, records).view(np.uint16)
    pairs = low & 255
    low >>= 8
    pairs += low
    return sums + point.coords[-8:-4].view(np.float32)[0] - 2 * (pairs.astype(np.float32) @ weights)


class _Block(NamedTuple):
    """The coordinates of a point in one column block, and the same tiled TILE times."""
    coords: np.ndarray
    tiled: np.ndarray

    @classmethod
    def of(cls, point):
        return cls(point, point[np.arange(TILE * len(point)) % len(point)])


def _nonzero(mask):
    """Indices of the true entries of a 1-d mask."""
    return mask.nonzero()[0]


def _ranges(begin, length):
    """Concatenation of the index ranges [begin[i], begin[i] + length[i])."""
    start = np.cumsum(length) - length
    return np.repeat(begin - start, length) + np.arange(start[-1] + length[-1] if len(length) else 0)


def _keys(centre, mind):
    """Store sort keys: by centre, then by decreasing mind (>= 0, whose float32 bits increase with it)."""
    return (np.asarray(centre, np.int64) << 32) | (KEY_TOP - np.ascontiguousarray(mind).view(np.int32))


def _parts(count, parts):
    """Bounds of up to `parts` near-equal slices of range(count), none smaller than SPLIT (but the only one)."""
    parts = max(1, min(parts, count // SPLIT))
    return [count * i // parts for i in range(parts + 1)]


def _split_ranges(begin, length, parts):
    """Cut index ranges [begin[i], begin[i] + length[i]) into at most `parts` lists of (begin, length) with
    near-equal total lengths (none below SPLIT but the only one)."""
    end = np.cumsum(length)
    total = int(end[-1]) if len(end) else 0
    cuts = _parts(total, parts)
    split = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        i, j = np.searchsorted(end, a, side="right"), np.searchsorted(end, b, side="left") + 1
        first, count = begin[i:j].copy(), length[i:j].copy()
        if len(count):
            skip = a - (end[i] - length[i])
            first[0] += skip
            count[0] -= skip
            count[-1] -= end[j - 1] - b
        split.append((first, count))
    return split


class _Sampler:
    """One run's state.

    Joints are stored sorted by decreasing spread, in column blocks (one per stage). Centre c's members are the
    store entries begin[c]:begin[c+1], sorted by decreasing mind: member_pose, member_key (_keys of the mind they
    joined with), member_record (code, code sums and mind, -inf once the pose left the centre or was selected;
    member_code_sum and member_mind view them) and member_blocks (coordinates). slot[x] is the entry of pose x.
    Centres are kept both transposed (centre_plane: blocks are summed for all centres at once) and in column
    blocks (centre_blocks: read for the few centres left).
    """

    def __init__(self, joints, n, pool, threads):
        n_poses, n_joints = joints.shape[:2]
        spread = joints[:: max(1, n_poses // 20000)].var(axis=0).sum(axis=1)
        self.order = np.argsort(-spread, kind="stable")
        self.restore = np.argsort(self.order)  # column of joint j in per-joint norms of stored poses
        self.n_joints = n_joints
        cuts = np.array([0] + [j for j in STAGES if j < n_joints] + [n_joints]) * 3
        self.spans = list(zip(cuts[:-1], cuts[1:]))  # columns of each block in a stored pose
        self.ones = [np.ones(hi // 3 - lo // 3, np.float32) for lo, hi in self.spans] + [np.ones(n_joints, np.float32)]
        self.pool = pool
        self.threads = threads
        cap = n_poses + int(SLACK * n_poses) + 1
        self.member_blocks = [np.empty((cap, hi - lo), np.float32) for lo, hi in self.spans]
        sample = self.rows(joints[:: max(1, n_poses // CODE_SAMPLE)]).astype(np.float64)
        lo, hi = np.quantile(sample, [CODE_CLIP, 1 - CODE_CLIP], axis=0)
        self.code_columns = _nonzero(hi > lo)  # (nearly) constant coordinates are left out of the code
        self.code_lo = lo[self.code_columns]
        self.code_step = float((hi - lo).max()) / 255 or 1.0
        width = -(-len(self.code_columns) // 4) * 4
        self.member_record = np.zeros((cap, width + 8), np.uint8)  # code, code sums (float32), mind (float32)
        self.code_scale = np.float32(1.7321 * n_joints * MARGIN / self.code_step)  # J MPJE >= |x - x'|_1 / sqrt(3)
        self.member_code_sum = self.member_record[:, width : width + 4].view(np.float32)[:, 0]
        self.member_mind = self.member_record[:, width + 4 :].view(np.float32)[:, 0]  # -inf once it left
        self.code_weights = np.ones(width // 2 + 4, np.float32)  # pairs of code bytes; 0 for the two floats
        self.code_weights[width // 2 :] = 0
        self.member_pose = np.empty(cap, np.int32)
        self.member_key = np.empty(cap, np.int64)
        self.slot = np.empty(n_poses, np.int64)
        self.mind = np.empty(n_poses, np.float32)  # -1 once selected
        self.begin = np.zeros(n + 1, np.int64)  # begin[k] is also the end of the last centre's members
        self.radius = np.empty(n, np.float32)
        self.centre_plane = np.empty((3 * n_joints, n), np.float32)  # centre coordinates, transposed
        self.centre_blocks = [np.empty((n, hi - lo), np.float32) for lo, hi in self.spans]

    def rows(self, joints):
        """(m, J, 3) joints -> (m, 3J) float32 stored coordinates."""
        return np.asarray(joints, np.float32)[:, self.order].reshape(len(joints), -1)

    def run(self, f, jobs):
        """[f(*job) for job in jobs], the first in this thread, the others in the pool."""
        futures = [self.pool.submit(f, *job) for job in jobs[1:]]
        return [f(*jobs[0])] + [future.result() for future in futures]

    def cascade(self, blocks, index, point, norms, bound):
        """Per-joint distances to point (a _Block per block) of the candidates index[i], given the (m, j) norms of
        their first block: after each block but the last, candidates whose partial joint sum reaches bound[i] are
        dropped. Returns the kept positions i and their (m, J) per-joint distances (stored joint order)."""
        kept = np.arange(len(index))
        norms = [norms]
        total = np.zeros(len(index), np.float32)
        for block in range(1, len(self.spans)):
            total += norms[-1] @ self.ones[block - 1]
            keep = _nonzero(total < bound)
            kept, total, bound = kept[keep], total[keep], bound[keep]
            norms = [n[keep] for n in norms]
            norms.append(_row_norms(blocks[block].take(index[kept], axis=0), point[block]))
        return kept, np.concatenate(norms, axis=1)

    def exact(self, norms):
        """(m, J) per-joint distances (stored joint order) -> exact float32 MPJE: summed in joint index order."""
        dist = norms[:, self.restore[0]].copy()
        for j in self.restore[1:]:
            dist += norms[:, j]
        dist /= np.float32(self.n_joints)
        return dist

    def first(self, joints, start):
        """Centre 0: every pose is its member, stored by decreasing distance to it."""
        n_poses = len(joints)
        point = self.rows(joints[start : start + 1])[0]
        parts = self.blocks_of(point)

        def measure(a, b):
            dist = []
            for s in range(a, b, CHUNK):
                rows = self.rows(joints[s : min(b, s + CHUNK)])
                dist.append(self.exact(np.concatenate([_row_norms(np.ascontiguousarray(rows[:, lo:hi]), part)
                                                       for (lo, hi), part in zip(self.spans, parts)], axis=1)))
            return np.concatenate(dist)

        bounds = _parts(n_poses, self.threads)
        dist = np.concatenate(self.run(measure, list(zip(bounds[:-1], bounds[1:]))))
        order = np.argsort(-dist, kind="stable")
        for a in range(0, n_poses, CHUNK):
            rows = self.rows(joints[order[a : a + CHUNK]])
            for block, (lo, hi) in zip(self.member_blocks, self.spans):
                block[a : a + len(rows)] = rows[:, lo:hi]
            code, self.member_code_sum[a : a + len(rows)] = self.quantize(rows)
            self.member_record[a : a + len(rows), : code.shape[1]] = code
        self.member_pose[:n_poses] = order
        self.member_mind[:n_poses] = dist[order]
        self.member_key[:n_poses] = _keys(0, self.member_mind[:n_poses])
        self.slot[order] = np.arange(n_poses)
        self.mind[:] = dist
        self.begin[1] = n_poses
        self.member_mind[self.slot[start]] = -np.inf
        self.select(0, start, point)
        self.radius[0] = self.member_mind[:n_poses].max()

    def select(self, k, pose, point):
        """Record pose as centre k."""
        self.mind[pose] = -1
        self.centre_plane[:, k] = point
        for block, (lo, hi) in zip(self.centre_blocks, self.spans):
            block[k] = point[lo:hi]

    def quantize(self, rows):
        """(m, 3J) stored coordinates -> uint8 codes y ~ (x - lo) / step (a common step, clipped to 0..255), and
        the code sums less the rounding errors, sum(y) - |x - lo - step y|_1 / step, rounded down to float32.

        Then |x - x'|_1 / step >= |y - y'|_1 - errors >= sums(x) + sums(x') - 2 sum(min(y, y')), however far out
        of the code range (clipped) x or x' lie."""
        exact = (rows[:, self.code_columns] - self.code_lo) / self.code_step
        code = np.clip(np.rint(exact), 0, 255)
        error = np.abs(exact - code) + 1e-12 * (np.abs(exact) + 1)  # float64 rounding of exact, with room
        sums = code.sum(axis=1) - error.sum(axis=1)
        rounded = sums.astype(np.float32)
        return code.astype(np.uint8), np.where(rounded > sums, np.nextafter(rounded, np.float32(-np.inf)), rounded)

    def point(self, pose):
        """Stored coordinates of one pose, and its store entry."""
        entry = self.slot[pose]
        return np.concatenate([block[entry] for block in self.member_blocks]), entry

    def blocks_of(self, point):
        """A stored point as one _Block per column block."""
        return [_Block.of(point[lo:hi]) for lo, hi in self.spans]

    def near(self, lo, hi, point):
        """(centres, d(c, p)) of the centres c in [lo, hi) that may have members closer to p: d(c, p) < 2 radius(c).

        Block after block, joint sums are added for all centres at once (transposed: long rows) while more than
        DENSE of them remain; the other blocks only for the centres the partial sum does not rule out."""
        reach = self.radius[lo:hi] * (2 * MARGIN * np.float32(self.n_joints))  # on joint sums
        total = np.zeros(hi - lo, np.float32)
        for block, (a, b) in enumerate(self.spans):
            total += self.ones[block] @ _plane_norms(self.centre_plane[a:b, lo:hi], point[a:b])
            near = _nonzero(total < reach)
            if len(near) < DENSE * (hi - lo):
                break
        total = total[near]
        if block + 1 < len(self.spans):
            rows = np.concatenate([rows.take(near + lo, axis=0) for rows in self.centre_blocks[block + 1 :]], axis=1)
            total += _row_norms(rows, _Block.of(point[b:])) @ self.ones[-1][: rows.shape[1] // 3]
            keep = _nonzero(total < reach[near])
            near, total = near[keep], total[keep]
        return near + lo, total / np.float32(self.n_joints)

    def candidates(self, k, centres, centre_dist):
        """(begin, length) of the store ranges holding the members x of the given centres with
        mind(x) >= HALF d(c, p) (and of poses that left them): prefixes, as members are sorted by mind."""
        begin = self.begin[centres]
        bound = _keys(centres, centre_dist * HALF)
        return begin, np.searchsorted(self.member_key[: self.begin[k]], bound, side="right") - begin

    def closer(self, begin, length, point, code):
        """[(entries, distances)] of the members in the given store ranges whose exact MPJE to point is below
        their mind (the entries of poses that left have mind -inf)."""
        entries = _ranges(begin, length)
        found = []
        for s in range(0, len(entries), CHUNK):
            part = entries[s : s + CHUNK]
            records = self.member_record.take(part, axis=0)
            mind = records[:, -4:].copy().view(np.float32)[:, 0]
            l1 = _code_l1(records, code, self.code_weights)
            keep = _nonzero(l1 < CODE_ROUNDING + self.code_scale * mind)
            part, mind = part[keep], mind[keep]
            lead = _row_norms(self.member_blocks[0].take(part, axis=0), point[0])
            kept, norms = self.cascade(self.member_blocks, part, point, lead, mind * (np.float32(self.n_joints) * MARGIN))
            dist = self.exact(norms)
            keep = _nonzero(dist < mind[kept])
            found.append((part[kept[keep]], dist[keep]))
        return found

    def add_centre(self, k, pose):
        """Make pose centre k: move to it every pose it is closer to, then refresh the radii."""
        point, entry = self.point(pose)
        parts, code = self.blocks_of(point), _Block.of(self.member_record[entry].copy())
        bounds = _parts(k, self.threads)
        near = self.run(self.near, [(a, b, point) for a, b in zip(bounds[:-1], bounds[1:])])
        centres, centre_dist = np.concatenate([c for c, _ in near]), np.concatenate([d for _, d in near])
        begin, length = self.candidates(k, centres, centre_dist)
        jobs = [(b, n, parts, code) for b, n in _split_ranges(begin, length, self.threads)]
        found = [f for job in self.run(self.closer, jobs) for f in job]
        moved = np.concatenate([np.empty(0, np.int64)] + [e for e, _ in found])
        dist = np.concatenate([np.empty(0, np.float32)] + [d for _, d in found])
        poses = self.member_pose[moved]
        new = _nonzero(poses != pose)
        new = new[np.argsort(-dist[new], kind="stable")]
        moved, poses, dist = moved[new], poses[new], dist[new]
        rows = [block[moved] for block in self.member_blocks + [self.member_record]]
        left = np.append(moved, self.slot[pose])
        self.member_mind[left] = -np.inf
        self.refresh(np.unique(np.searchsorted(self.begin[1 : k + 1], left, side="right")))
        self.mind[poses] = dist
        self.append(k, poses, dist, rows)
        self.select(k, pose, point)
        self.radius[k] = dist[0] if len(dist) else -np.inf

    def append(self, k, poses, mind, rows):
        """Store the members of centre k after the last centre's (compacting the store first if they do not fit)."""
        fill = self.begin[k]
        if fill + len(poses) > len(self.member_pose):
            fill = self.compact(k)
        end = fill + len(poses)
        self.member_pose[fill:end] = poses
        for block, part in zip(self.member_blocks + [self.member_record], rows):
            block[fill:end] = part
        self.member_mind[fill:end] = mind
        self.member_key[fill:end] = _keys(k, mind)
        self.slot[poses] = np.arange(fill, end)
        self.begin[k + 1] = end

    def compact(self, k):
        """Move the entries of poses still with their centre to the front of the store; returns the new fill."""
        valid = self.member_mind[: self.begin[k]] >= 0
        self.begin[: k + 1] = np.concatenate([[0], np.cumsum(valid)])[self.begin[: k + 1]]
        keep = _nonzero(valid)
        for s in range(0, len(keep), CHUNK):  # in place: entry keep[i] >= i moves down to i
            part = keep[s : s + CHUNK]
            for array in [self.member_pose, self.member_key, self.member_record] + self.member_blocks:
                array[s : s + len(part)] = array[part]
        self.slot[self.member_pose[: len(keep)]] = np.arange(len(keep))
        return len(keep)

    def refresh(self, centres):
        """Recompute the radius of the given centres (with at least one member entry each)."""
        length = self.begin[centres + 1] - self.begin[centres]
        entries = _ranges(self.begin[centres], length)
        self.radius[centres] = np.maximum.reduceat(self.member_mind[entries], np.cumsum(length) - length)

    def farthest(self, k):
        """Unselected pose with the largest mind (lowest index on ties), and that mind."""
        top = self.radius[:k].max()
        near = _nonzero(self.radius[:k] == top)
        entries = _ranges(self.begin[near], self.begin[near + 1] - self.begin[near])
        r = int(self.member_pose[entries[self.member_mind[entries] == top]].min()), top
        return r


def farthest_point_sampling(joints, n, start=0, progress=False):
    """Pick n poses by FPS under MPJE: exactly the published picks (start first, argmax, lowest index on ties).

    joints: (N, J, 3) array, e.g. the 22 orientation-normalised body joints. Returns FPSResult; pick_distance[0]
    is inf. Unlike the published code (nb_select + 1 items) it returns exactly n picks, and never picks a pose
    twice: once only already-selected poses and their exact duplicates remain, the lowest unselected index wins.
    """
    joints = np.asarray(joints)
    if joints.ndim != 3 or joints.shape[2] != 3 or joints.shape[1] == 0:
        raise ValueError(f"joints must have shape (N, J, 3), got {joints.shape}")
    n_poses = len(joints)
    if not 1 <= n <= n_poses:
        raise ValueError(f"cannot pick n={n} poses out of {n_poses} candidates (need 1 <= n <= N)")
    if not 0 <= start < n_poses:
        raise ValueError(f"start={start} is not a candidate index (N={n_poses})")
    if not np.isfinite(joints).all():
        raise ValueError("joints contain NaN or infinite coordinates")
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=n, desc="farthest point sampling", unit="pose")
    try:
        device = _cuda()
        if device is None:
            indices, mind, picks = _pruned_fps(joints, n, start, bar)
        else:
            indices, mind, picks = _brute_fps_torch(joints, n, start, bar, device)
    finally:
        if bar is not None:
            bar.close()
    return FPSResult(indices, mind, picks)


def _cores():
    """CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _cuda():
    """The CUDA device when torch is installed and sees a GPU, else None."""
    try:
        import torch
    except ImportError:
        return None
    return torch.device("cuda") if torch.cuda.is_available() else None


def _pruned_fps(joints, n, start, bar):
    """FPS on the CPU with numpy, pruned by the triangle inequality and partial sums, on all cores."""
    threads = THREADS or _cores()
    indices = np.empty(n, np.int64)
    picks = np.empty(n, np.float32)
    indices[0], picks[0] = start, np.inf
    with ThreadPoolExecutor(threads - 1) if threads > 1 else nullcontext() as pool:
        state = _Sampler(joints, n, pool, threads)
        for k in range(n):
            if k:
                indices[k], picks[k] = state.farthest(k)
                state.add_centre(k, indices[k])
            else:
                state.first(joints, start)
            if bar is not None:
                bar.update()
    return indices, np.maximum(state.mind, 0), picks


def _brute_fps_torch(joints, n, start, bar, device):
    """The published loop with torch on device, without a host synchronisation per pick.

    Coordinates are stored (J, 3, N) so that each op runs over all poses of a chunk. Float32 subtractions,
    products and sums are IEEE on every device; sqrt and the division by J are done in float64 and rounded to
    float32, which gives the correctly rounded float32 result (double rounding is innocuous for them), so the
    distances are bit-identical to numpy's whatever the device's float32 sqrt."""
    import torch

    n_poses, n_joints = joints.shape[:2]
    coords = torch.from_numpy(np.asarray(joints, np.float32).transpose(1, 2, 0).copy()).to(device)
    mind = torch.full((n_poses,), float("inf"), dtype=torch.float32, device=device)
    selected = torch.zeros(n_poses, dtype=torch.bool, device=device)
    indices = torch.empty(n, dtype=torch.int64, device=device)
    picks = torch.full((n,), float("inf"), dtype=torch.float32, device=device)
    pick = torch.tensor([start], device=device)
    for k in range(n):
        point = coords.index_select(2, pick)
        for a in range(0, n_poses, TORCH_CHUNK):
            d = coords[:, :, a : a + TORCH_CHUNK] - point
            d *= d
            norms = d[:, 0].add_(d[:, 1]).add_(d[:, 2]).double().sqrt_().float()
            total = norms[0]
            for j in range(1, n_joints):
                total += norms[j]
            torch.minimum(mind[a : a + TORCH_CHUNK], (total.double() / n_joints).float(), out=mind[a : a + TORCH_CHUNK])
        selected.index_fill_(0, pick, True)
        indices[k : k + 1] = pick
        if k + 1 < n:
            masked = torch.where(selected, -1.0, mind)
            pick = masked.argmax().view(1)
            picks[k + 1 : k + 2] = masked.index_select(0, pick)
        if bar is not None:
            bar.update()
    return indices.cpu().numpy(), mind.cpu().numpy(), picks.cpu().numpy()
