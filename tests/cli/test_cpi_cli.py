"""`kundfokus cpi` commands: output contracts, the bundled definitions and clean errors."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from kundfokus.cli import app, main
from kundfokus.errors import InputError

runner = CliRunner()

# Three journeys: 1 resolved after 2 h, 2 resolved after 4 h after a transfer, 3 still open
# (censored at 10:00, the end of the data, after 3 h).
EVENTS = """customer_id,journey_id,step,timestamp,channel,agent,amount_saved,ces_score
1,1,contact_opened,2024-03-04 08:00:00,chat,a1,,
1,1,first_answer,2024-03-04 08:10:00,chat,a1,,
1,1,resolved,2024-03-04 10:00:00,chat,a1,100,6
2,2,contact_opened,2024-03-04 05:00:00,phone,a2,,
2,2,first_answer,2024-03-04 05:30:00,phone,a2,,
2,2,transferred,2024-03-04 06:00:00,chat,a3,,
2,2,resolved,2024-03-04 09:00:00,chat,a3,50,3
3,3,contact_opened,2024-03-04 07:00:00,phone,a1,,
"""


def _run(*args: str):
    return runner.invoke(app, ["cpi", *args])


@pytest.fixture
def events(tmp_path):
    p = tmp_path / "events.csv"
    p.write_text(EVENTS, encoding="utf-8")
    return p


def test_compute_json_contract_with_the_bundled_set(events):
    res = _run("compute", str(events), "--format", "json")
    assert res.exit_code == 0, res.output
    rows = {r["cpi"]: r for r in json.loads(res.stdout)}
    for r in rows.values():
        assert {"cpi", "group", "n", "value", "ci_low", "ci_high", "unit",
                "share_meeting_target", "n_open"} <= set(r)  # fmt: skip
    ttr = rows["time_to_resolution"]
    # durations 2 h, 4 h and 3 h open: S(2) = 2/3, S(4) = 0 (one at risk) -> median 4 h
    assert (ttr["n"], ttr["n_open"], ttr["value"], ttr["unit"]) == (3, 1, 4.0, "hours")
    # 10 and 30 min, journey 3 open for 180 min: S(10) = 2/3, S(30) = 1/3 -> median 30 min
    assert rows["time_to_first_answer"]["value"] == 30.0
    assert rows["first_contact_resolution"]["value"] == pytest.approx(1 / 3)
    assert rows["channel_switches"]["value"] == pytest.approx(1 / 3)
    assert rows["money_saved"]["value"] == pytest.approx(50.0)
    assert "goal_achieved" not in rows  # no such column: skipped with a warning
    assert "goal_achieved" in res.stderr


def test_compute_text_csv_html_by_period_step_and_output_file(events, tmp_path):
    res = _run("compute", str(events), "--lang", "sv", "--by", "channel")
    assert res.exit_code == 0, res.output
    assert "Tid till lösning" in res.stdout and "öppna" in res.stdout
    res = _run("compute", str(events), "--format", "csv", "--period", "week", "--step",
               "transferred")  # fmt: skip
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("cpi,") and "period" in lines[0]
    assert len(lines) == 2 and "first_contact_resolution" in lines[1]
    out = tmp_path / "cpi.html"
    res = _run("compute", str(events), "--format", "html", "-o", str(out), "--level", "0.9")
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "90%" in html


def test_defaults_round_trip_into_definitions(events, tmp_path):
    res = _run("defaults")
    assert res.exit_code == 0
    data = yaml.safe_load(res.stdout)
    assert len(data["cpis"]) >= 8
    data["cpis"] = [c for c in data["cpis"] if c["kind"] == "count"]
    data["cpis"][0]["target"] = 2
    own = tmp_path / "cpis.yaml"
    own.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    res = _run("compute", str(events), "--definitions", str(own), "--format", "json")
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)
    assert row["cpi"] == "contacts_per_errand" and row["share_meeting_target"] == 1.0


def test_journeys_with_kpis(events, tmp_path):
    kpis = tmp_path / "kpis.csv"
    kpis.write_text("customer_id,nps,churned\n1,9,0\n2,4,1\n", encoding="utf-8")
    res = _run("journeys", str(events), "--kpis", str(kpis), "--format", "json")
    assert res.exit_code == 0, res.output
    rows = {r["journey_id"]: r for r in json.loads(res.stdout)}
    assert rows["1"]["time_to_resolution"] == 2.0 and rows["1"]["nps"] == "9"
    assert rows["3"]["time_to_resolution"] is None and rows["3"]["time_to_resolution_open"]
    assert rows["3"]["nps"] is None
    res = _run("journeys", str(events), "--per", "customer")
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(__import__("io").StringIO(res.stdout))
    assert frame["journeys"].tolist() == [1, 1, 1]


def test_bad_definitions_name_file_cpi_and_key(events, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("cpis:\n  - id: ttr\n    kind: duration\n    from: {step: contact_opened}\n",
                   encoding="utf-8")  # fmt: skip
    res = _run("compute", str(events), "--definitions", str(bad))
    assert isinstance(res.exception, InputError)
    msg = str(res.exception)
    assert str(bad) in msg and "cpi 'ttr'" in msg and "key 'to'" in msg


def test_errors_exit_2_with_one_line_and_no_output(tmp_path, monkeypatch, capsys):
    p = tmp_path / "events.csv"
    p.write_text(EVENTS.replace("2024-03-04 05:30:00", "half past five"), encoding="utf-8")
    out = tmp_path / "out.json"
    monkeypatch.setattr(sys, "argv", ["kundfokus", "cpi", "compute", str(p), "--format", "json",
                                      "-o", str(out)])  # fmt: skip
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert str(p) in err and "row 5" in err and "'timestamp'" in err and "half past five" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_column_and_bad_by(events):
    res = _run("compute", str(events), "--by", "segment")
    assert isinstance(res.exception, InputError) and res.exception.column == "segment"
    assert str(events) in str(res.exception)
