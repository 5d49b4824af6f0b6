"""BEDLAM reader: the user's BEDLAM download -> candidate poses (selected humans) and image crops.

Layouts. The csv files are looked for under `csv_root` and the images under `image_root` (both default to `root`),
each in one of `layout.BASES` (the root itself, images/, csv/, training/, validation/, images/training/,
images/validation/):

    BEDLAM as distributed (`pixelite1201/BEDLAM` `data_processing/`):
        <root>/<folder>/be_seq.csv, <root>/<folder>/ground_truth/camera/, <root>/<folder>[_6fps|_30fps]/png/
        (or all of it under <root>/images/)
    PoseEmbroider and Multi-HMR (BEDLAM_IMG_DIR and BEDLAM_RAW_DATA_DIR):
        <image root>/{training,validation}/<folder>_{6,30}fps/png/, <raw>/csv/<folder>/be_seq.csv and
        ground_truth/camera/, <raw>/neutral_ground_truth_motioninfo/  (root=<raw>, image_root=<image root>)

Scene folders are matched without their fps suffix and with "-" and "_" alike: BEDLAM's list spells
20221020-3-8_..., PoseEmbroider's 20221020_3-8_..., and downloads differ too; a scene's id keeps the scene list's
spelling (else its csv folder's). The files:

    bedlam_scene_names.csv           optional scene list in root, the csv root or the image root (also found as
                                     custom_bedlam_scene_names.csv or scene_names.csv): columns "Folder name",
                                     "Scene name" and, optionally, a split column ("split" or "set": training|train|
                                     validation|val; other values are skipped); other columns (fps) are ignored: the
                                     frame numbers tell. Listed scenes that are not found are warned about. Without a
                                     list, every scene folder found is a scene.
    <folder>/be_seq.csv              the scene's sequence csv, columns Body, X, Y, Z, Yaw, Comment (others are
                                     ignored). A row whose Comment holds "sequence_name=<seq>" opens a sequence;
                                     the following rows whose Comment holds "start_frame=<n>" are its bodies:
                                     Body = "<subject>_<motion id>", X/Y/Z = placement in Unreal cm (z up),
                                     Yaw = body yaw in degrees. Comment fields are ";"-separated key=value pairs.
    <folder>/ground_truth/camera/<seq>_camera.csv
                                     one row per 30-fps frame, columns x, y, z (Unreal cm), yaw, pitch, roll
                                     (degrees), focal_length (mm); optional sensor_width, sensor_height (mm,
                                     landscape; default 36 x 20.25). Column names are matched case-insensitively.
    <image folder>/png/<seq>/<seq>_<frame:04d>.png
                                     the images, numbered at 30 fps; a "6fps" download keeps every 5th frame
                                     with the same numbering.
    <motions>/<subject>/<motion id>/motion_seq.npz
                                     <motions> = `motion_dir`, else the first of `layout.MOTION_FOLDERS` found in
                                     root, the csv root or their parents (directly or under smplx_gt/ or
                                     bedlam_data/smplx_gt/): neutral_ground_truth_motioninfo (11 betas, SMPL-X
                                     v1.1), then lockedhead_16betas_motioninfo (16 betas, the SMPL-X locked-head
                                     model; a `motion_dir` whose name holds "lockedhead" is read as that).
                                     poses (T, 165) SMPL-X axis-angle at 30 fps in the SMPL-X y-up frame, trans
                                     (T, 3) metres, betas (the first 11 or 16 are kept), optional gender (neutral,
                                     male, female; default neutral). Other keys are not read. With `model_dir`, its
                                     path must say the same model ("lockedhead" in it for the 16-beta motions, not
                                     for the others) or the build stops (BedlamModelError); the boxes pose the
                                     model of the motion's gender (its file must be there), the canonical joints
                                     the neutral one.

No scene found, no scene of the split, or no person-frame read from the split's scenes stops the build with one
line saying what was looked for where (BedlamLayoutError, a UserError).

Per body and image frame f (kept when f % (30 / fps) == 0 and the image exists): motion row = f + start_frame
(frames past the end of the motion have no person: BEDLAM bodies can stop before the sequence does; they are
not records and are not reported); camera row = f.

Camera model (BEDLAM's, `geometry`): Unreal -> OpenCV axes, cm -> m, body placement, camera rotations, pinhole
intrinsics from the focal length and the sensor. Closeup scenes (scene or folder name containing "closeup") are
portrait: the stored landscape PNG is rotated 90 deg clockwise and the sensor is swapped. Image sizes are read per
sequence (the first readable image's header; every image of a sequence is assumed to share it) instead of the
published hard-coded 1280 x 720.

Projected points (`points`): with `model_dir` (SMPL-X model files) the posed SMPL-X mesh with the person's betas
and its 22 body joints; without, the box vertices of the posed default Anny mesh (`box_points`: fingertips, toes,
heels, head top...) and its 22 joints, placed with the SMPL-X neutral pelvis offset.

Human selection (`selection`, PoseEmbroider's criteria per image, over every person with a projected point inside
the image and in front of the camera; persons with none are "out_of_frame"): overlap with a closer person (pelvis
depth), at least `min_visible_joints` of the 22 body joints inside the image, scaled box side above
`min_resolution` px; scaled box = tight box grown by (scale - 1) x its diagonal / 2, truncated, clamped.

Splits (`split_by`): "scene" (default, PoseEmbroider's): the scene list's split column when present; otherwise
BEDLAM's validation scenes (`layout.VALIDATION_SCENES`) are "val" and every other scene is "train". BEDLAM draws
every scene's bodies from the same subject pools, so the splits share most subjects; the card says how many.
"subject": val records of a subject that also appears in a training scene go to rejects with that reason (a
warning and the card say how many).

Candidates: one row per selected (person, 6-fps frame), ordered by image key ("<image folder>/png/<seq>/
<file>.png", PoseEmbroider's) then person index (the body's rank in its sequence). Ids
"bedlam/<folder>/<seq>/p<k>/f<frame:04d>", sequence id "<folder>/<seq>/p<k>" (one person's track in one
camera sequence), subject id = body name without the trailing motion id, frame = 30-fps frame number,
time_s = frame / 30. Pose: SMPL-X root + 21 body + 2 x 15 hand rotations (jaw and eyes dropped) with the
root orientation-normalised (`posescript_pipeline.orientation.normalise`, y up); joints: canonical joints
of that pose (zero betas), Anny FK or the SMPL-X model with `model_dir`. A scene, sequence or body that cannot
be read becomes one reject (with the id prefix of the records it would have given) and the reading goes on.

Modules: `files` (the csv and motion file formats), `layout` (where the files are), `geometry` (the camera model),
`box_points` and `points` (the projected points of each body), `selection` (boxes and human selection), `reader`
(BedlamSource), `notes` (the dataset card's sentences).
"""
from .files import BedlamLayoutError
from .layout import BedlamModelError
from .reader import BedlamSource

__all__ = ["BedlamLayoutError", "BedlamModelError", "BedlamSource"]
