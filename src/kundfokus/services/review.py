"""The review loop: a queue of contacts worth a person's look, corrections that teach, retraining
from the full label set, and the accuracy of every model version over time.

The service functions (:func:`review_queue`, :func:`correct`, :func:`retrain`, :func:`history`)
take an open store session, so that the CLI and a web route call exactly the same code; the
scoring itself (:func:`rank_for_review`, :func:`uncertainty`) is pure and works on plain frames.

Queue order
-----------
Each candidate contact (one that no person has labelled yet on the axes asked for) gets

``score = w_uncertainty * uncertainty + w_disagreement * disagreement - w_diversity * similarity``

- ``uncertainty`` (0..1): how unsure the current guess is. For a model guess, by default
  ``1 - margin`` where margin is the probability of the best label minus that of the runner-up
  (``measure="least_confident"`` uses ``1 - p_best``, ``measure="entropy"`` the normalised
  entropy). A rule-only guess counts ``1 - confidence``; no guess at all counts 1.
- ``disagreement`` (0 or 1): the rules and the model say different things.
- ``similarity`` (0..1): the highest TF-IDF cosine similarity to a contact already picked for this
  queue. Contacts are picked greedily, best score first, and the penalty is recomputed after each
  pick, so 20 near-identical contacts do not fill the queue.

Across several axes (``need``, ``situation``, ``all``) a contact's uncertainty is the mean over
the axes not yet labelled by a person (so an axis nobody guesses yet, counting 1 everywhere, does
not drown the others) and its disagreement is the largest over them. The weights are parameters
(:class:`QueueWeights`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kundfokus.base import Result
from kundfokus.contacts.active_learning import (
    _WHY,
    TOP_K,
    QueueWeights,
    _similarity_matrix,  # noqa: F401
    rank_for_review,
    uncertainty,
)
from kundfokus.errors import InputError
from kundfokus.i18n import tr
from kundfokus.store.models import (
    Correction,
    Evaluation,
    Inference,
    Label,
    ModelVersion,
    utcnow,
)
from kundfokus.store.repositories import (
    check_axis,
    contacts_frame,
    current_inferences,
    current_labels,
    ensure_taxonomy_labels,
    get_contact,
    latest_model,
    model_versions,
    resolve_axes,
)

# ---------------------------------------------------------------------------------------------
# services


def review_queue(
    session: Session,
    axis: str | None = "need",
    *,
    limit: int = 20,
    weights: QueueWeights = QueueWeights(),
    measure: str = "margin",
    lang: str = "en",
    include_labelled: bool = False,
) -> pd.DataFrame:
    """The contacts a person should look at next, most instructive first.

    Parameters
    ----------
    session:
        An open store session.
    axis:
        One axis (``reason``, ``purpose``, ``urgency``, ``treatment``, ``mood``, ``tags``), a group
        (``need``, ``situation``) or ``all``.
    limit:
        Queue length.
    weights, measure:
        Score weights and the uncertainty measure (see the module docstring).
    lang:
        Language of the ``why`` text (``en`` or ``sv``).
    include_labelled:
        Also queue contacts a person has already labelled on every asked axis.

    Returns
    -------
    pandas.DataFrame
        One row per queued contact: ``rank, id`` (external id), ``text`` (as stored, redacted),
        ``inferences`` (list of dicts ``axis, label, confidence, source, model_version``),
        ``uncertainty``, ``disagreement``, ``similarity``, ``score`` and ``why``.
    """
    axes = resolve_axes(axis)
    contacts = contacts_frame(session)
    out_cols = [
        "rank", "id", "text", "inferences", "uncertainty", "disagreement", "similarity",
        "score", "why",
    ]  # fmt: skip
    if contacts.empty:
        return pd.DataFrame(columns=out_cols)
    labels = current_labels(session, axes)
    if not include_labelled and not labels.empty:
        n_labelled = labels.groupby("contact_id")["axis"].nunique()
        done = set(n_labelled[n_labelled >= len(axes)].index)
        contacts = contacts[~contacts["contact_id"].isin(done)]
    inf = current_inferences(session, axes)
    n_classes = {mv.axis: len(mv.classes) for a in axes if (mv := latest_model(session, a))}
    labelled_pairs = set(zip(labels["contact_id"], labels["axis"], strict=True))
    by_contact: dict[int, list[dict[str, Any]]] = {}
    for r in inf.itertuples(index=False):
        by_contact.setdefault(int(r.contact_id), []).append(r._asdict())

    rows = []
    for c in contacts.itertuples(index=False):
        cid = int(c.contact_id)
        rows_c = by_contact.get(cid, [])
        unc_sum, n_axes, dis_best, reasons, shown = 0.0, 0, 0.0, [], []
        for a in axes:
            if (cid, a) in labelled_pairs and not include_labelled:
                continue
            model = next((r for r in rows_c if r["axis"] == a and r["source"] == "model"), None)
            rules = next((r for r in rows_c if r["axis"] == a and r["source"] == "rules"), None)
            current = model or rules
            if current is None:
                u = 1.0
                reasons.append((u, tr(_WHY["none"], lang, axis=a)))
            else:
                u = uncertainty(
                    (current["scores"] or None) if a != "tags" else None,
                    current["confidence"],
                    measure=measure,
                    n_classes=n_classes.get(a),
                )
                probs = sorted((current["scores"] or {}).values(), reverse=True)
                conf = float(current["confidence"])
                if current["source"] == "model" and len(probs) > 1 and a != "tags":
                    why = tr(_WHY["unsure_model"], lang, axis=a, label=current["label"],
                             conf=conf, margin=probs[0] - probs[1])  # fmt: skip
                else:
                    key = "unsure_tags" if current["source"] == "model" else "unsure_rules"
                    why = tr(_WHY[key], lang, axis=a, label=current["label"], conf=conf)
                reasons.append((u, why))
            d = 0.0
            if model is not None and rules is not None and model["label"] != rules["label"]:
                d = 1.0
                reasons.append(
                    (1.0 + u, tr(_WHY["disagree"], lang, axis=a, rules=rules["label"],
                                 model=model["label"]))
                )  # fmt: skip
            unc_sum, n_axes, dis_best = unc_sum + u, n_axes + 1, max(dis_best, d)
            for r in (model, rules):
                if r is not None:
                    shown.append(
                        {
                            "axis": a,
                            "label": r["label"],
                            "confidence": round(float(r["confidence"]), 4),
                            "source": r["source"],
                            "model_version": None
                            if pd.isna(r["model_version"])
                            else int(r["model_version"]),
                        }
                    )
        if not reasons:
            continue
        reasons.sort(key=lambda t: -t[0])
        rows.append(
            {
                "contact_id": cid,
                "id": c.external_id,
                "text": c.text,
                "inferences": shown,
                "uncertainty": unc_sum / n_axes,
                "disagreement": dis_best,
                "why_parts": [t for _, t in reasons[:3]],
            }
        )
    picked = rank_for_review(pd.DataFrame(rows), limit=limit, weights=weights)
    if picked.empty:
        return pd.DataFrame(columns=out_cols)
    whys = []
    for r in picked.itertuples(index=False):
        parts = list(r.why_parts)
        if weights.diversity and r.similarity >= 0.5:
            parts.append(tr(_WHY["similar"], lang, sim=r.similarity))
        whys.append("; ".join(parts))
    picked["why"] = whys
    return picked[out_cols].reset_index(drop=True)


def normalise_label(axis: str, label: str) -> str:
    """Clean a label: trimmed; for ``tags`` the tags are split on ``|``, ``,`` or ``;``, sorted,
    de-duplicated and joined with ``|`` (``none`` when empty).

    Examples
    --------
    >>> normalise_label("tags", "new_customer, moving_house")
    'moving_house|new_customer'
    >>> normalise_label("reason", " card_lost ")
    'card_lost'
    """
    text = str(label).strip()
    if axis == "tags":
        import re

        tags = sorted({t.strip() for t in re.split(r"[|,;]", text) if t.strip()})
        return "|".join(tags) if tags else "none"
    return text


@dataclass
class CorrectionResult(Result):
    """What :func:`correct` recorded (a :class:`kundfokus.base.Result` without tables)."""

    correction_id: int
    contact_id: str
    axis: str
    before: str | None
    before_source: str | None
    after: str
    who: str
    at: str
    new_label: bool

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Every field (nothing in it depends on ``lang``)."""
        return asdict(self)


