"""The recommendation log: what the recommender offered, with its propensity, what was done, and the
outcome (store table ``recommendation_log``).

:func:`log_recommendations` stores one row per case with the situation, the offered mode and the
probability with which the (exploring) policy offered it, plus the policy's probability of every
mode (kept in the situation JSON under ``"_policy"``). :func:`log_override` records that an agent
or the customer chose another mode, and looks up that mode's probability under the policy (the
``chosen_propensity``). :func:`log_outcome` adds the outcome once it is known. :func:`load_log`
returns the rows with an outcome as a history frame for ``recommend fit`` / ``evaluate``: the
situation columns, ``action`` (the mode actually used), ``outcome``, ``propensity`` (the policy's
probability of that mode; empty for overrides, whose real choice probability is unknown, so the
next fit estimates it) and ``override``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.store.models import RecommendationLog, utcnow

__all__ = ["POLICY_KEY", "load_log", "log_outcome", "log_override", "log_recommendations"]

POLICY_KEY = "_policy"


def log_recommendations(
    session: Session,
    rows: Iterable[Mapping[str, Any]],
    *,
    model: str | None = None,
    situation: Sequence[str] = (),
) -> int:
    """Store recommendations; returns the number of rows written.

    Each row needs ``recommended`` and ``propensity`` (in (0, 1]) and may have ``case_id``,
    ``customer_id``, ``who``, ``probabilities`` (mode → policy probability) and the ``situation``
    columns (stored as JSON).
    """
    n = 0
    for i, r in enumerate(rows, start=1):
        p = r.get("propensity")
        if p is None or not 0 < float(p) <= 1:
            raise InputError(
                "the propensity must be above 0 and at most 1", row=i, column="propensity", value=p
            )
        rec = r.get("recommended")
        if rec is None or str(rec).strip() == "":
            raise InputError("the recommendation is missing", row=i, column="recommended")
        sit = {c: _plain(r.get(c)) for c in situation}
        probs = r.get("probabilities")
        if probs:
            sit[POLICY_KEY] = {str(k): float(v) for k, v in probs.items()}
        session.add(
            RecommendationLog(
                case_id=_text(r.get("case_id")),
                customer_id=_text(r.get("customer_id")),
                model=model,
                situation=sit,
                recommended=str(rec),
                propensity=float(p),
                chosen=str(rec),
                chosen_propensity=float(p),
                override=False,
                who=_text(r.get("who")),
            )
        )
        n += 1
    session.flush()
    return n


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    return str(v)


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v if isinstance(v, (str, int, float, bool)) else str(v)


def _latest(session: Session, case_id: str) -> RecommendationLog:
    row = session.scalars(
        select(RecommendationLog)
        .where(RecommendationLog.case_id == str(case_id))
        .order_by(RecommendationLog.id.desc())
        .limit(1)
    ).first()
    if row is None:
        raise InputError(
            "no recommendation is logged for this case",
            column="case",
            value=case_id,
            hint="log recommendations with 'kundfokus recommend for ... --db'",
        )
    return row


def log_override(
    session: Session,
    case_id: str,
    chosen: str,
    *,
    reason: str | None = None,
    who: str | None = None,
) -> RecommendationLog:
    """Record that another mode than the recommended one was chosen for ``case_id`` (the latest
    recommendation of that case). ``chosen_propensity`` is the policy's probability of the chosen
    mode (from the logged probabilities; ``None`` when the mode was not among them)."""
    if not str(chosen).strip():
        raise InputError("the chosen mode is missing", column="chosen")
    row = _latest(session, case_id)
    probs = (row.situation or {}).get(POLICY_KEY) or {}
    if probs and chosen not in probs:
        raise InputError(
            "the model does not know this service mode",
            column="chosen",
            value=chosen,
            hint=f"the modes are: {', '.join(sorted(probs))}",
        )
    row.chosen = str(chosen)
    row.override = str(chosen) != row.recommended
    row.chosen_propensity = (
        row.propensity if not row.override else (float(probs[chosen]) if probs else None)
    )
    row.override_reason = reason
    if who is not None:
        row.who = who
    session.flush()
    return row


def log_outcome(session: Session, case_id: str, value: float) -> RecommendationLog:
    """Store the outcome of the latest recommendation of ``case_id``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError("the outcome must be a number", column="value", value=value) from None
    if v != v:
        raise InputError("the outcome must be a number", column="value", value=value)
    row = _latest(session, case_id)
    row.outcome = v
    row.outcome_at = utcnow()
    session.flush()
    return row


