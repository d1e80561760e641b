"""The weekly report e-mail against a real SMTP server (aiosmtpd on a free loopback port): one
message per recipient with the PDF attached, at most once per weekly slot, later slots not due,
one failing recipient or schedule not stopping the others, and an unreachable server named."""

from __future__ import annotations

import email
import socket
import time
from datetime import datetime, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from kundfokus.services import report_mail
from kundfokus.services import surveys as survey_service
from kundfokus.settings import Settings
from kundfokus.store.db import open_store, session_scope
from kundfokus.store.models import ReportSchedule

WEDNESDAY = datetime(2026, 12, 2, 9, 30)  # ISO week 49; its Monday is 2026-11-30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message; refuses the recipients in ``refuse``."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def _settings(port: int, **kw) -> Settings:
    return Settings(
        db="x.db", smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
        smtp_sender="rapport@nordstrom.example", smtp_timeout=5, organisation="Nordström", **kw,
    )  # fmt: skip


@pytest.fixture
def store(tmp_path) -> str:
    url = open_store(str(tmp_path / "kf.db"))
    with session_scope(url) as s:
        survey = survey_service.create_survey(
            s, {"kind": "nps", "title": "NPS", "languages": ["sv"]}, created_by="a"
        )
        for i, score in enumerate([10, 9, 3, 8, 7] * 6):
            survey_service.submit(s, survey, client_token=f"t{i}", answers={"score": score})
    return url


def _attachment(msg) -> bytes:
    parts = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    return parts[0].get_content()


def test_a_due_schedule_sends_one_message_per_recipient_once_a_week(store, smtp):
    inbox, port = smtp
    settings = _settings(port)
    with session_scope(store) as s:
        sid = report_mail.add_schedule(
            s, recipients="anna@x.se, bo@y.se", weekday="mon", hour=7, lang="sv"
        ).id
        later = report_mail.add_schedule(s, recipients="cc@x.se", weekday="fri", hour=7).id
        paused = report_mail.add_schedule(s, recipients="p@x.se", weekday=0, active=False).id
    with session_scope(store) as s:
        due = [x.id for x in report_mail.due_schedules(s, WEDNESDAY)]
        assert due == [sid]  # Friday's slot has not come; a paused schedule is never due
        results = report_mail.send_due(s, WEDNESDAY, settings=settings)
    assert [r.schedule_id for r in results] == [sid]
    assert results[0].ok and sorted(results[0].sent) == ["anna@x.se", "bo@y.se"]
    assert sorted(rcpt[0] for rcpt, _ in inbox.messages) == ["anna@x.se", "bo@y.se"]
    for rcpt, msg in inbox.messages:
        assert msg["To"] == rcpt[0]
        assert msg["From"] == "rapport@nordstrom.example"
        assert msg["Subject"].startswith("Rapport för ledningen, Nordström, vecka 49")
        assert "måndag klockan 07:00 UTC" in msg.get_body(("plain",)).get_content()
        pdf = _attachment(msg)
        assert pdf.startswith(b"%PDF-")
        assert msg.get_payload()[1].get_filename() == "rapport-ledningen-2026-12-02.pdf"
    with session_scope(store) as s:
        assert s.get(ReportSchedule, sid).last_sent_at == WEDNESDAY
        assert s.get(ReportSchedule, later).last_sent_at is None
        assert s.get(ReportSchedule, paused).last_sent_at is None
        # the same week again: nothing is due, nothing is sent
        assert report_mail.send_due(s, WEDNESDAY + timedelta(hours=5), settings=settings) == []
        sunday = datetime(2026, 12, 6, 23, 59)
        assert [x.id for x in report_mail.due_schedules(s, sunday)] == [later]
    assert len(inbox.messages) == 2
    with session_scope(store) as s:
        # Friday 07:00 has passed: the later schedule is due; next Monday the first one again
        friday = datetime(2026, 12, 4, 7, 0)
        assert [x.id for x in report_mail.due_schedules(s, friday)] == [later]
        monday = datetime(2026, 12, 7, 7, 0)
        assert [x.id for x in report_mail.due_schedules(s, monday)] == [sid]
        # a slot missed all week is not sent late in the next week (it waits for its new slot)
        assert report_mail.due_schedules(s, monday - timedelta(minutes=1)) == []


