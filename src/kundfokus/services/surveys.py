"""Surveys on the platform: build them, take answers (idempotently), export them, compute results.

A survey has a ``kind``:

=========  =====================================================  ===================================
kind       items                                                   answer fields (CLI column names)
=========  =====================================================  ===================================
``kano``   features ``{id, label_sv, label_en}``                   ``<id>_functional``,
                                                                   ``<id>_dysfunctional``,
                                                                   ``<id>_importance`` (optional)
``odi``    outcomes ``{id, job, job_type, statement_sv,            ``<id>_importance``,
           statement_en}``                                         ``<id>_satisfaction`` (1-5)
``nps``    one question ``{question_sv, question_en}``             ``score`` (0-10), ``comment``
``csat``   the same                                                ``score`` (1-5 by default)
``ces``    the same                                                ``score`` (1-7 by default)
=========  =====================================================  ===================================

Answers are stored as they were given (codes 1-5 or any wording the Kano reader knows), after they
have been checked; free text (``comment``, context values) is redacted first unless the
installation turned redaction off. The export (:func:`export_frame`) has exactly the layout the CLI
reads, and :func:`results` runs the CLI's method on that very export, so a notebook, the CLI and the
API give the same figures.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached

from kundfokus.errors import InputError
from kundfokus.store.models import Survey, SurveyResponse, utcnow

KINDS: tuple[str, ...] = ("kano", "odi", "nps", "csat", "ces")
LANGS: tuple[str, ...] = ("sv", "en")
SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
IMPORTANCE_SCALES: dict[str, tuple[int, int]] = {"1-9": (1, 9), "1-5": (1, 5)}
#: Columns of the export that are not answers or context keys.
META_COLUMNS: tuple[str, ...] = ("id", "client_token", "submitted_at", "lang", "complete")
MAX_TEXT = 5000
MAX_CONTEXT_KEYS = 30
MAX_CONTEXT_VALUE = 500
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_TOKEN = re.compile(r"^[\x21-\x7e]{1,200}$")

DEFAULT_QUESTIONS: dict[str, dict[str, str]] = {
    "nps": {
        "en": "How likely is it that you would recommend us to a friend or colleague?",
        "sv": "Hur troligt är det att du skulle rekommendera oss till en vän eller kollega?",
    },
    "csat": {
        "en": "How satisfied are you with the help you got?",
        "sv": "Hur nöjd är du med hjälpen du fick?",
    },
    "ces": {
        "en": "How easy was it to get what you needed?",
        "sv": "Hur lätt var det att få det du behövde?",
    },
}
DEFAULT_FOLLOW_UP: dict[str, str] = {
    "en": "What is the main reason for your answer?",
    "sv": "Vad är den viktigaste anledningen till ditt svar?",
}


class AnswerError(InputError):
    """An answer (or survey definition) that is not valid: names the field and the value.

    The web layer answers it with 422 and stores nothing.
    """

    def __init__(self, message: str, *, field: str, value: Any = None, hint: str | None = None):
        self.field = field
        super().__init__(message, column=field, value=_shown(value), hint=hint)


def _shown(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "..."
    return value


# --------------------------------------------------------------------------------------------------
# Definitions


def _text(value: Any, field: str, *, required: bool = True) -> dict[str, str]:
    """A bilingual text: a plain string (both languages) or ``{"sv": ..., "en": ...}``."""
    if value is None or value == "":
        if required:
            raise AnswerError("a text is required", field=field, value=value)
        return {}
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_TEXT:
            raise AnswerError(f"longer than {MAX_TEXT} characters", field=field, value=value)
        return {"sv": value, "en": value}
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if k not in LANGS:
                raise AnswerError("unknown language (use sv or en)", field=f"{field}.{k}", value=k)
            if not isinstance(v, str):
                raise AnswerError("must be text", field=f"{field}.{k}", value=v)
            if v.strip():
                out[k] = v.strip()[:MAX_TEXT]
        if required and not out:
            raise AnswerError("a text is required", field=field, value=value)
        return out
    raise AnswerError("must be text or {sv, en}", field=field, value=value)


def _item_text(item: Mapping[str, Any], base: str, index: int, *, required: bool) -> dict[str, str]:
    texts = {lg: item.get(f"{base}_{lg}") for lg in LANGS}
    texts = {lg: t for lg, t in texts.items() if t not in (None, "")}
    if not texts and item.get(base) not in (None, ""):
        return _text(item.get(base), f"items[{index}].{base}")
    for lg, t in texts.items():
        if not isinstance(t, str):
            raise AnswerError("must be text", field=f"items[{index}].{base}_{lg}", value=t)
    out = {lg: t.strip()[:MAX_TEXT] for lg, t in texts.items() if t.strip()}
    if required and not out:
        raise AnswerError(
            f"needs {base}_sv or {base}_en", field=f"items[{index}].{base}_en", value=None
        )
    return out


def _check_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise AnswerError(
            "an id is letters, digits, '_' or '-' (at most 64, starting with a letter or digit)",
            field=field,
            value=value,
        )
    return value


def normalise_definition(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Check a survey definition and return it in the stored shape (an :class:`AnswerError`
    naming the field otherwise).

    >>> d = normalise_definition({"kind": "nps", "title": "After the call"})
    >>> d["kind"], d["languages"], d["options"]["scale"]
    ('nps', ['sv', 'en'], [0, 10])
    """
    if not isinstance(spec, Mapping):
        raise AnswerError("a survey is a JSON object", field="body", value=type(spec).__name__)
    kind = spec.get("kind")
    if kind not in KINDS:
        raise AnswerError("unknown kind", field="kind", value=kind, hint="use " + ", ".join(KINDS))
    title = _text(spec.get("title"), "title")
    languages = spec.get("languages") or list(LANGS)
    if isinstance(languages, str):
        languages = [languages]
    if not isinstance(languages, Sequence) or not languages:
        raise AnswerError("a list of sv and/or en", field="languages", value=languages)
    for i, lg in enumerate(languages):
        if lg not in LANGS:
            raise AnswerError("unknown language (use sv or en)", field=f"languages[{i}]", value=lg)
    languages = list(dict.fromkeys(languages))
    raw_items = spec.get("items") or []
    if not isinstance(raw_items, Sequence) or isinstance(raw_items, (str, bytes)):
        raise AnswerError("a list of items", field="items", value=raw_items)
    options: dict[str, Any] = {}
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    if kind in ("kano", "odi"):
        if not raw_items:
            raise AnswerError(
                "a kano or odi survey needs at least one item", field="items", value=[]
            )
        for i, item in enumerate(raw_items):
            if not isinstance(item, Mapping):
                raise AnswerError("an item is an object", field=f"items[{i}]", value=item)
            item_id = _check_id(item.get("id"), f"items[{i}].id")
            if item_id.lower() in seen:
                raise AnswerError("duplicate item id", field=f"items[{i}].id", value=item_id)
            seen.add(item_id.lower())
            if kind == "kano":
                label = _item_text(item, "label", i, required=True)
                _require_languages(label, languages, f"items[{i}].label")
                items.append({"id": item_id, "label": label})
            else:
                statement = _item_text(item, "statement", i, required=True)
                _require_languages(statement, languages, f"items[{i}].statement")
                job = _check_id(item.get("job") or "job", f"items[{i}].job")
                job_type = item.get("job_type") or "functional"
                if job_type not in ("functional", "emotional", "social"):
                    raise AnswerError(
                        "unknown job type (functional, emotional, social)",
                        field=f"items[{i}].job_type",
                        value=job_type,
                    )
                job_statement = _item_text(item, "job_statement", i, required=False)
                items.append(
                    {
                        "id": item_id,
                        "job": job,
                        "job_type": job_type,
                        "statement": statement,
                        "job_statement": job_statement,
                    }
                )
        if kind == "kano":
            importance = spec.get("importance", None)
            if importance not in (None, False, *IMPORTANCE_SCALES):
                raise AnswerError(
                    "importance scale is '1-9' or '1-5' (or null for none)",
                    field="importance",
                    value=importance,
                )
            options["importance"] = importance or None
            wording = spec.get("wording", "classic")
            if wording not in ("classic", "short"):
                raise AnswerError("wording is classic or short", field="wording", value=wording)
            options["wording"] = wording
    else:
        first = raw_items[0] if raw_items else {}
        if not isinstance(first, Mapping):
            raise AnswerError("an item is an object", field="items[0]", value=first)
        question = _item_text(first, "question", 0, required=False) or dict(DEFAULT_QUESTIONS[kind])
        scale = spec.get("scale")
        if scale is None:
            lo, hi = SCALES[kind]
        else:
            if kind == "nps":
                raise AnswerError("NPS is always on 0-10", field="scale", value=scale)
            lo, hi = _scale(scale)
        follow_up = spec.get("follow_up", first.get("follow_up", True))
        if follow_up is True:
            follow_up = dict(DEFAULT_FOLLOW_UP)
        elif follow_up in (False, None, ""):
            follow_up = None
        else:
            follow_up = _text(follow_up, "follow_up")
        items = [{"id": "score", "question": question, "follow_up": follow_up}]
        options["scale"] = [lo, hi]
    webhook = spec.get("description")
    return {
        "kind": kind,
        "title": title,
        "languages": languages,
        "items": items,
        "options": options | ({"description": _text(webhook, "description")} if webhook else {}),
    }


