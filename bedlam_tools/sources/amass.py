"""AMASS reader: the user's AMASS download -> candidate poses, and rendered "crops" of the posed body.

Layout: `root/<dataset>/<subject>/<sequence>.npz` (AMASS SMPL-H "poses" (T, 156) or SMPL-X (T, 165),
z-up, with "mocap_framerate" or "mocap_frame_rate"; read and validated by `bedlam_tools.pose_files`). Files are
walked recursively and sorted by relative path. Subject-shape files (no pose field, e.g. `shape.npz`) are
skipped; a sequence that cannot be read (corrupt, wrong shapes, NaN, no frame rate) is one reject
{"id": "amass/<relative path>", "reason": ...}.

Frames: subsampled to `fps` from the file's frame rate (frame = round(k x rate / fps) while < T); time_s =
frame / rate. Ids "amass/<relative path without .npz>/f<frame:05d>"; sequence id = relative path;
subject id = "<dataset>/<subject folder>" (a file directly in a dataset folder is its own subject
"<dataset>/<file stem>"; when `root` is itself a dataset folder, its name is the dataset).
Split: "val" when sha256(subject id) as an integer is divisible by 6 (about 1/6 of the subjects), "train"
otherwise: deterministic, disjoint by subject.

Poses: SMPL-H order, root orientation-normalised from AMASS's z-up frame into the y-up canonical frame;
betas as in the file (16 for SMPL-H, padded/cut to `N_BETAS`); joints: Anny numpy FK, or the user's SMPL-H /
SMPL-X model (with its betas) when `model_dir` is given.
Crops: no images in AMASS; the pose is rendered (`bedlam_tools.render.BodyRenderer`, front view, white
background) at the requested size with the Anny body (or the user's SMPL-H/SMPL-X model with `model_dir`);
the box is the whole picture and the path is "render:<sequence id>/f<frame>".
"""
import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from posescript_pipeline.body import canonical, create
from posescript_pipeline.orientation import y_up_root

from ..images import encode
from ..pose_files import InputError, PoseFile, amass_rotations, read_betas, read_sex
from .base import SPLITS, Candidates, Crop, RecordError, Source

FRAME_RATE_KEYS = ("mocap_framerate", "mocap_frame_rate")
POSE_KEYS = ("poses", "root_orient")
N_BETAS = 16
VAL_MODULUS = 6
MODEL_TYPES = {156: "smplh", 165: "smplx"}


def split_of(subject_id):
    """"val" for about 1/6 of the subjects (sha256 of the id), "train" for the others."""
    return "val" if int(hashlib.sha256(subject_id.encode()).hexdigest(), 16) % VAL_MODULUS == 0 else "train"


def subject_of(root, path):
    """Subject id "<dataset>/<subject>" of a sequence file under root."""
    parts = Path(path).relative_to(root).parts
    if len(parts) >= 3:
        return f"{parts[0]}/{parts[1]}"
    if len(parts) == 2:
        return f"{Path(root).name}/{parts[0]}"
    return f"{Path(root).name}/{Path(parts[0]).stem}"


def read_sequence(path, fps):
    """(rotations (N, 52, 3) raw z-up, frames (N,), rate, betas (B,), model type, sex) of one AMASS file, or
    InputError; None for a subject-shape file without poses."""
    file = PoseFile(path)
    if not any(k in file.fields for k in POSE_KEYS):
        if "betas" in file.fields:
            return None
        found = ", ".join(sorted(file.fields)) or "none"
        raise InputError(f"{file.path}: field 'poses' missing (found {found}); expected an AMASS sequence")
    rate_key = next((k for k in FRAME_RATE_KEYS if k in file.fields), None)
    if rate_key is None:
        raise InputError(f"{file.path}: field 'mocap_framerate' missing; expected the capture frame rate")
    rate = file.array(rate_key)
    if rate.size != 1 or not np.isfinite(rate).all() or float(rate.reshape(-1)[0]) <= 0:
        file.fail(rate_key, f"is {rate.tolist()}; expected one positive frame rate")
    rate = float(rate.reshape(-1)[0])
    rotations = amass_rotations(file)
    width = file.fields["poses"].shape[1] if "poses" in file.fields else 165
    betas = read_betas(file)
    betas = np.zeros(N_BETAS, np.float32) if betas is None else (betas if betas.ndim == 1 else betas[0])
    n = len(rotations)
    step = rate / fps
    frames = np.unique(np.round(np.arange(0, n, step) if step >= 1 else np.arange(n)).astype(np.int64))
    frames = frames[frames < n]
    return rotations[frames], frames, rate, betas, MODEL_TYPES.get(width, "smplh"), read_sex(file)


