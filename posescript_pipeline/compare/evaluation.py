"""From two batches of poses (A = start, B = target, one pair per row) to paircode records.

Stages (spec A.1-A.12), vectorised over pairs: measure the single-pose posecodes of both poses with the
single-pose engine, difference them into paircodes (relativePos: the same joint in A and B), add the
text's noise to the difference, bin, derive eligibility, infer super-paircodes (conditions on paircodes
and on the posecodes of A or B), apply their supports, then select records with the single-pose
selection (random skip with the empty-instruction restore).

Every random draw depends on (seed, pair key, text index) only. Posecodes of A and B are categorised per
*pair* (keys derived from the pair key), so a statement hidden by a super-paircode is hidden in that
pair only (the published per-pose suppression leaked into other pairs of the same pose).
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..aggregation_rules import singular
from ..posecodes.catalogue import ELEMENTARY
from ..posecodes.record import BOTH, L, R, Record
from ..posecodes.evaluation import (Catalogue, Categorised, Measurements, categorise, measure, select_records,
                                    true_categories)
from ..posecodes.kinds import IGNORED, KINDS
from ..posecodes.operators import OPERATORS
from ..posecodes.touch import touch_records
from ..posecodes.working_set import INDEX, WORKING_JOINTS, working_joints
from ..random_streams import uniform
from ..rotations import AXES, axis_angle_to_matrix, matrix_to_axis_angle
from .paircodes import (ABSOLUTE_POSECODES, ABSOLUTE_SUPER_POSECODES, BASE_KIND, GLOBAL_ROTATION, PAIR, PAIR_KINDS,
                        PAIRCODE_INDEX, PAIRCODES, POSITION_KINDS, SUPER_PAIRCODES)

PAIR_NOISE_STREAM, ROTATION_NOISE_STREAM = 11, 12
# Pose A and pose B posecodes of a pair draw from keys derived from the pair key.
KEY_A, KEY_B = np.uint64(0x5A5A5A5A5A5A5A5A), np.uint64(0x3C3C3C3C3C3C3C3C)
ABSOLUTE = Catalogue(ABSOLUTE_POSECODES, ABSOLUTE_SUPER_POSECODES)
_POSECODE_INDEX = {(c.kind, c.joints): i for i, c in enumerate(ELEMENTARY)}


class PairCatalogue:
    """The paircode tables compiled to arrays. Exposes `records` and `super_records` like the single-pose
    Catalogue, so the single-pose `select_records` selects paircodes too."""

    def __init__(self, codes=PAIRCODES, supers=SUPER_PAIRCODES):
        self.codes, self.supers = codes, supers
        self.kind_groups = [(kind, np.array([i for i, c in enumerate(codes) if c.kind == kind]))
                            for kind in PAIR_KINDS]
        self.noise = np.array([PAIR_KINDS[c.kind].noise for c in codes], np.float32)
        n_cat = max(len(k.categories) for k in PAIR_KINDS.values())
        self.thresholds = np.full((len(codes), n_cat - 1), np.inf, np.float32)
        for i, c in enumerate(codes):
            self.thresholds[i, :len(PAIR_KINDS[c.kind].thresholds)] = PAIR_KINDS[c.kind].thresholds
        self.eligibility = np.zeros((len(codes), n_cat), np.int8)
        self.records = []
        for i, c in enumerate(codes):
            cats = PAIR_KINDS[c.kind].categories
            for k, cat in enumerate(cats):
                self.eligibility[i, k] = cat != IGNORED and cat not in c.support1  # no elementary category is rare
            self.records.append([None if cat == IGNORED else Record(*c.subject_part, PAIR + cat, *c.second_part)
                                 for cat in cats])
        self.super_records = [Record(*s.subject_part, s.interpretation, *s.second_part) for s in supers]
        self.super_eligibility = np.array([1 + s.rare for s in supers], np.int8)
        self._compile_supers(n_cat)

    def _compile_supers(self, n_cat):
        """Conditions read one column of the table [pair categories | A posecodes | B posecodes]; a
        condition holds when its allowed-category mask is set at that column's category (-1, unmeasured,
        reads the last mask column, always False)."""
        n_pair, n_pose = len(self.codes), len(ELEMENTARY)
        offset = {"pair": 0, "A": n_pair, "B": n_pair + n_pose}
        width = max(n_cat, max(len(k.categories) for k in KINDS.values())) + 1
        cols, masks, recipe_of, super_of = [], [], [], []
        self.pair_support, self.pose_support = [], []  # (recipe, code) hidden where that recipe held
        for s, sp in enumerate(self.supers):
            for recipe in sp.recipes:
                r = len(super_of)
                for cond in recipe:
                    mask = np.zeros(width, bool)
                    if cond[0] == "pair":
                        code = PAIRCODE_INDEX[cond[1]]
                        cats = PAIR_KINDS[cond[1][0]].categories
                        mask[[cats.index(c) for c in cond[2]]] = True
                        if set(cond[2]) & set(self.codes[code].support2):
                            self.pair_support.append((r, code))
                    else:
                        pose, kind, joints, category = cond
                        code = _POSECODE_INDEX[(kind, joints)]
                        k = KINDS[kind].categories.index(category)
                        mask[k] = True
                        if ABSOLUTE.eligibility[code, k]:  # an absolute statement: hidden in this pair's pose
                            self.pose_support.append((r, pose, code))
                    cols.append(offset[cond[0]] + code)
                    masks.append(mask)
                    recipe_of.append(r)
                super_of.append(s)
        self.cond_col, self.cond_mask = np.array(cols), np.array(masks)
        self.recipe_starts = np.flatnonzero(np.diff(np.r_[-1, recipe_of]))
        self.super_starts = np.flatnonzero(np.diff(np.r_[-1, super_of]))

    @cached_property
    def position_indices(self):
        """Per relativePos kind: (paircode indices, (C, 2) indices into the stacked [A | B] working joints)."""
        n = len(WORKING_JOINTS)
        out = {}
        for kind, members in self.kind_groups:
            if kind in POSITION_KINDS:
                idx = np.array([(INDEX[self.codes[i].joints[0]], INDEX[self.codes[i].joints[0]] + n) for i in members])
                out[kind] = (members, idx)
        return out


PAIR_CATALOGUE = PairCatalogue()


@dataclass
class PairMeasurements:
    """Noise-free values of a batch of pairs: paircodes (P, 49), NaN where unmeasurable, and the
    single-pose posecode values of A and B (P rows each)."""
    values: np.ndarray
    pose_a: Measurements
    pose_b: Measurements

    def __len__(self):
        return self.values.shape[0]


def _upright(joints: np.ndarray) -> np.ndarray:
    """(N,) True where an ankle is more than 0.20 m below the shoulders (the forward-incline test)."""
    y = joints[..., 1]
    shoulders = (y[:, INDEX["left_shoulder"]] + y[:, INDEX["right_shoulder"]]) / 2
    return np.minimum(y[:, INDEX["left_ankle"]], y[:, INDEX["right_ankle"]]) < shoulders - 0.20


def measure_pairs(joints_a, joints_b, available_a=None, available_b=None, rotations_a=None, rotations_b=None,
                  catalogue: PairCatalogue = PAIR_CATALOGUE) -> PairMeasurements:
    """Measure every paircode of the pairs (joints_a[p], joints_b[p]): (P, 52, 3) each, canonical frame."""
    pose_a = measure(joints_a, available_a, rotations_a)
    pose_b = measure(joints_b, available_b, rotations_b)
    values = np.full((len(pose_a), len(catalogue.codes)), np.nan, np.float32)
    for i, code in enumerate(catalogue.codes):
        if code.kind not in POSITION_KINDS:
            col = _POSECODE_INDEX[code.base]
            values[:, i] = pose_a.values[:, col] - pose_b.values[:, col]
    wa, ok_a = working_joints(joints_a, available_a)
    wb, ok_b = working_joints(joints_b, available_b)
    stacked, ok = np.concatenate([wa, wb], axis=1), np.concatenate([ok_a, ok_b])
    for kind, (members, idx) in catalogue.position_indices.items():
        measurable = ok[idx].all(axis=1)
        values[:, members[measurable]] = OPERATORS[BASE_KIND[kind]](stacked, idx[measurable])
    incline = next(i for i, c in enumerate(catalogue.codes) if c.kind == "pair_bodyInclineX")
    both_upright = _upright(wa) & _upright(wb)
    values[~both_upright, incline] = np.where(np.isnan(values[~both_upright, incline]), np.nan, 0.0)
    return PairMeasurements(values, pose_a, pose_b)


@dataclass
class PairCategorised:
    """One text's view of a batch of pairs."""
    pairs: Categorised   # paircode categories / eligibility, super-paircode eligibility
    pose_a: Categorised  # absolute posecodes of A and B, per pair (suppression is per pair)
    pose_b: Categorised


def _derived(keys, salt):
    return np.asarray(keys, np.uint64) ^ salt


def categorise_pairs(m: PairMeasurements, seed: int, keys: np.ndarray, text: int,
                     catalogue: PairCatalogue = PAIR_CATALOGUE) -> PairCategorised:
    """One text's view of the pairs: noise on the differences and on both poses' posecodes, then binning."""
    jitter = uniform(seed, keys, text, PAIR_NOISE_STREAM, m.values.shape[1]) * 2 - 1
    pose_a = categorise(m.pose_a, seed, _derived(keys, KEY_A), text, catalogue=ABSOLUTE)
    pose_b = categorise(m.pose_b, seed, _derived(keys, KEY_B), text, catalogue=ABSOLUTE)
    return _pair_categorised(m.values + np.float32(jitter) * catalogue.noise, pose_a, pose_b, catalogue)


def true_pair_categories(m: PairMeasurements, catalogue: PairCatalogue = PAIR_CATALOGUE) -> PairCategorised:
    """The noise-free categories of the pairs (what changes from A to B)."""
    return _pair_categorised(m.values, true_categories(m.pose_a, ABSOLUTE), true_categories(m.pose_b, ABSOLUTE),
                             catalogue)


def _pair_categorised(values, pose_a: Categorised, pose_b: Categorised, catalogue: PairCatalogue) -> PairCategorised:
    """Binning, eligibility, super-paircodes and their supports (which hide statements of A and B too)."""
    n_codes = values.shape[1]
    # category = number of thresholds strictly below the value (thresholds padded with +inf per code)
    cats = np.where(np.isnan(values), -1, (values[..., None] > catalogue.thresholds).sum(-1)).astype(np.int8)
    elig = np.where(cats >= 0, catalogue.eligibility[np.arange(n_codes), np.maximum(cats, 0)], 0).astype(np.int8)
    table = np.concatenate([cats, pose_a.categories, pose_b.categories], axis=1)
    held = catalogue.cond_mask[np.arange(len(catalogue.cond_col)), table[:, catalogue.cond_col]]
    recipes = np.logical_and.reduceat(held, catalogue.recipe_starts, axis=1)
    fired = np.logical_or.reduceat(recipes, catalogue.super_starts, axis=1)
    for r, code in catalogue.pair_support:
        elig[recipes[:, r], code] = 0
    for r, pose, code in catalogue.pose_support:
        (pose_a if pose == "A" else pose_b).eligibility[recipes[:, r], code] = 0
    super_elig = np.where(fired, catalogue.super_eligibility, 0).astype(np.int8)
    return PairCategorised(Categorised(cats, elig, super_elig), pose_a, pose_b)


