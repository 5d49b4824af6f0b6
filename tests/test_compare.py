"""Comparative instructions (PoseFix): crafted pairs with known differences, direction, determinism, CLI."""
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cli.compare_command import compare as compare_command
from posescript_pipeline.body import create
from posescript_pipeline.compare import Comparisons, InstructionOptions, compare
from posescript_pipeline.compare.evaluation import ABSOLUTE, PAIR_CATALOGUE, measure_pairs, true_pair_categories
from posescript_pipeline.compare.paircodes import PAIR, PAIR_KINDS, PAIRCODES, SUPER_PAIRCODES, direction
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.orientation import normalise
from posescript_pipeline.posecodes.record import Record
from tests.crafted import crafted_joints, crafted_rotvecs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NO_SKIP = (InstructionOptions(random_skip=False),)
WITH_B = (InstructionOptions(random_skip=False, description_pieces=True),)


def joints(*names):
    return np.concatenate([crafted_joints(n) for n in names])


def left_knee_flexed(degrees):
    """Standing with the left knee flexed by `degrees` (Anny's rest knee is already at about 171 deg)."""
    rot = crafted_rotvecs("standing")
    rot[0, JOINT_INDEX["left_knee"]] = np.radians((degrees, 0, 0))
    return normalise(create().joints(rot))[0]


def noise_free(a, b):
    m = measure_pairs(a, b)
    return m, true_pair_categories(m)


def category(c, pair, kind, joints):
    i = next(i for i, code in enumerate(PAIRCODES) if code.kind == kind and code.joints == joints)
    return PAIR_KINDS[kind].categories[c.pairs.categories[pair, i]]


def has(text, *words):
    return any(re.search(rf"\b{w}\b", text, re.IGNORECASE) for w in words)


def test_catalogue_counts_match_the_spec():
    assert len(PAIRCODES) == 49 and len(SUPER_PAIRCODES) == 52
    a, b = joints("standing"), joints("left_knee_90")
    assert np.isfinite(measure_pairs(a, b).values).sum() == 47  # head rotations need joint rotations
    rot_a, rot_b = crafted_rotvecs("standing"), crafted_rotvecs("left_knee_90")
    assert np.isfinite(measure_pairs(a, b, rotations_a=rot_a, rotations_b=rot_b).values).sum() == 49


def test_knee_bend_and_thigh_raise():
    _, c = noise_free(joints("standing"), joints("left_knee_90"))
    assert category(c, 0, "pair_angle", ("left_hip", "left_knee", "left_ankle")) == "bent much more"
    assert category(c, 0, "pair_relativePosY", ("left_knee",)) == "higher"
    assert category(c, 0, "pair_angle", ("right_hip", "right_knee", "right_ankle")) == "ignored"
    for text in compare(joints("standing"), joints("left_knee_90"), texts=6, variants=NO_SKIP).texts[0]:
        assert "knee" in text and has(text, "bend", "bending", "flex", "flexing", "fold", "folding"), text
        assert "more" in text and "left" in text and "right" not in text, text
        assert has(text, "raise", "raising", "lift", "lifting", "up", "higher"), text


def test_raise_the_right_arm_and_swap_lowers_it():
    up = compare(joints("standing"), joints("right_arm_overhead"), texts=6, variants=NO_SKIP)
    down = compare(joints("right_arm_overhead"), joints("standing"), texts=6, variants=NO_SKIP)
    assert any(r[:3] == ("right", "hand", PAIR + "higher") for r in up.records[0][0])
    assert any(r[:3] == ("right", "hand", PAIR + "lower") for r in down.records[0][0])
    for text in up.texts[0]:
        assert "right" in text and has(text, "raise", "raising", "lift", "lifting", "up", "higher"), text
        assert not has(text, "lower", "lowering", "down", "drop", "dropping"), text
    for text in down.texts[0]:
        assert "right" in text and has(text, "lower", "lowering", "down", "drop", "dropping"), text


def test_hands_closer_is_a_super_paircode():
    _, c = noise_free(joints("standing", "t_pose"), joints("hands_together_front", "hands_together_front"))
    fired = [SUPER_PAIRCODES[s] for s in np.flatnonzero(c.pairs.super_eligibility[1])]
    assert ("both_hands", PAIR + "closer") in [(s.subject, s.interpretation) for s in fired]
    # elementary distance changes are support only: never said on their own
    distance = [i for i, code in enumerate(PAIRCODES) if code.kind == "pair_distance"]
    assert not c.pairs.eligibility[:, distance].any()
    for text in compare(joints("t_pose"), joints("hands_together_front"), texts=6, variants=NO_SKIP).texts[0]:
        assert "hands" in text and has(text, "closer", "together"), text


