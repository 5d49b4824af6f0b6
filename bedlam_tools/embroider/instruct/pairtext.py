"""PairText (spec 8.3): pose pair (A, B) <-> instruction retrieval, trained on the BEDLAM-Fix train pairs; it
scores generated instructions (R-precision). Independent of the models it judges: its own pair branch on the
pairs' raw 22 body rotations and its own text encoder over the instructions' words.

Pair branch (a compact substitute for the published PoseText trunks on A and B, which need far more pairs):
the rotation matrices of A and B, their joints by forward kinematics and the joint displacement B - A, through
an MLP; the instructions mostly say where body parts move, which the displacement gives directly.

Folder: `config.json`, `vocabulary.json`, `pairtext.pt`, `train.json` (losses, times).
"""
import json
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from posescript_pipeline.skeleton import NUM_BODY_JOINTS

from .. import EmbroiderError
from ..config import EncoderConfig
from ..data import Vocabulary
from ..encoders import PoseInputs, TextEncoder
from ..fitting import fit
from ..losses import sym_info_nce
from ..runs import device
from ..timing import Stopwatch
from . import config as settings
from .config import PairTextConfig
from .pairs import read_pairs
from .train import TEXTS, instruction_ids

CHUNK = 256


PAIR_WIDTH = 2 * PoseInputs.WIDTH + NUM_BODY_JOINTS * 3
"""Pair features: `PoseInputs` of A and B (rotation matrices, joints), joint displacement B - A."""


class PairText(nn.Module):
    """Pairs: [rotations A, B; joints A, B, B - A] -> BatchNorm, 3 Linear with LeakyReLU between -> L2n.
    Texts: word embeddings -> transformer encoder -> masked mean -> L2n. Learnable temperature (init 10)."""

    def __init__(self, config: PairTextConfig, vocabulary_size: int):
        super().__init__()
        w, d = config.pose_width, config.text_width
        self.inputs = PoseInputs()
        self.pair = nn.Sequential(nn.BatchNorm1d(PAIR_WIDTH), nn.Linear(PAIR_WIDTH, 2 * w), nn.LeakyReLU(),
                                  nn.Linear(2 * w, d), nn.LeakyReLU(), nn.Linear(d, d))
        self.text = TextEncoder(EncoderConfig(text_width=d, text_layers=config.text_layers,
                                              text_heads=config.text_heads, max_tokens=config.max_tokens),
                                vocabulary_size)
        self.temperature = nn.Parameter(torch.tensor(10.0))

    def pairs(self, poses_a: torch.Tensor, poses_b: torch.Tensor) -> torch.Tensor:
        """(B, 22, 3) axis-angle poses A and B -> (B, D) L2-normalised pair embeddings."""
        a, b = self.inputs(poses_a), self.inputs(poses_b)
        x = torch.cat([a, b, b[:, PoseInputs.JOINTS] - a[:, PoseInputs.JOINTS]], -1)
        return F.normalize(self.pair(x), dim=-1)

    def texts(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.text(ids, lengths), dim=-1)


class PairTextScorer:
    """A trained PairText in eval mode: embeddings of pose pairs and of texts, chunked."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        if not (folder / "pairtext.pt").exists():
            raise EmbroiderError(f"{folder}: no PairText model (pairtext.pt); train one with `embroider pairtext-train`")
        self.config, _ = settings.load(PairTextConfig, folder / "config.json")
        self.vocabulary = Vocabulary.load(folder / "vocabulary.json")
        self.model = PairText(self.config, len(self.vocabulary))
        self.model.load_state_dict(torch.load(folder / "pairtext.pt", map_location="cpu", weights_only=True))
        self.model.to(device()).eval().requires_grad_(False)

    @torch.no_grad()
    def pairs(self, poses_a, poses_b) -> torch.Tensor:
        a, b = (torch.as_tensor(p).to(device()) for p in (poses_a, poses_b))
        return torch.cat([self.model.pairs(a[s:s + CHUNK], b[s:s + CHUNK]) for s in range(0, len(a), CHUNK)]).cpu()

    @torch.no_grad()
    def texts(self, texts: list[str]) -> torch.Tensor:
        ids, lengths = (torch.from_numpy(x).to(device()) for x in self.vocabulary.encode(texts, self.config.max_tokens))
        return torch.cat([self.model.texts(ids[s:s + CHUNK, :lengths[s:s + CHUNK].max()], lengths[s:s + CHUNK])
                          for s in range(0, len(texts), CHUNK)]).cpu()


def train_pairtext(pairs_dir: Path, out: Path, config: PairTextConfig) -> dict:
    """Train PairText on the train pairs (a random one of each pair's instructions per step) and save it."""
    out = Path(out)
    if (out / "pairtext.pt").exists():
        raise EmbroiderError(f"{out} already holds a PairText model; use another --out")
    clock = Stopwatch()
    with clock.stage("read"):
        pairs = read_pairs(pairs_dir, "train")
        vocabulary = Vocabulary.build([t for row in pairs.instructions for t in row])
        ids, lengths = instruction_ids(vocabulary, pairs.instructions, config.max_tokens)
        poses_a, poses_b = torch.from_numpy(pairs.poses_a), torch.from_numpy(pairs.poses_b)
    torch.manual_seed(config.seed)
    model = PairText(config, len(vocabulary)).to(device())
    pick = torch.Generator().manual_seed(config.seed)

    def loss(batch):
        k = torch.randint(TEXTS, (len(batch),), generator=pick)
        chosen = lengths[batch, k]
        texts = model.texts(ids[batch, k, :chosen.max()].to(device()), chosen.to(device()))
        return sym_info_nce(texts, model.pairs(poses_a[batch].to(device()), poses_b[batch].to(device())),
                            model.temperature)

    with clock.stage("epochs"):
        losses = fit(model, loss, len(pairs), config.epochs, config.batch_size, config.lr, config.seed,
                     "train PairText", lengths.max(1).values)
    out.mkdir(parents=True, exist_ok=True)
    settings.save(config, out / "config.json", pairs=str(Path(pairs_dir).resolve()))
    vocabulary.save(out / "vocabulary.json")
    torch.save(model.cpu().state_dict(), out / "pairtext.pt")
    summary = {**clock.record(), "epoch_losses": losses, "pairs": len(pairs), "vocabulary": len(vocabulary)}
    (out / "train.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary
