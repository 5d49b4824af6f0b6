"""The whole-body turn sentence (spec A.11): the change of the root's rotation about the vertical from A to B,
binned, said before the instruction; nothing without it, and the rest of the text unchanged."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bedlam_tools.fix_builder import FixBuild, FixConfig, turns, world_roots, write_instructions
from bedlam_tools.pair_mining import Pairs
from bedlam_tools.script_builder import BuildConfig, ScriptBuild
from posescript_pipeline.compare import compare, rotation_change
from posescript_pipeline.compare.evaluation import rotation_bins, rotation_categories
from posescript_pipeline.compare.instructions import ROTATION_TEMPLATES
from posescript_pipeline.compare.paircodes import GLOBAL_ROTATION
from posescript_pipeline.orientation import normalise
from posescript_pipeline.body import create
from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle, rotation_about_y
from posescript_pipeline.skeleton import mirror_rotations
from tests.crafted import crafted_joints, crafted_rotvecs
from tests.motion_source import MotionSource

STANDING = crafted_rotvecs("standing")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def turned(rotvecs, degrees):
    """The poses with their roots turned about the vertical by `degrees` (+ = to the body's left)."""
    out = np.array(rotvecs, np.float32)
    out[:, 0] = matrix_to_axis_angle(rotation_about_y(np.radians(degrees)) @ axis_angle_to_matrix(out[:, 0]))
    return out


def sentences(category):
    """The turn sentences a category may start with."""
    return {" ".join(t.replace("<", "").replace(">", "").split()).capitalize() + "." for t in
            ROTATION_TEMPLATES[category]}


def first_sentence(text):
    return text.split(". ", 1)[0].rstrip(".") + "."


def compared(change, start="standing", end="left_knee_90", n=1):
    a, b = np.repeat(crafted_joints(start), n, 0), np.repeat(crafted_joints(end), n, 0)
    ids = [f"pair{i}" for i in range(n)]
    return (compare(a, b, pair_ids=ids, rotation_change=np.full(n, change) if change is not None else None),
            compare(a, b, pair_ids=ids))


def test_the_turn_is_read_from_the_roots_left_positive():
    root = np.repeat(STANDING[:, 0], 3, 0)
    assert rotation_change(root, turned(STANDING, 45)[:, 0]) == pytest.approx(45, abs=1e-4)
    assert rotation_change(root, turned(STANDING, -45)[:, 0]) == pytest.approx(-45, abs=1e-4)
    both = rotation_change(turned(np.repeat(STANDING, 2, 0), [10, -30])[:, 0], turned(np.repeat(STANDING, 2, 0),
                                                                                      [70, -100])[:, 0])
    np.testing.assert_allclose(both, [60, -70], atol=1e-4)  # vectorised over pairs, from any heading of A
    left = turned(STANDING, 45)
    mirrored = rotation_change(mirror_rotations(STANDING)[:, 0], mirror_rotations(left)[:, 0])
    assert mirrored == pytest.approx(-45, abs=1e-4)  # the mirror image of a left turn is a right turn


def test_normalised_roots_hide_the_turn():
    """Orientation normalisation removes the heading: the change must come from the roots before it."""
    body = create()
    rot_a, rot_b = STANDING, turned(STANDING, 45)
    _, norm_a = normalise(body.joints(rot_a), rot_a[:, 0])
    _, norm_b = normalise(body.joints(rot_b), rot_b[:, 0])
    assert abs(rotation_change(norm_a, norm_b)[0]) < 1e-3


@pytest.mark.parametrize("change, category", [
    (45, "slightly more to the left"), (-45, "slightly more to the right"), (90, "a quarter to the left"),
    (-90, "a quarter to the right"), (135, "around to the left"), (-135, "around to the right"), (175, "around"),
    (-175, "around")])
def test_a_turn_starts_every_text_and_leaves_the_rest_as_it_was(change, category):
    result, plain = compared(change)
    for text, before, turn in zip(result.texts[0], plain.texts[0], result.turns[0]):
        assert turn == category
        first, rest = text.split(". ", 1)
        assert f"{first}." in sentences(category) and rest == before


def test_no_turn_no_sentence_and_the_same_output():
    for change in (0.0, 9.0, -9.0, np.nan):
        result, plain = compared(change, n=20)
        assert result.texts == plain.texts and result.records == plain.records
        assert all(t is None for row in result.turns for t in row)
    result, plain = compared(None)
    assert result.texts == plain.texts and result.rotation is None and result.turns is None
    assert "rotation" not in result.to_json(0) and result.to_json(0) == plain.to_json(0)


def test_a_turn_alone_is_an_instruction():
    same = crafted_joints("standing")
    result = compare(same, same, rotation_change=[45.0])
    assert not any(compare(same, same).texts[0])
    assert all(t in sentences("slightly more to the left") for t in result.texts[0])
    assert result.to_json(0)["rotation"] == {"change_deg": 45.0, "turns": ["slightly more to the left"] * 3}


def test_bin_edges_go_to_the_lower_category():
    edges = {-150.01: "around", -150: "around", -149.99: "around to the right", -120: "around to the right",
             -119.99: "a quarter to the right", -60: "a quarter to the right",
             -59.99: "slightly more to the right", -20: "slightly more to the right", -19.99: None, 20: None,
             20.01: "slightly more to the left", 60: "slightly more to the left", 60.01: "a quarter to the left",
             120: "a quarter to the left", 120.01: "around to the left", 150: "around to the left",
             150.01: "around", 180: "around"}
    assert rotation_bins(list(edges)) == list(edges.values())
    assert GLOBAL_ROTATION.noise == 10


def test_the_noise_is_ten_degrees_and_per_text():
    keys = np.arange(400, dtype=np.uint64)
    near = [rotation_categories(np.full(400, 25.0), 0, keys, k) for k in range(3)]
    assert {c for row in near for c in row} == {None, "slightly more to the left"}  # 15..35 straddles 20
    assert near[0] != near[1]
    assert set(rotation_categories(np.full(400, 30.5), 0, keys, 0)) == {"slightly more to the left"}
    assert set(rotation_categories(np.full(400, 9.5), 0, keys, 0)) == {None}


def test_a_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="rotation_change"):
        compare(crafted_joints("standing"), crafted_joints("squat"), rotation_change=[1.0, 2.0])