def test_straighten_replaces_the_angle_instruction():
    slightly_bent = left_knee_flexed(25)  # about 146 deg: "slightly bent"
    a = np.concatenate([slightly_bent, joints("left_knee_90")])
    b = joints("standing", "standing")
    _, c = noise_free(a, b)
    straighten = [s for s, sp in enumerate(SUPER_PAIRCODES) if sp.subject == "left_leg"]
    assert c.pairs.super_eligibility[:, straighten].all()
    angle = next(i for i, code in enumerate(PAIRCODES) if code.joints == ("left_hip", "left_knee", "left_ankle"))
    assert direction("pair_angle", category(c, 0, "pair_angle", PAIRCODES[angle].joints)) < 0  # less bent
    assert not c.pairs.eligibility[:, angle].any()  # said as "straighten" instead
    for text in compare(a, b, texts=4, variants=NO_SKIP).texts[0]:
        assert "left leg" in text and has(text, "straighten", "straightening", "stretch", "stretching", "extend",
                                          "extending", "straight"), text
        assert not has(text, "bend", "bending"), text


def test_swapping_a_and_b_reverses_every_paircode():
    a, b = joints("standing", "t_pose", "torso_forward"), joints("left_knee_90", "hands_together_front", "squat")
    m_ab, c_ab = noise_free(a, b)
    m_ba, c_ba = noise_free(b, a)
    both = np.isfinite(m_ab.values)
    np.testing.assert_allclose(m_ab.values[both], -m_ba.values[both], atol=1e-5)
    for p in range(3):
        for i, code in enumerate(PAIRCODES):
            if c_ab.pairs.categories[p, i] >= 0:  # thresholds are symmetric: the category mirrors
                cat_ab = PAIR_KINDS[code.kind].categories[c_ab.pairs.categories[p, i]]
                cat_ba = PAIR_KINDS[code.kind].categories[c_ba.pairs.categories[p, i]]
                assert direction(code.kind, cat_ab) == -direction(code.kind, cat_ba), (code, cat_ab, cat_ba)
    more = compare(joints("standing"), joints("left_knee_90"), texts=3, variants=NO_SKIP).texts[0]
    less = compare(joints("left_knee_90"), joints("standing"), texts=3, variants=NO_SKIP).texts[0]
    assert all(has(t, "lower", "lowering", "down", "drop", "dropping") for t in less)
    assert not any(has(t, "lower", "lowering", "down", "drop", "dropping") for t in more)


def test_identical_poses_give_empty_instructions():
    a = joints("standing", "squat", "t_pose")
    result = compare(a, a.copy(), texts=3)
    assert result.texts == [["", "", ""]] * 3
    assert result.records == [[[], [], []]] * 3


def test_determinism_per_pair_id_and_text_index():
    a = joints("standing", "t_pose", "standing")
    b = joints("left_knee_90", "hands_together_front", "right_arm_overhead")
    batch = compare(a, b, seed=7, pair_ids=["p0", "p1", "p2"], texts=3)
    alone = compare(a[1:2], b[1:2], seed=7, pair_ids=["p1"], texts=3)
    assert alone.texts[0] == batch.texts[1]
    assert compare(a, b, seed=7, pair_ids=["p0", "p1", "p2"], texts=3).texts == batch.texts
    reordered = compare(a[::-1], b[::-1], seed=7, pair_ids=["p2", "p1", "p0"], texts=3)
    assert reordered.texts[::-1] == batch.texts
    other = compare(a, b, seed=8, pair_ids=["p0", "p1", "p2"], texts=3)
    assert other.texts != batch.texts
    # more texts do not change the first ones; text 1 is the simplified variant
    assert compare(a, b, seed=7, pair_ids=["p0", "p1", "p2"], texts=5).texts[0][:3] == batch.texts[0]


def test_contact_paircode_when_b_has_a_new_contact():
    a, b = joints("standing", "standing"), joints("standing", "standing")
    contacts_a = [[], [("left_hand", "right_knee")]]
    contacts_b = [[("left_hand", "right_knee")], [("left_hand", "right_knee")]]
    result = compare(a, b, texts=3, contacts_a=contacts_a, contacts_b=contacts_b)
    assert result.contacts == [[Record("left", "hand", "touch", "right", "knee")], []]
    for text in result.texts[0]:  # never skipped
        assert "hand" in text and "knee" in text and has(text, "touch", "touching", "put", "putting", "bring",
                                                          "bringing", "place", "placing"), text
    assert result.texts[1] == ["", "", ""]  # a contact A already has is not an instruction
    with pytest.raises(ValueError):
        compare(a, b, contacts_b=contacts_b)


