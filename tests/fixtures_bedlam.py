"""A miniature BEDLAM download for the reader's tests (layouts: see bedlam_tools/sources/bedlam/__init__.py).

Four scenes: a landscape training scene (30-fps image folder), a "closeup" portrait training scene (6-fps image
folder, PNGs stored rotated 90 deg counter-clockwise, one person with an arm raised overhead), a validation scene
(one of BEDLAM's validation folders, camera yawed by 30 deg) and a training scene whose folder BEDLAM's list spells
"20221020-3-8_..." and PoseEmbroider's "20221020_3-8_...". Like BEDLAM, every scene draws its bodies from one
subject pool: two of the three validation subjects also appear in training scenes. Images are small (320 x 180,
portrait 180 x 320 after rotation): a grey background with one coloured rectangle per person, drawn where the
person stands (farther persons first). Persons are placed from (depth, lateral offset) in front of the camera and
face it; their poses are a crafted pose ("standing" unless said) with a smooth wobble and a small root yaw. With
the test parameters (`SOURCE_KWARGS`: min_resolution 60 px instead of 224, the images being 4x smaller) each
person passes or fails the human selection as `expect` says:

    kept        in front, fully in the image, big enough
    overlap     behind another person whose box covers most of its own
    resolution  20 m away: about 30 px tall
    visibility  standing at the left image border: fewer than 16 of the 22 body joints inside
    corrupt     its motion file is garbage: one reject for the body

Also: one corrupt PNG (a crop of it must fail), one sequence without its camera csv (a reject), a body whose
motion ends before the sequence (fewer frames), a body with a non-zero start_frame, a motion file holding a
pickled object array (must still be read), and a scene listed in the scene list but not downloaded.

`write_bedlam(root, layout)` writes one of `LAYOUTS`:
    bedlam          BEDLAM as downloaded: <root>/<folder>/be_seq.csv and ground_truth/, images in
                    <root>/<folder>[_6fps]/png, motions in <root>/neutral_ground_truth_motioninfo, BEDLAM's scene
                    list (no split column); the spelled scene keeps its csv as listed, its images the other way.
    poseembroider   PoseEmbroider / Multi-HMR: images in <root>/images/{training,validation}/<folder>_{6,30}fps/png,
                    csv files in <root>/raw/csv/<folder>/, motions and PoseEmbroider's scene list (split and fps
                    columns, its own spelling) in <root>/raw; the spelled scene's folders are named the other way.
`motions="lockedhead"` writes the motions as BEDLAM's 16-beta download (lockedhead_16betas_motioninfo).
"""
import csv
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from bedlam_tools.sources.bedlam.points import SMPLX_PELVIS
from posescript_pipeline.crafted_poses import crafted_rotvecs
from posescript_pipeline.skeleton import JOINT_INDEX

SOURCE_KWARGS = {"min_resolution": 60}
BACKGROUND = (128, 128, 128)
CAMERA_HEIGHT = 1.0  # metres
PELVIS_HEIGHT = 0.9
SPELLED = ("20221020-3-8_250_highbmihand_zoom_highSchoolGym_a", "20221020_3-8_250_highbmihand_zoom_highSchoolGym_a")
"""The zoom-gym-bmi folder as BEDLAM's scene list spells it, and as PoseEmbroider's does."""
LAYOUTS = ("bedlam", "poseembroider")
MOTION_FOLDERS = {"neutral": ("neutral_ground_truth_motioninfo", 11),
                  "lockedhead": ("lockedhead_16betas_motioninfo", 16)}

