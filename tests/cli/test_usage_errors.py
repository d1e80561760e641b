"""Usage errors end in one clear message and exit status 2, never a traceback.

Typer vendors click in current releases, so the CLI must not import ``click`` itself (it once did,
and every usage error became a ModuleNotFoundError traceback on a clean install).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from kundfokus.cli import app

KUNDFOKUS = Path(sys.executable).parent / "kundfokus"


def _leaf_commands(group, prefix=()):
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        if getattr(cmd, "commands", None):
            yield from _leaf_commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name)


COMMANDS = list(_leaf_commands(typer.main.get_command(app)))


def test_the_walk_finds_the_commands():
    assert ("scores", "nps") in COMMANDS and ("contacts", "queue") in COMMANDS
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize(
    "args",
    [
        ["scores", "nps", "answers.csv"],  # missing required option
        ["scores", "nps", "answers.csv", "--score", "s", "--no-such-option"],
        ["scores", "nps", "answers.csv", "--score", "s", "--format", "yaml"],  # bad choice
        ["no-such-command"],
        ["contacts", "history", "--db", "x.db"],  # missing --axis
    ],
)
def test_the_installed_command_exits_2_without_a_traceback(args, tmp_path):
    res = subprocess.run(
        [str(KUNDFOKUS), *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert "Error" in res.stderr or "error" in res.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_refuses_an_unknown_option_with_status_2(command):
    res = CliRunner().invoke(app, [*command, "--no-such-option-xyz"])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "no-such-option-xyz" in res.output
