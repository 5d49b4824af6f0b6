"""A plain Adam loop over shuffled mini-batches of item indices, with a progress bar (used by pretraining)."""
import torch
from tqdm import tqdm


def fit(module: torch.nn.Module, loss_fn, n_items: int, epochs: int, batch_size: int, lr: float, seed: int,
        desc: str) -> list[float]:
    """Train `module` on `loss_fn(indices) -> loss`; returns the mean loss of each epoch."""
    optimiser = torch.optim.Adam([p for p in module.parameters() if p.requires_grad], lr=lr)
    generator = torch.Generator().manual_seed(seed)
    batch_size = min(batch_size, n_items)
    history = []
    module.train()
    with tqdm(total=epochs * (n_items // batch_size), desc=desc, unit="step") as bar:
        for _ in range(epochs):
            order, total = torch.randperm(n_items, generator=generator), 0.0
            for start in range(0, n_items - batch_size + 1, batch_size):
                loss = loss_fn(order[start:start + batch_size])
                if not torch.isfinite(loss):
                    raise FloatingPointError(f"{desc}: the loss is not finite")
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                total += loss.item()
                bar.update()
                bar.set_postfix(loss=f"{loss.item():.3f}")
            history.append(total / (n_items // batch_size))
    module.eval()
    return history
