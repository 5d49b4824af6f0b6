"""The three uni-modal encoders (frozen once pretrained) and the pose decoder of the autoencoder.

Frozen outputs (spec section 2): image -> a set of tokens (B, T, C) from the CNN's last feature map;
pose -> the autoencoder trunk's vector (B, W) before its Gaussian layer; text -> an MLP on the mean embedding
of the caption's word n-grams (B, W), or the masked mean of a small transformer over word embeddings.
Pose networks read `PoseInputs` (rotation matrices and forward-kinematics joints), not the raw axis-angle: the
captions speak of joint positions, which an MLP on axis-angle learns slowly (pose<->text recall on held-out
subjects 8.8 -> 13.8 after 3 epochs on 45k poses).
"""
import math

import torch
from torch import nn

from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from .config import EncoderConfig
from .data import PAD
from .geometry import Skeleton, axis_angle_to_matrix, matrix_from_6d


class PoseInputs(nn.Module):
    """(B, 22, 3) axis-angle -> (B, 22 x (9 + 3)): the rotation matrices and the joints of the default Anny
    skeleton's forward kinematics (no learnt weights)."""
    WIDTH = NUM_BODY_JOINTS * (9 + 3)
    JOINTS = slice(NUM_BODY_JOINTS * 9, None)  # where the joints lie in the output

    def __init__(self):
        super().__init__()
        self.skeleton = Skeleton()

    def forward(self, poses: torch.Tensor) -> torch.Tensor:
        rotations = axis_angle_to_matrix(poses)
        return torch.cat([rotations.flatten(1), self.skeleton(rotations).flatten(1)], -1)


def pose_trunk(width: int) -> nn.Sequential:
    """VPoser-like encoder trunk: 22x3 axis-angle -> `PoseInputs` -> `width` features."""
    return nn.Sequential(PoseInputs(), nn.BatchNorm1d(PoseInputs.WIDTH), nn.Linear(PoseInputs.WIDTH, width),
                         nn.LeakyReLU(0.01), nn.BatchNorm1d(width), nn.Dropout(0.1), nn.Linear(width, width),
                         nn.Linear(width, width))


class PoseAutoencoder(nn.Module):
    """VAE on the 22 body rotations: trunk -> Gaussian latent -> 6D rotations."""

    def __init__(self, config: EncoderConfig):
        super().__init__()
        width, latent = config.pose_width, config.pose_latent
        self.trunk = pose_trunk(width)
        self.mu, self.scale = nn.Linear(width, latent), nn.Linear(width, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, width), nn.LeakyReLU(0.01), nn.Dropout(0.1),
                                     nn.Linear(width, width), nn.LeakyReLU(0.01), nn.Linear(width, NUM_BODY_JOINTS * 6))

    def forward(self, poses: torch.Tensor):
        """Poses (B, 22, 3) -> (reconstructed rotation matrices (B, 22, 3, 3), posterior)."""
        hidden = self.trunk(poses)
        posterior = torch.distributions.Normal(self.mu(hidden), nn.functional.softplus(self.scale(hidden)) + 1e-6)
        latent = posterior.rsample() if self.training else posterior.mean
        return matrix_from_6d(self.decoder(latent).reshape(-1, NUM_BODY_JOINTS, 6)), posterior


def sinusoids(length: int, width: int) -> torch.Tensor:
    position = torch.arange(length, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, width, 2, dtype=torch.float32) * (-math.log(10000.0) / width))
    table = torch.zeros(length, width)
    table[:, 0::2], table[:, 1::2] = torch.sin(position * freq), torch.cos(position * freq)
    return table


class TextEncoder(nn.Module):
    """Word embeddings + sinusoidal positions -> transformer encoder -> masked mean, (B, W).
    Dropout 0.1 on the embeddings, the attention output and the feed-forward, none on attention weights."""

    def __init__(self, config: EncoderConfig, vocabulary_size: int):
        super().__init__()
        width = config.text_width
        self.embed = nn.Embedding(vocabulary_size, width, padding_idx=PAD)
        self.register_buffer("positions", sinusoids(config.max_tokens, width), persistent=False)
        self.dropout = nn.Dropout(0.1)
        layer = nn.TransformerEncoderLayer(width, config.text_heads, 2 * width, 0.1, "gelu", batch_first=True)
        layer.self_attn.dropout = 0.0  # lets torch use its fused CPU attention
        self.transformer = nn.TransformerEncoder(layer, config.text_layers, enable_nested_tensor=False)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        mask = torch.arange(ids.shape[1], device=ids.device)[None] < lengths[:, None]
        x = self.dropout(self.embed(ids) * math.sqrt(self.embed.embedding_dim) + self.positions[:ids.shape[1]])
        x = self.transformer(x, src_key_padding_mask=~mask)
        return (x * mask[..., None]).sum(1) / lengths[:, None]


