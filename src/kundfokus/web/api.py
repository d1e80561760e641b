"""The REST API under ``/api/v1`` (the contract of docs/api.md). Routes parse, call one service
and answer; no SQL and no statistics here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text

from kundfokus.errors import InputError
from kundfokus.services import surveys as survey_service
from kundfokus.web.deps import DB, Admin, Analyst, Reviewer, Viewer

router = APIRouter()
v1 = APIRouter(prefix="/api/v1")


class Health(BaseModel):
    status: str


class Problem(BaseModel):
    detail: Any
    field: str | None = None
    value: Any = None
    message: str | None = None


PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body is not readable JSON"},
    401: {"model": Problem, "description": "Not signed in"},
    403: {"model": Problem, "description": "The role may not do this"},
    404: {"model": Problem, "description": "Not found"},
    422: {"model": Problem, "description": "Not valid: names the field and the value"},
}


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer"}},
    tags=["health"],
)
def healthz(db: DB) -> Any:
    """200 ``{"status": "ok"}`` only when the database answers."""
    try:
        db.execute(text("SELECT 1"))
    except Exception:  # any database failure means not healthy
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return {"status": "ok"}


# --------------------------------------------------------------------------------------------------
# Surveys


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="kano, odi, nps, csat or ces")
    title: str | dict[str, str]
    languages: list[str] = Field(default_factory=lambda: ["sv", "en"])
    items: list[dict[str, Any]] = Field(default_factory=list)
    importance: str | None = Field(None, description="Kano importance scale: '1-9' or '1-5'")
    wording: str = Field("classic", description="Kano answer wording: classic or short")
    scale: str | list[int] | None = Field(None, description="CSAT/CES scale, like '1-5'")
    follow_up: bool | str | dict[str, str] | None = Field(
        True, description="nps/csat/ces: ask an open follow-up question (true, false or a text)"
    )


class SurveyCreated(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int
    public_id: str
    public_url: str
    embed: dict[str, str]


class SurveyOut(SurveyCreated):
    kind: str
    title: dict[str, str]
    languages: list[str]
    items: list[dict[str, Any]]
    status: str
    created_at: str
    created_by: str | None = None
    n_responses: int | None = None


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _survey_or_404(db: DB, survey_id: str):
    survey = survey_service.get_survey(db, survey_id)
    if survey is None:
        raise_404("no survey with this id", survey_id)
    return survey


def raise_404(message: str, value: Any) -> None:
    from fastapi import HTTPException

    raise HTTPException(status_code=404, detail=f"{message}: {value}")


@v1.post("/surveys", status_code=201, response_model=SurveyCreated, responses=PROBLEMS,
         tags=["surveys"])  # fmt: skip
def create_survey(body: SurveyIn, request: Request, db: DB, who: Analyst) -> Any:
    """Create a survey (analyst or admin). Answers ``{id, public_id, public_url, embed}``."""
    survey = survey_service.create_survey(db, body.model_dump(), created_by=who.email)
    db.commit()
    return survey_service.survey_dict(survey, base_url=_base(request))


@v1.get("/surveys", response_model=list[SurveyOut], responses=PROBLEMS, tags=["surveys"])
def list_surveys(request: Request, db: DB, who: Viewer) -> Any:
    counts = survey_service.response_counts(db)
    return [
        survey_service.survey_dict(s, base_url=_base(request), n_responses=counts.get(s.id, 0))
        for s in survey_service.list_surveys(db)
    ]


@v1.get("/surveys/{survey_id}", response_model=SurveyOut, responses=PROBLEMS, tags=["surveys"])
def get_survey(survey_id: str, request: Request, db: DB, who: Viewer) -> Any:
    survey = _survey_or_404(db, survey_id)
    counts = survey_service.response_counts(db)
    return survey_service.survey_dict(
        survey, base_url=_base(request), n_responses=counts.get(survey.id, 0)
    )


class ResponseIn(BaseModel):
    client_token: str = Field(
        min_length=1, max_length=200, description="Chosen by the client; a retry sends it again"
    )
    lang: str | None = Field(None, description="sv or en")
    answers: dict[str, Any] = Field(description="The CLI's wide column names")
    context: dict[str, Any] | None = Field(
        None, description="journey_step, contact_id, channel, situation, any other key"
    )


class ResponseCreated(BaseModel):
    id: int


@v1.post(
    "/surveys/{survey_id}/responses",
    status_code=201,
    response_model=ResponseCreated,
    responses={
        200: {"model": ResponseCreated, "description": "Seen before: the stored response"},
        400: PROBLEMS[400],
        404: PROBLEMS[404],
        422: PROBLEMS[422],
    },
    tags=["responses"],
)
async def submit_response(survey_id: str, body: ResponseIn, request: Request) -> Any:
    """Public: store one response. 201 when stored; the same client token again answers 200 with
    the same id. Answered only after the response is committed."""
    import anyio.to_thread

    queries = getattr(request.app.state, "submit_queries", None)
    if queries is None:
        from sqlalchemy import bindparam, exists, select

        from kundfokus.store.models import Survey, Webhook

        hooks_on = exists().where(Webhook.active.is_(True)).label("hooks")
        queries = request.app.state.submit_queries = {
            "id": select(Survey, hooks_on).where(Survey.id == bindparam("key")),
            "public_id": select(Survey, hooks_on).where(Survey.public_id == bindparam("key")),
        }

    def store() -> JSONResponse:
        # the whole database part in one worker thread, with its own session (what the ``DB``
        # dependency gives, without its two extra trips through the thread pool)
        db = request.app.state.sessionmaker()
        try:
            # the survey and whether any webhook is active, in one query before the write (on
            # SQLite the write holds the file's one write lock until the commit); most
            # installations have no webhook, and then the webhook query is skipped
            # a plain number within range is a survey id (anything else: a public id; huge or
            # non-ASCII digits must not reach the database as an integer)
            by_id = (
                survey_id.isascii()
                and survey_id.isdigit()
                and len(survey_id) <= 18
                and 0 < int(survey_id) < 2**31
            )
            found = db.execute(
                queries["id" if by_id else "public_id"],
                {"key": int(survey_id) if by_id else survey_id},
            ).first()
            if found is not None:
                survey, hooks = found
            else:  # a number that is a public id, or no such survey (404)
                survey, hooks = _survey_or_404(db, survey_id), True
            done = survey_service.submit(
                db,
                survey,
                client_token=body.client_token,
                lang=body.lang,
                answers=body.answers,
                context=body.context,
                redact=request.app.state.settings.redact,
            )
            if done.created and hooks:
                from kundfokus.services import webhooks

                webhooks.enqueue_for_response(db, survey, done.response)
            db.commit()
            response_id = done.response.id
        except BaseException:
            db.rollback()
            raise
        finally:
            db.close()
        return JSONResponse({"id": response_id}, status_code=201 if done.created else 200)

    # At most 8 submissions at a time in worker threads (the others wait here, not in threads):
    # more threads only fight over the GIL and SQLite's one write lock; measured with
    # benchmarks/survey_load.py, 4-8 cost 10-17% less CPU per response than the 40 of the
    # shared pool, and 8 leave room for PostgreSQL round trips over a real network.
    limiter = getattr(request.app.state, "submit_limiter", None)
    if limiter is None:
        limiter = request.app.state.submit_limiter = anyio.CapacityLimiter(8)
    return await anyio.to_thread.run_sync(store, limiter=limiter)


@v1.get(
    "/surveys/{survey_id}/results",
    responses={**PROBLEMS, 200: {"description": "The CLI's --format json output"}},
    tags=["results"],
)
def survey_results(survey_id: str, request: Request, db: DB, who: Viewer) -> Any:
    """The JSON ``kundfokus kano analyze`` / ``jtbd opportunity`` / ``scores ...`` prints with
    ``--format json`` on the exported answers; the CLI's options as query parameters."""
    survey = _survey_or_404(db, survey_id)
    options = survey_service.parse_options(survey.kind, list(request.query_params.multi_items()))
    try:
        return JSONResponse(survey_service.results(db, survey, options))
    except InputError as exc:
        if getattr(exc, "field", None) is None and exc.column is not None:
            exc.field = exc.column  # type: ignore[attr-defined]
        raise


