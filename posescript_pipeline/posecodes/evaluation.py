"""From joints (and optionally rotations) to posecode records, for a whole batch at once.

Stages (spec sections 3-6): measure every elementary posecode, add the per-caption noise, bin into
categories, derive eligibility, infer super-posecodes, hide support categories, randomly skip
ordinary records. Everything is numpy over all poses; only the final record lists are Python.
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..random_streams import uniform
from ..rotations import axis_angle_to_matrix
from ..skeleton import NUM_BODY_JOINTS
from .catalogue import ELEMENTARY, SUPER, Posecode
from .kinds import IGNORED, KINDS, interpretations
from .operators import OPERATORS, joint_indices
from .record import Record, join_name
from .working_set import working_joints

PROP_SKIP = 0.15
NOISE_STREAM, SKIP_STREAM = 1, 2


class Catalogue:
    """The posecode tables compiled to index arrays (built once, shared by every batch)."""

    def __init__(self, codes: list[Posecode] = ELEMENTARY, supers=SUPER):
        self.codes, self.supers = codes, supers
        self.interpretations = interpretations()
        self.kind_groups = []  # (kind, code indices, joint index array)
        for kind in KINDS:
            members = [i for i, c in enumerate(codes) if c.kind == kind]
            idx = np.array([joint_indices(kind, codes[i].joints) for i in members], np.int64)
            self.kind_groups.append((kind, np.array(members), idx))
        n_cat = max(len(k.categories) for k in KINDS.values())
        self.eligibility = np.zeros((len(codes), n_cat), np.int8)
        self.records: list[list[Record | None]] = []
        for i, c in enumerate(codes):
            cats = KINDS[c.kind].categories
            describable = c.describable()
            for k, cat in enumerate(cats):
                self.eligibility[i, k] = (cat in describable) + (cat in describable and cat in c.rare)
            self.records.append([None if cat == IGNORED else Record(*c.subject_part, cat, *c.second_part)
                                 for cat in cats])
        self._compile_supers()

    def _compile_supers(self):
        index = {(c.kind, frozenset(c.joints)): i for i, c in enumerate(self.codes)}
        cond_code, cond_cat, recipe_of_cond, super_of_recipe, support2 = [], [], [], [], set()
        for s, sp in enumerate(self.supers):
            for recipe in sp.recipes:
                for kind, joints, cat in recipe:
                    code = index[(kind, frozenset(joints))]
                    cond_code.append(code)
                    cond_cat.append(KINDS[kind].categories.index(cat))
                    recipe_of_cond.append(len(super_of_recipe))
                    if cat in self.codes[code].support2:
                        support2.add((s, code, cond_cat[-1]))
                super_of_recipe.append(s)
        self.cond_code, self.cond_cat = np.array(cond_code), np.array(cond_cat, np.int8)
        self.recipe_starts = np.flatnonzero(np.diff(np.r_[-1, recipe_of_cond]))
        self.super_starts = np.flatnonzero(np.diff(np.r_[-1, super_of_recipe]))
        self.support2 = sorted(support2)
        self.super_eligibility = np.array([1 + sp.rare for sp in self.supers], np.int8)
        self.super_records = [Record(*sp.subject_part, sp.interpretation, *sp.second_part) for sp in self.supers]

    @cached_property
    def noise(self) -> np.ndarray:
        out = np.empty(len(self.codes), np.float32)
        for kind, members, _ in self.kind_groups:
            out[members] = KINDS[kind].noise
        return out


CATALOGUE = Catalogue()


@dataclass
class Measurements:
    """Noise-free posecode values of a batch: (N, M), NaN where a code cannot be measured."""
    values: np.ndarray

    def __len__(self):
        return self.values.shape[0]


def measure(joints52: np.ndarray, available: np.ndarray | None = None, rotations: np.ndarray | None = None,
            catalogue: Catalogue = CATALOGUE) -> Measurements:
    """Measure every elementary posecode. `rotations`: (N, >=22, 3) axis-angle local rotations
    with the normalised root, or None (then head-rotation codes are not measured)."""
    joints, ok = working_joints(joints52, available)
    rot = None
    if rotations is not None:
        rot = axis_angle_to_matrix(np.asarray(rotations, np.float32)[:, :NUM_BODY_JOINTS])
    values = np.full((joints.shape[0], len(catalogue.codes)), np.nan, np.float32)
    for kind, members, idx in catalogue.kind_groups:
        if KINDS[kind].needs_rotations:
            if rot is not None:
                values[:, members] = OPERATORS[kind](joints, idx, rot)
            continue
        measurable = ok[idx].all(axis=1)
        if measurable.any():
            values[:, members[measurable]] = OPERATORS[kind](joints, idx[measurable])
    return Measurements(values)


@dataclass
class Categorised:
    """One caption's view of a batch: noisy categories (-1 = unmeasured) and eligibility 0/1/2."""
    categories: np.ndarray        # (N, M) int8
    eligibility: np.ndarray       # (N, M) int8
    super_eligibility: np.ndarray  # (N, S) int8


