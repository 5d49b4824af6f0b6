"""Annotation of selected poses: self-contacts on the body mesh, three captions, structured posecodes."""

from posescript_pipeline.describe import describe
from posescript_pipeline.posecodes.evaluation import describable_posecodes, true_categories

from .sources.base import Candidates


def annotate(cands: Candidates, *, seed: int, contacts: bool = True, model_dir=None, rotations: bool = True) -> dict:
    """Columns for the rows of `cands`: captions, posecodes, contacts (lists, one item per row).

    Contacts are measured once per pose on the canonical body (the body shape is ignored, as in the
    published pipeline: thresholds are not shape-adaptive) and said in all three captions. rotations=False:
    the candidates' poses are not rotations (photos): described from the joints only.
    """
    pairs = [[] for _ in range(len(cands))]
    if contacts and len(cands):
        from posescript_pipeline.body import create
        from posescript_pipeline.contact import detect_contacts

        pairs = detect_contacts(cands.pose, create(model_dir=model_dir))
    result = describe(cands.joints, None, cands.pose if rotations else None, seed=seed, pose_ids=list(cands.ids),
                      captions=3, contacts=pairs, sexes=cands.sex)
    categories = true_categories(result.measurements)
    return {"captions": result.captions, "posecodes": describable_posecodes(result.measurements, categories),
            "contacts": [[{"part_a": a, "part_b": b} for a, b in row] for row in pairs]}