SCENES = [
    {
        "folder": "20221010_3_1000_batch01hand", "name": "static-hdri", "split": "train", "closeup": False,
        "fps": 30, "size": (320, 180), "focal": 40.0, "camera": (0.0, 0.0, 0.0),
        "sequences": [
            {"name": "seq_000000", "n_frames": 11, "corrupt_image": 10, "persons": [
                {"body": "rp_alice_posed_001_0101", "depth": 5.0, "lateral": 0.0, "colour": (220, 40, 40),
                 "start": 3, "length": 20, "expect": "kept", "object_motion_info": True},
                {"body": "rp_bob_posed_002_0202", "depth": 7.0, "lateral": 0.15, "colour": (40, 40, 220),
                 "expect": "overlap"},
                {"body": "rp_carl_posed_003_0303", "depth": 20.0, "lateral": 3.0, "colour": (40, 200, 40),
                 "expect": "resolution"},
            ]},
            {"name": "seq_000001", "n_frames": 11, "persons": [
                {"body": "rp_dana_posed_004_0404", "depth": 5.0, "lateral": 0.3, "colour": (230, 200, 30),
                 "length": 8, "expect": "kept"},
                {"body": "rp_ivy_posed_009_0909", "depth": 5.0, "pixel_u": -5.0, "colour": (200, 40, 200),
                 "expect": "visibility"},
                {"body": "rp_eve_posed_005_0505", "depth": 6.0, "lateral": 1.5, "colour": (30, 200, 200),
                 "expect": "corrupt"},
            ]},
        ],
    },
    {
        "folder": "20221011_1_250_batch01hand_closeup_suburb_a", "name": "closeup-suburba", "split": "train",
        "closeup": True, "fps": 6, "size": (180, 320), "focal": 30.0, "camera": (200.0, 300.0, 0.0),
        "sequences": [
            {"name": "seq_000000", "n_frames": 11, "persons": [
                {"body": "rp_fay_posed_006_0606", "depth": 3.5, "lateral": -0.45, "colour": (220, 40, 40),
                 "pose": "right_arm_overhead", "expect": "kept"},
                {"body": "rp_gus_posed_007_0707", "depth": 3.5, "lateral": 0.45, "colour": (40, 40, 220),
                 "expect": "kept"},
            ]},
        ],
    },
    {
        "folder": "20221018_3-8_250_batch01hand", "name": "static-hdri-frameocc", "split": "val", "closeup": False,
        "fps": 30, "size": (320, 180), "focal": 40.0, "camera": (1000.0, -500.0, 0.0),
        "sequences": [
            {"name": "seq_000000", "n_frames": 11, "persons": [
                {"body": "rp_hal_posed_008_0808", "depth": 5.0, "lateral": -1.0, "colour": (220, 120, 40),
                 "expect": "kept"},
                {"body": "rp_alice_posed_001_0111", "depth": 5.0, "lateral": 0.0, "colour": (40, 160, 220),
                 "expect": "kept"},
                {"body": "rp_gus_posed_007_0717", "depth": 5.0, "lateral": 1.0, "colour": (160, 220, 40),
                 "expect": "kept"},
            ]},
            {"name": "seq_000001", "n_frames": 6, "no_camera": True, "persons": [
                {"body": "rp_hal_posed_008_0811", "depth": 5.0, "lateral": 0.0, "colour": (220, 120, 40),
                 "expect": "no_camera"},
            ]},
        ],
    },
    {
        "folder": SPELLED[0], "name": "zoom-gym-bmi", "split": "train", "closeup": False,
        "fps": 6, "size": (320, 180), "focal": 40.0, "camera": (-800.0, 400.0, 0.0),
        "sequences": [
            {"name": "seq_000000", "n_frames": 11, "persons": [
                {"body": "rp_dana_posed_004_0414", "depth": 5.0, "lateral": -0.3, "colour": (230, 200, 30),
                 "expect": "kept"},
            ]},
        ],
    },
]
MISSING_SCENE = ("20221019_3_250_highbmihand", "static-hdri-bmi")


def persons(split=None):
    """(scene, sequence, person index, person) of the design, in file order."""
    for scene in SCENES:
        if split is not None and scene["split"] != split:
            continue
        for seq in scene["sequences"]:
            for k, person in enumerate(seq["persons"]):
                yield scene, seq, k, person


def subject(person):
    return person["body"].rsplit("_", 1)[0]


def subjects(split):
    """Subjects of every body of the split's scenes (what BEDLAM's be_seq.csv files list)."""
    return {subject(p) for _, _, _, p in persons(split)}


def kept_frames(seq, person):
    """30-fps frame numbers of the 6-fps frames where the person has a motion row."""
    length = person.get("length", 20)
    return [f for f in range(0, seq["n_frames"], 5) if f + person.get("start", 0) < length]


