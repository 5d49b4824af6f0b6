"""Farthest point sampling (FPS) of poses under MPJE, exact and fast (section B of the pairs spec).

MPJE(a, b), computed in float32: per joint sqrt((dx*dx + dy*dy) + dz*dz), summed over the joints in index
order, divided by the number of joints. The published loop (every step: min distance of every pose to the
last pick, then the argmax, lowest index on ties) reads all N poses per pick; this one makes the same picks
while measuring only the poses the new pick p may get closer to:

- every pose keeps its nearest selected centre (owner) at distance mind; a centre's radius is the largest
  mind among its members;
- by the triangle inequality a pose x can get closer to p only if d(owner(x), p) < 2 mind(x), so a centre c
  is skipped whole when d(c, p) >= 2 radius(c); d(c, p) is first bounded below by the joints that move most;
- the remaining poses are measured a few joints at a time and dropped once the partial sum reaches mind;
  the survivors get the exact float32 MPJE.

Every bound keeps a relative margin far above float32 rounding, so distances and picks are bit-identical to
the naive loop's. Memory is linear in N: one float32 copy of the poses plus a few N-sized vectors.
"""
from typing import NamedTuple

import numpy as np

MARGIN = np.float32(1 + 1e-4)  # float32 rounding of one MPJE is below 1e-5 relative
CHUNK = 1 << 16  # poses measured at once
CENTRE_JOINTS = 4  # joints in the lower bound of the centre-to-pick distance
STAGES = (4, 10)  # joint counts after which poses that cannot get closer are dropped


class FPSResult(NamedTuple):
    indices: np.ndarray  # (n,) int64 in pick order, indices[0] == start
    min_distance: np.ndarray  # (N,) float32 final MPJE of every pose to the selected set (0 when selected)
    pick_distance: np.ndarray  # (n,) float32 MPJE of each pick to the poses picked before it (inf for the first)


def _joint_norms(coords, point):
    """(3j, m) coordinates (joint-major rows x, y, z), (3j,) point -> (j, m) float32 per-joint distances."""
    d = coords - point[:, None]
    d *= d
    s = d[0::3] + d[1::3]
    s += d[2::3]
    return np.sqrt(s, out=s)


