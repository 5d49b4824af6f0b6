"""BedlamSource: scan the scenes of a split into person-frames, select humans, make candidates and crops."""
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from posescript_pipeline.body import create, normalised
from posescript_pipeline.rotations import axis_angle_to_matrix, matrix_to_axis_angle

from ...images import encode, pad_and_resize
from ...pose_files import SEX_WORDS, InputError
from ..base import SPLITS, Candidates, Crop, RecordError, Source
from .files import BedlamLayoutError, image_size, read_camera, read_motion, read_sequences
from .geometry import body_to_world, camera_view, project, unreal_to_opencv
from .layout import VALIDATION_SCENES, Layout
from .notes import OTHER_SPLIT, split_notes
from .points import BODY_JOINTS, anny_points, smplx_points
from .selection import REASONS, select_all

FRAME_RATE = 30
SPLIT_BY = ("scene", "subject")


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
    world_root: list = field(default_factory=list)  # (3,) the motion's root before normalisation (y up)
    joints: list = field(default_factory=list)      # (52, 3) canonical
    betas: list = field(default_factory=list)
    sex: list = field(default_factory=list)         # the motion file's gender as captions say it
    tight_box: list = field(default_factory=list)   # (4,) NaN when out of frame
    box: list = field(default_factory=list)         # scaled, clamped (4,) int
    image_wh: list = field(default_factory=list)
    rotate: list = field(default_factory=list)
    depth: list = field(default_factory=list)
    visible: list = field(default_factory=list)
    root_cam: list = field(default_factory=list)
    reason: list = field(default_factory=list)      # "" kept, else one of REASONS or a split reason


@dataclass
class Shot:
    """One camera sequence of a scene: its camera csv, image size and kept frames."""
    scene: object
    seq: str
    camera: dict           # camera csv columns
    size: tuple            # (width, height, rotate) of its images
    frames: dict           # kept frame number -> image file name


