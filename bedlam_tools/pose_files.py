"""Read a user's pose file (AMASS .npz, SMPL-X parameters .npz/.pkl, joint coordinates .npy/.npz) into one batch.

Every problem with the file raises InputError with a one-line message naming the file, the field and what
was expected.
"""
import pickle
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posescript_pipeline.body import canonical, create
from posescript_pipeline.errors import UserError
from posescript_pipeline.joints import SKELETONS, implausibility, skeleton_for_joint_count, to_smplh52
from posescript_pipeline.orientation import UP_CONVERSIONS, normalise, y_up_root
from posescript_pipeline.skeleton import NUM_JOINTS


class InputError(UserError):
    """A bad input file; the message is one line naming the file, the field and what was expected."""


MAX_ANGLE = 4 * np.pi
"""Largest axis-angle rotation read (radians): beyond it the values are not radians or not rotations."""
SHAPE_SPACE = "smpl-betas"
"""The betas of every parameter file (AMASS, SMPL-X) are SMPL-family shape coefficients."""


@dataclass
class PoseBatch:
    joints: np.ndarray  # (N, 52, 3) float32, canonical: y up, hips along +x, pelvis at the origin
    available: np.ndarray  # (52,) bool
    rotations: np.ndarray | None  # (N, 52, 3) float32 axis-angle, normalised root; zeros where unknown
    betas: np.ndarray | None  # (B,) or (N, B) float32, as given
    frame_ids: np.ndarray  # (N,) int64, frame indices in the file
    path: str
    fmt: str  # "amass", "smplx", "joints" or "photo"
    sex: str = ""  # "male", "female" or "" (unknown): from the file's 'gender' field
    estimates: list | None = None  # photos: the image pose estimate of each pose (`vision.PoseEstimate`)
    world_root: np.ndarray | None = None  # (N, 3) parameter files: the root before normalisation, y up

    def __len__(self):
        return len(self.frame_ids)

    def take(self, rows) -> "PoseBatch":
        """The poses at `rows` (per-pose betas follow them)."""
        rows = np.asarray(rows)
        betas = self.betas
        if betas is not None and betas.ndim == 2 and len(betas) == len(self):
            betas = betas[rows]
        rotations = None if self.rotations is None else self.rotations[rows]
        estimates = None if self.estimates is None else [self.estimates[r] for r in rows]
        world_root = None if self.world_root is None else self.world_root[rows]
        return PoseBatch(self.joints[rows], self.available, rotations, betas, self.frame_ids[rows], self.path, self.fmt,
                         self.sex, estimates, world_root)


FORMATS = (
    ("amass", ("poses",)),
    ("amass", ("root_orient", "pose_body")),
    ("smplx", ("global_orient", "body_pose")),
    ("joints", ("joints",)),
)
"""(format, keys that identify it), tried in order."""
EXPECTED_KEYS = ("'poses' (AMASS), 'root_orient' + 'pose_body' (AMASS SMPL-X), "
                 "'global_orient' + 'body_pose' (SMPL-X parameters) or 'joints' (joint coordinates)")
DEFAULT_UP = {"amass": "z", "smplx": "y", "joints": "y"}
SKELETON_UP = {"blazepose33": "-y"}
"""Joint skeletons whose files are not y up by default (MediaPipe's world landmarks are y down)."""
AMASS_POSE_LAYOUTS = {156: ("SMPL-H", np.r_[0:52]), 165: ("SMPL-X", np.r_[0:22, 25:55])}
"""Width of AMASS 'poses' -> (model, rotations kept in SMPL-H order: jaw and eyes dropped)."""
PARAMETER_FIELDS = {
    # format -> ((field, number of joints, first SMPL-H joint, required), ...)
    "smplx": (("global_orient", 1, 0, True), ("body_pose", 21, 1, True),
              ("left_hand_pose", 15, 22, False), ("right_hand_pose", 15, 37, False)),
    "amass": (("root_orient", 1, 0, True), ("pose_body", 21, 1, True), ("pose_hand", 30, 22, False)),
}


