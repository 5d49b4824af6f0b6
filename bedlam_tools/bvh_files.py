"""BVH motion files (Biovision hierarchy) -> SMPL-H joint sequences, through the `bvhio` package.

bvhio parses the file (hierarchy, offsets, channels, frame time) into per-joint keyframes (local positions and
quaternions, Euler channels composed in the file's own order); forward kinematics then runs here, in numpy over
all frames at once. The file's joints are mapped to the canonical ones by a rig table (`RIGS`): names are
compared after dropping a namespace ("mixamorig:Hips" -> "Hips"), the case and every non-letter, non-digit.
The spine joints of SMPL-H are placed along pelvis -> neck as for COCO joints (rigs split the spine
differently); joints a rig lacks (toes, fingers) are flagged missing. Units are detected from the rest pose.
"""
import re
from dataclasses import dataclass

import numpy as np

from posescript_pipeline.errors import UserError
from posescript_pipeline.joints import SPINE_FRACTIONS
from posescript_pipeline.rotations import quaternion_multiply, quaternion_rotate
from posescript_pipeline.skeleton import JOINT_INDEX, NUM_JOINTS, SIDES


class BvhError(UserError):
    """A BVH file that cannot be read or mapped to the canonical joints."""


_LIMBS = ("hip", "knee", "ankle", "foot", "collar", "shoulder", "elbow", "wrist", "middle2")
REQUIRED = ("pelvis", "neck", "head", *(f"{s}_{p}" for s in SIDES for p in ("hip", "knee", "ankle", "shoulder",
                                                                             "elbow", "wrist")))
"""Canonical joints every rig must give (the others are flagged missing when absent)."""


