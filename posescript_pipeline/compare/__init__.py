"""Comparative instructions (PoseFix): how to go from pose A (start) to pose B (target).

    from posescript_pipeline.compare import compare
    result = compare(joints_a, joints_b)   # (P, 52, 3) each: pair p is (joints_a[p], joints_b[p])
    result.texts[p]                        # BEDLAM-Fix's three texts: normal, simplified, normal
    compare(..., rotation_change=rotation_change(root_a, root_b))  # + "Turn slightly to the left. ..."

Direction is always A -> B: every paircode is value(A) - value(B), and nothing stores a pair as (B, A).
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..posecodes.record import Record, join_name
from ..random_streams import caption_rng, pose_key
from .evaluation import (PairMeasurements, categorise_pairs, describe_paircodes, measure_pairs, new_contacts,
                         relevant_pose_b, rotation_categories, rotation_change, select_pair_records,
                         true_pair_categories)
from .instructions import FIX_VARIANTS, InstructionOptions, instruction, with_rotation
from .paircodes import PAIR, PAIRCODES, SUPER_PAIRCODES


@dataclass
class Comparisons:
    """Instructions of a batch of pairs, plus what is needed to explain them."""
    texts: list[list[str]]              # per pair, one instruction per text index
    records: list[list[list[Record]]]   # per pair, per text: the records it was written from
    measurements: PairMeasurements      # noise-free paircode values (P, 49) and both poses' posecodes
    contacts: list[list[Record]]        # per pair, the touch records B has and A lacks
    rotation: np.ndarray | None = None  # (P,) the whole-body turn given (degrees, + left), NaN unknown
    turns: list[list[str | None]] | None = None  # per pair, per text: its turn category (None: no sentence)

    @cached_property
    def _true_categories(self):
        return true_pair_categories(self.measurements)

    def paircodes(self, pair: int) -> list[dict]:
        """The noise-free paircodes of one pair (kind, joints, parts, value, category, eligibility), then
        the super-paircodes they produce."""
        return describe_paircodes(self.measurements, self._true_categories, pair)

    def to_json(self, pair: int) -> dict:
        """One pair's texts, the statements each was written from, the new contacts and the paircodes."""
        out = {"texts": self.texts[pair],
               "statements": [[r._replace(interpretation=r.interpretation.removeprefix(PAIR)).statement()
                               for r in records] for records in self.records[pair]],
               "new_contacts": [{"part": join_name(*r.subject), "touches": join_name(*r.second)}
                                for r in self.contacts[pair]],
               "paircodes": self.paircodes(pair)}
        if self.rotation is not None:
            change = float(self.rotation[pair])
            out["rotation"] = {"change_deg": None if np.isnan(change) else round(change, 4),
                               "turns": self.turns[pair]}
        return out


def _check(name, array, n=None):
    array = np.asarray(array, np.float32)
    if array.ndim != 3 or array.shape[-1] != 3 or (n is not None and len(array) != n):
        expected = f"({n if n is not None else 'P'}, J, 3)"
        raise ValueError(f"{name}: shape {array.shape}; expected {expected}")
    return array


def _rotation_input(rotation_change, n):
    """The (P,) float64 rotation changes, or None when not given."""
    if rotation_change is None:
        return None
    change = np.asarray(rotation_change, np.float64)
    if change.shape != (n,):
        raise ValueError(f"rotation_change: shape {change.shape}; expected ({n},) degrees")
    return change


def compare(joints_a, joints_b, rotations_a=None, rotations_b=None, *, seed: int = 0, pair_ids=None, texts: int = 3,
            contacts_a=None, contacts_b=None, available_a=None, available_b=None, rotation_change=None,
            variants: tuple[InstructionOptions, ...] = FIX_VARIANTS) -> Comparisons:
    """Instructions for P pairs (joints_a[p] -> joints_b[p]).

    joints_a, joints_b: (P, 52, 3) SMPL-H joints in the canonical frame, NaN where missing (available_* False).
    rotations_a, rotations_b: (P, 52|22, 3) axis-angle with the normalised root (both or neither): they
    enable the head-rotation paircodes. contacts_a, contacts_b: per pair, the (part, part) self-contacts
    of each pose (both or neither); contacts B has and A lacks are always said. rotation_change: (P,)
    degrees the whole body turns about the vertical from A to B (+ = left, NaN unknown), e.g.
    `rotation_change(root_a, root_b)` of the un-normalised roots: a turn sentence goes before a text whose
    turn category is not "ignored" (spec A.11); the rest of the text is the same as without it. Text k uses
    variants[k % len(variants)] and depends only on (seed, pair id, k), whatever the batch.
    """
    joints_a = _check("joints_a", joints_a)
    joints_b = _check("joints_b", joints_b, len(joints_a))
    if (rotations_a is None) != (rotations_b is None):
        raise ValueError("rotations: give both rotations_a and rotations_b, or neither")
    if rotations_a is not None:
        rotations_a, rotations_b = _check("rotations_a", rotations_a, len(joints_a)), _check(
            "rotations_b", rotations_b, len(joints_a))
    if (contacts_a is None) != (contacts_b is None):
        raise ValueError("contacts: give both contacts_a and contacts_b, or neither")
    n = len(joints_a)
    ids = range(n) if pair_ids is None else list(pair_ids)
    if len(ids) != n:
        raise ValueError(f"pair_ids: {len(ids)} ids for {n} pairs")
    keys = np.array([pose_key(p) for p in ids], np.uint64)
    rotation = _rotation_input(rotation_change, n)
    m = measure_pairs(joints_a, joints_b, available_a, available_b, rotations_a, rotations_b)
    touches = new_contacts(contacts_a, contacts_b) if contacts_a is not None else [[] for _ in range(n)]
    out_texts, out_records, out_turns = ([[] for _ in range(n)] for _ in range(3))
    for k in range(texts):
        options = variants[k % len(variants)]
        pairs, pose_b = select_pair_records(categorise_pairs(m, seed, keys, k), seed, keys, k, options.random_skip)
        turns = rotation_categories(rotation, seed, keys, k) if rotation is not None else [None] * n
        for p in range(n):
            records = pairs[p] + touches[p]
            if options.description_pieces:
                records = records + relevant_pose_b(records, pose_b[p])
            rng = caption_rng(seed, int(keys[p]), k)
            out_texts[p].append(with_rotation(instruction(records, rng, options), turns[p], rng))
            out_records[p].append(records)
            out_turns[p].append(turns[p])
    return Comparisons(out_texts, out_records, m, touches, rotation, out_turns if rotation is not None else None)


__all__ = ["compare", "Comparisons", "InstructionOptions", "FIX_VARIANTS", "PAIRCODES", "SUPER_PAIRCODES",
           "rotation_change"]
