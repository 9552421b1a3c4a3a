"""The trainable relation extractor: candidates, selection, scoring and the pair encoder's gradient."""
import numpy
import pytest
import spacy
from spacy.training import Example
from thinc.api import Model

from ipner.extensions import register_extensions
from ipner.relations.model import build_pair_encoder
from ipner.relations import N_FEATURES, Candidates, find_candidates, score_relations, select_relations
from ipner.relations.candidates import MAX_BREAKS, N_CUE_FEATURES, n_pair_features
from ipner.pipeline.tokenizer import CharTokenizer

TEXT = "2023年,株洲市发明专利拥有量11925件,同比增长12%。\n长沙每万人有效发明专利拥有量72.42件。"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    return nlp


def annotate(nlp, text, marks):
    doc = nlp.make_doc(text)
    spans = []
    for piece, label in marks:
        start = text.index(piece)
        spans.append(doc.char_span(start, start + len(piece), label=label))
    doc.ents = spans
    return doc


@pytest.fixture()
def doc(nlp):
    return annotate(
        nlp,
        TEXT,
        [("2023年", "DATE"), ("株洲市", "CITY"), ("发明专利拥有量", "METRIC"), ("11925件", "QUANTITY"),
         ("12%", "QUANTITY"), ("长沙", "CITY"), ("每万人有效发明专利拥有量", "METRIC"), ("72.42件", "QUANTITY")],
    )


def test_candidates_start_at_quantities_and_fit_the_relation_signatures(doc):
    candidates = find_candidates(list(doc.ents), doc.text, window=300, max_candidates=6)
    ents = list(doc.ents)
    assert len(candidates) > 0
    assert candidates.features.shape == (len(candidates), N_FEATURES)
    for head, child in candidates.pairs:
        assert ents[head].label_ == "QUANTITY"
        assert ents[child].label_ in {"METRIC", "CITY", "REGION", "ORG", "DATE"}
    heads = {int(h) for h, _ in candidates.pairs}
    assert heads == {i for i, e in enumerate(ents) if e.label_ == "QUANTITY"}


def test_window_and_max_candidates_limit_the_pairs(doc):
    ents = list(doc.ents)
    wide = find_candidates(ents, doc.text, window=300, max_candidates=6)
    narrow = find_candidates(ents, doc.text, window=5, max_candidates=6)
    one = find_candidates(ents, doc.text, window=300, max_candidates=1)
    assert len(narrow) < len(wide)
    for head, child in narrow.pairs:
        a, b = ents[head], ents[child]
        gap = a.start_char - b.end_char if b.start_char < a.start_char else b.start_char - a.end_char
        assert gap <= 5
    # at most one candidate per relation slot (metric, subject, time) and head
    assert len(one) <= 3 * 3
    slots = {}
    for head, child in one.pairs:
        key = (int(head), {"METRIC": "m", "DATE": "t"}.get(ents[child].label_, "s"))
        assert key not in slots
        slots[key] = child


def test_a_document_without_quantities_has_no_candidates(nlp):
    doc = annotate(nlp, "株洲市发明专利", [("株洲市", "CITY"), ("发明专利", "METRIC")])
    candidates = find_candidates(list(doc.ents), doc.text, 300, 6)
    assert len(candidates) == 0 and candidates.features.shape == (0, N_FEATURES)


def test_select_keeps_the_best_child_per_head_and_label_above_threshold(doc):
    ents = list(doc.ents)
    q = 3  # 11925件
    pairs = numpy.array([[q, 2], [q, 6], [q, 1], [q, 0]], dtype=numpy.int32)
    labels = ("metric", "subject", "time")
    scores = numpy.array(
        [[0.9, 0.1, 0.1], [0.95, 0.1, 0.1], [0.1, 0.4, 0.0], [0.0, 0.0, 0.7]], dtype=numpy.float32
    )
    chosen = select_relations(pairs, scores, ents, labels, threshold=0.5)
    assert {(r["label"], r["child"]) for r in chosen} == {("metric", 6), ("time", 0)}
    # a score for a label the child's entity label cannot take is ignored
    wrong = select_relations(numpy.array([[q, 0]]), numpy.array([[0.99, 0.99, 0.0]]), ents, labels, 0.5)
    assert wrong == []