def _export_name(survey, suffix: str) -> str:
    return f'attachment; filename="survey-{survey.id}-responses.{suffix}"'


@v1.get(
    "/surveys/{survey_id}/responses.csv",
    responses={**PROBLEMS, 200: {"content": {"text/csv": {}}}},
    response_class=Response,
    tags=["responses"],
)
def responses_csv(survey_id: str, db: DB, who: Analyst, partial: bool = False) -> Response:
    """One row per response: id, client_token, submitted_at, lang, complete, context keys, then
    the answer columns (the layout the CLI reads)."""
    survey = _survey_or_404(db, survey_id)
    return Response(
        survey_service.export_csv(db, survey, partial=partial),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": _export_name(survey, "csv")},
    )


@v1.get(
    "/surveys/{survey_id}/responses.parquet",
    responses={**PROBLEMS, 200: {"content": {"application/vnd.apache.parquet": {}}}},
    response_class=Response,
    tags=["responses"],
)
def responses_parquet(survey_id: str, db: DB, who: Analyst, partial: bool = False) -> Response:
    survey = _survey_or_404(db, survey_id)
    return Response(
        survey_service.export_parquet(db, survey, partial=partial),
        media_type="application/vnd.apache.parquet",
        headers={"content-disposition": _export_name(survey, "parquet")},
    )


