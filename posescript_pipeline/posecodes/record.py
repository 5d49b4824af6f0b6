"""The posecode record: one statement about a pose, the unit that aggregation merges and captions word.

A record says that a subject body part (side1, part1) is in a relation (`interpretation`: a category, a
super-posecode interpretation or "touch") with an optional second part (side2, part2). Sides are "left",
"right", "" (unsided part) or "both" (a plural subject, the part in plural form: ("both", "hands")).
"""
from typing import NamedTuple

from ..skeleton import LEFT, RIGHT, SIDES

NONE, BOTH = "", "both"
L, R = LEFT, RIGHT


def split_name(name: str) -> tuple[str, str]:
    """'left_knee' -> ('left', 'knee'); 'torso' -> ('', 'torso'); 'both_hands' -> ('both', 'hands')."""
    side, _, part = name.partition("_")
    return (side, part) if side in (L, R, BOTH) else (NONE, name)


def join_name(side: str, part: str) -> str:
    """('left', 'knee') -> 'left_knee'; ('', 'torso') -> 'torso' (the inverse of `split_name`)."""
    return f"{side}_{part}" if side else part


class Record(NamedTuple):
    side1: str
    part1: str
    interpretation: str
    side2: str = NONE
    part2: str = NONE

    @property
    def subject(self) -> tuple[str, str]:
        return self.side1, self.part1

    @property
    def second(self) -> tuple[str, str]:
        return self.side2, self.part2

    @property
    def left_versus_right(self) -> bool:
        """The same part on both sides ("the left hand is above the right hand")."""
        return self.part1 == self.part2 and {self.side1, self.side2} == set(SIDES)

    def statement(self) -> str:
        """The record as words, e.g. "left knee right angle" or "left hand close right hand"."""
        return " ".join(filter(None, self))