def _focal_px(scene):
    width, height = scene["size"]
    sensor_w, sensor_h = (20.25, 36.0) if scene["closeup"] else (36.0, 20.25)
    return scene["focal"] / sensor_w * width, scene["focal"] / sensor_h * height


def _lateral(scene, person):
    if "pixel_u" in person:
        fx, _ = _focal_px(scene)
        return (person["pixel_u"] - scene["size"][0] / 2) * person["depth"] / fx
    return person["lateral"]


def pixels(scene, person, points):
    """(u, v) pixels of motion-frame points (..., 3) (SMPL-X output plus `trans`, y up) by a plain pinhole: the
    person faces the camera, its +x to the image's right, at `depth` and `lateral` from the camera."""
    fx, fy = _focal_px(scene)
    width, height = scene["size"]
    x = _lateral(scene, person) + points[..., 0]
    y = CAMERA_HEIGHT - points[..., 1]
    z = person["depth"] - points[..., 2]
    return fx * x / z + width / 2, fy * y / z + height / 2


def person_rectangle(scene, person, half_width=0.3, top=1.85, bottom=0.0):
    """Pixel rectangle (x0, y0, x1, y1) around a standing person, by the same pinhole."""
    u, v = pixels(scene, person, np.array([[-half_width, top, 0.0], [half_width, bottom, 0.0]]))
    return u[0], v[0], u[1], v[1]


def motion(length, seed, root_yaw_deg, pose="standing"):
    """(poses (T, 165), trans (T, 3)) SMPL-X: a crafted pose, a wobbling left elbow and right knee, small root yaw."""
    base = crafted_rotvecs(pose)[0].astype(np.float64)
    t = np.arange(length)
    body = np.repeat(base[None], length, axis=0)
    body[:, JOINT_INDEX["left_elbow"], 1] = np.radians(-30 - 25 * np.sin(t / 4 + seed))
    body[:, JOINT_INDEX["right_knee"], 0] = np.radians(10 + 10 * np.sin(t / 3 + seed))
    body[:, 0, 1] = np.radians(root_yaw_deg)
    poses = np.zeros((length, 165))
    poses[:, :66] = body[:, :22].reshape(length, -1)
    poses[:, 75:165] = body[:, 22:52].reshape(length, -1)
    trans = np.zeros((length, 3))
    trans[:] = np.array([0.0, PELVIS_HEIGHT, 0.0]) - SMPLX_PELVIS
    trans[:, 0] += 0.01 * np.sin(t / 5)
    return poses, trans


def _placement(scene, person):
    """(X, Y, Z) Unreal cm and yaw (deg) putting the person at (lateral, depth) in front of the camera, facing it."""
    yaw = scene.get("camera_yaw", 30.0 if scene["split"] == "val" else 0.0)
    forward = np.array([np.cos(np.radians(yaw)), np.sin(np.radians(yaw))])
    right = np.array([-np.sin(np.radians(yaw)), np.cos(np.radians(yaw))])
    xy = np.array(scene["camera"][:2]) + 100 * (person["depth"] * forward + _lateral(scene, person) * right)
    return (float(xy[0]), float(xy[1]), 0.0), 90.0 + yaw, yaw


def _draw(scene, seq):
    width, height = scene["size"]
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for person in sorted(seq["persons"], key=lambda p: -p["depth"]):
        draw.rectangle(person_rectangle(scene, person), fill=person["colour"])
    # stored rotated for closeup scenes: the reader turns it 90 deg clockwise
    return image.transpose(Image.Transpose.ROTATE_90) if scene["closeup"] else image


def _folders(scene, layout):
    """(scene list spelling, csv folder, image folder) of a scene in a layout."""
    folder = scene["folder"]
    if folder not in SPELLED:
        return folder, folder, folder
    official, embroider = SPELLED
    return (official, official, embroider) if layout == "bedlam" else (embroider, official, official)


def _paths(root, layout):
    """(scene list path, csv root, image root of a split, motions root) of a layout."""
    if layout == "bedlam":
        return root / "bedlam_scene_names.csv", root, lambda split: root, root
    raw = root / "raw"
    images = {"train": "training", "val": "validation"}
    return raw / "custom_bedlam_scene_names.csv", raw / "csv", lambda split: root / "images" / images[split], raw


