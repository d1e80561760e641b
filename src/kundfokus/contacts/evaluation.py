"""How good is a contact classifier? Accuracy, macro F1, per-class figures, calibration, out-of-scope.

Everything here is a pure function of labels (and, for calibration, of predicted probabilities), so
the same figures come out whichever model made the predictions: the TF-IDF classifier, a rule
model or a person.

Definitions
-----------
accuracy
    share of contacts whose predicted label equals the true label.
macro F1
    the unweighted mean of the per-class F1 scores over every label that occurs in the true *or*
    the predicted labels (scikit-learn's ``average="macro"``); rare classes weigh as much as common
    ones.
expected calibration error (ECE)
    Guo et al. (2017): sort contacts into 15 equal-width bins by their top probability (confidence),
    and take the support-weighted mean of ``|accuracy in bin - mean confidence in bin|``. The
    correctness used is that of the top-probability label (the arg-max of ``proba``), not of a
    prediction that an out-of-scope threshold turned into ``"other"``.
out-of-scope figures (only when ``oos_label`` occurs in the true labels)
    ``oos_recall``: share of truly out-of-scope contacts predicted as ``oos_label``;
    ``oos_precision``: share of contacts predicted as ``oos_label`` that truly are;
    ``in_scope_accuracy``: accuracy over the contacts whose true label is not ``oos_label``
    (Larson et al. 2019).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kundfokus.errors import InputError

__all__ = [
    "EvaluationResult",
    "evaluate",
    "expected_calibration_error",
    "reliability_table",
]


@dataclass
class EvaluationResult:
    """Figures from :func:`evaluate`.

    (Called ``Evaluation`` before 0.2, which also named the store's table of evaluations,
    :class:`kundfokus.store.models.Evaluation`; the old name still works here, with a warning.)

    Attributes
    ----------
    n : int
        Number of contacts evaluated.
    accuracy : float
        Share predicted exactly right (0..1).
    macro_f1 : float
        Unweighted mean F1 over the labels in the true or predicted labels (0..1).
    per_class : pandas.DataFrame
        One row per label: ``label, precision, recall, f1, support`` (support = number of contacts
        with that true label).
    ece : float or None
        Expected calibration error (15 bins, top label); ``None`` without probabilities.
    oos_recall, oos_precision, in_scope_accuracy : float or None
        Out-of-scope figures; ``None`` when the out-of-scope label does not occur in the true
        labels. ``oos_precision`` is ``None`` as well when nothing was predicted out of scope.
    oos_label : str
        The label that means "fits no known reason".
    """

    n: int
    accuracy: float
    macro_f1: float
    per_class: pd.DataFrame
    ece: float | None = None
    oos_recall: float | None = None
    oos_precision: float | None = None
    in_scope_accuracy: float | None = None
    oos_label: str = "other"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the headline figures plus ``per_class`` as a list of records."""
        out: dict[str, Any] = {
            "n": int(self.n),
            "accuracy": float(self.accuracy),
            "macro_f1": float(self.macro_f1),
            "ece": None if self.ece is None else float(self.ece),
            "oos_label": self.oos_label,
            "oos_recall": self.oos_recall,
            "oos_precision": self.oos_precision,
            "in_scope_accuracy": self.in_scope_accuracy,
        }
        out.update(self.extra)
        out["per_class"] = [
            {
                "label": str(r.label),
                "precision": float(r.precision),
                "recall": float(r.recall),
                "f1": float(r.f1),
                "support": int(r.support),
            }
            for r in self.per_class.itertuples(index=False)
        ]
        return out


def _as_labels(values: Any, name: str) -> np.ndarray:
    if values is None:
        raise InputError(f"{name} is missing")
    if hasattr(values, "to_numpy"):
        arr = values.to_numpy()
    elif hasattr(values, "to_list"):
        arr = np.asarray(values.to_list(), dtype=object)
    else:
        arr = np.asarray(list(values), dtype=object)
    arr = np.asarray(arr, dtype=object).ravel()
    for i, v in enumerate(arr):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            raise InputError("a label is missing", row=i + 1, column=name, value=v)
    return arr.astype(str).astype(object)


