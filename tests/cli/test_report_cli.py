"""``kundfokus report pdf|schedule|send-due``: a PDF from a store, schedules added, listed and
removed, bad input exits 2 naming the value, and an unreachable SMTP server exits 1 naming it."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.store.db import open_store

KUNDFOKUS = Path(sys.executable).with_name("kundfokus")


def _run(*args, env=None):
    return CliRunner().invoke(app, list(args), env=env)


def test_report_pdf_writes_a_pdf_in_either_language(tmp_path):
    db = str(tmp_path / "kf.db")
    open_store(db)
    for lang, heading in (("sv", "Rapport för ledningen"), ("en", "Leadership report")):
        out = tmp_path / f"r-{lang}.pdf"
        res = _run("report", "pdf", "--db", db, "-o", str(out), "--lang", lang,
                   "--filter", "channel=chat")  # fmt: skip
        assert res.exit_code == 0, res.output
        data = out.read_bytes()
        assert data.startswith(b"%PDF-")
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert heading in text and "channel = chat" in text


def test_schedule_add_list_remove(tmp_path):
    db = str(tmp_path / "kf.db")
    res = _run("report", "schedule", "add", "--db", db, "--to", "a@x.se,b@y.se",
               "--weekday", "mon", "--hour", "7", "--lang", "sv")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "schema 1 skapat: a@x.se, b@y.se, varje måndag klockan 07:00 UTC" in res.output
    res = _run("report", "schedule", "add", "--db", db, "--to", "c@x.se", "--weekday", "fri",
               "--hour", "16", "--lang", "en", "--filter", "channel=chat", "--format", "json")  # fmt: skip
    assert res.exit_code == 0, res.output
    made = json.loads(res.output)
    assert made["weekday"] == 4 and made["filters"] == {"channel": "chat"} and made["lang"] == "en"
    res = _run("report", "schedule", "list", "--db", db, "--format", "json")
    listed = json.loads(res.output)
    assert [s["id"] for s in listed] == [1, 2]
    assert listed[0]["recipients"] == ["a@x.se", "b@y.se"] and listed[0]["hour"] == 7
    text = _run("report", "schedule", "list", "--db", db).output
    assert "[2] c@x.se: fri 16:00 UTC (en; channel=chat); not sent yet" in text
    assert _run("report", "schedule", "remove", "1", "--db", db).exit_code == 0
    assert [s["id"] for s in json.loads(_run("report", "schedule", "list", "--db", db,
                                             "--format", "json").output)] == [2]  # fmt: skip


def test_bad_input_exits_2_naming_it(tmp_path):
    db = str(tmp_path / "kf.db")
    open_store(db)
    r = subprocess.run([str(KUNDFOKUS), "report", "schedule", "add", "--db", db, "--to", "a@x.se",
                        "--weekday", "someday"], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 2 and "someday" in r.stderr and "unknown weekday" in r.stderr
    r = subprocess.run([str(KUNDFOKUS), "report", "schedule", "add", "--db", db, "--to", "nobody"],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 2 and "nobody" in r.stderr
    r = subprocess.run([str(KUNDFOKUS), "report", "schedule", "remove", "9", "--db", db],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 2 and "no schedule with id 9" in r.stderr


def test_send_due_names_an_unreachable_server_and_exits_1(tmp_path):
    db = str(tmp_path / "kf.db")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert _run("report", "send-due", "--db", db).exit_code != 0  # no store yet: refused
    open_store(db)
    res = _run("report", "send-due", "--db", db)
    assert res.exit_code == 0 and "no schedule is due" in res.output
    _run("report", "schedule", "add", "--db", db, "--to", "a@x.se", "--weekday", "0", "--hour", "0")
    env = {"KUNDFOKUS_SMTP_HOST": "127.0.0.1", "KUNDFOKUS_SMTP_PORT": str(port),
           "KUNDFOKUS_SMTP_SECURITY": "none"}  # fmt: skip
    res = _run("report", "send-due", "--db", db, env=env)
    assert res.exit_code == 1
    assert f"127.0.0.1:{port}" in res.output and "a@x.se" in res.output
    listed = json.loads(_run("report", "schedule", "list", "--db", db, "--format", "json").output)
    assert listed[0]["last_sent_at"] is None