def test_scorer_counts_per_label(nlp, doc):
    register_extensions()  # doc._.relations, without relying on another test having registered it
    reference = doc.copy()
    reference._.relations = [
        {"head": 3, "child": 2, "label": "metric", "score": 1.0},
        {"head": 3, "child": 1, "label": "subject", "score": 1.0},
    ]
    predicted = doc.copy()
    predicted._.relations = [
        {"head": 3, "child": 2, "label": "metric", "score": 0.9},
        {"head": 3, "child": 0, "label": "time", "score": 0.9},
    ]
    scores = score_relations([Example(predicted, reference)])
    assert scores["rel_per_type"]["metric"]["f"] == 1.0
    assert scores["rel_per_type"]["subject"]["r"] == 0.0
    assert scores["rel_per_type"]["time"]["p"] == 0.0
    assert scores["rel_micro_p"] == pytest.approx(0.5) and scores["rel_micro_r"] == pytest.approx(0.5)


def _fixed_tok2vec(vectors: list[numpy.ndarray], received: list) -> Model:
    def forward(model, docs, is_train):
        def backprop(d_vectors):
            received.extend(d_vectors)
            return docs

        return [v.copy() for v in vectors], backprop

    return Model("fixed", forward, dims={"nO": vectors[0].shape[1]})


def test_pair_encoder_means_and_gradient(nlp):
    rng = numpy.random.default_rng(0)
    docs = [nlp.make_doc("一二三四五"), nlp.make_doc("六七八")]
    vectors = [rng.normal(size=(5, 3)).astype("f"), rng.normal(size=(3, 3)).astype("f")]
    received: list = []
    encoder = build_pair_encoder(_fixed_tok2vec(vectors, received))
    features = numpy.ones((1, N_FEATURES), dtype="f")
    candidates = [
        Candidates(numpy.array([[0, 1]]), numpy.array([[0, 2, 3, 5]]), features),
        Candidates(numpy.array([[0, 1]]), numpy.array([[1, 2, 0, 3]]), features),
    ]
    encoder.initialize(X=(docs, candidates))
    output, backprop = encoder.begin_update((docs, candidates))
    assert output.shape == (2, 2 * 3 + N_FEATURES)
    numpy.testing.assert_allclose(output[0, :3], vectors[0][0:2].mean(axis=0), rtol=1e-5)
    numpy.testing.assert_allclose(output[0, 3:6], vectors[0][3:5].mean(axis=0), rtol=1e-5)
    numpy.testing.assert_allclose(output[1, :3], vectors[1][1], rtol=1e-5)
    numpy.testing.assert_allclose(output[1, 3:6], vectors[1].mean(axis=0), rtol=1e-5)
    d_output = numpy.zeros_like(output)
    d_output[0, :3] = 1.0  # head of pair 0 covers tokens 0-1 of doc 0
    d_output[1, 3:6] = 3.0  # child of pair 1 covers tokens 0-2 of doc 1
    backprop(d_output)
    expected0 = numpy.zeros((5, 3), dtype="f")
    expected0[0:2] = 0.5
    numpy.testing.assert_allclose(received[0], expected0, atol=1e-6)
    numpy.testing.assert_allclose(received[1], numpy.ones((3, 3)), atol=1e-6)


def test_spans_are_token_offsets_of_the_entities(doc):
    candidates = find_candidates(list(doc.ents), doc.text, 300, 6)
    ents = list(doc.ents)
    for (head, child), (hs, he, cs, ce) in zip(candidates.pairs, candidates.spans):
        assert (ents[head].start, ents[head].end) == (hs, he)
        assert (ents[child].start, ents[child].end) == (cs, ce)



def test_feature_width_is_pinned_to_the_architecture_version():
    """``ipner.RelationModel.v1`` was trained on 27 pair features: changing the feature layout
    changes the model's input shape and needs a new architecture version, not an edit of v1."""
    assert N_FEATURES == 27


