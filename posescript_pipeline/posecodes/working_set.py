"""The working skeleton posecodes are measured on: the 22 body joints, the two middle-finger second
phalanges, and 11 virtual joints (averages of real ones)."""
import numpy as np

from ..skeleton import BODY_JOINT_NAMES, JOINT_INDEX, NUM_BODY_JOINTS, SIDES

MIDDLE2 = {f"{side}_middle2": JOINT_INDEX[f"{side}_middle2"] for side in SIDES}
"""Working name -> SMPL-H index of the middle finger's second phalanx."""
VIRTUAL = {
    "left_hand": ("left_wrist", "left_middle2"), "right_hand": ("right_wrist", "right_middle2"),
    "torso": ("pelvis", "neck", "spine3"),
    "left_thigh": ("left_hip", "left_knee"), "right_thigh": ("right_hip", "right_knee"),
    "left_shin": ("left_knee", "left_ankle"), "right_shin": ("right_knee", "right_ankle"),
    "left_upperarm": ("left_shoulder", "left_elbow"), "right_upperarm": ("right_shoulder", "right_elbow"),
    "left_forearm": ("left_elbow", "left_wrist"), "right_forearm": ("right_elbow", "right_wrist"),
}
WORKING_JOINTS = BODY_JOINT_NAMES + tuple(MIDDLE2) + tuple(VIRTUAL)
INDEX = {name: i for i, name in enumerate(WORKING_JOINTS)}
# Mean wrist-to-middle2 distance, used to place middle2 along the forearm when hands are unknown.
WRIST_TO_MIDDLE2 = 0.1367


def working_joints(joints52: np.ndarray, available: np.ndarray | None = None):
    """(N, 52, 3) SMPL-H joints -> ((N, W, 3) working joints, (W,) availability).

    Missing joints are NaN in `joints52` and False in `available`; a virtual joint is available
    when all its sources are. Missing middle2 joints are extrapolated from the forearm.
    """
    joints52 = np.asarray(joints52, dtype=np.float32)
    available = np.ones(joints52.shape[1], bool) if available is None else np.asarray(available, bool)
    n = joints52.shape[0]
    out = np.empty((n, len(WORKING_JOINTS), 3), np.float32)
    ok = np.zeros(len(WORKING_JOINTS), bool)
    out[:, :NUM_BODY_JOINTS] = joints52[:, :NUM_BODY_JOINTS]
    ok[:NUM_BODY_JOINTS] = available[:NUM_BODY_JOINTS]
    for side in SIDES:
        j, src = INDEX[f"{side}_middle2"], MIDDLE2[f"{side}_middle2"]
        if joints52.shape[1] > src and available[src]:
            out[:, j], ok[j] = joints52[:, src], True
        else:
            wrist, elbow = out[:, INDEX[f"{side}_wrist"]], out[:, INDEX[f"{side}_elbow"]]
            direction = wrist - elbow
            direction /= np.linalg.norm(direction, axis=-1, keepdims=True) + 1e-9
            out[:, j] = wrist + WRIST_TO_MIDDLE2 * direction
            ok[j] = ok[INDEX[f"{side}_wrist"]] and ok[INDEX[f"{side}_elbow"]]
    for name, sources in VIRTUAL.items():
        idx = [INDEX[s] for s in sources]
        out[:, INDEX[name]] = out[:, idx].mean(axis=1)
        ok[INDEX[name]] = ok[idx].all()
    return out, ok
