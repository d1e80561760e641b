"""The leadership report by e-mail: weekly schedules, and sending the PDF over SMTP.

A schedule (table ``report_schedules``) says to whom (``recipients``), in which language, on which
``weekday`` (0 = Monday) at which ``hour`` (UTC) and with which dashboard ``filters`` the report
goes out. :func:`due_schedules` finds the active schedules whose slot of this week (Monday 00:00
UTC + weekday + hour) has passed and that were not sent since that slot; :func:`send_due` sends
them, one message per recipient with the PDF attached, and sets ``last_sent_at``.

Sending is at most once per slot, also with several server processes: a schedule is claimed by a
conditional update of ``last_sent_at`` before anything is sent, and put back when no recipient
got the message (so the next check tries again). One failing recipient or schedule never stops
the others; every failure is in the returned :class:`SendResult` (and logged), never swallowed.

The SMTP server comes from the settings (:mod:`kundfokus.settings`: ``smtp_host``, ``smtp_port``,
``smtp_username``, ``smtp_password``, ``smtp_sender``, ``smtp_security``, ``smtp_timeout``).

>>> slot_of_week(0, 7, datetime(2026, 12, 2, 9, 30))  # a Wednesday: this week's Monday 07:00
datetime.datetime(2026, 11, 30, 7, 0)
>>> parse_weekday("ons"), parse_weekday("Friday"), parse_weekday(6)
(2, 4, 6)
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from kundfokus.errors import InputError, KundfokusError
from kundfokus.i18n import check_lang, tr
from kundfokus.settings import Settings, get_settings
from kundfokus.store.models import ReportSchedule

__all__ = [
    "WEEKDAYS",
    "MailError",
    "ReportLoop",
    "SendResult",
    "add_schedule",
    "build_message",
    "deliver",
    "due_schedules",
    "list_schedules",
    "parse_recipients",
    "parse_weekday",
    "remove_schedule",
    "run_due",
    "schedule_dict",
    "send_due",
    "send_report",
    "slot_of_week",
    "weekday_label",
]

log = logging.getLogger("kundfokus.report")

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
}
_SV_SHORT = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
#: Keys of a schedule's ``filters`` that are not filters but dashboard arguments.
ARGUMENTS = ("period", "by")
_EMAIL = re.compile(
    r"^[^@\s,;<>\"\x00]+@([^@\s,;<>\"\x00.]+\.)+[^@\s,;<>\"\x00.]+$|^[^@\s,;<>\"\x00]+@localhost$"
)

_T: dict[str, dict[str, str]] = {
    "subject": {
        "en": "Leadership report, {org}, week {week} ({date})",
        "sv": "Rapport för ledningen, {org}, vecka {week} ({date})",
    },
    "body": {
        "en": "Hello,\n\nattached is this week's leadership report from kundfokus ({org}): scores "
        "with their intervals and trends, needs, contacts, journey indicators, goals and what "
        "customers wrote.\n\nFilters: {filters}.\n\n{why}\n\n-- \nkundfokus\n",
        "sv": "Hej,\n\nbifogat finns veckans rapport för ledningen från kundfokus ({org}): mått "
        "med intervall och trender, behov, kontakter, resemått, mål och vad kunderna skrev.\n\n"
        "Filter: {filters}.\n\n{why}\n\n-- \nkundfokus\n",
    },
    "why_schedule": {
        "en": "You get it every {day} at {hour}:00 UTC (schedule {id}); an administrator can "
        "change or remove the schedule.",
        "sv": "Du får den varje {day} klockan {hour}:00 UTC (schema {id}); en administratör kan "
        "ändra eller ta bort schemat.",
    },
    "why_now": {
        "en": "Someone sent it to you now from kundfokus.",
        "sv": "Någon skickade den till dig nu från kundfokus.",
    },
    "everything": {"en": "none (everything)", "sv": "inga (allt)"},
    "filename": {"en": "leadership-report-{date}.pdf", "sv": "rapport-ledningen-{date}.pdf"},
}


class MailError(KundfokusError):
    """The report could not be sent: the SMTP server is not set, cannot be reached, or refused."""

    def __init__(self, message: str, *, host: str | None = None, port: int | None = None) -> None:
        self.host, self.port, self.message = host, port, message
        where = f"SMTP server {host}:{port}: " if host else ""
        super().__init__(where + message)


@dataclass
class SendResult:
    """What one send did: who got the message, who did not and why."""

    schedule_id: int | None
    recipients: list[str]
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "schedule_id": self.schedule_id,
            "recipients": self.recipients,
            "sent": self.sent,
            "failed": self.failed,
            "error": self.error,
        }


def weekday_label(day: int, lang: str) -> str:
    """The weekday's name in ``lang``.

    >>> weekday_label(0, "sv"), weekday_label(6, "en")
    ('måndag', 'Sunday')
    """
    return _WEEKDAY_NAMES[check_lang(lang)][day]


# --------------------------------------------------------------------------------------------------
# Input


def parse_weekday(value: int | str) -> int:
    """0 (Monday) to 6 (Sunday) from a number or a name: ``mon``, ``monday``, ``mån``, ``måndag``."""
    if isinstance(value, bool):
        raise InputError("a weekday is a name such as mon or a number 0-6", value=value)
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        day = int(value)
        if 0 <= day <= 6:
            return day
        raise InputError("a weekday number is 0 (Monday) to 6 (Sunday)", value=value)
    text = str(value).strip().lower()
    for i in range(7):
        names = (
            WEEKDAYS[i],
            _SV_SHORT[i],
            _WEEKDAY_NAMES["en"][i].lower(),
            _WEEKDAY_NAMES["sv"][i],
        )
        if text in names:
            return i
    raise InputError(
        "unknown weekday", value=value, hint="use mon, tue, wed, thu, fri, sat, sun (or 0-6)"
    )


def parse_recipients(value: str | Iterable[str]) -> list[str]:
    """E-mail addresses from ``"a@x.se, b@y.se"`` or a list (each checked, duplicates dropped)."""
    items = re.split(r"[,;\s]+", value) if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        address = str(item).strip()
        if not address:
            continue
        if not _EMAIL.match(address) or len(address) > 320:
            raise InputError("not an e-mail address", value=address, column="recipients")
        if address.lower() not in {a.lower() for a in out}:
            out.append(address)
    if not out:
        raise InputError("give at least one e-mail address", column="recipients")
    return out


def _check_filters(filters: Mapping[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if value is None or str(value).strip() == "":
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", str(key)):
            raise InputError("a filter name must be a plain identifier", column=str(key))
        if "\x00" in str(value):
            raise InputError("a filter value holds a NUL character", column=str(key))
        out[str(key)] = str(value).strip()[:200]
    if out.get("period", "month") not in ("week", "month", "quarter"):
        raise InputError("unknown period", value=out["period"], hint="use week, month or quarter")
    return out


# --------------------------------------------------------------------------------------------------
# Schedules


def add_schedule(
    session: Session,
    *,
    recipients: str | Iterable[str],
    weekday: int | str = 0,
    hour: int = 7,
    lang: str = "sv",
    filters: Mapping[str, Any] | None = None,
    active: bool = True,
    created_by: str | None = None,
) -> ReportSchedule:
    """A new weekly schedule (``filters`` may also hold ``period`` and ``by``)."""
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise InputError("the hour is a whole number 0-23 (UTC)", value=hour, column="hour")
    schedule = ReportSchedule(
        recipients=parse_recipients(recipients),
        lang=check_lang(lang),
        weekday=parse_weekday(weekday),
        hour=hour,
        filters=_check_filters(filters),
        active=bool(active),
        created_by=created_by,
    )
    session.add(schedule)
    session.flush()
    return schedule


def schedule_dict(schedule: ReportSchedule, now: datetime | None = None) -> dict[str, Any]:
    """A schedule as JSON-safe data, with its next slot."""
    now = _naive(now)
    slot = slot_of_week(schedule.weekday, schedule.hour, now)
    # due now (not sent since this week's slot), later this week, or next week
    upcoming = slot if slot > now or _due(schedule, now) else slot + timedelta(days=7)

    def iso(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat(timespec="seconds") + "Z"

    return {
        "id": schedule.id,
        "recipients": list(schedule.recipients or []),
        "lang": schedule.lang,
        "weekday": schedule.weekday,
        "weekday_name": WEEKDAYS[schedule.weekday],
        "hour": schedule.hour,
        "filters": dict(schedule.filters or {}),
        "active": bool(schedule.active),
        "last_sent_at": iso(schedule.last_sent_at),
        "next_slot": iso(upcoming) if schedule.active else None,
        "created_at": iso(schedule.created_at),
        "created_by": schedule.created_by,
    }


def list_schedules(session: Session, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every schedule, oldest first."""
    rows = session.scalars(select(ReportSchedule).order_by(ReportSchedule.id)).all()
    return [schedule_dict(s, now) for s in rows]