def correct(
    session: Session,
    contact_id: str,
    axis: str,
    label: str,
    *,
    by: str,
    reason: str | None = None,
) -> CorrectionResult:
    """Set the label of one contact on one axis and keep an audit row.

    Only ``axis`` changes: correcting the need leaves the situation as it is, and vice versa.
    ``before`` is what was shown: the person's earlier label, else the model's guess, else the
    rules' guess. A label the taxonomy does not have yet is added to it. The next
    :func:`retrain` of the axis learns from the new label.

    Parameters
    ----------
    session:
        An open store session.
    contact_id:
        The contact's external id (the id in the imported file).
    axis:
        One axis (see :data:`kundfokus.store.models.AXES`).
    label:
        The right label.
    by:
        Who corrects (a name or user id; required).
    reason:
        Why, optional free text.

    Returns
    -------
    CorrectionResult
    """
    check_axis(axis)
    if not str(by or "").strip():
        raise InputError("say who corrects (--by)", column="by", value=by)
    after = normalise_label(axis, label)
    if not after:
        raise InputError("the label is empty", column="label", value=label)
    contact = get_contact(session, contact_id)
    existing = session.scalar(
        select(Label).where(Label.contact_id == contact.id, Label.axis == axis)
    )
    if existing is not None:
        before, before_source = existing.label, "label"
    else:
        inf = current_inferences(session, [axis], [contact.id])
        before, before_source = None, None
        for src in ("model", "rules"):
            hit = inf[inf["source"] == src]
            if not hit.empty:
                before, before_source = str(hit["label"].iloc[0]), src
                break
    now = utcnow()
    added = ensure_taxonomy_labels(session, axis, [after], who=by)
    if existing is None:
        session.add(Label(contact_id=contact.id, axis=axis, label=after, who=by, at=now))
    else:
        existing.label, existing.who, existing.at = after, by, now
    corr = Correction(
        contact_id=contact.id,
        axis=axis,
        before=before,
        before_source=before_source,
        after=after,
        who=by,
        at=now,
        reason=reason,
    )
    session.add(corr)
    session.flush()
    return CorrectionResult(
        correction_id=corr.id,
        contact_id=contact.external_id,
        axis=axis,
        before=before,
        before_source=before_source,
        after=after,
        who=by,
        at=now.isoformat(timespec="seconds"),
        new_label=bool(added),
    )


