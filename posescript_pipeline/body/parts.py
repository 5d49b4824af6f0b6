"""Per-vertex body-part labels, named with the words captions use, for the Anny and SMPL-X/SMPL-H meshes.

Two steps, both declarative:
1. skinning: each vertex takes the segment of its strongest bone (Anny) or joint (SMPL-X/SMPL-H), through each
   backend's name -> segment table (`segments_from_names`);
2. spatial rules on the rest mesh (SMPL axes: y up, front +z, +x the body's left):
   - torso segments split front/back at the mid-depth of the torso at each height (2 cm slices):
     thorax -> chest | upperback, abdomen -> belly | lowerback (`TORSO_SPLIT`); the flanks stay unlabelled (`FLANK`);
   - buttock: abdomen and thigh vertices behind the hips' coronal plane, from 11 cm below the hip joints (the
     gluteal fold) to 8 cm above them (the top of the buttocks), measured on Anny's rest mesh (`BUTTOCK_BAND`),
     leaving out the midline (`CLEFT`);
   - joint regions (`JOINT_REGIONS`): vertices of the listed parts within a radius of the joint, so that "hand on
     the knee" or "on the shoulder" can be said. Shoulder 9 cm around the glenohumeral joint (the deltoid cap and
     the top of the shoulder, 156 vertices on Anny); elbow 6 cm (the joint and the point
     of the elbow, about a forearm's thickness either side); knee 8 cm (the kneecap and the back of the knee;
     the knee is wider than the elbow).
Sided parts take their side from the sign of x at rest, so the labels of a symmetric mesh are symmetric.
"""
import re

import numpy as np

from ..skeleton import JOINT_INDEX, SIDES

SIDED = ("buttock", "shoulder", "upperarm", "elbow", "forearm", "hand", "thigh", "knee", "calf", "foot")
UNSIDED = ("head", "neck", "chest", "belly", "upperback", "lowerback")
PART_NAMES = UNSIDED + tuple(f"{side}_{part}" for side in SIDES for part in SIDED)
"""Full part names; labels index this tuple (-1: unlabelled)."""
PART_INDEX = {name: i for i, name in enumerate(PART_NAMES)}

SEGMENTS = ("head", "neck", "thorax", "abdomen", "upperarm", "forearm", "hand", "thigh", "calf", "foot")
"""Skinning segments; the torso ones are split by the spatial rules, the others are parts already."""

TORSO_SPLIT = {"thorax": ("chest", "upperback"), "abdomen": ("belly", "lowerback")}
"""Torso segment -> (part in front of the torso's mid-depth, part behind it)."""
SLICE = 0.02
FLANK, ARMPIT_DROP = 0.8, 0.03
"""Flanks: torso vertices below the armpits (3 cm under the shoulder joints) in the outer 20% of the torso's
half-width at their height. They stay unlabelled, like the published left/right torso parts that are never
paired: an arm hanging at the side lies against them, which is not a contact worth saying."""
BUTTOCK_BAND = (-0.11, 0.08)
"""Height range of the buttocks relative to the hip joints (m)."""
BUTTOCK_SEGMENTS = ("abdomen", "thigh")
CLEFT = 0.005
"""Half-width of the gluteal cleft (m): midline vertices there stay lower back, so the buttocks are mirror images."""
JOINT_REGIONS = (
    ("shoulder", 0.09, ("upperarm", "chest", "upperback")),
    ("elbow", 0.06, ("upperarm", "forearm")),
    ("knee", 0.08, ("thigh", "calf")),
)
"""(region = its joint's name, radius in m, parts it takes vertices from), applied in order."""


def segments_from_names(names, table, side_pattern):
    """Segment index (into SEGMENTS) of each bone/joint name, via a {regex: segment} table; -1 if unmatched."""
    plain = [re.sub(side_pattern, "", name) for name in names]
    return np.array([next((SEGMENTS.index(seg) for rx, seg in table.items() if re.fullmatch(rx, n)), -1)
                     for n in plain], dtype=np.int16)


def label_vertices(vertices, segments, joints):
    """Part labels (V,) int16 into PART_NAMES from rest vertices (V, 3) in SMPL axes, segments (V,) into
    SEGMENTS (-1: unlabelled) and the rest joints (52, 3) in SMPL-H order, same axes."""
    vertices = np.asarray(vertices, dtype=np.float64)
    joints = np.asarray(joints, dtype=np.float64)
    side = np.where(vertices[:, 0] >= 0, "left_", "right_")
    segment = np.array(SEGMENTS + ("",), dtype=object)[segments]  # -1 -> ""
    part = segment.copy()

    torso = np.isin(segment, list(TORSO_SPLIT))
    _, slot = np.unique(np.floor(vertices[torso, 1] / SLICE), return_inverse=True)
    low, high = np.full(slot.max() + 1, np.inf), np.full(slot.max() + 1, -np.inf)
    np.minimum.at(low, slot, vertices[torso, 2])
    np.maximum.at(high, slot, vertices[torso, 2])
    front = np.zeros(len(vertices), dtype=bool)
    front[torso] = vertices[torso, 2] >= (low + high)[slot] / 2
    for name, (front_part, back_part) in TORSO_SPLIT.items():
        here = segment == name
        part[here] = np.where(front[here], front_part, back_part)
    width = np.zeros(slot.max() + 1)
    np.maximum.at(width, slot, np.abs(vertices[torso, 0]))
    armpit = joints[[JOINT_INDEX[f"{s}_shoulder"] for s in SIDES], 1].mean() - ARMPIT_DROP
    flank = np.zeros(len(vertices), dtype=bool)
    flank[torso] = (np.abs(vertices[torso, 0]) >= FLANK * width[slot]) & (vertices[torso, 1] < armpit)
    part[flank] = ""

    hips = joints[[JOINT_INDEX[f"{s}_hip"] for s in SIDES]].mean(axis=0)
    rise = vertices[:, 1] - hips[1]
    buttock = (np.isin(segment, BUTTOCK_SEGMENTS) & (vertices[:, 2] < hips[2]) & (np.abs(vertices[:, 0]) > CLEFT)
               & (rise >= BUTTOCK_BAND[0]) & (rise <= BUTTOCK_BAND[1]))
    part[buttock] = "buttock"

    for region, radius, sources in JOINT_REGIONS:
        centre = joints[[JOINT_INDEX[f"{s}_{region}"] for s in SIDES]]
        near = (np.linalg.norm(vertices[:, None] - centre[None], axis=-1) < radius).any(axis=1)
        part[near & np.isin(part, sources)] = region

    full = np.where(np.isin(part, SIDED), side + part.astype(str), part.astype(str))
    return np.array([PART_INDEX.get(name, -1) for name in full], dtype=np.int16)
