"""Contacts in captions: touch records replace "close" ones, are never skipped, read naturally."""
import re

import numpy as np

from posescript_pipeline.describe import describe
from posescript_pipeline.posecodes.touch import touch_records, with_touches
from posescript_pipeline.posecodes.record import Record
from tests.crafted import crafted_joints, crafted_rotvecs


def test_the_touching_part_is_the_subject_whatever_its_side():
    assert touch_records([("left_knee", "right_hand")]) == [Record("right", "hand", "touch", "left", "knee")]
    assert touch_records([("head", "left_hand")]) == [Record("left", "hand", "touch", "", "head")]
    assert touch_records([("left_hand", "right_hand")]) == [Record("left", "hand", "touch", "right", "hand")]


def test_touch_replaces_distances_of_the_same_parts_in_either_order():
    close = [Record("right", "hand", "close", "left", "knee"), Record("left", "knee", "spread", "right", "hand"),
             Record("left", "hand", "close", "left", "foot")]
    touches = touch_records([("left_knee", "right_hand")])
    assert with_touches(close, touches) == [close[2], *touches]


def test_contacts_are_said_in_every_caption():
    joints, rot = crafted_joints("standing"), crafted_rotvecs("standing")
    n = 20
    result = describe(np.repeat(joints, n, 0), rotations=np.repeat(rot, n, 0), seed=2,
                      contacts=[[("left_hand", "right_hand")]] * n)
    for caps in result.captions:
        for caption in caps:
            assert re.search(r"touching|in contact|brushing", caption), caption
            assert not re.search(r"hands? (is|are)? ?(away|apart|spread|far)", caption), caption
    without = describe(joints, rotations=rot, seed=2).captions[0]
    assert not any("touch" in c or "contact" in c for c in without)
