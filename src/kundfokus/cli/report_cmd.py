"""``kundfokus report``: the leadership report as PDF, and its weekly e-mails.

``report pdf`` writes the PDF of a store's dashboard; ``report schedule add|list|remove`` manages
the weekly e-mail schedules; ``report send-due`` sends the schedules that are due (for cron, when no
server runs the e-mail loop); ``report send --to`` sends the report now. The SMTP server comes from
the settings (``KUNDFOKUS_SMTP_HOST`` and the other ``KUNDFOKUS_SMTP_*`` variables).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from kundfokus.cli._common import Format, Lang, emit, wrote
from kundfokus.errors import InputError
from kundfokus.i18n import tr

app = typer.Typer(
    help="The leadership report as PDF and its weekly e-mails. / Ledningsrapporten som PDF och "
    "veckovisa e-postutskick.",
    no_args_is_help=True,
)
schedule_app = typer.Typer(
    help="Weekly e-mail schedules of the report. / Scheman för rapporten via e-post.",
    no_args_is_help=True,
)
app.add_typer(schedule_app, name="schedule")

DB_HELP = "SQLite file or database URL (default: $KUNDFOKUS_DB, else kundfokus.db)."

_H = {
    "created": {
        "en": "schedule {id} created: {to}, every {day} at {hour}:00 UTC ({language})",
        "sv": "schema {id} skapat: {to}, varje {day} klockan {hour}:00 UTC ({language})",
    },
    "none": {"en": "no schedules yet", "sv": "inga scheman än"},
    "removed": {"en": "schedule {id} removed", "sv": "schema {id} borttaget"},
    "missing": {"en": "no schedule with id {id}", "sv": "inget schema med id {id}"},
    "sent": {"en": "schedule {id}: sent to {to}", "sv": "schema {id}: skickat till {to}"},
    "sent_now": {"en": "sent to {to}", "sv": "skickat till {to}"},
    "failed": {"en": "not sent to {to}: {why}", "sv": "inte skickat till {to}: {why}"},
    "nothing": {"en": "no schedule is due", "sv": "inget schema ska skickas nu"},
    "last": {"en": "last sent {when}", "sv": "senast skickat {when}"},
    "never": {"en": "not sent yet", "sv": "inte skickat än"},
    "next": {"en": "next {when}", "sv": "nästa {when}"},
    "inactive": {"en": "paused", "sv": "pausat"},
}


def _db_option() -> Any:
    return typer.Option(None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB", show_envvar=False)


def _filters(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError("a filter is KEY=VALUE, like channel=chat", value=item)
        out[key.strip()] = value.strip()
    return out


def _filter_option() -> Any:
    return typer.Option(
        None,
        "--filter",
        help="A dashboard filter KEY=VALUE (channel, situation, segment, team, ...); repeatable.",
    )


@app.command("pdf")
def pdf(
    out: Path = typer.Option(..., "-o", "--out", help="The PDF file to write."),
    lang: Lang = typer.Option(Lang.sv, "--lang", help="Language of the report."),
    period: str = typer.Option("month", "--period", help="week, month or quarter."),
    by: str | None = typer.Option(None, "--by", help="Scores per group of this context key."),
    filters: list[str] | None = _filter_option(),
    db: str | None = _db_option(),
) -> None:
    """Write the leadership report as a PDF. / Skriv ledningsrapporten som PDF."""
    from kundfokus.io import atomic_path
    from kundfokus.services.report_pdf import report_pdf
    from kundfokus.settings import get_settings
    from kundfokus.store.db import open_store, session_scope

    url = open_store(db, create=False)
    with session_scope(url) as s:
        data = report_pdf(
            s,
            lang=lang.value,
            period=period,
            filters=_filters(filters),
            by=by,
            organisation=get_settings().organisation,
        )
    replaced = out.is_file()
    with atomic_path(out) as tmp:
        Path(tmp).write_bytes(data)
    typer.echo(wrote(out, replaced), err=True)


@schedule_app.command("add")
def schedule_add(
    to: str = typer.Option(..., "--to", help="E-mail addresses, comma-separated: a@x.se,b@y.se"),
    weekday: str = typer.Option("mon", "--weekday", help="mon, tue, wed, thu, fri, sat, sun."),
    hour: int = typer.Option(7, "--hour", min=0, max=23, help="The hour (UTC), 0-23."),
    lang: Lang = typer.Option(Lang.sv, "--lang", help="Language of the report and the e-mail."),
    period: str | None = typer.Option(None, "--period", help="week, month or quarter."),
    filters: list[str] | None = _filter_option(),
    by: str | None = typer.Option(None, "--created-by", help="Who creates it (recorded)."),
    db: str | None = _db_option(),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format: text or json."),
) -> None:
    """Send the report by e-mail every week. / Skicka rapporten via e-post varje vecka."""
    from kundfokus.services import report_mail
    from kundfokus.store.db import open_store, session_scope

    if fmt not in (Format.text, Format.json):
        raise InputError("report schedule add prints text or json", value=fmt.value)
    extra = _filters(filters)
    if period:
        extra["period"] = period
    url = open_store(db)
    with session_scope(url) as s:
        schedule = report_mail.add_schedule(
            s, recipients=to, weekday=weekday, hour=hour, lang=lang.value, filters=extra,
            created_by=by,
        )  # fmt: skip
        s.commit()
        shown = report_mail.schedule_dict(schedule)
    if fmt == Format.json:
        from kundfokus.serialize import to_json

        emit(to_json(shown), None)
        return
    emit(
        tr(_H["created"], lang.value, id=shown["id"], to=", ".join(shown["recipients"]),
           day=report_mail.weekday_label(shown["weekday"], lang.value), hour=f"{shown['hour']:02d}", language=shown["lang"]),
        None,
    )  # fmt: skip


def render_schedules(items: list[dict[str, Any]], lang: str) -> str:
    """One line per schedule: id, recipients, slot, language, filters, last and next send."""
    if not items:
        return tr(_H["none"], lang)
    lines = []
    for s in items:
        filters = ", ".join(f"{k}={v}" for k, v in s["filters"].items())
        last = (
            tr(_H["last"], lang, when=s["last_sent_at"])
            if s["last_sent_at"]
            else tr(_H["never"], lang)
        )
        state = (
            tr(_H["next"], lang, when=s["next_slot"]) if s["active"] else tr(_H["inactive"], lang)
        )
        lines.append(
            f"[{s['id']}] {', '.join(s['recipients'])}: {s['weekday_name']} {s['hour']:02d}:00 UTC"
            f" ({s['lang']}{'; ' + filters if filters else ''}); {last}; {state}"
        )
    return "\n".join(lines)


@schedule_app.command("list")
def schedule_list(
    db: str | None = _db_option(),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format: text or json."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """List the report schedules. / Lista rapportens scheman."""
    from kundfokus.services import report_mail
    from kundfokus.store.db import open_store, session_scope

    url = open_store(db, create=False)
    with session_scope(url) as s:
        items = report_mail.list_schedules(s)
    if fmt == Format.json:
        from kundfokus.serialize import to_json

        emit(to_json(items), None)
    elif fmt == Format.text:
        emit(render_schedules(items, lang.value), None)
    else:
        raise InputError("report schedule list prints text or json", value=fmt.value)


@schedule_app.command("remove")
def schedule_remove(
    schedule_id: int = typer.Argument(..., help="The schedule's id (see report schedule list)."),
    db: str | None = _db_option(),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Remove a report schedule. / Ta bort ett schema."""
    from kundfokus.services import report_mail
    from kundfokus.store.db import open_store, session_scope

    url = open_store(db, create=False)
    with session_scope(url) as s:
        removed = report_mail.remove_schedule(s, schedule_id)
    if not removed:
        raise InputError(tr(_H["missing"], lang.value, id=schedule_id))
    emit(tr(_H["removed"], lang.value, id=schedule_id), None)