def _require_languages(text: Mapping[str, str], languages: Sequence[str], field: str) -> None:
    for lg in languages:
        if lg not in text:
            raise AnswerError(
                f"no text in {'Swedish' if lg == 'sv' else 'English'}",
                field=f"{field}_{lg}",
                value=None,
                hint="give a text for every language of the survey",
            )


def _scale(value: Any) -> tuple[int, int]:
    if isinstance(value, str) and re.match(r"^\d+-\d+$", value.strip()):
        lo, hi = (int(x) for x in value.strip().split("-"))
    elif isinstance(value, Sequence) and len(value) == 2:
        lo, hi = value
    else:
        raise AnswerError("a scale like '1-5' or [1, 5]", field="scale", value=value)
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (lo, hi)) or not lo < hi:
        raise AnswerError("a scale like '1-5' or [1, 5]", field="scale", value=value)
    if hi - lo > 20:
        raise AnswerError("at most 21 points", field="scale", value=value)
    return lo, hi


def _public_id() -> str:
    while True:
        value = secrets.token_urlsafe(12)
        if value[0].isalnum() and any(c.isalpha() for c in value):  # never "-x..." (a flag)
            return value


def create_survey(session: Session, spec: Mapping[str, Any], *, created_by: str | None) -> Survey:
    """Check ``spec`` (see :func:`normalise_definition`) and store the survey."""
    d = normalise_definition(spec)
    survey = Survey(public_id=_public_id(), created_by=created_by, status="open", **d)
    session.add(survey)
    session.flush()
    return survey