def test_version_2_width_is_pinned():
    """``ipner.RelationModel.v2`` reads the 27 v1 features and 12 cue features."""
    assert N_CUE_FEATURES == 12 and n_pair_features(2) == 39
    with pytest.raises(ValueError, match="unknown pair feature version"):
        n_pair_features(3)


def _cue_row(candidates, ents, head_text, child_text):
    for (head, child), row in zip(candidates.pairs, candidates.features):
        if ents[head].text == head_text and ents[child].text == child_text:
            return row[N_FEATURES:]
    raise AssertionError(f"no candidate pair {head_text} → {child_text}")


CUE_TEXT = "截至2023年底,株洲市——\n专利授权量4825件,其中发明专利732件。\n據市知識產權局介紹,商标、版权登记分别为3件、6件。"


@pytest.fixture()
def cue_doc(nlp):
    return annotate(
        nlp,
        CUE_TEXT,
        [("2023年底", "DATE"), ("株洲市", "CITY"), ("专利授权量", "METRIC"), ("4825件", "QUANTITY"), ("发明专利", "METRIC"),
         ("732件", "QUANTITY"), ("市知識產權局", "ORG"), ("商标", "METRIC"), ("版权登记", "METRIC"), ("3件", "QUANTITY"),
         ("6件", "QUANTITY")],
    )


def test_version_1_features_are_the_first_columns_of_version_2(cue_doc):
    ents = list(cue_doc.ents)
    v1 = find_candidates(ents, cue_doc.text, 300, 6)
    v2 = find_candidates(ents, cue_doc.text, 300, 6, version=2)
    numpy.testing.assert_array_equal(v1.pairs, v2.pairs)
    numpy.testing.assert_array_equal(v1.features, v2.features[:, :N_FEATURES])
    assert v2.features.shape == (len(v2), n_pair_features(2))


def test_cue_features_read_the_stretch_between_and_the_child(cue_doc):
    ents = list(cue_doc.ents)
    candidates = find_candidates(ents, cue_doc.text, 300, 6, version=2)
    clause, figures = slice(0, MAX_BREAKS + 1), slice(MAX_BREAKS + 1, 2 * (MAX_BREAKS + 1))
    breakdown, respectively, source, heading = (2 * (MAX_BREAKS + 1) + k for k in range(4))
    # 732件 → 专利授权量: one clause break, one figure (4825件) and 其中 in between
    row = _cue_row(candidates, ents, "732件", "专利授权量")
    assert row[clause].argmax() == 1 and row[figures].argmax() == 1 and row[breakdown] == 1.0
    # 732件 → 发明专利: adjacent
    row = _cue_row(candidates, ents, "732件", "发明专利")
    assert row[clause].argmax() == 0 and row[figures].argmax() == 0 and row[breakdown] == 0.0
    # 6件 → 商标: 分别 in between, and the two 、 of 商标、版权登记…3件、
    row = _cue_row(candidates, ents, "6件", "商标")
    assert row[respectively] == 1.0 and row[clause].argmax() == 2
    # the bureau introduced by 據…介紹 (Traditional: the cues are read on the normalised text) is a source
    assert _cue_row(candidates, ents, "3件", "市知識產權局")[source] == 1.0
    assert _cue_row(candidates, ents, "732件", "株洲市")[source] == 0.0
    # 株洲市 stands on a heading line; 市知識產權局 in a sentence
    assert _cue_row(candidates, ents, "732件", "株洲市")[heading] == 1.0
    assert _cue_row(candidates, ents, "3件", "市知識產權局")[heading] == 0.0


