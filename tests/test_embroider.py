"""Compact PoseEmbroider units: tokenisation, subject hold-out, geometry, losses, metrics, both models
on every query subset, and a trivially separable toy set learnt to high recall."""
import numpy as np
import pytest
import torch

from bedlam_tools.embroider import EmbroiderError
from bedlam_tools.embroider.config import MODALITIES, ModelConfig
from bedlam_tools.embroider.data import BOS, EOS, PAD, UNK, Vocabulary, holdout_by_subject, read_split
from bedlam_tools.embroider.evaluate import DUAL_TASKS, SINGLE_TASKS, ground_truth_ranks, retrieval, task_name
from bedlam_tools.embroider.geometry import Skeleton, axis_angle_to_matrix, matrix_from_6d
from bedlam_tools.embroider.losses import sym_info_nce
from bedlam_tools.embroider.model import DUALS, FULL, SINGLES, build_model
from posescript_pipeline.errors import UserError

WIDTHS = {"image": 12, "pose": 10, "text": 8}
SMALL = dict(latent_d=32, core_heads=2)
CODE = 6


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)
    torch.set_num_threads(1)


def test_vocabulary_encodes_with_markers_unknown_words_and_truncation():
    vocabulary = Vocabulary.build(["The left knee is bent.", "the right elbow"])
    ids, lengths = vocabulary.encode(["the left knee", "the LEFT wrist is bent, really"], max_tokens=5)
    assert lengths.tolist() == [5, 5] and ids.shape == (2, 5)
    assert ids[0, 0] == BOS and ids[0, -1] == EOS and ids[1, 3] == UNK  # "wrist" is unknown
    short, short_lengths = vocabulary.encode(["knee", "the left knee is bent"], max_tokens=20)
    assert short_lengths.tolist() == [3, 7] and short[0, 3:].tolist() == [PAD] * 4
    assert vocabulary.tokens[short[1, 5]] == "bent"


def test_holdout_takes_whole_subjects():
    subjects = np.array([f"s{i % 10}" for i in range(100)])
    fit, held = holdout_by_subject(subjects, 0.2, seed=3)
    assert len(set(subjects[fit]) & set(subjects[held])) == 0
    assert len(set(subjects[held])) == 2 and len(fit) + len(held) == 100
    with pytest.raises(EmbroiderError):
        holdout_by_subject(np.array(["only"] * 5), 0.1, seed=0)


def test_missing_data_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no manifest.json; expected a folder written by `bedlam-script build`"):
        read_split(tmp_path / "nowhere", "train", (64, 48))


def test_rotations_and_kinematics():
    rotvec = torch.tensor([[0.0, 0.0, np.pi / 2], [0.0, 0.0, 0.0]])
    matrix = axis_angle_to_matrix(rotvec)
    assert torch.allclose(matrix[0] @ torch.tensor([1.0, 0, 0]), torch.tensor([0.0, 1, 0]), atol=1e-6)
    assert torch.allclose(matrix[1], torch.eye(3))
    assert torch.allclose(matrix_from_6d(torch.tensor([2.0, 0, 0, 1, 3, 0])), torch.eye(3), atol=1e-6)
    skeleton = Skeleton()
    rest = skeleton(torch.eye(3).expand(1, 22, 3, 3))
    bent = torch.eye(3).repeat(1, 22, 1, 1)
    bent[0, 4] = axis_angle_to_matrix(torch.tensor([np.pi / 2, 0.0, 0.0]))  # left knee
    posed = skeleton(bent)
    assert torch.allclose(posed[0, :7], rest[0, :7]) and not torch.allclose(posed[0, 7], rest[0, 7])
    shin = (rest[0, 7] - rest[0, 4]).norm()
    assert torch.isclose((posed[0, 7] - posed[0, 4]).norm(), shin, atol=1e-6)  # bones keep their length


def test_pose_inputs_are_the_rotation_matrices_and_the_joints():
    from bedlam_tools.embroider.encoders import PoseInputs

    poses = torch.zeros(2, 22, 3)
    poses[1, 4] = torch.tensor([np.pi / 2, 0.0, 0.0])  # left knee bent 90 degrees
    inputs = PoseInputs()(poses)
    assert inputs.shape == (2, PoseInputs.WIDTH)
    rotations, joints = inputs[:, :22 * 9].reshape(2, 22, 3, 3), inputs[:, PoseInputs.JOINTS].reshape(2, 22, 3)
    assert torch.allclose(rotations, axis_angle_to_matrix(poses))
    assert torch.allclose(joints, Skeleton()(axis_angle_to_matrix(poses)))
    assert torch.allclose(joints[1, :7], joints[0, :7]) and not torch.allclose(joints[1, 7], joints[0, 7])


