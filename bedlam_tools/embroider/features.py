"""The frozen encoders of an encoder folder, and their features of a data split, cached on disk.

Features: image (N, T, C) tokens, pose (N, W), text (N, 3, W) for the 3 captions. The encoders run in
eval mode (the published code ran them in train mode, see `TrainConfig.feature_noise`).
"""
import hashlib
import json
from pathlib import Path

import numpy as np
import torch

from .. import shards
from . import EmbroiderError
from .config import EncoderConfig, load_encoder_config
from .data import Items, Vocabulary, read_split
from .encoders import ImageEncoder, TextEncoder, pose_trunk

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
        self.pose_net = pose_trunk(self.config.pose_width)
        self.text_net = TextEncoder(self.config, len(self.vocabulary))
        self.image_net = ImageEncoder(self.config)
        for name, net in (("pose", self.pose_net), ("text", self.text_net), ("image", self.image_net)):
            net.load_state_dict(weights[name])
            net.eval().requires_grad_(False)

    def widths(self) -> dict:
        return {"image": self.image_net.width, "pose": self.config.pose_width, "text": self.config.text_width}

    @torch.no_grad()
    def pose(self, poses: np.ndarray) -> torch.Tensor:
        return _chunked(self.pose_net, torch.from_numpy(poses))

    @torch.no_grad()
    def image(self, images: np.ndarray) -> torch.Tensor:
        return _chunked(self.image_net, torch.from_numpy(images))

    @torch.no_grad()
    def text(self, captions: list[list[str]]) -> torch.Tensor:
        ids, lengths = map(torch.from_numpy, self.vocabulary.encode_captions(captions, self.config.max_tokens))
        flat = [self.text_net(ids.flatten(0, 1)[s:s + CHUNK], lengths.flatten()[s:s + CHUNK])
                for s in range(0, 3 * len(captions), CHUNK)]
        return torch.cat(flat).reshape(len(captions), 3, -1)

    def features(self, items: Items) -> dict:
        return {"image": self.image(items.images), "pose": self.pose(items.poses), "text": self.text(items.captions),
                "ids": items.ids.tolist(), "subjects": items.subjects.tolist()}


def _chunked(net, inputs: torch.Tensor) -> torch.Tensor:
    return torch.cat([net(inputs[s:s + CHUNK]) for s in range(0, len(inputs), CHUNK)])


def split_key(data_dir: Path, split: str) -> str:
    """A fingerprint of a split's shards: the sha256 the manifest records for each."""
    entry = shards.read_manifest(data_dir, "bedlam-script")["splits"].get(split, {"shards": []})
    listing = [(shard["file"], shard["sha256"]) for shard in entry["shards"]]
    return hashlib.sha256(json.dumps([str(Path(data_dir).resolve()), listing]).encode()).hexdigest()[:16]


def split_features(encoders: FrozenEncoders, data_dir: Path, split: str, items: Items | None = None) -> dict:
    """The frozen features of a split, computed once and cached in the encoder folder."""
    path = encoders.folder / "features" / f"{split}-{split_key(data_dir, split)}.pt"
    if path.exists():
        return torch.load(path, weights_only=True)
    if items is None:
        items = read_split(data_dir, split, encoders.config.image_size)
    features = encoders.features(items)
    path.parent.mkdir(exist_ok=True)
    torch.save(features, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)
    return features
