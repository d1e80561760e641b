"""Pages for signed-in people: sign-in and sign-out, the overview, surveys, jobs, users.

Forms post with the session's CSRF token (``csrf_token``); htmx requests send it as the
``X-CSRF-Token`` header (set once on ``<body>``). The sign-in form, which has no session yet, uses a
double-submit token: a random cookie that the form must repeat.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from typing import Any
from urllib.parse import unquote, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kundfokus.errors import InputError
from kundfokus.services import accounts, jobs, surveys
from kundfokus.web import results_view
from kundfokus.web.deps import (
    DB,
    SESSION_COOKIE,
    Admin,
    Analyst,
    Viewer,
    current_principal,
    page_lang,
)
from kundfokus.web.render import render, translator

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "kf_login_csrf"


def _safe_next(value: str | None) -> str:
    """Only a local path may be the target after sign-in (no open redirect).

    >>> _safe_next("/surveys?x=1"), _safe_next("https://evil.example"), _safe_next("//evil")
    ('/surveys?x=1', '/', '/')
    """
    value = unquote(value or "/")
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


@router.get("/login")
def login_page(request: Request, db: DB, next: str = "/"):
    if current_principal(request, db) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"next": _safe_next(next), "login_csrf": token})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), max_age=3600)  # fmt: skip
    return response


@router.post("/login")
def login(
    request: Request,
    db: DB,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
):
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    fresh = secrets.token_urlsafe(24)

    def again(error: str, status: int):
        response = render(
            request,
            "login.html",
            {"next": _safe_next(next), "login_csrf": fresh, "error": error, "email": email},
            status_code=status,
        )
        response.set_cookie(LOGIN_CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                            secure=_secure(request), max_age=3600)  # fmt: skip
        return response

    if not cookie or not csrf_token or not hmac.compare_digest(cookie, csrf_token):
        return again("forbidden", 403)
    client = request.client.host if request.client else ""
    try:
        user = accounts.authenticate(db, email, password, client=client)
    except accounts.SignInError as exc:
        db.commit()  # keep the failed attempt
        if exc.reason == "limited":
            return again("login_limited", 429)
        return again("login_invalid", 401)
    token, _ = accounts.start_session(db, user)
    db.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=accounts.SESSION_HOURS * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, db: DB, who: Viewer):
    accounts.end_session(db, request.cookies.get(SESSION_COOKIE))
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, who: Viewer):
    return render(request, "home.html", principal=who)


# --------------------------------------------------------------------------------------------------
# Helpers


def _is_htmx(request: Request) -> bool:
    """An htmx request for a fragment (not a history restore, which wants the whole page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _survey_or_404(db, survey_id: str):
    survey = surveys.get_survey(db, survey_id)
    if survey is None:
        raise HTTPException(status_code=404, detail="not_found")
    return survey


def _title(survey, lang: str) -> str:
    title = survey.title or {}
    return title.get(lang) or next(iter(title.values()), "") or f"#{survey.id}"


def _text_in(texts: dict[str, str] | None, lang: str) -> str:
    texts = texts or {}
    return texts.get(lang) or next(iter(texts.values()), "")


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


# --------------------------------------------------------------------------------------------------
# Surveys


@router.get("/surveys")
def survey_list(request: Request, db: DB, who: Viewer):
    lang = page_lang(request, who)
    counts = surveys.response_counts(db)
    rows = [
        {
            "id": s.id,
            "title": _title(s, lang),
            "kind": s.kind,
            "status": s.status,
            "n": counts.get(s.id, 0),
            "created": _when(s.created_at),
        }
        for s in surveys.list_surveys(db)
    ]
    return render(request, "surveys/list.html", {"surveys": rows}, principal=who)


#: Blank item rows the builder shows (blank rows are ignored); "add row" adds more.
BLANK_ROWS = 4
MAX_ROWS = 100
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "kano": ("item_id", "label_sv", "label_en"),
    "odi": ("item_id", "job", "job_type", "statement_sv", "statement_en"),
}
#: The service's messages the builder shows in the page language (others are shown as they are).
BUILDER_ERRORS: dict[str, str] = {
    "a text is required": "err_text_required",
    "no text in Swedish": "err_no_sv",
    "no text in English": "err_no_en",
    "duplicate item id": "err_duplicate_id",
    "a kano or odi survey needs at least one item": "err_no_items",
    "an id is letters, digits, '_' or '-' (at most 64, starting with a letter or digit)": (
        "err_bad_id"
    ),
}
SCALE_CHOICES: dict[str, tuple[str, ...]] = {"csat": ("1-5", "1-7"), "ces": ("1-7", "1-5")}