def test_pose_b_statements_are_optional_and_about_changed_parts():
    plain = compare(joints("standing"), joints("left_knee_90"), texts=3, variants=NO_SKIP)
    pieces = compare(joints("standing"), joints("left_knee_90"), texts=3, variants=WITH_B)
    modal = r"\b(should be|needs? to be|must be|is)\b"
    assert not any(re.search(modal, t) for t in plain.texts[0])
    for text, records in zip(pieces.texts[0], pieces.records[0]):
        assert Record("left", "knee", "right angle", "", "") in records
        assert re.search(modal, text), text
        # the right leg and the arms did not change: nothing is said about them
        assert not any(r[0] == "right" or r[1] in ("elbow", "arm") for r in records), records


def test_suppression_by_a_super_paircode_is_per_pair():
    """Both pairs end in the same pose B (hands together): only the pair that brings the hands closer
    hides B's "hands close" statement (the published per-pose suppression hid it in both)."""
    a = joints("t_pose", "hands_together_front")
    b = joints("hands_together_front", "hands_together_front")
    _, c = noise_free(a, b)
    hands = next(i for i, code in enumerate(ABSOLUTE.codes)
                 if code.kind == "distance" and code.joints == ("left_hand", "right_hand"))
    assert c.pose_b.categories[0, hands] == c.pose_b.categories[1, hands] == 0  # "close" in both
    assert c.pose_b.eligibility[0, hands] == 0 and c.pose_b.eligibility[1, hands] > 0


def test_bad_inputs_raise():
    a = joints("standing")
    with pytest.raises(ValueError):
        compare(a, np.concatenate([a, a]))
    with pytest.raises(ValueError):
        compare(a, a, rotations_a=crafted_rotvecs("standing"))
    with pytest.raises(ValueError):
        compare(a[0], a[0])


def test_comparisons_explain_their_paircodes():
    result = compare(joints("standing"), joints("hands_together_front"), texts=1)
    assert isinstance(result, Comparisons)
    rows = result.paircodes(0)
    assert len([r for r in rows if r["kind"] != "super"]) == 47
    assert {"kind", "parts", "value", "category"} <= set(rows[0])
    assert any(r["kind"] == "super" and r["parts"] == ["both_hands"] and r["category"] == "closer" for r in rows)
    assert len(PAIR_CATALOGUE.codes) == 49


# --- CLI
def run(*args):
    return CliRunner().invoke(compare_command, [str(a) for a in args])


def test_cli_two_frames_of_one_file():
    path = EXAMPLES / "smplx_params.npz"
    result = run(path, path, "--frame-a", 0, "--frame-b", 3, "--no-contacts")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 and all(line.endswith(".") for line in lines)
    again = run(path, path, "--frame-a", 0, "--frame-b", 3, "--no-contacts")
    assert again.output == result.output
    other = run(path, path, "--frame-a", 0, "--frame-b", 3, "--no-contacts", "--seed", 1, "--texts", 4)
    assert len(other.output.strip().splitlines()) == 4


def test_cli_json():
    path = EXAMPLES / "smplx_params.npz"
    result = run(path, path, "--frame-a", 1, "--frame-b", 5, "--no-contacts", "--format", "json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert len(row["texts"]) == 3 and row["a"]["frame"] == 1 and row["b"]["frame"] == 5
    assert len([p for p in row["paircodes"] if p["kind"] != "super"]) == 49  # parameter files: head rotations too
    assert all({"kind", "parts", "category"} <= set(p) for p in row["paircodes"])


def test_cli_joint_files():
    result = run(EXAMPLES / "joints_smplh52.npy", EXAMPLES / "joints_smpl24.npy", "--frame-b", 2)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args", [
    ("missing.npz", EXAMPLES / "smplx_params.npz"),
    (EXAMPLES / "smplx_params.npz", EXAMPLES / "smplx_params.npz", "--frame-b", 999, "--no-contacts"),
    (EXAMPLES / "make_examples.py", EXAMPLES / "smplx_params.npz", "--no-contacts"),
])
def test_cli_bad_inputs_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_cli_with_contacts_on_the_anny_mesh():
    path = EXAMPLES / "smplx_params.npz"
    result = run(path, path, "--frame-a", 0, "--frame-b", 4, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "new_contacts" in json.loads(result.output)
