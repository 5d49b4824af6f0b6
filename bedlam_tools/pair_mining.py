"""Pair mining for BEDLAM-Fix (spec C): pose pairs that are semantically similar but visibly different.

Pairs are (A, B) = (start, target) row indices everywhere (the published code stored [B, A] and flipped).
For each pose B, its candidate poses A are its `top_k` most similar poses (chunked search: memory grows
linearly with N, no N x N matrix), with a similarity strictly inside (min, max) and more differing posecode
categories than the kind's minimum. Then:

* in-sequence: same subject and sequence, B later than A by less than `max_time_diff`, and each the
  other's closest in time among the valid candidates;
* out-of-sequence: another subject or another sequence; the `out_window` most similar valid A of each B,
  then a greedy weighted draw that prefers rare candidates and emits one or two (reversed) pairs per B.

Randomness is seeded by (seed, B's id); posecode categories are noise-free (the published ones were
jittered once, unseeded).
"""
from dataclasses import asdict, dataclass

import numpy as np
from tqdm import tqdm

from posescript_pipeline.errors import UserError
from posescript_pipeline.posecodes.evaluation import CATALOGUE, measure, true_categories
from posescript_pipeline.random_streams import pose_key


class MiningError(UserError):
    """Mining settings that cannot select pairs."""


@dataclass(frozen=True)
class MiningConfig:
    """The published constants (spec C.1); the dataset version string encodes them."""
    max_time_diff: float = 0.5       # s, strict
    top_k: int = 100                 # per B, only its most similar poses can be A
    min_similarity: float = 0.7      # strict bounds on the cosine similarity
    max_similarity: float = 0.9
    min_difference_in: int = 15      # differing posecode categories, strictly more than
    min_difference_out: int = 20
    out_window: int = 3              # out-of-sequence: the most similar valid A kept per B

    def __post_init__(self):
        if not -1 <= self.min_similarity < self.max_similarity <= 1:
            raise MiningError(f"similarity bounds ({self.min_similarity}, {self.max_similarity}): expected "
                              "-1 <= minimum < maximum <= 1 (cosine similarities)")
        for name in ("max_time_diff", "top_k", "out_window"):
            if getattr(self, name) <= 0:
                raise MiningError(f"{name}={getattr(self, name)}: expected a positive value")
        for name in ("min_difference_in", "min_difference_out"):
            if getattr(self, name) < 0:
                raise MiningError(f"{name}={getattr(self, name)}: expected 0 or more")

    def key(self) -> dict:
        return asdict(self)


@dataclass
class PoseTable:
    """What mining needs of N poses (rows of a BEDLAM-Script split)."""
    ids: np.ndarray          # (N,) str
    group: np.ndarray        # (N,) int: same value = same subject and same sequence
    subject: np.ndarray      # (N,) int
    time_s: np.ndarray       # (N,) float
    order: np.ndarray        # (N,) processing order of the B poses (selection rank: most diverse first)
    categories: np.ndarray   # (N, C) int8 posecode categorisation (super-posecodes as 0/1 columns)
    features: np.ndarray     # (N, D) float32 similarity features
    scale: np.ndarray        # (N,) float32: cosine(i, j) = features[i] @ features[j] * scale[i] * scale[j]


@dataclass
class Pairs:
    """Mined pairs, in-sequence first: rows a -> b with their measurements."""
    a: np.ndarray
    b: np.ndarray
    in_sequence: np.ndarray
    similarity: np.ndarray
    difference: np.ndarray   # differing posecode categories
    time_diff: np.ndarray    # s (B - A), NaN out of sequence

    def __len__(self):
        return len(self.a)

    def take(self, idx) -> "Pairs":
        return Pairs(*(getattr(self, f)[idx] for f in Pairs.__dataclass_fields__))

    @staticmethod
    def concat(parts) -> "Pairs":
        return Pairs(*(np.concatenate([getattr(p, f) for p in parts]) for f in Pairs.__dataclass_fields__))


