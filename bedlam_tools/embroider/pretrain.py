"""`embroider pretrain`: train the three uni-modal encoders on the train split, then freeze them.

* pose: the autoencoder (rotation + joint-position reconstruction on the Anny skeleton, KL with free bits);
* text: a PoseText-like pose<->text retrieval model (its own pose branch is discarded), on a bag of word n-grams
  (or a small transformer);
* image: the pretrained BlazePose landmark network (frozen as shipped: its trunk and landmark features of the
  crops, `vision.encoder_features`), or (`image_encoder=cnn`) a small CNN trained here to regress the pose.
The encoder folder holds `config.json`, `vocabulary.json`, `encoders.pt`, `pretrain.json` (times, losses)
and the cached frozen features (`features/`, the train split's computed here).
"""
import json
from dataclasses import asdict
from pathlib import Path

import torch
from torch import nn

from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from .config import EncoderConfig, resolved_epochs, save_json
from .data import Items, Vocabulary, read_split
from .encoders import ImageEncoder, PoseAutoencoder, pose_trunk, text_encoder, text_tables
from .features import FrozenEncoders, cached_blazepose_features, feature_scale, image_size, split_features
from .fitting import fit
from .geometry import Skeleton, axis_angle_to_matrix, matrix_from_6d
from .losses import pose_error, sym_info_nce
from .timing import Stopwatch


class PoseText(nn.Module):
    """Pose <-> text retrieval (spec 8.2): pose trunk -> bottleneck MLP, text encoder; both L2-normalised."""

    def __init__(self, config: EncoderConfig, vocabulary_size: int, ngram_keys: torch.Tensor):
        super().__init__()
        width = config.pose_width
        self.pose = nn.Sequential(pose_trunk(width), nn.Linear(width, config.pose_latent), nn.ReLU(),
                                  nn.Linear(config.pose_latent, config.text_width))
        self.text = text_encoder(config, vocabulary_size, ngram_keys)
        self.temperature = nn.Parameter(torch.tensor(10.0))

    def loss(self, poses, ids, lengths):
        pose = nn.functional.normalize(self.pose(poses), dim=-1)
        text = nn.functional.normalize(self.text(ids, lengths), dim=-1)
        return sym_info_nce(text, pose, self.temperature)


class PoseRegressor(nn.Module):
    """Image encoder + linear head to 22 6D rotations."""

    def __init__(self, config: EncoderConfig):
        super().__init__()
        self.encoder = ImageEncoder(config)
        self.head = nn.Linear(self.encoder.width, NUM_BODY_JOINTS * 6)

    def forward(self, images):
        return matrix_from_6d(self.head(self.encoder(images).mean(1)).reshape(-1, NUM_BODY_JOINTS, 6))


def train_pose(config: EncoderConfig, poses, rotations, joints, skeleton, **fit_args):
    autoencoder = PoseAutoencoder(config)

    def loss(idx):
        rec, posterior = autoencoder(poses[idx])
        kl = torch.distributions.kl_divergence(posterior, torch.distributions.Normal(0.0, 1.0)).sum(-1)
        return (pose_error(rec, rotations[idx], skeleton(rec), joints[idx])
                + kl.clamp_min(config.kl_free_bits).mean() / (NUM_BODY_JOINTS * 9))
    return autoencoder.trunk, fit(autoencoder, loss, epochs=config.pose_epochs, desc="pretrain pose", **fit_args)


def train_text(config: EncoderConfig, vocabulary: Vocabulary, captions, poses, **fit_args):
    ids, lengths = map(torch.from_numpy, vocabulary.encode_captions(captions, config.max_tokens))
    keys = text_tables(ids.flatten(0, 1), lengths.flatten(), config, len(vocabulary))
    posetext = PoseText(config, len(vocabulary), keys)
    pick = torch.Generator().manual_seed(config.seed)

    def loss(idx):
        k = torch.randint(3, (len(idx),), generator=pick)
        chosen = lengths[idx, k]
        return posetext.loss(poses[idx], ids[idx, k, :chosen.max()], chosen)
    return posetext.text, fit(posetext, loss, epochs=config.text_epochs, desc="pretrain text",
                              lengths=lengths.max(1).values, **fit_args)


def train_image(config: EncoderConfig, images, rotations, joints, skeleton, **fit_args):
    regressor = PoseRegressor(config)

    def loss(idx):
        predicted = regressor(images[idx])
        return pose_error(predicted, rotations[idx], skeleton(predicted), joints[idx])
    return regressor.encoder, fit(regressor, loss, epochs=config.image_epochs, desc="pretrain image", **fit_args)


def pretrain(data_dir: Path, out: Path, config: EncoderConfig, items: Items | None = None) -> dict:
    """Train and save the frozen encoders, cache the train features; returns wall seconds per stage."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(config.seed)
    clock, nets, losses = Stopwatch(), {}, {}
    with clock.stage("read"):
        items = items if items is not None else read_split(data_dir, "train", image_size(config))
        config = resolved_epochs(config, len(items))
        vocabulary = Vocabulary.build([c for caps in items.captions for c in caps], config.min_word_count)
        poses = torch.from_numpy(items.poses)
        skeleton = Skeleton()
        with torch.no_grad():
            rotations = axis_angle_to_matrix(poses)
            joints = skeleton(rotations)
    fit_args = dict(n_items=len(items), batch_size=config.batch_size, lr=config.lr, seed=config.seed)
    weights, image = {}, None
    with clock.stage("image"):
        if config.image_encoder == "cnn":
            images = torch.from_numpy(items.images)
            nets["image"], losses["image"] = train_image(config, images, rotations, joints, skeleton, **fit_args)
        else:  # frozen and pretrained: its features, standardised by this split's statistics
            raw = cached_blazepose_features(out, data_dir, "train", items.images, config)
            weights["image_scale"] = feature_scale(raw)
            image = (raw - weights["image_scale"][0]) / weights["image_scale"][1]
    with clock.stage("pose"):
        nets["pose"], losses["pose"] = train_pose(config, poses, rotations, joints, skeleton, **fit_args)
    with clock.stage("text"):
        nets["text"], losses["text"] = train_text(config, vocabulary, items.captions, poses, **fit_args)
    save_json(config, out / "config.json")
    vocabulary.save(out / "vocabulary.json")
    torch.save({**{name: net.state_dict() for name, net in nets.items()}, **weights}, out / "encoders.pt")
    with clock.stage("features"):
        split_features(FrozenEncoders(out), data_dir, "train", items, image)
    (out / "pretrain.json").write_text(json.dumps({**clock.record(), "epoch_losses": losses, "items": len(items),
                                                   "vocabulary": len(vocabulary), "config": asdict(config)},
                                                  indent=1) + "\n")
    return clock.wall
