"""BEDLAM reader: the user's BEDLAM download -> candidate poses (selected humans) and image crops.

Layout assumed (BEDLAM v1 as distributed, see `pixelite1201/BEDLAM` `data_processing/`), under `root`
(or under `root/images/` when `root` holds an `images/` folder):

    bedlam_scene_names.csv           optional scene list (also found as custom_bedlam_scene_names.csv or
                                     scene_names.csv): columns "Folder name", "Scene name" and, optionally, a
                                     split column ("split": training|train|validation|val; other values are
                                     skipped) and an fps column (ignored: the frame numbers tell).
                                     Without the file, every folder holding a be_seq.csv is a scene, named
                                     after its folder.
    <folder>/be_seq.csv              the scene's sequence csv, columns Body, X, Y, Z, Yaw, Comment (others are
                                     ignored). A row whose Comment holds "sequence_name=<seq>" opens a sequence;
                                     the following rows whose Comment holds "start_frame=<n>" are its bodies:
                                     Body = "<subject>_<motion id>", X/Y/Z = placement in Unreal cm (z up),
                                     Yaw = body yaw in degrees. Comment fields are ";"-separated key=value pairs.
    <folder>/ground_truth/camera/<seq>_camera.csv
                                     one row per 30-fps frame, columns x, y, z (Unreal cm), yaw, pitch, roll
                                     (degrees), focal_length (mm); optional sensor_width, sensor_height (mm,
                                     landscape; default 36 x 20.25). Column names are matched case-insensitively.
    <folder>/png/<seq>/<seq>_<frame:04d>.png
                                     the images, numbered at 30 fps; a "6fps" download keeps every 5th frame
                                     with the same numbering. The image folder may also be <folder>_6fps/png or
                                     <folder>_30fps/png (the csv and camera files stay in <folder>, or are looked
                                     for in those folders too).
    neutral_ground_truth_motioninfo/<subject>/<motion id>/motion_seq.npz
                                     (also found under smplx_gt/, or given as `motion_dir`): poses (T, 165)
                                     SMPL-X axis-angle at 30 fps in the SMPL-X y-up frame, trans (T, 3) metres,
                                     betas (11,). Other keys (gender, motion_info...) are not read.

Per body and image frame f (kept when f % (30 / fps) == 0 and the image exists): motion row = f + start_frame
(frames past the end of the motion have no person: BEDLAM bodies can stop before the sequence does; they are
not records and are not reported); camera row = f.

Camera model (BEDLAM's): Unreal -> OpenCV axes (x, y, z) -> (y, -z, x), cm -> m. A motion-frame point Q (the
SMPL-X output with its `trans`) is placed in the world as Ry(yaw - 90) diag(1, -1, -1) Q + placement, and seen
from the camera as Rz(-roll [+90 closeup]) Rx(-pitch) Ry(-cam yaw) (world - camera position). Intrinsics:
f_px = f_mm / sensor_mm * image side, per axis, principal point at the image centre; closeup scenes (scene
or folder name containing "closeup") are portrait: the stored landscape PNG is rotated 90 deg clockwise and
the sensor is swapped. Image sizes are read per sequence (the first readable image's header; every image of a
sequence is assumed to share it) instead of the published hard-coded 1280 x 720.

Projection points: with `model_dir` (SMPL-X model files) the posed SMPL-X mesh with the person's betas (every
`MESH_STRIDE`-th vertex) and its 22 body joints; without, the 22 joints of the Anny skeleton (numpy FK) plus a
virtual head-top point, placed with the SMPL-X neutral pelvis offset `SMPLX_PELVIS` (zero betas). The tight
box of a joint-only projection is a little tighter than the mesh box (hands, feet and head are approximated).

Human selection (per image, over every person with a projected point inside the image and in front of the
camera; persons with none are "out_of_frame"):
  * overlap: rejected if, for another person closer to the camera (smaller pelvis depth), the intersection of
    the two tight boxes exceeds `overlap` x the area of its own tight box;
  * visibility: at least `min_visible_joints` of the 22 body joints project strictly inside (0, W) x (0, H)
    in front of the camera;
  * resolution: the larger side of the scaled box exceeds `min_resolution` px. Scaled box = tight box grown by
    (scale - 1) x its diagonal / 2 on every side, truncated to integers and clamped to the image. Tight box =
    box of the projected points inside the image (both bounds checked).

Splits: the scene list's split column when present; otherwise BEDLAM's validation scenes (`VALIDATION_SCENES`,
the four PoseEmbroider uses) are "val" and every other scene is "train". Subjects must not cross splits: the
subjects of each split are the bodies of its scenes' be_seq.csv files; with `shared_subjects="drop_val"`
(default) the val records of a subject that also appears in a training scene go to rejects with that reason;
with "keep" they are kept and a warning is issued.

Candidates: one row per selected (person, 6-fps frame), ordered by image key ("<image folder>/png/<seq>/
<file>.png", relative to the images root) then person index (the body's rank in its sequence). Ids
"bedlam/<folder>/<seq>/p<k>/f<frame:04d>", sequence id "<folder>/<seq>/p<k>" (one person's track in one
camera sequence), subject id = body name without the trailing motion id, frame = 30-fps frame number,
time_s = frame / 30. Pose: SMPL-X root + 21 body + 2 x 15 hand rotations (jaw and eyes dropped) with the
root orientation-normalised (`posescript_pipeline.orientation.normalise`, y up); joints: canonical joints
of that pose (zero betas), Anny FK or the SMPL-X model with `model_dir`. A scene, sequence or body that cannot
be read becomes one reject (with the id prefix of the records it would have given) and the reading goes on.
"""
import csv
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from posescript_pipeline.body import create, normalised
from posescript_pipeline.skeleton import JOINT_INDEX
from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle, rotation_about_x, \
    rotation_about_y

