"""Confident learning finds planted label flips."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from kundfokus.contacts.mislabels import (
    find_label_issues,
    out_of_sample_proba,
    per_class_thresholds,
)
from kundfokus.errors import InputError


def _planted(seed: int, n_per: int = 100, k: int = 3, flip: float = 0.1):
    rng = np.random.default_rng(seed)
    centres = 5.0 * np.array([[np.cos(a), np.sin(a)] for a in 2 * np.pi * np.arange(k) / k])
    x = np.vstack([rng.normal(c, 1.0, size=(n_per, 2)) for c in centres])
    y = np.repeat([f"c{j}" for j in range(k)], n_per)
    flipped = rng.random(len(y)) < flip
    given = y.copy()
    for i in np.flatnonzero(flipped):
        given[i] = rng.choice([c for c in np.unique(y) if c != y[i]])
    return x, y, given, set(np.flatnonzero(flipped).tolist())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_flips_are_found_far_above_chance(seed):
    x, _, given, planted = _planted(seed)
    proba, classes = out_of_sample_proba(
        x, list(given), lambda: LogisticRegression(max_iter=500), n_splits=5, random_state=seed
    )
    issues = find_label_issues(list(given), proba, classes)
    top = set(issues["index"].head(len(planted)).tolist())
    recall = len(top & planted) / len(planted)
    chance = len(planted) / len(given)
    assert recall > 0.7 and recall > 5 * chance, (recall, chance)
    # the suggested label is mostly the true one for the planted flips
    assert issues["margin"].is_monotonic_decreasing
    assert (issues["p_suggested"] > issues["p_label"]).all()


def test_clean_labels_give_few_suspects():
    x, y, _, _ = _planted(3, flip=0.0)
    proba, classes = out_of_sample_proba(x, list(y), lambda: LogisticRegression(max_iter=500))
    assert len(find_label_issues(list(y), proba, classes)) < 0.05 * len(y)


def test_thresholds_are_mean_self_confidence():
    p = np.array([[0.9, 0.1], [0.7, 0.3], [0.4, 0.6]])
    t = per_class_thresholds(["a", "a", "b"], p, ["a", "b"])
    assert t.tolist() == pytest.approx([0.8, 0.6])


def test_bad_input_is_named():
    with pytest.raises(InputError, match="one row per label"):
        find_label_issues(["a"], np.array([[0.5, 0.5], [0.5, 0.5]]), ["a", "b"])
    with pytest.raises(InputError, match="not among the classes"):
        find_label_issues(["z"], np.array([[0.5, 0.5]]), ["a", "b"])
    with pytest.raises(InputError, match="too few labels"):
        out_of_sample_proba(np.zeros((3, 1)), ["a", "a", "a"], LogisticRegression)
