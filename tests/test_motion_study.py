"""The synthetic study of `benchmarks/motion_study.py`, small: the words say what each activity does, and the judge
does flag a contradiction."""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import motion_study  # noqa: E402
from posescript_pipeline.motion import describe_motion  # noqa: E402


def test_a_small_study_meets_the_goals():
    rows = motion_study.study(per_activity=3, seconds=6.0, fps=30.0, seed=1)
    assert {r[0] for r in rows} == set(motion_study.EXPECTED)
    assert np.mean([r[3] for r in rows]) >= 0.9
    assert np.mean([r[4] for r in rows]) <= 0.1


def test_the_judge_flags_a_turn_said_during_a_squat():
    expect = motion_study.EXPECTED["turn"]
    joints, rotations, signs = motion_study.sequences("turn", expect, 2, 6.0, 30.0, seed=0)
    d = describe_motion(joints[0], 30, rotations=rotations[0], trajectory=False, captions=1)
    found, contradicted, _ = motion_study.judge(d, expect, signs[0])
    assert found == [True] and not contradicted
    _, contradicted, what = motion_study.judge(d, motion_study.EXPECTED["squat"], 0.0)
    assert contradicted and any("turn" in w for w in what)
    _, contradicted, _ = motion_study.judge(d, expect, -signs[0])  # the other way round
    assert contradicted
