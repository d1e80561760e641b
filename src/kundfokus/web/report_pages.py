"""The leadership report as PDF (``GET /api/v1/report.pdf``) and its weekly e-mail schedules
(``/api/v1/report/schedules``, admins).

The PDF takes the dashboard's query (``period``, ``by``, ``lang`` and the filters), so the link on
the dashboard page downloads what the page shows. The figures come from the same cached
dashboard data as the page; the layout from :mod:`kundfokus.services.report_pdf`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kundfokus.services import report_mail
from kundfokus.services.report_pdf import report_pdf
from kundfokus.web import dashboard_pages
from kundfokus.web.api import PROBLEMS
from kundfokus.web.deps import DB, Admin, Viewer

router = APIRouter()


@router.get(
    "/api/v1/report.pdf",
    responses={**PROBLEMS, 200: {"content": {"application/pdf": {}}}},
    tags=["dashboard"],
)
def report_pdf_route(
    request: Request,
    db: DB,
    who: Viewer,
    period: Literal["week", "month", "quarter"] = "month",
    by: Annotated[str | None, Query(max_length=64)] = None,
    lang: Literal["sv", "en"] | None = None,
    channel: Annotated[str | None, Query(max_length=200)] = None,
    situation: Annotated[str | None, Query(max_length=200)] = None,
    segment: Annotated[str | None, Query(max_length=200)] = None,
    team: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The leadership report as a PDF: every panel of the dashboard with its charts and
    sentences. Query as ``/api/v1/dashboard``: ``period``, ``by``, ``lang`` and the filters."""
    language = dashboard_pages._lang(request, who)
    data = dashboard_pages._data(request, db, language)
    settings = request.app.state.settings
    pdf = report_pdf(db, lang=language, data=data, organisation=settings.organisation)
    day = datetime.now(UTC).date().isoformat()
    name = f"{'rapport-ledningen' if language == 'sv' else 'leadership-report'}-{day}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class ScheduleIn(BaseModel):
    """A weekly e-mail of the report."""

    model_config = ConfigDict(extra="forbid")

    recipients: list[str] | str = Field(..., description="E-mail addresses (a list or a@x,b@y)")
    weekday: int | str = Field(0, description="0 (Monday) to 6, or mon, tue, ... sun")
    hour: int = Field(7, ge=0, le=23, description="The hour, UTC")
    lang: Literal["sv", "en"] = "sv"
    filters: dict[str, str] = Field(
        default_factory=dict, description="Dashboard filters (and period, by)"
    )
    active: bool = True


@router.get("/api/v1/report/schedules", responses=PROBLEMS, tags=["report"])
def list_schedules(db: DB, who: Admin) -> Any:
    """Every weekly report schedule, with its next slot and when it was last sent."""
    return report_mail.list_schedules(db)


@router.post("/api/v1/report/schedules", status_code=201, responses=PROBLEMS, tags=["report"])
def create_schedule(body: ScheduleIn, db: DB, who: Admin) -> Any:
    """Schedule the report by e-mail every week (sent by the server when SMTP is set)."""
    schedule = report_mail.add_schedule(
        db,
        recipients=body.recipients,
        weekday=body.weekday,
        hour=body.hour,
        lang=body.lang,
        filters=body.filters,
        active=body.active,
        created_by=who.email,
    )
    db.commit()
    return JSONResponse(report_mail.schedule_dict(schedule), status_code=201)


@router.delete(
    "/api/v1/report/schedules/{schedule_id}",
    status_code=204,
    responses=PROBLEMS,
    tags=["report"],
)
def delete_schedule(
    schedule_id: Annotated[int, Path(ge=1, le=2**31 - 1)], db: DB, who: Admin
) -> Response:
    """Stop a weekly report schedule."""
    if not report_mail.remove_schedule(db, schedule_id):
        raise HTTPException(status_code=404, detail="no such schedule")
    db.commit()
    return Response(status_code=204)
