"""Every command, walked with the inputs a new user gets wrong: no arguments, a missing required
option, an unknown option, a bad choice, and a header-only, an empty and a binary input file.
Each one exits 2 with one line on stderr, no traceback, and leaves no file behind.

The commands and their parameters are read from the Typer app, so a new command is walked too.
Values for the other required options are generic ("x", 1, a file that is not there): whatever
the command trips over first must be said in one line.
"""

from __future__ import annotations

import enum
import os
import typing
from pathlib import Path
from typing import Any

import pytest
import typer.main

from kundfokus.cli import app, run


def _leaves(group: Any, prefix: tuple[str, ...] = ()):
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        if getattr(cmd, "commands", None):
            yield from _leaves(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


COMMANDS = dict(_leaves(typer.main.get_command(app)))


def _kind(param: Any) -> str:
    return param.param_type_name  # "argument" / "option"


def _annotation(param: Any) -> Any:
    ann = param.type_descriptor.annotation
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    return args[0] if args and typing.get_origin(ann) is not list else ann


def _arguments(cmd: Any) -> list[Any]:
    return [p for p in cmd.params if _kind(p) == "argument"]


def _required_options(cmd: Any) -> list[Any]:
    return [p for p in cmd.params if _kind(p) == "option" and p.required]


def _choices(param: Any) -> list[str] | None:
    ann = _annotation(param)
    if isinstance(ann, type) and issubclass(ann, enum.Enum):
        return [str(e.value) for e in ann]
    return None


def _value(param: Any, tmp: Path) -> str:
    choices = _choices(param)
    if choices:
        return choices[0]
    if _annotation(param) in (int, float):
        return "1"
    if param.name in ("db", "url"):
        return f"sqlite:///{tmp / 'nowhere.db'}"
    return "x"


def _option_args(options: list[Any], tmp: Path) -> list[str]:
    out: list[str] = []
    for p in options:
        out += [p.opts[0], _value(p, tmp)]
    return out


def _takes_a_file(cmd: Any) -> bool:
    args = _arguments(cmd)
    return bool(args) and args[0].required and _annotation(args[0]) is Path


FILES = {
    "header-only": b"customer_id,journey_id,step,timestamp,text,score,a,b,c\n",
    "empty": b"",
    "binary": bytes(range(256)) * 8,
}


def _walk(args: list[str], tmp: Path, capfd) -> None:
    before = sorted(os.listdir(tmp))
    code = run(args)
    _, err = capfd.readouterr()
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert code == 2, (args, code, err[-2000:])
    assert "Traceback" not in err, (args, err[-2000:])
    assert len(lines) == 1, (args, err[-2000:])
    assert sorted(os.listdir(tmp)) == before, (args, sorted(os.listdir(tmp)))


def _cases() -> list[Any]:
    cases = []
    for name, cmd in COMMANDS.items():
        required = _required_options(cmd) + [a for a in _arguments(cmd) if a.required]
        if required:
            cases.append(pytest.param(name, "no-arguments", id=f"{' '.join(name)}-no-arguments"))
        if _required_options(cmd):
            cases.append(
                pytest.param(name, "missing-option", id=f"{' '.join(name)}-missing-option")
            )
        cases.append(pytest.param(name, "unknown-option", id=f"{' '.join(name)}-unknown-option"))
        if any(_choices(p) for p in cmd.params if "option" in _kind(p)):
            cases.append(pytest.param(name, "bad-choice", id=f"{' '.join(name)}-bad-choice"))
        if _takes_a_file(cmd):
            for f in FILES:
                cases.append(pytest.param(name, f, id=f"{' '.join(name)}-{f}"))
    return cases


def test_the_walk_covers_the_commands() -> None:
    assert len(COMMANDS) >= 40
    assert sum(_takes_a_file(c) for c in COMMANDS.values()) >= 20


@pytest.mark.parametrize(("name", "case"), _cases())
def test_every_command_answers_bad_input_with_one_line(name, case, tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KUNDFOKUS_DB", f"sqlite:///{tmp_path / 'env-store.db'}")
    cmd = COMMANDS[name]
    args = [a for a in _arguments(cmd) if a.required]
    options = _required_options(cmd)
    file = tmp_path / "input.csv"
    positional = [str(file) if i == 0 and _takes_a_file(cmd) else "x" for i, _ in enumerate(args)]
    if case == "no-arguments":
        _walk(list(name), tmp_path, capfd)
        return
    file.write_bytes(FILES["header-only"])
    if case == "missing-option":
        _walk([*name, *positional, *_option_args(options[1:], tmp_path)], tmp_path, capfd)
    elif case == "unknown-option":
        _walk([*name, *positional, *_option_args(options, tmp_path), "--no-such-option"],
              tmp_path, capfd)  # fmt: skip
    elif case == "bad-choice":
        p = next(p for p in cmd.params if "option" in _kind(p) and _choices(p))
        rest = [o for o in options if o is not p]
        _walk([*name, *positional, *_option_args(rest, tmp_path), p.opts[0], "no-such-choice"],
              tmp_path, capfd)  # fmt: skip
    else:
        file.write_bytes(FILES[case])
        _walk([*name, *positional, *_option_args(options, tmp_path)], tmp_path, capfd)