def training_set(session: Session, axis: str) -> pd.DataFrame:
    """The full current label set of ``axis``: every contact a person (or a labelled import) has
    labelled, with its latest label.

    Returns
    -------
    pandas.DataFrame
        ``contact_id, external_id, text, label``, ordered by external id.
    """
    check_axis(axis)
    labels = current_labels(session, [axis])
    if labels.empty:
        return pd.DataFrame(columns=["contact_id", "external_id", "text", "label"])
    contacts = contacts_frame(session, labels["contact_id"].tolist())
    df = labels.merge(contacts, on="contact_id")[["contact_id", "external_id", "text", "label"]]
    return df.sort_values("external_id", kind="stable").reset_index(drop=True)


def fingerprint(train: pd.DataFrame) -> str:
    """SHA-256 of a label set (external id, label and text of every row, order-independent).

    Examples
    --------
    >>> a = pd.DataFrame({"external_id": ["1", "2"], "text": ["x", "y"], "label": ["a", "b"]})
    >>> fingerprint(a) == fingerprint(a.iloc[::-1])
    True
    >>> fingerprint(a) == fingerprint(a.assign(label=["a", "a"]))
    False
    """
    h = hashlib.sha256()
    for ext, text, label in sorted(
        zip(train["external_id"], train["text"], train["label"], strict=True)
    ):
        t = hashlib.sha256(str(text).encode("utf-8")).hexdigest()
        h.update(f"{ext}\t{label}\t{t}\n".encode())
    return h.hexdigest()