def test_one_refused_recipient_does_not_stop_the_others(store, smtp):
    inbox, port = smtp
    inbox.refuse = {"gone@x.se"}
    with session_scope(store) as s:
        sid = report_mail.add_schedule(
            s, recipients=["gone@x.se", "here@x.se"], weekday=2, hour=8, lang="en"
        ).id
        # a schedule whose report cannot be built (a bad group field) fails on its own
        bad = report_mail.add_schedule(
            s, recipients="b@x.se", weekday=2, hour=8, filters={"by": "not a field!"}
        ).id
    with session_scope(store) as s:
        results = {
            r.schedule_id: r for r in report_mail.send_due(s, WEDNESDAY, settings=_settings(port))
        }
    assert results[sid].sent == ["here@x.se"]
    assert "gone@x.se" in results[sid].failed and "550" in results[sid].failed["gone@x.se"]
    assert not results[bad].sent and "by must be a plain field name" in results[bad].error
    assert [rcpt for rcpt, _ in inbox.messages] == [["here@x.se"]]
    msg = inbox.messages[0][1]
    assert msg["Subject"].startswith("Leadership report, Nordström, week 49")
    assert _attachment(msg).startswith(b"%PDF-")
    with session_scope(store) as s:
        assert s.get(ReportSchedule, sid).last_sent_at == WEDNESDAY  # someone got it
        assert s.get(ReportSchedule, bad).last_sent_at is None  # nobody did: tried again


def test_an_unreachable_server_is_named_and_nothing_is_marked_sent(store):
    port = _free_port()  # nothing listens there
    settings = _settings(port)
    with session_scope(store) as s:
        sid = report_mail.add_schedule(s, recipients="a@x.se,b@x.se", weekday=0, hour=0).id
    with session_scope(store) as s:
        (result,) = report_mail.send_due(s, WEDNESDAY, settings=settings)
    assert not result.ok and result.sent == []
    assert set(result.failed) == {"a@x.se", "b@x.se"}
    assert f"127.0.0.1:{port}" in result.error and "cannot connect" in result.error
    with session_scope(store) as s:
        assert s.get(ReportSchedule, sid).last_sent_at is None
        assert [x.id for x in report_mail.due_schedules(s, WEDNESDAY)] == [sid]
    msg = report_mail.build_message(b"%PDF-1.4", sender="a@x.se", to="b@x.se", lang="en")
    with pytest.raises(report_mail.MailError) as err:
        report_mail.deliver([msg], settings)
    assert err.value.host == "127.0.0.1" and err.value.port == port
    assert f"SMTP server 127.0.0.1:{port}" in str(err.value)


def test_without_an_smtp_host_sending_says_how_to_set_it(store):
    with session_scope(store) as s:
        result = report_mail.send_report(s, "a@x.se", settings=Settings(db="x.db"))
    assert result.sent == [] and "KUNDFOKUS_SMTP_HOST" in result.error


def test_the_loop_sends_what_is_due(store, smtp):
    inbox, port = smtp
    with session_scope(store) as s:
        slot = datetime.now().replace(minute=0, second=0, microsecond=0)
        report_mail.add_schedule(s, recipients="loop@x.se", weekday=0, hour=0)
    loop = report_mail.ReportLoop(store, _settings(port), interval=0.2)
    loop.start()
    try:
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        loop.stop()
    assert not loop.is_alive()
    assert [rcpt for rcpt, _ in inbox.messages] == [["loop@x.se"]]
    with session_scope(store) as s:
        (shown,) = report_mail.list_schedules(s)
    assert shown["last_sent_at"] is not None and slot.date().isoformat() <= shown["last_sent_at"]


@pytest.mark.parametrize("bad", ["", "nobody", "a@b", "a@x.se, b@"])
def test_bad_recipients_and_slots_are_refused(store, bad):
    from kundfokus.errors import InputError

    with session_scope(store) as s:
        with pytest.raises(InputError):
            report_mail.add_schedule(s, recipients=bad)
        with pytest.raises(InputError):
            report_mail.add_schedule(s, recipients="a@x.se", hour=24)
        with pytest.raises(InputError):
            report_mail.add_schedule(s, recipients="a@x.se", weekday="someday")