def select_pair_records(c: PairCategorised, seed: int, keys: np.ndarray, text: int, random_skip: bool = True,
                        catalogue: PairCatalogue = PAIR_CATALOGUE):
    """(paircode records, pose-B posecode records) per pair, each list randomly skipped with the restore."""
    pairs = select_records(c.pairs, seed, keys, text, random_skip, catalogue=catalogue)
    pose_b = select_records(c.pose_b, seed, _derived(keys, KEY_B), text, random_skip, catalogue=ABSOLUTE)
    return pairs, pose_b


def rotation_change(root_a, root_b) -> np.ndarray:
    """(P,) degrees the body turns about the vertical from A to B, + = to the left (spec A.11.1): the vertical
    component of the rotation vector of root_b root_a^-1. root_a, root_b: (P, 3) axis-angle of the roots in one
    y-up frame, *before* orientation normalisation (which removes the turn); comparable within a sequence."""
    a, b = (axis_angle_to_matrix(np.asarray(r, np.float64)) for r in (root_a, root_b))
    return np.degrees(matrix_to_axis_angle(b @ a.swapaxes(-1, -2))[..., AXES["y"]])


def rotation_bins(change) -> list[str | None]:
    """The `GLOBAL_ROTATION` category of each turn (degrees), None where unknown (NaN) or "ignored"."""
    change = np.asarray(change, np.float64)
    index = (change[:, None] > np.asarray(GLOBAL_ROTATION.thresholds)).sum(-1)
    names = [GLOBAL_ROTATION.categories[i] for i in index]
    return [None if np.isnan(v) or name == IGNORED else name for v, name in zip(change, names)]


