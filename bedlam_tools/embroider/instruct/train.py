"""`embroider instruct-train`: fit the instruction generator on the cached frozen representations of the
BEDLAM-Fix train pairs, with teacher forcing, a random one of the pair's instructions each time.

Checkpoints: `checkpoint_last.pt` every epoch and `checkpoint_best.pt` by the loss on pairs whose pose B shows a
held-out train subject (pairs touching those subjects otherwise are not fitted); resume from the last one.
The folder also holds `config.json` (with the PoseEmbroider/Aligner run, pairs and script folders),
`vocabulary.json`, `log.jsonl`, `train.json` and the cached representations (`features/`).
"""
import json
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from .. import EmbroiderError
from ..data import Vocabulary, holdout_by_subject
from ..fitting import batches, cosine_decay, log_epoch, optimise
from ..runs import checkpoint_path, device, load_config, load_training_state, save_training_state
from ..timing import Stopwatch
from . import config as settings
from .config import GeneratorConfig
from .generator import InstructionGenerator
from .pairs import INPUT_MODALITIES, pair_rows, read_pairs, script_folder, split_representations

TEXTS = 3


def instruction_ids(vocabulary: Vocabulary, instructions: list[list[str]], max_tokens: int):
    """(ids (P, 3, L), lengths (P, 3)) of each pair's instructions (fewer than 3 are repeated)."""
    texts = [[row[k % len(row)] for k in range(TEXTS)] for row in instructions]
    return map(torch.from_numpy, vocabulary.encode_captions(texts, max_tokens))


def load_generator(folder: Path, which: str = "best"):
    """(config, saved run/pairs/script folders, vocabulary, generator in eval mode on the default device)."""
    folder = Path(folder)
    if not (folder / "config.json").exists():
        raise EmbroiderError(f"{folder}: not an instruction generator (no config.json); train one with "
                             "`embroider instruct-train`")
    config, sources = settings.load(GeneratorConfig, folder / "config.json")
    path = checkpoint_path(folder, which)
    if not path.exists():
        raise EmbroiderError(f"{folder}: no {path.name} (is the generator trained?)")
    vocabulary = Vocabulary.load(folder / "vocabulary.json")
    model = InstructionGenerator(sources["feature_width"], len(vocabulary), config)
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True)["model"])
    return config, sources, vocabulary, model.to(device()).eval()