def _blank_row(kind: str) -> dict[str, str]:
    row = dict.fromkeys(ROW_FIELDS.get(kind, ()), "")
    if kind == "odi":
        row["job_type"] = "functional"
    return row


def _builder_values(kind: str = "kano") -> dict[str, Any]:
    return {
        "kind": kind,
        "title_sv": "",
        "title_en": "",
        "languages": ["sv", "en"],
        "importance": "none",
        "wording": "classic",
        "question_sv": "",
        "question_en": "",
        "follow_up": "yes",
        "scale": SCALE_CHOICES.get(kind, ("",))[0],
        "rows": [_blank_row(kind) for _ in range(BLANK_ROWS)],
    }


def _slug(text: str) -> str:
    """An item id made from a label.

    >>> _slug("Chatt med en människa!"), _slug("   ")
    ('chatt_med_en_manniska', '')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40].strip("_")


def _is_blank(row: dict[str, str]) -> bool:
    return not any(v for k, v in row.items() if k != "job_type")


def _spec_from_form(values: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """The survey definition of a builder form, and for each item the form row it came from."""
    kind = values["kind"]
    spec: dict[str, Any] = {
        "kind": kind,
        "title": {lg: values[f"title_{lg}"] for lg in ("sv", "en") if values[f"title_{lg}"]},
        "languages": values["languages"],
    }
    row_of: list[int] = []
    if kind in ROW_FIELDS:
        items, taken = [], set()
        for i, row in enumerate(values["rows"]):
            if _is_blank(row):
                continue
            item_id = row["item_id"]
            if not item_id:
                text = row.get("label_en") or row.get("label_sv") or row.get("statement_en")
                base = _slug(text or row.get("statement_sv") or "") or f"item{i + 1}"
                item_id, n = base, 2
                while item_id.lower() in taken:
                    item_id, n = f"{base}_{n}", n + 1
            taken.add(item_id.lower())
            item = {k: v for k, v in row.items() if k != "item_id" and v}
            items.append({"id": item_id, **item})
            row_of.append(i)
        spec["items"] = items
        if kind == "kano":
            spec["importance"] = None if values["importance"] == "none" else values["importance"]
            spec["wording"] = values["wording"]
    else:
        question = {f"question_{lg}": values[f"question_{lg}"] for lg in ("sv", "en")}
        spec["items"] = [{k: v for k, v in question.items() if v}]
        spec["follow_up"] = values["follow_up"] == "yes"
        if kind in SCALE_CHOICES:
            spec["scale"] = values["scale"]
    return spec, row_of


def _error_target(field: str, kind: str, row_of: list[int], languages: list[str]) -> str:
    """The id of the form field an error of the service belongs to.

    >>> _error_target("items[1].label_sv", "kano", [0, 3], ["sv"])
    'row-3-label_sv'
    >>> _error_target("title", "nps", [], ["en"]), _error_target("items", "odi", [], ["sv"])
    ('title_en', 'items')
    """
    m = re.match(r"^items\[(\d+)\]\.(\w+)$", field)
    if m:
        index, name = int(m.group(1)), m.group(2)
        if kind not in ROW_FIELDS:
            return {"question": "question_sv"}.get(name, name)
        row = row_of[index] if index < len(row_of) else 0
        name = {"id": "item_id", "label": "label_sv", "statement": "statement_sv"}.get(name, name)
        return f"row-{row}-{name}"
    if field.startswith("title"):
        lang = field.split(".", 1)[1] if "." in field else (languages or ["sv"])[0]
        return f"title_{lang if lang in ('sv', 'en') else 'sv'}"
    if field.startswith("languages"):
        return "languages"
    return field


async def _read_builder(request: Request) -> dict[str, Any]:
    form = await request.form()

    def one(name: str, default: str = "") -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else default

    kind = one("kind", "kano")
    if kind not in surveys.KINDS:
        kind = "kano"
    values = _builder_values(kind)
    for name in ("title_sv", "title_en", "question_sv", "question_en"):
        values[name] = one(name)
    values["languages"] = [lg for lg in form.getlist("languages") if lg in ("sv", "en")]
    values["importance"] = one("importance", "none")
    values["wording"] = one("wording", "classic")
    values["follow_up"] = "no" if one("follow_up", "yes") == "no" else "yes"
    values["scale"] = one("scale", values["scale"])
    values["fields_for"] = one("fields_for", kind)
    values["add_row"] = bool(one("add_row"))
    if kind in ROW_FIELDS:
        columns = {f: form.getlist(f) for f in ROW_FIELDS[kind]}
        n = min(MAX_ROWS, max((len(v) for v in columns.values()), default=0))
        rows = []
        for i in range(n):
            row = {}
            for f, got in columns.items():
                v = got[i] if i < len(got) else ""
                row[f] = v.strip() if isinstance(v, str) else ""
            rows.append(row)
        if kind == "odi":
            for row in rows:
                row["job_type"] = row.get("job_type") or "functional"
        values["rows"] = rows or values["rows"]
    return values


def _builder(
    request: Request,
    who,
    values: dict[str, Any],
    *,
    errors=None,
    notice=None,
    status_code: int = 200,
    block: str | None = None,
):
    return render(
        request,
        "surveys/new.html",
        {
            "v": values,
            "errors": errors or {},
            "notice": notice,
            "kinds": surveys.KINDS,
            "scale_choices": SCALE_CHOICES.get(values["kind"], ()),
            "job_types": ("functional", "emotional", "social"),
        },
        principal=who,
        status_code=status_code,
        block=block,
    )


@router.get("/surveys/new")
def survey_new(request: Request, who: Analyst, kind: str = "kano"):
    kind = kind if kind in surveys.KINDS else "kano"
    block = "kind_fields" if _is_htmx(request) else None
    return _builder(request, who, _builder_values(kind), block=block)


@router.get("/surveys/new/row")
def survey_new_row(request: Request, who: Analyst, kind: str = "kano", i: int = 0):
    if kind not in ROW_FIELDS or not 0 <= i < MAX_ROWS:
        raise HTTPException(status_code=404, detail="not_found")
    return render(
        request,
        "surveys/row.html",
        {
            "kind": kind,
            "i": i,
            "row": _blank_row(kind),
            "errors": {},
            "job_types": ("functional", "emotional", "social"),
        },
        principal=who,
    )


@router.post("/surveys/new")
async def survey_create(request: Request, db: DB, who: Analyst):
    values = await _read_builder(request)
    kind = values["kind"]
    if values["fields_for"] != kind:  # the kind changed without JavaScript: show its fields
        fresh = _builder_values(kind)
        fresh.update({k: values[k] for k in ("title_sv", "title_en", "languages")})
        return _builder(request, who, fresh, notice="builder_kind_changed")
    if values["add_row"] and kind in ROW_FIELDS:
        if len(values["rows"]) < MAX_ROWS:
            values["rows"].append(_blank_row(kind))
        return _builder(request, who, values)
    if not values["languages"]:
        return _builder(
            request, who, values, errors={"languages": "err_no_language"}, status_code=422
        )
    spec, row_of = _spec_from_form(values)
    try:
        survey = surveys.create_survey(db, spec, created_by=who.email)
    except surveys.AnswerError as exc:
        db.rollback()
        target = _error_target(exc.field, kind, row_of, values["languages"])
        message = BUILDER_ERRORS.get(exc.message, exc.message)
        return _builder(request, who, values, errors={target: message}, status_code=422)
    db.commit()
    return RedirectResponse(f"/surveys/{survey.id}", status_code=303)


@router.get("/surveys/{survey_id}")
def survey_page(survey_id: str, request: Request, db: DB, who: Viewer):
    survey = _survey_or_404(db, survey_id)
    lang = page_lang(request, who)
    n = surveys.response_counts(db).get(survey.id, 0)
    info = surveys.survey_dict(survey, base_url=_base(request), n_responses=n)
    if survey.kind == "kano":
        items = [(it["id"], _text_in(it.get("label"), lang)) for it in survey.items]
    elif survey.kind == "odi":
        items = [(it["id"], _text_in(it.get("statement"), lang)) for it in survey.items]
    else:
        first = survey.items[0] if survey.items else {}
        items = [("score", _text_in(first.get("question"), lang))]
        if first.get("follow_up"):
            items.append(("comment", _text_in(first.get("follow_up"), lang)))
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "title": _title(survey, lang),
            "info": info,
            "items": items,
            "n": n,
            "can_edit": who.may("analyst"),
        },
        principal=who,
    )


RESULT_PARAMS = ("by", "table", "rule")


def _result_options(survey, query: dict[str, str], keys: list[str], lang: str):
    """The method options of the page's form, checked; ``(options, chosen, error key)``."""
    chosen = {"by": query.get("by") or ""}
    if survey.kind == "kano":
        chosen["table"] = query.get("table") or "standard"
        chosen["rule"] = query.get("rule") or "mode"
    error = None
    if chosen["by"] and chosen["by"] not in keys:
        error, chosen["by"] = "results_unknown_by", ""
    if survey.kind == "kano" and (
        chosen["table"] not in results_view.KANO_TABLES
        or chosen["rule"] not in results_view.KANO_RULES
    ):
        error = "results_unknown_option"
        chosen.update(table="standard", rule="mode")
    options: dict[str, Any] = {k: v for k, v in chosen.items() if v}
    if survey.kind == "odi" and chosen["by"]:
        options["by"] = [chosen["by"]]
    options["lang"] = lang if lang in survey.languages else survey.languages[0]
    return options, chosen, error


