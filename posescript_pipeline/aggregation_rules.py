"""Tables of the aggregation stage: entities, plurals, statistical pruning rules, body-part graph."""
from itertools import chain

from .posecodes.kinds import OPPOSITE
from .posecodes.record import NONE, L, R, Record
from .skeleton import OTHER_SIDE

# Two parts of the same limb merge into the whole ("left hand and left elbow" -> "left arm").
ENTITIES = {frozenset(pair): whole for whole, pairs in {
    "arm": (("wrist", "elbow"), ("hand", "elbow"), ("forearm", "upperarm")),
    "leg": (("ankle", "knee"), ("foot", "knee"), ("shin", "thigh"), ("lowerleg", "thigh"), ("calf", "thigh")),
    "back": (("upperback", "lowerback"),),
    "torso": (("belly", "chest"),),
    "hand": (("fingers", "wrist"),),
    "foot": (("toes", "ankle"),),
}.items() for pair in pairs}

IRREGULAR_PLURALS = {"foot": "feet", "toes": "toes", "fingers": "fingers", "calf": "calves",
                     "buttock": "buttocks"}
SINGULARS = {v: k for k, v in IRREGULAR_PLURALS.items()}


def plural(part: str) -> str:
    return IRREGULAR_PLURALS.get(part, part + "s")


def singular(part: str) -> str:
    return SINGULARS.get(part, part[:-1] if part.endswith("s") else part)


def _hand(s, interp, s2, p2):
    return Record(s, "hand", interp, s2, p2)


# Statistical pruning, written for the left side: (records that must all be present, record removed).
# "L/R x" codes compare the left part to the right one.
_LEFT_RULES = [
    ((_hand(L, "above", NONE, "neck"),), _hand(L, "above", L, "shoulder")),
    ((Record(L, "knee", "right angle"), Record(L, "thigh", "vertical")), Record(L, "foot", "behind", NONE, "torso")),
    ((Record(L, "foot", "behind", R, "foot"), Record(L, "foot", "front", NONE, "torso")),
     Record(R, "foot", "front", NONE, "torso")),
    ((Record(L, "foot", "front", R, "foot"), Record(L, "foot", "behind", NONE, "torso")),
     Record(R, "foot", "behind", NONE, "torso")),
    ((_hand(L, "above", L, "shoulder"), _hand(R, "below", R, "hip")), _hand(L, "wide", R, "hand")),
    ((_hand(L, "above", L, "shoulder"), _hand(R, "below", R, "hip")), Record(L, "shoulder", "above", R, "shoulder")),
    ((_hand(L, "above", L, "shoulder"), _hand(R, "below", R, "hip")), Record(L, "elbow", "above", R, "elbow")),
    ((_hand(L, "above", L, "shoulder"), _hand(R, "below", R, "hip")), _hand(L, "above", R, "hand")),
    ((_hand(L, "below", L, "hip"), Record(R, "upperarm", "horizontal")), Record(L, "elbow", "below", R, "elbow")),
    ((_hand(L, "below", L, "hip"), Record(R, "upperarm", "horizontal")), _hand(L, "below", R, "hand")),
    ((_hand(L, "close", R, "hand"), _hand(L, "above", L, "shoulder")), _hand(R, "above", R, "shoulder")),
    ((_hand(L, "close", R, "hand"), _hand(L, "above", NONE, "neck")), _hand(R, "above", R, "shoulder")),
    ((_hand(L, "close", R, "hand"), _hand(L, "above", NONE, "neck")), _hand(R, "above", NONE, "neck")),
    ((_hand(L, "close", R, "hand"), _hand(L, "below", L, "hip")), _hand(R, "below", R, "hip")),
    ((Record(L, "foot", "close", R, "foot"), Record(L, "foot", "behind", NONE, "torso")),
     Record(R, "foot", "behind", NONE, "torso")),
    ((Record(L, "elbow", "above", R, "elbow"), _hand(L, "below", L, "hip")), _hand(R, "below", R, "hip")),
    ((_hand(L, "below", R, "hand"), _hand(L, "above", L, "shoulder")), _hand(R, "above", R, "shoulder")),
    ((_hand(L, "below", R, "hand"), _hand(L, "above", L, "shoulder")), _hand(R, "above", NONE, "neck")),
    ((_hand(L, "above", NONE, "neck"), _hand(R, "below", R, "hip")), _hand(L, "wide", R, "hand")),
    ((_hand(L, "above", R, "hand"), _hand(L, "below", L, "hip")), _hand(R, "below", R, "hip")),
    ((_hand(L, "above", NONE, "neck"), _hand(R, "below", R, "hip")), Record(L, "elbow", "above", R, "elbow")),
    ((_hand(L, "above", NONE, "neck"), _hand(R, "below", R, "hip")), _hand(L, "above", R, "hand")),
    ((_hand(L, "front", R, "hand"), _hand(L, "behind", NONE, "torso")), _hand(R, "behind", NONE, "torso")),
    ((Record(L, "upperarm", "vertical"), Record(L, "forearm", "horizontal")), Record(L, "elbow", "right angle")),
    ((Record(L, "thigh", "vertical"), Record(L, "shin", "vertical")), Record(L, "knee", "straight")),
    ((Record(L, "knee", "behind", R, "knee"), Record(L, "thigh", "horizontal")),
     Record(L, "foot", "behind", NONE, "torso")),
    ((Record(L, "knee", "front", R, "knee"), Record(L, "thigh", "vertical")),
     Record(R, "foot", "behind", NONE, "torso")),
]

def _mirror(record: Record) -> Record:
    """The statement about the mirror-image pose."""
    if record.left_versus_right:  # a left-versus-right code keeps its order: the relation flips
        return record._replace(interpretation=OPPOSITE.get(record.interpretation, record.interpretation))
    return record._replace(side1=OTHER_SIDE.get(record.side1, record.side1),
                           side2=OTHER_SIDE.get(record.side2, record.side2))


STAT_RULES = _LEFT_RULES + [(tuple(map(_mirror, conds)), _mirror(target)) for conds, target in _LEFT_RULES]


def _body_part_graph():
    graph = {
        "body": ["head", "torso"],
        "torso": ["left_torso", "right_torso", "chest", "belly", "crotch", "upperback", "lowerback", "butt", "back",
                  *(f"{s}_{p}" for s in (L, R) for p in ("shoulder", "arm", "hip", "leg", "buttock"))],
        "head": ["throat", "neck", "crown", "face"],
        "crotch": ["left_leg", "right_leg"],
    }
    for s in (L, R):
        for parent, children in {"arm": ("upperarm", "forearm"), "upperarm": ("elbow", "shoulder"),
                                 "forearm": ("elbow", "hand"), "hand": ("wrist", "fingers"),
                                 "leg": ("thigh", "shin", "lowerleg", "calf"), "thigh": ("hip", "knee"),
                                 "shin": ("knee", "foot"), "lowerleg": ("knee", "foot"),
                                 "foot": ("ankle", "toes")}.items():
            graph[f"{s}_{parent}"] = [f"{s}_{c}" for c in children]
    return graph


BODY_PART_GRAPH = _body_part_graph()
BODY_PARTS = frozenset(chain(BODY_PART_GRAPH, *BODY_PART_GRAPH.values()))


def _subtrees():
    """Each node with every part below it (itself included)."""
    memo = {}

    def walk(node):
        if node not in memo:
            memo[node] = frozenset({node}).union(*(walk(c) for c in BODY_PART_GRAPH.get(node, ())))
        return memo[node]
    return {node: walk(node) for node in BODY_PARTS}


SUBTREE = _subtrees()
