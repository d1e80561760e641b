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
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    ReviewLabel,
    utcnow,
)
from kundfokus.store.repositories import (
    check_axis,
    contacts_frame,
    current_inferences,
    current_labels,
    current_model,
    ensure_taxonomy_labels,
    existing_external_ids,
    get_contact,
    get_setting,
    is_promoted,
    latest_model,
    matching_contact_ids,
    model_versions,
    resolve_axes,
    review_labels,
    taxonomy,
)

# ---------------------------------------------------------------------------------------------
# services


@dataclass(frozen=True)
class QueueFilters:
    """Which contacts the queue (and :func:`search_contacts`) may show.

    ``channel``/``language``: exact match. ``search``: case-insensitive substring of the text or
    the external id (in SQL; on SQLite only ASCII letters fold case). ``min_confidence`` /
    ``max_confidence``: bounds on the contact's *lowest* current guess confidence over the asked
    axes (no guess counts 0). ``disagree``: only contacts where the rules and the model say
    different things on an asked axis. ``suspected``: put suspected mislabels first (a lead's
    queue; see :func:`suspected_mislabels`).
    """

    channel: str | None = None
    language: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    disagree: bool = False
    search: str | None = None
    suspected: bool = False

    def check(self) -> QueueFilters:
        """Return the filters when they are valid, else raise :class:`InputError`."""
        for name in ("min_confidence", "max_confidence"):
            v = getattr(self, name)
            if v is not None and not (0.0 <= float(v) <= 1.0):
                raise InputError("a confidence bound must be between 0 and 1", column=name,
                                 value=v)  # fmt: skip
        lo, hi = self.min_confidence, self.max_confidence
        if lo is not None and hi is not None and float(lo) > float(hi):
            raise InputError("min_confidence is above max_confidence", column="min_confidence",
                             value=lo)  # fmt: skip
        if self.search is not None and len(self.search) > 200:
            raise InputError("the search text is too long (at most 200 characters)",
                             column="q", value=self.search[:40] + "...")  # fmt: skip
        return self

    @property
    def narrows_contacts(self) -> bool:
        return bool(self.channel or self.language or (self.search and self.search.strip()))


#: Names of the axes in the "why" texts: the axis id in English, a word in Swedish.
_AXIS_SV = {
    "purpose": "typ av ärende", "reason": "orsak", "urgency": "brådska",
    "treatment": "önskat bemötande", "mood": "stämning", "tags": "taggar",
}  # fmt: skip


def axis_name(axis: str, lang: str) -> str:
    """How a "why" text names an axis.

    >>> axis_name("urgency", "sv"), axis_name("urgency", "en")
    ('brådska', 'urgency')
    """
    return _AXIS_SV.get(axis, axis) if lang == "sv" else axis


_QWHY = {
    "second_look": {
        "en": "{axis}: second look (overlap: another reviewer labelled it; your label counts "
        "for agreement)",
        "sv": "{axis}: andra granskning (överlapp: en annan granskare har etiketterat den; din "
        "etikett räknas för samstämmigheten)",
    },
    "suspected": {
        "en": "label may be wrong: the model is {p} sure it is '{suggested}' (labelled '{label}')",
        "sv": "etiketten kan vara fel: modellen är {p} säker på att det är '{suggested}' "
        "(etiketterad '{label}')",
    },
}

QUEUE_COLUMNS = [
    "rank", "id", "text", "inferences", "uncertainty", "disagreement", "similarity",
    "score", "why", "kind",
]  # fmt: skip


def _pct(p: float) -> str:
    return f"{round(100 * float(p))} %"


def _queue_contacts(session: Session, filters: QueueFilters) -> pd.DataFrame:
    if not filters.narrows_contacts:
        return contacts_frame(session)
    ids = matching_contact_ids(
        session, channel=filters.channel, language=filters.language, search=filters.search
    )
    return contacts_frame(session, ids)


def _second_look_pairs(
    session: Session, axes: Sequence[str], reviewer: str, contacts: pd.DataFrame
) -> set[tuple[int, str]]:
    """(contact, axis) pairs that ``reviewer`` should label as a second, independent opinion:
    overlap contacts labelled by another reviewer, not by ``reviewer``, not settled by a lead."""
    share = overlap_share(session)
    if share <= 0 or contacts.empty:
        return set()
    ext = dict(zip(contacts["contact_id"], contacts["external_id"], strict=True))
    pairs: set[tuple[int, str]] = set()
    for a in axes:
        rl = review_labels(session, a)
        if rl.empty:
            continue
        for cid, g in rl.groupby("contact_id"):
            cid = int(cid)
            if cid not in ext or not in_overlap(ext[cid], share):
                continue
            if g["is_lead"].any() or reviewer in set(g["who"]):
                continue
            pairs.add((cid, a))
    return pairs


