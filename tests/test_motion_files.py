"""Motion files as a user gives them: `posescript describe-motion` on every sequence input (AMASS, SMPL-X, joints,
BVH rigs), the BVH reader against the same motion as AMASS, one-line errors, `describe --smooth`, the timeline."""
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from bedlam_tools.bvh_files import RIGS, normalised_name, read_bvh
from bedlam_tools.pose_files import InputError, load_sequence
from cli.posescript import main
from posescript_pipeline.skeleton import JOINT_INDEX

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BVH = EXAMPLES / "motion_biped.bvh"
SPINE = [JOINT_INDEX[n] for n in ("spine1", "spine2", "spine3")]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert all(w in lines[0] for w in words), lines[0]


def test_the_bvh_example_reads_as_the_same_motion_as_its_amass_twin():
    bvh, amass = load_sequence(BVH), load_sequence(EXAMPLES / "amass_motion.npz")
    assert (bvh.fmt, bvh.rig, len(bvh), bvh.fps) == ("bvh", "biped", 150, 30)
    assert amass.fps == 30 and amass.trajectory and amass.sex == "female"
    joints = [j for j in range(22) if j not in SPINE]
    np.testing.assert_allclose(bvh.joints[:, joints], amass.joints[:, joints], atol=2e-3)
    assert not bvh.available[JOINT_INDEX["left_index1"]] and bvh.available[JOINT_INDEX["left_foot"]]


def test_the_examples_read_right():
    result = run("describe-motion", BVH, "--format", "json", "--captions", 1)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    said = [(c["subject"], c["motion"]) for c in out["motion_codes"] if c["said"]]
    for expected in [("left_knee", "bend"), ("right_knee", "bend"), ("body", "body down"), ("body", "body up"),
                     ("left_knee", "extend"), ("left_hand", "up"), ("right_hand", "up"), ("body", "turn left")]:
        assert expected in said
    turn = next(c for c in out["motion_codes"] if c["motion"] == "turn left")
    assert turn["start_s"] == pytest.approx(3.5, abs=0.1) and turn["end_s"] == pytest.approx(4.5, abs=0.1)
    assert turn["intensity"]["value"] == pytest.approx(90, abs=1)
    text = out["captions"][0].lower()
    squat = next(w for w in ("squat", "crouch", "knees", "goes down", "go down", "moves down") if w in text)
    assert "turn" in text or "rotate" in text
    assert text.index(squat) < text.index("to the left" if "to the left" in text else "left")


@pytest.mark.parametrize("name, extra", [("amass_poses.npz", []), ("amass_motion.npz", []),
                                         ("smplx_params.npz", ["--fps", 2]), ("joints_smplh52.npy", ["--fps", 5]),
                                         ("joints_h36m17.npy", ["--fps", 5, "--skeleton", "h36m17"]),
                                         ("motion_biped.bvh", [])])
def test_every_sequence_input_is_described(name, extra):
    result = run("describe-motion", EXAMPLES / name, *extra)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 and all(line.endswith(".") for line in lines)


def test_jsonl_gives_one_line_per_file_and_the_seed_decides_the_words():
    result = run("describe-motion", BVH, EXAMPLES / "amass_motion.npz", "--format", "jsonl", "--seed", 7)
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["format"] for r in rows] == ["bvh", "amass"] and rows[0]["rig"] == "biped"
    again = run("describe-motion", BVH, "--seed", 7).output
    other = run("describe-motion", BVH, "--seed", 8).output
    assert again.splitlines() == rows[0]["captions"] and other != again


def _renamed(tmp_path, names, name="renamed.bvh"):
    text = BVH.read_text()
    for old, new in names.items():
        text = re.sub(rf"\b(ROOT|JOINT) {re.escape(old)}\n", rf"\1 {new}\n", text)
    path = tmp_path / name
    path.write_text(text)
    return path


BIPED_TO = {
    "smpl": {"mixamorig:Hips": "Pelvis", "LeftUpLeg": "L_Hip", "LeftLeg": "L_Knee", "LeftFoot": "L_Ankle",
             "LeftToeBase": "L_Foot", "RightUpLeg": "R_Hip", "RightLeg": "R_Knee", "RightFoot": "R_Ankle",
             "RightToeBase": "R_Foot", "LeftShoulder": "L_Collar", "RightShoulder": "R_Collar",
             "LeftArm": "L_Shoulder", "RightArm": "R_Shoulder", "LeftForeArm": "L_Elbow", "RightForeArm": "R_Elbow",
             "LeftHand": "L_Wrist", "RightHand": "R_Wrist"},
    "humanoid": {"mixamorig:Hips": "Hips", "LeftUpLeg": "UpperLeg_L", "LeftLeg": "LowerLeg_L", "LeftFoot": "Foot_L",
                 "LeftToeBase": "Toes_L", "RightUpLeg": "UpperLeg_R", "RightLeg": "LowerLeg_R", "RightFoot": "Foot_R",
                 "RightToeBase": "Toes_R", "LeftShoulder": "Shoulder_L", "RightShoulder": "Shoulder_R",
                 "LeftArm": "UpperArm_L", "RightArm": "UpperArm_R", "LeftForeArm": "LowerArm_L",
                 "RightForeArm": "LowerArm_R", "LeftHand": "Hand_L", "RightHand": "Hand_R"},
}


