"""The BEDLAM reader on a miniature BEDLAM tree (tests/fixtures_bedlam.py): selection, ids, splits, layouts, crops."""
import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bedlam_tools.sources.base import Crop, RecordError
from bedlam_tools.sources.bedlam import BedlamLayoutError, BedlamSource
from bedlam_tools.sources.bedlam.layout import BedlamModelError
from bedlam_tools.sources.bedlam.points import SMPLX_PELVIS
from bedlam_tools.sources.bedlam.selection import scaled_box, select_humans
from posescript_pipeline.body import create
from posescript_pipeline.body.backends.smplx import ModelFilesError
from posescript_pipeline.errors import UserError
from posescript_pipeline.orientation import normalise
from tests.fixtures_bedlam import (MISSING_SCENE, SCENES, SOURCE_KWARGS, SPELLED, kept_frames, motion, persons,
                                   pixels, subject, subjects, write_bedlam)

pytestmark = pytest.mark.filterwarnings("ignore:BEDLAM. 1 scene.s. of .* not found")  # the fixture's missing scene


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_bedlam(tmp_path_factory.mktemp("bedlam"))


@pytest.fixture(scope="module")
def source(root):
    return BedlamSource(root, **SOURCE_KWARGS)


@pytest.fixture(scope="module")
def cands(source):
    return {split: source.candidates(split) for split in ("train", "val")}


@pytest.fixture(scope="module")
def embroider_root(tmp_path_factory):
    return write_bedlam(tmp_path_factory.mktemp("embroider"), layout="poseembroider")


def _prefix(scene, seq, k, folder=None):
    return f"bedlam/{folder or scene['folder']}/{seq['name']}/p{k}"


def _n_kept(split, drop=frozenset()):
    return sum(len(kept_frames(seq, p)) for _, seq, _, p in persons(split) if p["expect"] == "kept"
               and subject(p) not in drop)


def test_every_person_passes_or_fails_selection_as_designed(source):
    for split in ("train", "val"):
        scanned, rejects = source.scan(split)
        reasons = dict(zip(scanned.ids, scanned.reason))
        reject_ids = {r["id"]: r["reason"] for r in rejects}
        for scene, seq, k, person in persons(split):
            prefix = _prefix(scene, seq, k)
            mine = {i: r for i, r in reasons.items() if i.startswith(prefix + "/")}
            expect = person["expect"]
            if expect == "corrupt":
                assert not mine and "could not be read" in reject_ids[prefix]
            elif expect == "no_camera":
                assert not mine and "camera csv not found" in reject_ids[f"bedlam/{scene['folder']}/{seq['name']}"]
            else:
                frames = kept_frames(seq, person)
                assert sorted(mine) == [f"{prefix}/f{f:04d}" for f in frames], prefix
                assert all(r == ("" if expect == "kept" else expect) for r in mine.values()), (prefix, mine)


def test_candidate_counts_and_stats(source, cands):
    assert {s: len(c) for s, c in cands.items()} == {"train": _n_kept("train"), "val": _n_kept("val")} \
        == {"train": 14, "val": 9}
    assert source.stats["train"] == {"kept": 14, "out_of_frame": 0, "visibility": 3, "resolution": 3, "overlap": 3,
                                     "shared_subject": 0, "rejects": 1, "person_frames": 23, "scenes": 3,
                                     "subjects": 8, "subjects_in_other_split": 2}
    assert source.stats["val"]["shared_subject"] == 0 and source.stats["val"]["rejects"] == 1
    assert source.missing_scenes == [MISSING_SCENE[0]]  # listed, not downloaded: skipped


def test_unreadable_records_are_rejected_with_reasons_and_the_rest_is_read(cands):
    train = {r["id"]: r["reason"] for r in cands["train"].rejects}
    assert list(train) == ["bedlam/20221010_3_1000_batch01hand/seq_000001/p2"]
    assert "rp_eve_posed_005/0505/motion_seq.npz" in train["bedlam/20221010_3_1000_batch01hand/seq_000001/p2"]
    val = {r["id"]: r["reason"] for r in cands["val"].rejects}
    assert list(val) == ["bedlam/20221018_3-8_250_batch01hand/seq_000001"]
    # the motion file holding a pickled object array was read (alice's rows exist)
    assert any("/seq_000000/p0/" in i for i in cands["train"].ids)