def test_ngram_text_encoder_knows_the_training_phrases_only():
    from bedlam_tools.embroider.config import EncoderConfig
    from bedlam_tools.embroider.encoders import known_ngrams, ngram_keys, text_encoder

    vocabulary = Vocabulary.build(["the left knee is bent", "the right knee is bent"])
    config = EncoderConfig(text_ngrams=2, ngram_min_count=2, text_width=8, text_bag_width=6)
    ids, lengths = map(torch.from_numpy, vocabulary.encode(["the left knee is bent", "the right knee is bent"], 10))
    keys = ngram_keys(ids, lengths, 2, len(vocabulary) + 1)
    assert keys.shape == (2, 7 + 6) and (keys[:, :7] > 0).all() and (keys[:, 7:] > 0).all()
    assert len(set(keys[0].tolist())) == 13  # 7 words and 6 word pairs, none colliding
    short = ngram_keys(ids[:1, :3], torch.tensor([2]), 2, len(vocabulary) + 1)
    assert (short > 0).sum() == 3  # inside the length only: 2 words, 1 pair
    known = known_ngrams(ids, lengths, config, len(vocabulary))
    # in both captions: 6 words (<bos> the knee is bent <eos>) and 4 pairs (<bos> the, knee is, is bent, bent <eos>)
    assert len(known) == 6 + 4 and torch.equal(known, known.sort().values)
    encoder = text_encoder(config, len(vocabulary), known).eval()
    unseen, unseen_lengths = map(torch.from_numpy, vocabulary.encode(["left right", "the knee"], 10))
    out = encoder(unseen, unseen_lengths)
    assert out.shape == (2, 8) and torch.isfinite(out).all()
    empty = torch.tensor([[PAD, PAD]])  # nothing known: the empty bag, not a NaN
    assert torch.isfinite(encoder(empty, torch.tensor([0]))).all()


def test_info_nce_is_low_for_matched_pairs_and_ln_b_for_uninformative():
    x = torch.nn.functional.normalize(torch.randn(16, 8), dim=-1)
    assert sym_info_nce(x, x, torch.tensor(50.0)) < 0.05
    assert torch.isclose(sym_info_nce(x, x, torch.tensor(0.0)), torch.log(torch.tensor(16.0)))


def test_ranks_count_better_and_tied_items():
    gallery = torch.eye(20)
    assert ground_truth_ranks(gallery, gallery, chunk=7).tolist() == [0] * 20
    ranks = ground_truth_ranks(torch.ones(3, 2), torch.tensor([[1.0, 0], [2.0, 0], [0, 0.5]]))
    assert ranks.tolist() == [1, 0, 2]  # query 0's truth (score 1) is beaten by item 1 (score 2)
    collapsed = ground_truth_ranks(torch.ones(5, 2), torch.ones(5, 2))
    assert collapsed.tolist() == [4] * 5  # a collapsed model gets no credit from ties


class Identity(torch.nn.Module):
    """References are the normalised features; every query is the first input modality's reference."""

    def references(self, features):
        return {m: torch.nn.functional.normalize(features[m], dim=-1) for m in MODALITIES}

    def query(self, references, subset):
        return {m: references[subset[0]] for m in MODALITIES}


def test_identical_modalities_score_100_and_unrelated_ones_chance():
    same = torch.randn(200, 16)
    perfect = retrieval(Identity(), {m: same for m in MODALITIES})
    assert perfect["mRecall"] == perfect["mRecall_single"] == perfect["mRecall_dual"] == 100.0
    assert set(perfect["tasks"]) == {task_name(s, t) for s, t in SINGLE_TASKS + DUAL_TASKS}
    unrelated = retrieval(Identity(), {m: torch.randn(200, 16) for m in MODALITIES})
    assert unrelated["mRecall"] < 12  # chance: 0.5, 2.5 and 5 %


def features_of(n, seed=0, noise=0.05):
    """A trivially separable toy set: each modality is a fixed random map of the item's own random code."""
    g = torch.Generator().manual_seed(1234)
    maps = {m: torch.randn(CODE, 4 * w if m == "image" else w, generator=g) for m, w in WIDTHS.items()}
    g = torch.Generator().manual_seed(seed)
    codes = torch.randn(n, CODE, generator=g)
    image = (codes @ maps["image"]).reshape(n, 4, WIDTHS["image"])
    text = (codes @ maps["text"])[:, None] + noise * torch.randn(n, 3, WIDTHS["text"], generator=g)
    return {"image": image + noise * torch.randn(image.shape, generator=g), "pose": codes @ maps["pose"], "text": text}