def review_queue(
    session: Session,
    axis: str | None = "need",
    *,
    limit: int = 20,
    weights: QueueWeights = QueueWeights(),
    measure: str = "margin",
    lang: str = "en",
    include_labelled: bool = False,
    filters: QueueFilters | None = None,
    reviewer: str | None = None,
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
    filters:
        :class:`QueueFilters` (channel, language, search, confidence, disagreement, suspected
        mislabels first).
    reviewer:
        Who asks. With an overlap share set (:func:`kundfokus.services.agreement.set_overlap`),
        overlap contacts another reviewer labelled but ``reviewer`` did not come first, as a
        second look (``kind`` ``second_look``).

    Returns
    -------
    pandas.DataFrame
        One row per queued contact: ``rank, id`` (external id), ``text`` (as stored, redacted),
        ``inferences`` (list of dicts ``axis, label, confidence, source, model_version``),
        ``uncertainty``, ``disagreement``, ``similarity``, ``score``, ``why`` and ``kind``
        (``suspected``: a label that may be wrong, ``second_look``: overlap, ``queue``: the
        ordinary queue). Suspected mislabels come first, then second looks, then the rest.
    """
    filters = (filters or QueueFilters()).check()
    if limit < 1:
        raise InputError("the queue limit must be at least 1", column="limit", value=limit)
    axes = resolve_axes(axis)
    contacts = _queue_contacts(session, filters)
    if contacts.empty:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    allowed = contacts
    labels = current_labels(session, axes)
    second = _second_look_pairs(session, axes, reviewer, contacts) if reviewer else set()
    labelled_pairs = set(zip(labels["contact_id"], labels["axis"], strict=True)) - second
    if not include_labelled and labelled_pairs:
        done_count: dict[int, int] = {}
        for cid, _a in labelled_pairs:
            done_count[int(cid)] = done_count.get(int(cid), 0) + 1
        done = {cid for cid, n in done_count.items() if n >= len(axes)}
        contacts = contacts[~contacts["contact_id"].isin(done)]
    inf = current_inferences(session, axes, contacts["contact_id"].tolist())
    n_classes = {mv.axis: len(mv.classes) for a in axes if (mv := current_model(session, a))}
    by_contact: dict[int, list[dict[str, Any]]] = {}
    for r in inf.itertuples(index=False):
        by_contact.setdefault(int(r.contact_id), []).append(r._asdict())

    rows = []
    for c in contacts.itertuples(index=False):
        cid = int(c.contact_id)
        rows_c = by_contact.get(cid, [])
        unc_sum, n_axes, dis_best, reasons, shown = 0.0, 0, 0.0, [], []
        conf_min, is_second, second_axes = 1.0, False, []
        for a in axes:
            if (cid, a) in labelled_pairs and not include_labelled:
                continue
            if (cid, a) in second:
                is_second = True
                second_axes.append(a)
            model = next((r for r in rows_c if r["axis"] == a and r["source"] == "model"), None)
            rules = next((r for r in rows_c if r["axis"] == a and r["source"] == "rules"), None)
            current = model or rules
            if current is None:
                u = 1.0
                conf_min = 0.0
                reasons.append((u, tr(_WHY["none"], lang, axis=axis_name(a, lang))))
            else:
                u = uncertainty(
                    (current["scores"] or None) if a != "tags" else None,
                    current["confidence"],
                    measure=measure,
                    n_classes=n_classes.get(a),
                )
                probs = sorted((current["scores"] or {}).values(), reverse=True)
                conf = float(current["confidence"])
                conf_min = min(conf_min, conf)
                if current["source"] == "model" and len(probs) > 1 and a != "tags":
                    why = tr(_WHY["unsure_model"], lang, axis=axis_name(a, lang), label=current["label"],
                             conf=conf, margin=probs[0] - probs[1])  # fmt: skip
                else:
                    key = "unsure_tags" if current["source"] == "model" else "unsure_rules"
                    why = tr(
                        _WHY[key], lang, axis=axis_name(a, lang), label=current["label"], conf=conf
                    )
                reasons.append((u, why))
            d = 0.0
            if model is not None and rules is not None and model["label"] != rules["label"]:
                d = 1.0
                reasons.append(
                    (1.0 + u, tr(_WHY["disagree"], lang, axis=axis_name(a, lang), rules=rules["label"],
                                 model=model["label"]))
                )  # fmt: skip
            unc_sum, n_axes, dis_best = unc_sum + u, n_axes + 1, max(dis_best, d)
            for r in (model, rules):
                if r is not None:
                    shown.append(_shown(a, r))
        if second_axes:  # one reason for every axis in the overlap, not one per axis
            reasons.append(
                (
                    10.0,
                    tr(
                        _QWHY["second_look"],
                        lang,
                        axis=", ".join(axis_name(x, lang) for x in second_axes),
                    ),
                )
            )
        if not reasons:
            continue
        if filters.disagree and dis_best < 1.0:
            continue
        if filters.min_confidence is not None and conf_min < float(filters.min_confidence):
            continue
        if filters.max_confidence is not None and conf_min > float(filters.max_confidence):
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
                "kind": "second_look" if is_second else "queue",
            }
        )
    parts: list[pd.DataFrame] = []
    left = limit
    if filters.suspected:
        sus = _suspected_rows(session, axes, allowed, lang=lang, limit=left)
        if not sus.empty:
            parts.append(sus)
            left -= len(sus)
            rows = [r for r in rows if r["contact_id"] not in set(sus["contact_id"])]
    cand = pd.DataFrame(rows)
    for kind in ("second_look", "queue"):
        if left <= 0 or cand.empty:
            break
        sub = cand[cand["kind"] == kind].reset_index(drop=True)
        if sub.empty:
            continue
        picked = rank_for_review(sub, limit=left, weights=weights)
        whys = []
        for r in picked.itertuples(index=False):
            p = list(r.why_parts)
            if weights.diversity and r.similarity >= 0.5:
                p.append(tr(_WHY["similar"], lang, sim=r.similarity))
            whys.append("; ".join(p))
        picked["why"] = whys
        parts.append(picked)
        left -= len(picked)
    if not parts:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    out = pd.concat([p[[c for c in QUEUE_COLUMNS if c != "rank"]] for p in parts],
                    ignore_index=True)  # fmt: skip
    out.insert(0, "rank", range(1, len(out) + 1))
    return out[QUEUE_COLUMNS].reset_index(drop=True)


def _shown(axis: str, r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "axis": axis,
        "label": r["label"],
        "confidence": round(float(r["confidence"]), 4),
        "source": r["source"],
        "model_version": None if pd.isna(r["model_version"]) else int(r["model_version"]),
    }


def _suspected_rows(
    session: Session, axes: Sequence[str], contacts: pd.DataFrame, *, lang: str, limit: int
) -> pd.DataFrame:
    allowed = set(contacts["contact_id"].tolist())
    found = []
    for a in axes:
        if a == "tags":
            continue
        try:
            sus = suspected_mislabels(session, a, limit=None)
        except InputError:  # too few labels on this axis to check
            continue
        sus = sus[sus["contact_id"].isin(allowed)]
        found.append(sus.assign(axis=a))
    if not found or all(f.empty for f in found):
        return pd.DataFrame()
    sus = pd.concat(found, ignore_index=True).sort_values(
        ["margin", "contact_id"], ascending=[False, True], kind="stable"
    )
    sus = sus.drop_duplicates("contact_id").head(limit)
    inf = current_inferences(session, axes, sus["contact_id"].tolist())
    rows = []
    for r in sus.itertuples(index=False):
        mine = inf[inf["contact_id"] == r.contact_id]
        rows.append(
            {
                "contact_id": int(r.contact_id),
                "id": r.id,
                "text": r.text,
                "inferences": [_shown(x.axis, x._asdict()) for x in mine.itertuples(index=False)],
                "uncertainty": 1.0 - float(r.p_label),
                "disagreement": 0.0,
                "similarity": 0.0,
                "score": float(r.margin),
                "why": f"{r.axis}: "
                + tr(
                    _QWHY["suspected"],
                    lang,
                    p=_pct(r.p_suggested),
                    suggested=r.suggested,
                    label=r.label,
                ),
                "kind": "suspected",
            }
        )
    return pd.DataFrame(rows)


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
    """What :func:`correct` recorded (a :class:`kundfokus.base.Result` without tables).

    ``applied`` is false for a second opinion on an overlap contact (or on one a lead settled):
    the reviewer's own label is kept for the agreement figures, the label in force is unchanged
    and no correction row is written (``correction_id`` is ``None``).
    """

    correction_id: int | None
    contact_id: str
    axis: str
    before: str | None
    before_source: str | None
    after: str
    who: str
    at: str
    new_label: bool
    applied: bool = True
    overlap: bool = False

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Every field (nothing in it depends on ``lang``)."""
        return asdict(self)


class UnknownLabel(InputError):
    """A label the axis's taxonomy does not have; ``suggestions`` are the closest labels."""

    def __init__(self, axis: str, label: str, suggestions: Sequence[str], *, n_known: int):
        self.axis = axis
        self.label = label
        self.suggestions = list(suggestions)
        if self.suggestions:
            msg = f"unknown label '{label}' for {axis}; did you mean: {', '.join(suggestions)}"
        elif n_known:
            msg = f"unknown label '{label}' for {axis}; no label of the taxonomy is close"
        else:
            msg = f"unknown label '{label}' for {axis}; the taxonomy of {axis} has no labels yet"
        super().__init__(
            msg,
            column="label",
            value=label,
            hint="use a label of the taxonomy (kundfokus contacts taxonomy --axis "
            f"{axis}), or add it on purpose as a new label (--new-label)",
        )


#: Labels every store knows without a taxonomy file: those the rules guess, the situation names
#: of :data:`kundfokus.contacts.situations.NAMES`, ``other`` (reason) and ``none`` (tags).
def builtin_labels(axis: str) -> dict[str, dict[str, str | None]]:
    """Built-in labels of ``axis`` with their English and Swedish names."""
    from kundfokus.contacts.rules import AXES as RULE_AXES
    from kundfokus.contacts.rules import PURPOSE_NAMES
    from kundfokus.contacts.situations import NAMES

    out: dict[str, dict[str, str | None]] = {}
    for label in RULE_AXES.get(axis, ()):
        names = PURPOSE_NAMES.get(label, {}) if axis == "purpose" else {}
        out[label] = {"name_en": names.get("en"), "name_sv": names.get("sv")}
    for label, names in NAMES.get(axis, {}).items():
        out[label] = {"name_en": names.get("en"), "name_sv": names.get("sv")}
    if axis == "reason":
        out.setdefault("other", {"name_en": "other", "name_sv": "annat"})
    return out


def known_labels(session: Session, axis: str) -> dict[str, dict[str, str | None]]:
    """Every label ``axis`` accepts: the taxonomy's rows and the built-in labels, with names."""
    check_axis(axis)
    out = builtin_labels(axis)
    for r in taxonomy(session, axis).itertuples(index=False):
        if axis == "tags" and "|" in r.label:  # a tag set stored by an import: its tags
            for t in r.label.split("|"):
                out.setdefault(t, {"name_en": None, "name_sv": None})
            continue
        prev = out.get(r.label, {})
        out[r.label] = {
            "name_en": r.name_en or prev.get("name_en"),
            "name_sv": r.name_sv or prev.get("name_sv"),
        }
    return out


def suggest_labels(label: str, known: Mapping[str, Mapping[str, str | None]], n: int = 5):
    """The labels closest to ``label`` (difflib ratio on the label and on its English and
    Swedish names), best first.

    Examples
    --------
    >>> known = {"card_lost": {"name_en": "Lost card", "name_sv": "Borttappat kort"},
    ...          "fees": {"name_en": None, "name_sv": "Avgifter"}}
    >>> suggest_labels("card_lots", known), suggest_labels("avgift", known)
    (['card_lost'], ['fees'])
    """
    import difflib

    def norm(s: str) -> str:
        return " ".join(str(s).lower().replace("_", " ").replace("-", " ").split())

    want = norm(label)
    scored: dict[str, float] = {}
    for lab, names in known.items():
        texts = [lab] + [v for v in (names.get("name_en"), names.get("name_sv")) if v]
        best = max(difflib.SequenceMatcher(None, want, norm(t)).ratio() for t in texts)
        if any(want and (want in norm(t) or norm(t) in want) for t in texts):
            best = max(best, 0.8)
        if best >= 0.6:
            scored[lab] = best
    return [k for k, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))][:n]


