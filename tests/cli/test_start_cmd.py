"""``kundfokus start``: without a terminal it takes options only, prints the plan with its reasons,
sets it up with --yes (idempotently) and prints what was created; bad input exits 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.store.db import open_store, session_scope
from kundfokus.store.models import Survey
from kundfokus.store.repositories import get_setting

KUNDFOKUS = Path(sys.executable).with_name("kundfokus")
ARGS = [
    "--challenge", "both", "--data", "contacts",
    "--feature", "Chatt på webben", "--feature", "Bli uppringd",
    "--outcome", "Minimera tiden det tar att få svar",
]  # fmt: skip


def _run(*args):
    return CliRunner().invoke(app, ["start", *args])


def _surveys(url) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(Survey))


def test_without_yes_the_plan_is_printed_and_nothing_changes(tmp_path):
    db = str(tmp_path / "kf.db")
    r = _run("--db", db, *ARGS, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "Kano shows which features are must-be before you promise more" in r.output
    assert "named 2 features" in r.output
    assert "kundfokus customers import contracts FILE" in r.output
    assert "run again with --yes" in r.output
    assert _surveys(open_store(db)) == 0


def test_yes_sets_it_up_and_a_second_run_reuses_it(tmp_path):
    db = str(tmp_path / "kf.db")
    r = _run("--db", db, *ARGS, "--yes")
    assert r.exit_code == 0, r.output
    assert "Planen" in r.output and "Uppsatt" in r.output
    assert r.output.count("skapad") == 4  # kano, odi, nps, ces
    url = open_store(db)
    assert _surveys(url) == 4
    with session_scope(url) as s:
        assert get_setting(s, "dashboard_panels")[0] == "kpis"
        assert len(get_setting(s, "cpi_definitions")["cpis"]) == 9
    again = _run("--db", db, *ARGS, "--yes", "--format", "json")
    assert again.exit_code == 0, again.output
    out = json.loads(again.output)
    assert [x["created"] for x in out["applied"]["surveys"]] == [False] * 4
    assert out["applied"]["imports"] == [
        "kundfokus customers import contracts FILE",
        "kundfokus journeys import FILE",
    ]
    assert out["plan"]["steps"][0]["key"] == "kano"
    assert _surveys(url) == 4


def test_data_defaults_to_what_the_store_holds(tmp_path):
    db = str(tmp_path / "kf.db")
    r = _run("--db", db, "--challenge", "keep", "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.output
    plan = json.loads(r.output)["plan"]
    assert plan["data"] == []
    assert [s["key"] for s in plan["steps"] if s["kind"] == "import"] == [
        "import:contacts",
        "import:contracts",
        "import:journeys",
    ]


def test_bad_input_exits_2_with_one_line(tmp_path):
    db = str(tmp_path / "kf.db")
    no_challenge = _run("--db", db)
    assert no_challenge.exit_code == 2
    for args in (
        ["--challenge", "win", "--feature", " "],
        ["--challenge", "win", "--data", "tweets"],
    ):
        r = subprocess.run(
            [str(KUNDFOKUS), "start", "--db", db, *args, "--yes"],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert r.returncode == 2, r.stderr
        assert r.stderr.startswith("error: "), r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_demo_builds_the_demo_and_sets_up_its_plan(tmp_path):
    db = str(tmp_path / "demo.db")
    r = _run("--db", db, "--demo", "--yes", "--lang", "en", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["demo"] == {"created": True, "logins_usable": True}
    assert {s["kind"] for s in out["applied"]["surveys"]} == {"kano", "odi", "nps", "ces"}
    assert not any(s["created"] for s in out["applied"]["surveys"])  # the demo's own
    assert out["plan"]["challenge"] == "both"
