"""A tiny pose source of short motions (crafted poses blended over time) for BEDLAM-Fix tests: several
subjects do the same motions with small differences, so there are in-sequence and out-of-sequence pairs."""
import numpy as np

from bedlam_tools.sources.base import Candidates
from posescript_pipeline.body import create
from posescript_pipeline.crafted_poses import crafted_rotvecs
from posescript_pipeline.orientation import normalise
from tests.toy_source import ToySource

MOTIONS = (("standing", "squat"), ("standing", "left_knee_90"), ("t_pose", "hands_together_front"),
           ("standing", "right_arm_overhead"), ("standing", "torso_forward"), ("standing", "sitting_hands_on_thighs"))
FRAMES = 6  # at 6 fps: the whole motion in one second


class MotionSource(ToySource):
    """Every subject does every motion once (train: 3 subjects, val: 1); flat-colour crops, none broken."""
    name = "motion"

    def __init__(self):
        super().__init__(broken="none")

    def candidates(self, split: str) -> Candidates:
        subjects = ["m3"] if split == "val" else ["m0", "m1", "m2"]
        rng = np.random.default_rng({"train": 0, "val": 1}[split])
        ids, subject, sequence, frame, pose = [], [], [], [], []
        for s in subjects:
            for q, (start, end) in enumerate(MOTIONS):
                a, b = crafted_rotvecs(start)[0], crafted_rotvecs(end)[0]
                for f in range(FRAMES):
                    w = f / (FRAMES - 1)
                    pose.append((1 - w) * a + w * b + rng.normal(0, 0.05, a.shape) * (np.arange(52) > 0)[:, None])
                    ids.append(f"motion/{s}/q{q}/f{f:04d}")
                    subject.append(s), sequence.append(f"{s}/q{q}"), frame.append(f)
        pose = np.asarray(pose, np.float32)
        joints, _ = normalise(create().joints(pose))
        n = len(ids)
        return Candidates(ids=np.array(ids), subject_id=np.array(subject), sequence_id=np.array(sequence),
                          frame=np.array(frame, np.int32), time_s=(np.array(frame) / 6).astype(np.float32), pose=pose,
                          betas=np.zeros((n, 6), np.float32), joints=joints, body_model="anny")