# --------------------------------------------------------------------------------------------------
# Contacts and review


class ContactsIn(BaseModel):
    contacts: list[dict[str, Any]] = Field(
        description="Rows with id, customer_id, timestamp, channel, text (and any other keys)"
    )
    source: str = Field("api", max_length=500)


class ImportOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    batch_id: int
    n_rows: int


@v1.post("/contacts", status_code=201, response_model=ImportOut, responses=PROBLEMS,
         tags=["contacts"])  # fmt: skip
def import_contacts(body: ContactsIn, request: Request, db: DB, who: Analyst) -> Any:
    """Import a batch of contacts, all or nothing, redacted before they are stored."""
    import pandas as pd

    from kundfokus.services.contacts_import import import_contacts as run_import

    if not body.contacts:
        raise InputError("no contacts in the batch", column="contacts", value=[])
    frame = pd.DataFrame.from_records(body.contacts)
    result = run_import(
        db,
        frame,
        source=body.source,
        redact=request.app.state.settings.redact,
        imported_by=who.email,
    )
    db.commit()
    from kundfokus.serialize import json_safe

    return json_safe(result.to_dict())


@v1.get("/contacts/{contact_id}", responses=PROBLEMS, tags=["contacts"])
def get_contact(contact_id: str, db: DB, who: Reviewer, lang: str = "en") -> Any:
    """One contact: redacted text, inferences per axis, labels and correction history."""
    from kundfokus.services.review import contact_detail

    try:
        return contact_detail(db, contact_id, lang=lang if lang in ("sv", "en") else "en")
    except InputError as exc:
        raise_404(exc.message, contact_id)


def _lang(lang: str) -> str:
    return lang if lang in ("sv", "en") else "en"


