"""The synthetic source's people: Anny phenotypes (sex, age from children to elderly, build) and their look."""
import numpy as np

from posescript_pipeline.body.backends.anny import PHENOTYPES

AGE_GROUPS = (
    # (share, Anny age range): 1/3 is a child, 2/3 a young adult, 1 old
    (0.08, (0.15, 0.45)),   # children
    (0.07, (0.45, 0.62)),   # teenagers
    (0.75, (0.62, 0.92)),   # adults
    (0.10, (0.92, 1.00)),   # elderly
)
SHAPE_BETA = {"gender": (0.5, 0.5), "muscle": (2.0, 2.0), "weight": (2.0, 2.2), "height": (2.0, 2.0),
              "proportions": (2.0, 2.0)}
"""Beta(a, b) distribution of each phenotype other than age (gender is bimodal: 0 male, 1 female)."""
SKIN = np.array([(255, 224, 196), (241, 194, 167), (224, 172, 138), (198, 134, 98), (160, 104, 72), (110, 72, 50),
                 (80, 52, 38)], np.float32) / 255


def sample_phenotypes(rng, n):
    """(n, 6) float32 phenotypes in PHENOTYPES order."""
    shares = np.array([g[0] for g in AGE_GROUPS])
    group = rng.choice(len(AGE_GROUPS), n, p=shares / shares.sum())
    low, high = np.array([g[1] for g in AGE_GROUPS]).T
    age = rng.uniform(low[group], high[group])
    shape = {name: rng.beta(*ab, n) for name, ab in SHAPE_BETA.items()}
    return np.stack([age if name == "age" else shape[name] for name in PHENOTYPES], 1).astype(np.float32)


def subject_colours(rng):
    """A subject's look: skin, top, bottom and shoe colours (4, 3) floats, drawn from the subject's own generator."""
    skin = SKIN[rng.integers(len(SKIN))] * rng.uniform(0.92, 1.05)
    clothes = rng.uniform(0.08, 0.9, (3, 3)) * rng.uniform(0.3, 1.0, (3, 1))
    return np.clip(np.vstack([skin, clothes]), 0, 1).astype(np.float32)


SEX_OF_GENDER = ((1 / 3, "male"), (2 / 3, ""), (1.0, "female"))
"""Anny's gender phenotype (0 male, 1 female) -> the sex captions say: up to each bound (an intermediate body
has neutral words)."""


def sex_of(phenotypes: np.ndarray) -> np.ndarray:
    """(N,) "male", "female" or "" of phenotype rows (PHENOTYPES order)."""
    gender = np.asarray(phenotypes)[..., PHENOTYPES.index("gender")]
    bounds, sexes = zip(*SEX_OF_GENDER)
    return np.array(sexes)[np.searchsorted(bounds, gender, side="left").clip(0, len(sexes) - 1)]