class _Sampler:
    """One run's state. Poses are stored with joints sorted by decreasing spread, split in column blocks
    (one per pruning stage) so that gathering a stage's coordinates reads contiguous rows."""

    def __init__(self, joints, n):
        n_poses, n_joints = joints.shape[:2]
        spread = joints[:: max(1, n_poses // 20000)].var(axis=0).sum(axis=1)
        order = np.argsort(-spread, kind="stable")
        self.restore = np.argsort(order)
        self.n_joints = n_joints
        cuts = [0] + [j for j in STAGES if j < n_joints] + [n_joints]
        self.blocks = [np.ascontiguousarray(joints[:, order[a:b]], dtype=np.float32).reshape(n_poses, 3 * (b - a))
                       for a, b in zip(cuts[:-1], cuts[1:])]
        widths = np.cumsum([0] + [block.shape[1] for block in self.blocks])
        self.spans = list(zip(widths[:-1], widths[1:]))  # columns of each block in a stored pose
        self.lead = 3 * min(CENTRE_JOINTS, n_joints)
        self.mind = np.full(n_poses, np.inf, np.float32)  # -1 once selected: never picked again, never closer
        self.owner = np.zeros(n_poses, np.int32)
        self.members = []  # per centre, int32 indices of the poses it owns
        self.picked = np.empty(n, np.int64)
        self.radius = np.empty(n, np.float32)
        self.centres = np.empty((self.lead, n), np.float32)  # leading coordinates of the centres

    def norms(self, rows, point, block):
        """(j, m) per-joint distances of poses[rows] to point (a stored pose) over one column block."""
        lo, hi = self.spans[block]
        return _joint_norms(np.ascontiguousarray(np.take(self.blocks[block], rows, axis=0).T), point[lo:hi])

    def mpje(self, rows, point):
        """Exact float32 MPJE of poses[rows] to point: per-joint distances summed in joint index order."""
        norms = np.concatenate([self.norms(rows, point, block) for block in range(len(self.blocks))])
        return np.add.accumulate(norms[self.restore], axis=0)[-1] / np.float32(self.n_joints)

    def closer(self, rows, point, limit):
        """(rows, distances) of the rows whose MPJE to point is below limit[row]."""
        scaled = limit * (np.float32(self.n_joints) * MARGIN)
        partial = np.zeros(len(rows), np.float32)
        for block in range(len(self.blocks)):
            partial += self.norms(rows, point, block).sum(axis=0)
            keep = np.flatnonzero(partial < scaled)
            rows, limit, partial, scaled = rows[keep], limit[keep], partial[keep], scaled[keep]
        dist = self.mpje(rows, point)
        keep = np.flatnonzero(dist < limit)
        return rows[keep], dist[keep]

    def add_centre(self, k, pose):
        """Make pose centre k: move to it every pose it is closer to, then refresh the radii."""
        point = np.concatenate([block[pose] for block in self.blocks])
        self.picked[k] = pose
        self.centres[:, k] = point[: self.lead]
        if k == 0:
            candidates = np.arange(len(self.mind), dtype=np.int32)
        else:
            candidates = self.candidates(k, point)
        moved, dist = [np.empty(0, np.int32)], [np.empty(0, np.float32)]
        for s in range(0, len(candidates), CHUNK):
            rows, d = self.closer(candidates[s : s + CHUNK], point, self.mind[candidates[s : s + CHUNK]])
            moved.append(rows)
            dist.append(d)
        moved = np.concatenate(moved)
        self.mind[moved] = np.concatenate(dist)
        losers = np.unique(np.append(self.owner[moved], self.owner[pose])) if k else []
        self.owner[moved] = k
        self.owner[pose] = k
        self.mind[pose] = -1
        for c in losers:
            kept = self.members[c][self.owner[self.members[c]] == c]
            self.members[c] = kept
            self.radius[c] = self.mind[kept].max()
        self.members.append(np.append(np.int32(pose), moved[moved != pose]))
        self.radius[k] = self.mind[self.members[k]].max()

    def candidates(self, k, point):
        """Poses that may get closer to point, a new centre: members x of centres c with d(c, p) < 2 mind(x)."""
        reach = 2 * self.radius[:k] * MARGIN
        lead = _joint_norms(self.centres[:, :k], point[: self.lead]).sum(axis=0) / np.float32(self.n_joints)
        near = np.flatnonzero(lead < reach)
        if len(near) == 0:
            return np.empty(0, np.int32)
        centre_dist = self.mpje(self.picked[near], point)
        near_mask = centre_dist < reach[near]
        near, centre_dist = near[near_mask], centre_dist[near_mask]
        groups = [self.members[c] for c in near]
        poses = np.concatenate(groups) if groups else np.empty(0, np.int32)
        reach = np.repeat(centre_dist, [len(g) for g in groups])
        return poses[reach < 2 * self.mind[poses] * MARGIN]

    def farthest(self, k):
        """Unselected pose with the largest mind (lowest index on ties), and that mind."""
        top = self.radius[:k].max()
        best = min(int(self.members[c][self.mind[self.members[c]] == top].min())
                   for c in np.flatnonzero(self.radius[:k] == top))
        return best, top


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
    state = _Sampler(joints, n)
    indices = np.empty(n, np.int64)
    picks = np.empty(n, np.float32)
    indices[0], picks[0] = start, np.inf
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=n, desc="farthest point sampling", unit="pose")
    for k in range(n):
        if k:
            indices[k], picks[k] = state.farthest(k)
        state.add_centre(k, indices[k])
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    return FPSResult(indices, np.maximum(state.mind, 0), picks)
