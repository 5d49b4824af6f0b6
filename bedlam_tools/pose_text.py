"""Words for the poses of files: the captions of a `PoseBatch`, the instructions from one pose to another.

Self-contacts are found on the body mesh when the poses have rotations (parameter files); joint files are
described from their joints only.
"""
from pathlib import Path

from posescript_pipeline.compare import Comparisons, compare, rotation_change
from posescript_pipeline.contact import detect_contacts
from posescript_pipeline.describe import Descriptions, describe

from .pose_files import InputError, PoseBatch


def contacts_of(batch: PoseBatch, body, contacts: bool = True):
    """Per pose, the self-contacts on `body`; None when not asked for or when the poses have no rotations."""
    return detect_contacts(batch.rotations, body) if contacts and batch.rotations is not None else None


def describe_batch(batch: PoseBatch, body, *, seed: int = 0, captions: int = 3, contacts: bool = True,
                   sex: str | None = None) -> Descriptions:
    """Captions of every pose of the batch; caption k depends only on (seed, frame id, k). The gendered words
    follow `sex` ("male", "female", "" neutral), by default the file's own (see `PoseBatch.sex`)."""
    sex = batch.sex if sex is None else sex
    return describe(batch.joints, batch.available, batch.rotations, seed=seed, pose_ids=batch.frame_ids.tolist(),
                    captions=captions, contacts=contacts_of(batch, body, contacts), sexes=[sex] * len(batch))


def turn_between(a: PoseBatch, b: PoseBatch):
    """(N,) degrees the body turns about the vertical from each pose of `a` to the pose of `b` at the same row,
    from the files' roots before normalisation; InputError for a file without rotations."""
    for batch in (a, b):
        if batch.world_root is None:
            raise InputError(f"{batch.path}: no root rotation (a {batch.fmt} file); the turn needs parameter files")
    return rotation_change(a.world_root, b.world_root)


def compare_batches(a: PoseBatch, b: PoseBatch, body, *, pair_ids, seed: int = 0, texts: int = 3,
                    contacts: bool = True, turn: bool = False) -> Comparisons:
    """Instructions from each pose of `a` to the pose of `b` at the same row. Head rotations and contacts are
    used when both batches have rotations; `turn` says the whole-body turn between their roots first (files of
    one world frame, e.g. two frames of a sequence)."""
    both = a.rotations is not None and b.rotations is not None
    rotations = (a.rotations, b.rotations) if both else (None, None)
    found = (contacts_of(a, body, contacts), contacts_of(b, body, contacts)) if both else (None, None)
    return compare(a.joints, b.joints, *rotations, seed=seed, pair_ids=pair_ids, texts=texts, contacts_a=found[0],
                   contacts_b=found[1], available_a=a.available, available_b=b.available,
                   rotation_change=turn_between(a, b) if turn else None)


def describe_steadily(batch: PoseBatch, body, *, seed: int = 0, captions: int = 3, contacts: bool = True,
                      sex: str | None = None) -> Descriptions:
    """Captions of the batch's frames as one sequence, held across frames (`posescript describe --all --smooth`):
    a statement stays while its category holds, so consecutive captions change only where the pose changed. The
    words depend on (seed, file name, caption index), not on the file's folder."""
    from posescript_pipeline.motion.steady import describe_steady

    return describe_steady(batch.joints, batch.available, batch.rotations, seed=seed,
                           sequence_id=Path(batch.path).name,
                           captions=captions, contacts=contacts_of(batch, body, contacts),
                           sex=batch.sex if sex is None else sex)


def describe_sequence(sequence, *, seed: int = 0, captions: int = 3, sex: str | None = None):
    """The motion description of a `pose_files.MotionSequence`; caption k depends only on (seed, file name, k):
    not on the folder the file is in or how its path was typed."""
    from posescript_pipeline.motion import describe_motion

    return describe_motion(sequence.joints, sequence.fps, sequence.available, sequence.rotations,
                           trajectory=sequence.trajectory, seed=seed, sequence_id=Path(sequence.path).name,
                           captions=captions,
                           sex=sequence.sex if sex is None else sex)
