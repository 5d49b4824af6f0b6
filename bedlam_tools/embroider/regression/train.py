"""`embroider pose-train`: one regression head per input on the cached representations of a trained run, with
checkpoint selection by the loss on held-out train subjects (never the val split), checkpoints
(`checkpoint_last.pt` every epoch, `checkpoint_best.pt` by held-out loss) and resume.

A heads folder holds `features/` (the cached representations) and one folder per input (`image`, `text`,
`image+text`) with `config.json`, `log.jsonl`, `train.json` and the checkpoints. Text inputs draw one of the 3
captions each time an item is seen; held-out items use caption (index mod 3).
"""
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from posescript_pipeline.rotations import axis_angle_to_matrix

from .. import EmbroiderError
from ..config import Checked, _from_dict
from ..data import holdout_by_subject
from ..fitting import log_epoch, optimise
from ..runs import checkpoint_path, device, load_training_state, save_training_state
from ..timing import Stopwatch
from .features import INPUTS, choose, split_representations, split_targets
from .head import RegressionHead, loss_terms, mean_pose_6d

AUTO_EPOCHS = (100, 300_000)
"""Epochs left at 0: min(most, ceil(items to see / fitting items)): the published 100 on small sets."""
SHAPE_INPUTS = ("image", "image+text")
"""Inputs whose shape loss is trained (as published: only when the input contains an image)."""


@dataclass
class HeadConfig(Checked):
    """A regression head and its training (spec section 11.2; sizes as published)."""
    hidden: int = 1024
    iterations: int = 3
    dropout: float = 0.5
    epochs: int = 0  # 0: auto (AUTO_EPOCHS)
    batch_size: int = 64
    lr: float = 1e-4
    weight_decay: float = 1e-4
    val_fraction: float = 0.1  # of the train subjects, held out for checkpoint selection
    seed: int = 1


