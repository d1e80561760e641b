"""Suspected mislabels by confident learning (Northcutt, Jiang & Chuang 2021, "Confident
Learning: Estimating Uncertainty in Dataset Labels", JAIR 70). Pure: numbers in, a ranking out.

Method
------
1. Out-of-sample predicted probabilities ``p[i, j]`` for every labelled example (by
   cross-validation, :func:`out_of_sample_proba`: no example is scored by a model that saw it).
2. Per class ``j`` a threshold ``t_j``: the mean self-confidence ``p[i, j]`` over the examples
   labelled ``j``.
3. An example labelled ``y`` is *suspected* when some other class ``j`` reaches its threshold
   (``p[i, j] >= t_j``) while its own label does not (``p[i, y] < t_y``). Its suggested label is
   the most probable such class (the off-diagonal cell of the confident joint it falls into).
4. Suspects are ranked by the normalised margin ``p[i, suggested] - p[i, y]`` (largest first),
   the ranking the paper calls "prune by noise rate / normalised margin".

cleanlab implements the same; it is not a dependency, this is our own code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kundfokus.errors import InputError

__all__ = ["find_label_issues", "out_of_sample_proba", "per_class_thresholds"]


def per_class_thresholds(labels: Sequence[Any], proba: np.ndarray, classes: Sequence[Any]):
    """``t_j``: mean predicted probability of class ``j`` over the examples labelled ``j``
    (``inf`` for a class nobody carries, so it never attracts an example)."""
    y = np.asarray([str(v) for v in labels], dtype=object)
    cls = [str(c) for c in classes]
    t = np.full(len(cls), np.inf)
    for j, c in enumerate(cls):
        mask = y == c
        if mask.any():
            t[j] = float(proba[mask, j].mean())
    return t


def find_label_issues(labels: Sequence[Any], proba: Any, classes: Sequence[Any]) -> pd.DataFrame:
    """Rank the labels that are likely wrong.

    Parameters
    ----------
    labels:
        The given label of each example.
    proba:
        Out-of-sample predicted probabilities, shape ``(n, len(classes))``.
    classes:
        The class of each column of ``proba``.

    Returns
    -------
    pandas.DataFrame
        One row per suspected example, most suspicious first: ``index`` (position in
        ``labels``), ``label``, ``suggested``, ``p_label``, ``p_suggested``, ``margin``,
        ``threshold_label``, ``threshold_suggested``.

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.1, 0.9], [0.88, 0.12]])
    >>> issues = find_label_issues(["a", "a", "b", "b", "b"], p, ["a", "b"])
    >>> issues[["index", "suggested"]].values.tolist()
    [[4, 'a']]
    """
    p = np.asarray(proba, dtype=float)
    cls = [str(c) for c in classes]
    y = [str(v) for v in labels]
    if p.ndim != 2 or p.shape != (len(y), len(cls)):
        raise InputError(
            "predicted probabilities must have one row per label and one column per class",
            value=tuple(p.shape),
        )
    unknown = sorted(set(y) - set(cls))
    if unknown:
        raise InputError("a label is not among the classes", column="label", value=unknown[0])
    t = per_class_thresholds(y, p, cls)
    col = {c: j for j, c in enumerate(cls)}
    rows = []
    for i, lab in enumerate(y):
        jy = col[lab]
        if p[i, jy] >= t[jy]:
            continue
        over = [j for j in range(len(cls)) if j != jy and p[i, j] >= t[j]]
        if not over:
            continue
        js = max(over, key=lambda j: p[i, j])
        rows.append(
            {
                "index": i,
                "label": lab,
                "suggested": cls[js],
                "p_label": float(p[i, jy]),
                "p_suggested": float(p[i, js]),
                "margin": float(p[i, js] - p[i, jy]),
                "threshold_label": float(t[jy]),
                "threshold_suggested": float(t[js]),
            }
        )
    cols = ["index", "label", "suggested", "p_label", "p_suggested", "margin",
            "threshold_label", "threshold_suggested"]  # fmt: skip
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["margin", "index"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def out_of_sample_proba(
    x: Any,
    labels: Sequence[Any],
    make_model: Callable[[], Any],
    *,
    n_splits: int = 5,
    random_state: int = 0,
) -> tuple[np.ndarray, list[str]]:
    """Predicted probabilities of every example from a model that did not see it (stratified
    k-fold, ``k`` at most the size of the largest class and at least 2).

    ``x`` is anything the model's ``fit``/``predict_proba`` take that can be indexed by a numpy
    array of positions (a numpy array, or a list of texts, turned into an object array);
    ``make_model()`` returns a fresh unfitted model with ``classes_`` after fitting. A class
    missing from a fold's training part gets probability 0 in that fold.

    Returns ``(proba, classes)`` with the classes sorted.
    """
    import warnings

    from sklearn.model_selection import StratifiedKFold

    y = np.asarray([str(v) for v in labels], dtype=object)
    xs = np.asarray(x, dtype=object) if isinstance(x, list) else np.asarray(x)
    classes = sorted(set(y.tolist()))
    counts = pd.Series(y).value_counts()
    if len(classes) < 2 or len(y) < 4:
        raise InputError(
            "too few labels for cross-validated probabilities",
            value=len(y),
            hint="at least 4 labelled examples in 2 classes",
        )
    k = int(max(2, min(n_splits, counts.max(), len(y) // 2)))
    proba = np.zeros((len(y), len(classes)))
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=random_state)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*least populated class.*")
        splits = list(folds.split(np.zeros(len(y)), y))
    for train_idx, test_idx in splits:
        model = make_model()
        xt = xs[train_idx]
        model.fit(list(xt) if xs.dtype == object else xt, list(y[train_idx]))
        xv = xs[test_idx]
        p = np.asarray(model.predict_proba(list(xv) if xs.dtype == object else xv))
        for j, c in enumerate(model.classes_):
            proba[test_idx, classes.index(str(c))] = p[:, j]
    return proba, classes
