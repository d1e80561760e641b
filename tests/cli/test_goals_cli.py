"""``kundfokus goals add|list``: a tree of goals in a store, text/json/csv, bad input exits 2
naming the field."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.services import surveys as survey_service
from kundfokus.store.db import open_store, session_scope

GOAL = ["--name", "Company NPS", "--owner", "cx@x.se", "--metric", "nps", "--baseline", "0",
        "--target", "50", "--due", "2030-06-30", "--teams", "cs, product"]  # fmt: skip


KUNDFOKUS = Path(sys.executable).with_name("kundfokus")


def _run(*args):
    return CliRunner().invoke(app, list(args))


def _installed(*args, cwd):
    """The installed command (its main() turns an InputError into one line and exit 2)."""
    return subprocess.run(
        [str(KUNDFOKUS), *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_add_and_list_a_tree_with_progress_from_the_store(tmp_path):
    db = str(tmp_path / "kf.db")
    url = open_store(db)
    with session_scope(url) as s:
        survey = survey_service.create_survey(
            s, {"kind": "nps", "title": "t", "languages": ["en"]}, created_by="a"
        )
        for i, score in enumerate([10, 10, 0, 8] * 10):
            survey_service.submit(s, survey, client_token=f"t{i}", answers={"score": score})
    res = _run("goals", "add", *GOAL, "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    root = json.loads(res.output)
    assert root["teams"] == ["cs", "product"] and root["current"]["value"] == 25.0
    res = _run("goals", "add", "--db", db, "--name", "TTR", "--owner", "lead", "--metric",
               "cpi:time_to_resolution", "--baseline", "48", "--target", "24", "--due",
               "2030-01-01", "--parent", str(root["id"]), "--lang", "sv")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Inga data än" in res.output
    res = _run("goals", "list", "--db", db)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("[1] Company NPS") and "NPS is 25" in lines[1]
    assert lines[2].startswith("  [2] TTR")  # the child, indented under its parent
    listed = json.loads(_run("goals", "list", "--db", db, "--format", "json").output)
    assert [g["children"] for g in listed] == [[2], []]
    assert listed[0]["progress"] == 25.0 / 50
    out = tmp_path / "goals.csv"
    res = _run("goals", "list", "--db", db, "--format", "csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(io.StringIO(out.read_text()))
    assert list(frame["id"]) == [1, 2] and frame["parent"].iloc[1] == 1
    assert frame["value"].iloc[0] == 25.0 and pd.isna(frame["value"].iloc[1])


def test_bad_input_exits_2_naming_the_field_and_stores_nothing(tmp_path):
    db = str(tmp_path / "kf.db")
    for change, named in [
        (["--metric", "happiness"], "'metric'"),
        (["--parent", "7"], "'parent'"),
        (["--due", "soon"], "'due'"),
        (["--target", "0"], "'target'"),
    ]:
        args = list(GOAL)
        i = args.index(change[0]) if change[0] in args else None
        if i is None:
            args += change
        else:
            args[i + 1] = change[1]
        res = _installed("goals", "add", *args, "--db", db, cwd=tmp_path)
        assert res.returncode == 2, res.stderr
        assert named in res.stderr and "Traceback" not in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    res = _run("goals", "list", "--db", db, "--format", "json")
    assert res.exit_code == 0 and json.loads(res.output) == []
    res = _installed("goals", "list", "--db", "missing.db", cwd=tmp_path)
    assert res.returncode == 2 and "no kundfokus store" in res.stderr, res.stderr
    assert not (tmp_path / "missing.db").exists()