def get_survey(session: Session, key: int | str) -> Survey | None:
    """A survey by its number or its public id."""
    if isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 18:
        key = int(key)
    if isinstance(key, int):
        return session.get(Survey, key) if 0 < key < 2**31 else None
    if not isinstance(key, str) or len(key) > 64:
        return None
    return session.scalar(select(Survey).where(Survey.public_id == key))


def list_surveys(session: Session) -> list[Survey]:
    return list(session.scalars(select(Survey).order_by(Survey.id.desc())))


def response_counts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(SurveyResponse.survey_id, func.count())
        .where(SurveyResponse.complete.is_(True))
        .group_by(SurveyResponse.survey_id)
    )
    return {int(s): int(n) for s, n in rows}


def survey_dict(survey: Survey, *, base_url: str = "", n_responses: int | None = None) -> dict:
    """The survey as the API shows it."""
    public_url = f"{base_url}/s/{survey.public_id}"
    out = {
        "id": survey.id,
        "public_id": survey.public_id,
        "public_url": public_url,
        "embed": embed_snippets(survey, base_url),
        "kind": survey.kind,
        "title": survey.title,
        "languages": survey.languages,
        "items": survey.items,
        "status": survey.status,
        "created_at": survey.created_at.isoformat() + "Z",
        "created_by": survey.created_by,
    }
    out.update({k: v for k, v in survey.options.items() if k != "description"})
    if n_responses is not None:
        out["n_responses"] = n_responses
    return out