@dataclass
class RetrainResult(Result):
    """What :func:`retrain` did (a :class:`kundfokus.base.Result` without tables).

    :meth:`to_dict` leaves out the per-class evaluation; :meth:`tables` has it as
    ``per_class`` when the evaluation holds one.
    """

    axis: str
    version: int
    n_train: int
    n_classes: int
    fingerprint: str
    evaluation_method: str
    evaluation: dict[str, Any]
    n_inferred: int
    last_correction_id: int
    unchanged_since: int | None = None
    classes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """``per_class``: the evaluation per class, when there is one."""
        per_class = self.evaluation.get("per_class")
        if isinstance(per_class, pd.DataFrame):
            return {"per_class": per_class}
        return {}

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Every field, the evaluation without ``per_class`` (nothing depends on ``lang``)."""
        d = asdict(self)
        d["evaluation"] = {k: v for k, v in self.evaluation.items() if k != "per_class"}
        return d


@contextmanager
def _quiet_fit() -> Iterator[None]:
    """Silence scikit-learn's notes that are expected with few labels per class (many classes
    for few rows, classes smaller than the calibration folds); the evaluation reports the
    consequences honestly."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*unique classes is greater than 50%.*")
        warnings.filterwarnings("ignore", message=".*least populated class.*")
        yield


def _new_classifier(axis: str, params: Mapping[str, Any] | None):
    from kundfokus.contacts.classifier import ContactClassifier, TagClassifier

    if axis == "tags":
        return TagClassifier(**{"axis": axis, **dict(params or {})})
    return ContactClassifier(**{"axis": axis, **dict(params or {})})


def _tag_label(tags: Sequence[str]) -> str:
    return "|".join(sorted(tags)) if len(tags) else "none"