def _trained(nlp_factory_config, steps=30):
    """A relation extractor trained for ``steps`` updates on one annotated document; its pipeline and example."""
    pipeline = spacy.blank("zh")
    pipeline.tokenizer = CharTokenizer(pipeline.vocab)
    relations = pipeline.add_pipe("ipner_relations", config=nlp_factory_config)
    reference = annotate(
        pipeline, CUE_TEXT,
        [("2023年底", "DATE"), ("株洲市", "CITY"), ("专利授权量", "METRIC"), ("4825件", "QUANTITY"), ("发明专利", "METRIC"),
         ("732件", "QUANTITY")],
    )
    register_extensions()
    reference._.relations = [
        {"head": 3, "child": 2, "label": "metric", "score": 1.0}, {"head": 5, "child": 4, "label": "metric", "score": 1.0},
        {"head": 3, "child": 1, "label": "subject", "score": 1.0}, {"head": 3, "child": 0, "label": "time", "score": 1.0},
    ]
    example = Example(pipeline.make_doc(CUE_TEXT), reference)
    example.predicted.ents = [example.predicted.char_span(e.start_char, e.end_char, label=e.label_) for e in reference.ents]
    pipeline.initialize(lambda: [example])
    optimizer = pipeline.resume_training()
    for _ in range(steps):
        pipeline.update([example], sgd=optimizer)
    return pipeline, relations, example


@pytest.mark.parametrize("version", [1, 2])
def test_each_architecture_version_trains_and_predicts_with_its_own_layout(version):
    """A pipeline saved with v1 keeps computing v1 features; v2 computes its own: the model's attrs
    tell the component which layout its input has."""
    from thinc.api import Config

    from ipner.relations.component import DEFAULT_RELATION_MODEL

    config = Config().from_str(DEFAULT_RELATION_MODEL.replace("ipner.RelationModel.v2", f"ipner.RelationModel.v{version}"))
    pipeline, relations, example = _trained({"model": config["model"]}, steps=3)
    assert relations.pair_feature_version == version
    assert relations.candidates(example.predicted).features.shape[1] == n_pair_features(version)
    doc = relations(example.predicted)
    assert all(r["label"] in ("metric", "subject", "time") for r in doc._.relations)


def test_softmax_scores_each_slot_s_candidates_against_each_other_and_none():
    pipeline, relations, example = _trained({"normalization": "softmax"}, steps=0)
    candidates, scores = relations.predict([example.predicted])
    ents = list(example.predicted.ents)
    slots = relations._slots(candidates, [ents])
    # every row fits exactly one label here, and a slot's candidates share no more than probability 1
    assert (slots.fits.sum(axis=1) == 1).all()
    totals = numpy.zeros(len(slots.ids))
    rows, cols = numpy.nonzero(slots.fits)
    numpy.add.at(totals, slots.slot_of[rows, cols], scores[rows, cols])
    assert (totals < 1.0).all() and (totals > 0.0).all()
    assert (scores[~slots.fits] == 0).all()


def test_softmax_loss_gradient_matches_finite_differences():
    pipeline, relations, example = _trained({"normalization": "softmax"}, steps=0)
    _, candidates, targets, ents = relations._training_instances([example])
    slots = relations._slots(candidates, ents)
    rng = numpy.random.default_rng(0)
    logits = rng.normal(size=targets.shape).astype("float64")
    _, d_logits = relations._loss(logits, targets, slots)
    rows, cols = numpy.nonzero(slots.fits)
    assert len(rows) >= 6
    for row, col in list(zip(rows, cols))[:6]:
        shifted = logits.copy()
        shifted[row, col] += 1e-4
        up, _ = relations._loss(shifted, targets, slots)
        shifted[row, col] -= 2e-4
        down, _ = relations._loss(shifted, targets, slots)
        assert abs((up - down) / 2e-4 - float(d_logits[row, col])) < 1e-4  # probabilities are float32


@pytest.mark.parametrize("normalization", ["sigmoid", "softmax"])
def test_both_normalizations_learn_the_gold_links(normalization):
    pipeline, relations, example = _trained({"normalization": normalization}, steps=60)
    doc = relations(example.predicted)
    predicted = {(doc.ents[r["head"]].text, r["label"], doc.ents[r["child"]].text) for r in doc._.relations}
    assert {("4825件", "metric", "专利授权量"), ("732件", "metric", "发明专利"), ("4825件", "subject", "株洲市")} <= predicted
    assert relations.cfg["normalization"] == normalization


def test_an_unknown_normalization_is_refused():
    with pytest.raises(ValueError, match="normalization"):
        _trained({"normalization": "tanh"}, steps=0)