def test_ids_are_unique_deterministic_and_in_image_then_person_order(root, cands):
    again = BedlamSource(root, **SOURCE_KWARGS).candidates("train")
    c = cands["train"]
    assert list(again.ids) == list(c.ids)
    assert len(set(c.ids)) == len(c)
    keys = [(img, int(i.split("/p")[-1].split("/")[0])) for img, i in zip(c.extra["image"], c.ids)]
    assert keys == sorted(keys)
    assert all(len(a) == len(c) for a in c.extra.values())


def test_the_default_split_is_bedlams_scene_split_and_the_card_reports_the_shared_subjects(source, cands):
    # like BEDLAM's, the fixture's scenes share one subject pool: a subject-disjoint val would lose 2 of 3 subjects
    assert subjects("val") & subjects("train") == {"rp_alice_posed_001", "rp_gus_posed_007"}
    assert all(i.startswith("bedlam/20221018_3-8_250_batch01hand/") for i in cands["val"].ids)
    assert set(cands["val"].subject_id) == subjects("val")
    assert "rp_alice_posed_001" in set(cands["train"].subject_id)  # subject = body name without the motion id
    notes = " ".join(source.notes("val"))
    assert "Split by scene" in notes and "2 of 3 subjects of this split also appear in train scenes" in notes


def test_a_subject_disjoint_val_drops_the_shared_subjects_and_says_how_many(root, cands):
    src = BedlamSource(root, split_by="subject", **SOURCE_KWARGS)
    with pytest.warns(UserWarning, match=r"dropped 6 of 9 selected val person-frames"):
        val = src.candidates("val")
    assert set(val.subject_id) == {"rp_hal_posed_008"} and len(val) == _n_kept("val", subjects("train"))
    assert not set(val.subject_id) & set(cands["train"].subject_id)
    assert src.stats["val"]["shared_subject"] == 6
    assert "6 of 9 selected person-frames (67 %) dropped" in " ".join(src.notes("val"))
    assert len(src.candidates("train")) == len(cands["train"])  # train keeps every subject


def test_frames_are_6fps_and_times_at_one_sixth_of_a_second(cands):
    for c in cands.values():
        assert (c.frame % 5 == 0).all()
        assert np.allclose(c.time_s, c.frame / 30.0)
        for seq in set(c.sequence_id):
            t = np.sort(c.time_s[c.sequence_id == seq])
            assert np.allclose(np.diff(t), 1 / 6, atol=1e-6)
    dana = [i for i in cands["train"].ids if "20221010_3_1000_batch01hand/seq_000001/p0/" in i]
    assert [i[-5:] for i in dana] == ["f0000", "f0005"]  # its 8-frame motion ends before frame 10


def test_pose_comes_from_the_motion_row_frame_plus_start_frame(root, cands):
    c = cands["train"]
    data = np.load(Path(root) / "neutral_ground_truth_motioninfo/rp_alice_posed_001/0101/motion_seq.npz",
                   allow_pickle=True)
    rows = [i for i, x in enumerate(c.ids) if "20221010_3_1000_batch01hand/seq_000000/p0/" in x]
    assert len(rows) == 3
    for r in rows:
        src = data["poses"][c.frame[r] + 3]  # start_frame = 3
        assert np.allclose(c.pose[r, 1:22].reshape(-1), src[3:66], atol=1e-6)
        assert np.allclose(c.pose[r, 22:].reshape(-1), src[75:165], atol=1e-6)
    assert np.allclose(c.betas[rows[0]], np.linspace(-0.5, 0.5, 11))


def test_joints_are_canonical_and_match_the_normalised_pose(cands):
    for c in cands.values():
        j = c.joints
        assert c.body_model == "anny" and j.shape == (len(c), 52, 3) and c.pose.shape == (len(c), 52, 3)
        assert np.allclose(j[:, 0], 0, atol=1e-6)
        assert (j[:, 1, 0] > 0).all() and np.allclose(j[:, 1, 2], 0, atol=1e-5)  # left hip along +x
        assert (j[:, 15, 1] > 0.5).all()  # standing, y up
        again, _ = normalise(create().joints(c.pose))
        assert np.allclose(again, j, atol=1e-4)