def remove_schedule(session: Session, schedule_id: int) -> bool:
    """Delete a schedule; ``False`` when there is none with that id."""
    schedule = session.get(ReportSchedule, schedule_id)
    if schedule is None:
        return False
    session.delete(schedule)
    session.flush()
    return True


def _naive(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC).replace(tzinfo=None)
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)
    return now


def slot_of_week(weekday: int, hour: int, now: datetime | None = None) -> datetime:
    """The schedule's time in the ISO week of ``now`` (naive UTC)."""
    now = _naive(now)
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return monday + timedelta(days=weekday, hours=hour)


def _sent_since(schedule: ReportSchedule, slot: datetime) -> bool:
    return schedule.last_sent_at is not None and schedule.last_sent_at >= slot


def _due(schedule: ReportSchedule, now: datetime) -> bool:
    slot = slot_of_week(schedule.weekday, schedule.hour, now)
    return bool(schedule.active) and slot <= now and not _sent_since(schedule, slot)


def due_schedules(session: Session, now: datetime | None = None) -> list[ReportSchedule]:
    """The active schedules whose slot of this week has passed and that were not sent since."""
    now = _naive(now)
    rows = session.scalars(
        select(ReportSchedule).where(ReportSchedule.active.is_(True)).order_by(ReportSchedule.id)
    ).all()
    return [s for s in rows if _due(s, now)]


