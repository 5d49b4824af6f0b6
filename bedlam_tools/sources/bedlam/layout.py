"""Where a BEDLAM download keeps its files: scene lists, scene folders, image folders, motion folders.

See the package docstring for the layouts. `Layout` resolves paths only; the files are parsed by `files`.
"""
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

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
IMAGE_FOLDER_SUFFIXES = ("", "_6fps", "_30fps")
MOTION_DIRS = ("neutral_ground_truth_motioninfo", "smplx_gt/neutral_ground_truth_motioninfo",
               "bedlam_data/smplx_gt/neutral_ground_truth_motioninfo")
FRAME_NUMBER = re.compile(r"_(\d+)\.png$", re.IGNORECASE)


@dataclass
class Scene:
    folder: str
    name: str
    split: str
    gt_dir: Path | None
    image_dir: Path | None
    closeup: bool


def default_split(folder, name):
    """BEDLAM's published split of a scene without a split column: PoseEmbroider's validation scenes are val."""
    return "val" if name in VALIDATION_SCENES or folder in VALIDATION_SCENES.values() else "train"


class Layout:
    """The paths of one BEDLAM download under `root` (or under `root/images/` when `root` holds an `images/`)."""

    def __init__(self, root, motion_dir=None):
        self.root = Path(root)
        self.motion_dir = None if motion_dir is None else Path(motion_dir)
        self.missing_scenes = []

    @property
    def images_root(self):
        if not self.root.is_dir():
            raise BedlamLayoutError(f"{self.root}: BEDLAM root folder not found")
        nested = self.root / "images"
        return nested if nested.is_dir() and not any(self.root.glob("*/be_seq.csv")) else self.root

    def motion_root(self):
        if self.motion_dir is not None:
            return self.motion_dir
        for base in (self.root, self.root.parent):
            for rel in MOTION_DIRS:
                if (base / rel).is_dir():
                    return base / rel
        raise BedlamLayoutError(f"{self.root}: no motion folder; expected {self.root / MOTION_DIRS[0]} "
                                f"(BEDLAM's neutral_ground_truth_motioninfo) or motion_dir=")

    @cached_property
    def scene_list(self):
        """The scene list file, or None."""
        return next((self.root / name for name in SCENE_LISTS if (self.root / name).is_file()), None)

    @cached_property
    def split_column(self):
        """The split column of the scene list ("split" or "set"), or None."""
        if self.scene_list is None:
            return None
        header = read_csv(self.scene_list, ("Folder name", "Scene name"), "scene list")
        return next((c for c in header[0] if c in ("split", "set")), None) if header else None

    def _listed(self):
        """[(folder, scene name, split)] of the scene list, or of the folders holding a be_seq.csv."""
        base = self.images_root
        listing = self.scene_list
        if listing is None:
            found = set()
            for csv_path in base.glob("*/be_seq.csv"):
                folder = csv_path.parent.name
                for suffix in IMAGE_FOLDER_SUFFIXES[1:]:
                    folder = folder[:-len(suffix)] if folder.endswith(suffix) else folder
                found.add(folder)
            return [(folder, folder, default_split(folder, folder)) for folder in sorted(found)]
        rows = read_csv(listing, ("Folder name", "Scene name"), "scene list")
        split_col = self.split_column
        entries = []
        for i, row in enumerate(rows):
            folder, name = row["folder name"].strip(), row["scene name"].strip()
            if not folder:
                raise BedlamLayoutError(f"{listing}: field 'Folder name' of row {i + 2} is empty")
            if split_col:
                split = SPLIT_WORDS.get(row[split_col].strip().lower(), "skip")
            else:
                split = default_split(folder, name)
            entries.append((folder, name or folder, split))
        return entries

    def scenes(self):
        """Every scene of the download, sorted by folder name, with its split ("skip" for other splits)."""
        base = self.images_root
        scenes, missing = [], []
        for folder, name, split in sorted(self._listed()):
            dirs = [base / (folder + s) for s in IMAGE_FOLDER_SUFFIXES]
            if not any(d.is_dir() for d in dirs):
                missing.append(folder)  # listed but not downloaded: not an error
                continue
            gt = next((d for d in dirs if (d / "be_seq.csv").is_file()), None)
            images = next((d / "png" for d in dirs if (d / "png").is_dir()), None)
            closeup = "closeup" in name.lower() or "closeup" in folder.lower()
            scenes.append(Scene(folder, name, split, gt, images, closeup))
        self.missing_scenes = missing
        return scenes

    def sequence_csv(self, scene):
        if scene.gt_dir is None:
            raise BedlamLayoutError(f"{self.images_root / scene.folder / 'be_seq.csv'}: sequence csv not found")
        return scene.gt_dir / "be_seq.csv"

    @staticmethod
    def camera_csv(scene, seq):
        return scene.gt_dir / "ground_truth" / "camera" / f"{seq}_camera.csv"

    def frames(self, scene, seq, step):
        """{30-fps frame number: file name} of the images of a sequence kept at `step`, or BedlamLayoutError."""
        folder = scene.image_dir / seq if scene.image_dir is not None else None
        if folder is None or not folder.is_dir():
            where = folder or self.images_root / scene.folder / "png" / seq
            raise BedlamLayoutError(f"{where}: image folder not found")
        frames = {}
        for path in folder.iterdir():
            match = FRAME_NUMBER.search(path.name)
            if match and int(match.group(1)) % step == 0:
                frames[int(match.group(1))] = path.name
        return dict(sorted(frames.items()))

    @staticmethod
    def image_key(scene, seq, file_name):
        """The image's path relative to the images root: "<image folder>/png/<seq>/<file>"."""
        return f"{scene.image_dir.parent.name}/png/{seq}/{file_name}"

    def image_path(self, key):
        return self.images_root / key