def test_closeup_scene_is_portrait_and_uses_its_own_height(cands):
    c = cands["train"]
    close = np.array(["closeup" in i for i in c.ids])
    assert close.sum() == 6
    assert c.extra["rotate"][close].all() and not c.extra["rotate"][~close].any()
    assert (c.extra["image_wh"][close] == [180, 320]).all() and (c.extra["image_wh"][~close] == [320, 180]).all()
    assert (c.extra["box"][close][:, 3] > 180).all()  # below the landscape height: not clamped to 180
    assert (c.extra["box"][:, 2] <= c.extra["image_wh"][:, 0]).all()
    assert (c.extra["box"][:, 3] <= c.extra["image_wh"][:, 1]).all()


def _person_points(cands, points_of):
    """(candidate split, row, fixture person, pixels (u, v) of points_of(rotations)) of every kept person-frame."""
    for split, c in cands.items():
        for scene, seq, k, person in persons(split):
            if person["expect"] != "kept":
                continue
            poses, trans = motion(person.get("length", 20), seed=SCENES.index(scene) + k,
                                  root_yaw_deg=10.0 * (k - 1), pose=person.get("pose", "standing"))
            for f in kept_frames(seq, person):
                row = list(c.ids).index(f"{_prefix(scene, seq, k)}/f{f:04d}")
                t = f + person.get("start", 0)
                rot = np.concatenate([poses[t, :66], poses[t, 75:]]).reshape(1, 52, 3)
                yield split, row, person, pixels(scene, person, points_of(rot)[0] + SMPLX_PELVIS + trans[t])


def test_boxes_hold_the_hands_and_feet_without_smplx_files(cands):
    # the closeup's fay has her right arm overhead: her fingers, not her head, make the top of her box
    for split, row, person, (u, v) in _person_points(cands, lambda rot: create().joints(rot)):
        x0, y0, x1, y1 = cands[split].extra["tight_box"][row]
        assert x0 - 0.5 <= u.min() and u.max() <= x1 + 0.5 and y0 - 0.5 <= v.min() and v.max() <= y1 + 0.5, \
            (person["body"], (x0, y0, x1, y1), (u.min(), v.min(), u.max(), v.max()))


@pytest.mark.slow
def test_boxes_hold_the_whole_posed_anny_mesh(cands):
    for split, row, person, (u, v) in _person_points(cands, lambda rot: create().mesh(rot).vertices):
        x0, y0, x1, y1 = cands[split].extra["tight_box"][row]
        margin = 0.025 * max(x1 - x0, y1 - y0)  # the box vertices miss the mesh's extremes by up to 2 % of the box
        assert x0 - margin <= u.min() and u.max() <= x1 + margin and y0 - margin <= v.min() and v.max() <= y1 + margin
        assert u.min() < x0 + margin and x1 - margin < u.max() and v.min() < y0 + margin and y1 - margin < v.max()


@pytest.mark.slow
def test_the_shipped_box_vertices_are_the_anny_models():
    import json

    from bedlam_tools.sources.bedlam import box_points
    from posescript_pipeline.crafted_poses import CRAFTED_POSES, crafted_rotvecs

    body, record = create(), json.loads(box_points.TABLE_PATH.read_text())
    ids = record["vertices"]
    assert np.abs(np.array(record["rest"]) - body.rest_vertices[ids]).max() < 1e-5
    weights = box_points.joint_weights(body)[ids]
    for w, joints, shipped in zip(weights, record["joints"], record["weights"]):
        assert joints == np.flatnonzero(w >= box_points.MIN_WEIGHT).tolist()
        assert np.allclose(shipped, w[joints] / w[joints].sum(), atol=1e-4)
    poses = np.concatenate([crafted_rotvecs(name) for name in CRAFTED_POSES])
    _, posed = box_points.posed(poses)
    assert np.abs(posed - body.mesh(poses).vertices[:, ids]).max() < 0.03  # skinning on the 52 joints only


def test_the_card_says_which_body_made_the_boxes(source, cands):
    assert any("Boxes: the posed default Anny mesh" in n for n in source.notes("train"))
    assert any("neutral_ground_truth_motioninfo (11 betas of the SMPL-X v1.1 model)" in n
               for n in source.notes("train"))


def _colour_share(data, colour):
    """Share of the crop's central pixels within 45 of `colour` (the padding is outside the centre)."""
    a = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    h, w = a.shape[:2]
    centre = a[int(0.3 * h):int(0.7 * h), int(0.42 * w):int(0.58 * w)]
    return (np.abs(centre - np.array(colour)).max(axis=-1) < 45).mean()


