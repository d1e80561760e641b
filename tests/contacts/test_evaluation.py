"""Evaluation figures on cases computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kundfokus.contacts.evaluation import (
    evaluate,
    expected_calibration_error,
    reliability_table,
)
from kundfokus.errors import InputError


def test_accuracy_macro_f1_per_class_by_hand():
    # a: tp=1, predicted 1, support 2 -> p=1, r=.5, f1=2/3
    # b: tp=1, predicted 3, support 1 -> p=1/3, r=1, f1=1/2
    # c: tp=0, predicted 0, support 1 -> p=0, r=0, f1=0
    ev = evaluate(["a", "a", "b", "c"], ["a", "b", "b", "b"])
    assert ev.n == 4
    assert ev.accuracy == pytest.approx(0.5)
    assert ev.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    pc = ev.per_class.set_index("label")
    assert pc.loc["a", "precision"] == 1.0 and pc.loc["a", "recall"] == 0.5
    assert pc.loc["b", "precision"] == pytest.approx(1 / 3) and pc.loc["b", "recall"] == 1.0
    assert pc.loc["c", "f1"] == 0.0 and pc.loc["c", "support"] == 1
    assert ev.ece is None and ev.oos_recall is None


def test_matches_scikit_learn_on_random_labels():
    from sklearn.metrics import accuracy_score, f1_score

    rng = np.random.default_rng(3)
    yt = rng.choice(list("abcde"), 300)
    yp = np.where(rng.random(300) < 0.6, yt, rng.choice(list("abcdef"), 300))
    ev = evaluate(yt, yp)
    assert ev.accuracy == pytest.approx(accuracy_score(yt, yp))
    assert ev.macro_f1 == pytest.approx(f1_score(yt, yp, average="macro"))


def test_out_of_scope_figures_by_hand():
    ev = evaluate(["a", "other", "other", "b"], ["a", "other", "a", "other"])
    assert ev.oos_recall == 0.5  # one of two out-of-scope contacts caught
    assert ev.oos_precision == 0.5  # one of two "other" predictions was right
    assert ev.in_scope_accuracy == 0.5  # a right, b sent to other
    d = ev.to_dict()
    assert {"accuracy", "macro_f1", "n", "oos_recall", "oos_precision", "ece"} <= set(d)
    # nothing predicted out of scope: precision undefined, not 0
    ev2 = evaluate(["a", "other"], ["a", "a"])
    assert ev2.oos_recall == 0.0 and ev2.oos_precision is None


def test_ece_hand_case_with_probabilities():
    # top confidences 0.8, 0.7, 0.6 in three different 1/15-bins; right, right, wrong
    proba = np.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    ev = evaluate(["a", "b", "b"], ["a", "b", "a"], proba=proba, classes=["a", "b"])
    assert ev.ece == pytest.approx((0.2 + 0.3 + 0.6) / 3)


def test_ece_same_bin_averages_before_gap():
    # 0.9 and 0.9 share a bin: accuracy .5 vs confidence .9 -> gap .4 (not mean of per-row gaps)
    assert expected_calibration_error([0.9, 0.9], [True, False]) == pytest.approx(0.4)
    # perfectly calibrated in every bin
    conf = [0.75] * 4
    assert expected_calibration_error(conf, [True, True, True, False]) == pytest.approx(0.0)


def test_bin_edges_follow_guo():
    # bin b holds (b/15, (b+1)/15]: 2/15 belongs to the second bin, a hair above it to the third
    t = reliability_table([2 / 15, 2 / 15 + 1e-6, 0.0], [True, True, True])
    assert t["bin_high"].round(6).tolist() == [round(1 / 15, 6), round(2 / 15, 6), round(3 / 15, 6)]
    assert isinstance(t, pd.DataFrame)


def test_ece_uses_top_label_not_thresholded_prediction():
    # the prediction was turned into "other" by a threshold; ECE still judges the arg-max label
    proba = np.array([[0.4, 0.35, 0.25]])
    ev = evaluate(["a"], ["other"], proba=proba, classes=["a", "b", "c"])
    assert ev.accuracy == 0.0
    assert ev.ece == pytest.approx(0.6)  # arg-max "a" is right, confidence .4


def test_bad_input_is_input_error():
    with pytest.raises(InputError, match="y_pred has 1"):
        evaluate(["a", "b"], ["a"])
    with pytest.raises(InputError) as e:
        evaluate(["a", None], ["a", "b"])
    assert e.value.row == 2
    with pytest.raises(InputError, match="shape"):
        evaluate(["a"], ["a"], proba=np.ones((1, 3)) / 3, classes=["a", "b"])
    with pytest.raises(InputError):
        expected_calibration_error([1.5], [True])
    with pytest.raises(InputError):
        evaluate([], [])


def test_old_class_name_evaluation_warns_and_is_the_result_class():
    from kundfokus.contacts import evaluation
    from kundfokus.contacts.evaluation import EvaluationResult

    ev = evaluate(["a", "b"], ["a", "a"])
    assert type(ev) is EvaluationResult
    with pytest.warns(DeprecationWarning, match="use EvaluationResult") as record:
        old = evaluation.Evaluation
    assert record[0].filename == __file__
    assert old is EvaluationResult and isinstance(ev, old)
    with pytest.warns(DeprecationWarning):
        from kundfokus.contacts.evaluation import Evaluation
    assert Evaluation(**vars(ev)).to_dict() == ev.to_dict()
    assert "Evaluation" not in evaluation.__all__
    with pytest.raises(AttributeError):
        evaluation.NoSuchName  # noqa: B018