def check_label(session: Session, axis: str, label: str, *, allow_new: bool = False) -> str:
    """The normalised label when ``axis`` accepts it (every tag of a ``tags`` label is checked),
    else :class:`UnknownLabel` naming close labels. ``allow_new`` accepts anything (the new
    labels are added to the taxonomy by :func:`correct`)."""
    after = normalise_label(axis, label)
    if not after:
        raise InputError("the label is empty", column="label", value=label)
    if allow_new:
        return after
    known = known_labels(session, axis)
    parts = after.split("|") if axis == "tags" else [after]
    if axis == "tags":
        known = {**known, "none": {"name_en": "no tag", "name_sv": "ingen tagg"}}
        if "none" in parts and len(parts) > 1:
            raise InputError("'none' cannot go with other tags", column="label", value=label)
    for part in parts:
        if part not in known:
            raise UnknownLabel(axis, part, suggest_labels(part, known), n_known=len(known))
    return after


def overlap_share(session: Session) -> float:
    """The share of contacts a second reviewer labels too (0 when not set)."""
    return float(get_setting(session, OVERLAP_SETTING, {"share": 0.0}).get("share", 0.0))


OVERLAP_SETTING = "overlap"


def in_overlap(external_id: str, share: float) -> bool:
    """Whether a contact belongs to the overlap share: the first 8 hex digits of the SHA-256 of
    its external id, as a fraction of 2**32, are below ``share`` (deterministic; about ``share``
    of all contacts; raising the share keeps every contact that was in).

    Examples
    --------
    >>> in_overlap("CRM-1", 0.0), in_overlap("CRM-1", 1.0)
    (False, True)
    """
    h = int(hashlib.sha256(str(external_id).encode("utf-8")).hexdigest()[:8], 16)
    return h / 2**32 < float(share)