def _check_crops(source, cands, folders=None):
    colours = {_prefix(sc, seq, k, (folders or {}).get(sc["folder"])): p["colour"] for sc, seq, k, p in persons()}
    for c in cands.values():
        for row in range(len(c)):
            ident = str(c.ids[row])
            if ident.endswith("seq_000000/p0/f0010") and "20221010" in ident:
                continue  # its image is corrupt (test_corrupt_image_is_a_record_error_and_crops_go_on)
            crop = source.crop(c, row, size=(128, 96))
            assert isinstance(crop, Crop) and crop.path == c.extra["image"][row]
            assert Image.open(io.BytesIO(crop.data)).size == (96, 128)
            assert _colour_share(crop.data, colours[ident.rsplit("/", 1)[0]]) > 0.8, ident
            x0, y0, x1, y1 = crop.box
            assert 0 <= x0 < x1 <= c.extra["image_wh"][row][0] and 0 <= y0 < y1 <= c.extra["image_wh"][row][1]


def test_crops_have_the_size_and_show_the_right_person(source, cands):
    _check_crops(source, cands)


def test_closeup_crop_is_rotated_back(source, cands):
    c = cands["train"]
    row = next(i for i, x in enumerate(c.ids) if "closeup" in x and "/p0/" in x)
    default = Image.open(io.BytesIO(source.crop(c, row).data))
    assert default.size == (192, 256)
    # without the rotation the box would fall on the stored (sideways) picture's background
    c.extra["rotate"][row] = False
    try:
        with pytest.raises(RecordError, match="expected 180x320"):
            source.crop(c, row)
    finally:
        c.extra["rotate"][row] = True


def test_corrupt_image_is_a_record_error_and_crops_go_on(source, cands):
    c = cands["train"]
    bad = next(i for i, x in enumerate(c.ids) if x.endswith("20221010_3_1000_batch01hand/seq_000000/p0/f0010"))
    with pytest.raises(RecordError, match="could not be read"):
        source.crop(c, bad)
    out = source.crops(c, [bad - 1, bad, bad + 1])
    assert isinstance(out[0], Crop) and isinstance(out[1], RecordError) and isinstance(out[2], Crop)


# ---------------------------------------------------------------- layouts and spellings

def test_poseembroider_layout_gives_the_same_records(embroider_root, cands):
    src = BedlamSource(embroider_root / "raw", image_root=embroider_root / "images", **SOURCE_KWARGS)
    theirs = {split: src.candidates(split) for split in ("train", "val")}
    rename = {SPELLED[0]: SPELLED[1]}  # the id follows the scene list's spelling
    for split, c in theirs.items():
        ours = cands[split]
        assert [i.replace(*next(iter(rename.items()))) for i in ours.ids] == list(c.ids)
        assert np.array_equal(ours.pose, c.pose) and np.array_equal(ours.extra["box"], c.extra["box"])
    assert {i.split("/")[1] for i in theirs["val"].ids} == {"20221018_3-8_250_batch01hand"}  # Split column
    _check_crops(src, theirs, rename)


def test_poseembroider_layout_in_one_folder_is_found_without_roots(embroider_root, tmp_path):
    merged = tmp_path / "bedlam"
    shutil.copytree(embroider_root / "raw", merged)  # csv/, the motions and the scene list
    for split in ("training", "validation"):
        shutil.copytree(embroider_root / "images" / split, merged / split)
    src = BedlamSource(merged, **SOURCE_KWARGS)
    assert len(src.candidates("train")) == 14 and len(src.candidates("val")) == 9


def test_a_layout_with_no_scene_or_no_record_fails_in_one_line_saying_where(embroider_root, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BedlamLayoutError, match=r"no BEDLAM scene found: looked for <folder>/be_seq.csv and "
                                                r"<folder>\[_6fps\|_30fps\]/png in .*empty"):
        BedlamSource(tmp_path / "empty").candidates("train")
    # the images are elsewhere (no image_root): every scene is found from its csv folder, no image
    with pytest.raises(BedlamLayoutError, match=r"no train person-frame read from 3 scene\(s\) .* the first: scene "
                                                r".*: image folder not found; looked for .*/png .* in .*raw/csv"):
        BedlamSource(embroider_root / "raw", **SOURCE_KWARGS).candidates("train")
    only_train = write_bedlam(tmp_path / "train_only")
    shutil.rmtree(only_train / "20221018_3-8_250_batch01hand")
    with pytest.raises(BedlamLayoutError, match=r"no val scene found \(3 train found\); the val split is BEDLAM's "
                                                r"validation scenes \(zoom-suburbb-frameocc, static-hdri-frameocc"), \
            pytest.warns(UserWarning, match="2 scene"):
        BedlamSource(only_train, **SOURCE_KWARGS).candidates("val")
    assert issubclass(BedlamLayoutError, UserError) and issubclass(BedlamModelError, UserError)


