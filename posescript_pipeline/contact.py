"""Self-contact: which body parts touch each other on a posed body mesh.

The surface is represented by `n_samples` area-uniform points on the largest connected component of the mesh
(the eyeballs and other inner shells are left out), each a face and barycentric coordinates drawn once with a
fixed seed, labelled by the part of its nearest corner. Area sampling keeps the dense head and hands from
taking most points and spaces them about 1.5 cm apart everywhere. Per pose: bounding boxes of the parts (grown by
the threshold) prune the part pairs; for each remaining pair a KD-tree query lists the point pairs closer than
`threshold` (2 cm, as published) that were more than `rest_distance` apart on the rest (T-pose) mesh; a part
pair is a contact when it has at least `min_pairs` (5) such point pairs: a single point grazing a surface at
2 cm gives 1-3 pairs, a hand resting on a part gives 40-500 at 8,000 samples. Pairs of parts that meet on the
body (`ADJACENT`) are never reported: their skin folds (elbow crease, groin, chest/belly) are not contacts; the
flanks are unlabelled (see `body.parts`), so an arm hanging against the side of the torso is no contact either.
Finally `prune_inclusions` keeps one statement per touch (see `CONTAINS`). Pairs are (part_a, part_b) with the
names in alphabetical order.

Why not the published geodesic mask (geodesic distance >= 0.30 m on the template): it needs a V x V geodesic
table per topology (13,718² for Anny) and a mesh geodesic solver. Euclidean distance on the rest mesh is a lower
bound of geodesic distance, so "rest distance > 10 cm" drops every pair that is close along the surface, and the
adjacent-part list drops the remaining folds between neighbouring parts, which a 30 cm geodesic radius hid.
Excluding every pair of parts that share mesh edges would be too strong: it removes the arm against the chest
(they meet at the armpit); the list names only the pairs whose fold is a false contact in practice (belly-thigh:
the groin folds into hundreds of close pairs when the hip flexes to 90 degrees).
"""
from functools import cache

import numpy as np

from .body.parts import PART_INDEX, PART_NAMES
from .skeleton import SIDES

THRESHOLD = 0.02
REST_DISTANCE = 0.10
N_SAMPLES = 8000
MIN_PAIRS = 5
SEED = 0

ADJACENT = (
    ("head", "neck"), ("neck", "chest"), ("neck", "upperback"), ("neck", "shoulder"),
    ("chest", "belly"), ("chest", "upperback"), ("chest", "lowerback"), ("belly", "upperback"),
    ("belly", "lowerback"), ("upperback", "lowerback"), ("lowerback", "buttock"), ("belly", "buttock"),
    ("chest", "shoulder"), ("upperback", "shoulder"), ("shoulder", "upperarm"), ("upperarm", "elbow"),
    ("upperarm", "forearm"), ("elbow", "forearm"), ("forearm", "hand"),
    ("belly", "thigh"), ("buttock", "thigh"), ("thigh", "knee"), ("thigh", "calf"), ("knee", "calf"), ("calf", "foot"),
)
"""Parts that meet on the body (same side when both are sided): never reported. belly-thigh is the groin fold:
a hip flexed to 90 degrees (sitting) folds it into hundreds of close point pairs."""
ADJACENT_ACROSS = (("left_buttock", "right_buttock"), ("left_buttock", "right_thigh"), ("right_buttock", "left_thigh"))
"""Full-name pairs across the midline that also meet on the body (at the gluteal cleft and the perineum)."""

CONTAINS = {
    "forearm": ("hand", "elbow"), "upperarm": ("elbow", "shoulder"), "calf": ("knee", "foot"),
    "thigh": ("knee", "buttock"), "chest": ("shoulder",), "upperback": ("shoulder",), "lowerback": ("buttock",),
}
"""Part -> the smaller parts or joint regions it borders and, for captions, stands for (same side when both
are sided). Adapted from the published inclusion graph (forearm > hand, thigh > knee, torso > shoulder ...),
with one change: the published rule keeps the container, we keep the contained part, because our parts are
already coarse and the small ones are the words a caption wants: a hand on the knee that also brushes the
thigh is "the hand is touching the knee", a hand and forearm on the head is "the hand is touching the head"."""


def _related(table):
    """{(a, b)} of full part names for a base-part relation, following the side rules above."""
    out = set()
    for a, b in table:
        for sa in SIDES if f"left_{a}" in PART_INDEX else ("",):
            for sb in SIDES if f"left_{b}" in PART_INDEX else ("",):
                if not (sa and sb and sa != sb):
                    out.add((f"{sa}_{a}".lstrip("_"), f"{sb}_{b}".lstrip("_")))
    return out


ADJACENT_PAIRS = frozenset(frozenset(p) for p in _related(ADJACENT) | set(ADJACENT_ACROSS))
INSIDE = frozenset(_related((small, big) for big, smalls in CONTAINS.items() for small in smalls))
"""(contained part, containing part) full names."""


def _within(a, b):
    return a == b or (a, b) in INSIDE