# --- the pair builder
def _job(changes):
    a, b = crafted_joints("standing"), crafted_joints("left_knee_90")
    n = len(changes)
    return {"split": "train", "pair_id": [f"train-{k:06d}" for k in range(n)], "pair_type": ["in"] * n,
            "id_a": [f"a{k}" for k in range(n)], "id_b": [f"b{k}" for k in range(n)], "same_subject": [True] * n,
            "in_sequence": [True] * n, "time_diff_s": [1 / 6] * n, "similarity": [0.8] * n,
            "posecode_difference": [30] * n, "joints_a": np.repeat(a, n, 0), "joints_b": np.repeat(b, n, 0),
            "pose_a": np.repeat(STANDING, n, 0), "pose_b": np.repeat(crafted_rotvecs("left_knee_90"), n, 0),
            "contacts_a": [[]] * n, "contacts_b": [[]] * n, "rotation_change": np.asarray(changes, np.float64)}


def test_the_builder_says_the_turn_where_the_job_has_one():
    job = _job([45.0, np.nan])
    table, rejects = write_instructions(job, seed=0)
    plain, _ = write_instructions({k: v for k, v in job.items() if k != "rotation_change"}, seed=0)
    assert not rejects and table.column("rotation_change").to_pylist() == [45.0, None]
    said, before = table.column("instructions").to_pylist(), plain.column("instructions").to_pylist()
    assert all(first_sentence(t) in sentences("slightly more to the left") for t in said[0])
    assert [t.split(". ", 1)[1] for t in said[0]] == before[0] and said[1] == before[1]
    assert plain.column("rotation_change").to_pylist() == [None, None]


def test_world_roots_are_nan_where_unknown():
    import pyarrow as pa

    table = pa.table({"world_root": pa.array([None, [0.1, 0.2, 0.3]], pa.list_(pa.float32()))})
    roots = world_roots(table)
    assert np.isnan(roots[0]).all() and roots[1] == pytest.approx([0.1, 0.2, 0.3])
    assert np.isnan(world_roots(pa.table({"id": ["a", "b"]}))).all()  # a BEDLAM-Script written before the column


def test_turns_only_for_in_sequence_pairs_with_known_roots():
    world = np.concatenate([STANDING[:, 0], turned(STANDING, 50)[:, 0], turned(STANDING, -80)[:, 0],
                            np.full((1, 3), np.nan)])
    pairs = Pairs(a=np.array([0, 0, 1, 0]), b=np.array([1, 2, 2, 3]), in_sequence=np.array([True, False, True, True]),
                  similarity=np.full(4, 0.8), difference=np.full(4, 30), time_diff=np.array([0.2, np.nan, 0.3, 0.1]))
    change = turns(pairs, world)
    np.testing.assert_allclose(change[[0, 2]], [50, -130], atol=1e-4)
    assert np.isnan(change[[1, 3]]).all()