class PoseFile:
    """A pose file's name and fields, with the error helper."""

    def __init__(self, path):
        self.path = str(path)
        self.fields = self._read(Path(path))

    def fail(self, field, what):
        raise InputError(f"{self.path}: field '{field}' {what}")

    def _read(self, path):
        if not path.is_file():
            raise InputError(f"{self.path}: file not found")
        if path.suffix.lower() not in READERS:
            raise InputError(f"{self.path}: unknown extension; expected {', '.join(READERS)} (or a photo)")
        try:
            fields = READERS[path.suffix.lower()](path)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, pickle.UnpicklingError) as err:
            raise InputError(f"{self.path}: could not be read ({type(err).__name__}: {err})".splitlines()[0])
        if not isinstance(fields, dict):
            raise InputError(f"{self.path}: holds a {type(fields).__name__}; expected a dict of arrays")
        return fields

    def array(self, field):
        try:
            return np.asarray(self.fields[field], dtype=np.float64)
        except (TypeError, ValueError):
            self.fail(field, f"is not numeric (type {type(self.fields[field]).__name__})")

    def check_finite(self, field, array):
        """`array` (T, ...) if it has frames and every value is finite; else the one-line error."""
        if len(array) == 0:
            self.fail(field, "has 0 frames; expected at least one pose")
        bad = ~np.isfinite(array.reshape(len(array), -1)).all(axis=1)
        if bad.any():
            self.fail(field, f"has NaN or inf values (first at frame {int(np.flatnonzero(bad)[0])}); expected finite")
        return array

    def check_rotations(self, field, rotations):
        """Axis-angle rotations (T, J, 3) that are finite and radians (no angle above MAX_ANGLE)."""
        angles = np.linalg.norm(self.check_finite(field, rotations), axis=-1).max(axis=-1)
        if (angles > MAX_ANGLE).any():
            frame = int(np.flatnonzero(angles > MAX_ANGLE)[0])
            self.fail(field, f"has a rotation of {angles[frame]:.3g} rad at frame {frame}; expected axis-angle in "
                             f"radians (at most 4 pi)")
        return rotations


def _read_npz(path):
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


SAFE_GLOBALS = frozenset({
    ("numpy", "ndarray"), ("numpy", "dtype"), ("collections", "OrderedDict"),
    *((module, name) for module in ("numpy.core.multiarray", "numpy._core.multiarray")
      for name in ("_reconstruct", "scalar")),
    *((module, "_frombuffer") for module in ("numpy.core.numeric", "numpy._core.numeric")),
})
"""The only classes and functions a pickle may name: enough for numpy arrays and scalars (lists, dicts, tuples,
strings and numbers need none), as SMPL-X parameter files hold. Anything else is refused, never called."""


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in SAFE_GLOBALS:
            raise pickle.UnpicklingError(f"refused to load '{module}.{name}': a pose pickle may only hold numpy "
                                         "arrays, numbers, strings, lists and dicts")
        return super().find_class(module, name)


def _read_pkl(path):
    with open(path, "rb") as f:
        return _SafeUnpickler(f, encoding="latin1").load()


READERS = {".npz": _read_npz, ".npy": lambda p: {"joints": np.load(p, allow_pickle=False)}, ".pkl": _read_pkl}
"""Pose file extension -> its reader (numpy without pickles; pickles through `_SafeUnpickler`)."""


def _detect(file):
    for fmt, keys in FORMATS:
        if all(key in file.fields for key in keys):
            return fmt
    found = ", ".join(sorted(map(str, file.fields))) or "none"
    raise InputError(f"{file.path}: unknown keys (found {found}); expected {EXPECTED_KEYS}")


def _joint_rotations(file, field, n_joints):
    """A field of n_joints axis-angle rotations: (T, 3n), (T, n, 3) or a single frame (3n,) -> (T, n, 3)."""
    a = file.array(field)
    single = a.ndim == 1 and a.shape == (3 * n_joints,)
    flat = a.ndim == 2 and a.shape[1] == 3 * n_joints
    grouped = a.ndim == 3 and a.shape[1:] == (n_joints, 3)
    if not (single or flat or grouped):
        file.fail(field, f"has shape {a.shape}; expected (T, {3 * n_joints}), (T, {n_joints}, 3) "
                         f"or ({3 * n_joints},) axis-angle")
    return file.check_rotations(field, a.reshape(-1, n_joints, 3))