@pytest.mark.parametrize("rig", sorted(BIPED_TO))
def test_every_rig_of_the_table_is_read(tmp_path, rig):
    reference = read_bvh(BVH)
    motion = read_bvh(_renamed(tmp_path, BIPED_TO[rig]))
    assert motion.rig == rig and motion.units == "centimetres"
    np.testing.assert_allclose(motion.joints[:, :22], reference.joints[:, :22], atol=1e-6)
    assert {r.name for r in RIGS} == {"smpl", "biped", "humanoid"}
    assert normalised_name("mixamorig:LeftUpLeg") == "leftupleg" and normalised_name("L_Hip") == "lhip"


def test_bad_inputs_are_one_line_errors(tmp_path):
    one_line_error(run("describe-motion", BVH, "--fps", 0), "--fps", "> 0")
    one_line_error(run("describe-motion", BVH, "--fps", -3), "--fps")
    one_line_error(run("describe-motion", BVH, "--fps", "fast"), "--fps")
    one_line_error(run("describe-motion", EXAMPLES / "joints_smplh52.npy"), "no frame rate", "--fps")
    single = tmp_path / "one.npy"
    np.save(single, np.load(EXAMPLES / "joints_smplh52.npy")[:1])
    one_line_error(run("describe-motion", single, "--fps", 30), "1 frame", "at least 2")
    unknown = _renamed(tmp_path, {"mixamorig:Hips": "Root", "LeftUpLeg": "Bone01", "RightUpLeg": "Bone02"})
    one_line_error(run("describe-motion", unknown), "unknown BVH rig", "biped")
    broken = tmp_path / "broken.bvh"
    broken.write_text("HIERARCHY\nROOT Hips\n{\n  OFFSET 0 0\n")
    one_line_error(run("describe-motion", broken), "broken.bvh")
    one_line_error(run("describe-motion", tmp_path / "missing.bvh"), "missing.bvh")
    bad_rate = tmp_path / "rate.npz"
    data = dict(np.load(EXAMPLES / "amass_motion.npz"))
    np.savez(bad_rate, **{**data, "mocap_framerate": np.float64(0)})
    one_line_error(run("describe-motion", bad_rate), "mocap_framerate", "> 0")


def test_describe_smooth_holds_statements_across_frames():
    args = ("describe", EXAMPLES / "amass_motion.npz", "--all", "--captions", 1, "--no-contacts", "--format", "jsonl")
    plain = [json.loads(line) for line in run(*args).output.splitlines()]
    smooth = [json.loads(line) for line in run(*args, "--smooth").output.splitlines()]
    assert len(plain) == len(smooth) == 150

    def changes(rows):
        return sum(a["captions"] != b["captions"] for a, b in zip(rows, rows[1:]))
    assert changes(smooth) < changes(plain) / 3
    for a, b in zip(smooth, smooth[1:]):
        if a["statements"] == b["statements"]:
            assert a["captions"] == b["captions"]


def test_the_timeline_of_a_bvh_is_a_strip_of_stick_figures(tmp_path):
    from PIL import Image

    out = tmp_path / "t.png"
    result = run("render", BVH, "--timeline", "-o", out, "--size", 96)
    assert result.exit_code == 0, result.output
    image = Image.open(out)
    sentences = len(json.loads(run("describe-motion", BVH, "--format", "json", "--captions", 1).output)
                    ["sentences"][0])
    assert image.width >= (sentences + 1) * 96 and image.height > 96


@pytest.mark.slow
def test_the_timeline_of_a_parameter_file_poses_the_mesh(tmp_path):
    from PIL import Image

    out = tmp_path / "t.png"
    result = run("render", EXAMPLES / "amass_motion.npz", "--timeline", "-o", out, "--size", 96)
    assert result.exit_code == 0, result.output
    assert Image.open(out).width > 96 * 4


def test_load_sequence_refuses_what_it_cannot_time(tmp_path):
    with pytest.raises(InputError, match="no frame rate"):
        load_sequence(EXAMPLES / "joints_smplh52.npy")
    assert load_sequence(EXAMPLES / "amass_poses.npz").trajectory is False  # its trans is all zeros
    assert load_sequence(EXAMPLES / "amass_motion.npz", fps=60).fps == 60


def test_smplx_sequences_keep_their_translation(tmp_path):
    """A BEDLAM-style SMPL-X parameter sequence (y up, 'transl', a frame-rate field) moving 1 m forward."""
    from examples.make_motion_examples import motion

    rotations, _, _ = motion()
    n = len(rotations)
    transl = np.zeros((n, 3), np.float32)
    transl[:, 2] = np.linspace(0, 1.5, n)  # along the body's facing direction at the start (+z)
    path = tmp_path / "walk.npz"
    np.savez(path, global_orient=rotations[:, 0], body_pose=rotations[:, 1:22].reshape(n, 63), transl=transl,
             fps=np.float64(30))
    sequence = load_sequence(path)
    assert sequence.trajectory and sequence.fps == 30
    out = json.loads(run("describe-motion", path, "--format", "json", "--captions", 1).output)
    travel = [c for c in out["motion_codes"] if c["channel"] == "body_forward"]
    assert travel and all(c["motion"] == "body forward" for c in travel)
    assert sum(c["intensity"]["value"] for c in travel) == pytest.approx(1.5, abs=0.3)


def test_the_words_do_not_depend_on_the_folder(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "elsewhere" / BVH.name
    copy.parent.mkdir()
    shutil.copy(BVH, copy)
    monkeypatch.chdir(tmp_path)
    assert run("describe-motion", copy).output == run("describe-motion", BVH).output \
        == run("describe-motion", Path("elsewhere") / BVH.name).output
