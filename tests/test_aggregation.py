"""Aggregation rules on hand-made records (spec section 9), including the fixed quirks."""
from random import Random

from posescript_pipeline.aggregation import (CaptionOptions, InterpretationGroup, SubjectGroup, aggregate,
                                             body_part_order, order_items, prune_statistical, prune_transitive)
from posescript_pipeline.aggregation_rules import BODY_PARTS, plural
from posescript_pipeline.posecodes.record import Record

FULL = CaptionOptions(random_skip=False)


class AlwaysLow(Random):
    """A generator whose draws always pass probability tests (every aggregation happens)."""
    def random(self):
        return 0.0


def test_transitive_pruning_drops_the_outer_relation():
    records = [Record("left", "hand", "above", "right", "hand"), Record("right", "hand", "above", "", "neck"),
               Record("left", "hand", "above", "", "neck")]
    assert prune_transitive(records) == records[:2]


def test_transitive_pruning_normalises_directions():
    records = [Record("right", "hand", "below", "left", "hand"), Record("right", "hand", "above", "", "neck"),
               Record("", "neck", "below", "left", "hand")]
    assert prune_transitive(records) == records[:2]


def test_transitive_pruning_keeps_contradictory_cycles():
    cycle = [Record("left", "hand", "above", "right", "hand"), Record("right", "hand", "above", "", "neck"),
             Record("", "neck", "above", "left", "hand")]
    assert prune_transitive(cycle) == cycle


def test_entity_merge_makes_a_limb():
    records = [Record("left", "hand", "below", "right", "hand"), Record("left", "elbow", "below", "right", "hand")]
    assert aggregate(records, AlwaysLow(0), FULL) == [Record("left", "arm", "below", "right", "hand")]


def test_symmetry_merges_left_and_right_only():
    both_knees = [Record("left", "knee", "completely bent", "", ""), Record("right", "knee", "completely bent", "", "")]
    assert Record("both", "knees", "completely bent", "", "") in aggregate(both_knees, AlwaysLow(0), FULL)
    # The published code also merged two left-hand records into "the hands are close to the knees".
    left_twice = [Record("left", "hand", "close", "left", "knee"), Record("left", "hand", "close", "right", "knee")]
    out = aggregate(left_twice, AlwaysLow(0), FULL)
    assert all("hands" not in str(item) for item in out)


def test_statistical_rule_and_its_mirror():
    raised = Record("left", "hand", "above", "", "neck")
    redundant = Record("left", "hand", "above", "left", "shoulder")
    assert prune_statistical([raised, redundant], [raised, redundant]) == [raised]
    mirrored = [Record("right", "hand", "above", "", "neck"), Record("right", "hand", "above", "right", "shoulder")]
    assert prune_statistical(mirrored, mirrored) == mirrored[:1]


def test_mirrored_rule_flips_left_right_relations():
    # rule 3 mirrored: "L/R foot front" + "R foot front of torso" => drop "L foot front of torso"
    present = [Record("left", "foot", "front", "right", "foot"), Record("right", "foot", "front", "", "torso"),
               Record("left", "foot", "front", "", "torso")]
    assert prune_statistical(present, present) == present[:2]


def test_grouping_builds_interpretation_and_subject_groups():
    records = [Record("left", "knee", "right angle", "", ""), Record("right", "elbow", "right angle", "", ""),
               Record("left", "hand", "below", "left", "hip"), Record("left", "hand", "behind", "", "torso")]
    out = aggregate(records, AlwaysLow(0), FULL)
    assert any(isinstance(g, InterpretationGroup) and len(g.subjects) == 2 for g in out)
    assert any(isinstance(g, SubjectGroup) and g.subject == ("left", "hand") for g in out)


def test_head_rotations_are_not_grouped_by_subject():
    records = [Record("", "head", "turn left", "", ""), Record("", "head", "incline forward", "", "")]
    assert aggregate(records, AlwaysLow(0), FULL) == records


def test_simplified_captions_skip_merges():
    records = [Record("left", "knee", "completely bent", "", ""), Record("right", "knee", "completely bent", "", "")]
    out = aggregate(records, AlwaysLow(0), CaptionOptions(simplified=True))
    assert sorted(out) == sorted(records)


def test_body_part_order_is_a_walk_from_the_body():
    order = body_part_order(Random(3))
    assert order[0] == "body" and set(order) == BODY_PARTS
    assert order.index("left_arm") < order.index("left_hand")
    assert order.index("torso") < order.index("left_leg")


def test_ordering_keeps_every_item_and_attaches_plurals_to_a_side():
    items = [Record("both", "hands", "close", "", ""), Record("left", "knee", "straight", "", ""), Record("", "body", "kneeling", "", ""),
             Record("left", "hand", "above", "", "neck")]
    out = order_items(items, Random(0))
    assert sorted(out) == sorted(items) and out[0] == Record("", "body", "kneeling", "", "")


def test_plurals():
    assert [plural(p) for p in ("hand", "foot", "fingers", "knee")] == ["hands", "feet", "fingers", "knees"]