def _parameter_rotations(file, fmt):
    """(T, 52, 3) rotations from per-part fields; missing optional parts stay zero."""
    parts = [(field, _joint_rotations(file, field, n), start)
             for field, n, start, required in PARAMETER_FIELDS[fmt] if required or field in file.fields]
    first_field, first, _ = parts[0]
    rotations = np.zeros((len(first), NUM_JOINTS, 3))
    for field, values, start in parts:
        if len(values) != len(first):
            file.fail(field, f"has {len(values)} frames; expected {len(first)} like '{first_field}'")
        rotations[:, start:start + values.shape[1]] = values
    return rotations


def amass_rotations(file):
    """(T, 52, 3) SMPL-H rotations of an AMASS file (SMPL-H or SMPL-X layout, jaw and eyes dropped)."""
    if "poses" not in file.fields:
        return _parameter_rotations(file, "amass")
    poses = file.array("poses")
    if poses.ndim != 2 or poses.shape[1] not in AMASS_POSE_LAYOUTS:
        file.fail("poses", f"has shape {poses.shape}; expected (T, 156) SMPL-H or (T, 165) SMPL-X axis-angle")
    _, keep = AMASS_POSE_LAYOUTS[poses.shape[1]]
    return file.check_rotations("poses", poses.reshape(len(poses), -1, 3)[:, keep])


def _source_joints(file, skeleton):
    joints = file.array("joints")
    joints = joints[None] if joints.ndim == 2 else joints
    if joints.ndim != 3 or joints.shape[2] != 3:
        file.fail("joints", f"has shape {file.array('joints').shape}; expected (T, J, 3) or (J, 3) coordinates")
    if skeleton is None:
        try:
            skeleton = skeleton_for_joint_count(joints.shape[1])
        except ValueError as err:
            file.fail("joints", f"has {joints.shape[1]} joints; expected a skeleton name ({err})")
    elif skeleton not in SKELETONS:
        raise InputError(f"{file.path}: unknown skeleton {skeleton!r}; expected one of {', '.join(SKELETONS)}")
    elif joints.shape[1] != SKELETONS[skeleton][0]:
        file.fail("joints", f"has {joints.shape[1]} joints; expected {SKELETONS[skeleton][0]} for skeleton {skeleton}")
    return file.check_finite("joints", joints), skeleton


SEX_WORDS = {"male": "male", "m": "male", "female": "female", "f": "female", "neutral": ""}
"""Values of a file's 'gender' field -> the sex captions say ("" neutral)."""


def read_sex(file) -> str:
    """The body's sex from a parameter file's 'gender' field ("male", "female"; "" when absent or neutral)."""
    if "gender" not in file.fields:
        return ""
    value = np.asarray(file.fields["gender"]).reshape(-1)
    word = value[0].decode() if value.size and isinstance(value[0], bytes) else str(value[0]) if value.size else ""
    if word.strip().lower() not in SEX_WORDS:
        file.fail("gender", f"is {word!r}; expected male, female or neutral")
    return SEX_WORDS[word.strip().lower()]


def read_betas(file):
    """The betas of a parameter file, or None."""
    if "betas" not in file.fields:
        return None
    betas = file.array("betas")
    if betas.ndim not in (1, 2):
        file.fail("betas", f"has shape {betas.shape}; expected (B,) or (T, B)")
    return file.check_finite("betas", betas.reshape(-1, betas.shape[-1])).reshape(betas.shape).astype(np.float32)


def _frame_ids(file, frames, n_frames):
    if frames is None:
        return np.arange(n_frames, dtype=np.int64)
    ids = np.atleast_1d(np.asarray(frames))
    if ids.dtype.kind not in "iu" or ids.ndim != 1:
        file.fail("frames", f"is {frames!r}; expected frame indices")
    outside = ids[(ids < 0) | (ids >= n_frames)]
    if len(outside):
        file.fail("frames", f"asks for frame {int(outside[0])}; expected 0 <= frame < {n_frames}")
    return ids.astype(np.int64)


