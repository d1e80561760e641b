"""`kundfokus redact`: a streaming stdin -> stdout filter."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.cli.redact import redact_stream
from kundfokus.contacts.redaction import Redactor
from kundfokus.errors import InputError

runner = CliRunner()

TEXT = (
    "Hej! Mitt personnummer är 19811218-9876, ring 070-123 45 67\n"
    "order 123456 kom 1 maj\r\n"
    "mejla anna@example.se eller a@b.se"
)


def test_redact_all_kinds_keeps_line_endings():
    result = runner.invoke(app, ["redact"], input=TEXT.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == (
        "Hej! Mitt personnummer är [PERSONNUMMER], ring [PHONE]\n"
        "order 123456 kom 1 maj\r\n"
        "mejla [EMAIL] eller [EMAIL]"
    )


def test_kinds_and_stats():
    result = runner.invoke(app, ["redact", "--kinds", "email,phone", "--stats"], input=TEXT)
    assert result.exit_code == 0
    assert "19811218-9876" in result.stdout and "[PHONE]" in result.stdout
    assert result.stderr.splitlines() == ["email\t2", "phone\t1"]


def test_unknown_kind_is_an_input_error():
    result = runner.invoke(app, ["redact", "--kinds", "phone,name"], input="x\n")
    assert isinstance(result.exception, InputError)
    assert result.exception.value == "name"


def test_redact_stream_names_the_bad_line():
    out = __import__("io").BytesIO()
    lines = [b"a@b.se\n", b"ok \xff\n", b"never read\n"]
    try:
        redact_stream(iter(lines), out, Redactor())
    except InputError as err:
        assert err.row == 2 and err.file == "<stdin>"
    else:
        raise AssertionError("expected an InputError")
    assert out.getvalue() == b"[EMAIL]\n"


def test_streams_line_by_line_and_stops_cleanly_on_bad_input():
    """Each line comes out before the next goes in (the filter does not wait for end of input);
    a line that is not UTF-8 ends the run with exit status 2 and a message naming the row."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kundfokus", "redact"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin and proc.stdout and proc.stderr
    proc.stdin.write(b"ring 08-123 456 78\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == b"ring [PHONE]\n"
    proc.stdin.write(b"pnr 811218-9876\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == b"pnr [PERSONNUMMER]\n"
    proc.stdin.write(b"\xff\xfe\n")
    proc.stdin.close()
    assert proc.wait(timeout=60) == 2
    assert proc.stdout.read() == b""
    err = proc.stderr.read()
    assert b"row 3" in err and b"UTF-8" in err and b"Traceback" not in err
