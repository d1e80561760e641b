"""ContactClassifier / TagClassifier: estimator contract, calibration, out-of-scope, languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.base import clone

from classifier_data import SWEDISH_TEST, TRAIN
from kundfokus.contacts.classifier import (
    ContactClassifier,
    TagClassifier,
    choose_oos_threshold,
    classify_frame,
    fit_temperature,
)
from kundfokus.contacts.evaluation import evaluate
from kundfokus.errors import InputError

TEXTS = [t for t, _, _ in TRAIN]
LABELS = [p for _, p, _ in TRAIN]


@pytest.fixture(scope="module")
def fitted() -> ContactClassifier:
    return ContactClassifier(axis="purpose_type").fit(TEXTS, LABELS)


def test_get_params_set_params_clone():
    clf = ContactClassifier(axis="urgency", C=3.0, oos_threshold=0.4)
    params = clf.get_params()
    assert params["axis"] == "urgency" and params["C"] == 3.0 and params["oos_threshold"] == 0.4
    c2 = clone(clf)
    assert c2 is not clf and c2.get_params() == params
    c2.set_params(C=0.5, features="tfidf")
    assert c2.C == 0.5 and clf.C == 3.0
    assert not hasattr(c2, "classes_")  # clone is unfitted


def test_fit_predict_shapes_and_classes(fitted):
    assert fitted.classes_.tolist() == ["intent", "need", "problem", "question"]
    proba = fitted.predict_proba(TEXTS[:5])
    assert proba.shape == (5, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert np.all(proba >= 0)
    pred = fitted.predict(TEXTS[:5])
    assert pred.shape == (5,)
    assert set(pred) <= set(fitted.classes_)
    # predict = arg-max of predict_proba (no threshold without "other" examples)
    assert fitted.threshold_ == 0.0
    assert pred.tolist() == fitted.classes_[proba.argmax(axis=1)].tolist()
    assert fitted.score(TEXTS, LABELS) > 0.95  # training fit
    assert 0 < fitted.temperature_ < 100
    assert fitted.oof_accuracy_ is not None and 0 <= fitted.oof_ece_ <= 1
    assert fitted.n_train_ == len(TEXTS)


def test_accepts_series_and_frames(fitted):
    a = fitted.predict_proba(pd.Series(TEXTS[:3]))
    b = fitted.predict_proba(pl.Series(TEXTS[:3]))
    c = fitted.predict_proba(pl.DataFrame({"text": TEXTS[:3]}))
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(a, c)


def test_swedish_end_to_end(fitted):
    texts = [t for t, _ in SWEDISH_TEST]
    truth = [p for _, p in SWEDISH_TEST]
    pred = fitted.predict(texts)
    # every unseen Swedish contact gets its purpose type
    assert pred.tolist() == truth
    out = classify_frame(fitted, pl.DataFrame({"msg": texts}), text_col="msg")
    assert out.columns.tolist() == ["purpose_type", "purpose_type_confidence"]
    assert out["purpose_type"].tolist() == truth
    assert out["purpose_type_confidence"].between(0, 1).all()


def test_classify_frame_duckdb(fitted):
    import duckdb

    rel = duckdb.sql("select 'Jag vill säga upp mitt konto' as text, 1 as id")
    out = classify_frame(fitted, rel)
    assert out["purpose_type"].tolist() == ["intent"]
    with pytest.raises(InputError, match="no such column"):
        classify_frame(fitted, pd.DataFrame({"x": ["a"]}))


def test_bad_input_names_row_and_column():
    with pytest.raises(InputError) as e:
        ContactClassifier().fit(["card lost", "  ", "x"], ["a", "b", "a"])
    assert e.value.row == 2 and e.value.column == "text"
    with pytest.raises(InputError) as e:
        ContactClassifier().fit(["a", "b"], ["x", None])
    assert e.value.row == 2 and e.value.column == "label"
    with pytest.raises(InputError, match="two different labels"):
        ContactClassifier().fit(["a", "b"], ["x", "x"])
    with pytest.raises(InputError, match="oos_threshold"):
        ContactClassifier(oos_threshold=2.0).fit(["a", "b"], ["x", "y"])
    with pytest.raises(InputError, match="feature set"):
        ContactClassifier(features="bert").fit(["a", "b"], ["x", "y"])


def test_temperature_scaling_recovers_known_temperature():
    # labels drawn from softmax(z / 2): the fitted temperature on scores z should be about 2
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, size=(4000, 3))
    p = np.exp(z / 2) / np.exp(z / 2).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(3, p=row) for row in p])
    assert fit_temperature(z, y) == pytest.approx(2.0, rel=0.1)


def test_calibrated_confidence_is_close_to_accuracy():
    """On a noisy problem the out-of-fold ECE after temperature scaling is small."""
    rng = np.random.default_rng(1)
    words = {c: [f"{c}{i}" for i in range(6)] for c in "abc"}
    shared = [f"s{i}" for i in range(12)]
    texts, labels = [], []
    for _ in range(600):
        c = rng.choice(list("abc"))
        own = rng.choice(words[c], 1).tolist()
        noise = rng.choice(shared, 3).tolist()
        if rng.random() < 0.3:  # 30 % of texts carry another class's word instead
            own = rng.choice(words[rng.choice([k for k in "abc" if k != c])], 1).tolist()
        texts.append(" ".join(own + noise))
        labels.append(c)
    clf = ContactClassifier(char_ngrams=None, calibration_folds=5).fit(texts, labels)
    assert clf.oof_ece_ < 0.08
    # confidence reflects the ~70 % accuracy, not the overconfident raw scores
    conf = clf.predict_proba(texts).max(axis=1)
    assert 0.55 < conf.mean() < 0.85


def test_oos_threshold_on_constructed_case():
    """'other' examples are unlike every class; the auto threshold sends new oddities to 'other'."""
    base = {
        "card": [
            "card lost",
            "lost my card",
            "card stolen",
            "my card is gone",
            "card missing",
            "stolen card help",
            "I lost the card",
            "card was stolen today",
        ],
        "loan": [
            "loan rate",
            "interest on my loan",
            "loan payment",
            "pay off the loan early",
            "loan amount",
            "my loan interest",
            "apply for a loan",
            "loan repayment",
        ],
    }
    other = [
        "weather tomorrow",
        "pizza recipe",
        "football score",
        "song lyrics",
        "train timetable",
        "cinema tickets",
        "best hiking boots",
        "garden flowers",
    ]
    texts = [t for v in base.values() for t in v] + other
    labels = [k for k, v in base.items() for _ in v] + ["other"] * len(other)
    clf = ContactClassifier(oos_threshold="auto", calibration_folds=4).fit(texts, labels)
    assert "other" in clf.classes_
    assert 0 <= clf.threshold_ <= 1
    pred = clf.predict(["my card got stolen", "loan interest rate", "movie showtimes tonight"])
    assert pred.tolist()[:2] == ["card", "loan"]
    assert pred[2] == "other"


def test_fixed_threshold_turns_low_confidence_into_other():
    clf = ContactClassifier(calibration_folds=0, oos_threshold=0.99).fit(
        ["card lost", "lost card", "loan rate", "rate of loan"], ["card", "card", "loan", "loan"]
    )
    labels, conf = clf.predict_with_confidence(["card lost", "zzz"])
    assert labels[1] == "other" and conf[1] < 0.99
    clf.set_params(oos_threshold=None)
    clf.fit(
        ["card lost", "lost card", "loan rate", "rate of loan"], ["card", "card", "loan", "loan"]
    )
    assert "other" not in clf.predict(["zzz"]).tolist()


def test_choose_oos_threshold_by_hand():
    # in-scope tops .9 (right), .8 (right); oos tops .55, .6. Any t in (.6, .8] catches both oos
    # and keeps both in-scope right: balanced accuracy 1. The chosen t is the midpoint .7.
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.55, 0.45], [0.4, 0.6]])
    t = choose_oos_threshold(["a", "b", "other", "other"], p, ["a", "b"])
    assert t == pytest.approx(0.7)
    with pytest.raises(InputError):
        choose_oos_threshold(["a", "b"], p[:2], ["a", "b"])


def test_evaluate_integration(fitted):
    texts = [t for t, _ in SWEDISH_TEST]
    truth = [p for _, p in SWEDISH_TEST]
    ev = evaluate(
        truth, fitted.predict(texts), proba=fitted.predict_proba(texts), classes=fitted.classes_
    )
    assert ev.accuracy == 1.0 and ev.ece is not None


def test_tag_classifier_multi_label():
    texts = [
        "we are moving house next week",
        "flyttar till ny adress i maj",
        "moving to a new flat",
        "ny adress efter flytten",
        "changing address, moving soon",
        "vi flyttar till Umeå",
        "my husband passed away",
        "min mamma har dött",
        "death in the family, what do I do",
        "dödsbo efter min pappa",
        "bereavement: my wife died",
        "min man har gått bort",
        "I am moving after my father died",
        "flyttar efter att min mamma dog",
        "what are your opening hours",
        "hur mycket kostar kortet",
        "card not working",
        "jag vill byta pinkod",
        "how do I top up",
        "vad är växelkursen",
    ]
    tags = [["moving"]] * 6 + [["bereavement"]] * 6 + [["moving", "bereavement"]] * 2 + [[]] * 6
    tc = TagClassifier(calibration_folds=3).fit(texts, tags)
    assert tc.classes_.tolist() == ["bereavement", "moving"]
    p = tc.predict_proba(["we are moving next month", "min pappa har dött"])
    assert p.shape == (2, 2) and np.all((p >= 0) & (p <= 1))
    got = tc.predict_tags(["we are moving next month", "min pappa har dött", "opening hours?"])
    assert "moving" in got[0] and "bereavement" not in got[0]
    assert "bereavement" in got[1]
    assert got[2] == []
    assert tc.score(texts, tags) > 0.9
    assert clone(tc).get_params()["threshold"] == "auto"
    # '|'-separated text form works too
    tc2 = TagClassifier(calibration_folds=0, threshold=0.5).fit(texts, ["|".join(t) for t in tags])
    assert tc2.classes_.tolist() == ["bereavement", "moving"]


@pytest.mark.spark
def test_classify_frame_spark(fitted, spark):
    sdf = spark.createDataFrame(
        [(1, "Jag vill säga upp mitt konto"), (2, "What is the exchange rate for euro today?")],
        ["id", "text"],
    )
    out = classify_frame(fitted, sdf)
    assert out["purpose_type"].tolist() == ["intent", "question"]
