"""The motion engine on crafted motions: intervals in seconds at any frame rate, sides under mirroring, still
sequences, the interval finder's rules, seeded words, the json, and temporally consistent pose captions."""
import numpy as np
import pytest

from posescript_pipeline.crafted_poses import crafted_joints
from posescript_pipeline.motion import CHANNELS, KINDS, MotionError, describe_motion
from posescript_pipeline.motion.catalogue import CHANNEL_INDEX
from posescript_pipeline.motion.intervals import find_segments, levels
from posescript_pipeline.motion.relations import moments, relation
from posescript_pipeline.motion.series import measure_series
from posescript_pipeline.rotations import rotation_about_y
from posescript_pipeline.skeleton import JOINT_INDEX, mirror_joints

STANDING = crafted_joints("standing")[0].astype(np.float64)


def knee_bend(fps, start=1.0, seconds=1.0, total=3.0, side="left"):
    """Joints (T, 52, 3) of a standing body whose knee goes from 180 to 90 degrees between `start` and
    `start + seconds` (linearly), thigh vertical, the shin swinging back; everything else still."""
    t = np.arange(int(round(total * fps)) + 1) / fps
    angle = 180 - 90 * np.clip((t - start) / seconds, 0, 1)
    joints = np.repeat(STANDING[None], len(t), axis=0)
    hip, knee, ankle, foot = (JOINT_INDEX[f"{side}_{p}"] for p in ("hip", "knee", "ankle", "foot"))
    thigh, shin = 0.4, 0.4
    joints[:, knee] = joints[:, hip] + [0, -thigh, 0]
    beta = np.radians(180 - angle)
    shin_dir = np.stack([np.zeros_like(beta), -np.cos(beta), -np.sin(beta)], axis=1)
    foot_offset = STANDING[foot] - STANDING[ankle]
    joints[:, ankle] = joints[:, knee] + shin * shin_dir
    joints[:, foot] = joints[:, ankle] + foot_offset
    return joints


def codes_of(result, channel):
    return [c for c in result.codes if c.channel == channel]


@pytest.mark.parametrize("fps", [20, 30, 120])
def test_a_knee_bending_90_degrees_in_one_second_is_one_bend_at_90_degrees_per_second(fps):
    result = describe_motion(knee_bend(fps), fps, trajectory=False)
    bends = codes_of(result, "left_knee_angle")
    assert len(bends) == 1
    bend = bends[0]
    assert bend.interpretation == "bend" and bend.subject == "left_knee"
    assert bend.start == pytest.approx(1.0, abs=1.5 / fps) and bend.end == pytest.approx(2.0, abs=1.5 / fps)
    assert bend.change == pytest.approx(-90, abs=1) and bend.velocity == pytest.approx(90, rel=0.05)
    assert (bend.intensity, bend.speed) == ("significant", "moderate")
    assert not codes_of(result, "right_knee_angle")


def test_the_same_motion_gives_the_same_codes_at_any_frame_rate():
    said = {fps: sorted((c.channel, c.interpretation, c.intensity, c.speed)
                        for c in describe_motion(knee_bend(fps), fps, trajectory=False).codes) for fps in (20, 30, 120)}
    assert said[20] == said[30] == said[120]


def test_a_mirrored_motion_swaps_sides():
    joints = knee_bend(30)
    yaw = np.radians(np.clip(np.arange(len(joints)) / 30 - 1.0, 0, 1) * 90)  # turns 90 degrees left as it bends
    joints = joints @ rotation_about_y(yaw).swapaxes(-1, -2)
    original = describe_motion(joints, 30, trajectory=False)
    mirrored = describe_motion(mirror_joints(joints), 30, trajectory=False)
    assert [c.interpretation for c in codes_of(original, "body_heading")] == ["turn left"]
    assert [c.interpretation for c in codes_of(mirrored, "body_heading")] == ["turn right"]
    assert codes_of(mirrored, "right_knee_angle")[0].velocity == pytest.approx(
        codes_of(original, "left_knee_angle")[0].velocity)
    assert not codes_of(mirrored, "left_knee_angle")
    swap = {"left": "right", "right": "left"}

    def mirrored_word(word):
        return " ".join(swap.get(w, w) for w in word.split()).replace("left_", "#").replace("right_", "left_") \
            .replace("#", "right_")
    expected = sorted((mirrored_word(c.subject), mirrored_word(c.interpretation)) for c in original.codes)
    assert sorted((c.subject, c.interpretation) for c in mirrored.codes) == expected


