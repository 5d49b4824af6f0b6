"""The frozen encoders of an encoder folder, and their features of a data split, cached on disk.

Features: image (N, W) from the pretrained BlazePose network (`vision.encoder_features`, standardised by the
train split's mean and deviation) or (N, T, C) tokens of the small CNN, pose (N, W), text (N, 3, W) for the 3
captions. The encoders run in eval mode (the published code ran them in train mode, see
`TrainConfig.feature_noise`).
"""
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import torch

from .. import shards
from . import EmbroiderError
from .config import EncoderConfig, load_encoder_config
from .data import Items, Vocabulary, read_split
from .encoders import ImageEncoder, pose_trunk, text_encoder

CHUNK = 256


class FrozenEncoders:
    """The three pretrained encoders of a folder, in eval mode, without gradients."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        if not (folder / "encoders.pt").exists():
            raise EmbroiderError(f"{folder}: no pretrained encoders (encoders.pt); run `embroider pretrain` first")
        self.folder = folder
        self.config: EncoderConfig = load_encoder_config(folder / "config.json")
        self.vocabulary = Vocabulary.load(folder / "vocabulary.json")
        weights = torch.load(folder / "encoders.pt", weights_only=True)
        self.fingerprint = hashlib.sha256((folder / "encoders.pt").read_bytes()).hexdigest()[:12]
        self.pose_net = pose_trunk(self.config.pose_width)
        self.text_net = text_encoder(self.config, len(self.vocabulary), weights["text"].get("keys"))
        self.image_net = ImageEncoder(self.config) if self.config.image_encoder == "cnn" else None
        for name, net in (("pose", self.pose_net), ("text", self.text_net), ("image", self.image_net)):
            if net is not None:
                net.load_state_dict(weights[name])
                net.eval().requires_grad_(False)
        self.image_scale = weights.get("image_scale")  # (2, W) mean and deviation of the train split's features

    def widths(self) -> dict:
        from ..vision import ENCODER_WIDTH

        image = self.image_net.width if self.image_net is not None else ENCODER_WIDTH
        return {"image": image, "pose": self.config.pose_width, "text": self.config.text_width}

    @torch.no_grad()
    def pose(self, poses: np.ndarray) -> torch.Tensor:
        return _chunked(self.pose_net, torch.from_numpy(poses))

    @torch.no_grad()
    def image(self, images) -> torch.Tensor:
        """Image features of decoded crops (cnn) or of encoded crops (blazepose: a missed person is a zero
        vector with its found flag 0, then standardised)."""
        if self.image_net is not None:
            return _chunked(self.image_net, torch.from_numpy(images))
        return self.standardise(blazepose_features(images, self.config))

    def standardise(self, raw: torch.Tensor) -> torch.Tensor:
        """Raw BlazePose features standardised by the train split's mean and deviation."""
        if self.image_scale is None:
            raise EmbroiderError(f"{self.folder}: encoders.pt has no image feature scale; pretrain again")
        return (raw - self.image_scale[0]) / self.image_scale[1]

    @torch.no_grad()
    def text(self, captions: list[list[str]]) -> torch.Tensor:
        ids, lengths = map(torch.from_numpy, self.vocabulary.encode_captions(captions, self.config.max_tokens))
        flat = [self.text_net(ids.flatten(0, 1)[s:s + CHUNK], lengths.flatten()[s:s + CHUNK])
                for s in range(0, 3 * len(captions), CHUNK)]
        return torch.cat(flat).reshape(len(captions), 3, -1)

    def features(self, items: Items, image: torch.Tensor | None = None) -> dict:
        """Every modality's features of the items (`image`: their image features when already computed)."""
        return {"image": self.image(items.images) if image is None else image, "pose": self.pose(items.poses),
                "text": self.text(items.captions), "ids": items.ids.tolist(), "subjects": items.subjects.tolist()}


def blazepose_features(images, config: EncoderConfig) -> torch.Tensor:
    """(N, W) raw BlazePose features of encoded crops, on `config.feature_workers` processes (0: every core)."""
    from ..vision import encoder_features

    features, _ = encoder_features(images, workers=config.feature_workers or os.cpu_count() or 1, progress=True)
    return torch.from_numpy(features)


def cached_blazepose_features(folder: Path, data_dir: Path, split: str, images, config: EncoderConfig) -> torch.Tensor:
    """`blazepose_features` of a split's crops, computed once and kept in `folder/features` (they depend on the
    crops only, so an interrupted pretraining does not compute them again)."""
    path = Path(folder) / "features" / f"blazepose-{split}-{split_key(data_dir, split)}.pt"
    if path.exists():
        return torch.load(path, weights_only=True)
    raw = blazepose_features(images, config)
    _save(raw, path)
    return raw


def feature_scale(features: torch.Tensor) -> torch.Tensor:
    """(2, W) mean and deviation (at least 1e-3) of features, to standardise every split alike."""
    return torch.stack([features.mean(0), features.std(0).clamp_min(1e-3)])


def _chunked(net, inputs: torch.Tensor) -> torch.Tensor:
    return torch.cat([net(inputs[s:s + CHUNK]) for s in range(0, len(inputs), CHUNK)])


def split_key(data_dir: Path, split: str) -> str:
    """A fingerprint of a split's shards: the sha256 the manifest records for each."""
    entry = shards.read_manifest(data_dir, "bedlam-script")["splits"].get(split, {"shards": []})
    listing = [(shard["file"], shard["sha256"]) for shard in entry["shards"]]
    return hashlib.sha256(json.dumps([str(Path(data_dir).resolve()), listing]).encode()).hexdigest()[:16]


def image_size(config: EncoderConfig) -> tuple[int, int] | None:
    """The size crops are decoded to (cnn), or None: kept encoded for the BlazePose network."""
    return tuple(config.image_size) if config.image_encoder == "cnn" else None


def split_features(encoders: FrozenEncoders, data_dir: Path, split: str, items: Items | None = None,
                   image: torch.Tensor | None = None) -> dict:
    """The frozen features of a split, computed once and cached in the encoder folder, keyed by the split's
    shards and the encoders' weights (`items` and `image`: already read)."""
    path = encoders.folder / "features" / f"{split}-{split_key(data_dir, split)}-{encoders.fingerprint}.pt"
    if path.exists():
        return torch.load(path, weights_only=True)
    if items is None:
        items = read_split(data_dir, split, image_size(encoders.config))
    if image is None and encoders.image_net is None:
        image = encoders.standardise(cached_blazepose_features(encoders.folder, data_dir, split, items.images,
                                                               encoders.config))
    features = encoders.features(items, image)
    _save(features, path)
    return features


def _save(value, path: Path):
    path.parent.mkdir(exist_ok=True)
    torch.save(value, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)
