"""Farthest point sampling (FPS) of poses under MPJE, exact and fast (section B of the pairs spec).

MPJE(a, b), computed in float32: per joint sqrt((dx*dx + dy*dy) + dz*dz), summed over the joints in index
order, divided by the number of joints. The published loop (every step: min distance of every pose to the
last pick, then the argmax, lowest index on ties) reads all N poses per pick. With a GPU (torch and CUDA) that
loop runs on the device (`_brute_fps_torch`); on the CPU `_pruned_fps` makes the same picks while measuring
only the poses the new pick p may get closer to:

- every pose x keeps its nearest selected centre (owner) at distance mind(x); a centre's radius is the largest
  mind among its members. MPJE is a metric, so d(x, p) >= d(c, p) - mind(x) for x owned by c, and x can get
  closer to p only if d(c, p) < 2 mind(x);
- centres: c is skipped whole when d(c, p) >= 2 radius(c). Partial sums over the joints that move most are
  lower bounds of d(c, p): centres are dropped as soon as one reaches 2 radius(c);
- members: a centre's members are stored contiguously, sorted by decreasing mind, so those with
  mind(x) >= d(c, p) / 2 are a prefix found by binary search;
- those are measured a few joints at a time (partial sums again) and dropped once the partial sum reaches
  mind(x); the survivors get the exact float32 MPJE, the same float32 operations as the published loop.

Each member joins its centre when the centre is picked and only ever leaves, so centres are appended to one
store (member index, mind, sort key, coordinates) that is compacted when full. The work of a pick is split
between the cores (numpy releases the GIL).

Every bound keeps a relative margin (MARGIN) far above float32 rounding (below 30 units in the last place of
an MPJE), so distances and picks are bit-identical to the naive loop's. Memory is linear in N: the store holds
at most (1 + SLACK) N float32 poses plus a few N-sized vectors.
"""
import os
from contextlib import nullcontext
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

MARGIN = np.float32(1 + 1e-4)  # float32 rounding of one MPJE is below 1e-5 relative
HALF = np.float32(0.5) / MARGIN  # a member x of centre c can get closer to p only if mind(x) >= HALF d(c, p)
CHUNK = 1 << 15  # poses measured at once
STAGES = (8, 12)  # joint counts (largest spread first) after which partial sums are tested
SLACK = 0.5  # spare member entries, as a fraction of N, before the store is compacted
TILE = 16  # copies of the point in the flat subtraction
SPLIT = 4096  # smallest share of work handed to another thread
KEY_TOP = np.int64(0x7FFFFFFF)
THREADS = None  # worker threads (None: one per available core)


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


