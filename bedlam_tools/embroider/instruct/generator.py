"""The instruction generator (spec 11.1): TIRG fusion of the representations of B (main) and A (modifier),
a one-token memory, and a transformer decoder over the instructions' words; greedy decoding.
"""
import re

import torch
from torch import nn
from torch.nn import functional as F

from ..data import BOS, EOS, PAD, UNK, Vocabulary
from ..encoders import sinusoids
from .config import GeneratorConfig

_GLUE = ((re.compile(r" ([.,;:!?)])"), r"\1"), (re.compile(r"\( "), "("), (re.compile(r" ?([-'/]) ?"), r"\1"))
_SENTENCE_START = re.compile(r"(^|[.!?] )([a-z])")


class TIRG(nn.Module):
    """out = sigmoid(gate([B, A])) * B * a0 + residual([B, A]) * a1, with learnable a = (1, 1)."""

    def __init__(self, width: int):
        super().__init__()
        self.gate = nn.Sequential(nn.BatchNorm1d(2 * width), nn.ReLU(), nn.Linear(2 * width, width))
        self.residual = nn.Sequential(nn.BatchNorm1d(2 * width), nn.ReLU(), nn.Linear(2 * width, 2 * width),
                                      nn.ReLU(), nn.Linear(2 * width, width))
        self.weights = nn.Parameter(torch.ones(2))

    def forward(self, main: torch.Tensor, modifier: torch.Tensor) -> torch.Tensor:
        x = torch.cat([main, modifier], -1)
        return torch.sigmoid(self.gate(x)) * main * self.weights[0] + self.residual(x) * self.weights[1]


class InstructionGenerator(nn.Module):
    """(representation of A, of B) -> next-word logits of the instruction from A to B."""

    def __init__(self, feature_width: int, vocabulary_size: int, config: GeneratorConfig):
        super().__init__()
        width = config.width
        self.config = config
        self.fusion = TIRG(feature_width)
        self.adapter = nn.Linear(feature_width, width)
        self.embed = nn.Embedding(vocabulary_size, width, padding_idx=PAD)
        self.register_buffer("positions", sinusoids(config.max_tokens, width), persistent=False)
        self.dropout = nn.Dropout(config.dropout)
        layer = nn.TransformerDecoderLayer(width, config.heads, config.feedforward, config.dropout, "gelu",
                                           batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, config.layers)
        self.output = nn.Linear(width, vocabulary_size)

    def memory(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        """(B, 1, width) memory the decoder attends to."""
        return self.adapter(self.fusion(b, a))[:, None]

    def logits(self, memory: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        """(B, L, V) next-word logits after each of the L words `ids` (causal; padding is masked by the loss)."""
        length = ids.shape[1]
        x = self.dropout(self.embed(ids) * self.embed.embedding_dim ** 0.5 + self.positions[:length])
        causal = torch.ones(length, length, dtype=torch.bool, device=ids.device).triu(1)
        return self.output(self.decoder(x, memory, tgt_mask=causal, tgt_is_causal=True,
                                        tgt_key_padding_mask=ids == PAD))

    def loss(self, a: torch.Tensor, b: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: mean cross-entropy of each next word (padding ignored)."""
        logits = self.logits(self.memory(a, b), ids[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten(), ignore_index=PAD)

    def step(self, memory: torch.Tensor, word: torch.Tensor, cache: list[torch.Tensor]) -> torch.Tensor:
        """Next-word logits (B, V) after one more word (B,), given `cache`, each layer's inputs at the previous
        positions (extended in place): the last position of `logits` in eval mode, without recomputing the prefix."""
        position = cache[0].shape[1] if cache else 0
        x = self.embed(word)[:, None] * self.embed.embedding_dim ** 0.5 + self.positions[position]
        for k, layer in enumerate(self.decoder.layers):
            if len(cache) <= k:
                cache.append(x)
            else:
                cache[k] = torch.cat([cache[k], x], 1)
            x = layer.norm1(x + layer.self_attn(x, cache[k], cache[k], need_weights=False)[0])
            x = layer.norm2(x + layer.multihead_attn(x, memory, memory, need_weights=False)[0])
            x = layer.norm3(x + layer.linear2(layer.activation(layer.linear1(x))))
        return self.output(x[:, 0])

    @torch.no_grad()
    def generate(self, a: torch.Tensor, b: torch.Tensor) -> tuple[list[list[int]], torch.Tensor]:
        """Greedy decoding from <bos> (eval mode): (word ids of each text without markers, mean log-probability
        per word). <eos> is forbidden before `min_tokens` words; <pad>, <bos> and <unk> are never produced."""
        if self.training:
            raise RuntimeError("generate() decodes in eval mode only (no dropout in the cached steps)")
        memory = self.memory(a, b)
        word = torch.full((len(a),), BOS, dtype=torch.long, device=a.device)
        done = torch.zeros(len(a), dtype=torch.bool, device=a.device)
        score, lengths = torch.zeros(len(a), device=a.device), torch.zeros(len(a), device=a.device)
        cache, words = [], []
        for step in range(self.config.max_tokens - 1):
            logprobs = self.step(memory, word, cache).log_softmax(-1)
            logprobs[:, [PAD, BOS, UNK]] = -torch.inf
            if step < self.config.min_tokens:
                logprobs[:, EOS] = -torch.inf
            best, word = logprobs.max(-1)
            word = torch.where(done, PAD, word)
            score += torch.where(done, 0.0, best)
            lengths += (~done).float()
            words.append(word)
            done |= word == EOS
            if done.all():
                break
        texts = [[w for w in row if w not in (PAD, EOS)] for row in torch.stack(words, 1).tolist()]
        return texts, score / lengths


def detokenize(words: list[str]) -> str:
    """Words (as `data.words` splits them) -> a text: punctuation glued, sentences capitalised."""
    text = " ".join(words)
    for pattern, replacement in _GLUE:
        text = pattern.sub(replacement, text)
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def decode(vocabulary: Vocabulary, texts: list[list[int]]) -> list[str]:
    return [detokenize([vocabulary.tokens[w] for w in row]) for row in texts]
