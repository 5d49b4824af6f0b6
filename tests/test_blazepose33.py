"""The blazepose33 skeleton: BlazePose's 33 landmarks in MediaPipe's world axes (y down, z away from the camera)."""
import numpy as np

from bedlam_tools.pose_files import load_poses
from posescript_pipeline.joints import SKELETONS, skeleton_for_joint_count, to_smplh52
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.orientation import UP_CONVERSIONS, normalise

LANDMARK = {"nose": 0, "left_ear": 7, "right_ear": 8, "left_shoulder": 11, "right_shoulder": 12, "left_elbow": 13,
            "right_elbow": 14, "left_wrist": 15, "right_wrist": 16, "left_hip": 23, "right_hip": 24, "left_knee": 25,
            "right_knee": 26, "left_ankle": 27, "right_ankle": 28, "left_heel": 29, "right_heel": 30,
            "left_foot_index": 31, "right_foot_index": 32}


def facing_camera(left_arm_up=True):
    """(1, 33, 3) world landmarks of a person facing the camera, as MediaPipe gives them: the person's left on the
    image's right (+x), y down, z away from the camera (the nose and toes nearer: smaller z)."""
    p = np.zeros((33, 3), np.float32)
    for side, x in (("left", 1), ("right", -1)):
        p[LANDMARK[f"{side}_hip"]] = (0.1 * x, 0, 0)
        p[LANDMARK[f"{side}_knee"]] = (0.1 * x, 0.45, 0)
        p[LANDMARK[f"{side}_ankle"]] = (0.1 * x, 0.9, 0)
        p[LANDMARK[f"{side}_heel"]] = (0.1 * x, 0.95, 0.05)
        p[LANDMARK[f"{side}_foot_index"]] = (0.1 * x, 0.95, -0.15)
        p[LANDMARK[f"{side}_shoulder"]] = (0.18 * x, -0.5, 0)
        p[LANDMARK[f"{side}_ear"]] = (0.07 * x, -0.7, 0)
        p[LANDMARK[f"{side}_elbow"]] = (0.2 * x, -0.22, 0)
        p[LANDMARK[f"{side}_wrist"]] = (0.2 * x, 0.05, 0)
    p[LANDMARK["nose"]] = (0, -0.7, -0.1)
    if left_arm_up:  # the left arm raised straight up
        p[LANDMARK["left_elbow"]] = (0.2, -0.8, 0)
        p[LANDMARK["left_wrist"]] = (0.2, -1.08, 0)
    return p[None]


def canonical(world):
    joints, available = to_smplh52(world, "blazepose33")
    return normalise(joints, up="-y")[0], available


def test_blazepose33_is_a_table_entry_found_by_its_joint_count():
    assert SKELETONS["blazepose33"][0] == 33 and skeleton_for_joint_count(33) == "blazepose33"


def test_y_down_conversion_is_a_rotation():
    assert np.isclose(np.linalg.det(UP_CONVERSIONS["-y"]), 1.0)


def test_left_stays_left_and_up_is_up():
    joints, available = canonical(facing_camera())
    j = {name: joints[0, i] for name, i in JOINT_INDEX.items()}
    assert j["left_hip"][0] > 0 > j["right_hip"][0]              # +x is the body's own left
    assert j["left_wrist"][1] > j["head"][1] > j["right_wrist"][1]  # the raised arm is the left one, y up
    assert j["head"][1] > j["pelvis"][1] > j["left_ankle"][1]
    assert j["left_foot"][2] > j["left_ankle"][2]                # toes forward: the body faces +z
    assert np.allclose(j["pelvis"], 0)
    for name in ("left_collar", "left_middle2", "right_index1"):
        assert not available[JOINT_INDEX[name]] and np.isnan(j[name]).all()


def test_mirror_image_is_not_the_same_pose():
    """Mirroring the landmarks (a left-right swap of the image) moves the raised arm to the body's right."""
    world = facing_camera()
    mirrored = world * [-1, 1, 1]
    swap = [0, 4, 5, 6, 1, 2, 3, 8, 7, 10, 9] + [i + (1 if i % 2 else -1) for i in range(11, 33)]
    joints, _ = canonical(mirrored[:, swap])
    assert joints[0, JOINT_INDEX["right_wrist"], 1] > joints[0, JOINT_INDEX["left_wrist"], 1]


def test_turned_camera_gives_the_same_canonical_pose():
    """Seen from the side (the body turned about the vertical), the canonical joints do not change."""
    world = facing_camera()
    a = np.radians(70)
    turn = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]], np.float32)
    front, _ = canonical(world)
    side, _ = canonical(world @ turn.T)
    assert np.nanmax(np.abs(front - side)) < 1e-5


def test_npy_of_33_landmarks_reads_as_blazepose33(tmp_path):
    path = tmp_path / "landmarks.npy"
    np.save(path, facing_camera()[0])
    batch = load_poses(path)
    expected, available = canonical(facing_camera())
    assert np.allclose(batch.joints, expected, equal_nan=True) and np.array_equal(batch.available, available)