def _row_norms(rows, point):
    """(m, 3j) coordinates (a copy, overwritten), _Point block -> (m, j) float32 per-joint distances.

    Exactly the published per-joint float32 sqrt((dx*dx + dy*dy) + dz*dz). Works on the flat buffer (numpy is
    slow on many short rows), subtracting the point tiled TILE times."""
    m, w = rows.shape
    head = m - m % TILE
    body = rows[:head].reshape(-1, TILE * w)
    np.subtract(body, point.tiled, out=body)
    np.subtract(rows[head:], point.coords, out=rows[head:])
    flat = rows.reshape(-1)
    flat *= flat
    s = flat[0::3] + flat[1::3]
    s += flat[2::3]
    return np.sqrt(s, out=s).reshape(m, w // 3)


class _Block(NamedTuple):
    """The coordinates of a point in one column block, and the same tiled TILE times."""
    coords: np.ndarray
    tiled: np.ndarray

    @classmethod
    def of(cls, point):
        return cls(point, np.tile(point, TILE))


def _ranges(begin, length):
    """Concatenation of the index ranges [begin[i], begin[i] + length[i])."""
    start = np.cumsum(length) - length
    return np.repeat(begin - start, length) + np.arange(start[-1] + length[-1] if len(length) else 0)


def _keys(centre, mind):
    """Store sort keys: by centre, then by decreasing mind (>= 0, whose float32 bits increase with it)."""
    return (np.asarray(centre, np.int64) << 32) | (KEY_TOP - mind.view(np.int32))


def _parts(count, parts):
    """Bounds of up to `parts` near-equal slices of range(count), none smaller than SPLIT (but the only one)."""
    parts = max(1, min(parts, count // SPLIT))
    return [count * i // parts for i in range(parts + 1)]


class _Sampler:
    """One run's state.

    Joints are stored sorted by decreasing spread, in column blocks (one per stage). Centre c's members are the
    store entries begin[c]:begin[c+1], sorted by decreasing mind: member_pose, member_mind (-1 once the pose left
    the centre or was selected), member_key (_keys of the mind they joined with) and member_blocks (coordinates).
    slot[x] is the entry of pose x. Centres keep their first block transposed (it is read for all of them).
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
        self.lead = cuts[1]
        self.pool = pool
        self.threads = threads
        cap = n_poses + int(SLACK * n_poses) + 1
        self.member_blocks = [np.empty((cap, hi - lo), np.float32) for lo, hi in self.spans]
        self.member_pose = np.empty(cap, np.int32)
        self.member_mind = np.empty(cap, np.float32)
        self.member_key = np.empty(cap, np.int64)
        self.slot = np.empty(n_poses, np.int64)
        self.mind = np.empty(n_poses, np.float32)  # -1 once selected
        self.begin = np.zeros(n + 1, np.int64)  # begin[k] is also the end of the last centre's members
        self.radius = np.empty(n, np.float32)
        self.centre_lead = np.empty((self.lead, n), np.float32)
        self.centre_blocks = [np.empty((n, hi - lo), np.float32) for lo, hi in self.spans]

    def rows(self, joints):
        """(m, J, 3) joints -> (m, 3J) float32 stored coordinates."""
        return np.asarray(joints, np.float32)[:, self.order].reshape(len(joints), -1)

    def map(self, f, bounds, *args):
        """[f(a, b, *args) for consecutive (a, b) in bounds], the first in this thread, the others in the pool."""
        jobs = [self.pool.submit(f, a, b, *args) for a, b in zip(bounds[1:-1], bounds[2:])]
        return [f(bounds[0], bounds[1], *args)] + [job.result() for job in jobs]

    def cascade(self, blocks, index, point, norms, bound):
        """Per-joint distances to point (_Block per block) of the candidates index[i] (rows of blocks[1:]), given their first block's
        norms: candidates whose partial joint sum reaches bound[i] are dropped after each block but the last.
        Returns the kept positions i and their (m, J) per-joint distances (stored joint order)."""
        kept = np.arange(len(index))
        norms = [norms]
        total = np.zeros(len(index), np.float32)
        for block in range(len(self.spans)):
            if block:
                norms.append(_row_norms(blocks[block].take(index[kept], axis=0), point[block]))
            if block == len(self.spans) - 1:
                break
            total += norms[-1] @ self.ones[block]
            keep = np.flatnonzero(total < bound)
            kept, total, bound = kept[keep], total[keep], bound[keep]
            norms = [n[keep] for n in norms]
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

        dist = np.concatenate(self.map(measure, _parts(n_poses, self.threads)))
        order = np.argsort(-dist, kind="stable")
        for a in range(0, n_poses, CHUNK):
            rows = self.rows(joints[order[a : a + CHUNK]])
            for block, (lo, hi) in zip(self.member_blocks, self.spans):
                block[a : a + len(rows)] = rows[:, lo:hi]
        self.member_pose[:n_poses] = order
        self.member_mind[:n_poses] = dist[order]
        self.member_key[:n_poses] = _keys(0, self.member_mind[:n_poses])
        self.slot[order] = np.arange(n_poses)
        self.mind[:] = dist
        self.begin[1] = n_poses
        self.member_mind[self.slot[start]] = -1
        self.select(0, start, point)
        self.radius[0] = self.member_mind[:n_poses].max()

    def select(self, k, pose, point):
        """Record pose as centre k."""
        self.mind[pose] = -1
        self.centre_lead[:, k] = point[: self.lead]
        for block, (lo, hi) in zip(self.centre_blocks, self.spans):
            block[k] = point[lo:hi]

    def point(self, pose):
        """Stored coordinates of one pose."""
        return np.concatenate([block[self.slot[pose]] for block in self.member_blocks])

    def blocks_of(self, point):
        """A stored point as one _Block per column block."""
        return [_Block.of(point[lo:hi]) for lo, hi in self.spans]

    def near(self, lo, hi, point, parts):
        """(centres, d(c, p)) of the centres c in [lo, hi) that may have members closer to p: d(c, p) < 2 radius(c)."""
        reach = self.radius[lo:hi] * (2 * MARGIN * np.float32(self.n_joints))  # on joint sums
        lead = _plane_norms(self.centre_lead[:, lo:hi], point[: self.lead]).T
        index = np.arange(lo, hi)
        kept, norms = self.cascade(self.centre_blocks, index, parts, lead, reach)
        total = norms @ self.ones[-1]
        keep = np.flatnonzero(total < reach[kept])
        return index[kept[keep]], total[keep] / np.float32(self.n_joints)

    def candidates(self, k, centres, centre_dist):
        """(entries, mind) of the members x of the given centres with mind(x) >= HALF d(c, p)."""
        begin = self.begin[centres]
        bound = _keys(centres, centre_dist * HALF)
        length = np.searchsorted(self.member_key[: self.begin[k]], bound, side="right") - begin
        entries = _ranges(begin, length)
        mind = self.member_mind[entries]
        keep = np.flatnonzero(mind >= 0)
        return entries[keep], mind[keep]

    def closer(self, a, b, entries, parts, limit):
        """(entries, distances) of entries[a:b] whose exact MPJE to point is below their limit."""
        found = []
        for s in range(a, b, CHUNK):
            part, lim = entries[s : min(b, s + CHUNK)], limit[s : min(b, s + CHUNK)]
            lead = _row_norms(self.member_blocks[0].take(part, axis=0), parts[0])
            kept, norms = self.cascade(self.member_blocks, part, parts, lead, lim * (np.float32(self.n_joints) * MARGIN))
            dist = self.exact(norms)
            keep = np.flatnonzero(dist < lim[kept])
            found.append((part[kept[keep]], dist[keep]))
        return found

    def add_centre(self, k, pose):
        """Make pose centre k: move to it every pose it is closer to, then refresh the radii."""
        point = self.point(pose)
        parts = self.blocks_of(point)
        near = self.map(self.near, _parts(k, self.threads), point, parts)
        centres, centre_dist = np.concatenate([c for c, _ in near]), np.concatenate([d for _, d in near])
        entries, limit = self.candidates(k, centres, centre_dist)
        found = [f for part in self.map(self.closer, _parts(len(entries), self.threads), entries, parts, limit)
                 for f in part]
        moved = np.concatenate([np.empty(0, np.int64)] + [e for e, _ in found])
        dist = np.concatenate([np.empty(0, np.float32)] + [d for _, d in found])
        poses = self.member_pose[moved]
        new = np.flatnonzero(poses != pose)
        new = new[np.argsort(-dist[new], kind="stable")]
        moved, poses, dist = moved[new], poses[new], dist[new]
        rows = [block[moved] for block in self.member_blocks]
        left = np.append(moved, self.slot[pose])
        self.member_mind[left] = -1
        self.refresh(np.unique(np.searchsorted(self.begin[1 : k + 1], left, side="right")))
        self.mind[poses] = dist
        self.append(k, poses, dist, rows)
        self.select(k, pose, point)
        self.radius[k] = dist[0] if len(dist) else -1

    def append(self, k, poses, mind, rows):
        """Store the members of centre k after the last centre's (compacting the store first if they do not fit)."""
        fill = self.begin[k]
        if fill + len(poses) > len(self.member_pose):
            fill = self.compact(k)
        end = fill + len(poses)
        self.member_pose[fill:end] = poses
        self.member_mind[fill:end] = mind
        self.member_key[fill:end] = _keys(k, mind)
        for block, part in zip(self.member_blocks, rows):
            block[fill:end] = part
        self.slot[poses] = np.arange(fill, end)
        self.begin[k + 1] = end

    def compact(self, k):
        """Move the entries of poses still with their centre to the front of the store; returns the new fill."""
        valid = self.member_mind[: self.begin[k]] >= 0
        self.begin[: k + 1] = np.concatenate([[0], np.cumsum(valid)])[self.begin[: k + 1]]
        keep = np.flatnonzero(valid)
        for s in range(0, len(keep), CHUNK):  # in place: entry keep[i] >= i moves down to i
            part = keep[s : s + CHUNK]
            for array in [self.member_pose, self.member_mind, self.member_key] + self.member_blocks:
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
        near = np.flatnonzero(self.radius[:k] == top)
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

    Coordinates are stored joint-major (3J, N) so that every op runs on long rows. Float32 subtractions,
    products and sums are IEEE on every device; sqrt and the division by J are done in float64 and rounded to
    float32, which gives the correctly rounded float32 result (double rounding is innocuous for them), so the
    distances are bit-identical to numpy's whatever the device's float32 sqrt."""
    import torch

    n_poses, n_joints = joints.shape[:2]
    coords = torch.from_numpy(np.asarray(joints, np.float32).reshape(n_poses, -1).T.copy()).to(device)
    mind = torch.full((n_poses,), float("inf"), dtype=torch.float32, device=device)
    selected = torch.zeros(n_poses, dtype=torch.bool, device=device)
    indices = torch.empty(n, dtype=torch.int64, device=device)
    picks = torch.full((n,), float("inf"), dtype=torch.float32, device=device)
    pick = torch.tensor([start], device=device)
    for k in range(n):
        point = coords.index_select(1, pick)
        total = None
        for j in range(n_joints):
            s, dy, dz = (coords[3 * j + c] - point[3 * j + c] for c in range(3))
            s *= s
            s += dy.mul_(dy)
            s += dz.mul_(dz)
            norm = s.double().sqrt_().float()
            total = norm if total is None else total.add_(norm)
        torch.minimum(mind, (total.double() / n_joints).float(), out=mind)
        selected.index_fill_(0, pick, True)
        indices[k : k + 1] = pick
        if k + 1 < n:
            masked = torch.where(selected, -1.0, mind)
            pick = masked.argmax().view(1)
            picks[k + 1 : k + 2] = masked.index_select(0, pick)
        if bar is not None:
            bar.update()
    return indices.cpu().numpy(), mind.cpu().numpy(), picks.cpu().numpy()
