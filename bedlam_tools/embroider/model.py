"""PoseEmbroider and the Aligner baseline (spec sections 3 and 5) on frozen features.

Both expose the same interface: `references(features)` -> the L2-normalised modality embeddings
{m: (B, D)}, `query(references, subset)` -> {target m: (B, D)} query embeddings from a subset of the
modalities, and `loss_terms(features)` -> {(subset, target): symmetric InfoNCE}.
"""
from itertools import combinations

import torch
from torch import nn
from torch.nn import functional as F

from .config import MODALITIES, ModelConfig
from .losses import sym_info_nce

SINGLES = tuple((m,) for m in MODALITIES)
DUALS = tuple(combinations(MODALITIES, 2))
FULL = (MODALITIES,)


def mini_mlp(width: int, layers: int) -> nn.Sequential:
    """`layers` Linear(width, width) with ReLU between (and dropout before the last when layers > 2);
    truncated-normal (0.02) weights, zero biases."""
    modules = []
    for i in range(layers):
        linear = nn.Linear(width, width)
        nn.init.trunc_normal_(linear.weight, std=0.02)
        nn.init.zeros_(linear.bias)
        modules.append(linear)
        if i < layers - 1:
            modules.append(nn.ReLU())
    if layers > 2:
        modules.insert(-1, nn.Dropout(0.1))
    return nn.Sequential(*modules)


def adapter(width: int, d: int, layers: int, dropout: float) -> nn.Sequential:
    """`layers` Linear -> ReLU (the first from `width` to d), then Dropout."""
    modules = []
    for i in range(layers):
        modules += [nn.Linear(width if i == 0 else d, d), nn.ReLU()]
    return nn.Sequential(*modules, nn.Dropout(dropout))


class Projections(nn.Module):
    """Per modality: feature dropout (training noise), an adapter of Linear -> ReLU layers then Dropout (per
    image token, then mean over tokens), an optional external MLP, then L2 normalisation."""

    def __init__(self, widths: dict, config: ModelConfig, external_layers: int = 0):
        super().__init__()
        d = config.latent_d
        self.noise = nn.Dropout(config.feature_noise)
        depth = {"image": config.image_layers}
        self.inner = nn.ModuleDict({m: adapter(widths[m], d, depth.get(m, 1), config.dropout) for m in MODALITIES})
        self.external = nn.ModuleDict({m: mini_mlp(d, external_layers) if external_layers else nn.Identity()
                                       for m in MODALITIES})

    def forward_one(self, modality: str, features: torch.Tensor) -> torch.Tensor:
        x = self.inner[modality](self.noise(features))
        return F.normalize(self.external[modality](x.mean(1) if x.dim() == 3 else x), dim=-1)

    def forward(self, features: dict) -> dict:
        return {m: self.forward_one(m, features[m]) for m in MODALITIES}


class PoseEmbroider(nn.Module):
    """Global token + modality-encoded tokens -> down-projection, transformer, up-projection, LayerNorm ->
    token 0 = z; one re-projection head per modality."""

    def __init__(self, widths: dict, config: ModelConfig):
        super().__init__()
        d, half = config.latent_d, config.latent_d // 2
        self.config = config
        self.projections = Projections(widths, config)
        self.global_token = nn.Parameter(torch.randn(1, 1, d) * 1e-6)
        self.encodings = nn.ParameterDict({m: nn.Parameter(torch.zeros(1, 1, d)) for m in MODALITIES})
        layer = nn.TransformerEncoderLayer(half, config.core_heads, d, config.dropout, "gelu", batch_first=True)
        core = layer if config.core_layers == 1 else nn.TransformerEncoder(layer, config.core_layers,
                                                                           enable_nested_tensor=False)
        self.core = nn.Sequential(nn.Linear(d, half), core, nn.Linear(half, d), nn.LayerNorm(d, eps=1e-6))
        self.heads = nn.ModuleDict({m: mini_mlp(d, 2) for m in MODALITIES})
        self.temperature = nn.Parameter(torch.tensor(config.temperature))
        self.subsets = SINGLES + DUALS + (FULL if config.triplet else ())

    def references(self, features: dict) -> dict:
        return self.projections(features)

    def intermodality(self, references: dict, subset: tuple) -> torch.Tensor:
        """z (B, D) of a bundle [global token, (reference + encoding) of each modality of the subset]."""
        tokens = [references[m][:, None] + self.encodings[m] for m in subset]
        token = self.global_token.expand(len(tokens[0]), -1, -1)
        return self.core(torch.cat([token] + tokens, 1))[:, 0]

    def query(self, references: dict, subset: tuple) -> dict:
        z = self.intermodality(references, subset)
        return {m: F.normalize(self.heads[m](z), dim=-1) for m in MODALITIES}

    def loss_terms(self, features: dict) -> dict:
        references = self.references(features)
        targets = ({m: references[m] + self.encodings[m][0] for m in MODALITIES}
                   if self.config.published_leaky_targets else references)
        return {(subset, m): sym_info_nce(q, targets[m], self.temperature)
                for subset in self.subsets for m, q in self.query(references, subset).items()}


class Aligner(nn.Module):
    """Per-modality 3-layer external MLPs; a query is the re-normalised mean of the available embeddings."""

    def __init__(self, widths: dict, config: ModelConfig):
        super().__init__()
        self.projections = Projections(widths, config, external_layers=3)
        self.temperature = nn.Parameter(torch.tensor(config.temperature))
        self.subsets = SINGLES + DUALS + (FULL if config.triplet else ())

    def references(self, features: dict) -> dict:
        return self.projections(features)

    def query(self, references: dict, subset: tuple) -> dict:
        mix = F.normalize(torch.stack([references[m] for m in subset]).mean(0), dim=-1)
        return {m: mix for m in MODALITIES}

    def loss_terms(self, features: dict) -> dict:
        """Each single-to-single pair once, each pair's mix to the third modality (and the full mix to each)."""
        references = self.references(features)
        terms = {((a,), b): sym_info_nce(references[a], references[b], self.temperature) for a, b in DUALS}
        for subset in self.subsets[len(SINGLES):]:
            mix = self.query(references, subset)
            for m in MODALITIES:
                if m not in subset or len(subset) == len(MODALITIES):
                    terms[(subset, m)] = sym_info_nce(mix[m], references[m], self.temperature)
        return terms


MODELS = {"embroider": PoseEmbroider, "aligner": Aligner}


def build_model(widths: dict, config: ModelConfig) -> nn.Module:
    return MODELS[config.kind](widths, config)
