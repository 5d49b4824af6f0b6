"""Every size and setting of a run, as dataclasses saved with the run (`config.json`).

The defaults are the compact CPU configuration (spec section 13.2; width and epochs chosen on held-out
train subjects of a 5,000-pose synthetic set); a GPU user scales them up.
The `published_*` switches restore behaviours of the original code (spec section 3.8) that are
fixed by default.
"""
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

MODALITIES = ("image", "pose", "text")  # always in this (alphabetical) order


@dataclass
class EncoderConfig:
    """The three frozen uni-modal encoders and their pretraining."""
    image_size: tuple[int, int] = (64, 48)  # H, W the crops are resized to
    image_channels: tuple[int, ...] = (16, 32, 64, 128)  # one block each, halving the resolution
    image_block_depth: int = 2  # 3x3 convs per block
    pose_width: int = 128
    pose_latent: int = 32
    kl_free_bits: float = 10.0
    text_width: int = 64
    text_layers: int = 1
    text_heads: int = 4
    max_tokens: int = 160
    min_word_count: int = 1
    pose_epochs: int = 30
    text_epochs: int = 20
    image_epochs: int = 25
    batch_size: int = 64
    lr: float = 1e-3
    seed: int = 1


@dataclass
class ModelConfig:
    """PoseEmbroider / Aligner sizes (spec sections 3 and 5)."""
    kind: str = "embroider"  # or "aligner"
    latent_d: int = 256
    core_layers: int = 1
    core_heads: int = 4
    dropout: float = 0.1
    temperature: float = 10.0
    triplet: bool = False  # also train on the full {image, pose, text} bundle
    feature_noise: float = 0.0  # dropout on frozen features in training; 0.1 emulates train-mode encoders (3.8.2)
    published_leaky_targets: bool = False  # targets include the modality encodings (spec 3.8.1)


@dataclass
class TrainConfig:
    """Optimisation, validation and checkpointing."""
    epochs: int = 60
    batch_size: int = 64
    lr: float = 5e-4
    schedule: str = "cosine"  # "constant" is the published behaviour (spec 3.8.3)
    data_size: int = 0  # >0: fit on the first N training items only (the published --data_size)
    val_fraction: float = 0.1  # of the train subjects, held out for checkpoint selection
    validate_on: str = "holdout"  # "val" selects on the reported split, as published (spec 3.8.5)
    eval_every: int = 2
    seed: int = 1


def _from_dict(kind, values: dict):
    known = {f.name for f in fields(kind)}
    return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known})


def save_json(config, path: Path):
    Path(path).write_text(json.dumps(asdict(config), indent=1) + "\n")


@dataclass
class RunConfig:
    """A training run: the model, its optimisation, and the folder of the frozen encoders it uses."""
    encoders: str
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    @classmethod
    def load(cls, path: Path) -> "RunConfig":
        raw = json.loads(Path(path).read_text())
        return cls(raw["encoders"], _from_dict(ModelConfig, raw["model"]), _from_dict(TrainConfig, raw["train"]))


def load_encoder_config(path: Path) -> EncoderConfig:
    return _from_dict(EncoderConfig, json.loads(Path(path).read_text()))
