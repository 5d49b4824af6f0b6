"""Where a BEDLAM download keeps its files: scene lists, scene folders, image folders, motion folders.

See the package docstring for the layouts. `Layout` resolves paths only; the files are parsed by `files`.
"""
import re
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from posescript_pipeline.errors import UserError

from .files import BedlamLayoutError, read_csv

SCENE_LISTS = ("bedlam_scene_names.csv", "custom_bedlam_scene_names.csv", "scene_names.csv")
VALIDATION_SCENES = {
    # PoseEmbroider's validation scenes (scene name -> BEDLAM folder name)
    "zoom-suburbb-frameocc": "20221018_1_250_batch01hand_zoom_suburb_b",
    "static-hdri-frameocc": "20221018_3-8_250_batch01hand",
    "orbit-archviz-objocc": "20221018_3_250_batch01hand_orbit_archVizUI3_time15",
    "orbit-stadium-bmi": "20221019_3-8_250_highbmihand_orbit_stadium",
}
SPLIT_WORDS = {"training": "train", "train": "train", "validation": "val", "val": "val"}
BASES = ("", "images", "csv", "training", "validation", "images/training", "images/validation")
"""Folders, under the csv root and under the image root, that may hold scene folders: BEDLAM keeps them in its
root (or images/); PoseEmbroider and Multi-HMR keep the images in training/ and validation/, the csv files in csv/."""
IMAGE_FOLDER_SUFFIXES = ("", "_6fps", "_30fps")
MOTION_BASES = ("", "smplx_gt", "bedlam_data/smplx_gt")
FRAME_NUMBER = re.compile(r"_(\d+)\.png$", re.IGNORECASE)


class BedlamModelError(UserError):
    """The SMPL-X model files given are not the model the motion files' betas belong to."""


@dataclass(frozen=True)
class MotionFolder:
    """A BEDLAM ground-truth motion download: <name>/<subject>/<motion id>/motion_seq.npz."""
    name: str
    model: str        # the body model its betas belong to
    betas: int
    model_file: str   # where that model comes from (smpl-x.is.tue.mpg.de)
    locked_head: bool

    def check_model_dir(self, model_dir, motions):
        """BedlamModelError unless `model_dir` (None: no SMPL-X files) is the model of these betas, told by its path
        (the locked-head download unzips to models_lockedhead/)."""
        if model_dir is not None and ("lockedhead" in str(model_dir).lower()) != self.locked_head:
            raise BedlamModelError(f"{motions}: motions with {self.betas} betas of the {self.model}, but --model-dir "
                                   f"{model_dir} is {'not ' if self.locked_head else ''}a locked-head model; give the "
                                   f"folder unzipped from {self.model_file}")


MOTION_FOLDERS = (
    MotionFolder("neutral_ground_truth_motioninfo", "SMPL-X v1.1 model", 11,
                 "models_smplx_v1_1.zip (smplx/SMPLX_NEUTRAL.npz)", False),
    MotionFolder("lockedhead_16betas_motioninfo", "SMPL-X locked-head model", 16,
                 "smplx_lockedhead_20230207.zip (models_lockedhead/smplx/SMPLX_NEUTRAL.npz)", True),
)
"""BEDLAM's motion downloads, in the order they are looked for."""


def motion_folder(path):
    """The MotionFolder of a motion directory: by its name (a name holding "lockedhead" is the 16-beta one)."""
    name = Path(path).name.lower()
    return next((m for m in MOTION_FOLDERS if m.name == name),
                MOTION_FOLDERS[1] if "lockedhead" in name else MOTION_FOLDERS[0])


def split_suffix(folder):
    """(folder name without its fps suffix, the suffix's rank in IMAGE_FOLDER_SUFFIXES)."""
    rank = next((i for i, s in enumerate(IMAGE_FOLDER_SUFFIXES) if s and folder.endswith(s)), 0)
    return folder.removesuffix(IMAGE_FOLDER_SUFFIXES[rank]) if rank else folder, rank