def embed_snippets(survey: Survey, base_url: str = "") -> dict[str, str]:
    """The HTML a website or agent desktop drops in: a script tag and an iframe."""
    src = f"{base_url}/s/{survey.public_id}"
    return {
        "script": (
            f'<script src="{base_url}/embed.js" data-survey="{survey.public_id}" '
            'data-journey-step="STEP" data-channel="web" async></script>'
        ),
        "iframe": (
            f'<iframe src="{src}/embed?step=STEP" title="Feedback" '
            'style="border:0;width:100%;max-width:420px;height:360px"></iframe>'
        ),
        "link": f"{src}?step=STEP&contact=CONTACT_ID",
    }


# --------------------------------------------------------------------------------------------------
# Answers


def answer_fields(survey: Survey) -> list[str]:
    """The answer columns of ``survey`` in questionnaire order (the CLI's wide layout)."""
    if survey.kind == "kano":
        suffixes = ["functional", "dysfunctional"]
        if survey.options.get("importance"):
            suffixes.append("importance")
        return [f"{it['id']}_{s}" for it in survey.items for s in suffixes]
    if survey.kind == "odi":
        return [f"{it['id']}_{s}" for it in survey.items for s in ("importance", "satisfaction")]
    fields = ["score"]
    if survey.items and survey.items[0].get("follow_up"):
        fields.append("comment")
    return fields


def _redactor(redact: bool):
    if not redact:
        return lambda s: s
    from kundfokus.contacts.redaction import redact as redact_text

    return redact_text


def _integer(value: Any, field: str, lo: int, hi: int) -> int:
    number: float | None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)) or (
        isinstance(value, str) and re.match(r"^\s*-?\d+(\.0+)?\s*$", value)
    ):
        number = float(value)
    else:
        number = None
    if number is None or math.isnan(number) or not number.is_integer() or not lo <= number <= hi:
        raise AnswerError(f"must be a whole number from {lo} to {hi}", field=field, value=value)
    return int(number)


def check_answers(
    survey: Survey, answers: Any, *, partial: bool = False, redact: bool = True
) -> dict[str, Any]:
    """Check one respondent's answers and return them as they are stored.

    Unknown fields, unreadable Kano answers, numbers off the scale and too long texts are an
    :class:`AnswerError` naming the field and the value. With ``partial=False`` the required
    answer of a score survey (``score``) must be there.
    """
    from kundfokus.kano.answers import answer_code, importance_value, is_missing

    if not isinstance(answers, Mapping):
        raise AnswerError("answers are a JSON object", field="answers", value=answers)
    allowed = answer_fields(survey)
    lookup = {f.lower(): f for f in allowed}
    clean: dict[str, Any] = {}
    text = _redactor(redact)
    for key, value in answers.items():
        field = lookup.get(str(key).lower())
        if field is None:
            raise AnswerError(
                "not a question of this survey",
                field=f"answers.{key}",
                value=_shown(value),
                hint="the fields are "
                + ", ".join(allowed[:8])
                + ("..." if len(allowed) > 8 else ""),
            )
        name = f"answers.{field}"
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, (Mapping, list, tuple)):
            raise AnswerError("must be a single value", field=name, value=str(value)[:80])
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise AnswerError(f"longer than {MAX_TEXT} characters", field=name, value=value)
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise AnswerError("not a number", field=name, value=str(value))
        if survey.kind == "kano":
            if field.endswith("_importance"):
                lo, hi = IMPORTANCE_SCALES[survey.options["importance"]]
                try:
                    v = importance_value(value)
                except ValueError:
                    v = None
                if v is None or not lo <= v <= hi or not float(v).is_integer():
                    raise AnswerError(f"an importance from {lo} to {hi}", field=name, value=value)
            else:
                try:
                    if answer_code(value) is None and not is_missing(value):
                        raise ValueError
                except ValueError:
                    raise AnswerError(
                        "not a Kano answer: use 1-5 or a wording such as 'I like it that way'",
                        field=name,
                        value=value,
                    ) from None
            clean[field] = value.strip() if isinstance(value, str) else value
        elif survey.kind == "odi":
            clean[field] = _integer(value, name, 1, 5)
        elif field == "score":
            lo, hi = survey.options["scale"]
            clean[field] = _integer(value, name, lo, hi)
        else:  # comment
            if not isinstance(value, str):
                value = str(value)
            clean[field] = text(value.strip())
    if not partial:
        if survey.kind in SCALES and "score" not in clean:
            raise AnswerError("the score is required", field="answers.score", value=None)
        if not clean:
            raise AnswerError("no answer given", field="answers", value={})
    return clean