@pytest.mark.parametrize("kind", ["embroider", "aligner"])
def test_every_query_subset_gives_normalised_queries(kind):
    model = build_model(WIDTHS, ModelConfig(kind=kind, triplet=True, **SMALL)).eval()
    features = features_of(5)
    features["text"] = features["text"][:, 0]
    references = model.references(features)
    for subset in SINGLES + DUALS + FULL:
        queries = model.query(references, subset)
        assert set(queries) == set(MODALITIES)
        for q in queries.values():
            assert q.shape == (5, 32) and torch.allclose(q.norm(dim=-1), torch.ones(5), atol=1e-5)
    terms = model.loss_terms(features)
    assert len(terms) == (21 if kind == "embroider" else 9)
    if kind == "aligner":
        assert torch.allclose(model.query(references, ("pose",))["text"], references["pose"], atol=1e-6)


def test_models_have_comparable_trainable_parameter_counts():
    from bedlam_tools.vision import ENCODER_WIDTH

    widths = {"image": ENCODER_WIDTH, "pose": 128, "text": 128}  # the default encoders' feature widths
    size = lambda **config: sum(p.numel() for p in build_model(widths, ModelConfig(**config)).parameters())
    aligner = size(kind="aligner")
    assert abs(size() / aligner - 1) < 0.15  # two core layers: 1.14 M against 1.00 M
    assert abs(size(core_layers=1) / aligner - 1) < 0.01  # the published single layer: the same size


def test_image_layers_deepen_the_image_adapter_only():
    widths = {"image": 40, "pose": 24, "text": 16}
    one, two = (build_model(widths, ModelConfig(image_layers=n, latent_d=32, core_heads=2)) for n in (1, 2))
    size = lambda model, m: sum(p.numel() for p in model.projections.inner[m].parameters())
    assert size(two, "image") - size(one, "image") == 32 * 32 + 32
    assert all(size(two, m) == size(one, m) for m in ("pose", "text"))
    assert set(one.projections.inner["image"].state_dict()) == {"0.weight", "0.bias"}  # the saved runs' layout


def test_published_leaky_targets_only_change_the_targets():
    features = features_of(8)
    features["text"] = features["text"][:, 0]
    clean = build_model(WIDTHS, ModelConfig(**SMALL)).eval()
    leaky = build_model(WIDTHS, ModelConfig(published_leaky_targets=True, **SMALL)).eval()
    leaky.load_state_dict(clean.state_dict())
    assert all(torch.equal(a, b) for a, b in zip(clean.loss_terms(features).values(),
                                                 leaky.loss_terms(features).values()))  # encodings start at 0
    with torch.no_grad():
        leaky.encodings["pose"].fill_(0.5)
        clean.encodings["pose"].fill_(0.5)
    assert not torch.equal(clean.loss_terms(features)[(("image",), "pose")],
                           leaky.loss_terms(features)[(("image",), "pose")])


@pytest.mark.parametrize("kind", ["embroider", "aligner"])
def test_toy_set_is_learnt_to_high_recall_and_the_loss_decreases(kind):
    model = build_model(WIDTHS, ModelConfig(kind=kind, **SMALL))
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    train, unseen = features_of(512, seed=0), features_of(64, seed=1)
    losses = []
    for step in range(240):
        items = torch.arange(step * 64 % 512, step * 64 % 512 + 64)
        batch = {m: v[items, step % 3] if m == "text" else v[items] for m, v in train.items()}
        loss = torch.stack(list(model.loss_terms(batch).values())).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    assert np.mean(losses[-10:]) < 0.5 * np.mean(losses[:10])
    results = retrieval(model, {m: v[:, 0] if m == "text" else v for m, v in unseen.items()})
    assert results["mRecall"] > 90 and min(r["R@10"] for r in results["tasks"].values()) > 90


def test_epochs_left_at_zero_follow_the_data_size():
    from bedlam_tools.embroider.config import AUTO_EPOCHS, EncoderConfig, TrainConfig, resolved_epochs

    assert resolved_epochs(TrainConfig(), 4_500).epochs == AUTO_EPOCHS["epochs"][0] == 60  # small data: the most
    assert resolved_epochs(TrainConfig(), 45_000).epochs == 20  # the default build's fitting items
    assert resolved_epochs(TrainConfig(epochs=7), 45_000).epochs == 7  # a given count is kept
    encoders = resolved_epochs(EncoderConfig(), 50_000)
    assert (encoders.pose_epochs, encoders.text_epochs, encoders.image_epochs) == (30, 40, 3)
    assert resolved_epochs(EncoderConfig(), 5_000).text_epochs == 40


def test_an_integer_for_a_float_setting_becomes_a_float():
    from bedlam_tools.embroider.config import ModelConfig
    from bedlam_tools.embroider.model import build_model

    config = ModelConfig(kind="aligner", temperature=30)
    assert type(config.temperature) is float and config.temperature == 30.0
    model = build_model({"image": 4, "pose": 4, "text": 4}, config)  # a learnable float temperature
    assert model.temperature.dtype == torch.float32 and model.temperature.requires_grad