def _write_scene_list(path, layout):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        if layout == "bedlam":
            w.writerow(["Folder name", "Scene name"])
            w.writerows([(_folders(s, layout)[0], s["name"]) for s in SCENES] + [MISSING_SCENE])
        else:
            w.writerow(["Folder name", "Scene name", "Split", "Available image folder fps"])
            splits = {"train": "training", "val": "validation"}
            w.writerows([(_folders(s, layout)[0], s["name"], splits[s["split"]], f"{s['fps']}fps") for s in SCENES]
                        + [MISSING_SCENE + ("training", "6fps")])


def write_bedlam(root, layout="bedlam", motions="neutral"):
    """Write the miniature BEDLAM tree under `root` in one of LAYOUTS; returns root as a Path."""
    root = Path(root)
    listing, csv_root, image_root, motions_root = _paths(root, layout)
    motion_folder, n_betas = MOTION_FOLDERS[motions]
    _write_scene_list(listing, layout)
    for s, scene in enumerate(SCENES):
        _, csv_folder, image_folder = _folders(scene, layout)
        suffix = "" if layout == "bedlam" and scene["fps"] == 30 else f"_{scene['fps']}fps"
        gt = csv_root / csv_folder
        images = image_root(scene["split"]) / (image_folder + suffix) / "png"
        (gt / "ground_truth" / "camera").mkdir(parents=True, exist_ok=True)
        rows = [["", "Comment", "None", 0, 0, 0, 0, 0, 0, "bodies_min=1;bodies_max=3"]]
        for seq in scene["sequences"]:
            rows.append(["", "Group", "None", 0, 0, 0, 0, 0, 0, f"sequence_name={seq['name']};hdri=test"])
            frames = range(0, seq["n_frames"], 30 // scene["fps"])
            (images / seq["name"]).mkdir(parents=True, exist_ok=True)
            picture = _draw(scene, seq)
            for f in frames:
                path = images / seq["name"] / f"{seq['name']}_{f:04d}.png"
                if f == seq.get("corrupt_image"):
                    path.write_bytes(b"\x89PNG\r\n\x1a\n this is not an image")
                else:
                    picture.save(path)
            yaw = 0.0
            for k, person in enumerate(seq["persons"]):
                (x, y, z), body_yaw, yaw = _placement(scene, person)
                rows.append(["", "Body", person["body"], x, y, z, body_yaw, 0, 0,
                             f"start_frame={person.get('start', 0)};texture_body=skin;texture_clothing=cloth"])
                folder = motions_root / motion_folder / subject(person) / person["body"].rsplit("_", 1)[1]
                folder.mkdir(parents=True, exist_ok=True)
                if person["expect"] == "corrupt":
                    (folder / "motion_seq.npz").write_bytes(b"PK\x03\x04 garbage, not a zip archive")
                    continue
                poses, trans = motion(person.get("length", 20), seed=s + k, root_yaw_deg=10.0 * (k - 1),
                                      pose=person.get("pose", "standing"))
                extra = {"motion_info": np.array([{"babel": "stand"}], dtype=object)} \
                    if person.get("object_motion_info") else {"motion_info": np.array(["CMU/01/01", "stand"])}
                np.savez(folder / "motion_seq.npz", poses=poses, trans=trans, betas=np.linspace(-0.5, 0.5, n_betas),
                         gender=np.array("neutral"), gender_sub=np.array("female"), **extra)
            if not seq.get("no_camera"):
                cx, cy, cz = scene["camera"]
                with open(gt / "ground_truth" / "camera" / f"{seq['name']}_camera.csv", "w", newline="") as f:
                    w = csv.writer(f)
                    w.writerow(["name", "x", "y", "z", "yaw", "pitch", "roll", "focal_length"])
                    for frame in range(seq["n_frames"]):
                        w.writerow([f"{seq['name']}_{frame:04d}", cx, cy, cz + 100 * CAMERA_HEIGHT, yaw, 0.0,
                                    90.0 if scene["closeup"] else 0.0, scene["focal"]])
        with open(gt / "be_seq.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["Index", "Type", "Body", "X", "Y", "Z", "Yaw", "Pitch", "Roll", "Comment"])
            for i, row in enumerate(rows):
                w.writerow([i] + row[1:])
    return root