def load_log(
    session: Session, *, model: str | None = None, with_outcome: bool = True
) -> pd.DataFrame:
    """The logged recommendations as a frame (one row per logged case, oldest first).

    Columns: ``case_id, customer_id, model``, the situation columns, ``recommended``,
    ``recommended_propensity``, ``action`` (the mode actually used), ``propensity`` (its
    probability under the logging policy: the recommender's own, empty for overrides), ``override``,
    ``override_reason``, ``who``, ``outcome``, ``created_at``. With ``with_outcome`` only rows whose
    outcome is known.
    """
    q = select(RecommendationLog).order_by(RecommendationLog.id)
    if model is not None:
        q = q.where(RecommendationLog.model == model)
    if with_outcome:
        q = q.where(RecommendationLog.outcome.is_not(None))
    out = []
    for r in session.scalars(q):
        sit = {k: v for k, v in (r.situation or {}).items() if k != POLICY_KEY}
        out.append(
            {
                "case_id": r.case_id,
                "customer_id": r.customer_id,
                "model": r.model,
                **sit,
                "recommended": r.recommended,
                "recommended_propensity": r.propensity,
                "action": r.chosen,
                # an override is a human choice: its probability is not the policy's
                "propensity": None if r.override else r.chosen_propensity,
                "override": bool(r.override),
                "override_reason": r.override_reason,
                "who": r.who,
                "outcome": r.outcome,
                "created_at": r.created_at,
            }
        )
    return pd.DataFrame(out)


def combine_history(
    history: Any,
    log: pd.DataFrame,
    *,
    columns: Sequence[str],
    action: str,
    outcome: str,
    propensity: str | None,
) -> tuple[Any, str]:
    """The history plus the logged rows (with an outcome), as one pandas frame for ``fit``.

    The logged rows bring their situation columns, the mode actually used (overrides included:
    they teach the next fit like corrections) and the recommender's propensity. Returns the frame
    and the name of its propensity column (``propensity`` when given, else ``_kf_propensity``,
    empty for the history rows so that their propensities are estimated).
    """
    from kundfokus.frames import to_pandas

    hist = to_pandas(history).copy()
    pcol = propensity or "_kf_propensity"
    if propensity is None:
        hist[pcol] = float("nan")
    if log.empty:
        return hist, pcol
    missing = [c for c in columns if c not in log.columns]
    if missing:
        raise InputError(
            "the logged recommendations lack a situation column of this fit",
            column=missing[0],
            hint="fit with the same situation and feature columns as the logged model",
        )
    extra = pd.DataFrame({c: log[c] for c in columns})
    extra[action] = log["action"]
    extra[outcome] = log["outcome"].astype(float)
    extra[pcol] = log["propensity"].astype(float)
    for c in columns:
        if c in hist:
            hist[c] = hist[c].astype("string")
        extra[c] = extra[c].astype("string")
    hist[action] = hist[action].astype("string")
    extra[action] = extra[action].astype("string")
    for c in (outcome, pcol):  # a CSV is read as text: keep the logged numbers in its type
        if c in hist and not pd.api.types.is_numeric_dtype(hist[c]):
            hist[c] = hist[c].astype("string")
            extra[c] = pd.Series(
                [None if pd.isna(v) else repr(float(v)) for v in extra[c]], dtype="string"
            )
    keep = [*columns, action, outcome, pcol]
    return pd.concat([hist[keep], extra[keep]], ignore_index=True), pcol
