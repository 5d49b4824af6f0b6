"""Any-to-any retrieval (spec section 10.1): 6 single-query and 3 dual-query tasks, R@1/5/10, mRecall.

The gallery of a target modality is every item's reference embedding; item i's ground truth is item i.
mRecall_single = mean of the 18 single-query recalls, mRecall_dual = mean of the 9 dual-query ones,
mRecall = their mean (not the mean of the 27 values).
"""
import json
from pathlib import Path

import numpy as np
import torch

from .features import split_features
from .runs import device, load_run

SINGLE_TASKS = ((("image",), "pose"), (("image",), "text"), (("pose",), "image"),
                (("pose",), "text"), (("text",), "image"), (("text",), "pose"))
DUAL_TASKS = ((("image", "pose"), "text"), (("image", "text"), "pose"), (("pose", "text"), "image"))
KS = (1, 5, 10)


def task_name(subset: tuple, target: str) -> str:
    return f"{'+'.join(subset)}->{target}"


def ground_truth_ranks(queries: torch.Tensor, gallery: torch.Tensor, chunk: int = 1024) -> torch.Tensor:
    """Rank of gallery item i for query i (0 = first) by decreasing dot product; ties count against it."""
    ranks = []
    for start in range(0, len(queries), chunk):
        scores = queries[start:start + chunk] @ gallery.T
        rows = torch.arange(len(scores), device=scores.device)
        truth = scores[rows, rows + start]
        ranks.append((scores >= truth[:, None]).sum(1) - 1)
    return torch.cat(ranks)


def recalls(ranks: torch.Tensor) -> dict:
    return {f"R@{k}": 100.0 * (ranks < k).float().mean().item() for k in KS}


@torch.no_grad()
def retrieval(model, features: dict) -> dict:
    """The 9 tasks' recalls and the mRecalls of a model on a batch of features (every item, one caption)."""
    model.eval()
    references = model.references(features)
    queries = {subset: model.query(references, subset) for subset in {s for s, _ in SINGLE_TASKS + DUAL_TASKS}}
    tasks = {task_name(s, t): recalls(ground_truth_ranks(queries[s][t], references[t]))
             for s, t in SINGLE_TASKS + DUAL_TASKS}
    single = np.mean([v for s, t in SINGLE_TASKS for v in tasks[task_name(s, t)].values()])
    dual = np.mean([v for s, t in DUAL_TASKS for v in tasks[task_name(s, t)].values()])
    return {"mRecall": float(single + dual) / 2, "mRecall_single": float(single), "mRecall_dual": float(dual),
            "tasks": tasks, "items": len(references["pose"])}


def inputs(features: dict, indices, caption) -> dict:
    """Model inputs of some items: `caption` is one index for all, or one per item."""
    indices = torch.as_tensor(indices)
    return {"image": features["image"][indices], "pose": features["pose"][indices],
            "text": features["text"][indices, torch.as_tensor(caption)]}


def evaluate_run(run_dir: Path, data_dir: Path, split: str = "val", which: str = "best") -> dict:
    """Evaluate a run's checkpoint on a split (caption 0), save `eval-<split>-<which>.json` in the run."""
    config, encoders, model = load_run(run_dir, which)
    features = split_features(encoders, data_dir, split)
    batch = {k: v.to(device()) for k, v in inputs(features, range(len(features["ids"])), 0).items()}
    results = {"run": str(run_dir), "model": config.model.kind, "split": split, "checkpoint": which,
               **retrieval(model, batch)}
    (Path(run_dir) / f"eval-{split}-{which}.json").write_text(json.dumps(results, indent=1) + "\n")
    return results


def summary_table(results: dict) -> str:
    """Paper-style table: one row per run; mRecall, single, dual, then each task averaged over R@1/5/10."""
    names = [task_name(s, t) for s, t in SINGLE_TASKS + DUAL_TASKS]
    header = ["model", "mRecall", "single", "dual"] + names
    rows = [[label, f"{r['mRecall']:.1f}", f"{r['mRecall_single']:.1f}", f"{r['mRecall_dual']:.1f}"]
            + [f"{np.mean(list(r['tasks'][n].values())):.1f}" for n in names] for label, r in results.items()]
    return markdown_table(header, rows)


def recall_table(results: dict) -> str:
    """One row per task, R@1/5/10 of each run side by side."""
    header = ["task"] + [f"{label} R@{k}" for label in results for k in KS]
    rows = [[task_name(s, t)] + [f"{r['tasks'][task_name(s, t)][f'R@{k}']:.1f}" for r in results.values() for k in KS]
            for s, t in SINGLE_TASKS + DUAL_TASKS]
    return markdown_table(header, rows)


def markdown_table(header: list, rows: list) -> str:
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(str(c).rjust(w) for c, w in zip(row, widths)) + " |"
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows])
