"""Small query helpers over the store, shared by the services and (later) the web routes.

Every function takes an open :class:`sqlalchemy.orm.Session` and returns ORM objects or small
pandas frames; none of them commits (the caller owns the transaction, see
:func:`kundfokus.store.db.session_scope`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.store.models import (
    AXES,
    AXIS_GROUPS,
    Contact,
    Inference,
    Label,
    ModelVersion,
    ReviewLabel,
    ReviewSetting,
    TaxonomyLabel,
    utcnow,
)

CHUNK = 500


def resolve_axes(axis: str | None) -> tuple[str, ...]:
    """Expand an ``--axis`` value: one axis, a group (``need``, ``situation``) or ``None``/``all``.

    Examples
    --------
    >>> resolve_axes("need")
    ('purpose', 'reason')
    >>> resolve_axes("mood")
    ('mood',)
    """
    if axis is None or axis == "all":
        return AXES
    if axis in AXIS_GROUPS:
        return AXIS_GROUPS[axis]
    if axis in AXES:
        return (axis,)
    raise InputError(
        "unknown axis",
        column="axis",
        value=axis,
        hint=f"use one of {', '.join((*AXES, *AXIS_GROUPS, 'all'))}",
    )


def check_axis(axis: str) -> str:
    """Return ``axis`` if it is a single known axis, else raise :class:`InputError`."""
    if axis not in AXES:
        raise InputError(
            "unknown axis (one axis is needed here)",
            column="axis",
            value=axis,
            hint=f"use one of {', '.join(AXES)}",
        )
    return axis


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def existing_external_ids(session: Session, external_ids: Sequence[str]) -> set[str]:
    """Which of ``external_ids`` are already in the store."""
    found: set[str] = set()
    for part in chunks(list(external_ids)):
        found.update(
            session.scalars(select(Contact.external_id).where(Contact.external_id.in_(part)))
        )
    return found


def get_contact(session: Session, external_id: str) -> Contact:
    """The contact with this external id, or an :class:`InputError` naming the id."""
    contact = session.scalar(select(Contact).where(Contact.external_id == str(external_id)))
    if contact is None:
        raise InputError("no contact with this id in the store", column="id", value=external_id)
    return contact


def ensure_taxonomy_labels(
    session: Session, axis: str, labels: Iterable[str], *, who: str | None = None
) -> list[str]:
    """Add labels that the taxonomy of ``axis`` does not have yet; returns the added ones.

    New labels (classes) are welcome at any time: a correction or an import that uses one adds
    it here, so the taxonomy always lists every label in use.
    """
    wanted = sorted({str(v) for v in labels})
    if not wanted:
        return []
    have = set(
        session.scalars(
            select(TaxonomyLabel.label).where(
                TaxonomyLabel.axis == axis, TaxonomyLabel.label.in_(wanted)
            )
        )
    )
    added = [v for v in wanted if v not in have]
    for v in added:
        session.add(TaxonomyLabel(axis=axis, label=v, added_by=who, added_at=utcnow()))
    if added:
        session.flush()
    return added


def set_taxonomy(
    session: Session, axis: str, entries: Sequence[dict[str, Any]], *, who: str | None = None
) -> int:
    """Add or update taxonomy labels of ``axis`` from dicts with ``label`` and optional
    ``name_en``, ``name_sv``, ``description``; returns how many labels the axis has afterwards.
    Labels are never deleted (old labels stay valid for old contacts)."""
    check_axis(axis)
    for i, entry in enumerate(entries, start=1):
        label = str(entry.get("label") or "").strip()
        if not label:
            raise InputError("a taxonomy entry needs a label", row=i, column="label")
        row = session.scalar(
            select(TaxonomyLabel).where(TaxonomyLabel.axis == axis, TaxonomyLabel.label == label)
        )
        if row is None:
            row = TaxonomyLabel(axis=axis, label=label, added_by=who, added_at=utcnow())
            session.add(row)
        for key in ("name_en", "name_sv", "description"):
            if entry.get(key) is not None:
                setattr(row, key, str(entry[key]))
    session.flush()
    return session.scalar(
        select(func.count()).select_from(TaxonomyLabel).where(TaxonomyLabel.axis == axis)
    )


def taxonomy(session: Session, axis: str | None = None) -> pd.DataFrame:
    """The taxonomy as a tidy frame: axis, label, name_en, name_sv, description."""
    stmt = select(
        TaxonomyLabel.axis,
        TaxonomyLabel.label,
        TaxonomyLabel.name_en,
        TaxonomyLabel.name_sv,
        TaxonomyLabel.description,
    ).order_by(TaxonomyLabel.axis, TaxonomyLabel.label)
    if axis is not None:
        stmt = stmt.where(TaxonomyLabel.axis.in_(resolve_axes(axis)))
    return pd.DataFrame(
        session.execute(stmt).all(),
        columns=["axis", "label", "name_en", "name_sv", "description"],
    )


def current_inferences(
    session: Session, axes: Sequence[str], contact_ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """The newest inference per contact, axis and source (``rules`` and ``model``).

    Returns
    -------
    pandas.DataFrame
        Columns ``contact_id, axis, source, label, confidence, model_version, scores``.
    """
    latest = (
        select(func.max(Inference.id).label("id"))
        .where(Inference.axis.in_(list(axes)))
        .group_by(Inference.contact_id, Inference.axis, Inference.source)
    )
    if contact_ids is not None:
        latest = latest.where(Inference.contact_id.in_(list(contact_ids)))
    stmt = (
        select(
            Inference.contact_id,
            Inference.axis,
            Inference.source,
            Inference.label,
            Inference.confidence,
            ModelVersion.version,
            Inference.scores,
        )
        .join(ModelVersion, ModelVersion.id == Inference.model_version_id, isouter=True)
        .where(Inference.id.in_(latest.scalar_subquery()))
    )
    cols = ["contact_id", "axis", "source", "label", "confidence", "model_version", "scores"]
    df = pd.DataFrame(session.execute(stmt).all(), columns=cols)
    if not df.empty:
        df["model_version"] = df["model_version"].astype("Int64")
    return df


def current_labels(session: Session, axes: Sequence[str]) -> pd.DataFrame:
    """Labels given by people (or imported as already labelled): ``contact_id, axis, label, who,
    at``."""
    stmt = select(Label.contact_id, Label.axis, Label.label, Label.who, Label.at).where(
        Label.axis.in_(list(axes))
    )
    return pd.DataFrame(
        session.execute(stmt).all(), columns=["contact_id", "axis", "label", "who", "at"]
    )


def current_values(session: Session, axes: Sequence[str]) -> pd.DataFrame:
    """The best current value per contact and axis: a person's label, else the newest model
    inference, else the rule guess.

    Returns
    -------
    pandas.DataFrame
        Long format: ``contact_id, axis, label, confidence, source`` where source is ``label``,
        ``model`` or ``rules`` (confidence is 1.0 for a person's label).
    """
    inf = current_inferences(session, axes)
    lab = current_labels(session, axes)
    parts = []
    if not lab.empty:
        parts.append(lab.assign(confidence=1.0, source="label", rank=0))
    if not inf.empty:
        parts.append(inf.assign(rank=inf["source"].map({"model": 1, "rules": 2}).fillna(3)))
    cols = ["contact_id", "axis", "label", "confidence", "source"]
    if not parts:
        return pd.DataFrame(columns=cols)
    both = pd.concat([p[[*cols, "rank"]] for p in parts], ignore_index=True)
    best = both.sort_values(["contact_id", "axis", "rank"]).drop_duplicates(
        ["contact_id", "axis"], keep="first"
    )
    return best[cols].reset_index(drop=True)


def contacts_frame(session: Session, contact_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Contacts as a frame: ``contact_id, external_id, customer_id, timestamp, channel, language,
    text``."""
    stmt = select(
        Contact.id,
        Contact.external_id,
        Contact.customer_id,
        Contact.timestamp,
        Contact.channel,
        Contact.language,
        Contact.text,
    ).order_by(Contact.id)
    cols = ["contact_id", "external_id", "customer_id", "timestamp", "channel", "language", "text"]
    if contact_ids is None:
        return pd.DataFrame(session.execute(stmt).all(), columns=cols)
    rows: list[Any] = []
    for part in chunks(list(contact_ids)):
        rows.extend(session.execute(stmt.where(Contact.id.in_(part))).all())
    return pd.DataFrame(rows, columns=cols)


def latest_model(session: Session, axis: str) -> ModelVersion | None:
    """The newest model version of ``axis`` (``None`` before the first training)."""
    return session.scalar(
        select(ModelVersion).where(ModelVersion.axis == axis).order_by(ModelVersion.version.desc())
    )


def is_promoted(mv: ModelVersion) -> bool:
    """Whether a model version replaced the one before it (a version kept back by the quality
    gate of retraining is stored for the history but never used; versions from before the gate
    count as promoted)."""
    gate = (mv.evaluation or {}).get("gate") or {}
    return bool(gate.get("promoted", True))


def current_model(session: Session, axis: str) -> ModelVersion | None:
    """The model version in use for ``axis``: the newest promoted one (``None`` before any)."""
    for mv in session.scalars(
        select(ModelVersion).where(ModelVersion.axis == axis).order_by(ModelVersion.version.desc())
    ):
        if is_promoted(mv):
            return mv
    return None


def model_versions(session: Session, axis: str) -> list[ModelVersion]:
    """All model versions of ``axis``, oldest first."""
    return list(
        session.scalars(
            select(ModelVersion).where(ModelVersion.axis == axis).order_by(ModelVersion.version)
        )
    )


def situations_frame(session: Session) -> pd.DataFrame:
    """One row per contact with its best current value on every axis (see
    :func:`current_values`): ``contact_id, external_id, timestamp, channel, purpose, reason,
    urgency, treatment, mood, tags`` (``None`` where nothing is known). The input of
    :func:`kundfokus.contacts.situations.situations`."""
    contacts = contacts_frame(session)[["contact_id", "external_id", "timestamp", "channel"]]
    values = current_values(session, AXES)
    wide = (
        values.pivot(index="contact_id", columns="axis", values="label")
        if not values.empty
        else pd.DataFrame(index=pd.Index([], name="contact_id"))
    )
    wide = wide.reindex(columns=list(AXES)).reset_index()
    out = contacts.merge(wide, on="contact_id", how="left")
    out["timestamp"] = pd.to_datetime(out["timestamp"])
    for axis in AXES:
        out[axis] = out[axis].astype(object).where(out[axis].notna(), None)
    return out


def get_setting(session: Session, name: str, default: Any = None) -> Any:
    """A review setting's value (``default`` when it was never set)."""
    row = session.get(ReviewSetting, name)
    return default if row is None else row.value


def put_setting(session: Session, name: str, value: Any, *, who: str | None = None) -> None:
    """Set a review setting (who and when are kept)."""
    row = session.get(ReviewSetting, name)
    if row is None:
        session.add(ReviewSetting(name=name, value=value, updated_at=utcnow(), updated_by=who))
    else:
        row.value, row.updated_at, row.updated_by = value, utcnow(), who
    session.flush()


def _like(text: str) -> str:
    esc = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def matching_contact_ids(
    session: Session,
    *,
    channel: str | None = None,
    language: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[int]:
    """Ids of the contacts with this channel and language whose text or external id contains
    ``search`` (case-insensitive; on SQLite only ASCII letters fold case), in id order."""
    stmt = select(Contact.id).order_by(Contact.id)
    if channel:
        stmt = stmt.where(Contact.channel == channel)
    if language:
        stmt = stmt.where(Contact.language == language)
    if search and search.strip():
        pattern = _like(search.strip())
        stmt = stmt.where(
            Contact.text.ilike(pattern, escape="\\")
            | Contact.external_id.ilike(pattern, escape="\\")
        )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def review_labels(
    session: Session, axis: str, contact_ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """Every reviewer's own labels of ``axis``: ``id, contact_id, label, who, at, is_lead,
    overlap``, oldest first."""
    stmt = (
        select(
            ReviewLabel.id,
            ReviewLabel.contact_id,
            ReviewLabel.label,
            ReviewLabel.who,
            ReviewLabel.at,
            ReviewLabel.is_lead,
            ReviewLabel.overlap,
        )
        .where(ReviewLabel.axis == axis)
        .order_by(ReviewLabel.id)
    )
    cols = ["id", "contact_id", "label", "who", "at", "is_lead", "overlap"]
    if contact_ids is None:
        return pd.DataFrame(session.execute(stmt).all(), columns=cols)
    rows: list[Any] = []
    for part in chunks(list(contact_ids)):
        rows.extend(session.execute(stmt.where(ReviewLabel.contact_id.in_(part))).all())
    return pd.DataFrame(rows, columns=cols).sort_values("id").reset_index(drop=True)