def _chart_url(survey, chosen: dict[str, str], lang: str):
    def url(name: str) -> str:
        query = {"chart": name, "lang": lang, **{k: v for k, v in chosen.items() if v}}
        return f"/surveys/{survey.id}/chart.svg?{urlencode(query)}"

    return url


@router.get("/surveys/{survey_id}/results")
def survey_results(survey_id: str, request: Request, db: DB, who: Viewer):
    survey = _survey_or_404(db, survey_id)
    lang = page_lang(request, who)
    frame = surveys.export_frame(db, survey)
    keys = results_view.context_keys(frame, survey)
    query = {k: request.query_params.get(k, "") for k in RESULT_PARAMS}
    options, chosen, error = _result_options(survey, query, keys, lang)
    view, status = None, 200 if error is None else 422
    if error is None and len(frame):
        try:
            result = surveys.results(db, survey, options)
        except InputError as exc:
            error, status = exc.message, 422
        else:
            view = results_view.build_view(
                survey.kind,
                result,
                lang=lang,
                t=translator(lang),
                chart_url=_chart_url(survey, chosen, lang),
            )
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "title": _title(survey, lang),
            "n": len(frame),
            "keys": keys,
            "chosen": chosen,
            "view": view,
            "error": error,
            "tables": results_view.KANO_TABLES,
            "rules": results_view.KANO_RULES,
            "can_run": who.may("analyst"),
        },
        principal=who,
        # htmx swaps only 2xx answers: a fragment with its error message is a 200
        status_code=200 if _is_htmx(request) else status,
        block="results" if _is_htmx(request) else None,
    )


