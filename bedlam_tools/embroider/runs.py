"""A run folder: `config.json`, `checkpoint_last.pt`, `checkpoint_best.pt`, `log.jsonl`; loading a trained model."""
from pathlib import Path

import torch

from . import EmbroiderError
from .config import RunConfig
from .features import FrozenEncoders
from .model import build_model

CHECKPOINTS = ("best", "last")


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def checkpoint_path(run_dir: Path, which: str) -> Path:
    return Path(run_dir) / f"checkpoint_{which}.pt"


def load_config(run_dir: Path) -> RunConfig:
    path = Path(run_dir) / "config.json"
    if not path.exists():
        raise EmbroiderError(f"{run_dir}: not a training run (no config.json); train one with `embroider train`")
    return RunConfig.load(path)


def load_run(run_dir: Path, which: str = "best"):
    """(config, frozen encoders, model in eval mode on the default device) of a trained run."""
    config = load_config(run_dir)
    path = checkpoint_path(run_dir, which)
    if not path.exists():
        raise EmbroiderError(f"{run_dir}: no {path.name} (is the run trained?)")
    encoders = FrozenEncoders(config.encoders)
    model = build_model(encoders.widths(), config.model)
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True)["model"])
    return config, encoders, model.to(device()).eval()


def save_training_state(path: Path, model, optimiser, epoch: int, best: float, scheduler=None):
    """A resumable checkpoint (weights, optimiser, scheduler, epoch, best, torch RNG states), written atomically."""
    state = {"model": model.state_dict(), "optimiser": optimiser.state_dict(), "epoch": epoch, "best": best,
             "rng": torch.get_rng_state(),
             "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else []}
    if scheduler is not None:
        state["scheduler"] = scheduler.state_dict()
    torch.save(state, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)


def load_training_state(path: Path, model, optimiser, scheduler=None) -> tuple[int, float]:
    """Restore a `save_training_state` checkpoint into the objects; returns (epoch, best)."""
    state = torch.load(path, map_location=device(), weights_only=True)
    model.load_state_dict(state["model"])
    optimiser.load_state_dict(state["optimiser"])
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["rng"].cpu())
    if state.get("cuda_rng"):
        torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda_rng"]])
    return state["epoch"], state["best"]