# --------------------------------------------------------------------------------------------------
# Messages and SMTP


def _filters_text(filters: Mapping[str, Any], lang: str) -> str:
    return ", ".join(f"{k} = {v}" for k, v in filters.items()) or tr(_T["everything"], lang)


def build_message(
    pdf: bytes,
    *,
    sender: str,
    to: str,
    lang: str,
    organisation: str | None = None,
    filters: Mapping[str, Any] | None = None,
    schedule: ReportSchedule | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """One e-mail to ``to``: subject and a short body in ``lang``, the PDF attached."""
    lang = check_lang(lang)
    now = _naive(now)
    org = organisation or "kundfokus"
    date = now.date().isoformat()
    if schedule is not None:
        why = tr(
            _T["why_schedule"],
            lang,
            day=_WEEKDAY_NAMES[lang][schedule.weekday],
            hour=f"{schedule.hour:02d}",
            id=schedule.id,
        )
    else:
        why = tr(_T["why_now"], lang)
    msg = EmailMessage()
    msg["Subject"] = tr(_T["subject"], lang, org=org, week=now.isocalendar()[1], date=date)
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or "localhost")
    msg["Content-Language"] = lang
    msg.set_content(
        tr(_T["body"], lang, org=org, filters=_filters_text(filters or {}, lang), why=why)
    )
    msg.add_attachment(
        pdf,
        maintype="application",
        subtype="pdf",
        filename=tr(_T["filename"], lang, date=date),
    )
    return msg


def _server(settings: Settings) -> tuple[str, int]:
    if not settings.smtp_host:
        raise MailError(
            "no SMTP server is set: set KUNDFOKUS_SMTP_HOST (and KUNDFOKUS_SMTP_PORT, "
            "KUNDFOKUS_SMTP_SENDER) to send reports by e-mail"
        )
    default = {"ssl": 465, "starttls": 587, "none": 25}[settings.smtp_security]
    return settings.smtp_host, settings.smtp_port or default


def deliver(messages: list[EmailMessage], settings: Settings) -> dict[str, str | None]:
    """Send ``messages`` over one SMTP connection: per ``To`` address ``None`` (sent) or why not.

    Raises :class:`MailError` (naming host and port) when the server cannot be reached, the TLS
    handshake fails or the sign-in is refused.
    """
    host, port = _server(settings)
    timeout = settings.smtp_timeout
    try:
        if settings.smtp_security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"cannot connect ({type(exc).__name__}: {exc})", host=host, port=port
        ) from exc
    out: dict[str, str | None] = {}
    try:
        try:
            if settings.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                password = (
                    settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                )
                smtp.login(settings.smtp_username, password)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(
                f"the server refused the connection set-up ({type(exc).__name__}: {exc})",
                host=host,
                port=port,
            ) from exc
        for msg in messages:
            to = str(msg["To"])
            try:
                smtp.send_message(msg)
                out[to] = None
            except (OSError, smtplib.SMTPException) as exc:
                out[to] = f"SMTP server {host}:{port} did not take it ({type(exc).__name__}: {exc})"
                # the connection is gone (SMTPException is an OSError too: a refused
                # recipient is not a lost connection)
                lost = not isinstance(exc, smtplib.SMTPException)
                if lost or isinstance(exc, smtplib.SMTPServerDisconnected):
                    for rest in messages[len(out) :]:
                        out[str(rest["To"])] = out[to]
                    break
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return out