def test_a_still_sequence_says_so():
    joints = np.repeat(STANDING[None], 90, axis=0)
    result = describe_motion(joints, 30, captions=3, trajectory=False)
    assert result.codes == []
    assert all(s[0].statements == ["body still"] for s in result.sentences)
    assert all(any(w in c for w in ("still", "not move")) for c in result.captions)


def test_noise_at_a_threshold_makes_no_motion():
    rng = np.random.default_rng(0)
    joints = np.repeat(STANDING[None], 300, axis=0) + rng.normal(0, 0.004, (300, 52, 3))
    assert describe_motion(joints, 120, trajectory=False).codes == []


def test_bad_frame_rates_and_single_frames_are_one_line_errors():
    for fps in (0, -5, float("nan"), float("inf")):
        with pytest.raises(MotionError, match="frames per second > 0"):
            describe_motion(knee_bend(30), fps)
    with pytest.raises(MotionError, match="at least 2 frames"):
        describe_motion(STANDING[None], 30)


# --- the interval finder's rules (the note's toy runs, and what it got wrong)

def _segments(series, fps=20):
    lv = np.asarray(series)
    frames = np.flatnonzero(np.diff(lv)) + 1
    return find_segments(frames, np.diff(lv)[frames - 1], fps, min_levels=2, max_gap=1.0)


def test_the_finder_keeps_the_published_rules():
    runs = _segments([0, 0, 1, 2, 3, 4, 4, 4, 3, 2, 1, 0])
    assert [(net) for _, _, net in runs] == [4, -4]
    assert _segments([2, 3] * 20) == []            # flicker between two levels
    assert _segments([0, 0, 1, 1, 1]) == []        # one step is no motion


def test_the_finder_fixes_the_published_faults():
    assert _segments([0] * 5 + [1] + [1] * 50 + [2] * 5) == []  # two steps 2.5 s apart are not one motion
    assert [net for _, _, net in _segments([0, 0, 3, 3, 3])] == [3]  # a jump of 3 levels counts 3, not 1


def test_levels_absorb_noise_within_the_hysteresis():
    # step 10 (level 1 is 5..15), hysteresis 3: a level changes only 3 past a boundary
    v = np.array([9.0, 10.5, 9.5, 14.9, 16.0, 17.5, 19.0, 16.5, 13.5, 11.0])[:, None]
    assert levels(v, 10.0, 3.0)[:, 0].tolist() == [1, 1, 1, 1, 1, 1, 2, 2, 2, 1]


def test_a_turn_through_180_degrees_is_one_turn():
    n = 91
    yaw = np.radians(np.linspace(0, 270, n))  # through +-180: the heading is unwrapped
    joints = np.repeat(STANDING[None], n, axis=0) @ rotation_about_y(yaw).swapaxes(-1, -2)
    turns = codes_of(describe_motion(joints, 30, trajectory=False), "body_heading")
    assert len(turns) == 1 and turns[0].change == pytest.approx(270, abs=2) and turns[0].intensity == "significant"


def test_time_relations_come_from_seconds():
    first, second, third = moments([0.0, 0.1, 2.0, 6.0], [1.0, 1.1, 3.0, 7.0])[:3]
    assert first.codes == (0, 1)
    assert relation(first, second)[0] == "a moment later"
    assert relation(second, third)[0] == "after a while"
    assert relation(None, first)[0] == "at once"
    both = moments([0.0, 0.1], [1.0, 1.1], channels=["knee", "knee"])
    assert len(both) == 2  # the same channel twice: two moments, in order


# --- words

