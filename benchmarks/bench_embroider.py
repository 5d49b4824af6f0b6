"""Wall-clock time of the compact PoseEmbroider chain on a BEDLAM-Script folder, and its retrieval table.

Stages: `pretrain` (the three frozen encoders, shared by both models, plus the train split's features),
then for each model `train` (including the val features the first time they are needed) and `eval` on
the val split. Both models use the same encoders, so each model's total is pretraining + its training.

    PYTHONPATH=. python benchmarks/bench_embroider.py --data /work/emb_data --out /tmp/bench_embroider
    PYTHONPATH=. python benchmarks/bench_embroider.py --data DIR --out OUT --threads 2 --epochs 10
"""
import argparse
import json
import time
from pathlib import Path

import torch

from bedlam_tools.embroider.config import EncoderConfig, ModelConfig, RunConfig, TrainConfig
from bedlam_tools.embroider.evaluate import evaluate_run, recall_table, summary_table
from bedlam_tools.embroider.pretrain import pretrain
from bedlam_tools.embroider.train import train


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="empty folder for the encoders and runs")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs, help="0: by the data size (the default)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    seconds = {"pretrain": pretrain(args.data, args.out / "encoders", EncoderConfig())}
    results, encoders = {}, str((args.out / "encoders").resolve())
    for kind in ("embroider", "aligner"):
        config = RunConfig(encoders, ModelConfig(kind=kind), TrainConfig(epochs=args.epochs))
        start = time.perf_counter()
        train(args.out / kind, args.data, config)
        seconds[f"train {kind}"] = time.perf_counter() - start
        start = time.perf_counter()
        results[kind] = evaluate_run(args.out / kind, args.data)
        seconds[f"eval {kind}"] = time.perf_counter() - start

    pretraining = sum(seconds["pretrain"].values())
    print(f"threads {args.threads}; pretraining per stage: "
          + ", ".join(f"{k} {v:.0f} s" for k, v in seconds["pretrain"].items()) + f" (total {pretraining:.0f} s)")
    for kind in results:
        print(f"{kind}: train {seconds[f'train {kind}']:.0f} s, eval {seconds[f'eval {kind}']:.0f} s, "
              f"total with pretraining {pretraining + seconds[f'train {kind}']:.0f} s")
    print(f"\nretrieval on val ({results['embroider']['items']:,} items, caption 0):\n")
    print(summary_table(results) + "\n")
    print(recall_table(results))
    (args.out / "bench.json").write_text(json.dumps({"seconds": seconds, "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