def posecode_categories(joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Noise-free categories (N, M) of every elementary posecode (joints only: no head rotations) and
    super-posecodes produced (N, S), for the difference count and the model-free similarity."""
    m = measure(np.asarray(joints, np.float32))
    c = true_categories(m)
    return c.categories, c.super_eligibility > 0


def posecode_features(categories: np.ndarray, supers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Model-free semantic features: one 0/1 column per describable (posecode, category) and per
    super-posecode; the cosine of two poses is the share of the statements they have in common.
    Returns (features, 1 / norm) with 0/1 features, so the similarity search is exact (integer dot
    products) and does not depend on how it is chunked."""
    describable = CATALOGUE.eligibility > 0
    column = np.full(describable.shape, -1)
    column[describable] = np.arange(describable.sum())
    rows, codes = np.nonzero(categories >= 0)
    cols = column[codes, categories[rows, codes]]
    features = np.zeros((len(categories), describable.sum() + supers.shape[1]), np.float32)
    features[rows[cols >= 0], cols[cols >= 0]] = 1
    features[:, describable.sum():] = supers
    features = features[:, features.any(axis=0)]
    norm = np.sqrt(features.sum(axis=1))
    return features, np.where(norm > 0, 1 / np.maximum(norm, 1e-12), 0).astype(np.float32)


def _top_k(sim: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the k largest values, ties to the lower column: (rows, cols) sorted by row, then by
    decreasing value, then by column."""
    n = sim.shape[1]
    kth = np.partition(sim, n - k, axis=1)[:, n - k:n - k + 1]
    rows, cols = np.nonzero(sim >= kth)  # k per row, more where values tie with the k-th
    order = np.lexsort((cols, -sim[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    first = np.arange(len(rows)) - np.searchsorted(rows, rows)
    return rows[first < k], cols[first < k]


def chunk_rows(n: int, budget_bytes: int = 64 << 20) -> int:
    """B rows per similarity block so one block (rows x N float32, a partitioned copy and a mask) stays
    near the budget."""
    return int(max(1, min(n, budget_bytes // (12 * max(n, 1)))))


def candidates(table: PoseTable, config: MiningConfig, progress: bool = True) -> tuple[Pairs, Pairs]:
    """(in-sequence, out-of-sequence) candidate pairs (A, B) passing the sequence, similarity and
    posecode-difference constraints; out-of-sequence keeps the `out_window` most similar A per B."""
    n = len(table.ids)
    k = min(config.top_k, n - 1)
    found_in, found_out = [], []
    step = chunk_rows(n)
    for start in tqdm(range(0, n, step) if k > 0 else (), desc="similarity search", unit="block",
                      disable=not progress):
        rows = np.arange(start, min(start + step, n))
        sim = table.features[rows] @ table.features.T
        sim *= table.scale[rows, None]
        sim *= table.scale[None]
        sim[np.arange(len(rows)), rows] = -np.inf  # never a pose with itself
        r, a = _top_k(sim, k)
        # 6 decimals in float64: a share of 7/10 statements is 0.7, not 0.70000005 (strict bounds)
        b, s = rows[r], np.round(sim[r, a].astype(np.float64), 6)
        keep = (s > config.min_similarity) & (s < config.max_similarity)
        b, a, s = b[keep], a[keep], s[keep]
        same = table.group[b] == table.group[a]
        dt = np.round(table.time_s[b].astype(np.float64) - table.time_s[a], 4)
        inseq = same & (dt > 0) & (dt < config.max_time_diff)
        d = (table.categories[b] != table.categories[a]).sum(axis=1)
        ok_in = inseq & (d > config.min_difference_in)
        found_in.append(Pairs(a[ok_in], b[ok_in], np.ones(ok_in.sum(), bool), s[ok_in], d[ok_in], dt[ok_in]))
        ok_out = ~same & (d > config.min_difference_out)
        b, a, s, d = b[ok_out], a[ok_out], s[ok_out], d[ok_out]
        rank = np.arange(len(b)) - np.searchsorted(b, b)  # b is sorted, candidates by decreasing similarity
        w = rank < config.out_window
        found_out.append(Pairs(a[w], b[w], np.zeros(w.sum(), bool), s[w], d[w], np.full(w.sum(), np.nan)))
    empty = Pairs(*(np.zeros(0, t) for t in (int, int, bool, np.float32, int, float)))
    return Pairs.concat([empty, *found_in]), Pairs.concat([empty, *found_out])


def _first_of_each(key: np.ndarray, *sort_keys) -> np.ndarray:
    """Mask of the entries that come first for their key when sorted by sort_keys (last key = primary)."""
    order = np.lexsort((*sort_keys, key))
    first = np.ones(len(order), bool)
    first[1:] = key[order][1:] != key[order][:-1]
    mask = np.zeros(len(order), bool)
    mask[order[first]] = True
    return mask


def in_sequence_pairs(c: Pairs) -> Pairs:
    """Keep (A, B) when A is B's closest valid predecessor and B is A's closest valid successor (ties:
    lower index), both on the candidate set before any removal (spec C.3.4)."""
    closest_a = _first_of_each(c.b, c.a, c.time_diff)
    closest_b = _first_of_each(c.a, c.b, c.time_diff)
    return c.take(closest_a & closest_b)


def out_of_sequence_pairs(c: Pairs, table: PoseTable, seed: int) -> Pairs:
    """The greedy weighted draw (spec C.4): B poses in table order; draw A among B's candidates that
    are still pending Bs (then emit A -> B and B -> A, and A is no longer pending), else among all
    its candidates (one pair); a candidate's weight is 1 / the number of Bs it is a candidate of."""
    weight = 1.0 / np.maximum(np.bincount(c.a, minlength=len(table.ids)), 1)
    by_b = {}
    for i, b in enumerate(c.b.tolist()):
        by_b.setdefault(b, []).append(i)
    pending = set(by_b)
    emitted = []  # (candidate index, reversed)
    for b in sorted(by_b, key=lambda row: table.order[row]):
        if b not in pending:
            continue
        pending.discard(b)
        options = np.array(by_b[b])
        both_ways = np.array([c.a[i] in pending for i in options], bool)
        pool = options[both_ways] if both_ways.any() else options
        p = weight[c.a[pool]]
        rng = np.random.default_rng([seed, pose_key(str(table.ids[b]))])
        chosen = int(pool[rng.choice(len(pool), p=p / p.sum())])
        emitted.append((chosen, False))
        if both_ways.any():
            pending.discard(int(c.a[chosen]))
            emitted.append((chosen, True))
    idx = np.array([i for i, _ in emitted], int)
    flip = np.array([r for _, r in emitted], bool)
    return Pairs(np.where(flip, c.b[idx], c.a[idx]), np.where(flip, c.a[idx], c.b[idx]), c.in_sequence[idx],
                 c.similarity[idx], c.difference[idx], c.time_diff[idx])


def mine_pairs(table: PoseTable, config: MiningConfig = MiningConfig(), seed: int = 0, progress: bool = True) -> Pairs:
    """In-sequence pairs (by B's processing order), then out-of-sequence pairs (in the order drawn)."""
    found_in, found_out = candidates(table, config, progress)
    pairs_in = in_sequence_pairs(found_in)
    pairs_in = pairs_in.take(np.argsort(table.order[pairs_in.b], kind="stable"))
    return Pairs.concat([pairs_in, out_of_sequence_pairs(found_out, table, seed)])