def check_context(survey: Survey, context: Any, *, redact: bool = True) -> dict[str, Any]:
    """Check the context keys (journey step, contact, channel, situation, any other key)."""
    if context is None:
        return {}
    if not isinstance(context, Mapping):
        raise AnswerError("context is a JSON object", field="context", value=context)
    if len(context) > MAX_CONTEXT_KEYS:
        raise AnswerError(
            f"at most {MAX_CONTEXT_KEYS} context keys", field="context", value=len(context)
        )
    reserved = {c.lower() for c in (*META_COLUMNS, *answer_fields(survey))}
    text = _redactor(redact)
    out: dict[str, Any] = {}
    for key, value in context.items():
        field = f"context.{key}"
        if not isinstance(key, str) or not _KEY.match(key):
            raise AnswerError(
                "a context key is a letter, then letters, digits or '_' (at most 64)",
                field=field,
                value=key,
            )
        if key.lower() in reserved:
            raise AnswerError("this name is taken by an answer or export column", field=field,
                              value=key)  # fmt: skip
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise AnswerError("a context value is text or a number", field=field, value=value)
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise AnswerError("not a number", field=field, value=str(value))
        value = str(value).strip()
        if len(value) > MAX_CONTEXT_VALUE:
            raise AnswerError(
                f"longer than {MAX_CONTEXT_VALUE} characters", field=field, value=value
            )
        if value:
            out[key] = text(value)
    return out


def _check_token(client_token: Any) -> str:
    if not isinstance(client_token, str) or not _TOKEN.match(client_token):
        raise AnswerError(
            "a client token is 1-200 printable characters without spaces",
            field="client_token",
            value=client_token,
        )
    return client_token


def _check_lang(survey: Survey, lang: Any) -> str:
    lang = lang or survey.languages[0]
    if lang not in survey.languages:
        raise AnswerError(
            "not a language of this survey",
            field="lang",
            value=lang,
            hint="use " + " or ".join(survey.languages),
        )
    return lang


@dataclass(frozen=True)
class Submitted:
    response: SurveyResponse
    created: bool


def submit(
    session: Session,
    survey: Survey,
    *,
    client_token: Any,
    lang: Any = None,
    answers: Any,
    context: Any = None,
    complete: bool = True,
    redact: bool = True,
) -> Submitted:
    """Store one response, once per ``client_token``.

    A token seen before returns the stored response (``created=False``) and changes nothing, even
    when the answers differ, unless that response is still partial: then the new answers are
    merged into it (a respondent going through a multi-step survey), and ``complete`` finishes it.
    Nothing is stored when any answer is not valid. The caller commits; acknowledge only after.

    A new token costs one statement: ``INSERT ... ON CONFLICT (survey_id, client_token) DO
    NOTHING RETURNING`` (SQLite and PostgreSQL), so neither a look-up first nor a savepoint is
    needed, and two requests with the same token at the same time still store one row: the one
    that finds the row already there (no row returned) reads it and goes on as for a token seen
    before.
    """
    if survey.status != "open":
        raise AnswerError("this survey is closed", field="survey", value=survey.public_id)
    token = _check_token(client_token)
    lang = _check_lang(survey, lang)
    clean = check_answers(survey, answers, partial=True, redact=redact)
    ctx = check_context(survey, context, redact=redact)
    incomplete: AnswerError | None = None
    # the full check of the checked answers only adds "the score is required" / "no answer
    # given" (and, rarely, a text that redaction made too long): run it only when one can apply
    if complete and (
        not clean
        or (survey.kind in SCALES and "score" not in clean)
        or any(isinstance(v, str) and len(v) > MAX_TEXT for v in clean.values())
    ):
        try:
            check_answers(survey, clean, partial=False, redact=False)
        except AnswerError as exc:  # an error only if the token is new (else answers are merged)
            incomplete = exc
    if incomplete is None:
        row = _insert_new(session, survey, token, lang, clean, ctx, complete)
        if row is not None:
            return Submitted(row, True)
    existing = session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.client_token == token
        )
    )
    if existing is None:
        if incomplete is not None:
            raise incomplete
        raise RuntimeError("a response with this client token was neither stored nor found")
    if existing.complete:
        return Submitted(existing, False)
    merged = {**existing.answers, **clean}
    if complete:
        check_answers(survey, merged, partial=False, redact=False)
    existing.answers = merged
    existing.context = {**ctx, **existing.context}
    existing.lang = lang
    existing.complete = bool(complete)
    existing.submitted_at = utcnow()
    session.flush()
    return Submitted(existing, False)


