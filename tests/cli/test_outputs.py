"""Where `-o` may write: never over an input, through to special files, and saying what it replaced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.io import atomic_write, read_table

KUNDFOKUS = Path(sys.executable).parent / "kundfokus"
ANSWERS = "nps,channel\n9,chat\n10,phone\n3,chat\n7,phone\n"


def test_an_output_onto_the_input_is_refused_and_the_input_is_untouched(tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text(ANSWERS, encoding="utf-8")
    res = subprocess.run(
        [str(KUNDFOKUS), "scores", "nps", str(src), "--score", "nps", "-o", str(src)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert res.returncode == 2, res.stderr
    assert "would overwrite an input file" in res.stderr and "Traceback" not in res.stderr
    assert src.read_text(encoding="utf-8") == ANSWERS
    # the same file reached through another path (a symlink) is the same input
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    res = CliRunner().invoke(app, ["scores", "nps", str(src), "--score", "nps", "-o", str(link)])
    assert isinstance(res.exception, InputError)
    assert src.read_text(encoding="utf-8") == ANSWERS


def test_replacing_an_earlier_output_is_said(tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text(ANSWERS, encoding="utf-8")
    out = tmp_path / "nps.json"
    args = ["scores", "nps", str(src), "--score", "nps", "--format", "json", "-o", str(out)]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0 and "replaced" not in first.stderr
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0 and f"wrote {out} (replaced the earlier file)" in second.stderr


def test_outside_a_command_files_read_are_not_protected(tmp_path):
    # library use: reading then writing a file is the caller's business
    p = tmp_path / "t.csv"
    p.write_text("a\n1\n", encoding="utf-8")
    CliRunner().invoke(app, ["--version"])
    read_table(p)
    atomic_write(p, "a\n2\n")
    assert p.read_text(encoding="utf-8") == "a\n2\n"


def test_writing_to_a_special_file_writes_through(tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text(ANSWERS, encoding="utf-8")
    res = subprocess.run(
        [str(KUNDFOKUS), "scores", "nps", str(src), "--score", "nps", "-o", "/dev/null"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert Path("/dev/null").is_char_device()