def scene_key(folder):
    """The name a scene folder is matched by: without an fps suffix, "-" and "_" alike (BEDLAM's list spells
    20221020-3-8_..., PoseEmbroider's 20221020_3-8_...)."""
    return split_suffix(folder)[0].replace("-", "_")


def default_split(folder, name):
    """BEDLAM's published split of a scene without a split column: PoseEmbroider's validation scenes are val."""
    return "val" if name in VALIDATION_SCENES or scene_key(folder) in map(scene_key, VALIDATION_SCENES.values()) \
        else "train"


@dataclass
class Scene:
    folder: str              # as the scene list spells it (else as its csv folder, else its image folder)
    name: str
    split: str               # "train", "val" or "skip" (another split of the scene list)
    gt_dir: Path | None      # holds be_seq.csv and ground_truth/camera/
    image_dir: Path | None   # holds <seq>/<seq>_<frame:04d>.png
    closeup: bool


class Layout:
    """The paths of one BEDLAM download: csv files under `csv_root`, images under `image_root` (both default to
    `root`), each in one of the BASES; motions under `motion_dir` or found from root."""

    def __init__(self, root, csv_root=None, image_root=None, motion_dir=None):
        self.root = Path(root)
        self.csv_root = self.root if csv_root is None else Path(csv_root)
        self.image_root = self.root if image_root is None else Path(image_root)
        self.motion_dir = None if motion_dir is None else Path(motion_dir)

    def _bases(self, *roots):
        for root in roots:
            if not root.is_dir():
                raise BedlamLayoutError(f"{root}: BEDLAM folder not found")
        return list(dict.fromkeys(root / b for root in roots for b in BASES if (root / b).is_dir()))

    def _where(self, *roots):
        return ", ".join(str(b) for b in self._bases(*roots))

    def _folders(self, marker, *roots):
        """{scene key: [folders holding `marker`]} under the bases of `roots`, preferred first (bases in order, then
        suffixes in IMAGE_FOLDER_SUFFIXES order)."""
        found = {}
        for rank, base in enumerate(self._bases(*roots)):
            for folder in base.iterdir():
                if (folder / marker).exists():
                    preference = (rank, split_suffix(folder.name)[1], folder.name)
                    found.setdefault(scene_key(folder.name), []).append((preference, folder))
        return {key: [f for _, f in sorted(folders)] for key, folders in found.items()}

    @cached_property
    def csv_folders(self):
        return self._folders("be_seq.csv", self.csv_root, self.image_root)

    @cached_property
    def image_folders(self):
        return self._folders("png", self.image_root, self.csv_root)

    @cached_property
    def scene_list(self):
        """The scene list file (in root, the csv root or the image root), or None."""
        roots = dict.fromkeys((self.root, self.csv_root, self.image_root))
        return next((r / name for r in roots for name in SCENE_LISTS if (r / name).is_file()), None)

    @cached_property
    def split_column(self):
        """The split column of the scene list ("split" or "set"), or None."""
        if self.scene_list is None:
            return None
        header = read_csv(self.scene_list, ("Folder name", "Scene name"), "scene list")
        return next((c for c in header[0] if c in ("split", "set")), None) if header else None

    def _listed(self):
        """[(folder, scene name, split)] of the scene list, or of the scene folders found."""
        if self.scene_list is None:
            folders = [split_suffix((self.csv_folders.get(key) or self.image_folders[key])[0].name)[0]
                       for key in {*self.csv_folders, *self.image_folders}]
            return [(folder, folder, default_split(folder, folder)) for folder in folders]
        rows = read_csv(self.scene_list, ("Folder name", "Scene name"), "scene list")
        split_col = self.split_column
        entries = []
        for i, row in enumerate(rows):
            folder, name = row["folder name"].strip(), row["scene name"].strip()
            if not folder:
                raise BedlamLayoutError(f"{self.scene_list}: field 'Folder name' of row {i + 2} is empty")
            split = SPLIT_WORDS.get(row[split_col].strip().lower(), "skip") if split_col \
                else default_split(folder, name)
            entries.append((folder, name or folder, split))
        return entries

    @cached_property
    def _scenes(self):
        scenes, missing = [], []
        for folder, name, split in sorted(self._listed()):
            key = scene_key(folder)
            gt, images = self.csv_folders.get(key, [None])[0], self.image_folders.get(key, [None])[0]
            if gt is None and images is None:
                missing.append(folder)
                continue
            closeup = "closeup" in name.lower() or "closeup" in folder.lower()
            scenes.append(Scene(folder, name, split, gt, None if images is None else images / "png", closeup))
        if missing:
            warnings.warn(f"BEDLAM: {len(missing)} scene(s) of {self.scene_list} not found (looked for <folder>"
                          f"[_6fps|_30fps] in {self._where(self.csv_root, self.image_root)}): {', '.join(missing)}")
        if not scenes:
            raise BedlamLayoutError(f"{self.root}: no BEDLAM scene found: looked for <folder>/be_seq.csv and "
                                    f"<folder>[_6fps|_30fps]/png in {self._where(self.csv_root, self.image_root)}"
                                    + (f" for the scenes of {self.scene_list}" if self.scene_list else "")
                                    + "; give csv_root= and image_root= (--csv-root, --image-root) if elsewhere")
        return scenes, missing

    def scenes(self):
        """Every scene found, sorted by folder, with its split; warns about listed scenes that are not found."""
        return self._scenes[0]

    @property
    def missing_scenes(self):
        """Folders of the scene list that are not in the download."""
        return self._scenes[1]

    def sequence_csv(self, scene):
        if scene.gt_dir is None:
            raise BedlamLayoutError(f"scene {scene.folder}: be_seq.csv not found; looked for "
                                    f"{scene.folder}[_6fps|_30fps]/be_seq.csv ('-' and '_' alike) in "
                                    f"{self._where(self.csv_root, self.image_root)}")
        return scene.gt_dir / "be_seq.csv"

    @staticmethod
    def camera_csv(scene, seq):
        return scene.gt_dir / "ground_truth" / "camera" / f"{seq}_camera.csv"

    def image_dir(self, scene):
        if scene.image_dir is None:
            raise BedlamLayoutError(f"scene {scene.folder}: image folder not found; looked for "
                                    f"{scene.folder}[_6fps|_30fps]/png ('-' and '_' alike) in "
                                    f"{self._where(self.image_root, self.csv_root)}")
        return scene.image_dir

    def frames(self, scene, seq, step):
        """{30-fps frame number: file name} of the images of a sequence kept at `step`, or BedlamLayoutError."""
        folder = self.image_dir(scene) / seq
        if not folder.is_dir():
            raise BedlamLayoutError(f"{folder}: image folder not found")
        frames = {}
        for path in folder.iterdir():
            match = FRAME_NUMBER.search(path.name)
            if match and int(match.group(1)) % step == 0:
                frames[int(match.group(1))] = path.name
        return dict(sorted(frames.items()))

    @staticmethod
    def image_key(scene, seq, file_name):
        """The image's path relative to its base: "<image folder>/png/<seq>/<file>" (PoseEmbroider's image key)."""
        return f"{scene.image_dir.parent.name}/png/{seq}/{file_name}"

    def image_path(self, key):
        folder = key.split("/", 1)[0]
        found = next((f for f in self.image_folders.get(scene_key(folder), []) if f.name == folder), None)
        return (found.parent if found else self.image_root) / key

    def motions(self):
        """(motion directory, MotionFolder): `motion_dir`, else the first MOTION_FOLDERS found from the roots."""
        if self.motion_dir is not None:
            return self.motion_dir, motion_folder(self.motion_dir)
        roots = dict.fromkeys((self.root, self.csv_root, self.root.parent, self.csv_root.parent))
        tried = [r / base for r in roots for base in MOTION_BASES]
        for kind in MOTION_FOLDERS:
            for where in tried:
                if (where / kind.name).is_dir():
                    return where / kind.name, kind
        raise BedlamLayoutError(f"{self.root}: no motion folder; looked for "
                                f"{' or '.join(m.name for m in MOTION_FOLDERS)} in {', '.join(map(str, tried))} "
                                "(BEDLAM's ground-truth motions); give motion_dir=")