# --- posescript compare --with-rotation
def _run(*args):
    from click.testing import CliRunner

    from cli.compare_command import compare as compare_command

    return CliRunner().invoke(compare_command, [str(a) for a in args])


def test_cli_with_rotation_says_the_turn_between_the_files_roots():
    path = EXAMPLES / "smplx_params.npz"  # frame 3 is frame 0's body turned 45 degrees to the left
    plain = _run(path, path, "--frame-a", 0, "--frame-b", 3, "--no-contacts")
    turned = _run(path, path, "--frame-a", 0, "--frame-b", 3, "--no-contacts", "--with-rotation")
    assert plain.exit_code == 0 and turned.exit_code == 0, turned.output
    for line, before in zip(turned.output.splitlines(), plain.output.splitlines()):
        first, rest = line.split(". ", 1)
        assert f"{first}." in sentences("slightly more to the left") and rest == before
    row = json.loads(_run(path, path, "--frame-a", 0, "--frame-b", 3, "--no-contacts", "--with-rotation",
                          "--format", "json").output)
    assert row["rotation"]["change_deg"] == pytest.approx(45, abs=0.01)
    amass = EXAMPLES / "amass_poses.npz"  # z up, turning 90 degrees left over its 12 frames
    row = json.loads(_run(amass, amass, "--frame-b", 6, "--no-contacts", "--with-rotation", "--format", "json").output)
    assert row["rotation"]["change_deg"] == pytest.approx(90 * 6 / 11, abs=0.01)
    same = _run(path, path, "--frame-a", 0, "--frame-b", 0, "--no-contacts", "--with-rotation")
    assert same.exit_code == 0 and "no difference to describe" in same.output


def test_cli_with_rotation_needs_parameter_files():
    joints = EXAMPLES / "joints_smpl24.npy"
    result = _run(joints, joints, "--frame-b", 2, "--with-rotation")
    assert result.exit_code == 2 and "no root rotation" in result.output


# --- a whole build: BEDLAM-Script world roots -> BEDLAM-Fix turn sentences
DEGREES_PER_FRAME = 40.0


class TurningMotionSource(MotionSource):
    """The test motions, each sequence turning 40 degrees to the left per frame (240 degrees per second)."""

    def candidates(self, split):
        c = super().candidates(split)
        c.world_root = turned(c.pose, c.frame * DEGREES_PER_FRAME)[:, 0]
        return c


@pytest.fixture(scope="module")
def turning(tmp_path_factory):
    out = tmp_path_factory.mktemp("turning")
    ScriptBuild(BuildConfig(split="train", n=90, source="motion", rows_per_shard=40, contacts=False), out / "script",
                TurningMotionSource()).run(progress=False, workers=1)
    FixBuild(FixConfig(split="train", rows_per_shard=40), out / "script", out / "fix", card_images="none").run(
        progress=False, workers=1)
    return pd.read_parquet(out / "script" / "data"), pd.read_parquet(out / "fix" / "data")


def test_the_script_keeps_the_roots_before_normalisation(turning):
    poses, _ = turning
    world = np.stack(poses.world_root).astype(np.float32)
    expected = turned(np.stack([np.stack(p) for p in poses.pose]), poses.frame.to_numpy() * DEGREES_PER_FRAME)[:, 0]
    np.testing.assert_allclose(world, expected, atol=1e-5)


def test_in_sequence_pairs_turn_and_the_others_do_not(turning):
    _, rows = turning
    inside = rows[rows.in_sequence]
    assert len(inside) and (~rows.in_sequence).any()
    frames = np.round(inside.time_diff_s.to_numpy() * 6)
    np.testing.assert_allclose(inside.rotation_change, frames * DEGREES_PER_FRAME, atol=8)
    for row, steps in zip(inside.itertuples(), frames):
        if steps == 1:  # 40 degrees, +-10 of noise: always "slightly more to the left"
            assert all(first_sentence(t) in sentences("slightly more to the left") for t in row.instructions)
    every = set().union(*map(sentences, ROTATION_TEMPLATES))
    outside = rows[~rows.in_sequence]
    assert outside.rotation_change.isna().all()
    assert not any(first_sentence(t) in every for texts in outside.instructions for t in texts)
