"""`kundfokus journeys import|map`: output formats, the store as input, bad input exits 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.errors import InputError

KUNDFOKUS = Path(sys.executable).parent / "kundfokus"
runner = CliRunner()

EVENTS = (
    "customer_id,journey_id,step,timestamp,channel,reason\n"
    "c1,j1,opened,2024-01-01 08:00,phone,billing\n"
    "c1,j1,answered,2024-01-01 09:00,phone,billing\n"
    "c1,j1,resolved,2024-01-01 11:00,phone,billing\n"
    "c2,j2,opened,2024-01-02 08:00,chat,tech\n"
    "c2,j2,answered,2024-01-02 08:30,chat,tech\n"
    "c1,j3,opened,2024-01-10 08:00,chat,billing\n"
    "c1,j3,resolved,2024-01-10 12:00,chat,billing\n"
)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KUNDFOKUS), *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def events(tmp_path: Path) -> Path:
    p = tmp_path / "events.csv"
    p.write_text(EVENTS, encoding="utf-8")
    return p


def test_map_json_has_the_contract_keys(events: Path) -> None:
    res = runner.invoke(app, ["journeys", "map", str(events), "--format", "json",
                              "--end-steps", "resolved", "--reason", "reason"])  # fmt: skip
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert {"steps", "transitions", "variants", "repeats", "n_events", "n_journeys",
            "n_open"} <= set(d)  # fmt: skip
    assert (d["n_events"], d["n_journeys"], d["n_open"]) == (7, 3, 1)
    t = {(r["from_step"], r["to_step"]): r for r in d["transitions"]}
    assert t[("opened", "answered")]["n"] == 2
    assert t[("opened", "answered")]["median_hours"] == pytest.approx(0.75)
    # one journey each: ties ranked by path
    assert [v["path"] for v in d["variants"]] == [
        "opened > answered",
        "opened > answered > resolved",
        "opened > resolved",
    ]
    assert d["variants"][0]["share"] == pytest.approx(1 / 3)
    billing = next(r for r in d["repeats"] if r["reason"] == "billing")
    assert billing["n_repeats"] == 1  # j3 is 9 days after j1, same reason
    assert all("group" not in r for r in d["steps"])


def test_map_by_group_text_in_swedish_csv_and_chart(events: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["journeys", "map", str(events), "--by", "channel", "--format",
                              "json", "--top", "1"])  # fmt: skip
    d = json.loads(res.stdout)
    assert {r["group"] for r in d["variants"]} == {"phone", "chat"}
    assert len(d["variants"]) == 2
    res = runner.invoke(app, ["journeys", "map", str(events), "--lang", "sv",
                              "--end-steps", "resolved"])  # fmt: skip
    assert res.exit_code == 0 and "Kundresekarta" in res.stdout and "%" in res.stdout
    assert "33,3 %" in res.stdout  # each path is a third of the journeys
    out, chart = tmp_path / "map.csv", tmp_path / "map.json"
    res = runner.invoke(app, ["journeys", "map", str(events), "--format", "csv", "-o", str(out),
                              "--chart", str(chart)])  # fmt: skip
    assert res.exit_code == 0, res.output
    head = out.read_text().splitlines()
    assert head[0].startswith("table,") and any(r.startswith("transitions,") for r in head)
    spec = json.loads(chart.read_text())
    kinds = {v["kind"] for v in spec["data"]["values"]}
    assert kinds == {"node", "link"} and "NaN" not in chart.read_text()
    html = tmp_path / "map.html"
    res = runner.invoke(app, ["journeys", "map", str(events), "--format", "html", "-o",
                              str(html)])  # fmt: skip
    assert res.exit_code == 0 and "<svg" in html.read_text()


def test_import_then_map_from_the_store(events: Path, tmp_path: Path) -> None:
    store = tmp_path / "kf.db"
    res = _run(["journeys", "import", str(events), "--db", str(store), "--steps",
                "opened,answered,resolved"], tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "imported 7 events in 3 journeys" in res.stdout
    again = _run(["journeys", "import", str(events), "--db", str(store)], tmp_path)
    assert again.returncode == 2 and "already in the store" in again.stderr
    assert "events.csv" in again.stderr and "Traceback" not in again.stderr
    from_db = _run(["journeys", "map", "--db", str(store), "--format", "json"], tmp_path)
    from_file = _run(["journeys", "map", str(events), "--format", "json"], tmp_path)
    assert from_db.returncode == 0, from_db.stderr
    a, b = json.loads(from_db.stdout), json.loads(from_file.stdout)
    for k in ("steps", "transitions", "variants", "repeats", "n_events", "n_journeys"):
        assert a[k] == b[k], k


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (EVENTS.replace("answered,2024-01-01 09:00", "answered,2024-01-01 07:00"), [],
         "row 2, column 'timestamp'"),
        (EVENTS.replace("2024-01-02 08:30", "tomorrow"), [], "value 'tomorrow'"),
        (EVENTS, ["--steps", "opened,resolved"], "value 'answered': unknown step"),
        (EVENTS.replace("step,", "stage,", 1), [], "column 'step'"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(tmp_path: Path, content, args, expected) -> None:
    (tmp_path / "e.csv").write_text(content, encoding="utf-8")
    for cmd in (["journeys", "import", "e.csv", "--db", "kf.db"], ["journeys", "map", "e.csv"]):
        res = _run([*cmd, *args], tmp_path)
        assert res.returncode == 2, res.stderr
        assert expected in res.stderr and "e.csv" in res.stderr
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "kf.db").exists() or _count(tmp_path / "kf.db") == 0


def _count(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as con:
        return con.execute("SELECT COUNT(*) FROM journey_events").fetchone()[0]


def test_map_needs_a_file_or_a_store(events: Path) -> None:
    res = runner.invoke(app, ["journeys", "map"])
    assert isinstance(res.exception, InputError)
    res = runner.invoke(app, ["journeys", "map", str(events), "--chart", "x.gif"])
    assert isinstance(res.exception, InputError) and "--chart" in str(res.exception)