@dataclass
class HeadRun:
    """What a head folder's config.json holds."""
    run: str  # the PoseEmbroider / Aligner run folder
    input: str
    width: int
    shape_width: int
    head: HeadConfig

    def save(self, path: Path):
        Path(path).write_text(json.dumps(asdict(self), indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> "HeadRun":
        raw = json.loads(Path(path).read_text())
        return cls(raw["run"], raw["input"], raw["width"], raw["shape_width"], _from_dict(HeadConfig, raw["head"]))

    def build(self, mean_pose=None, mean_shape=None) -> RegressionHead:
        h = self.head
        return RegressionHead(self.width, self.shape_width, h.hidden, h.iterations, h.dropout, mean_pose, mean_shape)


def resolved_epochs(epochs: int, n_items: int) -> int:
    return epochs or min(AUTO_EPOCHS[0], math.ceil(AUTO_EPOCHS[1] / max(n_items, 1)))


class HeadTrainer:
    def __init__(self, head_dir: Path, data_dir: Path, spec: HeadRun, cache_dir: Path):
        self.head_dir, self.spec = Path(head_dir), spec
        z = split_representations(Path(spec.run), data_dir, "train", cache_dir)
        poses, shapes = split_targets(data_dir, "train", z["ids"])
        self.z = z[spec.input]
        spec.width, spec.shape_width = self.z.shape[-1], shapes.shape[1]
        self.rotations = torch.from_numpy(axis_angle_to_matrix(poses).astype(np.float32))
        self.shapes = torch.from_numpy(shapes)
        self.fit, held = holdout_by_subject(np.asarray(z["subjects"]), spec.head.val_fraction, spec.head.seed)
        self.held = {"z": choose(self.z, held, np.arange(len(held)) % 3), "rotations": self.rotations[held],
                     "shapes": self.shapes[held]}
        self.epochs = resolved_epochs(spec.head.epochs, len(self.fit))
        torch.manual_seed(spec.head.seed)
        self.model = spec.build(mean_pose_6d(poses[self.fit]), shapes[self.fit].mean(0)).to(device())
        self.optimiser = torch.optim.Adam(self.model.parameters(), lr=spec.head.lr, weight_decay=spec.head.weight_decay)
        self.batch_size = min(spec.head.batch_size, len(self.fit))
        self.steps = len(self.fit) // self.batch_size
        self.epoch, self.best = 0, math.inf

    def loss(self, z, rotations, shapes) -> tuple[torch.Tensor, dict]:
        predicted, shape = self.model(z.to(device()))
        terms = loss_terms(predicted, shape, rotations.to(device()), shapes.to(device()))
        if self.spec.input not in SHAPE_INPUTS:
            del terms["shape"]
        return torch.stack(list(terms.values())).mean(), terms

    def train_epoch(self) -> float:
        """One pass over the fitting items in an order (and caption choice) fixed by (seed, epoch)."""
        generator = torch.Generator().manual_seed(self.spec.head.seed * 100_003 + self.epoch)
        order = torch.as_tensor(self.fit)[torch.randperm(len(self.fit), generator=generator)]
        captions = torch.randint(3, (len(order),), generator=generator)
        self.model.train()
        total = 0.0
        bar = tqdm(range(self.steps), desc=f"{self.spec.input} epoch {self.epoch + 1}/{self.epochs}", unit="step",
                   leave=False)
        for step in bar:
            pick = slice(step * self.batch_size, (step + 1) * self.batch_size)
            loss, _ = self.loss(choose(self.z, order[pick], captions[pick]), self.rotations[order[pick]],
                                self.shapes[order[pick]])
            value = optimise(loss, self.optimiser, what=f"{self.spec.input} epoch {self.epoch + 1}")
            total += value
            bar.set_postfix(loss=f"{value:.3f}")
        return total / self.steps

    @torch.no_grad()
    def held_out(self) -> dict:
        self.model.eval()
        loss, terms = self.loss(self.held["z"], self.held["rotations"], self.held["shapes"])
        return {"val_loss": loss.item(), **{f"val_{k}": v.item() for k, v in terms.items()}}

    def save(self, which: str):
        save_training_state(checkpoint_path(self.head_dir, which), self.model, self.optimiser, self.epoch, self.best)

    def resume(self):
        self.epoch, self.best = load_training_state(checkpoint_path(self.head_dir, "last"), self.model, self.optimiser)

    def run(self) -> dict:
        with open(self.head_dir / "log.jsonl", "a") as log:
            while self.epoch < self.epochs:
                record = {"epoch": self.epoch + 1, "loss": self.train_epoch()}
                self.epoch += 1
                record.update(self.held_out())
                if record["val_loss"] < self.best:
                    self.best = record["val_loss"]
                    self.save("best")
                self.save("last")
                log_epoch(log, record)
        return {"input": self.spec.input, "epochs": self.epoch, "best_val_loss": self.best}


def train_head(heads_dir: Path, data_dir: Path, run_dir: Path | None, input_name: str, config: HeadConfig | None,
               resume: bool = False) -> dict:
    """Train (or resume) the head of one input in `heads_dir/<input>`; returns its summary (also train.json)."""
    if input_name not in INPUTS:
        raise EmbroiderError(f"unknown input {input_name!r}; expected one of {', '.join(INPUTS)}")
    head_dir = Path(heads_dir) / input_name
    if resume:
        if not checkpoint_path(head_dir, "last").exists():
            raise EmbroiderError(f"{head_dir}: nothing to resume (no checkpoint_last.pt)")
        spec = HeadRun.load(head_dir / "config.json")
    else:
        if (head_dir / "config.json").exists():
            raise EmbroiderError(f"{head_dir} already holds a head; use --resume to continue it or another --out")
        if not (Path(run_dir) / "config.json").exists():
            raise EmbroiderError(f"{run_dir}: not a training run (no config.json); train one with `embroider train`")
        spec = HeadRun(str(Path(run_dir).resolve()), input_name, 0, 0, config or HeadConfig())
    clock = Stopwatch()
    with clock.stage("features"):
        trainer = HeadTrainer(head_dir, data_dir, spec, Path(heads_dir) / "features")
    head_dir.mkdir(parents=True, exist_ok=True)
    if resume:
        trainer.resume()
    else:
        spec.save(head_dir / "config.json")
    with clock.stage("epochs"):
        summary = trainer.run()
    summary = {**summary, **clock.record(), "fit_items": len(trainer.fit), "held_out_items": len(trainer.held["z"]),
               "resumed": resume}
    (head_dir / "train.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def load_head(head_dir: Path, which: str = "best") -> tuple[HeadRun, RegressionHead]:
    """(spec, head in eval mode on the default device) of a trained head folder."""
    head_dir = Path(head_dir)
    if not (head_dir / "config.json").exists():
        raise EmbroiderError(f"{head_dir}: not a regression head (no config.json); train one with `embroider pose-train`")
    path = checkpoint_path(head_dir, which)
    if not path.exists():
        raise EmbroiderError(f"{head_dir}: no {path.name} (is the head trained?)")
    spec = HeadRun.load(head_dir / "config.json")
    model = spec.build()
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True)["model"])
    return spec, model.to(device()).eval()


def trained_inputs(heads_dir: Path) -> list[str]:
    """The inputs with a head in a heads folder, in INPUTS order."""
    return [name for name in INPUTS if (Path(heads_dir) / name / "config.json").exists()]
