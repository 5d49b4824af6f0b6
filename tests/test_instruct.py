"""Instruction generation units: the decoder overfits a handful of pairs to their exact texts, decoding rules,
detokenisation, the text metrics (identical texts score 100) and the R-precision controls."""
import pytest
import torch

from bedlam_tools.embroider import EmbroiderError
from bedlam_tools.embroider.data import EOS, Vocabulary, words
from bedlam_tools.embroider.instruct.config import GeneratorConfig
from bedlam_tools.embroider.instruct.generator import TIRG, InstructionGenerator, decode, detokenize
from bedlam_tools.embroider.instruct.metrics import bleu4, meteor, r_precision, rouge_l, text_metrics

TEXTS = ["Bend your left knee more.", "Raise your right arm a bit, then look to the left.",
         "Straighten both legs.", "Move your left hand forward. Turn your head slightly more to the right.",
         "Lower your right elbow and spread the knees a bit more.", "Bring your arms closer to your torso."]


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)
    torch.set_num_threads(1)


def tiny_generator(vocabulary, **changes) -> InstructionGenerator:
    config = GeneratorConfig(**{**dict(width=32, layers=1, heads=2, feedforward=64, dropout=0.0, min_tokens=1,
                                       max_tokens=40), **changes})
    return InstructionGenerator(8, len(vocabulary), config)


def test_the_decoder_overfits_a_handful_of_pairs_to_their_exact_texts():
    vocabulary = Vocabulary.build(TEXTS)
    ids, _ = map(torch.from_numpy, vocabulary.encode(TEXTS, 40))
    a, b = torch.randn(len(TEXTS), 8), torch.randn(len(TEXTS), 8)
    model = tiny_generator(vocabulary)
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    first = model.loss(a, b, ids).item()
    for _ in range(300):
        loss = model.loss(a, b, ids)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    assert loss.item() < 0.05 < first
    model.eval()
    generated, score = model.generate(a, b)
    assert decode(vocabulary, generated) == TEXTS
    assert score.shape == (len(TEXTS),) and (score <= 0).all() and (score > -0.5).all()


def test_decoding_respects_the_minimum_length_and_the_word_budget():
    vocabulary = Vocabulary.build(TEXTS)
    model = tiny_generator(vocabulary, min_tokens=5, max_tokens=9).eval()
    with torch.no_grad():
        model.output.bias.zero_()
        model.output.bias[EOS] = 100.0  # the untrained model wants to stop at once
    generated, _ = model.generate(torch.randn(3, 8), torch.randn(3, 8))
    assert [len(row) for row in generated] == [5, 5, 5]  # stopped right after the first allowed step
    with torch.no_grad():
        model.output.bias[EOS] = -100.0
    generated, _ = model.generate(torch.randn(3, 8), torch.randn(3, 8))
    assert [len(row) for row in generated] == [8, 8, 8]  # max_tokens counts the <bos>


def test_cached_decoding_steps_give_the_full_forward_logits():
    vocabulary = Vocabulary.build(TEXTS)
    model = tiny_generator(vocabulary, layers=2, dropout=0.1).eval()
    ids, _ = map(torch.from_numpy, vocabulary.encode(TEXTS[:3], 40))
    a, b = torch.randn(3, 8), torch.randn(3, 8)
    with torch.no_grad():
        memory = model.memory(a, b)
        full = model.logits(memory, ids[:, :6])  # no padding in these 6
        cache = []
        stepped = torch.stack([model.step(memory, ids[:, t], cache) for t in range(6)], 1)
    assert torch.allclose(full, stepped, atol=1e-5)


def test_tirg_starts_as_gated_main_plus_residual():
    fusion = TIRG(4).eval()
    main, modifier = torch.randn(5, 4), torch.randn(5, 4)
    x = torch.cat([main, modifier], -1)
    expected = torch.sigmoid(fusion.gate(x)) * main + fusion.residual(x)
    assert torch.allclose(fusion(main, modifier), expected)


@pytest.mark.parametrize("text", TEXTS + ["Don't move your left-hand side (the arm) back; then stop!"])
def test_words_and_detokenisation_round_trip(text):
    assert detokenize(words(text)) == text


def test_identical_texts_score_100_and_unrelated_ones_low():
    references = [[t, "Do something else entirely."] for t in TEXTS]
    assert bleu4(TEXTS, references) == pytest.approx(100)
    assert rouge_l(TEXTS, references) == pytest.approx(100)
    assert meteor(TEXTS, references) > 99  # METEOR's fragmentation penalty keeps it just below 100
    unrelated = text_metrics(["Sit on the floor quietly please now."] * len(TEXTS), references)
    assert unrelated["BLEU-4"] < 5 and unrelated["ROUGE-L"] < 30 and unrelated["METEOR"] < 30


def test_meteor_matches_wordnet_synonyms_and_stems():
    exact = meteor(["Bend your knees."], [["Bend your knees."]])
    synonym = meteor(["Flex your knees."], [["Bend your knees."]])  # flex ~ bend in WordNet
    stem = meteor(["Bending your knees."], [["Bend your knees."]])
    unrelated = meteor(["Lift your knees."], [["Bend your knees."]])
    assert exact == synonym == stem > unrelated  # NLTK weighs the three matching stages alike


def test_r_precision_of_matching_texts_is_high_and_of_shifted_ones_near_chance():
    pairs = torch.nn.functional.normalize(torch.randn(120, 16), dim=-1)
    texts = torch.nn.functional.normalize(pairs + 0.1 * torch.randn(120, 16), dim=-1)
    truth = r_precision(texts, pairs, pool=50, repetitions=3)
    shifted = r_precision(texts.roll(1, 0), pairs, pool=50, repetitions=3)
    assert truth["R@1"] > 95 and truth["R@3"] == 100
    assert shifted["R@3"] < 10  # chance is 3 / 50; averaging ranks over repetitions brings it lower
    assert r_precision(texts, pairs, 50, 3) == truth  # seeded
    with pytest.raises(EmbroiderError, match="pool 500"):
        r_precision(texts, pairs, pool=500, repetitions=1)
