"""`embroider instruct-eval` (spec 10.2): instructions generated greedily for the pairs of a split from each
input combination, scored by R-precision (PairText) and BLEU-4 / ROUGE-L / METEOR against every reference
text of the pair, with the two controls: the ground-truth text (a pair's first reference) and shifted texts
(the first reference of the next pair).
"""
from pathlib import Path

import torch
from tqdm import tqdm

from ..evaluate import markdown_table
from ..runs import device
from .generator import decode
from .metrics import KS, r_precision, text_metrics
from .pairs import PairSet, pair_rows, read_pairs, script_folder, split_representations
from .pairtext import PairTextScorer
from .train import load_generator

INPUTS = {"P_A,P_B": ("pose", "pose"), "V_A,V_B": ("image", "image"), "V_A,P_B": ("image", "pose")}
MODEL_NAMES = {"embroider": "PoseEmbroider", "aligner": "Aligner"}
COLUMNS = tuple(f"R@{k}" for k in KS) + ("BLEU-4", "ROUGE-L", "METEOR")
PAPER = {  # Table 2 of the paper, BEDLAM-Fix val (R-precision pool 200); None: not reported
    ("Aligner", "P_A,P_B"): (31.7, 42.4, 49.4, 32.9, 42.2, 40.1),
    ("PoseEmbroider", "P_A,P_B"): (43.1, 55.1, 62.0, 33.0, 42.6, 40.7),
    ("Aligner", "V_A,V_B"): (12.3, 19.2, 23.7, None, None, None),
    ("PoseEmbroider", "V_A,V_B"): (15.6, 22.6, 27.1, None, None, None),
    ("Aligner", "V_A,P_B"): (21.0, 29.2, 34.9, None, None, None),
    ("PoseEmbroider", "V_A,P_B"): (29.2, 38.3, 44.2, None, None, None),
}
BATCH = 64


def generate(folder: Path, pairs: PairSet, script_dir: Path, split: str, inputs: tuple[str, str],
             checkpoint: str = "best") -> tuple[str, list[str]]:
    """(model kind, greedy instructions of every pair) of a generator fed the given modalities of A and B."""
    _, sources, vocabulary, generator = load_generator(folder, checkpoint)
    representations = split_representations(sources["run"], script_dir, split, Path(folder) / "features")
    a, b = pair_rows(pairs, representations["ids"], f"{split} pairs")
    texts = []
    for start in tqdm(range(0, len(pairs), BATCH), desc=f"generate {Path(folder).name} {'/'.join(inputs)}",
                      unit="batch", leave=False):
        rows = slice(start, start + BATCH)
        ids, _ = generator.generate(representations[inputs[0]][a[rows]].to(device()),
                                    representations[inputs[1]][b[rows]].to(device()))
        texts += decode(vocabulary, ids)
    return sources["kind"], texts


def scores(texts: list[str], pairs: PairSet, scorer: PairTextScorer, pair_embeddings: torch.Tensor, pool: int,
           repetitions: int, seed: int) -> dict:
    return {**r_precision(scorer.texts(texts), pair_embeddings, pool, repetitions, seed),
            **text_metrics(texts, pairs.instructions)}


def evaluate_instructions(generators: list[Path], pairtext: Path, pairs_dir: Path, split: str = "val",
                          inputs: tuple[str, ...] = tuple(INPUTS), pool: int = 200, repetitions: int = 10,
                          seed: int = 0, script_dir: Path | None = None, checkpoint: str = "best",
                          examples: int = 5) -> dict:
    """{"rows": [{model, inputs, metrics...}], "examples": [...], counts}: the controls, then every generator on
    every input combination."""
    pairs = read_pairs(pairs_dir, split)
    script_dir = Path(script_dir or script_folder(pairs_dir, split))
    scorer = PairTextScorer(pairtext)
    pair_embeddings = scorer.pairs(pairs.poses_a, pairs.poses_b)
    first = [row[0] for row in pairs.instructions]
    controls = {"ground truth": first, "shifted texts": first[1:] + first[:1]}
    rows = [{"model": name, "inputs": "-", **scores(texts, pairs, scorer, pair_embeddings, pool, repetitions, seed)}
            for name, texts in controls.items()]
    shown = [{"pair_id": pairs.pair_ids[p], "id_a": pairs.id_a[p], "id_b": pairs.id_b[p],
              "references": pairs.instructions[p], "generated": {}} for p in range(min(examples, len(pairs)))]
    for folder in generators:
        for label in inputs:
            kind, texts = generate(folder, pairs, script_dir, split, INPUTS[label], checkpoint)
            name = MODEL_NAMES[kind]
            rows.append({"model": name, "inputs": label, "generator": str(folder),
                         **scores(texts, pairs, scorer, pair_embeddings, pool, repetitions, seed)})
            for p, example in enumerate(shown):
                example["generated"][f"{name} {label}"] = texts[p]
    return {"split": split, "pairs": len(pairs), "pool": pool, "repetitions": repetitions, "rows": rows,
            "examples": shown}


def table(result: dict, paper: bool = True) -> str:
    """Markdown table (x100): the measured rows, each model followed by the paper's row for its inputs."""
    header = ["model", "inputs", *COLUMNS]
    lines = []
    for row in result["rows"]:
        lines.append([row["model"], row["inputs"], *(f"{row[c]:.1f}" for c in COLUMNS)])
        if paper and (row["model"], row["inputs"]) in PAPER:
            lines.append([f"{row['model']} (paper)", row["inputs"],
                          *("-" if v is None else f"{v:.1f}" for v in PAPER[(row["model"], row["inputs"])])])
    return markdown_table(header, lines)