def _insert_new(
    session: Session,
    survey: Survey,
    token: str,
    lang: str,
    answers: dict[str, Any],
    context: dict[str, Any],
    complete: bool,
) -> SurveyResponse | None:
    """Insert the response of a token not stored yet and return it (in the session, as if it had
    been loaded); ``None`` when the token is there already (that row is left as it is)."""
    values = {
        "survey_id": survey.id,
        "client_token": token,
        "lang": lang,
        "answers": answers,
        "context": context,
        "complete": bool(complete),
        "submitted_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    stmt = _INSERT_NEW.get(dialect)
    if stmt is None and dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        table = SurveyResponse.__table__
        stmt = _INSERT_NEW[dialect] = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["survey_id", "client_token"])
            .returning(table.c.id)
        )
    if stmt is not None:
        # Core, not the ORM's unit of work: one statement, no flush bookkeeping; what the caller
        # has pending is written first, as the ORM would before its INSERT
        session.flush()
        new_id = session.connection().execute(stmt, values).scalar()
        if new_id is None:
            return None
        row = SurveyResponse(id=new_id, **values)
        make_transient_to_detached(row)
        session.add(row)
        return row
    row = SurveyResponse(**values)
    try:  # any other database: a savepoint, so a clash leaves the caller's transaction usable
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same token arrived at the same time on another connection
        return None
    return row


#: The INSERT ... ON CONFLICT DO NOTHING RETURNING id of :func:`_insert_new`, per dialect.
_INSERT_NEW: dict[str, Any] = {}


def get_response(session: Session, survey: Survey, client_token: str) -> SurveyResponse | None:
    return session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.client_token == client_token
        )
    )


# --------------------------------------------------------------------------------------------------
# Export and results


def export_frame(session: Session, survey: Survey, *, partial: bool = False):
    """One row per response: ``id, client_token, submitted_at, lang, complete``, the context keys
    (sorted), then the answer columns in questionnaire order (a pandas DataFrame of text and
    numbers, the layout the CLI reads). Partial responses only with ``partial=True``."""
    import pandas as pd

    query = select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
    if not partial:
        query = query.where(SurveyResponse.complete.is_(True))
    rows = session.scalars(query.order_by(SurveyResponse.id)).all()
    fields = answer_fields(survey)
    keys = sorted({k for r in rows for k in r.context})
    records = [
        {
            "id": r.id,
            "client_token": r.client_token,
            "submitted_at": r.submitted_at.isoformat(timespec="seconds") + "Z",
            "lang": r.lang,
            "complete": bool(r.complete),
            **{k: r.context.get(k) for k in keys},
            **{f: r.answers.get(f) for f in fields},
        }
        for r in rows
    ]
    return pd.DataFrame.from_records(records, columns=[*META_COLUMNS, *keys, *fields])


def export_csv(session: Session, survey: Survey, *, partial: bool = False) -> str:
    from kundfokus.serialize import to_csv

    return to_csv(export_frame(session, survey, partial=partial))


def export_parquet(session: Session, survey: Survey, *, partial: bool = False) -> bytes:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = export_frame(session, survey, partial=partial)
    # answer columns hold codes or texts: store them as text so one column has one type
    for col in frame.columns:
        if col not in ("id", "complete") and frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: None if v is None else str(v))
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buf)
    return buf.getvalue()