from ..images import encode, pad_and_resize
from ..pose_files import InputError, amass_rotations, read_betas, PoseFile
from .base import SPLITS, Candidates, Crop, RecordError, Source

SCENE_LISTS = ("bedlam_scene_names.csv", "custom_bedlam_scene_names.csv", "scene_names.csv")
VALIDATION_SCENES = {
    # PoseEmbroider's validation scenes (scene name -> BEDLAM folder name)
    "zoom-suburbb-frameocc": "20221018_1_250_batch01hand_zoom_suburb_b",
    "static-hdri-frameocc": "20221018_3-8_250_batch01hand",
    "orbit-archviz-objocc": "20221018_3_250_batch01hand_orbit_archVizUI3_time15",
    "orbit-stadium-bmi": "20221019_3-8_250_highbmihand_orbit_stadium",
}
SPLIT_WORDS = {"training": "train", "train": "train", "validation": "val", "val": "val"}
IMAGE_FOLDER_SUFFIXES = ("", "_6fps", "_30fps")
MOTION_DIRS = ("neutral_ground_truth_motioninfo", "smplx_gt/neutral_ground_truth_motioninfo",
               "bedlam_data/smplx_gt/neutral_ground_truth_motioninfo")
SEQUENCE_COLUMNS = ("Body", "X", "Y", "Z", "Yaw", "Comment")
CAMERA_COLUMNS = ("x", "y", "z", "yaw", "pitch", "roll", "focal_length")
SENSOR_MM = (36.0, 20.25)
"""Sensor (long side, short side) in mm when the camera csv gives none."""
FRAME_RATE = 30
BODY_JOINTS = 22
SMPLX_PELVIS = np.array([0.0031, -0.3514, 0.0120])
"""Pelvis of the SMPL-X neutral model at zero pose and zero betas (metres, model frame); approximate, used to
place joint-only projections when no SMPL-X model files are given."""
HEAD_TOP = 2.0
"""Virtual head-top point of joint-only projections: head + HEAD_TOP x (head - neck) (about 0.2 m up)."""
MESH_STRIDE = 8
FLIP_Y_UP_TO_DOWN = np.diag([1.0, -1.0, -1.0])
FRAME_NUMBER = re.compile(r"_(\d+)\.png$", re.IGNORECASE)
REASONS = ("out_of_frame", "visibility", "resolution", "overlap")


class BedlamLayoutError(InputError):
    """A BEDLAM file does not have the expected layout (one line: file, field, expectation)."""


# ---------------------------------------------------------------- small readers

def _read_csv(path, required, what):
    """Rows of a csv as dicts keyed by the lower-cased, stripped header; checks the required columns."""
    path = Path(path)
    if not path.is_file():
        raise BedlamLayoutError(f"{path}: {what} not found")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise BedlamLayoutError(f"{path}: {what} could not be read ({type(err).__name__}: {err})")
    if not rows:
        raise BedlamLayoutError(f"{path}: {what} is empty; expected a header with {', '.join(required)}")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in required if c.lower() not in header]
    if missing:
        raise BedlamLayoutError(f"{path}: column '{missing[0]}' missing (found {', '.join(header) or 'none'}); "
                                f"expected {', '.join(required)}")
    return [dict(zip(header, row + [""] * (len(header) - len(row)))) for row in rows[1:] if any(c.strip() for c in row)]


