"""Observations (contextual design): what someone saw and heard at a journey step while a customer
used the service, and what they become (a Kano feature or an ODI outcome for the next survey).

An observation has a ``note`` (required), an optional verbatim ``quote``, the journey ``step``, the
``situation`` and the ``need`` it shows, the ``channel``, when it was observed and by whom, and an
optional attachment (a photo, a PDF or a plain-text file, at most 5 MB). Free text is redacted
(personal numbers, phones, e-mail ...) before it is stored unless the caller turns that off.

:func:`search_observations` finds them by words (case-insensitive, also for å, ä and ö on SQLite
and on any PostgreSQL collation), step, situation and need, newest first;
:func:`recent_observations` gives the few newest as plain dicts for the dashboard, beside the
numbers of a step and a situation; :func:`turn_into` drafts a Kano feature or an ODI outcome
statement from one observation and adds it to a draft survey.

Survey states: a survey made here starts as ``draft`` (not answerable: the public page shows it
as closed until it is opened). Items may be added to a ``draft`` survey only; an ``open``
(published, answers may be coming in) or ``closed`` survey is refused, because a new question
would change the questionnaire under answers already given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.store.models import JourneyEvent, Observation, Survey, utcnow

MAX_NOTE = 5000
MAX_SHORT = {"step": 200, "situation": 200, "need": 200, "channel": 100, "created_by": 320}
MAX_ATTACHMENT = 5 * 1024 * 1024
MAX_LIMIT = 500
#: Media types of attachments besides ``image/*`` (SVG is refused: it can carry scripts).
DOCUMENT_TYPES: tuple[str, ...] = ("application/pdf", "text/plain")
KINDS: tuple[str, ...] = ("kano", "odi")
#: Survey states that may still get new items.
EDITABLE_STATES: tuple[str, ...] = ("draft",)
DRAFT = "draft"
SEARCH_FIELDS: tuple[str, ...] = ("note", "quote", "step", "situation", "need")
_IMAGE = re.compile(r"^image/[a-z0-9][a-z0-9.+-]{0,60}$")
_SURVEY_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

#: ODI's outcome grammar (direction, metric, object), as in :mod:`kundfokus.jtbd.inventory`.
ODI_PREFIX: dict[str, str] = {
    "en": "Minimize the time it takes to ",
    "sv": "Minimera tiden det tar att ",
}
_TITLES: dict[str, dict[str, str]] = {
    "kano": {"en": "Kano features from observations", "sv": "Kano-egenskaper från observationer"},
    "odi": {"en": "ODI outcomes from observations", "sv": "ODI-utfall från observationer"},
}
_AT_STEP = {"en": "{title}: {step}", "sv": "{title}: {step}"}


class ObservationError(InputError):
    """An observation (or a turn-into request) that is not valid: names the field and the value.

    The web layer answers it with 422 and stores nothing.
    """

    def __init__(self, message: str, *, field: str, value: Any = None, hint: str | None = None):
        self.field = field
        super().__init__(message, column=field, value=_shown(value), hint=hint)


def _shown(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "..."
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    return value


# --------------------------------------------------------------------------------------------------
# Checking input


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ObservationError("must not be empty", field=field, value=value)
        return None
    if not isinstance(value, str):
        raise ObservationError("must be text", field=field, value=value)
    value = value.strip()
    if "\x00" in value:
        raise ObservationError("holds a NUL character", field=field, value=value)
    if len(value) > limit:
        raise ObservationError(f"longer than {limit} characters", field=field, value=value)
    return value


def _when(value: Any) -> datetime:
    if value is None or value == "":
        return utcnow()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ObservationError(
                "not a date and time (use ISO 8601, like 2026-12-02T09:30)",
                field="observed_at",
                value=value,
            ) from None
    if not isinstance(value, datetime):
        raise ObservationError("not a date and time", field="observed_at", value=str(value))
    if not 1990 <= value.year <= 2200:
        raise ObservationError(
            "lies too far back or ahead (use a year from 1990)",
            field="observed_at",
            value=value.isoformat(),
        )
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if value > utcnow() + timedelta(days=1):
        raise ObservationError(
            "lies in the future", field="observed_at", value=value.isoformat(timespec="minutes")
        )
    return value


def attachment_type_allowed(media_type: str) -> bool:
    """Whether a file of ``media_type`` may be attached.

    >>> [attachment_type_allowed(t) for t in ("image/jpeg", "application/pdf", "image/svg+xml")]
    [True, True, False]
    """
    t = (media_type or "").split(";", 1)[0].strip().lower()
    if _IMAGE.match(t):
        return t != "image/svg+xml"
    return t in DOCUMENT_TYPES


def _attachment(
    data: Any, name: Any, media_type: Any
) -> tuple[bytes | None, str | None, str | None]:
    if data is None or (isinstance(data, (bytes, bytearray)) and len(data) == 0):
        return None, None, None
    if not isinstance(data, (bytes, bytearray)):
        raise ObservationError("the attachment must be a file", field="attachment", value=data)
    data = bytes(data)
    if len(data) > MAX_ATTACHMENT:
        raise ObservationError(
            f"the attachment is larger than 5 MB ({len(data) / 1024 / 1024:.1f} MB)",
            field="attachment",
            value=name if isinstance(name, str) else None,
            hint="take a smaller photo or attach a link in the note instead",
        )
    t = str(media_type or "").split(";", 1)[0].strip().lower()
    if not attachment_type_allowed(t):
        raise ObservationError(
            "this kind of file cannot be attached",
            field="attachment_type",
            value=t or None,
            hint="attach a photo (image/*), a PDF or a plain-text file",
        )
    if t == "application/pdf" and not data.startswith(b"%PDF-"):
        raise ObservationError(
            "the file is not a PDF",
            field="attachment",
            value=name if isinstance(name, str) else None,
        )
    if t == "text/plain":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ObservationError(
                "a plain-text file must be UTF-8",
                field="attachment",
                value=name if isinstance(name, str) else None,
            ) from None
    clean_name = _file_name(name, t)
    return data, clean_name, t


def _file_name(name: Any, media_type: str) -> str:
    text = name if isinstance(name, str) else ""
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if c.isprintable() and c not in '"<>:|?*').strip(" .")
    if not text:
        ext = {"application/pdf": "pdf", "text/plain": "txt"}.get(media_type)
        ext = ext or media_type.split("/", 1)[-1].split("+", 1)[0] or "bin"
        text = f"attachment.{ext}"
    return text[:300]


# --------------------------------------------------------------------------------------------------
# Storing and reading


def add_observation(
    session: Session,
    *,
    note: str,
    quote: str | None = None,
    step: str | None = None,
    situation: str | None = None,
    need: str | None = None,
    channel: str | None = None,
    observed_at: datetime | str | None = None,
    attachment: bytes | None = None,
    attachment_name: str | None = None,
    attachment_type: str | None = None,
    created_by: str | None = None,
    redact: bool = True,
) -> Observation:
    """Check and store one observation (the caller commits). An :class:`ObservationError`
    naming the field otherwise: an empty note, a too long text, a date in the future, an
    attachment over 5 MB or of a type other than ``image/*``, PDF or plain text."""
    clean_note = _text(note, "note", MAX_NOTE, required=True)
    clean_quote = _text(quote, "quote", MAX_NOTE)
    short = {
        f: _text(v, f, MAX_SHORT[f])
        for f, v in (
            ("step", step),
            ("situation", situation),
            ("need", need),
            ("channel", channel),
            ("created_by", created_by),
        )
    }
    when = _when(observed_at)
    data, name, media_type = _attachment(attachment, attachment_name, attachment_type)
    if redact:
        from kundfokus.contacts.redaction import redact as redact_text

        clean_note = redact_text(clean_note)
        clean_quote = redact_text(clean_quote) if clean_quote else clean_quote
    row = Observation(
        note=clean_note,
        quote=clean_quote,
        observed_at=when,
        attachment=data,
        attachment_name=name,
        attachment_type=media_type,
        **short,
    )
    session.add(row)
    session.flush()
    return row


def get_observation(session: Session, id: int | str) -> Observation | None:
    """One observation by its number, or ``None``."""
    if isinstance(id, str):
        if not (id.isascii() and id.isdigit() and len(id) <= 10):
            return None
        id = int(id)
    if not isinstance(id, int) or isinstance(id, bool) or not 0 < id < 2**31:
        return None
    return session.get(Observation, id)


def _sql_pattern(text: str, *, contains: bool) -> str:
    """A LIKE pattern for ``text`` that is case-insensitive without the database's help for
    letters outside ASCII: each such letter becomes ``_`` (any one character) and the exact
    match is checked in Python (SQLite folds only ASCII; PostgreSQL's ILIKE depends on the
    database's collation)."""
    out = []
    for c in text:
        if c in "\\%_":
            out.append("\\" + c)
        elif not c.isascii() and c.lower() != c.upper():
            out.append("_")
        else:
            out.append(c)
    body = "".join(out)
    return f"%{body}%" if contains else body


def _terms(q: str | None) -> list[str]:
    if q is None:
        return []
    if not isinstance(q, str):
        raise ObservationError("the search must be text", field="q", value=q)
    if "\x00" in q:
        raise ObservationError("holds a NUL character", field="q", value=q)
    if len(q) > 200:
        raise ObservationError("longer than 200 characters", field="q", value=q)
    return [t for t in q.split() if t][:10]


def _fold(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def _matches(row: Observation, terms: Sequence[str], equal: dict[str, str]) -> bool:
    for field, value in equal.items():
        if _fold(getattr(row, field)) != value:
            return False
    fields = [_fold(getattr(row, f)) for f in SEARCH_FIELDS]
    return all(any(t in v for v in fields) for t in terms)


def search_observations(
    session: Session,
    *,
    q: str | None = None,
    step: str | None = None,
    situation: str | None = None,
    need: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Observation]:
    """Observations whose note, quote, step, situation or need contain every word of ``q``
    (case-insensitive, å/ä/ö included), at ``step``, in ``situation`` and showing ``need``
    (the whole value, case-insensitive), newest first (by when they were observed)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ObservationError(
            f"the limit must be a whole number from 1 to {MAX_LIMIT}", field="limit", value=limit
        )
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ObservationError("the offset must be 0 or more", field="offset", value=offset)
    terms = [_fold(t) for t in _terms(q)]
    stmt = select(Observation).order_by(Observation.observed_at.desc(), Observation.id.desc())
    equal: dict[str, str] = {}
    for field, value in (("step", step), ("situation", situation), ("need", need)):
        value = _text(value, field, MAX_SHORT[field])
        if value is not None:
            equal[field] = _fold(value)
            pattern = _sql_pattern(value, contains=False)
            stmt = stmt.where(getattr(Observation, field).ilike(pattern, escape="\\"))
    for term in terms:
        pattern = _sql_pattern(term, contains=True)
        stmt = stmt.where(
            or_(*(getattr(Observation, f).ilike(pattern, escape="\\") for f in SEARCH_FIELDS))
        )
    if all(t.isascii() for t in terms) and all(v.isascii() for v in equal.values()):
        return list(session.scalars(stmt.limit(limit).offset(offset)))
    out: list[Observation] = []
    skipped = 0
    for row in session.scalars(stmt):
        if not _matches(row, terms, equal):
            continue
        if skipped < offset:
            skipped += 1
            continue
        out.append(row)
        if len(out) >= limit:
            break
    return out


def observation_dict(row: Observation) -> dict[str, Any]:
    """An observation as plain data (the API's shape; the attachment itself is not included)."""
    return {
        "id": row.id,
        "note": row.note,
        "quote": row.quote,
        "step": row.step,
        "situation": row.situation,
        "need": row.need,
        "channel": row.channel,
        "observed_at": row.observed_at.isoformat() + "Z" if row.observed_at else None,
        "created_at": row.created_at.isoformat() + "Z" if row.created_at else None,
        "created_by": row.created_by,
        "has_attachment": row.attachment is not None,
        "attachment_name": row.attachment_name,
        "attachment_type": row.attachment_type,
        "attachment_size": len(row.attachment) if row.attachment is not None else None,
        "turned_into": row.turned_into,
    }


def recent_observations(
    session: Session,
    *,
    step: str | None = None,
    situation: str | None = None,
    q: str | None = None,
    limit: int = 3,
) -> list[dict]:
    """The newest ``limit`` observations at ``step`` and in ``situation`` (containing ``q``), as
    plain dicts ``id, note, quote, step, situation, need, channel, observed_at`` (ISO),
    ``created_by, has_attachment``: what the dashboard shows beside the numbers."""
    keys = ("id", "note", "quote", "step", "situation", "need", "channel", "observed_at",
            "created_by", "has_attachment")  # fmt: skip
    rows = search_observations(session, q=q, step=step, situation=situation, limit=limit)
    return [{k: observation_dict(r)[k] for k in keys} for r in rows]


def attachment_of(session: Session, id: int | str) -> tuple[bytes, str, str] | None:
    """``(data, file name, media type)`` of an observation's attachment, or ``None``."""
    row = get_observation(session, id)
    if row is None or row.attachment is None:
        return None
    return row.attachment, row.attachment_name or "attachment", row.attachment_type or ""


def draft_surveys(session: Session, kind: str | None = None) -> list[Survey]:
    """The draft surveys (of ``kind``) that may still get items, newest first."""
    stmt = select(Survey).where(Survey.status.in_(EDITABLE_STATES)).order_by(Survey.id.desc())
    if kind is not None:
        stmt = stmt.where(Survey.kind == kind)
    return list(session.scalars(stmt))


def choices(session: Session, lang: str = "en") -> dict[str, list[dict[str, str]]]:
    """What the form offers (free text is allowed too): ``steps`` (the journey events' steps and
    those of earlier observations), ``situations`` (the taxonomy's situation labels and earlier
    ones) and ``needs`` (the taxonomy's need labels and earlier ones), each ``{value, name}``."""
    from kundfokus.store.repositories import taxonomy

    def used(column) -> set[str]:
        return set(session.scalars(select(column).where(column.is_not(None)).distinct()))

    steps = used(JourneyEvent.step) | used(Observation.step)
    out: dict[str, list[dict[str, str]]] = {
        "steps": [{"value": s, "name": s} for s in sorted(steps, key=str.casefold)]
    }
    for key, group, column in (
        ("situations", "situation", Observation.situation),
        ("needs", "need", Observation.need),
    ):
        labels = taxonomy(session, group)
        seen: dict[str, str] = {}
        for r in labels.itertuples(index=False):
            name = (r.name_sv if lang == "sv" else r.name_en) or r.name_en or r.name_sv or r.label
            seen.setdefault(str(r.label), str(name))
        for v in used(column):
            seen.setdefault(v, v)
        out[key] = [
            {"value": v, "name": n} for v, n in sorted(seen.items(), key=lambda x: x[0].casefold())
        ]
    return out


# --------------------------------------------------------------------------------------------------
# Turning an observation into a survey item


@dataclass(frozen=True)
class Turned:
    """What :func:`turn_into` made: the survey it went to, the new item, and whether the survey
    was made for it."""

    survey: Survey
    item: dict[str, Any]
    created_survey: bool
    kind: str
    observation: Observation
    questions: dict[str, dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "observation_id": self.observation.id,
            "survey_id": self.survey.id,
            "survey_status": self.survey.status,
            "survey_title": self.survey.title,
            "created_survey": self.created_survey,
            "item": self.item,
            "questions": self.questions,
            "turned_into": self.observation.turned_into,
        }


def _sentence(text: str, limit: int = 160) -> str:
    """The first sentence of ``text``, without its full stop, at most ``limit`` characters."""
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(" .!?;:")
    if len(first) > limit:
        first = first[: limit - 3].rsplit(" ", 1)[0] + "..."
    return first


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _slug(text: str | None, fallback: str) -> str:
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "_", folded).strip("_").lower()[:40]
    return slug or fallback


def _draft_label(row: Observation, text: str | None) -> str:
    if text is not None:
        return _text(text, "text", 300, required=True) or ""
    return _sentence(row.need or row.note) or " ".join(row.note.split())[:160]


def odi_statement(text: str) -> dict[str, str]:
    """An outcome statement in ODI's grammar: ``text`` as it is when it already starts with a
    direction of improvement ("Minimize", "Öka" ...), else "Minimize the time it takes to ..." /
    "Minimera tiden det tar att ...".

    >>> odi_statement("find the invoice")["en"]
    'Minimize the time it takes to find the invoice'
    >>> odi_statement("Minimera risken att betala för sent")["en"]
    'Minimera risken att betala för sent'
    """
    from kundfokus.jtbd.inventory import grammar_remark

    text = " ".join(text.split()).rstrip(" .")
    if grammar_remark({"en": text}) is None:
        return {"en": text, "sv": text}
    body = _lower_first(text)
    return {lg: prefix + body for lg, prefix in ODI_PREFIX.items()}


def _kano_questions(label: dict[str, str]) -> dict[str, dict[str, str]]:
    from kundfokus.kano.questionnaire import DEFAULT_QUESTIONS

    return {
        kind: {lg: DEFAULT_QUESTIONS[kind][lg].format(label=label[lg]) for lg in label}
        for kind in ("functional", "dysfunctional")
    }


def _title(kind: str, step: str | None) -> dict[str, str]:
    base = _TITLES[kind]
    if not step:
        return dict(base)
    return {lg: _AT_STEP[lg].format(title=base[lg], step=step) for lg in base}


def _target_survey(
    session: Session, kind: str, survey_id: int | str | None, step: str | None
) -> tuple[Survey | None, bool]:
    """The survey to add to and whether it is to be made (``(None, True)``)."""
    from kundfokus.services import surveys as survey_service

    if survey_id is not None and survey_id != "":
        if isinstance(survey_id, bool) or not isinstance(survey_id, (int, str)):
            raise ObservationError("no survey with this id", field="survey_id", value=survey_id)
        if isinstance(survey_id, str) and not _SURVEY_KEY.match(survey_id.strip()):
            raise ObservationError("no survey with this id", field="survey_id", value=survey_id)
        key = survey_id.strip() if isinstance(survey_id, str) else survey_id
        survey = survey_service.get_survey(session, key)
        if survey is None:
            raise ObservationError("no survey with this id", field="survey_id", value=survey_id)
        if survey.kind != kind:
            raise ObservationError(
                f"this is a {survey.kind} survey, not a {kind} survey",
                field="survey_id",
                value=survey_id,
            )
        if survey.status not in EDITABLE_STATES:
            raise ObservationError(
                f"the survey is {survey.status}: only a draft survey can get new questions",
                field="survey_id",
                value=survey_id,
                hint="leave the survey out to start a new draft survey",
            )
        return survey, False
    title = _title(kind, step)
    for survey in session.scalars(
        select(Survey).where(Survey.kind == kind, Survey.status == DRAFT).order_by(Survey.id.desc())
    ):
        if survey.title == title:
            return survey, False
    return None, True


def turn_into(
    session: Session,
    observation_id: int | str,
    *,
    kind: str,
    survey_id: int | str | None = None,
    text: str | None = None,
    by: str | None = None,
) -> Turned:
    """Draft a Kano feature (``kind="kano"``: the functional/dysfunctional question pair about
    the feature) or an ODI outcome statement (``kind="odi"``) from an observation and add it to a
    draft survey: ``survey_id`` (which must be a draft survey of that kind), else the draft
    survey of that kind named after the observation's step, made when there is none. The
    feature is ``text`` when given, else the first sentence of the observation's need or note.
    Records ``turned_into`` on the observation (``kano:<item id>@survey <id>``). The caller
    commits."""
    from kundfokus.services import surveys as survey_service

    if kind not in KINDS:
        raise ObservationError("unknown kind", field="kind", value=kind, hint="use kano or odi")
    row = get_observation(session, observation_id)
    if row is None:
        raise ObservationError(
            "no observation with this id", field="observation_id", value=observation_id
        )
    label = _draft_label(row, text)
    survey, new = _target_survey(session, kind, survey_id, row.step)
    base_id = f"obs{row.id}"
    taken = {str(it.get("id", "")).lower() for it in (survey.items if survey else [])}
    item_id, n = base_id, 1
    while item_id.lower() in taken:
        n += 1
        item_id = f"{base_id}_{n}"
    languages = list(survey.languages) if survey is not None else ["sv", "en"]
    if kind == "kano":
        raw = {"id": item_id, **{f"label_{lg}": label for lg in languages}}
    else:
        statement = odi_statement(label)
        raw = {
            "id": item_id,
            "job": _slug(row.step, "job"),
            "job_type": "functional",
            **{f"statement_{lg}": statement[lg] for lg in languages},
        }
    title = survey.title if survey is not None else _title(kind, row.step)
    spec = {"kind": kind, "title": title, "languages": languages, "items": [raw]}
    item = survey_service.normalise_definition(spec)["items"][0]
    if survey is None:
        survey = survey_service.create_survey(session, spec, created_by=by)
        survey.status = DRAFT
    else:
        survey.items = [*survey.items, item]
    questions = _kano_questions(item["label"]) if kind == "kano" else {"outcome": item["statement"]}
    row.turned_into = _record(row.turned_into, f"{kind}:{item_id}@survey {survey.id}")
    session.flush()
    return Turned(survey, item, new, kind, row, questions)


_TURNED = re.compile(r"^(kano|odi):([A-Za-z0-9_-]+)@survey (\d+)$")


def turned_parts(turned_into: str | None) -> list[dict[str, Any]]:
    """What ``turned_into`` records, as ``{kind, item, survey_id}`` (oldest first).

    >>> turned_parts("kano:obs3@survey 4; odi:obs3@survey 5")[1]
    {'kind': 'odi', 'item': 'obs3', 'survey_id': 5}
    """
    out = []
    for part in (turned_into or "").split("; "):
        m = _TURNED.match(part.strip())
        if m:
            out.append({"kind": m.group(1), "item": m.group(2), "survey_id": int(m.group(3))})
    return out


def _record(before: str | None, new: str) -> str:
    """``turned_into`` keeps every item made from the observation (newest last, at most 300
    characters: the oldest are dropped first)."""
    parts = [p for p in (before or "").split("; ") if p] + [new]
    while len("; ".join(parts)) > 300 and len(parts) > 1:
        parts.pop(0)
    return "; ".join(parts)[:300]