@router.get("/surveys/{survey_id}/chart.svg")
def survey_chart(survey_id: str, request: Request, db: DB, who: Viewer):
    survey = _survey_or_404(db, survey_id)
    q = request.query_params
    lang = q.get("lang") if q.get("lang") in ("sv", "en") else page_lang(request, who)
    name = q.get("chart") or results_view.CHARTS[survey.kind][0]
    if name not in results_view.CHARTS[survey.kind]:
        raise HTTPException(status_code=404, detail="not_found")
    frame = surveys.export_frame(db, survey)
    keys = results_view.context_keys(frame, survey)
    query = {k: q.get(k, "") for k in RESULT_PARAMS}
    options, _, error = _result_options(survey, query, keys, lang)
    if error is not None or not len(frame):
        raise HTTPException(status_code=404, detail="not_found")
    try:
        result = surveys.results(db, survey, options)
    except InputError as exc:
        raise HTTPException(status_code=422, detail=exc.message) from None
    spec = results_view.chart_spec(
        survey.kind, result, name, lang=lang, narrow=q.get("size") == "narrow"
    )
    return Response(results_view.render_chart(spec), media_type="image/svg+xml")


@router.post("/surveys/{survey_id}/results/job")
def survey_results_job(
    survey_id: str,
    request: Request,
    db: DB,
    who: Analyst,
    by: str = Form(""),
    table: str = Form(""),
    rule: str = Form(""),
):
    survey = _survey_or_404(db, survey_id)
    lang = page_lang(request, who)
    keys = results_view.context_keys(surveys.export_frame(db, survey), survey)
    options, _, error = _result_options(
        survey, {"by": by, "table": table, "rule": rule}, keys, lang
    )
    if error is not None:
        raise HTTPException(status_code=422, detail=error)
    job = jobs.enqueue(
        db, "survey_results", {"survey_id": survey.id, "options": options}, created_by=who.email
    )
    db.commit()
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