LEAD_ROLES = ("analyst", "admin")


def is_lead(role: str | None) -> bool:
    """Leads (who settle disagreements and see suspected mislabels): analysts and admins."""
    return role in LEAD_ROLES


def _check_role(role: str | None) -> None:
    if role is not None and role not in ("reviewer", *LEAD_ROLES):
        raise InputError("this needs the role reviewer or higher", column="role", value=role)


def _before_of(session: Session, contact_id: int, axis: str, existing: Label | None):
    if existing is not None:
        return existing.label, "label"
    inf = current_inferences(session, [axis], [contact_id])
    for src in ("model", "rules"):
        hit = inf[inf["source"] == src]
        if not hit.empty:
            return str(hit["label"].iloc[0]), src
    return None, None


def correct(
    session: Session,
    contact_id: str,
    axis: str,
    label: str,
    *,
    by: str,
    reason: str | None = None,
    allow_new: bool = False,
    role: str | None = None,
) -> CorrectionResult:
    """Set the label of one contact on one axis and keep an audit row.

    Only ``axis`` changes: correcting the need leaves the situation as it is, and vice versa.
    ``before`` is what was shown: the person's earlier label, else the model's guess, else the
    rules' guess. The label must be one the axis knows (:func:`known_labels`); a typo raises
    :class:`UnknownLabel` with close labels. ``allow_new=True`` adds a new label to the taxonomy
    on purpose. The next :func:`retrain` of the axis learns from the new label.

    Every call also keeps the reviewer's own label (``review_labels``). On an overlap contact
    (:func:`in_overlap`) that another reviewer labelled first, the label in force stays the
    first reviewer's: this label is a second opinion for the agreement figures
    (``applied=False``) until a lead settles it (:func:`kundfokus.services.agreement.settle`).
    After a lead's decision, only another lead decision changes the label.

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
    allow_new:
        Accept a label the taxonomy does not have (and add it).
    role:
        The corrector's role when known (a viewer is refused).

    Returns
    -------
    CorrectionResult
    """
    check_axis(axis)
    _check_role(role)
    if not str(by or "").strip():
        raise InputError("say who corrects (--by)", column="by", value=by)
    contact = get_contact(session, contact_id)
    after = check_label(session, axis, label, allow_new=allow_new)
    return _apply(session, contact, axis, after, by=by, reason=reason, lead=False)


def _apply(
    session: Session,
    contact: Any,
    axis: str,
    after: str,
    *,
    by: str,
    reason: str | None,
    lead: bool,
) -> CorrectionResult:
    existing = session.scalar(
        select(Label).where(Label.contact_id == contact.id, Label.axis == axis)
    )
    before, before_source = _before_of(session, contact.id, axis, existing)
    overlap = in_overlap(contact.external_id, overlap_share(session))
    mine = review_labels(session, axis, [contact.id])
    now = utcnow()
    applied = True
    if not lead and not mine.empty:
        settled = bool(mine["is_lead"].any())
        first = mine.loc[~mine["is_lead"], "who"]
        first_who = str(first.iloc[0]) if len(first) else None
        if settled or (overlap and first_who is not None and first_who != by):
            applied = False
    parts = [t for t in after.split("|") if t != "none"] if axis == "tags" else [after]
    added = ensure_taxonomy_labels(session, axis, parts, who=by)
    session.add(ReviewLabel(contact_id=contact.id, axis=axis, label=after, who=by, at=now,
                            is_lead=lead, overlap=overlap))  # fmt: skip
    corr_id = None
    if applied:
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
        corr_id = corr.id
    else:
        session.flush()
    return CorrectionResult(
        correction_id=corr_id,
        contact_id=contact.external_id,
        axis=axis,
        before=before,
        before_source=before_source,
        after=after,
        who=by,
        at=now.isoformat(timespec="seconds"),
        new_label=bool(added),
        applied=applied,
        overlap=overlap,
    )


