"""Sizes and settings of the instruction generator and of the PairText evaluator (saved as `config.json`).

Compact CPU defaults (spec 13.2); the published sizes are width 512, 4 layers, 8 heads, ff 1024, lr 1e-4.
"""
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..config import Checked

TRAIN_INPUTS = ("pose", "image", "mixed")
"""What the generator is fed in training: pose representations (published), image ones, or either at random."""


@dataclass
class GeneratorConfig(Checked):
    """TIRG fusion of (B, A) -> memory of length 1 -> transformer decoder over the instructions' words."""
    width: int = 128
    layers: int = 2
    heads: int = 4
    feedforward: int = 256
    dropout: float = 0.1
    max_tokens: int = 200  # words with the markers: longer training texts are cut, decoding stops there
    min_tokens: int = 10  # end of text forbidden before this many generated words (published: 10)
    train_on: str = "pose"
    epochs: int = 60
    batch_size: int = 64
    lr: float = 5e-4
    weight_decay: float = 1e-4
    val_fraction: float = 0.1  # of the train subjects (pose B's), held out for checkpoint selection by loss
    eval_every: int = 2
    seed: int = 1

    def __post_init__(self):
        from .. import EmbroiderError

        super().__post_init__()
        if self.train_on not in TRAIN_INPUTS:
            raise EmbroiderError(f"train_on={self.train_on!r}: expected one of {', '.join(TRAIN_INPUTS)}")
        if self.width % self.heads:
            raise EmbroiderError(f"width={self.width}: expected a multiple of heads={self.heads}")


@dataclass
class PairTextConfig(Checked):
    """Pose pair (A, B) <-> instruction retrieval (spec 8.3), trained on BEDLAM-Fix train pairs."""
    pose_width: int = 128  # hidden width of the pair branch (2x in its first layer)
    text_width: int = 128
    text_layers: int = 2
    text_heads: int = 4
    max_tokens: int = 256
    epochs: int = 60
    batch_size: int = 64
    lr: float = 5e-4
    seed: int = 1


def save(config, path: Path, **extra):
    Path(path).write_text(json.dumps({**asdict(config), **extra}, indent=1) + "\n")


def load(kind, path: Path):
    """(config of `kind`, the other values saved with it) from a `config.json`."""
    raw = json.loads(Path(path).read_text())
    known = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in raw.items() if k in known}), {k: v for k, v in raw.items() if k not in known}
