"""The embedded default source: Anny bodies performing procedural activities, seen by random cameras.

Subjects are Anny phenotypes (`subjects`); each performs `sequences_per_subject` activities (`activities.ACTIVITIES`)
sampled at `fps` (`animation`). Candidates are rotations and numpy joints only. A crop renders the subject's body in
a virtual 1280x720 frame (random camera, light, floor and background, all seeded by the candidate id), cuts the
person box (projected vertices, x1.1, padded to the crop's aspect) and renders that box at the crop size (`scene`).
"""
import numpy as np

from posescript_pipeline.random_streams import pose_key
from posescript_pipeline.skeleton import NUM_JOINTS

from ...images import encode
from ..base import SPLITS, Candidates, Crop, RecordError, Source
from .activities import NAMES
from .animation import animate, finish
from .scene import SceneRenderer
from .subjects import sample_phenotypes, sex_of, subject_colours

VAL_SHARE = 1 / 6
SUBJECT_STREAM, SEQUENCE_STREAM, CAMERA_STREAM = 11, 12, 13


class SyntheticSource(Source):
    """Procedural BEDLAM-like world. Defaults give about 300,000 train and 60,000 val candidates."""
    name = "synthetic"
    shape_space = "anny-phenotypes"

    def __init__(self, seed=0, n_subjects=300, sequences_per_subject=20, fps=6.0, sequence_seconds=10.0,
                 jpeg_quality=90):
        self.seed, self.n_subjects, self.sequences = int(seed), int(n_subjects), int(sequences_per_subject)
        self.fps, self.n_frames = float(fps), max(1, round(sequence_seconds * fps))
        self.jpeg_quality = int(jpeg_quality)
        rng = np.random.default_rng([self.seed, SUBJECT_STREAM])
        self.phenotypes = sample_phenotypes(rng, self.n_subjects)
        n_val = max(1, round(self.n_subjects * VAL_SHARE)) if self.n_subjects > 1 else 0
        self.is_val = np.zeros(self.n_subjects, bool)
        self.is_val[rng.permutation(self.n_subjects)[:n_val]] = True
        self._scene = None

    def __getstate__(self):
        return {**self.__dict__, "_scene": None}

    def subjects(self, split):
        """Subject indices of a split."""
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
        return np.flatnonzero(self.is_val == (split == "val"))

    def sequence_plan(self, split):
        """(subject index, sequence number, activity name) of every sequence of a split, in order."""
        plan = []
        for s in self.subjects(split):
            rng = np.random.default_rng([self.seed, SEQUENCE_STREAM, s])
            replace = self.sequences > len(NAMES)
            names = rng.choice(len(NAMES), self.sequences, replace=replace)
            plan += [(s, q, NAMES[a]) for q, a in enumerate(names)]
        return plan

    def candidates(self, split):
        plan = self.sequence_plan(split)
        times = np.arange(self.n_frames) / self.fps
        euler = np.empty((len(plan), self.n_frames, NUM_JOINTS, 3), np.float32)
        names = np.array([name for _, _, name in plan])
        for a, name in enumerate(NAMES):
            rows = np.flatnonzero(names == name)
            if len(rows):
                rng = np.random.default_rng([self.seed, SEQUENCE_STREAM, SPLITS.index(split), a])
                euler[rows] = animate(name, len(rows), times, rng)
        pose, joints, world_root = finish(euler.reshape(-1, NUM_JOINTS, 3))
        subject = np.array([s for s, _, _ in plan]).repeat(self.n_frames)
        sequence = np.array([q for _, q, _ in plan]).repeat(self.n_frames)
        frame = np.tile(np.arange(self.n_frames, dtype=np.int32), len(plan))
        subject_id = np.array([f"synthetic-s{s:04d}" for s in subject])
        sequence_id = np.char.add(np.char.add(np.array([f"s{s:04d}" for s in subject]), "/q"),
                                  np.char.zfill(sequence.astype(str), 3))
        ids = np.char.add(np.char.add(np.char.add("synthetic/", sequence_id), "/f"),
                          np.char.zfill(frame.astype(str), 4))
        return Candidates(ids=ids, subject_id=subject_id, sequence_id=sequence_id, frame=frame,
                          time_s=(frame / self.fps).astype(np.float32), pose=pose,
                          betas=self.phenotypes[subject], joints=joints, body_model="anny",
                          sex=sex_of(self.phenotypes[subject]), world_root=world_root,
                          extra={"activity": names.repeat(self.n_frames)})

    # ------------------------------------------------------------ images

    def crop(self, candidates, row, size=(256, 192)):
        result = self.crops(candidates, [row], size)[0]
        if isinstance(result, RecordError):
            raise result
        return result

    def crops(self, candidates, rows, size=(256, 192)):
        """Crops of several candidates, meshes posed in batches per subject."""
        if self._scene is None:
            self._scene = SceneRenderer()
        rows = np.asarray(rows)
        out = [None] * len(rows)
        subjects = candidates.subject_id[rows]
        for subject in dict.fromkeys(subjects.tolist()):
            where = np.flatnonzero(subjects == subject)
            picked = rows[where]
            try:
                vertices = self._scene.pose(candidates.pose[picked], candidates.betas[picked[0]])
            except Exception as err:  # a body model failure spoils only these records
                for i in where:
                    out[i] = RecordError(f"posing failed: {type(err).__name__}: {err}")
                continue
            for i, r, v in zip(where, picked, vertices):
                key = pose_key(str(candidates.ids[r]))
                rng = np.random.default_rng([self.seed, CAMERA_STREAM, key, pose_key(subject)])
                look = subject_colours(np.random.default_rng([self.seed, CAMERA_STREAM, pose_key(subject)]))
                image, box = self._scene.render(v, rng, size, look)
                out[i] = Crop(encode(image, "jpeg", self.jpeg_quality), box, f"{candidates.ids[r]}.jpg")
        return out