def rotation_categories(change, seed: int, keys: np.ndarray, text: int) -> list[str | None]:
    """Per pair, one text's turn category: the change plus that text's noise, binned (`rotation_bins`)."""
    jitter = uniform(seed, keys, text, ROTATION_NOISE_STREAM, 1)[:, 0] * 2 - 1
    return rotation_bins(np.asarray(change, np.float64) + jitter * GLOBAL_ROTATION.noise)


def new_contacts(contacts_a, contacts_b) -> list[list[tuple]]:
    """Per pair, the touch records of B that A does not have (contacts that disappear are not said)."""
    out = []
    for a, b in zip(contacts_a, contacts_b):
        before = set(touch_records(a))
        out.append([r for r in dict.fromkeys(touch_records(b)) if r not in before])
    return out


# --- pose-B posecode filter (spec A.12.3): keep statements on changed parts or parts downstream of them.
_CHAINS = (("body", "torso", "arm", "shoulder", "upperarm", "elbow", "forearm", "wrist", "hand", "index"),
           ("body", "torso", "leg", "hip", "thigh", "knee", "lowerleg", "shin", "ankle", "foot", "toes"))


def _expand(side, part):
    if not part:
        return []
    if side == BOTH:
        return [(L, singular(part)), (R, singular(part))]
    return [(side, part)]


def _parts(record: Record):
    return _expand(*record.subject) + _expand(*record.second)


def _downstream_or_same(part, changed) -> bool:
    (side, name), (c_side, c_name) = part, changed
    if part == changed:
        return True
    if c_side and c_side != side:
        return False
    return any(name in chain and c_name in chain and chain.index(name) > chain.index(c_name) for chain in _CHAINS)


def relevant_pose_b(pair_records, pose_b_records):
    """The pose-B records about a body part the pair's instructions change (or below it on a limb)."""
    changed = {p for r in pair_records for p in _parts(r)}
    return [r for r in pose_b_records if any(_downstream_or_same(p, c) for p in _parts(r) for c in changed)]


def describe_paircodes(m: PairMeasurements, c: PairCategorised, pair: int,
                       catalogue: PairCatalogue = PAIR_CATALOGUE) -> list[dict]:
    """The measured paircodes of one pair (kind, parts, value, category, eligibility), then the
    super-paircodes produced, for users who want to see why an instruction was written."""
    out = []
    for i, code in enumerate(catalogue.codes):
        cat = int(c.pairs.categories[pair, i])
        if cat < 0:
            continue
        parts = ["_".join(filter(None, code.subject_part))] + ["_".join(filter(None, code.second_part))] * bool(
            code.second_part[1])
        out.append({"kind": code.kind, "joints": list(code.joints), "parts": parts,
                    "value": round(float(m.values[pair, i]), 4), "category": PAIR_KINDS[code.kind].categories[cat],
                    "eligibility": int(c.pairs.eligibility[pair, i])})
    for s, sp in enumerate(catalogue.supers):
        if c.pairs.super_eligibility[pair, s]:
            out.append({"kind": "super", "parts": [sp.subject] + [sp.second] * bool(sp.second),
                        "category": sp.interpretation.removeprefix(PAIR),
                        "eligibility": int(c.pairs.super_eligibility[pair, s])})
    return out