@v1.get("/contacts", responses=PROBLEMS, tags=["contacts"])
def search_contacts(
    db: DB,
    who: Reviewer,
    q: Annotated[str | None, Query(max_length=200)] = None,
    channel: str | None = None,
    language: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Any:
    """Search contacts (reviewer and up): text or id containing ``q`` (case-insensitive), with
    optional channel and language; each with ``id, timestamp, channel, language, text``
    (snippet), ``labels`` and ``guesses`` per axis."""
    from kundfokus.serialize import json_safe
    from kundfokus.services.review import QueueFilters
    from kundfokus.services.review import search_contacts as search

    filters = QueueFilters(channel=channel, language=language)
    return json_safe(search(db, q, limit=limit, filters=filters))


@v1.get("/review/queue", responses=PROBLEMS, tags=["review"])
def review_queue(
    db: DB,
    who: Reviewer,
    axis: str = "need",
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    lang: str = "en",
    channel: str | None = None,
    language: str | None = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    disagree: bool = False,
    q: Annotated[str | None, Query(max_length=200)] = None,
    suspected: bool = False,
) -> Any:
    """The contacts to review next, most instructive first, each with why it is there; overlap
    contacts another reviewer labelled come first for a second look; ``suspected=true`` (leads:
    analyst and admin) puts labels that may be wrong first."""
    from fastapi import HTTPException

    from kundfokus.serialize import json_safe, records
    from kundfokus.services.review import QueueFilters, is_lead
    from kundfokus.services.review import review_queue as queue

    if suspected and not is_lead(who.role):
        raise HTTPException(status_code=403, detail="suspected mislabels are for leads (analyst)")
    filters = QueueFilters(
        channel=channel,
        language=language,
        min_confidence=min_confidence,
        max_confidence=max_confidence,
        disagree=disagree,
        search=q,
        suspected=suspected,
    )
    frame = queue(db, axis, limit=limit, lang=_lang(lang), filters=filters, reviewer=who.email)
    return json_safe(records(frame))


class CorrectionIn(BaseModel):
    axis: str
    label: str = Field(min_length=1, max_length=200)
    reason: str | None = Field(None, max_length=2000)


class LabelProblem(Problem):
    suggestions: list[str] = Field(default_factory=list)


def unknown_label_response(exc: Any) -> JSONResponse:
    """422 for a label the taxonomy does not have, naming the close labels."""
    return JSONResponse(
        {
            "detail": [{"loc": ["body", "label"], "msg": exc.message, "type": "value_error",
                        "input": exc.value}],
            "field": "label",
            "value": exc.value,
            "message": str(exc),
            "suggestions": list(exc.suggestions),
        },
        status_code=422,
    )  # fmt: skip


LABEL_PROBLEMS = {**PROBLEMS, 422: {"model": LabelProblem, "description":
                  "Not valid; an unknown label names close labels in suggestions"}}  # fmt: skip


@v1.post("/contacts/{contact_id}/corrections", status_code=201, responses=LABEL_PROBLEMS,
         tags=["review"])  # fmt: skip
def correct_contact(contact_id: str, body: CorrectionIn, db: DB, who: Reviewer) -> Any:
    """Set one axis of one contact (reviewer and up); audited (who, when, before, after). The
    label must be in the axis's taxonomy: an unknown one answers 422 with ``suggestions``."""
    from kundfokus.serialize import json_safe
    from kundfokus.services.review import UnknownLabel, correct
    from kundfokus.store.repositories import get_contact as find

    try:
        find(db, contact_id)
    except InputError as exc:
        raise_404(exc.message, contact_id)
    try:
        result = correct(db, contact_id, body.axis, body.label, by=who.email,
                         reason=body.reason, role=who.role)  # fmt: skip
    except UnknownLabel as exc:
        return unknown_label_response(exc)
    db.commit()
    return json_safe(result.to_dict())


class BulkIn(BaseModel):
    ids: list[str] = Field(min_length=1, max_length=5000)
    axis: str
    label: str = Field(min_length=1, max_length=200)
    reason: str | None = Field(None, max_length=2000)


@v1.post("/review/bulk", status_code=201, responses=LABEL_PROBLEMS, tags=["review"])
def bulk_correct(body: BulkIn, db: DB, who: Reviewer) -> Any:
    """Correct one axis of many contacts to one label, all or nothing: 201 ``{"n"}``."""
    from kundfokus.services.review import UnknownLabel
    from kundfokus.services.review import bulk_correct as bulk

    try:
        n = bulk(db, body.ids, body.axis, body.label, by=who.email, reason=body.reason,
                 role=who.role)  # fmt: skip
    except UnknownLabel as exc:
        db.rollback()
        return unknown_label_response(exc)
    db.commit()
    return {"n": n}


class SettleIn(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    axis: str
    label: str = Field(min_length=1, max_length=200)
    reason: str | None = Field(None, max_length=2000)


@v1.post("/review/settle", status_code=201, responses=LABEL_PROBLEMS, tags=["review"])
def settle(body: SettleIn, db: DB, who: Analyst) -> Any:
    """A lead's decision (analyst and up) on a contact the reviewers disagree on: it becomes the
    label in force and wins over the reviewers' labels."""
    from kundfokus.serialize import json_safe
    from kundfokus.services.agreement import settle as decide
    from kundfokus.services.review import UnknownLabel
    from kundfokus.store.repositories import get_contact as find

    try:
        find(db, body.id)
    except InputError as exc:
        raise_404(exc.message, body.id)
    try:
        result = decide(db, body.id, body.axis, body.label, by=who.email, role=who.role,
                        reason=body.reason)  # fmt: skip
    except UnknownLabel as exc:
        return unknown_label_response(exc)
    db.commit()
    return json_safe(result.to_dict())


@v1.get("/review/agreement", responses=PROBLEMS, tags=["review"])
def review_agreement(db: DB, who: Reviewer, axis: str = "reason") -> Any:
    """Agreement of reviewers on the overlap contacts: ``n_overlap, alpha`` (Krippendorff),
    ``kappa`` (Cohen), ``per_label`` and the ``disagreements`` for a lead to settle."""
    from kundfokus.serialize import json_safe
    from kundfokus.services.agreement import agreement

    return json_safe(agreement(db, axis))


class OverlapIn(BaseModel):
    share: float = Field(ge=0, le=1, description="Share of contacts a second reviewer labels too")


@v1.put("/review/overlap", responses=PROBLEMS, tags=["review"])
def set_overlap(body: OverlapIn, db: DB, who: Admin) -> Any:
    """Set the overlap share (admin): ``{"share", "updated_by"}``."""
    from kundfokus.services.agreement import set_overlap as put

    out = put(db, body.share, by=who.email)
    db.commit()
    return out


class JobCreated(BaseModel):
    job_id: int


@v1.post("/models/{axis}/retrain", status_code=202, response_model=JobCreated,
         responses=PROBLEMS, tags=["review"])  # fmt: skip
def retrain_model(axis: str, db: DB, who: Reviewer) -> Any:
    """Retrain ``axis`` (one axis, or ``need``/``situation``/``all`` for each of their axes) as
    a job (reviewer and up): 202 ``{"job_id"}``; follow it at ``/api/v1/jobs/{job_id}``. The
    quality gate decides whether the new version replaces the current one."""
    from kundfokus.services import jobs
    from kundfokus.store.repositories import resolve_axes

    resolve_axes(axis)  # an unknown axis answers 422 here, not in the job
    job = jobs.enqueue(db, "retrain", {"axis": axis}, created_by=who.email)
    db.commit()
    return JSONResponse({"job_id": job.id}, status_code=202)


# --------------------------------------------------------------------------------------------------
# Jobs, webhooks, who am I


@v1.get("/jobs/{job_id}", responses=PROBLEMS, tags=["jobs"])
def get_job(job_id: Annotated[int, Path(ge=1, le=2**31 - 1)], db: DB, who: Viewer) -> Any:
    from kundfokus.services import jobs

    job = jobs.get(db, job_id)
    if job is None:
        raise_404("no job with this id", job_id)
    return jobs.job_dict(job)


class WebhookIn(BaseModel):
    url: str = Field(min_length=8, max_length=2000)
    survey_id: int | None = Field(None, ge=1, le=2**31 - 1)
    events: list[str] = Field(default_factory=lambda: ["response.created"])


@v1.post("/webhooks", status_code=201, responses=PROBLEMS, tags=["webhooks"])
def create_webhook(body: WebhookIn, db: DB, who: Admin) -> Any:
    """Register an endpoint told about new responses; the signing secret is shown once."""
    from kundfokus.services import webhooks

    hook, secret = webhooks.create(
        db, body.url, survey_id=body.survey_id, events=body.events, created_by=who.email
    )
    db.commit()
    return {**webhooks.webhook_dict(hook), "secret": secret}


@v1.get("/webhooks", responses=PROBLEMS, tags=["webhooks"])
def list_webhooks(db: DB, who: Admin) -> Any:
    from kundfokus.services import webhooks

    return [webhooks.webhook_dict(h) for h in webhooks.list_all(db)]


class Me(BaseModel):
    email: str
    role: str
    via: str


@v1.get("/me", response_model=Me, responses=PROBLEMS, tags=["accounts"])
def me(who: Viewer) -> Any:
    return {"email": who.email, "role": who.role, "via": who.via}


# --------------------------------------------------------------------------------------------------
# Goals


class GoalIn(BaseModel):
    name: str = Field(description="What the goal is, in a few words")
    owner: str = Field(description="Who answers for the goal")
    teams: list[str] = Field(default_factory=list, description="The teams that share it")
    metric: str = Field(description="nps, csat, ces, churn or cpi:<id> (cpi:time_to_resolution)")
    baseline: float = Field(description="Where the metric started")
    target: float = Field(description="Where it should be by the due date")
    due: str = Field(description="The due date, like 2027-06-30")
    parent: int | None = Field(None, ge=1, le=2**31 - 1, description="The goal this one serves")
    better: str | None = Field(None, description="higher or lower (default: from the target)")


class GoalOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int
    name: str
    owner: str
    teams: list[str]
    metric: str
    baseline: float
    target: float
    due: str
    parent: int | None = None
    children: list[int]
    current: dict[str, Any] | None = None
    progress: float | None = None
    progress_low: float | None = None
    progress_high: float | None = None
    on_track: bool | None = None
    status: str
    status_text: str


@v1.get("/goals", response_model=list[GoalOut], responses=PROBLEMS, tags=["goals"])
def list_goals(db: DB, who: Viewer, lang: str = "en") -> Any:
    """Every shared goal with its ``children``, the metric's ``current`` value and interval,
    ``progress`` (``progress_low``/``progress_high``), ``on_track`` (null without data),
    ``status`` and ``status_text`` in ``lang`` (en or sv)."""
    from kundfokus.services import goals

    return goals.list_goals(db, lang=_lang(lang))


@v1.post("/goals", status_code=201, response_model=GoalOut, responses=PROBLEMS, tags=["goals"])
def create_goal(body: GoalIn, db: DB, who: Analyst, lang: str = "en") -> Any:
    """Create a goal (analyst or admin): 201 with the goal as the list shows it; 422 naming the
    field on bad input (unknown metric, parent not found, target equal to the baseline, ...)."""
    from kundfokus.services import goals

    goal = goals.create_goal(db, **body.model_dump(), by=who.email)
    db.commit()
    return goals.get_goal(db, goal.id, lang=_lang(lang))


@v1.get("/goals/{goal_id}", response_model=GoalOut, responses=PROBLEMS, tags=["goals"])
def get_goal(
    goal_id: Annotated[int, Path(ge=1, le=2**31 - 1)], db: DB, who: Viewer, lang: str = "en"
) -> Any:
    from kundfokus.services import goals

    goal = goals.get_goal(db, goal_id, lang=_lang(lang))
    if goal is None:
        raise_404("no goal with this id", goal_id)
    return goal


router.include_router(v1)