def expected_calibration_error(
    confidence: Sequence[float] | np.ndarray,
    correct: Sequence[bool] | np.ndarray,
    n_bins: int = 15,
) -> float:
    """Expected calibration error over equal-width confidence bins (Guo et al. 2017).

    Parameters
    ----------
    confidence : array of float in [0, 1]
        The model's confidence in each prediction (its top probability).
    correct : array of bool
        Whether each prediction was right.
    n_bins : int, default 15
        Number of equal-width bins over [0, 1]; bin ``b`` holds confidences in
        ``(b/n_bins, (b+1)/n_bins]`` (a confidence of exactly 0 goes into the first bin).

    Returns
    -------
    float
        ``sum_b |B_b|/n * |acc(B_b) - conf(B_b)|``, between 0 (perfect) and 1.

    Examples
    --------
    Two contacts at 0.9 confidence, one right and one wrong (bin accuracy 0.5, gap 0.4), and two at
    0.6, both right (gap 0.4): ECE = 0.5 * 0.4 + 0.5 * 0.4 = 0.4.

    >>> round(expected_calibration_error([0.9, 0.9, 0.6, 0.6], [True, False, True, True]), 6)
    0.4
    """
    conf = np.asarray(confidence, dtype=float).ravel()
    ok = np.asarray(correct, dtype=bool).ravel()
    if conf.shape != ok.shape:
        raise InputError("confidence and correct must have the same length")
    if conf.size == 0:
        raise InputError("nothing to evaluate: no predictions")
    if np.any(~np.isfinite(conf)) or np.any(conf < 0) or np.any(conf > 1 + 1e-9):
        bad = int(np.flatnonzero(~np.isfinite(conf) | (conf < 0) | (conf > 1 + 1e-9))[0])
        raise InputError(
            "a confidence is not a probability in [0, 1]", row=bad + 1, value=float(conf[bad])
        )
    table = reliability_table(conf, ok, n_bins=n_bins)
    n = conf.size
    return float((table["n"] / n * (table["accuracy"] - table["confidence"]).abs()).sum())


def reliability_table(
    confidence: Sequence[float] | np.ndarray,
    correct: Sequence[bool] | np.ndarray,
    n_bins: int = 15,
) -> pd.DataFrame:
    """Per-bin accuracy and mean confidence, the data of a reliability diagram.

    Parameters
    ----------
    confidence, correct, n_bins
        As in :func:`expected_calibration_error`.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin: ``bin_low, bin_high, n, confidence`` (mean confidence in the
        bin) and ``accuracy`` (share right in the bin). A well-calibrated model has
        ``accuracy`` close to ``confidence`` in every bin.

    Examples
    --------
    >>> reliability_table([0.95, 0.95, 0.55], [True, True, False], n_bins=2)
       bin_low  bin_high  n  confidence  accuracy
    0      0.5       1.0  3    0.816667  0.666667
    """
    conf = np.clip(np.asarray(confidence, dtype=float).ravel(), 0.0, 1.0)
    ok = np.asarray(correct, dtype=bool).ravel()
    # bin b holds (b/n_bins, (b+1)/n_bins]; 0 goes to bin 0
    # (a tolerance keeps 0.8 * 15 = 12.000000000000002 in bin 11, its exact place)
    idx = np.clip(np.ceil(conf * n_bins - 1e-9).astype(int) - 1, 0, n_bins - 1)
    rows = []
    for b in range(n_bins):
        mask = idx == b
        k = int(mask.sum())
        if k == 0:
            continue
        rows.append(
            {
                "bin_low": b / n_bins,
                "bin_high": (b + 1) / n_bins,
                "n": k,
                "confidence": float(conf[mask].mean()),
                "accuracy": float(ok[mask].mean()),
            }
        )
    return pd.DataFrame(rows, columns=["bin_low", "bin_high", "n", "confidence", "accuracy"])