# --------------------------------------------------------------------------------------------------
# Jobs


@router.get("/jobs")
def job_list(request: Request, db: DB, who: Viewer):
    rows = [
        {**jobs.job_dict(j), "created": _when(j.created_at), "created_by": j.created_by or ""}
        for j in jobs.recent(db, 50)
    ]
    return render(request, "jobs/list.html", {"jobs": rows}, principal=who)


@router.get("/jobs/{job_id}")
def job_page(job_id: int, request: Request, db: DB, who: Viewer):
    job = jobs.get(db, job_id)
    if job is None:
        raise HTTPException(status_code=404, detail="not_found")
    lang = page_lang(request, who)
    info = {
        **jobs.job_dict(job),
        "created": _when(job.created_at),
        "created_by": job.created_by or "",
    }
    view, survey = None, None
    result = job.result or {}
    if job.status == "done" and job.kind == "survey_results" and "survey_id" in result:
        survey = surveys.get_survey(db, result["survey_id"])
        if survey is not None:
            try:
                view = results_view.build_view(
                    survey.kind, result.get("results"), lang=lang, t=translator(lang)
                )
            except (KeyError, TypeError, ValueError):  # a result in another shape: show it raw
                view = None
    summary = None
    if job.status == "done" and view is None and result:
        import json

        summary = json.dumps(result, ensure_ascii=False, indent=2, default=str)[:20000]
    return render(
        request,
        "jobs/detail.html",
        {
            "job": info,
            "finished": job.status in ("done", "failed"),
            "view": view,
            "survey": survey,
            "survey_title": _title(survey, lang) if survey is not None else "",
            "summary": summary,
        },
        principal=who,
        block="status" if _is_htmx(request) else None,
    )


# --------------------------------------------------------------------------------------------------
# Contacts import (a job)

MAX_UPLOAD = 50 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".parquet", ".jsonl")


@router.get("/contacts/import")
def contacts_import_page(request: Request, who: Analyst):
    return render(request, "contacts/import.html", principal=who)


@router.post("/contacts/import")
async def contacts_import(request: Request, db: DB, who: Analyst):
    """Store the uploaded file with a ``contacts_import`` job and show the job's progress; the
    import itself (checks, redaction, rules) is all or nothing, and its error names the row."""
    import base64
    from pathlib import PurePath

    form = await request.form()
    upload = form.get("file")
    lang = page_lang(request, who)
    t = translator(lang)

    def refuse(key: str, status: int = 422):
        return render(request, "contacts/import.html", {"error": t(key)}, principal=who,
                      status_code=status)  # fmt: skip

    if upload is None or isinstance(upload, str) or not upload.filename:
        return refuse("import_no_file")
    name = PurePath(upload.filename).name[:200]
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        return refuse("import_bad_type")
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return refuse("import_too_big", 413)
    if not data.strip():
        return refuse("import_empty")
    job = jobs.enqueue(
        db,
        "contacts_import",
        {"source": name, "data_b64": base64.b64encode(data).decode("ascii")},
        created_by=who.email,
        max_attempts=1,
    )
    db.commit()
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


# --------------------------------------------------------------------------------------------------
# Users (admin)

#: The service's messages the users page shows in the page language.
USER_ERRORS: dict[str, str] = {
    "not an e-mail address": "err_email",
    "a user with this e-mail exists already": "err_email_taken",
    "unknown role": "err_role",
}


def _users_page(
    request: Request, db, who, *, error=None, notice=None, form=None, status_code: int = 200
):
    users = [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "active": bool(u.active),
            "me": u.id == who.user_id,
        }
        for u in accounts.list_users(db)
    ]
    return render(
        request,
        "admin/users.html",
        {
            "users": users,
            "roles": accounts.ROLES,
            "error": error,
            "notice": notice,
            "form": form or {"email": "", "role": "viewer"},
            "min_password": accounts.MIN_PASSWORD,
        },
        principal=who,
        status_code=status_code,
    )


NOTICES = ("user_added", "user_role_changed", "user_disabled", "user_enabled")


@router.get("/admin/users")
def users_page(request: Request, db: DB, who: Admin, notice: str = ""):
    return _users_page(request, db, who, notice=notice if notice in NOTICES else None)


def _user_error(exc: InputError) -> str:
    if exc.column == "password":
        return "err_password"
    return USER_ERRORS.get(exc.message, exc.message)


@router.post("/admin/users")
def users_add(
    request: Request,
    db: DB,
    who: Admin,
    email: str = Form(""),
    role: str = Form("viewer"),
    password: str = Form(""),
):
    try:
        accounts.add_user(db, email, role=role, password=password)
    except InputError as exc:
        db.rollback()
        return _users_page(
            request,
            db,
            who,
            error=_user_error(exc),
            form={"email": email, "role": role},
            status_code=422,
        )
    db.commit()
    return RedirectResponse("/admin/users?notice=user_added", status_code=303)


@router.post("/admin/users/{user_id}/role")
def users_role(user_id: int, request: Request, db: DB, who: Admin, role: str = Form("")):
    if user_id == who.user_id and role != "admin":
        return _users_page(request, db, who, error="err_own_account", status_code=422)
    try:
        accounts.update_user(db, user_id, role=role)
    except InputError as exc:
        db.rollback()
        return _users_page(request, db, who, error=_user_error(exc), status_code=422)
    db.commit()
    return RedirectResponse("/admin/users?notice=user_role_changed", status_code=303)


@router.post("/admin/users/{user_id}/active")
def users_active(user_id: int, request: Request, db: DB, who: Admin, active: str = Form("")):
    on = active in ("1", "true", "yes")
    if user_id == who.user_id and not on:
        return _users_page(request, db, who, error="err_own_account", status_code=422)
    try:
        accounts.update_user(db, user_id, active=on)
    except InputError as exc:
        db.rollback()
        return _users_page(request, db, who, error=_user_error(exc), status_code=422)
    db.commit()
    notice = "user_enabled" if on else "user_disabled"
    return RedirectResponse(f"/admin/users?notice={notice}", status_code=303)