def test_scene_folders_match_in_both_spellings(source, cands, embroider_root):
    # BEDLAM's list and csv folder spell 20221020-3-8_..., its image folder 20221020_3-8_..._6fps
    c = cands["train"]
    spelled = [r for r, i in enumerate(c.ids) if i.startswith(f"bedlam/{SPELLED[0]}/")]
    assert len(spelled) == 3 and all(k.startswith(SPELLED[1] + "_6fps/png/") for k in c.extra["image"][spelled])
    # PoseEmbroider's list spells 20221020_3-8_..., both folders 20221020-3-8_...
    src = BedlamSource(embroider_root / "raw", image_root=embroider_root / "images", **SOURCE_KWARGS)
    assert SPELLED[1] in [s.folder for s in src.scenes()] and src.missing_scenes == [MISSING_SCENE[0]]


def test_scenes_listed_but_not_found_are_warned_about(root):
    with pytest.warns(UserWarning, match=rf"1 scene\(s\) of .*bedlam_scene_names.csv not found .*{MISSING_SCENE[0]}"):
        BedlamSource(root, **SOURCE_KWARGS).scenes()


def test_split_column_of_the_scene_list_wins(tmp_path):
    root = write_bedlam(tmp_path)
    with open(root / "bedlam_scene_names.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Folder name", "Scene name", "split", "fps"])
        for scene in SCENES:
            w.writerow([scene["folder"], scene["name"], "validation" if scene["closeup"] else "training", 6])
    src = BedlamSource(root, **SOURCE_KWARGS)
    val = src.candidates("val")
    assert len(val) == 6 and all("closeup" in i for i in val.ids)
    assert {r["id"].split("/p")[0] for r in src.candidates("train").rejects} >= {
        "bedlam/20221010_3_1000_batch01hand/seq_000001"}
    assert src.notes("val")[0].startswith("Split by scene, as the split column of bedlam_scene_names.csv says")


def test_without_scene_list_folders_are_found_and_bad_csv_is_one_reject(tmp_path):
    root = write_bedlam(tmp_path)
    (root / "bedlam_scene_names.csv").unlink()
    seq_csv = root / "20221018_3-8_250_batch01hand" / "be_seq.csv"
    rows = list(csv.reader(open(seq_csv)))
    drop = rows[0].index("Yaw")
    with open(seq_csv, "w", newline="") as f:
        csv.writer(f).writerows([r[:drop] + r[drop + 1:] for r in rows])
    src = BedlamSource(root, **SOURCE_KWARGS)
    assert len(src.candidates("train")) == 14  # closeup found from its folder name, 6fps folders in both spellings
    scanned, rejects = src.scan("val")
    assert not scanned.ids and len(rejects) == 1
    assert "column 'Yaw' missing" in rejects[0]["reason"] and "be_seq.csv" in rejects[0]["reason"]
    with pytest.raises(BedlamLayoutError, match=r"no val person-frame read .* 1 reject\(s\), the first: .*be_seq.csv: "
                                                r"column 'Yaw' missing"):
        src.candidates("val")


# ---------------------------------------------------------------- motions and body models

def test_16_beta_motions_are_found_and_kept_with_their_16_betas(tmp_path):
    root = write_bedlam(tmp_path, motions="lockedhead")
    src = BedlamSource(root, **SOURCE_KWARGS)
    train = src.candidates("train")
    assert len(train) == 14 and train.betas.shape == (14, 16)
    assert np.allclose(train.betas, np.linspace(-0.5, 0.5, 16))
    assert any("lockedhead_16betas_motioninfo (16 betas of the SMPL-X locked-head model)" in n
               for n in src.notes("train"))


