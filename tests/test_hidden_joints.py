"""Joints unknown in one pose (NaN, e.g. not visible in a photo) make the posecodes that need them unmeasured."""
import numpy as np

from posescript_pipeline.body import create
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.posecodes.evaluation import CATALOGUE, measure
from tests.crafted import crafted_rotvecs


def _values(joints, kind):
    return {c.joints: v for c, v in zip(CATALOGUE.codes, measure(joints).values[0]) if c.kind == kind}


def test_unseen_ankles_leave_the_ground_and_the_forward_incline_unmeasured():
    joints = create().joints(crafted_rotvecs("t_pose")).astype(np.float32)
    seen = _values(joints, "onGround")
    assert seen[("left_knee",)] > 0.3 and np.isfinite(list(_values(joints, "bodyInclineX").values())).all()
    for name in ("left_ankle", "right_ankle", "left_foot", "right_foot"):
        joints[:, JOINT_INDEX[name]] = np.nan
    assert np.isnan(list(_values(joints, "onGround").values())).all()   # not "knees on the ground"
    assert np.isnan(list(_values(joints, "bodyInclineX").values())).all()
    assert np.isfinite(list(_values(joints, "bodyInclineZ").values())).all()  # needs no ankle
