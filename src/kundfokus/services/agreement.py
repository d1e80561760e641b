"""Overlap and agreement in the review loop: a share of contacts is labelled by two reviewers
independently, the agreement between them is measured (Krippendorff's alpha, Cohen's kappa, per
label), and a lead settles the disagreements.

- :func:`set_overlap` (an admin): the share of contacts that a second reviewer also labels. A
  contact is in the overlap when the hash of its external id falls below the share
  (:func:`kundfokus.services.review.in_overlap`): deterministic, the same for every process.
- :func:`kundfokus.services.review.correct` keeps every reviewer's own label; on an overlap
  contact the first reviewer's label stays in force and a second reviewer's label is kept beside
  it; :func:`kundfokus.services.review.review_queue` with ``reviewer=`` shows a reviewer the
  overlap contacts someone else labelled.
- :func:`agreement`: the figures, computed by :mod:`kundfokus.contacts.agreement`, over the
  overlap contacts with labels from two or more reviewers (each reviewer's newest label; lead
  decisions do not count as a rater).
- :func:`settle` (a lead: analysts and admins): the lead's label wins and becomes the label in
  force, audited as a correction.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from kundfokus.contacts.agreement import cohen_kappa, krippendorff_alpha, per_label
from kundfokus.errors import InputError
from kundfokus.services.review import (
    OVERLAP_SETTING,
    CorrectionResult,
    _apply,
    check_label,
    is_lead,
    overlap_share,
)
from kundfokus.store.models import Label
from kundfokus.store.repositories import (
    check_axis,
    contacts_frame,
    get_contact,
    put_setting,
    review_labels,
)

__all__ = ["agreement", "overlap_share", "set_overlap", "settle"]


def set_overlap(session: Session, share: float, *, by: str) -> dict[str, Any]:
    """Set the share (0-1) of contacts that a second reviewer labels too; returns
    ``{"share", "updated_by"}``."""
    try:
        value = float(share)
    except (TypeError, ValueError):
        raise InputError("the share must be a number from 0 to 1", column="share",
                         value=share) from None  # fmt: skip
    if not (0.0 <= value <= 1.0) or value != value:
        raise InputError("the share must be from 0 to 1", column="share", value=share)
    if not str(by or "").strip():
        raise InputError("say who sets the share", column="by", value=by)
    put_setting(session, OVERLAP_SETTING, {"share": value}, who=by)
    return {"share": value, "updated_by": by}


def _units(session: Session, axis: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The newest non-lead label per overlap contact and reviewer, and the lead decisions."""
    rl = review_labels(session, axis)
    if rl.empty:
        return rl, rl
    leads = rl[rl["is_lead"]].drop_duplicates("contact_id", keep="last")
    raters = rl[~rl["is_lead"] & rl["overlap"]].drop_duplicates(["contact_id", "who"], keep="last")
    n_raters = raters.groupby("contact_id")["who"].transform("nunique")
    return raters[n_raters >= 2], leads


def agreement(session: Session, axis: str, *, limit: int = 200) -> dict[str, Any]:
    """Agreement between reviewers on the overlap contacts of ``axis``.

    Returns
    -------
    dict
        ``axis``, ``share`` (the overlap share now), ``n_overlap`` (contacts with labels from two
        or more reviewers), ``alpha`` (Krippendorff's alpha, nominal, every reviewer),
        ``kappa`` (Cohen's kappa of the first and the second reviewer of each contact),
        ``per_label`` (``label, n, agreement, kappa``), ``n_disagreements`` and
        ``disagreements`` (at most ``limit``, unsettled ones first: ``id, text, labels``
        (reviewer -> label), ``current`` (the label in force), ``settled`` (the lead's label
        or ``None``)). ``alpha``/``kappa`` are ``None`` while they are undefined (no overlap, or
        one label only).
    """
    check_axis(axis)
    raters, leads = _units(session, axis)
    share = overlap_share(session)
    out: dict[str, Any] = {"axis": axis, "share": share, "n_overlap": 0, "alpha": None,
                           "kappa": None, "per_label": [], "n_disagreements": 0,
                           "disagreements": []}  # fmt: skip
    if raters.empty:
        return out
    units: list[list[str]] = []
    by_contact: dict[int, dict[str, str]] = {}
    for cid, g in raters.sort_values("id").groupby("contact_id", sort=True):
        units.append(g["label"].astype(str).tolist())
        by_contact[int(cid)] = dict(zip(g["who"], g["label"], strict=True))
    alpha = krippendorff_alpha(units)
    kappa = cohen_kappa([u[0] for u in units], [u[1] for u in units])
    lead_of = dict(zip(leads["contact_id"].astype(int), leads["label"], strict=True))
    split = [cid for cid, labs in by_contact.items() if len(set(labs.values())) > 1]
    split.sort(key=lambda c: (c in lead_of, c))
    contacts = contacts_frame(session, split[:limit]).set_index("contact_id")
    from sqlalchemy import select

    current = dict(
        session.execute(
            select(Label.contact_id, Label.label).where(
                Label.axis == axis, Label.contact_id.in_(split[:limit])
            )
        ).all()
    )
    out.update(
        n_overlap=len(units),
        alpha=None if alpha != alpha else round(alpha, 4),
        kappa=None if kappa != kappa else round(kappa, 4),
        per_label=per_label(units),
        n_disagreements=len(split),
        disagreements=[
            {
                "id": contacts.loc[cid, "external_id"],
                "text": contacts.loc[cid, "text"],
                "labels": by_contact[cid],
                "current": current.get(cid),
                "settled": lead_of.get(cid),
            }
            for cid in split[:limit]
        ],
    )
    return out


def settle(
    session: Session,
    contact_id: str,
    axis: str,
    label: str,
    *,
    by: str,
    role: str | None = None,
    reason: str | None = None,
) -> CorrectionResult:
    """A lead's decision on one contact and axis: it becomes the label in force (audited as a
    correction) and wins over every reviewer's label; later reviewer labels on it are kept as
    opinions only. ``role``, when given, must be a lead's (analyst or admin)."""
    check_axis(axis)
    if role is not None and not is_lead(role):
        raise InputError("only a lead (analyst or admin) settles", column="role", value=role)
    if not str(by or "").strip():
        raise InputError("say who settles", column="by", value=by)
    contact = get_contact(session, contact_id)
    after = check_label(session, axis, label)
    return _apply(session, contact, axis, after, by=by, reason=reason or "lead decision",
                  lead=True)  # fmt: skip
