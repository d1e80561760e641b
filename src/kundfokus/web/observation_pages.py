"""Observations (contextual design): the API under ``/api/v1/observations`` and the phone-first
page ``/observations`` where an analyst, designer or agent records what they saw and heard at a
journey step, searches what others saw, and (analysts) turns one into a Kano feature or an ODI
outcome for the next survey.

Routes parse, call :mod:`kundfokus.services.observations` and answer; no SQL here.

- ``GET /api/v1/observations`` (viewer): search ``q``, ``step``, ``situation``, ``need``;
- ``POST /api/v1/observations`` (reviewer): JSON (the attachment base64-encoded) or multipart
  (the file in ``attachment``) -> 201;
- ``GET /api/v1/observations/{observation_id}`` and ``.../attachment`` (viewer);
- ``POST /api/v1/observations/{observation_id}/turn-into`` (analyst) -> 201;
- the pages ``GET/POST /observations``, ``GET /observations/{observation_id}`` and
  ``POST /observations/{observation_id}/turn-into`` (plain forms; htmx only refreshes the
  results when the search changes).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile

from kundfokus.errors import InputError
from kundfokus.services import observations as service
from kundfokus.web.api import PROBLEMS, Problem
from kundfokus.web.deps import DB, Analyst, Reviewer, Viewer, page_lang
from kundfokus.web.render import render, translator

router = APIRouter()
pages = APIRouter(include_in_schema=False)

FORM_FIELDS = ("note", "quote", "step", "situation", "need", "channel", "observed_at")
CHANNELS = ("phone", "chat", "email", "app", "web", "store", "letter", "social", "other")
PAGE_SIZE = 30


class ObservationIn(BaseModel):
    """A new observation (JSON). ``attachment`` is the file base64-encoded, with its
    ``attachment_name`` and ``attachment_type`` (image/*, application/pdf or text/plain; 5 MB)."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(description="What was seen or heard (required)")
    quote: str | None = Field(None, description="What the customer said, word for word")
    step: str | None = Field(None, description="The journey step")
    situation: str | None = Field(None, description="The customer's situation")
    need: str | None = Field(None, description="The need it shows")
    channel: str | None = None
    observed_at: str | None = Field(None, description="ISO 8601; now when left out")
    attachment: str | None = Field(None, description="The file, base64-encoded")
    attachment_name: str | None = None
    attachment_type: str | None = None


class ObservationOut(BaseModel):
    id: int
    note: str
    quote: str | None = None
    step: str | None = None
    situation: str | None = None
    need: str | None = None
    channel: str | None = None
    observed_at: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    has_attachment: bool
    attachment_name: str | None = None
    attachment_type: str | None = None
    attachment_size: int | None = None
    turned_into: str | None = None
    attachment_url: str | None = None


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["kano", "odi"]
    survey_id: int | str | None = Field(
        None, description="A draft survey of that kind; a new draft survey when left out"
    )
    text: str | None = Field(
        None, description="The feature or outcome in words; drafted from the note when left out"
    )


class TurnOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str
    observation_id: int
    survey_id: int
    survey_status: str
    created_survey: bool
    item: dict[str, Any]
    questions: dict[str, Any]
    turned_into: str | None = None


CREATE_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ObservationIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["note"],
                    "properties": {
                        **{f: {"type": "string"} for f in FORM_FIELDS},
                        "attachment": {"type": "string", "format": "binary"},
                    },
                }
            },
        },
    }
}
CREATE_PROBLEMS = {
    **PROBLEMS,
    415: {"model": Problem, "description": "Send JSON or multipart/form-data"},
}


def _out(row) -> dict[str, Any]:
    d = service.observation_dict(row)
    d["attachment_url"] = (
        f"/api/v1/observations/{row.id}/attachment" if d["has_attachment"] else None
    )
    return d


def _or_404(db, observation_id: str):
    row = service.get_observation(db, observation_id)
    if row is None:
        raise HTTPException(
            status_code=404, detail=f"no observation with this id: {observation_id}"
        )
    return row


async def _upload(value: Any) -> tuple[bytes | None, str | None, str | None]:
    if not isinstance(value, UploadFile):
        return None, None, None
    data = await value.read(service.MAX_ATTACHMENT + 1)
    if not data and not value.filename:
        return None, None, None
    return data, value.filename, value.content_type


def _form_text(form, name: str) -> str | None:
    v = form.get(name)
    return v if isinstance(v, str) else None


async def _fields_from_request(request: Request) -> dict[str, Any]:
    """The observation's fields from a JSON or a multipart (or url-encoded) body."""
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        fields: dict[str, Any] = {f: _form_text(form, f) for f in FORM_FIELDS}
        data, name, media_type = await _upload(form.get("attachment"))
        fields.update(attachment=data, attachment_name=name, attachment_type=media_type)
        return fields
    if ctype not in ("application/json", ""):
        raise HTTPException(status_code=415, detail="send application/json or multipart/form-data")
    raw = await request.body()
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(status_code=400, detail="the body is not readable JSON") from None
    try:
        parsed = ObservationIn.model_validate(body)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors()]
        for e in errors:
            e.pop("ctx", None)
            e.pop("url", None)
        raise RequestValidationError(errors) from None
    fields = parsed.model_dump()
    if parsed.attachment:
        try:
            fields["attachment"] = base64.b64decode(parsed.attachment, validate=True)
        except (binascii.Error, ValueError):
            raise service.ObservationError(
                "the attachment is not base64", field="attachment", value=None
            ) from None
    else:
        fields["attachment"] = None
    return fields


# --------------------------------------------------------------------------------------------------
# API


@router.get(
    "/api/v1/observations",
    response_model=list[ObservationOut],
    responses=PROBLEMS,
    tags=["observations"],
)
def list_observations(
    db: DB,
    who: Viewer,
    q: Annotated[str | None, Query(max_length=200)] = None,
    step: Annotated[str | None, Query(max_length=200)] = None,
    situation: Annotated[str | None, Query(max_length=200)] = None,
    need: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Observations (viewer and up) whose note, quote, step, situation or need contain every
    word of ``q`` (case-insensitive), at ``step``, in ``situation``, showing ``need``; newest
    first."""
    rows = service.search_observations(
        db, q=q, step=step, situation=situation, need=need, limit=limit, offset=offset
    )
    return [_out(r) for r in rows]


@router.post(
    "/api/v1/observations",
    status_code=201,
    response_model=ObservationOut,
    responses=CREATE_PROBLEMS,
    tags=["observations"],
    openapi_extra=CREATE_DOC,
)
async def create_observation(request: Request, db: DB, who: Reviewer) -> Any:
    """Record an observation (reviewer and up): JSON, or multipart/form-data with the photo or
    file in ``attachment`` (image/*, PDF or plain text, at most 5 MB)."""
    fields = await _fields_from_request(request)
    row = service.add_observation(
        db, created_by=who.email, redact=bool(request.app.state.settings.redact), **fields
    )
    db.commit()
    return JSONResponse(_out(row), status_code=201)


@router.get(
    "/api/v1/observations/{observation_id}",
    response_model=ObservationOut,
    responses=PROBLEMS,
    tags=["observations"],
)
def get_observation(observation_id: str, db: DB, who: Viewer) -> Any:
    return _out(_or_404(db, observation_id))


@router.get(
    "/api/v1/observations/{observation_id}/attachment",
    responses={
        **PROBLEMS,
        200: {"description": "The file", "content": {"application/octet-stream": {}}},
    },
    tags=["observations"],
    response_class=Response,
)
def get_attachment(observation_id: str, db: DB, who: Viewer) -> Response:
    """The observation's photo or file, as it was uploaded (404 when it has none)."""
    row = _or_404(db, observation_id)
    found = service.attachment_of(db, row.id)
    if found is None:
        raise HTTPException(status_code=404, detail="this observation has no attachment")
    data, name, media_type = found
    if media_type == "text/plain":
        media_type = "text/plain; charset=utf-8"
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    headers = {
        "content-disposition": (
            f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
        ),
        "content-security-policy": "default-src 'none'; img-src 'self'; sandbox",
        "cache-control": "private, max-age=3600",
    }
    return Response(data, media_type=media_type or "application/octet-stream", headers=headers)


@router.post(
    "/api/v1/observations/{observation_id}/turn-into",
    status_code=201,
    response_model=TurnOut,
    responses=PROBLEMS,
    tags=["observations"],
)
def turn_into(observation_id: str, body: TurnIn, db: DB, who: Analyst) -> Any:
    """Draft a Kano feature or an ODI outcome statement from the observation and add it to a
    draft survey (analyst and up): ``survey_id`` (a draft survey of that kind) or a new draft
    survey named after the step."""
    row = _or_404(db, observation_id)
    done = service.turn_into(
        db, row.id, kind=body.kind, survey_id=body.survey_id, text=body.text, by=who.email
    )
    db.commit()
    return JSONResponse(done.to_dict(), status_code=201)


# --------------------------------------------------------------------------------------------------
# Pages


def _is_htmx(request: Request) -> bool:
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def _when(iso: str | None) -> str:
    return str(iso or "").replace("T", " ").replace("Z", "")[:16]


def _view(row, names: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    d = _out(row)
    d["when"] = _when(d["observed_at"])
    d["is_image"] = bool(d["attachment_type"] and d["attachment_type"].startswith("image/"))
    d["turned"] = service.turned_parts(d["turned_into"])
    names = names or {}
    for field in ("situation", "need"):
        value = d[field]
        name = names.get(field, {}).get(value) if value else None
        d[f"{field}_name"] = name if name and name != value else None
    return d


def _names(choices: dict[str, list[dict[str, str]]]) -> dict[str, dict[str, str]]:
    """The taxonomy's names of situation and need labels, to show beside the label."""
    return {
        "situation": {c["value"]: c["name"] for c in choices["situations"]},
        "need": {c["value"]: c["name"] for c in choices["needs"]},
    }


def _filters(params) -> dict[str, str]:
    return {k: str(params.get(k) or "").strip()[:200] for k in ("q", "step", "situation")}


def _error_text(exc: InputError) -> str:
    value = f" ({exc.value})" if exc.value not in (None, "") else ""
    return exc.message + value + (f" ({exc.hint})" if exc.hint else "")


def _list_page(
    request: Request,
    db,
    who,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
):
    lang = page_lang(request, who)
    f = _filters(request.query_params)
    try:
        page = max(1, min(1000, int(request.query_params.get("page") or 1)))
    except ValueError:
        page = 1
    search_error = None
    rows: list[Any] = []
    try:
        rows = service.search_observations(
            db,
            q=f["q"] or None,
            step=f["step"] or None,
            situation=f["situation"] or None,
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )
    except InputError as exc:
        search_error = _error_text(exc)
    more = len(rows) > PAGE_SIZE
    q = request.query_params
    added = q.get("added") or ""
    turned = None
    if q.get("turned") in service.KINDS and (q.get("survey") or "").isdigit():
        turned = {"kind": q.get("turned"), "survey": q.get("survey"), "id": q.get("obs", "")}
    choices = service.choices(db, lang)
    names = _names(choices)
    ctx = {
        "f": f,
        "qs": urlencode([(k, v) for k, v in f.items() if v]),
        "results": [_view(r, names) for r in rows[:PAGE_SIZE]],
        "page": page,
        "more": more,
        "next_qs": urlencode([*[(k, v) for k, v in f.items() if v], ("page", page + 1)]),
        "search_error": search_error,
        "choices": choices,
        "channels": CHANNELS,
        "values": values or {},
        "errors": errors or {},
        "added": added if added.isdigit() else "",
        "turned": turned,
        "may_record": who.may("reviewer"),
        "may_turn": who.may("analyst"),
        "max_mb": service.MAX_ATTACHMENT // (1024 * 1024),
    }
    block = "results" if _is_htmx(request) and not errors else None
    return render(
        request,
        "observations/page.html",
        ctx,
        principal=who,
        status_code=status_code,
        block=block,
    )


@pages.get("/observations")
def observations_page(request: Request, db: DB, who: Viewer):
    return _list_page(request, db, who)


@pages.post("/observations")
async def observations_add(request: Request, db: DB, who: Reviewer):
    form = await request.form()
    fields: dict[str, Any] = {f: _form_text(form, f) for f in FORM_FIELDS}
    photo = await _upload(form.get("attachment"))
    other = await _upload(form.get("attachment_file"))
    values = {k: v or "" for k, v in fields.items()}
    if photo[0] is not None and other[0] is not None:
        lang = page_lang(request, who)
        errors = {"attachment": translator(lang)("obs_one_file")}
        return _list_page(request, db, who, values=values, errors=errors, status_code=422)
    data, name, media_type = photo if photo[0] is not None else other
    try:
        row = service.add_observation(
            db,
            created_by=who.email,
            redact=bool(request.app.state.settings.redact),
            attachment=data,
            attachment_name=name,
            attachment_type=media_type,
            **fields,
        )
    except InputError as exc:
        db.rollback()
        field = getattr(exc, "field", None) or "note"
        if field.startswith("attachment"):
            field = "attachment"
        errors = {field: _error_text(exc)}
        return _list_page(request, db, who, values=values, errors=errors, status_code=422)
    db.commit()
    return RedirectResponse(f"/observations?added={row.id}#obs-{row.id}", status_code=303)


def _detail(request: Request, db, who, row, *, error: str | None = None, status_code: int = 200):
    lang = page_lang(request, who)
    t = translator(lang)
    q = request.query_params
    turned = None
    if q.get("turned") in service.KINDS and (q.get("survey") or "").isdigit():
        turned = {"kind": q.get("turned"), "survey": q.get("survey")}
    drafts = {
        kind: [
            {"id": s.id, "title": s.title.get(lang) or next(iter(s.title.values()), str(s.id))}
            for s in service.draft_surveys(db, kind)
        ]
        for kind in service.KINDS
    }
    ctx = {
        "o": _view(row, _names(service.choices(db, lang))),
        "turned": turned,
        "error": error,
        "drafts": drafts if who.may("analyst") else {},
        "may_turn": who.may("analyst"),
        "title": t("obs_detail_title", id=row.id),
    }
    return render(request, "observations/detail.html", ctx, principal=who, status_code=status_code)


def _page_row(db, observation_id: str):
    row = service.get_observation(db, observation_id)
    if row is None:
        raise HTTPException(status_code=404, detail="not_found")
    return row


@pages.get("/observations/{observation_id}")
def observation_page(observation_id: str, request: Request, db: DB, who: Viewer):
    return _detail(request, db, who, _page_row(db, observation_id))


@pages.post("/observations/{observation_id}/turn-into")
async def observation_turn(observation_id: str, request: Request, db: DB, who: Analyst):
    row = _page_row(db, observation_id)
    form = await request.form()
    kind = _form_text(form, "kind") or ""
    text = (_form_text(form, "text") or "").strip() or None
    survey_id = (_form_text(form, "survey_id") or "").strip() or None
    back = _form_text(form, "back")
    try:
        done = service.turn_into(
            db, row.id, kind=kind, survey_id=survey_id, text=text, by=who.email
        )
    except InputError as exc:
        db.rollback()
        return _detail(
            request, db, who, _page_row(db, observation_id), error=_error_text(exc),
            status_code=422,
        )  # fmt: skip
    db.commit()
    where = urlencode({"turned": kind, "survey": done.survey.id})
    if back == "list":
        return RedirectResponse(f"/observations?{where}&obs={row.id}#obs-{row.id}", status_code=303)
    return RedirectResponse(f"/observations/{row.id}?{where}", status_code=303)


router.include_router(pages)