def evaluate(
    y_true: Iterable[Any],
    y_pred: Iterable[Any],
    proba: np.ndarray | None = None,
    classes: Sequence[Any] | None = None,
    oos_label: str = "other",
    n_bins: int = 15,
) -> EvaluationResult:
    """Accuracy, macro F1, per-class figures, calibration and out-of-scope figures.

    Parameters
    ----------
    y_true : sequence of labels
        The right answers (labels are compared as text).
    y_pred : sequence of labels
        The predictions, same length.
    proba : array of shape (n, n_classes), optional
        Predicted probabilities; enables the expected calibration error.
    classes : sequence of labels, optional
        The labels of ``proba``'s columns (a classifier's ``classes_``); required with ``proba``.
    oos_label : str, default "other"
        The label meaning "fits no known reason". When it occurs in ``y_true`` the result has
        ``oos_recall``, ``oos_precision`` and ``in_scope_accuracy``.
    n_bins : int, default 15
        Bins for the calibration error.

    Returns
    -------
    EvaluationResult
        See :class:`EvaluationResult`; ``.to_dict()`` gives a JSON-ready dict.

    Examples
    --------
    >>> ev = evaluate(["a", "a", "b", "other"], ["a", "b", "b", "other"])
    >>> ev.n, ev.accuracy, round(ev.macro_f1, 4)
    (4, 0.75, 0.7778)
    >>> ev.oos_recall, ev.oos_precision, round(ev.in_scope_accuracy, 4)
    (1.0, 1.0, 0.6667)
    >>> ev.per_class[["label", "precision", "recall", "support"]]
       label  precision  recall  support
    0      a        1.0     0.5        2
    1      b        0.5     1.0        1
    2  other        1.0     1.0        1
    """
    yt = _as_labels(y_true, "y_true")
    yp = _as_labels(y_pred, "y_pred")
    if yt.shape != yp.shape:
        raise InputError(
            f"y_true has {yt.size} labels but y_pred has {yp.size}",
            hint="give one prediction per contact",
        )
    n = int(yt.size)
    if n == 0:
        raise InputError("nothing to evaluate: no labelled contacts")
    labels = sorted(set(yt.tolist()) | set(yp.tolist()))
    rows = []
    for lab in labels:
        tp = int(np.sum((yt == lab) & (yp == lab)))
        pred_n = int(np.sum(yp == lab))
        support = int(np.sum(yt == lab))
        precision = tp / pred_n if pred_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(
            {"label": lab, "precision": precision, "recall": recall, "f1": f1, "support": support}
        )
    per_class = pd.DataFrame(rows, columns=["label", "precision", "recall", "f1", "support"])
    accuracy = float(np.mean(yt == yp))
    macro_f1 = float(per_class["f1"].mean())

    ece = None
    if proba is not None:
        if classes is None:
            raise InputError("classes are needed to read the columns of proba")
        p = np.asarray(proba, dtype=float)
        cls = np.asarray([str(c) for c in classes], dtype=object)
        if p.ndim != 2 or p.shape[0] != n or p.shape[1] != cls.size:
            raise InputError(
                f"proba has shape {p.shape}, expected ({n}, {cls.size})",
                hint="one row per contact, one column per class",
            )
        rows_, top = top_index(p)
        ece = expected_calibration_error(p[rows_, top], cls[top] == yt, n_bins=n_bins)

    oos_recall = oos_precision = in_scope_accuracy = None
    oos = str(oos_label)
    is_oos = yt == oos
    if is_oos.any():
        oos_recall = float(np.mean(yp[is_oos] == oos))
        pred_oos = yp == oos
        oos_precision = float(np.mean(yt[pred_oos] == oos)) if pred_oos.any() else None
        in_scope_accuracy = float(np.mean(yt[~is_oos] == yp[~is_oos])) if (~is_oos).any() else None
    return EvaluationResult(
        n=n,
        accuracy=accuracy,
        macro_f1=macro_f1,
        per_class=per_class,
        ece=ece,
        oos_recall=oos_recall,
        oos_precision=oos_precision,
        in_scope_accuracy=in_scope_accuracy,
        oos_label=oos,
    )


def top_index(proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pair selecting each row's top probability: ``proba[top_index(proba)]``.

    Examples
    --------
    >>> top_index(np.array([[0.2, 0.8], [0.6, 0.4]]))[1].tolist()
    [1, 0]
    """
    return np.arange(proba.shape[0]), proba.argmax(axis=1)


def __getattr__(name: str) -> Any:
    """``Evaluation``, the name of :class:`EvaluationResult` before 0.2: warns, then gives it."""
    if name == "Evaluation":
        warnings.warn(
            "kundfokus.contacts.evaluation.Evaluation is deprecated and will be removed after 0.2; "
            "use EvaluationResult (kundfokus.store.models.Evaluation is the table of stored "
            "evaluations)",
            DeprecationWarning,
            stacklevel=2,
        )
        return EvaluationResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