def bulk_correct(
    session: Session,
    contact_ids: Sequence[str],
    axis: str,
    label: str,
    *,
    by: str,
    reason: str | None = None,
    role: str | None = None,
) -> int:
    """Correct one axis of many contacts to the same label (a filtered slice), all or nothing:
    every id and the label are checked before anything is written, and any error leaves the
    caller's transaction to roll back. Returns how many contacts were corrected (second
    opinions on overlap contacts count too; see :func:`correct`)."""
    check_axis(axis)
    _check_role(role)
    ids = [str(i) for i in contact_ids]
    if not ids:
        raise InputError("no contacts given", column="ids", value=[])
    if len(ids) > 5000:
        raise InputError("at most 5000 contacts at a time", column="ids", value=len(ids))
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError("a contact id is given twice", column="ids", value=dup)
    if not str(by or "").strip():
        raise InputError("say who corrects (--by)", column="by", value=by)
    after = check_label(session, axis, label)
    found = existing_external_ids(session, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise InputError("no contact with this id in the store", column="ids", value=missing[0])
    for ext in ids:
        _apply(session, get_contact(session, ext), axis, after, by=by, reason=reason, lead=False)
    return len(ids)


def search_contacts(
    session: Session,
    query: str | None,
    *,
    limit: int = 50,
    filters: QueueFilters | None = None,
) -> list[dict[str, Any]]:
    """Contacts whose text or external id contains ``query`` (case-insensitive, in SQL), with
    ``filters``' channel and language, in store order (oldest first).

    Returns a list of dicts: ``id, timestamp, channel, language, text`` (at most 200
    characters, around the first match), ``labels`` (axis -> label in force) and ``guesses``
    (axis -> the current model guess, else the rules').
    """
    filters = (filters or QueueFilters()).check()
    if not (1 <= int(limit) <= 500):
        raise InputError("the limit must be between 1 and 500", column="limit", value=limit)
    q = (query or "").strip() or None
    ids = matching_contact_ids(
        session, channel=filters.channel, language=filters.language, search=q, limit=int(limit)
    )
    contacts = contacts_frame(session, ids)
    if contacts.empty:
        return []
    from kundfokus.store.models import AXES as ALL_AXES

    labels = current_labels(session, ALL_AXES)
    labels = labels[labels["contact_id"].isin(ids)]
    values = current_inferences(session, ALL_AXES, ids)
    out = []
    for c in contacts.itertuples(index=False):
        text = str(c.text)
        snippet = text[:200]
        if q and len(text) > 200:
            at = text.lower().find(q.lower())
            if at > 100:
                snippet = "..." + text[at - 80 : at + 117]
        mine = values[values["contact_id"] == c.contact_id]
        guesses: dict[str, str] = {}
        for src in ("rules", "model"):  # the model's guess wins over the rules'
            for r in mine[mine["source"] == src].itertuples(index=False):
                guesses[r.axis] = r.label
        out.append(
            {
                "id": c.external_id,
                "timestamp": pd.Timestamp(c.timestamp).isoformat(),
                "channel": c.channel,
                "language": c.language,
                "text": snippet,
                "labels": {
                    r.axis: r.label
                    for r in labels[labels["contact_id"] == c.contact_id].itertuples(index=False)
                },
                "guesses": guesses,
            }
        )
    return out


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
    ``per_class`` when the evaluation holds one. The quality gate: ``promoted`` (the version
    replaced the current one), ``reason`` / ``reason_sv`` (why, in plain words),
    ``n_heldout``, ``heldout_new`` and ``heldout_current`` (accuracy of the candidate and of the
    current version, or of the rules' guesses, on the held-out labels), ``compared_with``
    (``version N``, ``rules`` or ``None``), ``n_changed`` (contacts whose current guess changed
    when a promoted version stored its guesses).
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
    promoted: bool = True
    reason: str = ""
    reason_sv: str = ""
    n_heldout: int = 0
    heldout_new: float | None = None
    heldout_current: float | None = None
    compared_with: str | None = None
    current_version: int | None = None
    n_changed: int = 0

    def tables(self) -> dict[str, pd.DataFrame]:
        """``per_class``: the evaluation per class, when there is one."""
        per_class = self.evaluation.get("per_class")
        if isinstance(per_class, pd.DataFrame):
            return {"per_class": per_class}
        return {}

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Every field, the evaluation without ``per_class`` (nothing depends on ``lang``: the
        reason is there in both languages)."""
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


#: The quality gate of :func:`retrain`: the share of the people's labels held out, and the
#: fewest held-out labels a decision needs.
HELDOUT_SHARE = 0.2
MIN_HELDOUT = 5

_GATE = {
    "first": {
        "en": "first model of {axis}: nothing to compare it with (no model and no rules guess "
        "on this axis)",
        "sv": "första modellen för {axis}: inget att jämföra med (ingen modell och ingen "
        "regelgissning på axeln)",
    },
    "few": {
        "en": "kept back: too few held-out corrections to judge (n={n}; at least {m} needed)",
        "sv": "hölls tillbaka: för få undanhållna rättelser för att avgöra (n={n}; minst {m} "
        "behövs)",
    },
    "nothing_new": {
        "en": "kept back: no label changed since {rival} was trained, nothing new to judge on",
        "sv": "hölls tillbaka: ingen etikett har ändrats sedan {rival_sv} tränades, inget nytt "
        "att bedöma på",
    },
    "thin": {
        "en": "kept back: too few labels left to train on once {n} held-out corrections are set "
        "aside",
        "sv": "hölls tillbaka: för få etiketter kvar att träna på när {n} rättelser hålls undan",
    },
    "better": {
        "en": "promoted: beats {rival} on {n} held-out corrections ({new} vs {cur})",
        "sv": "ersätter {rival_sv}: bättre på {n} undanhållna rättelser ({new} mot {cur})",
    },
    "worse": {
        "en": "kept back: does not beat {rival} on {n} held-out corrections ({new} vs {cur})",
        "sv": "hölls tillbaka: inte bättre än {rival_sv} på {n} undanhållna rättelser "
        "({new} mot {cur})",
    },
}


def _rival_names(current: ModelVersion | None) -> tuple[str, str]:
    if current is not None:
        return f"version {current.version}", f"version {current.version}"
    return "the rules' guesses", "reglernas gissningar"


def heldout_folds(
    pool: pd.DataFrame, *, share: float = HELDOUT_SHARE, random_state: int = 0
) -> list[list[int]]:
    """Cross-fitting folds over ``pool`` (a frame with a ``label`` column): ``round(1 / share)``
    folds (5 for 20 %; at most one per row), stratified by label when possible, seeded. Every
    row is held out exactly once, so all of the pool judges the new version.

    Examples
    --------
    >>> pool = pd.DataFrame({"label": list("aaaaabbbbb")})
    >>> folds = heldout_folds(pool)
    >>> len(folds), sorted(i for f in folds for i in f) == list(range(10))
    (5, True)
    """
    import warnings as _w

    from sklearn.model_selection import KFold, StratifiedKFold

    n = len(pool)
    if n < 2:
        return [list(range(n))] if n else []
    k = int(max(2, min(round(1.0 / share), n)))
    y = pool["label"].astype(str).to_numpy()
    pos = np.zeros(n)
    with _w.catch_warnings():
        _w.filterwarnings("ignore", message=".*least populated class.*")
        try:
            splits = list(StratifiedKFold(k, shuffle=True, random_state=random_state).split(pos, y))
        except ValueError:  # every label has fewer rows than folds
            splits = list(KFold(k, shuffle=True, random_state=random_state).split(pos))
    return [sorted(int(i) for i in test) for _, test in splits]


def _rival_guesses(
    session: Session, axis: str, current: ModelVersion | None, held: pd.DataFrame
) -> list[str | None]:
    if current is not None:
        model = load_version(current)
        labels, _, _ = _predict(model, axis, held["text"].tolist())
        return [normalise_label(axis, v) if axis == "tags" else v for v in labels]
    inf = current_inferences(session, [axis], held["contact_id"].tolist())
    rules = inf[inf["source"] == "rules"].set_index("contact_id")["label"].to_dict()
    return [rules.get(int(c)) for c in held["contact_id"]]


def _has_rules(session: Session, axis: str) -> bool:
    return (
        session.scalar(
            select(Inference.id).where(Inference.axis == axis, Inference.source == "rules").limit(1)
        )
        is not None
    )


def _fit(axis: str, params: Mapping[str, Any] | None, texts: list[str], labels: list[str]):
    model = _new_classifier(axis, params)
    y = ["" if v == "none" else v for v in labels] if axis == "tags" else labels
    with _quiet_fit():
        model.fit(texts, y)
    return model


def _accuracy(axis: str, truth: Sequence[str], pred: Sequence[str | None]) -> float:
    if axis == "tags":
        ok = [normalise_label("tags", t) == normalise_label("tags", p or "") for t, p in
              zip(truth, pred, strict=True)]  # fmt: skip
    else:
        ok = [p is not None and str(t) == str(p) for t, p in zip(truth, pred, strict=True)]
    return float(np.mean(ok)) if ok else float("nan")


def _best_guesses(session: Session, axis: str) -> dict[int, str]:
    inf = current_inferences(session, [axis])
    out: dict[int, str] = {}
    for src in ("rules", "model"):  # the model's guess wins
        for cid, label in inf.loc[inf["source"] == src, ["contact_id", "label"]].itertuples(
            index=False
        ):
            out[int(cid)] = label
    return out


def retrain(
    session: Session,
    axis: str,
    *,
    by: str | None = None,
    params: Mapping[str, Any] | None = None,
    n_splits: int = 5,
    random_state: int = 0,
    reinfer: bool = True,
    heldout_share: float = HELDOUT_SHARE,
    min_heldout: int = MIN_HELDOUT,
    progress: Callable[[float, str], None] | None = None,
) -> RetrainResult:
    """Train a new model version of ``axis`` from the full current label set, behind a quality
    gate.

    Steps: build the training set from every current label of the axis (imported labels and
    corrections alike, the latest label per contact) and fingerprint it. Then the gate: the
    *held-out pool* is the people's labels the current version has not seen (set after it was
    trained; before any model: all of them). The pool is cross-fitted (:func:`heldout_folds`:
    5 folds of 20 %, stratified by label when possible, seeded): for each fold a candidate is
    trained on the whole label set except that fold and guesses the fold, so every pool label is
    judged by a candidate that did not see it. The current version (:func:`current_model`), or
    before any model the rules' stored guesses (a contact without a guess counts as wrong), is
    scored on the same labels. The new version is promoted only when its held-out accuracy is
    strictly higher; ties, or fewer than ``min_heldout`` held-out labels, keep it back, unless
    there is no model and no rules guess on the axis at all (then there is
    nothing to protect and the first model is promoted). Then: stratified cross-validation of
    the full set (:func:`cross_validate`, the estimate shown in the history), the final model
    fitted on the full label set and stored as the next version with fingerprint, evaluation and
    the gate's decision (``evaluation["gate"]``). Only a promoted version stores its guesses for
    every contact (``reinfer``); a kept-back one is in the history but never used.

    Raises
    ------
    InputError
        When the axis has fewer than two labelled classes or fewer than four labelled contacts.
    """
    check_axis(axis)

    def step(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    step(0.05, "reading the label set")
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
    current = current_model(session, axis)
    last_corr = session.scalar(
        select(Correction.id).where(Correction.axis == axis).order_by(Correction.id.desc())
    )

    # the quality gate
    step(0.15, "holding out corrections to judge the new version")
    at = current_labels(session, [axis]).set_index("contact_id")["at"]
    train = train.assign(at=train["contact_id"].map(at))
    pool = train if current is None else train[train["at"] > current.trained_at]
    pool = pool.reset_index(drop=True)
    folds = heldout_folds(pool, share=heldout_share, random_state=random_state)
    held = pool
    rival_exists = current is not None or _has_rules(session, axis)
    rival, rival_sv = _rival_names(current)
    n_held = len(held)
    acc_new = acc_cur = None
    enough_rest = len(train) - max((len(f) for f in folds), default=0) >= 4
    if n_held >= min_heldout and enough_rest:
        step(0.2, f"judging a candidate on {n_held} held-out labels ({len(folds)} folds)")
        pred: list[str | None] = [None] * n_held
        for i, fold in enumerate(folds):
            out_ids = set(pool.iloc[fold]["contact_id"])
            part = train[~train["contact_id"].isin(out_ids)]
            if part["label"].nunique() < 2:
                continue  # nothing to learn from: these held-out labels count as wrong
            cand = _fit(axis, params, part["text"].tolist(), part["label"].tolist())
            got, _, _ = _predict(cand, axis, pool.iloc[fold]["text"].tolist())
            for j, g in zip(fold, got, strict=True):
                pred[j] = g
            step(0.2 + 0.2 * (i + 1) / len(folds), f"candidate fold {i + 1} of {len(folds)}")
        acc_new = _accuracy(axis, held["label"].tolist(), pred)
        if rival_exists:
            acc_cur = _accuracy(axis, held["label"].tolist(),
                                _rival_guesses(session, axis, current, held))  # fmt: skip
    fmt = {"axis": axis, "n": n_held, "m": min_heldout, "rival": rival, "rival_sv": rival_sv,
           "new": _pct(acc_new) if acc_new is not None else "-",
           "cur": _pct(acc_cur) if acc_cur is not None else "-"}  # fmt: skip
    if not rival_exists:
        promoted, key = True, "first"
    elif n_held == 0 and current is not None:
        promoted, key = False, "nothing_new"
    elif n_held < min_heldout:
        promoted, key = False, "few"
    elif not enough_rest:
        promoted, key = False, "thin"
    else:
        promoted = acc_new is not None and acc_cur is not None and acc_new > acc_cur
        key = "better" if promoted else "worse"
    reason_en, reason_sv = tr(_GATE[key], "en", **fmt), tr(_GATE[key], "sv", **fmt)

    step(0.45, "cross-validating on the full label set")
    evaluation, method = cross_validate(
        train["text"].tolist(),
        train["label"].tolist(),
        axis=axis,
        params=params,
        n_splits=n_splits,
        random_state=random_state,
    )
    step(0.7, "fitting on the full label set")
    model = _fit(axis, params, train["text"].tolist(), train["label"].tolist())
    # the last progress report: from here on the session writes, and on SQLite a report from
    # another connection would wait for this transaction's write lock
    step(0.85, "storing the version" + (" and its guesses" if promoted and reinfer else ""))
    version = (prev.version if prev else 0) + 1
    gate = {
        "promoted": promoted,
        "reason": reason_en,
        "reason_sv": reason_sv,
        "n_heldout": n_held,
        "heldout_new": acc_new,
        "heldout_current": acc_cur,
        "compared_with": None if not rival_exists else ("model" if current else "rules"),
        "current_version": current.version if current is not None else None,
        "heldout_ids": held["external_id"].tolist(),
        "n_changed": 0,
    }
    evaluation = {**evaluation, "gate": gate}
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
        evaluation=_json_evaluation(evaluation),
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
            details={k: v for k, v in evaluation.items() if k not in ("per_class", "gate")},
        )
    )
    if acc_new is not None:
        session.add(
            Evaluation(
                model_version_id=mv.id,
                kind="heldout_gate",
                computed_at=mv.trained_at,
                n=n_held,
                accuracy=acc_new,
                macro_f1=None,
                details={k: v for k, v in gate.items() if k != "heldout_ids"},
            )
        )
    n_inferred = n_changed = 0
    if promoted and reinfer:
        before = _best_guesses(session, axis)
        n_inferred = infer(session, mv, model)
        after = _best_guesses(session, axis)
        n_changed = sum(1 for cid, lab in after.items() if before.get(cid) != lab)
        mv.evaluation = _json_evaluation({**evaluation, "gate": {**gate, "n_changed": n_changed}})
    session.flush()
    return RetrainResult(
        axis=axis,
        version=version,
        n_train=len(train),
        n_classes=len(mv.classes),
        fingerprint=fp,
        evaluation_method=method,
        evaluation={k: v for k, v in evaluation.items() if k != "gate"},
        n_inferred=n_inferred,
        last_correction_id=mv.last_correction_id,
        unchanged_since=prev.version if prev is not None and prev.fingerprint == fp else None,
        classes=list(mv.classes),
        promoted=promoted,
        reason=reason_en,
        reason_sv=reason_sv,
        n_heldout=n_held,
        heldout_new=acc_new,
        heldout_current=acc_cur,
        compared_with=rival if rival_exists else None,
        current_version=current.version if current is not None else None,
        n_changed=n_changed,
    )


def _json_evaluation(evaluation: Mapping[str, Any]) -> dict[str, Any]:
    from kundfokus.serialize import json_safe

    return json_safe(dict(evaluation))


def retrain_axes(session: Session, axis: str, **kw: Any) -> list[RetrainResult]:
    """:func:`retrain` every axis of ``axis`` (one axis, ``need``, ``situation`` or ``all``), in
    order, in the caller's one transaction. An axis with too few labels is skipped when several
    are asked (an error when none can be trained, or when a single axis is asked). ``progress``
    is called only before each axis's writes; on SQLite a reporter using another connection
    would wait for this transaction from the second axis on, so the ``retrain`` job commits
    per axis instead."""
    axes = resolve_axes(axis)
    if len(axes) == 1:
        return [retrain(session, axes[0], **kw)]
    out, errors = [], []
    progress = kw.pop("progress", None)
    for i, a in enumerate(axes):
        sub = None
        if progress is not None:

            def sub(f: float, msg: str, i: int = i, a: str = a) -> None:
                progress((i + f) / len(axes), f"{a}: {msg}")

        try:
            out.append(retrain(session, a, progress=sub, **kw))
        except InputError as exc:
            if "too few labels" not in exc.message:
                raise
            errors.append(exc)
    if not out:
        raise errors[0]
    return out


def last_changes(session: Session, axis: str, *, limit: int = 20) -> dict[str, Any]:
    """What the last corrections of ``axis`` changed, and what the last retraining did.

    Returns ``{"corrections": [{id, axis, before, before_source, after, who, at, reason}],
    "last_retrain": {version, trained_at, trained_by, promoted, reason, reason_sv, n_changed,
    n_heldout, heldout_new, heldout_current} or None}`` (newest correction first).
    """
    from kundfokus.store.models import Contact

    check_axis(axis)
    rows = session.execute(
        select(Correction, Contact.external_id)
        .join(Contact, Contact.id == Correction.contact_id)
        .where(Correction.axis == axis)
        .order_by(Correction.id.desc())
        .limit(int(limit))
    ).all()
    corrections = [
        {
            "id": ext,
            "axis": c.axis,
            "before": c.before,
            "before_source": c.before_source,
            "after": c.after,
            "who": c.who,
            "at": c.at.isoformat() + "Z",
            "reason": c.reason,
        }
        for c, ext in rows
    ]
    mv = latest_model(session, axis)
    last = None
    if mv is not None:
        gate = (mv.evaluation or {}).get("gate") or {}
        last = {
            "version": mv.version,
            "trained_at": mv.trained_at.isoformat() + "Z",
            "trained_by": mv.trained_by,
            "promoted": is_promoted(mv),
            "reason": gate.get("reason"),
            "reason_sv": gate.get("reason_sv"),
            "n_changed": gate.get("n_changed"),
            "n_heldout": gate.get("n_heldout"),
            "heldout_new": gate.get("heldout_new"),
            "heldout_current": gate.get("heldout_current"),
        }
    return {"corrections": corrections, "last_retrain": last}


def suspected_mislabels(
    session: Session,
    axis: str,
    limit: int | None = 50,
    *,
    params: Mapping[str, Any] | None = None,
    n_splits: int = 5,
    random_state: int = 0,
) -> pd.DataFrame:
    """Labels of ``axis`` that are likely wrong, most suspicious first, by confident learning
    (:mod:`kundfokus.contacts.mislabels`) on out-of-fold probabilities of the axis's classifier.

    Returns
    -------
    pandas.DataFrame
        ``contact_id, id, text, label, suggested, p_label, p_suggested, margin`` (``id``: the
        external id).

    Raises
    ------
    InputError
        For ``tags`` (several labels per contact) or too few labels.
    """
    from kundfokus.contacts.mislabels import find_label_issues, out_of_sample_proba

    check_axis(axis)
    if axis == "tags":
        raise InputError("suspected mislabels need one label per contact (not tags)",
                         column="axis", value=axis)  # fmt: skip
    train = training_set(session, axis)
    cols = ["contact_id", "id", "text", "label", "suggested", "p_label", "p_suggested", "margin"]
    if len(train) < 4 or train["label"].nunique() < 2:
        raise InputError("too few labels to check", column="axis", value=axis)
    with _quiet_fit():
        proba, classes = out_of_sample_proba(
            train["text"].tolist(),
            train["label"].tolist(),
            lambda: _new_classifier(axis, params),
            n_splits=n_splits,
            random_state=random_state,
        )
    issues = find_label_issues(train["label"].tolist(), proba, classes)
    if issues.empty:
        return pd.DataFrame(columns=cols)
    rows = train.iloc[issues["index"].to_numpy()].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "contact_id": rows["contact_id"].astype(int),
            "id": rows["external_id"],
            "text": rows["text"],
            "label": issues["label"],
            "suggested": issues["suggested"],
            "p_label": issues["p_label"],
            "p_suggested": issues["p_suggested"],
            "margin": issues["margin"],
        }
    )
    return out.head(limit) if limit is not None else out


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
        trained; empty while there are none), then the quality gate's decision: ``promoted``
        (false: kept back, never used), ``gate_reason`` (in ``lang``), ``n_heldout``,
        ``heldout_accuracy`` and ``heldout_accuracy_current`` (the version it was compared
        with, or the rules), ``n_changed`` (contacts whose guess changed when it was promoted;
        empty for versions from before the gate).
    """
    check_axis(axis)
    rows = []
    for mv in model_versions(session, axis):
        n, acc = live_accuracy(session, mv)
        ev = mv.evaluation or {}
        gate = ev.get("gate") or {}
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
                "promoted": is_promoted(mv),
                "gate_reason": gate.get("reason_sv" if lang == "sv" else "reason"),
                "n_heldout": gate.get("n_heldout"),
                "heldout_accuracy": gate.get("heldout_new"),
                "heldout_accuracy_current": gate.get("heldout_current"),
                "n_changed": gate.get("n_changed"),
            }
        )
    cols = [
        "version", "trained_at", "trained_by", "n_train", "n_classes", "fingerprint",
        "evaluation_method", "cv_accuracy", "cv_macro_f1", "n_corrections_after",
        "accuracy_on_later_corrections", "promoted", "gate_reason", "n_heldout",
        "heldout_accuracy", "heldout_accuracy_current", "n_changed",
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
    model inferred on every axis, the labels in force, its correction history (``history``) and
    every reviewer's own label (``reviews``: axis, label, who, at, lead, overlap; a second
    opinion on an overlap contact is there, not in ``history``)."""
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
    reviews = []
    for a in AXES:
        rl = review_labels(session, a, [contact.id])
        reviews.extend(
            {"axis": a, "label": r.label, "who": r.who, "at": r.at.isoformat() + "Z",
             "lead": bool(r.is_lead), "overlap": bool(r.overlap)}
            for r in rl.itertuples(index=False)
        )  # fmt: skip
    reviews.sort(key=lambda r: r["at"])
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
        "reviews": reviews,
    }


def accuracy_chart(session: Session, axis: str, *, lang: str = "en") -> dict[str, Any]:
    """Accuracy of every model version of ``axis`` over time as a Vega-Lite line chart: the
    cross-validated estimate at training, the held-out accuracy of the quality gate, and the
    accuracy on corrections made after training (one line per measure; kept-back versions are
    drawn with hollow points)."""
    from kundfokus.serialize import json_safe

    check_axis(axis)
    names = {
        "cross_validation": {"en": "cross-validation", "sv": "korsvalidering"},
        "heldout_gate": {"en": "held-out corrections", "sv": "undanhållna rättelser"},
        "after_training_corrections": {"en": "later corrections", "sv": "senare rättelser"},
    }
    promoted = {mv.version: is_promoted(mv) for mv in model_versions(session, axis)}
    ev = evaluation_history(session, axis)
    values = [
        {
            "version": int(r.version),
            "at": pd.Timestamp(r.computed_at).isoformat(),
            "measure": tr(names.get(r.kind, {"en": r.kind, "sv": r.kind}), lang),
            "accuracy": None if r.accuracy is None or pd.isna(r.accuracy) else float(r.accuracy),
            "n": int(r.n),
            "promoted": promoted.get(int(r.version), True),
        }
        for r in ev.itertuples(index=False)
    ]
    values = [v for v in values if v["accuracy"] is not None]
    acc = tr({"en": "accuracy", "sv": "träffsäkerhet"}, lang)
    return json_safe(
        {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": tr({"en": "Accuracy per model version: {axis}",
                         "sv": "Träffsäkerhet per modellversion: {axis}"}, lang, axis=axis),
            "data": {"values": values},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "at", "type": "temporal",
                      "title": tr({"en": "when", "sv": "när"}, lang)},
                "y": {"field": "accuracy", "type": "quantitative", "title": acc,
                      "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"}},
                "color": {"field": "measure", "type": "nominal",
                          "title": tr({"en": "measure", "sv": "mått"}, lang)},
                "tooltip": [{"field": "version"}, {"field": "measure"},
                            {"field": "accuracy", "format": ".1%"}, {"field": "n"},
                            {"field": "promoted"}],
            },
        }
    )  # fmt: skip