def labels_frame(survey: Survey):
    """The Kano feature labels in the layout ``kundfokus kano analyze --labels`` reads."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"feature": it["id"], **{f"label_{lg}": it["label"].get(lg, "") for lg in LANGS}}
            for it in survey.items
        ],
        columns=["feature", "label_sv", "label_en"],
    )


def inventory(survey: Survey):
    """The ODI outcomes as a job inventory (what ``kundfokus jtbd opportunity --inventory`` reads)."""
    from kundfokus.jtbd import JobInventory

    rows = []
    for it in survey.items:
        row = {"job_id": it["job"], "job_type": it["job_type"], "outcome_id": it["id"]}
        for lg in LANGS:
            row[f"outcome_statement_{lg}"] = it["statement"].get(lg) or next(
                iter(it["statement"].values())
            )
            js = it.get("job_statement") or {}
            row[f"job_statement_{lg}"] = js.get(lg) or next(iter(js.values()), it["job"])
        rows.append(row)
    return JobInventory.from_records(rows, source=f"survey {survey.id}")


def inventory_frame(survey: Survey):
    """The inventory in the flat CSV layout (for the CLI's ``--inventory``)."""
    import pandas as pd

    rows = []
    for it in survey.items:
        js = it.get("job_statement") or {}
        row = {"job_id": it["job"], "job_type": it["job_type"]}
        for lg in LANGS:
            row[f"job_statement_{lg}"] = js.get(lg) or next(iter(js.values()), it["job"])
        row["outcome_id"] = it["id"]
        for lg in LANGS:
            row[f"outcome_statement_{lg}"] = it["statement"].get(lg) or next(
                iter(it["statement"].values())
            )
        rows.append(row)
    return pd.DataFrame(rows)


#: The CLI's method options each kind takes as query parameters: name -> (type, choices or None).
RESULT_OPTIONS: dict[str, dict[str, tuple[type, tuple[str, ...] | None]]] = {
    "kano": {
        "by": (str, None),
        "table": (str, ("standard", "pouliot")),
        "rule": (str, ("mode", "moai", "oam")),
        "strength_threshold": (float, None),
        "invalid_as_missing": (bool, None),
        "exclude_mostly": (str, ("Q", "I")),
        "respondent_column": (str, None),
        "lang": (str, LANGS),
        "partial": (bool, None),
    },
    "odi": {
        "by": (list, None),
        "invalid_as_missing": (bool, None),
        "lang": (str, LANGS),
        "partial": (bool, None),
    },
    "scores": {
        "by": (str, None),
        "period": (str, ("week", "month", "quarter")),
        "date": (str, None),
        "ci": (str, ("adjusted-wald", "wald", "wilson", "t", "bootstrap")),
        "level": (float, None),
        "min_n": (int, None),
        "paired": (bool, None),
        "respondent": (str, None),
        "invalid_as_missing": (bool, None),
        "n_boot": (int, None),
        "seed": (int, None),
        "lang": (str, LANGS),
        "partial": (bool, None),
    },
}


def parse_options(kind: str, params: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Query parameters (``exclude-mostly`` or ``exclude_mostly``) as typed method options."""
    spec = RESULT_OPTIONS["scores" if kind in SCALES else kind]
    out: dict[str, Any] = {}
    for raw_key, raw in params:
        key = raw_key.replace("-", "_")
        if key not in spec:
            raise AnswerError(
                "not an option of this method",
                field=raw_key,
                value=raw,
                hint="options: " + ", ".join(sorted(spec)),
            )
        typ, choices = spec[key]
        if choices is not None and raw not in choices:
            raise AnswerError("not one of " + ", ".join(choices), field=raw_key, value=raw)
        if typ is list:
            out.setdefault(key, []).append(raw)
            continue
        try:
            if typ is bool:
                if raw.lower() not in ("1", "0", "true", "false", "yes", "no", ""):
                    raise ValueError
                value: Any = raw.lower() in ("1", "true", "yes", "")
            elif typ is int:
                value = int(raw)
            elif typ is float:
                value = float(raw)
                if not math.isfinite(value):
                    raise ValueError
            else:
                value = raw
        except ValueError:
            raise AnswerError(f"not a valid {typ.__name__}", field=raw_key, value=raw) from None
        out[key] = value
    return out


def _as_cli_json(obj: Any) -> Any:
    """Exactly what the CLI prints (dates as ISO text, NaN as null), parsed back."""
    import json

    from kundfokus.serialize import to_json

    return json.loads(to_json(obj))


def results(session: Session, survey: Survey, options: Mapping[str, Any] | None = None) -> Any:
    """The JSON-ready result of the survey's method on its export (see :func:`_results`); an
    error about an option names the option (``field``) and its value."""
    try:
        return _results(session, survey, options)
    except AnswerError:
        raise
    except InputError as exc:
        if exc.column is None:
            for key, value in (options or {}).items():
                if value is not None and exc.value is not None and str(value) == str(exc.value):
                    raise AnswerError(exc.message, field=key, value=value, hint=exc.hint) from exc
        raise


def _results(session: Session, survey: Survey, options: Mapping[str, Any] | None = None) -> Any:
    """The JSON-ready result of the survey's method on its export, exactly what the CLI prints
    with ``--format json`` for the export file (``kano analyze --labels ... --importance-scale``,
    ``jtbd opportunity --inventory ...``, ``scores nps|csat|ces --score score``)."""
    from kundfokus.io import read_table
    from kundfokus.serialize import records

    opts = dict(options or {})
    partial = bool(opts.pop("partial", False))
    lang = opts.pop("lang", survey.languages[0] if survey.languages else "en")
    if lang not in LANGS:
        lang = "en"
    export = export_frame(session, survey, partial=partial)
    fields = set(answer_fields(survey))
    keys = [c for c in export.columns if c not in META_COLUMNS and c not in fields]
    wanted = opts.get("by")
    for key in [wanted] if isinstance(wanted, str) else wanted or []:
        if key not in keys and key not in ("lang", "submitted_at"):
            raise AnswerError(
                "no context key of this name in the answers",
                field="by",
                value=key,
                hint="keys: " + (", ".join(keys) if keys else "none yet") + ", lang",
            )
    from kundfokus.serialize import to_csv

    name = f"survey-{survey.id}-responses.csv"
    frame = read_table(to_csv(export).encode("utf-8"), name=name)
    if survey.kind == "kano":
        from kundfokus.kano import analyze, labels_from_frame

        scale = IMPORTANCE_SCALES.get(survey.options.get("importance") or "")
        result = analyze(
            frame,
            labels=labels_from_frame(labels_frame(survey), lang=lang),
            table=opts.get("table", "standard"),
            rule=opts.get("rule", "mode"),
            strength_threshold=opts.get("strength_threshold", 0.06),
            by=opts.get("by"),
            on_invalid="missing" if opts.get("invalid_as_missing") else "raise",
            exclude=opts.get("exclude_mostly"),
            respondent_column=opts.get("respondent_column"),
            importance_scale=(float(scale[0]), float(scale[1])) if scale else None,
        )
        return _as_cli_json(records(result.features))
    if survey.kind == "odi":
        from kundfokus.jtbd import opportunity

        result = opportunity(
            frame,
            inventory=inventory(survey),
            by=opts.get("by") or None,
            on_invalid="missing" if opts.get("invalid_as_missing") else "raise",
            lang=lang,
        )
        return _as_cli_json(records(result))
    from kundfokus.scores import analyze as analyze_scores
    from kundfokus.scores.report import score_dict

    period = opts.get("period")
    report = analyze_scores(
        survey.kind,  # type: ignore[arg-type]
        frame,
        "score",
        by=opts.get("by"),
        period=period,
        date=opts.get("date") or ("submitted_at" if period else None),
        ci=opts.get("ci"),
        level=opts.get("level", 0.95),
        min_n=opts.get("min_n", 30),
        on_invalid="missing" if opts.get("invalid_as_missing") else "raise",
        paired=opts.get("paired", False),
        respondent=opts.get("respondent"),
        scale=None if survey.kind == "nps" else tuple(survey.options["scale"]),
        n_boot=opts.get("n_boot", 2000),
        seed=opts.get("seed", 0),
    )
    return _as_cli_json(score_dict(report, lang))