def _cross_validate_tags(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    params: Mapping[str, Any] | None,
    n_splits: int,
    random_state: int,
) -> tuple[dict[str, Any], str]:
    """k-fold cross-validation of the situation-tag classifier (several tags per contact).

    ``accuracy`` is the share of contacts whose whole tag set was predicted exactly;
    ``micro_f1`` is the F1 over all (contact, tag) decisions; ``macro_f1`` is the mean per-tag F1.
    A fold in which no tag has two examples with and without it predicts no tags.
    """
    from sklearn.model_selection import KFold

    from kundfokus.errors import InputError as _InputError

    x = np.asarray(list(texts), dtype=object)
    truth = [set(normalise_label("tags", v).split("|")) - {"none"} for v in labels]
    k = int(max(2, min(n_splits, len(x) // 2)))
    pred: list[set[str]] = [set() for _ in x]
    for train_idx, test_idx in KFold(k, shuffle=True, random_state=random_state).split(x):
        model = _new_classifier("tags", params)
        y = [_tag_label(sorted(truth[i])) if truth[i] else "" for i in train_idx]
        try:
            model.fit(list(x[train_idx]), y)
        except _InputError:
            continue
        for i, tags in zip(test_idx, model.predict_tags(list(x[test_idx])), strict=True):
            pred[i] = set(tags)
    all_tags = sorted(set().union(*truth, *pred))
    tp = sum(len(t & p) for t, p in zip(truth, pred, strict=True))
    fp = sum(len(p - t) for t, p in zip(truth, pred, strict=True))
    fn = sum(len(t - p) for t, p in zip(truth, pred, strict=True))
    per_tag = []
    for tag in all_tags:
        ttp = sum(1 for t, p in zip(truth, pred, strict=True) if tag in t and tag in p)
        tfp = sum(1 for t, p in zip(truth, pred, strict=True) if tag not in t and tag in p)
        tfn = sum(1 for t, p in zip(truth, pred, strict=True) if tag in t and tag not in p)
        f1 = 2 * ttp / (2 * ttp + tfp + tfn) if (ttp + tfp + tfn) else 1.0
        per_tag.append({"label": tag, "f1": f1, "support": ttp + tfn})
    ev = {
        "n": len(x),
        "accuracy": float(np.mean([t == p for t, p in zip(truth, pred, strict=True)])),
        "micro_f1": 2 * tp / (2 * tp + fp + fn) if (tp + fp + fn) else 1.0,
        "macro_f1": float(np.mean([r["f1"] for r in per_tag])) if per_tag else 1.0,
        "per_class": per_tag,
    }
    ev["cv"] = {"kind": "kfold_tag_sets", "folds": k}
    return ev, method_text(ev, "en")


_METHOD = {
    "stratified_kfold": {
        "en": "{k}-fold stratified cross-validation on the {n} labelled contacts",
        "sv": "{k}-faldig stratifierad korsvalidering på de {n} etiketterade kontakterna",
    },
    "kfold_tag_sets": {
        "en": "{k}-fold cross-validation on the {n} labelled contacts "
        "(accuracy = whole tag set right)",
        "sv": "{k}-faldig korsvalidering på de {n} etiketterade kontakterna "
        "(träffsäkerhet = hela taggmängden rätt)",
    },
}


def method_text(evaluation: Mapping[str, Any], lang: str = "en") -> str:
    """How an evaluation was measured, in words (``en`` or ``sv``).

    Examples
    --------
    >>> method_text({"n": 24, "cv": {"kind": "stratified_kfold", "folds": 3}}, "sv")
    '3-faldig stratifierad korsvalidering på de 24 etiketterade kontakterna'
    """
    cv = evaluation["cv"]
    return tr(_METHOD[cv["kind"]], lang, k=cv["folds"], n=evaluation["n"])


def _predict(model: Any, axis: str, texts: list[str]) -> tuple[list[str], np.ndarray, list[dict]]:
    """Labels, confidences and top scores of a fitted model for ``texts``.

    For ``tags`` the label is the ``|``-joined set of tags over their thresholds, the scores are
    the tag probabilities, and the confidence is that of the least certain tag decision
    (``min over tags of max(p, 1 - p)``).
    """
    classes = [str(c) for c in model.classes_]
    proba = np.asarray(model.predict_proba(texts))
    if axis == "tags":
        thr = np.array([model.thresholds_[t] for t in model.classes_])
        on = proba >= thr
        labels = [_tag_label([classes[j] for j in np.flatnonzero(row)]) for row in on]
        conf = np.maximum(proba, 1 - proba).min(axis=1)
        top = np.argsort(-proba, axis=1)[:, :TOP_K]
    else:
        labels = [str(p) for p in model.predict(texts)]
        top = np.argsort(-proba, axis=1)[:, :TOP_K]
        conf = proba[np.arange(len(texts)), top[:, 0]]
    scores = [{classes[j]: round(float(proba[i, j]), 6) for j in top[i]} for i in range(len(texts))]
    return labels, conf, scores


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    axis: str = "reason",
    params: Mapping[str, Any] | None = None,
    n_splits: int = 5,
    random_state: int = 0,
) -> tuple[dict[str, Any], str]:
    """Stratified k-fold cross-validation of a fresh classifier on ``texts``/``labels``.

    ``k`` is ``n_splits``, but at most the size of the largest class and at least 2. A class
    with fewer examples than folds still takes part (in the folds where it is held out, nothing
    could have learnt it, which is the honest outcome). Returns the evaluation dict of
    :func:`kundfokus.contacts.evaluation.evaluate` on the out-of-fold predictions and a sentence
    stating the method. For ``axis="tags"`` see :func:`_cross_validate_tags`.
    """
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold

    from kundfokus.contacts.evaluation import evaluate

    if axis == "tags":
        return _cross_validate_tags(
            texts, labels, params=params, n_splits=n_splits, random_state=random_state
        )

    y = np.asarray([str(v) for v in labels], dtype=object)
    x = np.asarray(list(texts), dtype=object)
    counts = pd.Series(y).value_counts()
    k = int(max(2, min(n_splits, counts.max(), len(y) // 2)))
    proto = _new_classifier(axis, params)
    classes = sorted(counts.index)
    pred = np.empty(len(y), dtype=object)
    proba = np.zeros((len(y), len(classes)))
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=random_state)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*least populated class.*")
        splits = list(folds.split(x, y))
    for train_idx, test_idx in splits:
        model = clone(proto)
        with _quiet_fit():
            model.fit(list(x[train_idx]), list(y[train_idx]))
        pred[test_idx] = np.asarray(model.predict(list(x[test_idx])), dtype=object)
        p = np.asarray(model.predict_proba(list(x[test_idx])))
        for j, c in enumerate(model.classes_):
            proba[test_idx, classes.index(str(c))] = p[:, j]
    ev = evaluate(list(y), list(pred), proba=proba, classes=classes).to_dict()
    ev["cv"] = {"kind": "stratified_kfold", "folds": k}
    return ev, method_text(ev, "en")


def _save_blob(model: Any, metadata: dict[str, Any]) -> bytes:
    from kundfokus.contacts.persistence import save_model

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.kfm")
        save_model(model, path, metadata=metadata)
        with open(path, "rb") as fh:
            return fh.read()


def load_version(mv: ModelVersion, *, trust: bool = False) -> Any:
    """The trained classifier of a stored model version.

    Loading runs no code from the store (see :mod:`kundfokus.contacts.persistence`); a version
    stored by kundfokus 0.1 is a pickle and is loaded only with ``trust=True``.
    """
    from kundfokus.contacts.persistence import load_model

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.kfm")
        with open(path, "wb") as fh:
            fh.write(mv.blob)
        loaded = load_model(path, trust=trust)
    return loaded[0] if isinstance(loaded, tuple) else loaded


def infer(
    session: Session, mv: ModelVersion, model: Any, contact_ids: Sequence[int] | None = None
) -> int:
    """Store the model's guess (label, confidence, top-5 probabilities) for contacts (default:
    all) as inferences of source ``model`` with this version; returns how many."""
    contacts = contacts_frame(session, contact_ids)
    if contacts.empty:
        return 0
    now = utcnow()
    n = 0
    for start in range(0, len(contacts), 2000):
        part = contacts.iloc[start : start + 2000]
        pred, conf, scores = _predict(model, mv.axis, part["text"].tolist())
        rows = []
        for i, cid in enumerate(part["contact_id"].tolist()):
            rows.append(
                {
                    "contact_id": int(cid),
                    "axis": mv.axis,
                    "label": pred[i],
                    "confidence": float(conf[i]),
                    "source": "model",
                    "model_version_id": mv.id,
                    "scores": scores[i],
                    "evidence": None,
                    "created_at": now,
                }
            )
        session.execute(insert(Inference), rows)
        n += len(rows)
    return n


def retrain(
    session: Session,
    axis: str,
    *,
    by: str | None = None,
    params: Mapping[str, Any] | None = None,
    n_splits: int = 5,
    random_state: int = 0,
    reinfer: bool = True,
) -> RetrainResult:
    """Train a new model version of ``axis`` from the full current label set.

    Steps: build the training set from every current label of the axis (imported labels and
    corrections alike, the latest label per contact), fingerprint it, estimate accuracy by
    stratified cross-validation (:func:`cross_validate`), fit the classifier on all of it, store
    it as the next version with fingerprint and evaluation, and (``reinfer``) store its guesses
    for every contact.

    Raises
    ------
    InputError
        When the axis has fewer than two labelled classes or fewer than four labelled contacts.
    """
    check_axis(axis)
    train = training_set(session, axis)
    n_cls = train["label"].nunique() if not train.empty else 0
    if len(train) < 4 or n_cls < 2:
        raise InputError(
            f"too few labels to train: {len(train)} labelled contacts in {n_cls} classes",
            column="axis",
            value=axis,
            hint="label or correct more contacts first (at least 4 in 2 classes)",
        )
    fp = fingerprint(train)
    prev = latest_model(session, axis)
    last_corr = session.scalar(
        select(Correction.id).where(Correction.axis == axis).order_by(Correction.id.desc())
    )
    evaluation, method = cross_validate(
        train["text"].tolist(),
        train["label"].tolist(),
        axis=axis,
        params=params,
        n_splits=n_splits,
        random_state=random_state,
    )
    model = _new_classifier(axis, params)
    y = train["label"].tolist()
    if axis == "tags":
        y = ["" if v == "none" else v for v in y]
    with _quiet_fit():
        model.fit(train["text"].tolist(), y)
    version = (prev.version if prev else 0) + 1
    meta = {"axis": axis, "version": version, "fingerprint": fp, "n_train": len(train)}
    mv = ModelVersion(
        axis=axis,
        version=version,
        trained_at=utcnow(),
        trained_by=by,
        fingerprint=fp,
        n_train=len(train),
        classes=[str(c) for c in model.classes_],
        last_correction_id=int(last_corr or 0),
        evaluation_method=method,
        evaluation=evaluation,
        params=dict(params or {}),
        blob=_save_blob(model, meta),
    )
    session.add(mv)
    session.flush()
    session.add(
        Evaluation(
            model_version_id=mv.id,
            kind="cross_validation",
            computed_at=mv.trained_at,
            n=int(evaluation["n"]),
            accuracy=float(evaluation["accuracy"]),
            macro_f1=float(evaluation["macro_f1"]),
            details={k: v for k, v in evaluation.items() if k != "per_class"},
        )
    )
    n_inferred = infer(session, mv, model) if reinfer else 0
    session.flush()
    return RetrainResult(
        axis=axis,
        version=version,
        n_train=len(train),
        n_classes=len(mv.classes),
        fingerprint=fp,
        evaluation_method=method,
        evaluation=evaluation,
        n_inferred=n_inferred,
        last_correction_id=mv.last_correction_id,
        unchanged_since=prev.version if prev is not None and prev.fingerprint == fp else None,
        classes=list(mv.classes),
    )


def live_accuracy(session: Session, mv: ModelVersion) -> tuple[int, float | None]:
    """Accuracy of a model version on the corrections made after it was trained.

    For every contact corrected on the version's axis after training (the latest such
    correction per contact), compare the version's own guess for that contact with the
    correction. Returns ``(n, accuracy)``; accuracy is ``None`` when ``n`` is 0.
    """
    corr = pd.DataFrame(
        session.execute(
            select(Correction.id, Correction.contact_id, Correction.after).where(
                Correction.axis == mv.axis, Correction.id > mv.last_correction_id
            )
        ).all(),
        columns=["id", "contact_id", "after"],
    )
    if corr.empty:
        return 0, None
    corr = corr.sort_values("id").drop_duplicates("contact_id", keep="last")
    guesses = pd.DataFrame(
        session.execute(
            select(Inference.id, Inference.contact_id, Inference.label).where(
                Inference.model_version_id == mv.id
            )
        ).all(),
        columns=["id", "contact_id", "label"],
    )
    guesses = guesses.sort_values("id").drop_duplicates("contact_id", keep="last")
    both = corr.merge(guesses, on="contact_id", suffixes=("_c", "_g"))
    if both.empty:
        return 0, None
    return len(both), float((both["after"] == both["label"]).mean())


def record_live_evaluations(session: Session, axis: str) -> int:
    """Store an evaluation row (kind ``after_training_corrections``) for every version whose live
    figure changed since it was last stored; returns how many rows were added. This keeps the
    accuracy of every version over time in the store."""
    added = 0
    for mv in model_versions(session, axis):
        n, acc = live_accuracy(session, mv)
        if n == 0:
            continue
        last = session.scalar(
            select(Evaluation)
            .where(
                Evaluation.model_version_id == mv.id,
                Evaluation.kind == "after_training_corrections",
            )
            .order_by(Evaluation.id.desc())
        )
        if last is not None and last.n == n and last.accuracy == acc:
            continue
        session.add(
            Evaluation(
                model_version_id=mv.id,
                kind="after_training_corrections",
                computed_at=utcnow(),
                n=n,
                accuracy=acc,
                details={"after_correction_id": mv.last_correction_id},
            )
        )
        added += 1
    session.flush()
    return added


def history(session: Session, axis: str, *, lang: str = "en") -> pd.DataFrame:
    """Model versions of ``axis`` with their accuracy, oldest first.

    Parameters
    ----------
    session:
        An open store session.
    axis:
        One axis.
    lang:
        Language of ``evaluation_method`` (``en`` or ``sv``).

    Returns
    -------
    pandas.DataFrame
        ``version, trained_at, trained_by, n_train, n_classes, fingerprint`` (first 12 hex
        digits), ``evaluation_method, cv_accuracy, cv_macro_f1`` (cross-validated at training
        time), ``n_corrections_after`` and ``accuracy_on_later_corrections`` (the honest live
        measure: how often this version's guess matched corrections people made after it was
        trained; empty while there are none).
    """
    check_axis(axis)
    rows = []
    for mv in model_versions(session, axis):
        n, acc = live_accuracy(session, mv)
        ev = mv.evaluation or {}
        rows.append(
            {
                "version": mv.version,
                "trained_at": mv.trained_at.isoformat(timespec="seconds"),
                "trained_by": mv.trained_by,
                "n_train": mv.n_train,
                "n_classes": len(mv.classes),
                "fingerprint": mv.fingerprint[:12],
                "evaluation_method": method_text(ev, lang) if "cv" in ev else mv.evaluation_method,
                "cv_accuracy": ev.get("accuracy"),
                "cv_macro_f1": ev.get("macro_f1"),
                "n_corrections_after": n,
                "accuracy_on_later_corrections": acc,
            }
        )
    cols = [
        "version", "trained_at", "trained_by", "n_train", "n_classes", "fingerprint",
        "evaluation_method", "cv_accuracy", "cv_macro_f1", "n_corrections_after",
        "accuracy_on_later_corrections",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def evaluation_history(session: Session, axis: str) -> pd.DataFrame:
    """Every stored evaluation of the axis's versions over time: ``version, kind, computed_at,
    n, accuracy, macro_f1``."""
    check_axis(axis)
    stmt = (
        select(
            ModelVersion.version,
            Evaluation.kind,
            Evaluation.computed_at,
            Evaluation.n,
            Evaluation.accuracy,
            Evaluation.macro_f1,
        )
        .join(ModelVersion, ModelVersion.id == Evaluation.model_version_id)
        .where(ModelVersion.axis == axis)
        .order_by(Evaluation.computed_at, Evaluation.id)
    )
    return pd.DataFrame(
        session.execute(stmt).all(),
        columns=["version", "kind", "computed_at", "n", "accuracy", "macro_f1"],
    )


def contact_detail(session: Session, external_id: str, *, lang: str = "en") -> dict[str, Any]:
    """One contact as the API and the review page show it: the redacted text, what rules and the
    model inferred on every axis, the labels people gave, and its correction history."""
    from kundfokus.serialize import clean
    from kundfokus.store.models import AXES

    contact = get_contact(session, external_id)
    inf = current_inferences(session, AXES, [contact.id])
    labels = {
        r.axis: {"label": r.label, "who": r.who, "at": r.at.isoformat() + "Z"}
        for r in session.scalars(select(Label).where(Label.contact_id == contact.id))
    }
    inferences: dict[str, dict[str, Any]] = {}
    for r in inf.itertuples(index=False):
        inferences.setdefault(r.axis, {})[r.source] = {
            "label": r.label,
            "confidence": clean(r.confidence),
            "model_version": clean(r.model_version),
        }
    corrections = [
        {
            "axis": c.axis,
            "before": c.before,
            "before_source": c.before_source,
            "after": c.after,
            "who": c.who,
            "at": c.at.isoformat() + "Z",
            "reason": c.reason,
        }
        for c in session.scalars(
            select(Correction).where(Correction.contact_id == contact.id).order_by(Correction.id)
        )
    ]
    return {
        "id": contact.external_id,
        "customer_id": contact.customer_id,
        "timestamp": contact.timestamp.isoformat(),
        "channel": contact.channel,
        "language": contact.language,
        "text": contact.text,
        "metadata": contact.meta,
        "inferences": inferences,
        "labels": labels,
        "history": corrections,
    }