def _report(results: list[Any], lang: str) -> bool:
    ok = True
    for r in results:
        if r.sent:
            typer.echo(tr(_H["sent"], lang, id=r.schedule_id, to=", ".join(r.sent)))
        for addr, why in r.failed.items():
            ok = False
            typer.echo(tr(_H["failed"], lang, to=addr, why=why), err=True)
    return ok


@app.command("send-due")
def send_due(
    db: str | None = _db_option(),
    now: str | None = typer.Option(
        None, "--now", help="Act as if it were this time (ISO, UTC), e.g. 2026-12-07T08:00."
    ),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of what is printed."),
) -> None:
    """Send the schedules that are due (for cron). / Skicka scheman som ska skickas nu."""
    from kundfokus.services import report_mail
    from kundfokus.settings import get_settings
    from kundfokus.store.db import open_store, session_scope

    when = None
    if now:
        try:
            when = datetime.fromisoformat(now)
        except ValueError:
            raise InputError("--now is a date and time like 2026-12-07T08:00", value=now) from None
    url = open_store(db, create=False)
    with session_scope(url) as s:
        results = report_mail.send_due(s, when, settings=get_settings())
    if not results:
        typer.echo(tr(_H["nothing"], lang.value))
    if not _report(results, lang.value):
        raise typer.Exit(1)


@app.command("send")
def send(
    to: str = typer.Option(..., "--to", help="E-mail addresses, comma-separated."),
    lang: Lang = typer.Option(Lang.sv, "--lang", help="Language of the report and the e-mail."),
    period: str | None = typer.Option(None, "--period", help="week, month or quarter."),
    filters: list[str] | None = _filter_option(),
    db: str | None = _db_option(),
) -> None:
    """Send the report by e-mail now. / Skicka rapporten via e-post nu."""
    from kundfokus.services import report_mail
    from kundfokus.settings import get_settings
    from kundfokus.store.db import open_store, session_scope

    extra = _filters(filters)
    if period:
        extra["period"] = period
    url = open_store(db, create=False)
    with session_scope(url) as s:
        result = report_mail.send_report(
            s, to, lang=lang.value, filters=extra, settings=get_settings()
        )
    if result.error and not result.sent:
        raise report_mail.MailError(result.error)
    if result.sent:
        typer.echo(tr(_H["sent_now"], lang.value, to=", ".join(result.sent)))
    for addr, why in result.failed.items():
        typer.echo(tr(_H["failed"], lang.value, to=addr, why=why), err=True)
    if result.failed:
        raise typer.Exit(1)
