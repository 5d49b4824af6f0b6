"""The description engine's entry point: canonical joints (and rotations) in, captions out."""
from dataclasses import dataclass

import numpy as np

from .aggregation import CAPTION_VARIANTS, CaptionOptions, aggregate, order_items
from .captions.realisation import write_caption
from .posecodes.evaluation import (Measurements, categorise, describe_posecodes, measure, select_records,
                                   true_categories)
from .posecodes.record import Record, join_name
from .posecodes.touch import touch_records, with_touches
from .random_streams import caption_rng, pose_key


@dataclass
class Descriptions:
    """Captions of a batch, plus what is needed to explain them."""
    captions: list[list[str]]            # per pose, one caption per caption index
    records: list[list[list[Record]]]    # per pose, per caption: the posecode records it was written from
    measurements: Measurements
    contacts: list[list[Record]]         # per pose, the touch records (empty without a body mesh)

    def posecodes(self, pose: int) -> list[dict]:
        """The noise-free measured posecodes of one pose (kind, joints, value, category, eligibility)."""
        m = Measurements(self.measurements.values[pose:pose + 1])
        return describe_posecodes(m, true_categories(m), 0)

    def to_json(self, pose: int) -> dict:
        """One pose's captions, the statements each caption was written from, its contacts and its posecodes."""
        return {"captions": self.captions[pose],
                "statements": [[r.statement() for r in records] for records in self.records[pose]],
                "contacts": [{"part": join_name(*r.subject), "touches": join_name(*r.second)}
                             for r in self.contacts[pose]],
                "posecodes": self.posecodes(pose)}


def describe(joints52: np.ndarray, available: np.ndarray | None = None, rotations: np.ndarray | None = None, *,
             seed: int = 0, pose_ids=None, captions: int = 3,
             variants: tuple[CaptionOptions, ...] = CAPTION_VARIANTS, contacts=None, sexes=None) -> Descriptions:
    """Describe N poses.

    joints52: (N, 52, 3) SMPL-H joints in the canonical frame (y up, facing +z, +x = body's left),
    NaN where missing (`available` False). rotations: (N, 52|22, 3) axis-angle with the normalised
    root, or None. contacts: per pose, the (part, part) pairs in self-contact on the body mesh
    (see `contact`), said in every caption. sexes: per pose "male", "female" or "" (unknown: neutral
    words), or None (all unknown). Caption k uses variants[k % len(variants)]; it depends only on
    (seed, pose id, k, the pose's sex), whatever the batch it is computed in.
    """
    n = joints52.shape[0]
    ids = range(n) if pose_ids is None else pose_ids
    keys = np.array([pose_key(p) for p in ids], np.uint64)
    m = measure(joints52, available, rotations)
    touches = [touch_records(pairs) for pairs in contacts] if contacts is not None else [[] for _ in range(n)]
    sexes = [""] * n if sexes is None else list(sexes)
    out_captions = [[] for _ in range(n)]
    out_records = [[] for _ in range(n)]
    for k in range(captions):
        options = variants[k % len(variants)]
        selected = select_records(categorise(m, seed, keys, k), seed, keys, k, options.random_skip)
        for p, records in enumerate(selected):
            records = with_touches(records, touches[p])
            rng = caption_rng(seed, int(keys[p]), k)
            items = order_items(aggregate(records, rng, options), rng)
            out_captions[p].append(write_caption(items, rng, options, sexes[p]))
            out_records[p].append(records)
    return Descriptions(out_captions, out_records, m, touches)