def _arguments(filters: Mapping[str, Any]) -> tuple[str, str | None, dict[str, str]]:
    period = str(filters.get("period") or "month")
    by = filters.get("by") or None
    rest = {k: str(v) for k, v in filters.items() if k not in ARGUMENTS}
    return period, by, rest


def send_report(
    session: Session,
    recipients: str | Iterable[str],
    *,
    lang: str = "sv",
    filters: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
    schedule: ReportSchedule | None = None,
    now: datetime | None = None,
) -> SendResult:
    """Build the PDF once and send it to each recipient (one message each)."""
    from kundfokus.services.report_pdf import report_pdf

    settings = settings or get_settings()
    to = parse_recipients(recipients)
    result = SendResult(schedule.id if schedule is not None else None, to)
    try:
        _server(settings)
        period, by, clean = _arguments(filters or {})
        pdf = report_pdf(
            session, lang=lang, period=period, filters=clean, by=by,
            organisation=settings.organisation,
        )  # fmt: skip
        messages = [
            build_message(
                pdf,
                sender=settings.smtp_sender,
                to=addr,
                lang=lang,
                organisation=settings.organisation,
                filters=clean,
                schedule=schedule,
                now=now,
            )
            for addr in to
        ]
        outcome = deliver(messages, settings)
    except KundfokusError as exc:
        result.error = str(exc)
        result.failed = {addr: str(exc) for addr in to}
        return result
    result.sent = [a for a, why in outcome.items() if why is None]
    result.failed = {a: why for a, why in outcome.items() if why is not None}
    return result


def send_due(
    session: Session, now: datetime | None = None, *, settings: Settings | None = None
) -> list[SendResult]:
    """Send every due schedule and record ``last_sent_at``; one result per schedule.

    Each schedule is claimed (committed) before it is sent, so two processes never send the same
    slot twice; when no recipient got it, the claim is undone and the next check tries again.
    """
    now = _naive(now)
    settings = settings or get_settings()
    results = []
    for schedule in due_schedules(session, now):
        slot = slot_of_week(schedule.weekday, schedule.hour, now)
        before = schedule.last_sent_at
        claimed = session.execute(
            update(ReportSchedule)
            .where(
                ReportSchedule.id == schedule.id,
                or_(ReportSchedule.last_sent_at.is_(None), ReportSchedule.last_sent_at < slot),
            )
            .values(last_sent_at=now)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount != 1:  # another process sent it
            continue
        session.refresh(schedule)
        try:
            result = send_report(
                session, schedule.recipients, lang=schedule.lang, filters=schedule.filters or {},
                settings=settings, schedule=schedule, now=now,
            )  # fmt: skip
        except Exception as exc:  # one schedule must not stop the others
            log.exception("report schedule %s failed", schedule.id)
            result = SendResult(schedule.id, list(schedule.recipients or []))
            result.error = f"{type(exc).__name__}: {exc}"
            result.failed = {a: result.error for a in result.recipients}
        if not result.sent:
            schedule.last_sent_at = before
            session.commit()
        results.append(result)
    return results


def run_due(url: str, now: datetime | None = None, *, settings: Settings | None = None):
    """:func:`send_due` in its own session on the store at ``url``; failures are logged."""
    from kundfokus.store.db import session_scope

    with session_scope(url) as session:
        results = send_due(session, now, settings=settings)
    for result in results:
        for addr, why in result.failed.items():
            log.error("report schedule %s to %s not sent: %s", result.schedule_id, addr, why)
        if result.sent:
            log.info("report schedule %s sent to %s", result.schedule_id, ", ".join(result.sent))
    return results


class ReportLoop(threading.Thread):
    """A thread that calls :func:`send_due` every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, url: str, settings: Settings, *, interval: float = 60.0) -> None:
        super().__init__(name="kundfokus-report-mail", daemon=True)
        self.url, self.settings, self.interval = url, settings, interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                run_due(self.url, settings=self.settings)
            except Exception:  # keep the loop alive; the next minute tries again
                log.exception("report e-mail loop")
            self._stop_event.wait(self.interval)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)