def _check_body(file, field, joints, available, ids):
    """The one-line error when a frame's joints cannot be a body (collapsed, not metres, another skeleton)."""
    if (problem := implausibility(joints, available)) is not None:
        frame, what = problem
        file.fail(field, f"at frame {int(ids[frame])}: {what}")


def load_poses(path, *, skeleton=None, up=None, body=None, frames=None):
    """Read a pose file into a PoseBatch of canonical joints (and normalised rotations for parameter files).

    up: the file's vertical axis ("y", "z" or "-y"); default "z" for AMASS, "-y" for blazepose33 joints, "y"
    otherwise (BEDLAM convention).
    skeleton: for joint files, a name of `posescript_pipeline.joints.SKELETONS` (default: from the joint count).
    body: the body model turning rotations into joints (`posescript_pipeline.body.create`; default Anny).
    frames: None (all), an index or a list of indices.
    """
    file = PoseFile(path)
    fmt = _detect(file)
    default_up = up is None
    up = DEFAULT_UP[fmt] if default_up else up
    if up not in UP_CONVERSIONS:
        raise InputError(f"{file.path}: up axis {up!r}; expected one of {', '.join(UP_CONVERSIONS)}")
    if fmt == "joints":
        source, skeleton = _source_joints(file, skeleton)
        ids = _frame_ids(file, frames, len(source))
        joints, available = to_smplh52(source[ids], skeleton)
        _check_body(file, "joints", joints, available, ids)
        joints, _ = normalise(joints, up=SKELETON_UP.get(skeleton, up) if default_up else up)
        return PoseBatch(joints, available, None, None, ids, file.path, fmt)
    rotations = amass_rotations(file) if fmt == "amass" else _parameter_rotations(file, fmt)
    betas = read_betas(file)
    ids = _frame_ids(file, frames, len(rotations))
    if betas is not None and betas.ndim == 2 and len(betas) == len(rotations):
        betas = betas[ids]
    body = body or create()
    raw_root = rotations[ids, 0]
    joints, rotations = canonical(rotations[ids], body, up=up, betas=body.betas_for(betas, SHAPE_SPACE))
    available = np.ones(NUM_JOINTS, dtype=bool)
    _check_body(file, next(f for f in ("poses", "pose_body", "body_pose") if f in file.fields), joints, available, ids)
    return PoseBatch(joints.astype(np.float32), available, rotations.astype(np.float32), betas, ids, file.path, fmt,
                     read_sex(file), world_root=y_up_root(raw_root, up).astype(np.float32))


# --------------------------------------------------------------------------- sequences (motion)

FRAME_RATE_FIELDS = ("mocap_framerate", "mocap_frame_rate", "fps", "frame_rate")
"""Fields that hold a file's frame rate (AMASS writes the first two)."""
TRANSLATION_FIELDS = {"amass": ("trans",), "smplx": ("transl", "trans")}
SEQUENCE_EXTENSIONS = (".npz", ".npy", ".pkl", ".bvh")


@dataclass
class MotionSequence:
    """One sequence in world coordinates (y up, metres), as the motion engine reads it."""
    joints: np.ndarray            # (T, 52, 3) float32 world joints (NaN where missing)
    available: np.ndarray         # (52,) bool
    rotations: np.ndarray | None  # (T, 52, 3) float32 axis-angle, the root in the same y-up world frame
    fps: float
    trajectory: bool              # the pelvis moves as in the file (translation given), else it is fixed
    path: str
    fmt: str                      # "amass", "smplx", "joints" or "bvh"
    sex: str = ""
    rig: str = ""                 # BVH: the rig table row used; "" otherwise
    betas: np.ndarray | None = None

    def __len__(self):
        return len(self.joints)

    @property
    def duration(self) -> float:
        return (len(self) - 1) / self.fps


def _checked_fps(where: str, fps) -> float:
    try:
        value = float(fps)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value) or value <= 0:
        raise InputError(f"{where} is {fps!r}; expected frames per second > 0")
    return value


def _file_fps(file):
    for field in FRAME_RATE_FIELDS:
        if field in file.fields:
            value = np.asarray(file.fields[field]).reshape(-1)
            return _checked_fps(f"{file.path}: field '{field}'", value[0] if value.size == 1 else value.tolist())
    return None