def categorise(m: Measurements, seed: int, keys: np.ndarray, caption: int,
               catalogue: Catalogue = CATALOGUE) -> Categorised:
    """Bin the values after the caption's noise (see `true_categories` for the pose's own categories)."""
    jitter = uniform(seed, keys, caption, NOISE_STREAM, m.values.shape[1]) * 2 - 1
    return _categorised(m.values + jitter.astype(np.float32) * catalogue.noise, catalogue)


def true_categories(m: Measurements, catalogue: Catalogue = CATALOGUE) -> Categorised:
    """The noise-free categories of a batch (what the pose is, not one caption's noisy view of it)."""
    return _categorised(m.values, catalogue)


def _categorised(values: np.ndarray, catalogue: Catalogue) -> Categorised:
    """Categories, eligibility (with super-posecode supports applied) and super-posecodes of (N, M) values."""
    n, n_codes = values.shape
    cats = np.full((n, n_codes), -1, np.int8)
    for kind, members, _ in catalogue.kind_groups:
        v = values[:, members]
        binned = (v[..., None] > np.asarray(KINDS[kind].thresholds, np.float32)).sum(-1).astype(np.int8)
        cats[:, members] = np.where(np.isnan(v), -1, binned)
    elig = np.where(cats >= 0, catalogue.eligibility[np.arange(n_codes), np.maximum(cats, 0)], 0).astype(np.int8)
    held = cats[:, catalogue.cond_code] == catalogue.cond_cat
    recipes = np.logical_and.reduceat(held, catalogue.recipe_starts, axis=1)
    fired = np.logical_or.reduceat(recipes, catalogue.super_starts, axis=1)
    for s, code, cat in catalogue.support2:
        elig[fired[:, s] & (cats[:, code] == cat), code] = 0
    super_elig = np.where(fired, catalogue.super_eligibility, 0).astype(np.int8)
    return Categorised(cats, elig, super_elig)


def select_records(c: Categorised, seed: int, keys: np.ndarray, caption: int, random_skip: bool = True,
                   catalogue: Catalogue = CATALOGUE) -> list[list[Record]]:
    """Per pose, the records to describe: eligible codes in catalogue order then super-posecodes;
    each eligibility-1 record is dropped with p=0.15 unless that would leave the pose with none."""
    elig = np.concatenate([c.eligibility, c.super_eligibility], axis=1)
    keep = elig > 0
    if random_skip:
        skip = (elig == 1) & (uniform(seed, keys, caption, SKIP_STREAM, elig.shape[1]) < PROP_SKIP)
        emptied = ~(keep & ~skip).any(axis=1)
        keep &= ~skip | emptied[:, None]
    n_codes = c.eligibility.shape[1]
    cats = c.categories
    code_records, super_records = catalogue.records, catalogue.super_records
    out = []
    for p in range(elig.shape[0]):
        idx = np.flatnonzero(keep[p])
        row = cats[p]
        out.append([code_records[i][row[i]] if i < n_codes else super_records[i - n_codes] for i in idx.tolist()])
    return out


def describable_posecodes(m: Measurements, c: Categorised, catalogue: Catalogue = CATALOGUE) -> list[list[dict]]:
    """Per pose, the posecodes that may be described (eligibility > 0), compactly: kind, subject,
    second part, category, value; then the super-posecodes produced."""
    out = []
    for p in range(len(m)):
        row = []
        for i in np.flatnonzero(c.eligibility[p]).tolist():
            record = catalogue.records[i][c.categories[p, i]]
            row.append({"kind": catalogue.codes[i].kind, "subject": join_name(*record.subject),
                        "second": join_name(*record.second), "category": record.interpretation,
                        "value": float(m.values[p, i])})
        for s in np.flatnonzero(c.super_eligibility[p]).tolist():
            record = catalogue.super_records[s]
            row.append({"kind": "super", "subject": join_name(*record.subject), "second": join_name(*record.second),
                        "category": record.interpretation, "value": float("nan")})
        out.append(row)
    return out


def describe_posecodes(m: Measurements, c: Categorised, pose: int, catalogue: Catalogue = CATALOGUE) -> list[dict]:
    """The measured posecodes of one pose, for users who want to see why a sentence was written."""
    out = []
    for i, code in enumerate(catalogue.codes):
        cat = int(c.categories[pose, i])
        if cat < 0:
            continue
        out.append({"kind": code.kind, "joints": list(code.joints), "subject": join_name(*code.subject_part),
                    "value": round(float(m.values[pose, i]), 4), "category": KINDS[code.kind].categories[cat],
                    "eligibility": int(c.eligibility[pose, i])})
    for s, sp in enumerate(catalogue.supers):
        if c.super_eligibility[pose, s]:
            out.append({"kind": "super", "subject": sp.subject, "second": sp.second, "category": sp.interpretation,
                        "eligibility": int(c.super_eligibility[pose, s])})
    return out