class BedlamSource(Source):
    """The user's BEDLAM download (see the package docstring for the layouts, the selection and the splits).

    root: the download; csv_root, image_root, motion_dir: where the csv files, the images or the motions are when
    not found from root; model_dir: SMPL-X model files (default: the Anny body); split_by: "scene" or "subject"."""
    name = "bedlam"
    shape_space = "smpl-betas"

    def __init__(self, root, model_dir=None, fps=6, overlap=0.3, min_visible_joints=16, min_resolution=224,
                 scale=1.1, motion_dir=None, split_by="scene", csv_root=None, image_root=None, image_format="jpeg"):
        self.layout = Layout(root, csv_root, image_root, motion_dir)
        self.model_dir = None if model_dir is None else str(model_dir)
        if FRAME_RATE % int(fps) != 0:
            raise ValueError(f"fps must divide {FRAME_RATE} (BEDLAM renders at {FRAME_RATE} fps), got {fps}")
        if split_by not in SPLIT_BY:
            raise ValueError(f"split_by must be one of {', '.join(SPLIT_BY)}, got {split_by!r}")
        self.fps, self.step = int(fps), FRAME_RATE // int(fps)
        self.overlap, self.min_visible_joints = float(overlap), int(min_visible_joints)
        self.min_resolution, self.scale = float(min_resolution), float(scale)
        self.split_by, self.image_format = split_by, image_format
        self.stats, self.motions = {}, None  # motions: (directory, MotionFolder), found by the first scan

    def scenes(self):
        """Every scene of the download (see `Layout.scenes`)."""
        return self.layout.scenes()

    @property
    def missing_scenes(self):
        """Folders of the scene list that are not in the download."""
        return self.layout.missing_scenes

    def _sequences(self, scene):
        return read_sequences(self.layout.sequence_csv(scene))

    def subjects(self, split):
        """Subject ids of every body listed in the split's scenes (unreadable scenes are skipped)."""
        out = set()
        for scene in self.scenes():
            if scene.split != split:
                continue
            try:
                for _, bodies in self._sequences(scene):
                    out.update(body.subject for body in bodies)
            except InputError:
                continue
        return out

    # ------------------------------------------------------------ reading

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

    def _motions(self):
        """(motion directory, MotionFolder), found once; BedlamModelError when `model_dir` is not the model of its
        betas."""
        if self.motions is None:
            path, kind = self.layout.motions()
            kind.check_model_dir(self.model_dir, path)
            self.motions = path, kind
        return self.motions

    def _motion_frames(self, shot: "Shot", k: int, body, rejects):
        """(frame numbers, rotations (T, 52, 3), trans (T, 3), betas, gender) of the image frames where body k of a
        sequence moves and the camera csv has a row; None (with its rejects) when there is none."""
        prefix = f"bedlam/{shot.scene.folder}/{shot.seq}/p{k}"
        motions, kind = self._motions()
        try:
            rotations, trans, betas, gender = read_motion(motions / body.subject / body.motion / "motion_seq.npz")
        except InputError as err:
            rejects.append({"id": prefix, "reason": str(err)})
            return None
        numbers = np.array(list(shot.frames), dtype=np.int64)
        rows = numbers + body.start_frame
        ok = (rows >= 0) & (rows < len(rotations))
        late = numbers >= len(shot.camera["x"])
        for f in numbers[ok & late]:
            rejects.append({"id": f"{prefix}/f{f:04d}", "reason": f"camera csv of {shot.seq} has "
                                                                   f"{len(shot.camera['x'])} rows; expected a row "
                                                                   f"for frame {f}"})
        keep = ok & ~late
        if not keep.any():
            return None
        rows = rows[keep]
        return numbers[keep], rotations[rows], trans[rows], betas[:kind.betas], gender  # betas as BEDLAM reads them

    def _projection(self, shot: "Shot", body, numbers, rot, trans, betas, gender):
        """(tight boxes (T, 4) NaN when out of frame, pelvis depth (T,), visible body joints (T,), camera rotations)
        of a body's frames: its projection points (the SMPL-X mesh of the motion's gender with its betas, or the
        Anny box vertices) seen by the sequence's camera."""
        if self.model_dir is not None:
            points, body_joints = smplx_points(create(model_dir=self.model_dir, model_type="smplx", gender=gender),
                                               rot, betas)
        else:
            points, body_joints = anny_points(rot)
        q = np.concatenate([points, body_joints], axis=1) + trans[:, None]
        width, height, _ = shot.size
        view = camera_view(shot.camera, numbers, width, height, shot.scene.closeup)
        to_world = body_to_world(body.yaw)
        u, v, p, inside = project(view, q @ to_world.T + unreal_to_opencv([body.x, body.y, body.z]))
        n_points = points.shape[1]
        box_inside = inside[:, :n_points]
        tight = np.full((len(numbers), 4), np.nan)
        for t in np.flatnonzero(box_inside.any(axis=1)):
            bu, bv = u[t, :n_points][box_inside[t]], v[t, :n_points][box_inside[t]]
            tight[t] = (bu.min(), bv.min(), bu.max(), bv.max())
        root_cam = matrix_to_axis_angle(view.rotation @ to_world @ axis_angle_to_matrix(rot[:, 0]))
        return tight, p[:, n_points, 2], inside[:, n_points:].sum(axis=1), root_cam  # depth: the pelvis

    def _body_frames(self, shot: "Shot", k: int, body, out: "PersonFrames", rejects):
        """Append every frame of body k of a sequence to `out` (its rejects to `rejects`)."""
        read = self._motion_frames(shot, k, body, rejects)
        if read is None:
            return
        numbers, rot, trans, betas, gender = read
        tight, depth, visible, root_cam = self._projection(shot, body, numbers, rot, trans, betas, gender)
        # canonical joints: the neutral body, as PoseEmbroider
        joints, pose = normalised(create(model_dir=self.model_dir, model_type="smplx").joints(rot), rot, up="y")
        width, height, rotate = shot.size
        prefix = f"bedlam/{shot.scene.folder}/{shot.seq}/p{k}"
        for t, f in enumerate(numbers):
            out.image.append(self.layout.image_key(shot.scene, shot.seq, shot.frames[int(f)]))
            out.person.append(k)
            out.ids.append(f"{prefix}/f{f:04d}")
            out.subject.append(body.subject)
            out.sequence.append(f"{shot.scene.folder}/{shot.seq}/p{k}")
            out.frame.append(int(f))
            out.pose.append(pose[t])
            out.world_root.append(rot[t, 0])
            out.joints.append(joints[t])
            out.betas.append(betas)
            out.sex.append(SEX_WORDS[gender])
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
        for scene in self.scenes():
            if scene.split != split:
                continue
            try:
                sequences = self._sequences(scene)
                self.layout.image_dir(scene)
            except InputError as err:
                rejects.append({"id": f"bedlam/{scene.folder}", "reason": str(err)})
                continue
            for seq, bodies in sequences:
                try:
                    cam = read_camera(self.layout.camera_csv(scene, seq))
                    frames = self.layout.frames(scene, seq, self.step)
                    size = self._sequence_size(scene, seq, frames) if frames else None
                except InputError as err:
                    rejects.append({"id": f"bedlam/{scene.folder}/{seq}", "reason": str(err)})
                    continue
                if not frames:
                    continue
                shot = Shot(scene, seq, cam, size, frames)
                for k, body in enumerate(bodies):
                    self._body_frames(shot, k, body, out, rejects)
        out.reason, out.box = select_all(out.image, out.tight_box, out.image_wh, out.depth, out.visible,
                                         self.overlap, self.min_visible_joints, self.min_resolution, self.scale)
        out.box = list(out.box)
        if split == "val" and self.split_by == "subject":
            train = self.subjects("train")
            for i, s in enumerate(out.subject):
                if s in train and out.reason[i] == "":
                    out.reason[i] = f"subject {s} also appears in a training scene; dropped from val " \
                                    "(split_by='subject': the splits share no subject)"
        return out, rejects

    def candidates(self, split: str) -> Candidates:
        out, rejects = self.scan(split)
        if not out.ids:
            self._nothing_read(split, rejects)
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
        mine, others = self.subjects(split), self.subjects(OTHER_SPLIT[split])
        self.stats[split] = {**counts, "rejects": len(rejects), "person_frames": len(out.ids),
                             "scenes": sum(s.split == split for s in self.scenes()),
                             "subjects": len(mine), "subjects_in_other_split": len(mine & others)}
        if counts["shared_subject"]:
            warnings.warn(f"BEDLAM: split_by='subject' dropped {counts['shared_subject']} of "
                          f"{counts['kept'] + counts['shared_subject']} selected val person-frames: their subject "
                          "also appears in a training scene (BEDLAM's scenes share their subject pools)")
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
            sex=pick(out.sex, "<U6") if n else np.array([], dtype="<U6"),
            world_root=pick(out.world_root, np.float32).reshape(n, 3),
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

    def _nothing_read(self, split, rejects):
        """BedlamLayoutError saying what was looked for where, when a split gives no person-frame at all."""
        scenes = [s for s in self.scenes() if s.split == split]
        if not scenes:
            found = ", ".join(f"{n} {x}" for x, n in Counter(s.split for s in self.scenes()).items())
            expected = (f"the scenes marked {split} in {self.layout.scene_list}" if self.layout.split_column else
                        f"BEDLAM's validation scenes ({', '.join(VALIDATION_SCENES)})" if split == "val" else
                        "every scene but BEDLAM's validation scenes")
            raise BedlamLayoutError(f"{self.layout.root}: no {split} scene found ({found} found); the {split} split "
                                    f"is {expected}")
        first = rejects[0]["reason"] if rejects else "no sequence has images"
        raise BedlamLayoutError(f"{self.layout.root}: no {split} person-frame read from {len(scenes)} scene(s) "
                                f"({', '.join(s.folder for s in scenes)}): {len(rejects)} reject(s), the first: "
                                f"{first}")

    def notes(self, split):
        """The dataset card's sentences on the split (after `candidates(split)`), see `notes.split_notes`."""
        return split_notes(self, split)

    # ------------------------------------------------------------ images

    def crop(self, candidates: Candidates, row: int, size: tuple[int, int] = (256, 192)) -> Crop:
        from PIL import Image

        key = str(candidates.extra["image"][row])
        path = self.layout.image_path(key)
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
