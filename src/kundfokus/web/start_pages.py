"""The guided start: the page ``/start`` (the questions, the plan with one reason per choice, what
was set up) and its API (``POST /api/v1/start/plan``, ``POST /api/v1/start/apply``).

The plan and the setting up are :mod:`kundfokus.services.guided_start`'s; this module parses the
form, calls it and renders. The overview links here (``start_offer`` in the templates) while the
store holds no surveys, contacts or journey events.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from kundfokus.errors import InputError
from kundfokus.services import guided_start as service
from kundfokus.services.accounts import Principal
from kundfokus.web.api import PROBLEMS
from kundfokus.web.deps import DB, Analyst, page_lang
from kundfokus.web.render import render, templates

router = APIRouter()

_ERROR_KEYS = {
    "challenge": "start_error_challenge",
    "data": "start_error_data",
    "features": "start_error_features",
    "outcomes": "start_error_outcomes",
}


def start_offer(request: Request, user: Principal | None) -> bool:
    """Whether the overview shows the prominent "Get started" link: an analyst or admin on a
    store without surveys, contacts or journey events."""
    if user is None or not user.may("analyst"):
        return False
    session = request.app.state.sessionmaker()
    try:
        return service.store_is_fresh(session)
    finally:
        session.close()


templates.env.globals["start_offer"] = start_offer


def _lines(values: list[Any]) -> list[str]:
    """The non-blank lines of a textarea (or of several hidden fields of the same name)."""
    return [
        line.strip()
        for value in values
        if isinstance(value, str)
        for line in value.splitlines()
        if line.strip()
    ]


def _answers(form: Any) -> dict[str, Any]:
    challenge = form.get("challenge")
    return {
        "challenge": challenge if isinstance(challenge, str) else "",
        "data": [d for d in form.getlist("data") if isinstance(d, str)],
        "features": _lines(form.getlist("features")),
        "outcomes": _lines(form.getlist("outcomes")),
    }


def _page(
    request: Request,
    db,
    who: Principal,
    values: dict[str, Any],
    *,
    plan: service.Plan | None = None,
    demo: bool = False,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
):
    return render(
        request,
        "start/page.html",
        {
            "v": values,
            "plan": plan,
            "demo": demo,
            "errors": errors or {},
            "challenges": service.CHALLENGES,
            "data_kinds": service.DATA_KINDS,
            "fresh": service.store_is_fresh(db),
        },
        principal=who,
        status_code=status_code,
    )


def _error(exc: InputError) -> dict[str, str]:
    field = exc.column if exc.column in _ERROR_KEYS else "challenge"
    return {field: _ERROR_KEYS[field], "row": str(exc.row or 1)}


@router.get("/start", include_in_schema=False)
def start_page(request: Request, db: DB, who: Analyst):
    values = {
        "challenge": "",
        "data": sorted(service.store_data(db)),
        "features": [],
        "outcomes": [],
    }
    return _page(request, db, who, values)


@router.post("/start", include_in_schema=False)
async def start_plan_page(request: Request, db: DB, who: Analyst):
    form = await request.form()
    values = _answers(form)
    lang = page_lang(request, who)
    demo = form.get("demo") == "1"
    try:
        if demo:
            plan = service.demo_plan(lang)
        else:
            plan = service.plan_start(
                values["challenge"], values["data"], values["features"], values["outcomes"], lang
            )
    except InputError as exc:
        return _page(request, db, who, values, errors=_error(exc), status_code=422)
    return _page(request, db, who, values, plan=plan, demo=demo)


@router.post("/start/apply", include_in_schema=False)
async def start_apply_page(request: Request, db: DB, who: Analyst):
    form = await request.form()
    values = _answers(form)
    lang = page_lang(request, who)
    demo = form.get("demo") == "1"
    try:
        _apply(request, db, who, values, lang, demo)
    except InputError as exc:
        errors = {"demo": "start_error_demo"} if demo else _error(exc)
        return _page(request, db, who, values, errors=errors, status_code=422)
    return RedirectResponse("/start/done", status_code=303)


def _apply(
    request: Request, db, who: Principal, values: dict[str, Any], lang: str, demo: bool
) -> service.Applied:
    if demo:
        db.commit()  # end this request's read transaction: the demo is built in its own
        service.build_demo_here(request.app.state.url, lang=lang)
        plan = service.demo_plan(lang, service.store_data(db))
    else:
        plan = service.plan_start(
            values["challenge"], values["data"], values["features"], values["outcomes"], lang
        )
    applied = service.apply_plan(db, plan, who.email, demo=demo)
    db.commit()
    return applied


@router.get("/start/done", include_in_schema=False)
def start_done_page(request: Request, db: DB, who: Analyst):
    applied = service.last_applied(db)
    if applied is None:
        return RedirectResponse("/start", status_code=303)
    return render(request, "start/done.html", {"applied": applied}, principal=who)


# --------------------------------------------------------------------------------------------------
# API


class StartIn(BaseModel):
    """The answers of the guided start (``demo``: the demo organisation's plan instead)."""

    challenge: Literal["win", "keep", "both"] | None = None
    data: list[Literal["surveys", "contacts", "purchases", "contracts", "journeys"]] = Field(
        default_factory=list, max_length=5
    )
    features: list[str] = Field(default_factory=list, max_length=service.MAX_ITEMS)
    outcomes: list[str] = Field(default_factory=list, max_length=service.MAX_ITEMS)
    lang: Literal["sv", "en"] = "sv"
    demo: bool = False


def _plan(body: StartIn) -> service.Plan:
    if body.demo:
        return service.demo_plan(body.lang)
    if body.challenge is None:
        raise InputError("choose a challenge", column="challenge", hint="win, keep or both")
    return service.plan_start(body.challenge, body.data, body.features, body.outcomes, body.lang)


@router.post("/api/v1/start/plan", responses=PROBLEMS, tags=["start"])
def start_plan_api(body: StartIn, db: DB, who: Analyst) -> dict[str, Any]:
    """The plan for these answers: steps (surveys, imports, CPIs, panels), each with ``what`` it
    sets up and one sentence of ``reason``, and ``notes`` on what it cannot set up yet."""
    return _plan(body).to_dict()


@router.post("/api/v1/start/apply", status_code=201, responses=PROBLEMS, tags=["start"])
def start_apply_api(body: StartIn, request: Request, db: DB, who: Analyst) -> Any:
    """Set the plan up: the surveys (created, or reused when one asks the same), the settings
    ``cpi_definitions``, ``dashboard_panels`` and ``guided_start``; 201 with what was set up.
    With ``demo`` the demo organisation is built into the store first (an empty store only)."""
    if body.demo:
        db.commit()
        service.build_demo_here(request.app.state.url, lang=body.lang)
        plan = service.demo_plan(body.lang, service.store_data(db))
    else:
        plan = _plan(body)
    applied = service.apply_plan(db, plan, who.email, demo=body.demo)
    db.commit()
    return JSONResponse(applied.to_dict(), status_code=201)
