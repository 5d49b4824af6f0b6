"""A plain Adam loop over shuffled mini-batches of item indices, with a progress bar (used by pretraining), and the
steps every trainer shares: one optimisation step, one epoch's log line."""
import json
import math

import torch
from tqdm import tqdm

SORT_WINDOW = 16  # batches whose items are sorted by length together


def cosine_decay(total_steps: int):
    """Learning-rate factor of a step: half a cosine from 1 to 0 over `total_steps`."""
    return lambda step: 0.5 * (1 + math.cos(math.pi * min(step, total_steps) / total_steps))


def batches(n_items: int, batch_size: int, generator: torch.Generator, lengths: torch.Tensor | None = None) -> list:
    """Shuffled mini-batches (the last partial one dropped). With `lengths`, items of similar length share
    a batch (sorted within windows of shuffled items) and the batches come in random order: less padding."""
    order = torch.randperm(n_items, generator=generator)
    if lengths is not None:
        order = torch.cat([w[lengths[w].argsort()] for w in order.split(batch_size * SORT_WINDOW)])
    cut = [order[s:s + batch_size] for s in range(0, n_items - batch_size + 1, batch_size)]
    return cut if lengths is None else [cut[i] for i in torch.randperm(len(cut), generator=generator)]


def optimise(loss: torch.Tensor, optimiser, scheduler=None, what: str = "") -> float:
    """One step on `loss` (refused when it is not finite, `what` naming where); returns its value."""
    if not torch.isfinite(loss):
        raise FloatingPointError(f"{what}: the loss is not finite")
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    if scheduler is not None:
        scheduler.step()
    return loss.item()


def log_epoch(log, record: dict):
    """An epoch's record: one JSON line in the run's `log.jsonl` (flushed), one line under the progress bars."""
    log.write(json.dumps(record) + "\n")
    log.flush()
    tqdm.write(" ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in record.items()))


def fit(module: torch.nn.Module, loss_fn, n_items: int, epochs: int, batch_size: int, lr: float, seed: int,
        desc: str, lengths: torch.Tensor | None = None) -> list[float]:
    """Train `module` on `loss_fn(indices) -> loss` with Adam and a cosine learning-rate decay; returns the
    mean loss of each epoch."""
    optimiser = torch.optim.Adam([p for p in module.parameters() if p.requires_grad], lr=lr)
    generator = torch.Generator().manual_seed(seed)
    batch_size = min(batch_size, n_items)
    total = epochs * (n_items // batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, cosine_decay(total))
    history = []
    module.train()
    with tqdm(total=total, desc=desc, unit="step") as bar:
        for _ in range(epochs):
            summed = 0.0
            for batch in batches(n_items, batch_size, generator, lengths):
                value = optimise(loss_fn(batch), optimiser, scheduler, desc)
                summed += value
                bar.update()
                bar.set_postfix(loss=f"{value:.3f}")
            history.append(summed / (n_items // batch_size))
    module.eval()
    return history