def prune_inclusions(contacts):
    """{(a, b): count} -> the same without contacts that another one refines: (a, b) goes when some other
    contact (a2, b2) has a2 in a and b2 in b (either way round), e.g. hand-thigh when hand-knee is there.
    Containment is a partial order, so one pass keeps exactly the minimal contacts: the fixed point."""
    def refines(p, q):
        straight = _within(p[0], q[0]) and _within(p[1], q[1])
        return p != q and (straight or (_within(p[1], q[0]) and _within(p[0], q[1])))

    return {q: n for q, n in contacts.items() if not any(refines(p, q) for p in contacts)}


def _largest_component(faces, n_vertices):
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]]])
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n_vertices, n_vertices))
    _, component = connected_components(graph, directed=False)
    return component == np.bincount(component[faces[:, 0]]).argmax()


class ContactDetector:
    """Self-contacts between labelled parts of one mesh topology (see the module docstring)."""

    def __init__(self, rest_vertices, faces, labels, threshold=THRESHOLD, rest_distance=REST_DISTANCE,
                 n_samples=N_SAMPLES, min_pairs=MIN_PAIRS, seed=SEED):
        rest = np.asarray(rest_vertices, dtype=np.float64)
        faces = np.asarray(faces, dtype=np.int64)
        labels = np.asarray(labels)
        self.threshold, self.rest_distance, self.min_pairs = threshold, rest_distance, min_pairs
        main = _largest_component(faces, len(rest))
        faces = faces[main[faces[:, 0]]]
        area = np.linalg.norm(np.cross(rest[faces[:, 1]] - rest[faces[:, 0]], rest[faces[:, 2]] - rest[faces[:, 0]]),
                              axis=1)
        rng = np.random.default_rng(seed)
        face = rng.choice(len(faces), size=n_samples, p=area / area.sum())
        u, v = np.sqrt(rng.random(n_samples)), rng.random(n_samples)
        bary = np.stack([1 - u, u * (1 - v), u * v], axis=1)
        label = labels[faces[face, bary.argmax(axis=1)]]
        keep = label >= 0
        order = np.argsort(label[keep], kind="stable")
        self.corners = faces[face[keep][order]]
        self.bary = bary[keep][order]
        self.sample_labels = label[keep][order]
        self.parts, self.starts = np.unique(self.sample_labels, return_index=True)
        self.ends = np.append(self.starts[1:], len(self.sample_labels))
        self.rest_samples = self.pose_samples(rest[None])[0]
        self.names = [PART_NAMES[p] for p in self.parts]
        self.allowed = np.array([[i < j and frozenset((a, b)) not in ADJACENT_PAIRS for j, b in enumerate(self.names)]
                                 for i, a in enumerate(self.names)])

    def pose_samples(self, vertices):
        """Sample positions (N, S, 3) on posed meshes (N, V, 3), ordered by part."""
        return np.einsum("sk,nskd->nsd", self.bary, np.asarray(vertices)[:, self.corners])

    def close_pairs(self, vertices):
        """Per pose, {(part_a, part_b): number of point pairs} for every candidate part pair with at least one
        close pair (threshold and rest-distance masks applied; no minimum count, no pruning)."""
        from scipy.spatial import cKDTree

        samples = self.pose_samples(vertices)
        low = np.minimum.reduceat(samples, self.starts, axis=1)
        high = np.maximum.reduceat(samples, self.starts, axis=1)
        gap = np.maximum(low[:, :, None] - high[:, None], low[:, None] - high[:, :, None]).max(axis=-1)
        candidates = (gap < self.threshold) & self.allowed
        out = []
        for n, pose in enumerate(samples):
            trees, counts = {}, {}
            for i, j in zip(*np.nonzero(candidates[n])):
                for p in (i, j):
                    if p not in trees:
                        trees[p] = cKDTree(pose[self.starts[p]:self.ends[p]])
                found = trees[i].sparse_distance_matrix(trees[j], self.threshold, output_type="ndarray")
                a, b = found["i"] + self.starts[i], found["j"] + self.starts[j]
                far = np.linalg.norm(self.rest_samples[a] - self.rest_samples[b], axis=1) > self.rest_distance
                if far.any():
                    counts[tuple(sorted((self.names[i], self.names[j])))] = int(far.sum())
            out.append(counts)
        return out

    def detect_counts(self, vertices):
        """Per pose, {(part_a, part_b): point pairs} of the reported contacts (min_pairs, inclusion pruning)."""
        return [prune_inclusions({pair: c for pair, c in counts.items() if c >= self.min_pairs})
                for counts in self.close_pairs(vertices)]

    def detect(self, vertices):
        """Posed meshes (N, V, 3) -> per pose, the sorted list of (part_a, part_b) in contact."""
        return [sorted(counts) for counts in self.detect_counts(vertices)]


@cache
def detector(body) -> ContactDetector:
    """The contact detector of a body (`body.create`), built once per process from its rest mesh and labels."""
    return ContactDetector(body.rest_vertices, body.faces, body.part_labels)


def detect_contacts(rotvecs, body=None, batch_size=64) -> list[list[tuple[str, str]]]:
    """Self-contacts of poses (N, 52|22, 3) axis-angle: per pose, sorted (part_a, part_b) pairs.

    Poses the mesh of `body` (default: the Anny body) in batches and runs its detector.
    """
    from .body import create

    body = body or create()
    found = detector(body)
    rotvecs = np.asarray(rotvecs)
    out = []
    for start in range(0, len(rotvecs), batch_size):
        out += found.detect(body.mesh(rotvecs[start:start + batch_size]).vertices)
    return out