class AmassSource(Source):
    """The user's AMASS download (see the module docstring)."""
    name = "amass"
    shape_space = "smpl-betas"

    def __init__(self, root, fps=6, model_dir=None):
        self.root = Path(root)
        self.fps = float(fps)
        self.model_dir = None if model_dir is None else str(model_dir)

    def check(self):
        if not self.root.is_dir():
            raise InputError(f"{self.root}: AMASS root folder not found")
        if not any(self.root.rglob("*.npz")):
            raise InputError(f"{self.root}: no .npz file anywhere below; expected <dataset>/<subject>/<sequence>.npz")

    def files(self):
        self.check()
        return sorted(self.root.rglob("*.npz"), key=lambda p: p.relative_to(self.root).as_posix())

    def candidates(self, split: str) -> Candidates:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        parts, rejects = [], []
        for path in self.files():
            subject = subject_of(self.root, path)
            if split_of(subject) != split:
                continue
            rel = path.relative_to(self.root).as_posix()
            try:
                read = read_sequence(path, self.fps)
            except InputError as err:
                rejects.append({"id": f"amass/{rel}", "reason": str(err)})
                continue
            if read is None or len(read[1]) == 0:
                continue
            rotations, frames, rate, betas, model_type, sex = read
            body = create(model_dir=self.model_dir, model_type=model_type)
            joints, pose = canonical(rotations, body, up="z", betas=betas)
            b = np.zeros(N_BETAS, np.float32)
            b[:min(N_BETAS, len(betas))] = betas[:N_BETAS]
            seq = rel[:-len(".npz")]
            n = len(frames)
            parts.append({
                "ids": np.array([f"amass/{seq}/f{f:05d}" for f in frames]), "subject_id": np.full(n, subject),
                "sequence_id": np.full(n, rel), "frame": frames.astype(np.int32),
                "time_s": (frames / rate).astype(np.float32), "pose": pose.astype(np.float32),
                "betas": np.repeat(b[None], n, axis=0), "joints": joints.astype(np.float32),
                "model_type": np.full(n, model_type), "sex": np.full(n, sex, dtype="<U6"),
                "world_root": y_up_root(rotations[:, 0], up="z").astype(np.float32),
            })
        cat = lambda key, empty: np.concatenate([p[key] for p in parts]) if parts else empty  # noqa: E731
        return Candidates(
            ids=cat("ids", np.array([], dtype=str)), subject_id=cat("subject_id", np.array([], dtype=str)),
            sequence_id=cat("sequence_id", np.array([], dtype=str)), frame=cat("frame", np.zeros(0, np.int32)),
            time_s=cat("time_s", np.zeros(0, np.float32)), pose=cat("pose", np.zeros((0, 52, 3), np.float32)),
            betas=cat("betas", np.zeros((0, N_BETAS), np.float32)),
            joints=cat("joints", np.zeros((0, 52, 3), np.float32)),
            body_model="anny" if self.model_dir is None else "smplx", sex=cat("sex", np.array([], dtype="<U6")),
            world_root=cat("world_root", np.zeros((0, 3), np.float32)),
            extra={"model_type": cat("model_type", np.array([], dtype=str))}, rejects=rejects)

    # ------------------------------------------------------------ renders

    def _meshes(self, candidates, rows):
        """(vertices (n, V, 3), faces) of the rows' poses."""
        pose = candidates.pose[rows]
        if self.model_dir is None:
            out = create().mesh(pose)
            return out.vertices, out.faces
        types = set(candidates.extra["model_type"][rows]) if "model_type" in candidates.extra else {"smplh"}
        if len(types) > 1:
            raise ValueError("rows of several model types: pose them separately")
        out = create(model_dir=self.model_dir, model_type=types.pop()).mesh(pose, candidates.betas[rows])
        return out.vertices, out.faces

    def crops(self, candidates, rows, size=(256, 192)):
        rows = list(rows)
        out = [None] * len(rows)
        groups = {}
        for i, row in enumerate(rows):
            key = str(candidates.extra["model_type"][row]) if self.model_dir and "model_type" in candidates.extra \
                else "anny"
            groups.setdefault(key, []).append(i)
        renderer = _renderer(int(size[1]), int(size[0]))
        for idx in groups.values():
            picked = [rows[i] for i in idx]
            vertices, faces = self._meshes(candidates, np.array(picked))
            for i, row, verts in zip(idx, picked, vertices):
                if not np.isfinite(verts).all():
                    out[i] = RecordError(f"{candidates.ids[row]}: posed mesh has NaN vertices")
                    continue
                picture = renderer.render(verts, faces, view="front")
                out[i] = Crop(encode(picture, "png"), (0, 0, int(size[1]), int(size[0])),
                              f"render:{candidates.sequence_id[row]}/f{int(candidates.frame[row]):05d}")
        return out

    def crop(self, candidates: Candidates, row: int, size: tuple[int, int] = (256, 192)) -> Crop:
        result = self.crops(candidates, [row], size)[0]
        if isinstance(result, RecordError):
            raise result
        return result


@lru_cache(maxsize=4)
def _renderer(width, height):
    from ..render import BodyRenderer

    return BodyRenderer(width=width, height=height, background=(1.0, 1.0, 1.0))