class GeneratorTrainer:
    def __init__(self, folder: Path, config: GeneratorConfig, sources: dict):
        self.folder, self.config, self.sources = Path(folder), config, sources
        pairs_dir = Path(sources["pairs"])
        pairs = read_pairs(pairs_dir, "train")
        representations = split_representations(sources["run"], sources["script"], "train", self.folder / "features")
        self.features = torch.stack([representations[m] for m in INPUT_MODALITIES]).to(device())  # (2, N, D)
        a, b = pair_rows(pairs, representations["ids"], str(pairs_dir))
        self.a, self.b = torch.as_tensor(a), torch.as_tensor(b)
        subjects = np.asarray(representations["subjects"])
        fit, held = holdout_by_subject(subjects[b], config.val_fraction, config.seed)
        self.fit = fit[~np.isin(subjects[a][fit], subjects[b][held])]
        self.held = held
        if len(self.fit) == 0:
            raise EmbroiderError(f"{pairs_dir}: no train pairs left to fit after holding out subjects")
        vocabulary_path = self.folder / "vocabulary.json"
        self.vocabulary = (Vocabulary.load(vocabulary_path) if vocabulary_path.exists() else
                           Vocabulary.build([t for row in pairs.instructions for t in row]))
        self.ids, self.lengths = instruction_ids(self.vocabulary, pairs.instructions, config.max_tokens)
        torch.manual_seed(config.seed)
        self.sources["feature_width"] = self.features.shape[-1]
        self.model = InstructionGenerator(self.features.shape[-1], len(self.vocabulary), config).to(device())
        self.optimiser = torch.optim.Adam(self.model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
        self.batch_size = min(config.batch_size, len(self.fit))
        self.steps_per_epoch = len(self.fit) // self.batch_size
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimiser, cosine_decay(config.epochs * self.steps_per_epoch))
        self.epoch, self.best = 0, float("inf")

    def inputs(self, pairs: torch.Tensor, generator: torch.Generator | None):
        """Representations of A and B of some pairs: poses, images, or (mixed) either at random per side."""
        n = len(pairs)
        choice = {"image": torch.zeros(2, n, dtype=torch.long), "pose": torch.ones(2, n, dtype=torch.long)}.get(
            self.config.train_on)
        if choice is None:
            choice = torch.randint(2, (2, n), generator=generator)
        choice = choice.to(device())
        rows = [self.a[pairs].to(device()), self.b[pairs].to(device())]
        return [self.features[choice[side], rows[side]] for side in range(2)]

    def texts(self, pairs: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        lengths = self.lengths[pairs, k]
        return self.ids[pairs, k, :lengths.max()].to(device())

    def train_epoch(self) -> float:
        generator = torch.Generator().manual_seed(self.config.seed * 100_003 + self.epoch)
        fit = torch.as_tensor(self.fit)
        order = batches(len(fit), self.batch_size, generator, self.lengths[fit].max(1).values)
        self.model.train()
        total = 0.0
        bar = tqdm(order, desc=f"epoch {self.epoch + 1}/{self.config.epochs}", unit="step", leave=False)
        for batch in bar:
            pairs = fit[batch]
            a, b = self.inputs(pairs, generator)
            loss = self.model.loss(a, b, self.texts(pairs, torch.randint(TEXTS, (len(pairs),), generator=generator)))
            value = optimise(loss, self.optimiser, self.scheduler, f"epoch {self.epoch + 1}")
            total += value
            bar.set_postfix(loss=f"{value:.3f}")
        return total / len(order)

    @torch.no_grad()
    def validation_loss(self) -> float:
        """Mean loss over the held-out pairs and their 3 instructions (pose inputs unless trained on images)."""
        self.model.eval()
        held = torch.as_tensor(self.held)
        losses = []
        for chunk in held.split(256):
            a, b = self.inputs(chunk, torch.Generator().manual_seed(0))
            losses += [self.model.loss(a, b, self.texts(chunk, torch.full((len(chunk),), k))).item() * len(chunk)
                       for k in range(TEXTS)]
        return sum(losses) / (TEXTS * len(held))

    def save(self, which: str):
        save_training_state(checkpoint_path(self.folder, which), self.model, self.optimiser, self.epoch, self.best, scheduler=self.scheduler)

    def resume(self):
        self.epoch, self.best = load_training_state(checkpoint_path(self.folder, "last"), self.model, self.optimiser, scheduler=self.scheduler)

    def run(self) -> dict:
        with open(self.folder / "log.jsonl", "a") as log:
            while self.epoch < self.config.epochs:
                loss = self.train_epoch()
                self.epoch += 1
                record = {"epoch": self.epoch, "loss": loss, "lr": self.scheduler.get_last_lr()[0]}
                if self.epoch % self.config.eval_every == 0 or self.epoch == self.config.epochs:
                    record["val_loss"] = self.validation_loss()
                    if record["val_loss"] < self.best:
                        self.best = record["val_loss"]
                        self.save("best")
                self.save("last")
                log_epoch(log, record)
        return {"best_val_loss": self.best, "epochs": self.epoch}


def train_generator(folder: Path, pairs_dir: Path | None = None, run_dir: Path | None = None,
                    script_dir: Path | None = None, config: GeneratorConfig | None = None,
                    resume: bool = False) -> dict:
    """Train a generator in an empty `folder` on the representations of `run_dir` (a PoseEmbroider or
    Aligner run), or resume the one saved there."""
    folder = Path(folder)
    if resume:
        if not checkpoint_path(folder, "last").exists():
            raise EmbroiderError(f"{folder}: nothing to resume (no checkpoint_last.pt)")
        config, sources = settings.load(GeneratorConfig, folder / "config.json")
    else:
        if (folder / "config.json").exists():
            raise EmbroiderError(f"{folder} already holds a generator; use --resume to continue it or another --out")
        kind = load_config(run_dir).model.kind
        sources = {"run": str(Path(run_dir).resolve()), "kind": kind, "pairs": str(Path(pairs_dir).resolve()),
                   "script": str(Path(script_dir or script_folder(pairs_dir, "train")).resolve())}
    folder.mkdir(parents=True, exist_ok=True)
    clock = Stopwatch()
    with clock.stage("features"):
        trainer = GeneratorTrainer(folder, config, sources)
    if resume:
        trainer.resume()
    else:
        settings.save(config, folder / "config.json", **trainer.sources)
        trainer.vocabulary.save(folder / "vocabulary.json")
    with clock.stage("epochs"):
        summary = trainer.run()
    summary = {**summary, **clock.record(), "fit_pairs": len(trainer.fit), "validation_pairs": len(trainer.held),
               "vocabulary": len(trainer.vocabulary), "resumed": resume}
    (folder / "train.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary
