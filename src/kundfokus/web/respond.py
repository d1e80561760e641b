"""Public respondent pages (``/s/{public_id}``), the embeddable micro-survey (``/embed.js`` and
the iframe ``/s/{public_id}/embed``).

The pages work without JavaScript: plain forms that post back here. A respondent visit gets a
random client token (a hidden field) signed with the installation's secret (the form's CSRF
token); every step of a Kano or ODI survey is stored at once as a partial response
(:func:`kundfokus.services.surveys.submit` with ``complete=False``), the last step completes it,
and a repeated final post finds the stored response instead of counting twice. After a step the
browser is redirected (post/redirect/get) to ``/s/{public_id}?t=TOKEN.SIGNATURE&q=STEP``, which
resumes the visit with the stored answers filled in.

Context (journey step, contact, channel, situation, any other key) comes from the link's query
(``?step=after_call&contact=C-17&channel=phone``), travels in hidden ``ctx_<key>`` fields and is
stored with the answers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kundfokus.services.surveys import (
    LANGS,
    MAX_CONTEXT_KEYS,
    MAX_CONTEXT_VALUE,
    SCALES,
    AnswerError,
    answer_fields,
    check_context,
    get_response,
    submit,
)
from kundfokus.store.models import Survey
from kundfokus.web.deps import DB, accept_language
from kundfokus.web.render import render, translator

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parent / "static"
EMBED_JS = STATIC / "embed.js"
#: Query keys of a survey link that are not context: the language, the resumed visit and its step.
NOT_CONTEXT = frozenset({"lang", "t", "q"})
#: Short query keys of a link and the context key they fill.
ALIASES = {"step": "journey_step", "contact": "contact_id"}
CTX = "ctx_"


# --------------------------------------------------------------------------------------------------
# Small helpers


def find_survey(session: Session, public_id: str) -> Survey | None:
    """The survey with this public id (never by its number: public links are not guessable)."""
    if not public_id or len(public_id) > 64:
        return None
    return session.scalar(select(Survey).where(Survey.public_id == public_id))


def form_token(secret: str, public_id: str, client_token: str) -> str:
    """The form's CSRF token: an HMAC of the survey and the visit's client token.

    >>> form_token("k", "abc", "t1") == form_token("k", "abc", "t1") != form_token("k", "abc", "t2")
    True
    """
    message = f"kundfokus-respond:{public_id}:{client_token}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:40]


def _token_ok(request: Request, survey: Survey, client_token: str, sent: str) -> bool:
    if not client_token or not sent:
        return False
    good = form_token(request.app.state.secret, survey.public_id, client_token)
    return hmac.compare_digest(good, sent)


def respondent_lang(request: Request, survey: Survey | None, given: str | None = None) -> str:
    """``given`` (a form field), then ``?lang=``, then the browser's Accept-Language, restricted
    to the survey's languages (its first language when none fits)."""
    langs = list(survey.languages) if survey is not None and survey.languages else list(LANGS)
    for cand in (given, request.query_params.get("lang")):
        if cand in langs:
            return cand
    browser = accept_language(request.headers.get("accept-language", ""))
    if browser in langs:
        return browser
    return langs[0]


def _valid_context(survey: Survey, key: str, value: str) -> str | None:
    try:
        return check_context(survey, {key: value[:MAX_CONTEXT_VALUE]}, redact=False).get(key)
    except AnswerError:
        return None


def context_from(survey: Survey, items: Iterable[tuple[str, str]], *, prefix: str = "") -> dict:
    """The context keys of a link's query (``prefix=""``, with the ``step``/``contact`` aliases)
    or of a form's hidden fields (``prefix="ctx_"``); keys that are not valid are left out."""
    direct: dict[str, str] = {}
    aliased: dict[str, str] = {}
    fields = {f.lower() for f in answer_fields(survey)}
    for raw_key, value in items:
        if not isinstance(value, str):
            continue
        if prefix:
            if not raw_key.startswith(prefix) or raw_key.lower() in fields:
                continue
            key = raw_key[len(prefix) :]
            target = direct
        else:
            if raw_key in NOT_CONTEXT:
                continue
            key = ALIASES.get(raw_key, raw_key)
            target = aliased if raw_key in ALIASES else direct
        clean = _valid_context(survey, key, value)
        if clean is not None:
            target[key] = clean
    out = {**direct, **aliased}
    return dict(list(out.items())[:MAX_CONTEXT_KEYS])


def context_query(context: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The context as a link's query (``journey_step`` as ``step``, ``contact_id`` as ``contact``).

    >>> context_query({"journey_step": "after_call", "contact_id": "C-17", "channel": "phone"})
    [('step', 'after_call'), ('contact', 'C-17'), ('channel', 'phone')]
    """
    inverse = {v: k for k, v in ALIASES.items()}
    return [(inverse.get(k, k), str(v)) for k, v in context.items()]


def _url(path: str, params: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(list(params))}" if params else path


def _form_value(value: str) -> Any:
    v = value.strip()
    if v.isdigit() and len(v) < 4:
        return int(v)
    return v


def _shown_code(kind: str, field_name: str, value: Any) -> str | None:
    """A stored answer as the value of a radio button (for filling in a step again)."""
    if value is None:
        return None
    if kind == "kano" and not field_name.endswith("_importance"):
        from kundfokus.kano.answers import answer_code

        try:
            code = answer_code(value)
        except ValueError:
            return None
        return None if code is None else str(code)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return str(int(number)) if number.is_integer() else None


# --------------------------------------------------------------------------------------------------
# What a step shows


@dataclass
class Option:
    value: str
    label: str
    sr: str = ""  # extra text for screen readers (the meaning of a scale's end points)
    checked: bool = False


@dataclass
class Group:
    """One question: a radio group (``list`` of texts or a numeric ``scale``)."""

    name: str
    legend: str
    style: str  # "list" or "scale"
    options: list[Option]
    ends: tuple[str, str] | None = None
    error: str | None = None


@dataclass
class Block:
    """Questions under one heading (a Kano feature, an ODI outcome)."""

    heading: str | None
    groups: list[Group] = field(default_factory=list)


@dataclass
class Step:
    heading: str | None
    intro: str | None
    blocks: list[Block]
    fields: list[str]
    comment: dict | None = None  # {"name", "label", "value", "error"}

    def errors(self) -> list[tuple[str, str, str]]:
        """``(anchor, question, message)`` of every question on this step with an error."""
        out = [(f"q-{g.name}", g.legend, g.error) for b in self.blocks for g in b.groups if g.error]
        if self.comment and self.comment.get("error"):
            out.append((self.comment["name"], self.comment["label"], self.comment["error"]))
        return out


def steps_of(survey: Survey) -> list[list[dict]]:
    """The items of each step: one Kano feature, one ODI job (its outcomes), or the one question."""
    if survey.kind == "kano":
        return [[it] for it in survey.items]
    if survey.kind == "odi":
        jobs: dict[str, list[dict]] = {}
        for it in survey.items:
            jobs.setdefault(it["job"], []).append(it)
        return list(jobs.values())
    return [list(survey.items)]


def _pick(text: Mapping[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()), "")


def _scale_options(lo: int, hi: int, ends: tuple[str, str]) -> list[Option]:
    out = []
    for v in range(lo, hi + 1):
        sr = ""
        if v == lo:
            sr = ends[0]
        elif v == hi:
            sr = ends[1]
        out.append(Option(str(v), str(v), sr))
    return out


def score_ends(kind: str, lang: str) -> tuple[str, str]:
    t = translator(lang)
    return t(f"respond_{kind}_lo"), t(f"respond_{kind}_hi")


def build_step(
    survey: Survey,
    index: int,
    lang: str,
    answers: Mapping[str, Any],
    errors: Mapping[str, str],
) -> Step:
    """The questions of step ``index`` in ``lang``, with ``answers`` ticked and ``errors`` shown."""
    t = translator(lang)
    items = steps_of(survey)[index]
    blocks: list[Block] = []
    names: list[str] = []
    heading = intro = None
    comment = None
    if survey.kind == "kano":
        from kundfokus.kano.questionnaire import IMPORTANCE_ENDS, build_questionnaire

        item = items[0]
        importance = survey.options.get("importance")
        scale = 5 if importance == "1-5" else 9
        q = build_questionnaire(
            [{"id": item["id"], **{f"label_{lg}": v for lg, v in item["label"].items()}}],
            lang=lang if lang in item["label"] else next(iter(item["label"])),
            wording=survey.options.get("wording") or "classic",
            importance=bool(importance),
            importance_scale=scale,
        )
        qi = q.items[0]
        heading = t("respond_feature", k=index + 1, label=qi.label)
        intro = t("respond_kano_intro")
        block = Block(None)
        for question in qi.questions:
            if question.kind == "importance":
                ends = IMPORTANCE_ENDS[q.lang]
                options = _scale_options(1, scale, ends)
                group = Group(question.column, question.text, "scale", options, ends)
            else:
                options = [Option(str(i), text) for i, text in enumerate(question.options, 1)]
                group = Group(question.column, question.text, "list", options)
            block.groups.append(group)
        blocks.append(block)
    elif survey.kind == "odi":
        first = items[0]
        heading = _pick(first.get("job_statement"), lang) or None
        intro = t("respond_odi_intro")
        for it in items:
            block = Block(_pick(it["statement"], lang))
            for part in ("importance", "satisfaction"):
                ends = (t(f"respond_odi_{part}_lo"), t(f"respond_odi_{part}_hi"))
                block.groups.append(
                    Group(
                        f"{it['id']}_{part}",
                        t(f"respond_odi_{part}"),
                        "scale",
                        _scale_options(1, 5, ends),
                        ends,
                    )
                )
            blocks.append(block)
    else:
        item = items[0]
        lo, hi = survey.options.get("scale") or SCALES[survey.kind]
        ends = score_ends(survey.kind, lang)
        blocks.append(
            Block(
                None,
                [
                    Group(
                        "score",
                        _pick(item.get("question"), lang),
                        "scale",
                        _scale_options(lo, hi, ends),
                        ends,
                    )
                ],
            )
        )
        if item.get("follow_up"):
            comment = {
                "name": "comment",
                "label": _pick(item["follow_up"], lang),
                "value": str(answers.get("comment") or ""),
                "error": errors.get("comment"),
            }
            names.append("comment")
    for block in blocks:
        for group in block.groups:
            names.append(group.name)
            shown = _shown_code(survey.kind, group.name, answers.get(group.name))
            for opt in group.options:
                opt.checked = opt.value == shown
            group.error = errors.get(group.name)
    return Step(heading, intro, blocks, names, comment)


# --------------------------------------------------------------------------------------------------
# Pages


def _title(survey: Survey, lang: str) -> str:
    return _pick(survey.title, lang)


def _switch_url(path: str, lang: str, extra: Sequence[tuple[str, str]] = ()) -> str:
    return _url(path, [("lang", lang), *extra])


def _page(
    request: Request,
    template: str,
    lang: str,
    context: dict[str, Any],
    *,
    survey: Survey | None = None,
    status_code: int = 200,
    switch: str | None = None,
):
    langs = list(survey.languages) if survey is not None else list(LANGS)
    other = next((lg for lg in langs if lg != lang), None)
    ctx = {
        "survey": survey,
        "title": _title(survey, lang) if survey is not None else "",
        "switch_lang": other,
        "switch_url": switch if other else None,
        **context,
    }
    return render(request, template, ctx, lang=lang, status_code=status_code)


def _missing(request: Request, *, embed: bool = False):
    lang = respondent_lang(request, None)
    other = "en" if lang == "sv" else "sv"
    return render(
        request,
        "respond/missing.html",
        {"other": other, "t_other": translator(other), "embed": embed},
        lang=lang,
        status_code=404,
    )


def _closed(request: Request, survey: Survey, lang: str, *, embed: bool, status_code: int = 200):
    base = f"/s/{survey.public_id}" + ("/embed" if embed else "")
    other = next((lg for lg in survey.languages if lg != lang), None)
    return _page(
        request,
        "respond/closed.html",
        lang,
        {"embed": embed},
        survey=survey,
        status_code=status_code,
        switch=_switch_url(base, other) if other else None,
    )


def _form(
    request: Request,
    survey: Survey,
    lang: str,
    *,
    client_token: str,
    context: Mapping[str, Any],
    index: int,
    answers: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
    general: str | None = None,
    embed: bool = False,
    status_code: int = 200,
):
    errors = dict(errors or {})
    n = len(steps_of(survey))
    index = max(0, min(index, n - 1))
    step = build_step(survey, index, lang, answers, errors)
    sig = form_token(request.app.state.secret, survey.public_id, client_token)
    base = f"/s/{survey.public_id}" + ("/embed" if embed else "")
    other = next((lg for lg in survey.languages if lg != lang), None)
    extra: list[tuple[str, str]] = []
    if not embed and (index > 0 or answers):
        extra += [("t", f"{client_token}.{sig}"), ("q", str(index))]
    extra += context_query(context)
    full_link = _url(f"/s/{survey.public_id}", [("lang", lang), *context_query(context)])
    return _page(
        request,
        "respond/embed.html" if embed else "respond/survey.html",
        lang,
        {
            "step": step,
            "index": index,
            "n_steps": n,
            "last": index == n - 1,
            "action": base,
            "client_token": client_token,
            "form_token": sig,
            "context": dict(context),
            "ctx_prefix": CTX,
            "general": general,
            "has_errors": bool(errors or general),
            "multi": survey.kind not in SCALES,
            "full_link": full_link,
        },
        survey=survey,
        status_code=status_code,
        switch=_switch_url(base, other, extra) if other else None,
    )


def _thanks_page(request: Request, survey: Survey, lang: str, *, embed: bool):
    base = f"/s/{survey.public_id}" + ("/embed" if embed else "")
    other = next((lg for lg in survey.languages if lg != lang), None)
    return _page(
        request,
        "respond/thanks.html",
        lang,
        {"embed": embed},
        survey=survey,
        switch=_switch_url(f"{base}/thanks", other) if other else None,
    )


def _resume(request: Request, survey: Survey) -> str | None:
    """The client token of ``?t=TOKEN.SIGNATURE`` when the signature is right."""
    raw = request.query_params.get("t") or ""
    token, _, sig = raw.rpartition(".")
    if token and _token_ok(request, survey, token, sig):
        return token
    return None


def _new_token() -> str:
    return "r" + secrets.token_urlsafe(18)  # a letter first: no CSV cell starts like a formula


def _get_page(request: Request, db: Session, public_id: str, *, embed: bool):
    survey = find_survey(db, public_id)
    if survey is None:
        return _missing(request, embed=embed)
    lang = respondent_lang(request, survey)
    if survey.status != "open":
        return _closed(request, survey, lang, embed=embed)
    context = context_from(survey, request.query_params.multi_items())
    token = None if embed else _resume(request, survey)
    answers: Mapping[str, Any] = {}
    index = 0
    if token is not None:
        row = get_response(db, survey, token)
        if row is not None and row.complete:
            return _thanks_page(request, survey, lang, embed=embed)
        if row is not None:
            answers = row.answers
        try:
            index = int(request.query_params.get("q") or 0)
        except ValueError:
            index = 0
    elif survey.kind in SCALES and request.query_params.get("score"):
        # an e-mail with one link per score: the page opens with it chosen (stored on Send)
        answers = {"score": request.query_params["score"]}
    return _form(
        request,
        survey,
        lang,
        client_token=token or _new_token(),
        context=context,
        index=index,
        answers=answers,
        embed=embed,
    )


def _error_texts(
    exc: AnswerError, lang: str, step_fields: Sequence[str]
) -> tuple[dict[str, str], str | None]:
    """The message next to the field (when it is on this step) and the one above the form."""
    t = translator(lang)
    name = str(exc.field or "")
    name = name[len("answers.") :] if name.startswith("answers.") else name
    if name == "answers":
        return {}, t("respond_error_none")
    if exc.value is None or exc.value == "":
        text = t("respond_error_required")
    else:
        text = t("respond_error_value", value=f"“{exc.value}”")
    if name in step_fields:
        return {name: text}, None
    return {}, t("respond_error_other", field=name)


def _post(
    request: Request, db: Session, public_id: str, form: list[tuple[str, str]], *, embed: bool
):
    survey = find_survey(db, public_id)
    if survey is None:
        return _missing(request, embed=embed)
    values = dict(form)
    lang = respondent_lang(request, survey, values.get("lang"))
    if survey.status != "open":
        return _closed(request, survey, lang, embed=embed, status_code=410)
    token = values.get("client_token", "")
    if not _token_ok(request, survey, token, values.get("form_token", "")):
        return _page(
            request,
            "respond/forbidden.html",
            lang,
            {"embed": embed, "restart": f"/s/{survey.public_id}" + ("/embed" if embed else "")},
            survey=survey,
            status_code=403,
        )
    fields = set(answer_fields(survey))
    answers = {k: _form_value(v) for k, v in form if k in fields}
    context = context_from(survey, form, prefix=CTX)
    n = len(steps_of(survey))
    try:
        index = max(0, min(int(values.get("q") or 0), n - 1))
    except ValueError:
        index = 0
    back = values.get("nav") == "back" and not embed and index > 0
    last = index == n - 1 and not back
    base = f"/s/{survey.public_id}" + ("/embed" if embed else "")
    existing = get_response(db, survey, token)
    if existing is not None and existing.complete:
        return RedirectResponse(_url(f"{base}/thanks", [("lang", lang)]), status_code=303)
    redact = bool(request.app.state.settings.redact)
    try:
        done = submit(
            db,
            survey,
            client_token=token,
            lang=lang,
            answers=answers,
            context=context,
            complete=last,
            redact=redact,
        )
    except AnswerError as exc:
        db.rollback()
        if back:  # going back keeps what was valid before; nothing of this step is stored
            stored = get_response(db, survey, token)
            return _step_redirect(survey, lang, token, index - 1, context, request, stored)
        stored = get_response(db, survey, token)
        shown = {**(stored.answers if stored is not None else {}), **answers}
        step_fields = build_step(survey, index, lang, {}, {}).fields
        errors, general = _error_texts(exc, lang, step_fields)
        if errors or general:
            general = general or translator(lang)("respond_error_summary")
        return _form(
            request,
            survey,
            lang,
            client_token=token,
            context=context,
            index=index,
            answers=shown,
            errors=errors,
            general=general,
            embed=embed,
            status_code=422,
        )
    if last and done.response.complete:
        from kundfokus.services import webhooks

        webhooks.enqueue_for_response(db, survey, done.response)
    db.commit()  # durable before the respondent is told
    if last:
        return RedirectResponse(_url(f"{base}/thanks", [("lang", lang)]), status_code=303)
    return _step_redirect(
        survey, lang, token, index - 1 if back else index + 1, context, request, done.response
    )


def _step_redirect(survey, lang, token, index, context, request, stored) -> RedirectResponse:
    sig = form_token(request.app.state.secret, survey.public_id, token)
    params = [("lang", lang), ("t", f"{token}.{sig}"), ("q", str(max(index, 0)))]
    params += context_query(context)
    return RedirectResponse(_url(f"/s/{survey.public_id}", params), status_code=303)


async def _read_form(request: Request) -> list[tuple[str, str]]:
    form = await request.form()
    return [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


# --------------------------------------------------------------------------------------------------
# Routes


@router.get("/embed.js")
def embed_js() -> Response:
    """The embeddable micro-survey (vanilla JavaScript, cacheable)."""
    return Response(
        EMBED_JS.read_bytes(),
        media_type="application/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/s/{public_id}/definition.json")
def definition(public_id: str, request: Request, db: DB) -> JSONResponse:
    """Public: what the embedded widget needs to ask the survey's question in sv and en."""
    headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60"}
    survey = find_survey(db, public_id)
    if survey is None:
        return JSONResponse({"detail": "no such survey"}, status_code=404, headers=headers)
    return JSONResponse(definition_dict(survey), headers=headers)


def definition_dict(survey: Survey) -> dict[str, Any]:
    """The public definition of a survey (for ``/embed.js``)."""
    keys = {
        "send": "respond_send",
        "optional": "respond_optional",
        "comment": "respond_comment",
        "thanks": "respond_thanks_short",
        "closed": "respond_closed_title",
        "sending": "respond_widget_sending",
        "retrying": "respond_widget_retrying",
        "failed": "respond_widget_failed",
        "error_required": "respond_error_required",
        "error_value": "respond_error_value",
        "error_summary": "respond_error_summary",
        "open_full": "respond_open_full",
    }
    texts = {lg: {name: translator(lg)(key) for name, key in keys.items()} for lg in LANGS}
    out: dict[str, Any] = {
        "public_id": survey.public_id,
        "kind": survey.kind,
        "status": survey.status,
        "languages": list(survey.languages),
        "title": survey.title,
        "page_url": f"/s/{survey.public_id}",
        "submit_url": f"/api/v1/surveys/{survey.public_id}/responses",
        "texts": texts,
    }
    if survey.kind in SCALES:
        item = survey.items[0] if survey.items else {}
        out.update(
            {
                "question": item.get("question"),
                "follow_up": item.get("follow_up") or None,
                "scale": list(survey.options.get("scale") or SCALES[survey.kind]),
                "ends": {lg: list(score_ends(survey.kind, lg)) for lg in LANGS},
            }
        )
    else:
        out["items"] = survey.items
    return out


@router.get("/s/{public_id}")
def survey_page(public_id: str, request: Request, db: DB):
    """The respondent page (one step of a Kano or ODI survey, or the one question)."""
    return _get_page(request, db, public_id, embed=False)


@router.post("/s/{public_id}")
async def survey_post(public_id: str, request: Request, db: DB):
    form = await _read_form(request)
    return await run_in_threadpool(_post, request, db, public_id, form, embed=False)


@router.get("/s/{public_id}/thanks")
def thanks(public_id: str, request: Request, db: DB):
    survey = find_survey(db, public_id)
    if survey is None:
        return _missing(request)
    return _thanks_page(request, survey, respondent_lang(request, survey), embed=False)


@router.get("/s/{public_id}/embed")
def embed_page(public_id: str, request: Request, db: DB):
    """The iframe variant: a compact form without the site's header."""
    return _get_page(request, db, public_id, embed=True)


@router.post("/s/{public_id}/embed")
async def embed_post(public_id: str, request: Request, db: DB):
    form = await _read_form(request)
    return await run_in_threadpool(_post, request, db, public_id, form, embed=True)


@router.get("/s/{public_id}/embed/thanks")
def embed_thanks(public_id: str, request: Request, db: DB):
    survey = find_survey(db, public_id)
    if survey is None:
        return _missing(request, embed=True)
    return _thanks_page(request, survey, respondent_lang(request, survey), embed=True)