def squat_then_arms():
    """A squat (both knees, the body down and up) then the arms raised, from the example generator's motion."""
    from examples.make_motion_examples import motion
    from posescript_pipeline.body import create

    rotations, trans, _ = motion()
    return create().joints(rotations) + trans[:, None].astype(np.float32), rotations


def test_words_are_seeded_by_sequence_and_caption_only():
    joints, rotations = squat_then_arms()
    a = describe_motion(joints, 30, rotations=rotations, seed=3, sequence_id="x", captions=3)
    b = describe_motion(joints, 30, rotations=rotations, seed=3, sequence_id="x", captions=1)
    c = describe_motion(joints, 30, rotations=rotations, seed=4, sequence_id="x", captions=3)
    assert a.captions[0] == b.captions[0] and a.captions != c.captions
    assert any("squat" in s or "crouch" in s or "both knees" in s or "down" in s for s in a.captions)


def test_the_json_gives_every_code_and_where_each_sentence_came_from():
    joints, rotations = squat_then_arms()
    out = describe_motion(joints, 30, rotations=rotations, captions=2).to_json()
    assert out["fps"] == 30 and out["frames"] == len(joints)
    code = out["motion_codes"][0]
    assert set(code) >= {"kind", "subject", "second", "motion", "start_s", "end_s", "intensity", "velocity"}
    assert set(code["intensity"]) == {"value", "unit", "category"} and code["velocity"]["unit"].endswith("/s")
    said = {i for caption in out["sentences"] for s in caption for i in s["codes"]}
    assert said == {i for i, c in enumerate(out["motion_codes"]) if c["said"]}
    assert all(s["statements"] and s["text"][0].isupper() for caption in out["sentences"] for s in caption)


def test_gendered_words_follow_the_sex():
    joints, rotations = squat_then_arms()
    for sex, absent in (("female", (" he ", " his ")), ("male", (" she ", " her ")), ("", (" he ", " she "))):
        text = " ".join(describe_motion(joints, 30, rotations=rotations, captions=6, sex=sex).captions).lower()
        assert not any(w in f" {text} " for w in absent), (sex, text)


def test_every_channel_is_measured_on_full_joints_with_rotations():
    joints, rotations = squat_then_arms()
    series = measure_series(joints, 30, rotations=rotations)
    assert series.measured.all() and np.isfinite(series.values).all()
    assert set(CHANNEL_INDEX) == {c.name for c in CHANNELS} and all(c.kind in KINDS for c in CHANNELS)
    without = measure_series(joints, 30)
    assert [c.name for c, m in zip(CHANNELS, without.measured) if not m] == ["head_turn", "head_nod", "head_tilt"]


# --- temporally consistent pose captions

def test_steady_captions_change_only_where_the_statements_change():
    from posescript_pipeline.describe import describe
    from posescript_pipeline.motion.steady import describe_steady
    from posescript_pipeline.orientation import normalise

    joints, rotations = squat_then_arms()
    canonical, _ = normalise(joints)
    rng = np.random.default_rng(1)
    canonical = canonical + rng.normal(0, 0.003, canonical.shape).astype(np.float32)
    steady = describe_steady(canonical, captions=2, sequence_id="s")
    jumpy = describe(canonical, captions=2)
    for k in range(2):
        for p in range(1, len(canonical)):
            if steady.records[p][k] == steady.records[p - 1][k]:
                assert steady.captions[p][k] == steady.captions[p - 1][k]
    changes = [sum(d.captions[p][0] != d.captions[p - 1][0] for p in range(1, len(canonical))) for d in (steady, jumpy)]
    assert changes[0] < changes[1] / 3


def test_held_values_keep_a_category_within_the_margin():
    from posescript_pipeline.motion.steady import held_values
    from posescript_pipeline.posecodes.evaluation import CATALOGUE

    knee = next(i for i, c in enumerate(CATALOGUE.codes) if c.kind == "angle")  # thresholds 45/75/105/135/160
    values = np.full((5, len(CATALOGUE.codes)), np.nan, np.float32)
    values[:, knee] = [150, 162, 158, 166, 150]
    held = held_values(values)[:, knee]
    assert held[1] == 160 and held[2] == 158 and held[3] == 166 and held[4] == 150