def _sided(names: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Expand {'hip': ('{L}upleg',)} with {L} -> left/l names and {R} -> right/r names."""
    out = {}
    for part, patterns in names.items():
        for side, words in (("left", ("left", "l")), ("right", ("right", "r"))):
            out[f"{side}_{part}"] = tuple(p.replace("{S}", w) for p in patterns for w in words)
    return out


@dataclass(frozen=True)
class Rig:
    name: str
    used_by: str
    joints: dict  # canonical joint -> candidate normalised BVH names (first found wins)


RIGS = (
    Rig("smpl", "SMPL / SMPL-H joint names (Pelvis, L_Hip, L_Knee, ..., or left_hip, ...): SMPL-to-BVH exports, "
                "this toolkit's example", {
        "pelvis": ("pelvis",), "neck": ("neck",), "head": ("head",),
        **_sided({"hip": ("{S}hip",), "knee": ("{S}knee",), "ankle": ("{S}ankle",), "foot": ("{S}foot",),
                  "collar": ("{S}collar",), "shoulder": ("{S}shoulder",), "elbow": ("{S}elbow",),
                  "wrist": ("{S}wrist",), "middle2": ("{S}middle2",)})}),
    Rig("biped", "Hips, LeftUpLeg, LeftLeg, LeftFoot, LeftToeBase, LeftShoulder, LeftArm, LeftForeArm, LeftHand "
                 "(optional 'mixamorig:' prefix): Mixamo, MotionBuilder / HumanIK, LaFAN1, CMU mocap conversions", {
        "pelvis": ("hips", "hip", "pelvis"), "neck": ("neck",), "head": ("head",),
        **_sided({"hip": ("{S}upleg", "{S}thigh"), "knee": ("{S}leg", "{S}shin"), "ankle": ("{S}foot",),
                  "foot": ("{S}toebase", "{S}toe", "{S}toes"), "collar": ("{S}shoulder", "{S}collar"),
                  "shoulder": ("{S}arm", "{S}upperarm"), "elbow": ("{S}forearm",), "wrist": ("{S}hand",),
                  "middle2": ("{S}handmiddle2", "{S}middle2")})}),
    Rig("humanoid", "Hips, UpperLeg_L, LowerLeg_L, Foot_L, Toes_L, Shoulder_L, UpperArm_L, LowerArm_L, Hand_L (or "
                    "LeftUpperLeg, ...): Unity-humanoid-style names", {
        "pelvis": ("hips", "pelvis"), "neck": ("neck",), "head": ("head",),
        **{k: v + tuple(n[len(w):] + w for n in v for w in ("left", "right", "l", "r") if n.startswith(w))
           for k, v in _sided({"hip": ("{S}upperleg",), "knee": ("{S}lowerleg",), "ankle": ("{S}foot",),
                               "foot": ("{S}toes", "{S}toe"), "collar": ("{S}shoulder",),
                               "shoulder": ("{S}upperarm",), "elbow": ("{S}lowerarm",), "wrist": ("{S}hand",)}).items()}}),
)
"""The rigs accepted, tried in order: the first whose REQUIRED joints all exist is used."""
UNITS = (("metres", 1.0), ("centimetres", 0.01), ("millimetres", 0.001), ("inches", 0.0254), ("decimetres", 0.1))
HEIGHT_RANGE = (0.9, 2.3)
"""Plausible head-to-ankle height of the rest pose in metres: the first unit that gives it is the file's."""
TYPICAL_HEIGHT = 1.55


def normalised_name(name: str) -> str:
    """'mixamorig:LeftUpLeg' -> 'leftupleg'; 'L_Hip' -> 'lhip'."""
    return re.sub(r"[^a-z0-9]", "", name.rsplit(":", 1)[-1].lower())


@dataclass
class BvhMotion:
    joints: np.ndarray      # (T, 52, 3) float32 world joints in metres, y up; NaN where missing
    available: np.ndarray   # (52,) bool
    fps: float
    rig: str
    units: str


def _flatten(root):
    """(joints, parent indices) of the hierarchy, depth first (parents before children)."""
    joints, parents = [], []

    def walk(joint, parent):
        joints.append(joint)
        parents.append(parent)
        me = len(joints) - 1
        for child in joint.Children:
            walk(child, me)
    walk(root, -1)
    return joints, np.array(parents)


def _keyframes(joints, n_frames):
    """Local positions (T, J, 3) and quaternions (T, J, 4) (x, y, z, w) of every joint."""
    pos = np.empty((n_frames, len(joints), 3))
    quat = np.empty((n_frames, len(joints), 4))
    for j, joint in enumerate(joints):
        keys = joint.Keyframes
        pos[:, j] = [(k.Position.x, k.Position.y, k.Position.z) for k in keys]
        quat[:, j] = [(k.Rotation.x, k.Rotation.y, k.Rotation.z, k.Rotation.w) for k in keys]
    return pos, quat


def forward_kinematics(parents, positions, quaternions):
    """World positions (T, J, 3) from local positions and rotations, parents before children."""
    world_pos = np.empty_like(positions)
    world_rot = np.empty_like(quaternions)
    for j, p in enumerate(parents):
        if p < 0:
            world_pos[:, j], world_rot[:, j] = positions[:, j], quaternions[:, j]
        else:
            world_pos[:, j] = world_pos[:, p] + quaternion_rotate(world_rot[:, p], positions[:, j])
            world_rot[:, j] = quaternion_multiply(world_rot[:, p], quaternions[:, j])
    return world_pos


def _rig(path, names):
    index = {}
    for i, name in enumerate(names):
        index.setdefault(normalised_name(name), i)
    for rig in RIGS:
        found = {joint: next((index[c] for c in candidates if c in index), None) for joint, candidates in rig.joints.items()}
        if all(found.get(joint) is not None for joint in REQUIRED):
            return rig, {joint: i for joint, i in found.items() if i is not None}
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    raise BvhError(f"{path}: unknown BVH rig (joints {shown}); expected one of: "
                   + "; ".join(f"{r.name} ({r.used_by.split(':')[0]})" for r in RIGS))


def _units(path, height):
    for name, scale in UNITS:
        if HEIGHT_RANGE[0] <= height * scale <= HEIGHT_RANGE[1]:
            return name, scale
    if not np.isfinite(height) or height <= 0:
        raise BvhError(f"{path}: the rest pose has no height (head and ankles at the same level); expected a "
                       "standing rest pose")
    return f"scaled to a {TYPICAL_HEIGHT} m body", TYPICAL_HEIGHT / height


def read_bvh(path) -> BvhMotion:
    """Read a BVH file into canonical-joint world positions in metres (y up, as BVH files are)."""
    import warnings

    try:
        with warnings.catch_warnings():  # PyGLM's notice about its own import name, not ours to act on
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            import bvhio
    except ImportError:
        raise BvhError(f"{path}: reading BVH files needs the bvhio package (pip install 'posescript-toolkit[motion]')")

    try:
        container = bvhio.readAsBvh(str(path))
    except FileNotFoundError:
        raise BvhError(f"{path}: file not found")
    except (SyntaxError, ValueError, IndexError, UnicodeDecodeError) as err:
        raise BvhError(f"{path}: not a readable BVH file ({type(err).__name__}: {err.args[0] if err.args else err})"
                       .splitlines()[0])
    if not container.FrameTime or container.FrameTime <= 0:
        raise BvhError(f"{path}: 'Frame Time' is {container.FrameTime}; expected seconds per frame > 0")
    bvh_joints, parents = _flatten(container.Root)
    n_frames = len(bvh_joints[0].Keyframes)
    if n_frames == 0:
        raise BvhError(f"{path}: 'MOTION' has 0 frames; expected at least one")
    rig, mapping = _rig(path, [j.Name for j in bvh_joints])
    positions, quaternions = _keyframes(bvh_joints, n_frames)
    world = forward_kinematics(parents, positions, quaternions)
    rest_pos = np.array([[(j.Offset.x, j.Offset.y, j.Offset.z) for j in bvh_joints]])
    rest = forward_kinematics(parents, rest_pos, np.tile([0.0, 0, 0, 1], (1, len(bvh_joints), 1)))[0]
    height = rest[mapping["head"], 1] - min(rest[mapping[f"{s}_ankle"], 1] for s in SIDES)
    units, scale = _units(path, height)
    out = np.full((n_frames, NUM_JOINTS, 3), np.nan)
    for joint, i in mapping.items():
        out[:, JOINT_INDEX[joint]] = world[:, i] * scale
    pelvis, neck = out[:, JOINT_INDEX["pelvis"]], out[:, JOINT_INDEX["neck"]]
    for name, t in SPINE_FRACTIONS.items():
        out[:, JOINT_INDEX[name]] = (1 - t) * pelvis + t * neck
    available = np.isfinite(out).all(axis=(0, 2))
    if not np.isfinite(out[:, available]).all():
        raise BvhError(f"{path}: NaN or inf values in the motion; expected finite channels")
    fps = round(1.0 / container.FrameTime, 3)  # 'Frame Time: 0.0333333' is 30 fps, not 30.00003
    return BvhMotion(out.astype(np.float32), available, fps, rig.name, units)