class NgramTextEncoder(nn.Module):
    """Bag of word n-grams: the mean embedding of the caption's 1- to `text_ngrams`-word n-grams that are in the
    table of known ones (`keys`, seen at least `ngram_min_count` times in the training captions) -> LayerNorm ->
    Linear -> GELU -> Dropout -> Linear, (B, W). The rule-made captions are phrases ("the left knee is bent"),
    which n-grams catch directly: pose<->text recall on held-out subjects of the default build 22.2 with the
    transformer (6 epochs, 1,059 s) against 35.2 with n-grams (3 epochs, 17 s) and 61.0 (40 epochs, about 5 min)."""

    def __init__(self, config: EncoderConfig, vocabulary_size: int, keys: torch.Tensor):
        super().__init__()
        self.ngrams, self.base = config.text_ngrams, vocabulary_size + 1
        self.register_buffer("keys", keys)  # sorted int64 keys (`ngram_keys`) of the known n-grams
        self.bag = nn.EmbeddingBag(len(keys) + 1, config.text_bag_width, mode="mean", padding_idx=0)
        nn.init.normal_(self.bag.weight, std=0.1)
        width = config.text_width
        self.mlp = nn.Sequential(nn.LayerNorm(config.text_bag_width), nn.Linear(config.text_bag_width, 2 * width),
                                 nn.GELU(), nn.Dropout(0.1), nn.Linear(2 * width, width))

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        keys = ngram_keys(ids, lengths, self.ngrams, self.base)
        slot = torch.searchsorted(self.keys, keys).clamp_max(max(len(self.keys) - 1, 0))
        known = (keys > 0) & (self.keys[slot] == keys) if len(self.keys) else torch.zeros_like(keys, dtype=torch.bool)
        return self.mlp(self.bag(torch.where(known, slot + 1, 0)))


def ngram_keys(ids: torch.Tensor, lengths: torch.Tensor, ngrams: int, base: int) -> torch.Tensor:
    """(B, L) word ids -> (B, M) int64 keys of every 1- to `ngrams`-word n-gram inside the lengths (0 elsewhere):
    the n-gram's ids + 1 as digits in `base` (> every id + 1), so n-grams of different lengths never collide."""
    if base ** ngrams >= 2 ** 62:
        raise ValueError(f"{ngrams}-grams of a {base - 1}-word vocabulary do not fit 64-bit keys")
    length = ids.shape[1]
    keys = []
    for n in range(1, ngrams + 1):
        key = torch.zeros(ids.shape[0], max(length - n + 1, 0), dtype=torch.int64, device=ids.device)
        for j in range(n):
            key = key * base + ids[:, j:length - n + 1 + j] + 1
        inside = torch.arange(key.shape[1], device=ids.device)[None] + n <= lengths[:, None]
        keys.append(torch.where(inside, key, 0))
    return torch.cat(keys, 1)


def known_ngrams(ids: torch.Tensor, lengths: torch.Tensor, config: EncoderConfig, vocabulary_size: int,
                 chunk: int = 4096) -> torch.Tensor:
    """Sorted keys of the n-grams seen at least `config.ngram_min_count` times in the captions (ids (N, L))."""
    found, counts = [], []
    for start in range(0, len(ids), chunk):
        keys = ngram_keys(ids[start:start + chunk], lengths[start:start + chunk], config.text_ngrams,
                          vocabulary_size + 1)
        unique, count = torch.unique(keys[keys > 0], return_counts=True)
        found.append(unique), counts.append(count)
    unique, where = torch.unique(torch.cat(found), return_inverse=True)
    total = torch.zeros(len(unique), dtype=torch.int64).index_add_(0, where, torch.cat(counts))
    return unique[total >= config.ngram_min_count]


def no_tables(ids, lengths, config, vocabulary_size) -> torch.Tensor:
    """The transformer reads word ids directly: no n-gram table."""
    return torch.zeros(0, dtype=torch.int64)


TEXT_ENCODERS = {"ngrams": (NgramTextEncoder, known_ngrams),
                 "transformer": (lambda config, size, keys: TextEncoder(config, size), no_tables)}
"""`EncoderConfig.text_encoder` -> (the class, taking (config, vocabulary size, n-gram keys); the function giving
those keys from the training captions' (ids, lengths, config, vocabulary size))."""


def text_encoder(config: EncoderConfig, vocabulary_size: int, keys: torch.Tensor | None = None) -> nn.Module:
    """The configured text encoder (`keys`: its n-gram table, from `text_tables` or a saved state)."""
    return TEXT_ENCODERS[config.text_encoder][0](config, vocabulary_size,
                                                 torch.zeros(0, dtype=torch.int64) if keys is None else keys)


def text_tables(ids: torch.Tensor, lengths: torch.Tensor, config: EncoderConfig, vocabulary_size: int) -> torch.Tensor:
    """The n-gram keys the configured text encoder needs, from the training captions (ids (N, L))."""
    return TEXT_ENCODERS[config.text_encoder][1](ids, lengths, config, vocabulary_size)


class ImageEncoder(nn.Module):
    """Small CNN on [0, 1] RGB crops: blocks of 3x3 convs (the first of stride 2); the last feature map's cells
    are the tokens."""

    def __init__(self, config: EncoderConfig):
        super().__init__()
        blocks, channels = [], 3
        for out in config.image_channels:
            for i in range(config.image_block_depth):
                blocks += [nn.Conv2d(channels, out, 3, stride=2 if i == 0 else 1, padding=1, bias=False),
                           nn.BatchNorm2d(out), nn.ReLU()]
                channels = out
        self.net = nn.Sequential(*blocks)
        self.width = channels

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) uint8 -> (B, T, C) tokens."""
        return self.net(images.float() / 255).flatten(2).transpose(1, 2)