def _number(path, row_index, column, value):
    try:
        out = float(value)
    except (TypeError, ValueError):
        out = math.nan
    if not math.isfinite(out):
        raise BedlamLayoutError(f"{path}: field '{column}' of row {row_index + 2} is {value!r}; expected a number")
    return out


def _comment_fields(comment):
    """'a=1;b=x' -> {'a': '1', 'b': 'x'}."""
    out = {}
    for part in str(comment).split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = value.strip()
    return out


class _MotionFile(PoseFile):
    """A BEDLAM motion_seq.npz read lazily: only the arrays used (other keys may be pickled objects)."""
    KEYS = ("poses", "trans", "betas")

    def _read(self, path):
        if not path.is_file():
            raise InputError(f"{self.path}: file not found")
        try:
            with np.load(path, allow_pickle=False) as data:
                return {key: data[key] for key in self.KEYS if key in data.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
            raise InputError(f"{self.path}: could not be read ({type(err).__name__}: {err})".splitlines()[0])


def read_motion(path):
    """(rotations (T, 52, 3) float64 raw, trans (T, 3), betas (B,)) of a BEDLAM motion file, or InputError."""
    file = _MotionFile(path)
    for key in _MotionFile.KEYS:
        if key not in file.fields:
            found = ", ".join(sorted(file.fields)) or "none"
            raise InputError(f"{file.path}: field '{key}' missing (found {found}); expected poses, trans, betas")
    rotations = amass_rotations(file)
    trans = file.array("trans")
    if trans.shape != (len(rotations), 3):
        file.fail("trans", f"has shape {trans.shape}; expected ({len(rotations)}, 3) like 'poses'")
    file.check_finite("trans", trans)
    betas = read_betas(file)
    betas = betas if betas.ndim == 1 else betas[0]
    return rotations, trans, betas.astype(np.float32)


def image_size(path):
    """(width, height) of an image file from its header, or RecordError."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return im.size
    except (OSError, ValueError) as err:
        raise RecordError(f"{path}: image could not be read ({type(err).__name__}: {err})".splitlines()[0])


# ---------------------------------------------------------------- geometry

def unreal_to_opencv(points_cm):
    """(..., 3) Unreal cm (x forward, y right, z up) -> OpenCV-like metres (x right, y down, z forward)."""
    p = np.asarray(points_cm, dtype=np.float64)
    return np.stack([p[..., 1], -p[..., 2], p[..., 0]], axis=-1) / 100.0


def rotation_about_z(angle):
    a = np.asarray(angle, dtype=np.float64)
    v = np.zeros(a.shape + (3,))
    v[..., 2] = a
    return axis_angle_to_matrix(v)


def camera_rotation(yaw, pitch, roll, closeup):
    """World -> camera rotations (T, 3, 3) from the camera csv angles (degrees), BEDLAM's convention."""
    r = np.radians(-np.asarray(roll, dtype=np.float64) + (90.0 if closeup else 0.0))
    return (rotation_about_z(r) @ rotation_about_x(np.radians(-np.asarray(pitch, dtype=np.float64)))
            @ rotation_about_y(np.radians(-np.asarray(yaw, dtype=np.float64))))


def body_to_world(body_yaw):
    """Motion frame (y up) -> world (OpenCV axes, y down) rotation of a body placed with `body_yaw` degrees."""
    return rotation_about_y(np.radians(body_yaw - 90.0)) @ FLIP_Y_UP_TO_DOWN


def scaled_box(tight, width, height, scale):
    """Tight boxes (N, 4) -> scaled boxes (N, 4) int: grown by (scale - 1) x diagonal / 2, truncated, clamped."""
    tight = np.asarray(tight, dtype=np.float64)
    diag = np.hypot(tight[:, 2] - tight[:, 0], tight[:, 3] - tight[:, 1])
    off = (scale - 1.0) * diag / 2.0
    box = np.stack([tight[:, 0] - off, tight[:, 1] - off, tight[:, 2] + off, tight[:, 3] + off], axis=1)
    box = np.trunc(box)
    limits = np.stack([width, height, width, height], axis=1)
    return np.clip(box, 0, limits).astype(np.int32)


def select_humans(boxes, depth, visible, width, height, overlap, min_visible, min_resolution, scale):
    """Reasons (N,) ("" = kept) of the persons of ONE image. boxes (N, 4) tight boxes, NaN when out of frame."""
    n = len(boxes)
    reasons = np.full(n, "", dtype=object)
    valid = ~np.isnan(boxes).any(axis=1)
    reasons[~valid] = "out_of_frame"
    sides = np.zeros(n)
    if valid.any():
        sb = scaled_box(boxes[valid], np.full(valid.sum(), width), np.full(valid.sum(), height), scale)
        sides[valid] = np.maximum(sb[:, 2] - sb[:, 0], sb[:, 3] - sb[:, 1])
    covered = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(valid):
        area = max((boxes[i, 2] - boxes[i, 0]) * (boxes[i, 3] - boxes[i, 1]), 1e-9)
        for j in np.flatnonzero(valid):
            if j == i or not depth[j] < depth[i]:
                continue
            w = min(boxes[i, 2], boxes[j, 2]) - max(boxes[i, 0], boxes[j, 0])
            h = min(boxes[i, 3], boxes[j, 3]) - max(boxes[i, 1], boxes[j, 1])
            if max(w, 0.0) * max(h, 0.0) / area > overlap:
                covered[i] = True
    for i in np.flatnonzero(valid):
        if visible[i] < min_visible:
            reasons[i] = "visibility"
        elif not sides[i] > min_resolution:
            reasons[i] = "resolution"
        elif covered[i]:
            reasons[i] = "overlap"
    return reasons


# ---------------------------------------------------------------- projection points

def _smplx_points(body, rotvecs, betas):
    """SMPL-X posed mesh points and 22 body joints in the motion frame minus trans: (T, P, 3), (T, 22, 3)."""
    import torch

    out = body.mesh(rotvecs, betas)  # pelvis at the origin
    n_betas = body.model.num_betas
    shape = np.zeros((1, n_betas), dtype=np.float32)
    shape[0, :min(n_betas, len(betas))] = betas[:n_betas]
    with torch.no_grad():
        rest = body.model(betas=torch.from_numpy(shape))
    pelvis = rest.joints[0, 0].numpy().astype(np.float64)
    vertices = out.vertices[:, ::MESH_STRIDE].astype(np.float64) + pelvis
    joints = out.joints[:, :BODY_JOINTS].astype(np.float64) + pelvis
    return np.concatenate([vertices, joints], axis=1), joints


def _anny_points(joints_rel):
    """Joint-only projection points: 22 body joints + virtual head top, with the SMPL-X pelvis offset."""
    j = joints_rel[:, :BODY_JOINTS].astype(np.float64)
    head, neck = j[:, JOINT_INDEX["head"]], j[:, JOINT_INDEX["neck"]]
    top = head + HEAD_TOP * (head - neck)
    return np.concatenate([j, top[:, None]], axis=1) + SMPLX_PELVIS, j + SMPLX_PELVIS


# ---------------------------------------------------------------- scenes

@dataclass
class Scene:
    folder: str
    name: str
    split: str
    gt_dir: Path | None
    image_dir: Path | None
    closeup: bool


@dataclass
class PersonFrames:
    """Every person-frame of a split before selection (for candidates and for inspection/tests)."""
    image: list = field(default_factory=list)       # image key
    person: list = field(default_factory=list)      # body rank in its sequence
    ids: list = field(default_factory=list)
    subject: list = field(default_factory=list)
    sequence: list = field(default_factory=list)
    frame: list = field(default_factory=list)
    pose: list = field(default_factory=list)        # (52, 3) normalised root
    joints: list = field(default_factory=list)      # (52, 3) canonical
    betas: list = field(default_factory=list)
    tight_box: list = field(default_factory=list)   # (4,) NaN when out of frame
    box: list = field(default_factory=list)         # scaled, clamped (4,) int
    image_wh: list = field(default_factory=list)
    rotate: list = field(default_factory=list)
    depth: list = field(default_factory=list)
    visible: list = field(default_factory=list)
    root_cam: list = field(default_factory=list)
    reason: list = field(default_factory=list)      # "" kept, else one of REASONS or a split reason


class BedlamSource(Source):
    """The user's BEDLAM download (see the module docstring for the layout and the selection)."""
    name = "bedlam"
    shape_space = "smpl-betas"

    def __init__(self, root, model_dir=None, fps=6, overlap=0.3, min_visible_joints=16, min_resolution=224,
                 scale=1.1, motion_dir=None, shared_subjects="drop_val", image_format="jpeg"):
        self.root = Path(root)
        self.model_dir = None if model_dir is None else str(model_dir)
        if FRAME_RATE % int(fps) != 0:
            raise ValueError(f"fps must divide {FRAME_RATE} (BEDLAM renders at {FRAME_RATE} fps), got {fps}")
        if shared_subjects not in ("drop_val", "keep"):
            raise ValueError(f"shared_subjects must be 'drop_val' or 'keep', got {shared_subjects!r}")
        self.fps, self.step = int(fps), FRAME_RATE // int(fps)
        self.overlap, self.min_visible_joints = float(overlap), int(min_visible_joints)
        self.min_resolution, self.scale = float(min_resolution), float(scale)
        self.motion_dir = None if motion_dir is None else Path(motion_dir)
        self.shared_subjects, self.image_format = shared_subjects, image_format
        self.stats, self.missing_scenes = {}, []

    # ------------------------------------------------------------ layout

    @property
    def images_root(self):
        if not self.root.is_dir():
            raise BedlamLayoutError(f"{self.root}: BEDLAM root folder not found")
        nested = self.root / "images"
        return nested if nested.is_dir() and not any(self.root.glob("*/be_seq.csv")) else self.root

    def _motion_root(self):
        if self.motion_dir is not None:
            return self.motion_dir
        for base in (self.root, self.root.parent):
            for rel in MOTION_DIRS:
                if (base / rel).is_dir():
                    return base / rel
        raise BedlamLayoutError(f"{self.root}: no motion folder; expected {self.root / MOTION_DIRS[0]} "
                                f"(BEDLAM's neutral_ground_truth_motioninfo) or motion_dir=")

    def scenes(self):
        """Every scene of the download, sorted by folder name, with its split ("skip" for other splits)."""
        base = self.images_root
        listing = next((self.root / name for name in SCENE_LISTS if (self.root / name).is_file()), None)
        entries = []
        if listing is not None:
            rows = _read_csv(listing, ("Folder name", "Scene name"), "scene list")
            split_col = next((c for c in rows[0] if c in ("split", "set")), None) if rows else None
            for i, row in enumerate(rows):
                folder, name = row["folder name"].strip(), row["scene name"].strip()
                if not folder:
                    raise BedlamLayoutError(f"{listing}: field 'Folder name' of row {i + 2} is empty")
                if split_col:
                    split = SPLIT_WORDS.get(row[split_col].strip().lower(), "skip")
                else:
                    split = "val" if name in VALIDATION_SCENES or folder in VALIDATION_SCENES.values() else "train"
                entries.append((folder, name or folder, split))
        else:
            found = set()
            for csv_path in base.glob("*/be_seq.csv"):
                folder = csv_path.parent.name
                for suffix in IMAGE_FOLDER_SUFFIXES[1:]:
                    folder = folder[:-len(suffix)] if folder.endswith(suffix) else folder
                found.add(folder)
            for folder in sorted(found):
                split = "val" if folder in VALIDATION_SCENES or folder in VALIDATION_SCENES.values() else "train"
                entries.append((folder, folder, split))
        scenes, missing = [], []
        for folder, name, split in sorted(entries):
            if not any((base / (folder + s)).is_dir() for s in IMAGE_FOLDER_SUFFIXES):
                missing.append(folder)  # listed but not downloaded: not an error
                continue
            dirs = [base / (folder + s) for s in IMAGE_FOLDER_SUFFIXES]
            gt = next((d for d in dirs if (d / "be_seq.csv").is_file()), None)
            images = next((d / "png" for d in dirs if (d / "png").is_dir()), None)
            closeup = "closeup" in name.lower() or "closeup" in folder.lower()
            scenes.append(Scene(folder, name, split, gt, images, closeup))
        self.missing_scenes = missing
        return scenes

    def _sequences(self, scene):
        """[(seq name, [(body, X, Y, Z, yaw, start_frame)...])] of a scene's be_seq.csv, or BedlamLayoutError."""
        if scene.gt_dir is None:
            raise BedlamLayoutError(f"{self.images_root / scene.folder / 'be_seq.csv'}: sequence csv not found")
        path = scene.gt_dir / "be_seq.csv"
        rows = _read_csv(path, SEQUENCE_COLUMNS, "sequence csv")
        sequences = []
        for i, row in enumerate(rows):
            comment = _comment_fields(row["comment"])
            if "sequence_name" in comment:
                sequences.append((comment["sequence_name"], []))
            elif "start_frame" in comment:
                if not sequences:
                    raise BedlamLayoutError(f"{path}: row {i + 2} has a body before any 'sequence_name=' row")
                body = row["body"].strip()
                if "_" not in body:
                    raise BedlamLayoutError(f"{path}: field 'Body' of row {i + 2} is {body!r}; "
                                            "expected <subject>_<motion id>")
                start = _number(path, i, "Comment start_frame", comment["start_frame"])
                values = [_number(path, i, c, row[c.lower()]) for c in ("X", "Y", "Z", "Yaw")]
                sequences[-1][1].append((body, *values, int(start)))
        return sequences

    def subjects(self, split):
        """Subject ids of every body listed in the split's scenes (unreadable scenes are skipped)."""
        out = set()
        for scene in self.scenes():
            if scene.split != split:
                continue
            try:
                for _, bodies in self._sequences(scene):
                    out.update(body[0].rsplit("_", 1)[0] for body in bodies)
            except InputError:
                continue
        return out

    # ------------------------------------------------------------ reading

    def _camera(self, scene, seq):
        path = scene.gt_dir / "ground_truth" / "camera" / f"{seq}_camera.csv"
        rows = _read_csv(path, CAMERA_COLUMNS, "camera csv")
        if not rows:
            raise BedlamLayoutError(f"{path}: camera csv has no rows; expected one per frame")
        cam = {c: np.array([_number(path, i, c, r[c]) for i, r in enumerate(rows)]) for c in CAMERA_COLUMNS}
        for c in ("sensor_width", "sensor_height"):
            if c in rows[0]:
                cam[c] = np.array([_number(path, i, c, r[c]) for i, r in enumerate(rows)])
        return cam

    def _images(self, scene, seq):
        """{frame number: file name} of the kept frames of a sequence folder, or BedlamLayoutError."""
        folder = scene.image_dir / seq if scene.image_dir is not None else None
        if folder is None or not folder.is_dir():
            where = folder or self.images_root / scene.folder / "png" / seq
            raise BedlamLayoutError(f"{where}: image folder not found")
        frames = {}
        for path in folder.iterdir():
            match = FRAME_NUMBER.search(path.name)
            if match and int(match.group(1)) % self.step == 0:
                frames[int(match.group(1))] = path.name
        return dict(sorted(frames.items()))

    def _sequence_size(self, scene, seq, frames):
        """(logical width, height, rotate) of a sequence's images, from the first readable image header."""
        last = None
        for name in frames.values():
            try:
                w, h = image_size(scene.image_dir / seq / name)
            except RecordError as err:
                last = err
                continue
            rotate = scene.closeup and w > h
            return (h, w, rotate) if rotate else (w, h, rotate)
        raise BedlamLayoutError(f"{scene.image_dir / seq}: no readable image ({last})")

    def _body_frames(self, scene, seq, k, body, cam, size, frames, motion_root, out, rejects):
        name, x, y, z, yaw, start = body
        subject, motion = name.rsplit("_", 1)
        prefix = f"bedlam/{scene.folder}/{seq}/p{k}"
        try:
            rotations, trans, betas = read_motion(motion_root / subject / motion / "motion_seq.npz")
        except InputError as err:
            rejects.append({"id": prefix, "reason": str(err)})
            return
        numbers = np.array(list(frames), dtype=np.int64)
        rows = numbers + start
        ok = (rows >= 0) & (rows < len(rotations))
        late = numbers >= len(cam["x"])
        for f in numbers[ok & late]:
            rejects.append({"id": f"{prefix}/f{f:04d}", "reason": f"camera csv of {seq} has {len(cam['x'])} rows; "
                                                                   f"expected a row for frame {f}"})
        keep = ok & ~late
        if not keep.any():
            return
        numbers, rows = numbers[keep], rows[keep]
        rot = rotations[rows]
        width, height, rotate = size

        # projection points in the motion frame (SMPL-X output with trans = 0)
        body = create(model_dir=self.model_dir, model_type="smplx")
        canonical_raw = body.joints(rot)
        if self.model_dir is not None:
            points, body_joints = _smplx_points(body, rot, betas)
        else:
            points, body_joints = _anny_points(canonical_raw)
        q = np.concatenate([points, body_joints], axis=1) + trans[rows][:, None]

        to_world = body_to_world(yaw)
        world = q @ to_world.T + unreal_to_opencv([x, y, z])
        cam_pos = unreal_to_opencv(np.stack([cam["x"], cam["y"], cam["z"]], axis=1)[numbers])
        cam_rot = camera_rotation(cam["yaw"][numbers], cam["pitch"][numbers], cam["roll"][numbers], scene.closeup)
        p = np.einsum("tij,tpj->tpi", cam_rot, world - cam_pos[:, None])
        sensor_long = cam.get("sensor_width", np.full(len(cam["x"]), SENSOR_MM[0]))[numbers]
        sensor_short = cam.get("sensor_height", np.full(len(cam["x"]), SENSOR_MM[1]))[numbers]
        sensor_w, sensor_h = (sensor_short, sensor_long) if scene.closeup else (sensor_long, sensor_short)
        focal = cam["focal_length"][numbers]
        fx, fy = focal / sensor_w * width, focal / sensor_h * height
        z_cam = p[..., 2]
        front = z_cam > 1e-6
        safe = np.where(front, z_cam, 1.0)
        u = fx[:, None] * p[..., 0] / safe + width / 2.0
        v = fy[:, None] * p[..., 1] / safe + height / 2.0
        inside = front & (u > 0) & (u < width) & (v > 0) & (v < height)

        n_points = points.shape[1]
        box_inside = inside[:, :n_points]
        visible = inside[:, n_points:].sum(axis=1)
        tight = np.full((len(numbers), 4), np.nan)
        for t in np.flatnonzero(box_inside.any(axis=1)):
            bu, bv = u[t, :n_points][box_inside[t]], v[t, :n_points][box_inside[t]]
            tight[t] = (bu.min(), bv.min(), bu.max(), bv.max())
        depth = p[:, n_points, 2]  # pelvis (first body joint)

        joints, pose = normalised(canonical_raw, rot, up="y")
        root_cam = matrix_to_axis_angle(cam_rot @ to_world @ axis_angle_to_matrix(rot[:, 0]))
        for t, f in enumerate(numbers):
            out.image.append(f"{scene.image_dir.parent.name}/png/{seq}/{frames[int(f)]}")
            out.person.append(k)
            out.ids.append(f"{prefix}/f{f:04d}")
            out.subject.append(subject)
            out.sequence.append(f"{scene.folder}/{seq}/p{k}")
            out.frame.append(int(f))
            out.pose.append(pose[t])
            out.joints.append(joints[t])
            out.betas.append(betas)
            out.tight_box.append(tight[t])
            out.image_wh.append((width, height))
            out.rotate.append(rotate)
            out.depth.append(depth[t])
            out.visible.append(int(visible[t]))
            out.root_cam.append(root_cam[t])

    def scan(self, split):
        """(PersonFrames of every person-frame of `split` with its selection reason, rejects)."""
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        out, rejects = PersonFrames(), []
        motion_root = None
        for scene in self.scenes():
            if scene.split != split:
                continue
            try:
                sequences = self._sequences(scene)
            except InputError as err:
                rejects.append({"id": f"bedlam/{scene.folder}", "reason": str(err)})
                continue
            if sequences and motion_root is None:
                motion_root = self._motion_root()
            for seq, bodies in sequences:
                try:
                    cam = self._camera(scene, seq)
                    frames = self._images(scene, seq)
                    size = self._sequence_size(scene, seq, frames) if frames else None
                except InputError as err:
                    rejects.append({"id": f"bedlam/{scene.folder}/{seq}", "reason": str(err)})
                    continue
                if not frames:
                    continue
                for k, body in enumerate(bodies):
                    self._body_frames(scene, seq, k, body, cam, size, frames, motion_root, out, rejects)
        self._select(out)
        if split == "val":
            self._shared_subjects(out)
        return out, rejects

    def _select(self, out):
        n = len(out.ids)
        out.reason = [""] * n
        out.box = [np.zeros(4, np.int32)] * n
        if n == 0:
            return
        tight = np.array(out.tight_box)
        wh = np.array(out.image_wh)
        valid = ~np.isnan(tight).any(axis=1)
        boxes = np.zeros((n, 4), np.int32)
        boxes[valid] = scaled_box(tight[valid], wh[valid, 0], wh[valid, 1], self.scale)
        out.box = list(boxes)
        groups = {}
        for i, key in enumerate(out.image):
            groups.setdefault(key, []).append(i)
        depth, visible = np.array(out.depth), np.array(out.visible)
        for key, idx in groups.items():
            idx = np.array(idx)
            reasons = select_humans(tight[idx], depth[idx], visible[idx], wh[idx[0], 0], wh[idx[0], 1],
                                    self.overlap, self.min_visible_joints, self.min_resolution, self.scale)
            for i, r in zip(idx, reasons):
                out.reason[i] = r

    def _shared_subjects(self, out):
        train = self.subjects("train")
        shared = sorted({s for s in out.subject if s in train})
        if not shared:
            return
        if self.shared_subjects == "keep":
            warnings.warn(f"BEDLAM: {len(shared)} validation subject(s) also appear in training scenes "
                          f"(e.g. {shared[0]}); kept as asked (shared_subjects='keep')")
            return
        for i, s in enumerate(out.subject):
            if s in train and out.reason[i] == "":
                out.reason[i] = f"subject {s} also appears in a training scene; dropped from val so the splits " \
                                "share no subject"

    def candidates(self, split: str) -> Candidates:
        out, rejects = self.scan(split)
        order = sorted(range(len(out.ids)), key=lambda i: (out.image[i], out.person[i]))
        counts = {r: 0 for r in ("kept", *REASONS, "shared_subject")}
        kept = []
        for i in order:
            reason = out.reason[i]
            if reason == "":
                kept.append(i)
                counts["kept"] += 1
            elif reason in REASONS:
                counts[reason] += 1
            else:
                counts["shared_subject"] += 1
                rejects.append({"id": out.ids[i], "reason": reason})
        self.stats[split] = {**counts, "rejects": len(rejects)}
        n = len(kept)
        pick = lambda values, dtype=None: np.array([values[i] for i in kept], dtype=dtype)  # noqa: E731
        n_betas = max([11] + [len(b) for b in out.betas])
        betas = np.zeros((n, n_betas), np.float32)
        for r, i in enumerate(kept):
            betas[r, :len(out.betas[i])] = out.betas[i]
        return Candidates(
            ids=pick(out.ids, str) if n else np.array([], dtype=str),
            subject_id=pick(out.subject, str) if n else np.array([], dtype=str),
            sequence_id=pick(out.sequence, str) if n else np.array([], dtype=str),
            frame=pick(out.frame, np.int32) if n else np.zeros(0, np.int32),
            time_s=(pick(out.frame, np.float64) / FRAME_RATE).astype(np.float32) if n else np.zeros(0, np.float32),
            pose=pick(out.pose, np.float32).reshape(n, 52, 3),
            betas=betas,
            joints=pick(out.joints, np.float32).reshape(n, 52, 3),
            body_model="anny" if self.model_dir is None else "smplx",
            extra={
                "image": pick(out.image, str) if n else np.array([], dtype=str),
                "box": pick(out.box, np.int32).reshape(n, 4),
                "tight_box": pick(out.tight_box, np.float32).reshape(n, 4),
                "image_wh": pick(out.image_wh, np.int32).reshape(n, 2),
                "rotate": pick(out.rotate, bool).reshape(n),
                "depth": pick(out.depth, np.float32).reshape(n),
                "visible_joints": pick(out.visible, np.int32).reshape(n),
                "full_visibility": (pick(out.visible, np.int32).reshape(n) == BODY_JOINTS),
                "root_cam": pick(out.root_cam, np.float32).reshape(n, 3),
            },
            rejects=rejects,
        )

    # ------------------------------------------------------------ images

    def crop(self, candidates: Candidates, row: int, size: tuple[int, int] = (256, 192)) -> Crop:
        from PIL import Image

        key = str(candidates.extra["image"][row])
        path = self.images_root / key
        try:
            with Image.open(path) as im:
                image = im.convert("RGB")
        except (OSError, ValueError, Image.DecompressionBombError) as err:
            raise RecordError(f"{path}: image could not be read ({type(err).__name__}: {err})".splitlines()[0])
        if candidates.extra["rotate"][row]:
            image = image.transpose(Image.Transpose.ROTATE_270)  # 90 deg clockwise
        width, height = (int(v) for v in candidates.extra["image_wh"][row])
        if image.size != (width, height):
            raise RecordError(f"{path}: image is {image.size[0]}x{image.size[1]} (after rotation); "
                              f"expected {width}x{height} like the first image of its sequence")
        x0, y0, x1, y1 = (int(v) for v in candidates.extra["box"][row])
        x0, x1 = max(0, min(x0, width)), max(0, min(x1, width))
        y0, y1 = max(0, min(y0, height)), max(0, min(y1, height))
        if x1 <= x0 or y1 <= y0:
            raise RecordError(f"{path}: empty crop box {(x0, y0, x1, y1)}")
        data = encode(pad_and_resize(image.crop((x0, y0, x1, y1)), size), self.image_format)
        return Crop(data, (x0, y0, x1, y1), key)