def _translation(file, fmt, n_frames):
    """(T, 3) translation of a parameter file, or None when it has none."""
    for field in TRANSLATION_FIELDS.get(fmt, ()):
        if field in file.fields:
            trans = file.array(field)
            trans = trans[None] if trans.ndim == 1 else trans
            if trans.shape != (n_frames, 3):
                file.fail(field, f"has shape {file.array(field).shape}; expected ({n_frames}, 3) like the poses")
            return file.check_finite(field, trans)
    return None


def _check_frames(path, n_frames):
    if n_frames < 2:
        raise InputError(f"{path}: {n_frames} frame; a motion needs at least 2 frames")


def load_sequence(path, *, fps=None, skeleton=None, up=None, body=None) -> MotionSequence:
    """Read a motion file into world joints (y up, metres) with its frame rate.

    AMASS .npz: its own 'mocap_framerate' and 'trans'; SMPL-X parameters: 'transl' (or 'trans') and a frame-rate
    field, else `fps`; joint coordinates (.npy/.npz): `fps` (or an 'fps' field in the .npz); BVH: its 'Frame Time'
    (see `bvh_files`). `fps`, when given, overrides the file's rate. The root trajectory is kept (no orientation
    normalisation here: the motion engine does it per frame and keeps the heading and the pelvis path).
    """
    given = None if fps is None else _checked_fps("--fps", fps)
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".bvh":
        from .bvh_files import read_bvh

        if not Path(path).is_file():
            raise InputError(f"{path}: file not found")
        motion = read_bvh(path)
        _check_frames(path, len(motion.joints))
        up = up or "y"
        joints = motion.joints @ UP_CONVERSIONS[up].T.astype(np.float32)
        if (problem := implausibility(joints, motion.available)) is not None:
            raise InputError(f"{path}: frame {problem[0]}: {problem[1]}")
        return MotionSequence(joints, motion.available, None, given or motion.fps, True, str(path), "bvh",
                              rig=motion.rig)
    file = PoseFile(path)
    fmt = _detect(file)
    up = DEFAULT_UP[fmt] if up is None else up
    if up not in UP_CONVERSIONS:
        raise InputError(f"{file.path}: up axis {up!r}; expected one of {', '.join(UP_CONVERSIONS)}")
    turn = UP_CONVERSIONS[up]
    rate = given or _file_fps(file)
    if rate is None:
        what = "joint coordinates have" if fmt == "joints" else "the file has"
        raise InputError(f"{file.path}: {what} no frame rate (no {' or '.join(map(repr, FRAME_RATE_FIELDS[:3]))} "
                         "field); give --fps")
    if fmt == "joints":
        source, skeleton = _source_joints(file, skeleton)
        _check_frames(file.path, len(source))
        joints, available = to_smplh52(source, skeleton)
        _check_body(file, "joints", joints, available, np.arange(len(joints)))
        return MotionSequence((joints @ turn.T).astype(np.float32), available, None, rate, True, file.path, fmt)
    rotations = amass_rotations(file) if fmt == "amass" else _parameter_rotations(file, fmt)
    _check_frames(file.path, len(rotations))
    betas = read_betas(file)
    body = body or create()
    posed = body.joints(rotations.astype(np.float32), body.betas_for(betas, SHAPE_SPACE)).astype(np.float64)
    available = np.ones(NUM_JOINTS, dtype=bool)
    _check_body(file, next(f for f in ("poses", "pose_body", "body_pose") if f in file.fields), posed, available,
                np.arange(len(posed)))
    trans = _translation(file, fmt, len(rotations))
    moving = bool(trans is not None and np.ptp(trans, axis=0).max() > 1e-4)
    if moving:
        posed = posed + trans[:, None]
    world = posed @ turn.T
    from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle

    rotations = rotations.copy()
    rotations[:, 0] = matrix_to_axis_angle(turn @ axis_angle_to_matrix(rotations[:, 0]))
    return MotionSequence(world.astype(np.float32), available, rotations.astype(np.float32), rate, moving, file.path,
                          fmt, read_sex(file), betas=betas)
