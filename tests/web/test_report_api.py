"""The leadership report over HTTP on the real server (SQLite and PostgreSQL): the PDF for viewers
in Swedish and English with the dashboard's filters, the schedules API for admins, and the
server's e-mail loop sending a due schedule to a local SMTP server."""

from __future__ import annotations

import email
import io
import socket
import time
from email import policy
from pathlib import Path

from pypdf import PdfReader

from kundfokus.services import report_mail
from kundfokus.settings import Settings
from kundfokus.store.db import session_scope


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_anonymous_gets_401(live):
    with live.client() as c:
        r = c.get("/api/v1/report.pdf")
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
        assert c.get("/api/v1/report/schedules").status_code == 401


def test_a_viewer_downloads_the_pdf_in_swedish_and_english(live):
    with live.client("viewer") as c:
        sv = c.get("/api/v1/report.pdf", params={"lang": "sv"})
        en = c.get("/api/v1/report.pdf", params={"lang": "en", "period": "week",
                                                 "channel": "chat"})  # fmt: skip
    for r in (sv, en):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF-")
        assert r.headers["content-disposition"].startswith("attachment; filename=")
    assert "rapport-ledningen-" in sv.headers["content-disposition"]
    sv_text, en_text = _text(sv.content), _text(en.content)
    assert sv_text != en_text
    assert "Rapport för ledningen" in sv_text and "Det finns inga data än" in sv_text
    assert "Leadership report" in en_text and "There is no data yet" in en_text
    assert "channel = chat" in en_text and "week by week" in en_text
    assert "Rapport för ledningen" not in en_text


def test_bad_query_values_are_refused(live):
    with live.client("viewer") as c:
        assert c.get("/api/v1/report.pdf", params={"period": "year"}).status_code == 422
        assert c.get("/api/v1/report.pdf", params={"lang": "de"}).status_code == 422


def test_schedules_are_for_admins(live):
    body = {"recipients": ["ledning@example.se", "cx@example.se"], "weekday": "mon", "hour": 7,
            "lang": "sv", "filters": {"channel": "chat"}}  # fmt: skip
    for role in ("viewer", "analyst"):
        with live.client(role) as c:
            assert c.get("/api/v1/report/schedules").status_code == 403
            assert c.post("/api/v1/report/schedules", json=body).status_code == 403
            assert c.delete("/api/v1/report/schedules/1").status_code == 403
    with live.client("admin") as c:
        r = c.post("/api/v1/report/schedules", json=body)
        assert r.status_code == 201, r.text
        made = r.json()
        assert made["recipients"] == body["recipients"] and made["weekday"] == 0
        assert made["filters"] == {"channel": "chat"} and made["last_sent_at"] is None
        assert made["created_by"] == live.emails["admin"]
        listed = c.get("/api/v1/report/schedules").json()
        assert made["id"] in [s["id"] for s in listed]
        bad = c.post("/api/v1/report/schedules", json={**body, "recipients": "not-an-address"})
        assert bad.status_code == 422 and bad.json()["field"] == "recipients"
        assert c.post("/api/v1/report/schedules", json={**body, "hour": 24}).status_code == 422
        assert c.delete(f"/api/v1/report/schedules/{made['id']}").status_code == 204
        assert c.delete(f"/api/v1/report/schedules/{made['id']}").status_code == 404
        assert made["id"] not in [s["id"] for s in c.get("/api/v1/report/schedules").json()]


def _conftest(request):
    here = Path(__file__).with_name("conftest.py").resolve()
    for plugin in request.config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == here:
            return plugin
    raise AssertionError("tests/web/conftest.py is not loaded")


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def test_the_server_sends_a_due_schedule_by_itself(request, tmp_path):
    """With an SMTP host set, the server's loop sends a due schedule when it starts."""
    from aiosmtpd.controller import Controller

    from kundfokus.store.db import open_store
    from kundfokus.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    url = open_store(str(tmp_path / "mail.db"))
    with session_scope(url) as s:  # Monday 00:00 UTC: always passed this week
        report_mail.add_schedule(s, recipients="ledning@example.se", weekday=0, hour=0, lang="en")
    settings = Settings(db=url, secret_key="k", smtp_host="127.0.0.1", smtp_port=port,
                        smtp_security="none", smtp_sender="kf@example.se")  # fmt: skip
    app = create_app(url, settings=settings, start_jobs=True)
    server = _conftest(request).LiveServer(app).start()
    try:
        deadline = time.monotonic() + 90
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        assert app.state.report_mailer is not None and app.state.report_mailer.is_alive()
    finally:
        server.stop()
        controller.stop()
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert msg["To"] == "ledning@example.se" and msg["Subject"].startswith("Leadership report")
    (pdf,) = [p.get_content() for p in msg.iter_attachments()]
    assert pdf.startswith(b"%PDF-")
    assert not app.state.report_mailer.is_alive()  # stopped with the server
    with session_scope(url) as s:
        assert report_mail.list_schedules(s)[0]["last_sent_at"] is not None


def test_without_an_smtp_host_the_server_runs_no_mail_loop(live_sqlite):
    assert live_sqlite.app.state.settings.smtp_host is None
    assert live_sqlite.app.state.report_mailer is None