def test_smplx_files_must_be_the_model_of_the_motions_betas(root, tmp_path):
    from tests.test_body import _write_model

    v11, locked = _write_model(tmp_path / "models", "smplx"), _write_model(tmp_path / "models_lockedhead", "smplx")
    lockedhead = write_bedlam(tmp_path / "lockedhead", motions="lockedhead")
    with pytest.raises(BedlamModelError, match=r"lockedhead_16betas_motioninfo: motions with 16 betas of the SMPL-X "
                                               r"locked-head model, but --model-dir .*models is not a "
                                               r"locked-head model; give the folder unzipped from "
                                               r"smplx_lockedhead_20230207.zip"):
        BedlamSource(lockedhead, model_dir=v11, **SOURCE_KWARGS).candidates("train")
    with pytest.raises(BedlamModelError, match=r"11 betas of the SMPL-X v1.1 .* models_smplx_v1_1.zip"):
        BedlamSource(root, model_dir=locked, **SOURCE_KWARGS).candidates("train")
    assert len(BedlamSource(lockedhead, model_dir=locked, **SOURCE_KWARGS).candidates("train")) > 0
    # a motion file that names its gender asks for that model
    alice = lockedhead / "lockedhead_16betas_motioninfo/rp_alice_posed_001/0101/motion_seq.npz"
    np.savez(alice, **{**np.load(alice, allow_pickle=True), "gender": np.array("female")})
    with pytest.raises(ModelFilesError, match=r"smplx/SMPLX_FEMALE.npz"):
        BedlamSource(lockedhead, model_dir=locked, **SOURCE_KWARGS).candidates("train")
    shutil.copy(locked / "smplx/SMPLX_NEUTRAL.npz", locked / "smplx/SMPLX_FEMALE.npz")
    assert len(BedlamSource(lockedhead, model_dir=locked, **SOURCE_KWARGS).candidates("train")) > 0


def test_with_smplx_model_files_the_mesh_is_projected_and_joints_come_from_smplx(root, cands):
    from tests.test_body import _write_model

    model_dir = _write_model(Path(root).parent / "models", "smplx")
    src = BedlamSource(root, model_dir=model_dir, **SOURCE_KWARGS)
    scanned, rejects = src.scan("train")
    assert len(scanned.ids) == 23 and len(rejects) == 1  # same person-frames before selection
    c = src.candidates("train")
    assert c.body_model == "smplx"
    assert any("Boxes: the posed SMPL-X mesh with each person's betas" in n for n in src.notes("train"))
    # the synthetic model's joints are the Anny skeleton: same canonical joints as the default backend
    anny = cands["train"]
    common = sorted(set(c.ids) & set(anny.ids))
    assert common
    a = {i: r for r, i in enumerate(anny.ids)}
    for r, i in enumerate(c.ids):
        if i in a:
            assert np.allclose(c.joints[r], anny.joints[a[i]], atol=1e-4)


# ---------------------------------------------------------------- selection rules

def test_selection_rules_directly():
    boxes = np.array([[0, 0, 100, 200], [10, 10, 90, 150], [300, 0, 320, 30], [np.nan] * 4])
    depth = np.array([5.0, 7.0, 4.0, 3.0])
    visible = np.array([22, 22, 22, 0])
    reasons = select_humans(boxes, depth, visible, 640, 480, 0.3, 16, 100, 1.1)
    assert list(reasons) == ["", "overlap", "resolution", "out_of_frame"]
    # only the farther one of an overlapping pair is rejected
    reasons = select_humans(boxes[:2], np.array([8.0, 7.0]), visible[:2], 640, 480, 0.3, 16, 100, 1.1)
    assert list(reasons) == ["overlap", ""]
    assert list(select_humans(boxes[:1], depth[:1], np.array([15]), 640, 480, 0.3, 16, 100, 1.1)) == ["visibility"]
    box = scaled_box(np.array([[10.0, 10.0, 40.0, 50.0]]), np.array([41]), np.array([100]), 1.1)
    assert box.tolist() == [[7, 7, 41, 52]]  # grown by 0.1 x diagonal 50 / 2, truncated, clamped to the width


def test_missing_root_is_one_line_error(tmp_path):
    from bedlam_tools.pose_files import InputError

    with pytest.raises(InputError, match="not found"):
        BedlamSource(tmp_path / "nope").candidates("train")
