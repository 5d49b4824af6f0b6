"""`embroider train`: fit PoseEmbroider or the Aligner on cached frozen features, with validation,
checkpoints (`checkpoint_last.pt` every epoch, `checkpoint_best.pt` by validation mRecall) and resume.

Captions: a random one of the 3 each time an item is drawn; validation uses caption (index mod 3).
Validation items are train subjects held out from fitting (default) or, as published, the val split.
"""
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from . import EmbroiderError
from .config import RunConfig, resolved_epochs, save_json
from .data import holdout_by_subject
from .evaluate import inputs, retrieval
from .features import FrozenEncoders, split_features
from .fitting import cosine_decay, log_epoch, optimise
from .model import build_model
from .runs import checkpoint_path, device, load_training_state, save_training_state
from .timing import Stopwatch


def split_items(config: RunConfig, encoders: FrozenEncoders, data_dir: Path):
    """(features of the training split, fitting indices, validation features)."""
    train = split_features(encoders, data_dir, "train")
    everything = np.arange(len(train["ids"]))
    if config.train.validate_on == "val":
        return train, everything, split_features(encoders, data_dir, "val")
    fit, held = holdout_by_subject(np.asarray(train["subjects"]), config.train.val_fraction, config.train.seed)
    return train, fit, {k: v[held] if torch.is_tensor(v) else [v[i] for i in held] for k, v in train.items()}


def schedule(config: RunConfig, steps_per_epoch: int):
    if config.train.schedule == "constant":
        return lambda step: 1.0
    return cosine_decay(config.train.epochs * steps_per_epoch)


class Trainer:
    def __init__(self, run_dir: Path, data_dir: Path, config: RunConfig):
        self.run_dir, self.config = Path(run_dir), config
        self.encoders = FrozenEncoders(config.encoders)
        self.features, self.fit_indices, validation = split_items(config, self.encoders, data_dir)
        self.fit_indices = self.fit_indices[:config.train.data_size or None]
        self.config = config = replace(config, train=resolved_epochs(config.train, len(self.fit_indices)))
        n_val = len(validation["ids"])
        self.validation = {k: v.to(device()) for k, v in inputs(validation, range(n_val), np.arange(n_val) % 3).items()}
        torch.manual_seed(config.train.seed)
        self.model = build_model(self.encoders.widths(), config.model).to(device())
        self.optimiser = torch.optim.Adam(self.model.parameters(), lr=config.train.lr)
        self.batch_size = min(config.train.batch_size, len(self.fit_indices))
        self.steps_per_epoch = len(self.fit_indices) // self.batch_size
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimiser, schedule(config, self.steps_per_epoch))
        self.epoch, self.best = 0, -1.0

    def save(self, which: str):
        save_training_state(checkpoint_path(self.run_dir, which), self.model, self.optimiser, self.epoch, self.best, scheduler=self.scheduler)

    def resume(self):
        self.epoch, self.best = load_training_state(checkpoint_path(self.run_dir, "last"), self.model, self.optimiser, scheduler=self.scheduler)

    def train_epoch(self) -> float:
        """One pass over the fitting items in an order (and caption choice) fixed by (seed, epoch)."""
        generator = torch.Generator().manual_seed(self.config.train.seed * 100_003 + self.epoch)
        order = torch.as_tensor(self.fit_indices)[torch.randperm(len(self.fit_indices), generator=generator)]
        captions = torch.randint(3, (len(order),), generator=generator)
        self.model.train()
        total = 0.0
        bar = tqdm(range(self.steps_per_epoch), desc=f"epoch {self.epoch + 1}/{self.config.train.epochs}",
                   unit="step", leave=False)
        for step in bar:
            pick = slice(step * self.batch_size, (step + 1) * self.batch_size)
            batch = {k: v.to(device()) for k, v in inputs(self.features, order[pick], captions[pick]).items()}
            loss = torch.stack(list(self.model.loss_terms(batch).values())).mean()
            value = optimise(loss, self.optimiser, self.scheduler, f"epoch {self.epoch + 1}")
            total += value
            bar.set_postfix(loss=f"{value:.3f}")
        return total / self.steps_per_epoch

    def run(self) -> dict:
        with open(self.run_dir / "log.jsonl", "a") as log:
            while self.epoch < self.config.train.epochs:
                loss = self.train_epoch()
                self.epoch += 1
                record = {"epoch": self.epoch, "loss": loss, "lr": self.scheduler.get_last_lr()[0],
                          "temperature": self.model.temperature.item()}
                if self.epoch % self.config.train.eval_every == 0 or self.epoch == self.config.train.epochs:
                    metrics = retrieval(self.model, self.validation)
                    record["val_mRecall"] = metrics["mRecall"]
                    if metrics["mRecall"] > self.best:
                        self.best = metrics["mRecall"]
                        self.save("best")
                self.save("last")
                log_epoch(log, record)
        return {"best_val_mRecall": self.best, "epochs": self.epoch}


def train(run_dir: Path, data_dir: Path, config: RunConfig | None = None, resume: bool = False) -> dict:
    """Start a run in an empty `run_dir` with `config`, or resume the run saved there."""
    run_dir = Path(run_dir)
    if resume:
        if not checkpoint_path(run_dir, "last").exists():
            raise EmbroiderError(f"{run_dir}: nothing to resume (no checkpoint_last.pt)")
        config = RunConfig.load(run_dir / "config.json")
    elif (run_dir / "config.json").exists():
        raise EmbroiderError(f"{run_dir} already holds a run; use --resume to continue it or another --out")
    run_dir.mkdir(parents=True, exist_ok=True)
    clock = Stopwatch()
    with clock.stage("features"):
        trainer = Trainer(run_dir, data_dir, config)
    if resume:
        trainer.resume()
    else:
        save_json(trainer.config, run_dir / "config.json")
    with clock.stage("epochs"):
        summary = trainer.run()
    summary = {**summary, **clock.record(), "fit_items": len(trainer.fit_indices),
               "validation_items": len(trainer.validation["pose"]), "resumed": resume}
    (run_dir / "train.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary
