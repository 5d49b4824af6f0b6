"""The posecode catalogue matches the published counts and obeys its sanity rules."""
from collections import Counter

import numpy as np
import pytest

from posescript_pipeline.posecodes.catalogue import ELEMENTARY, SUPER
from posescript_pipeline.posecodes.evaluation import CATALOGUE, Measurements, categorise, true_categories
from posescript_pipeline.posecodes.kinds import KINDS, interpretations
from posescript_pipeline.posecodes.record import Record


def test_counts_match_the_published_catalogue():
    counts = Counter(c.kind for c in ELEMENTARY)
    assert counts == {"angle": 4, "distance": 70, "relativePosX": 54, "relativePosY": 61, "relativePosZ": 57,
                      "relativeVAxis": 13, "onGround": 6, "bodyInclineX": 1, "bodyInclineY": 1, "bodyInclineZ": 1,
                      "relativeRotX": 1, "relativeRotY": 1, "relativeRotZ": 1}
    assert len(ELEMENTARY) == 271 and len(SUPER) == 150
    assert sum(s.interpretation.endswith("-aligned") for s in SUPER) == 144


def test_interpretations_are_unique_and_complete():
    names = interpretations()
    assert len(names) == len(set(names)) == 63 - 14  # the spec's 63 ids include 14 "ignored" bands
    assert names[-1] == "touch"


def test_support_one_categories_are_never_describable():
    for code in ELEMENTARY:
        assert not set(code.support1) & code.describable(), code


def _categories(kind_index_values):
    """Categorise hand-set values (no noise) and return the category names of the chosen codes."""
    values = np.full((1, len(ELEMENTARY)), np.nan, np.float32)
    for i, v in kind_index_values:
        values[0, i] = v
    cats = true_categories(Measurements(values)).categories[0]
    return [KINDS[ELEMENTARY[i].kind].categories[cats[i]] for i, _ in kind_index_values]


@pytest.mark.parametrize("value, expected", [(45.0, "completely bent"), (45.01, "bent more"), (75.0, "bent more"),
                                             (105.0, "right angle"), (105.01, "bent less"), (160.0, "slightly bent"),
                                             (160.01, "straight")])
def test_angle_categories_are_right_closed(value, expected):
    knee = next(i for i, c in enumerate(ELEMENTARY) if c.kind == "angle")
    assert _categories([(knee, value)]) == [expected]


@pytest.mark.parametrize("value, expected", [(0.20, "close"), (0.2001, "shoulder width"), (0.80, "spread"),
                                             (0.81, "wide")])
def test_distance_categories_are_right_closed(value, expected):
    hands = next(i for i, c in enumerate(ELEMENTARY) if c.joints == ("left_hand", "right_hand") and c.kind == "distance")
    assert _categories([(hands, value)]) == [expected]


def test_noise_stays_within_the_margin_and_is_reproducible():
    knee = next(i for i, c in enumerate(ELEMENTARY) if c.kind == "angle")
    values = np.full((2000, len(ELEMENTARY)), np.nan, np.float32)
    values[:, knee] = 90.0  # right angle band is (75, 105]: noise of +-5 never leaves it
    keys = np.arange(2000, dtype=np.uint64)
    first = categorise(Measurements(values), 7, keys, 0).categories[:, knee]
    assert set(first.tolist()) == {KINDS["angle"].categories.index("right angle")}
    values[:, knee] = 105.0  # on the threshold: noise sends it either way, reproducibly
    a = categorise(Measurements(values), 7, keys, 0).categories[:, knee]
    b = categorise(Measurements(values), 7, keys, 0).categories[:, knee]
    assert (a == b).all() and 0.3 < (a == 2).mean() < 0.7


def test_catalogue_records_use_the_focus_subject():
    wrist_neck = next(i for i, c in enumerate(ELEMENTARY) if c.joints == ("left_wrist", "neck"))
    above = KINDS["relativePosY"].categories.index("above")
    assert CATALOGUE.records[wrist_neck][above] == Record("left", "hand", "above", "", "neck")
