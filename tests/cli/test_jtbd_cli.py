"""`kundfokus jtbd` commands: output contracts and errors."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from kundfokus.cli import app, main
from kundfokus.errors import InputError

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["jtbd", *args])


def test_opportunity_json_contract(examples_dir):
    res = _run(
        "opportunity",
        str(examples_dir / "odi_answers.csv"),
        "--inventory",
        str(examples_dir / "jtbd_inventory.yaml"),
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert isinstance(data, list) and len(data) == 12
    for row in data:
        assert {
            "outcome",
            "job",
            "job_type",
            "n",
            "importance",
            "satisfaction",
            "opportunity",
            "served",
        } <= set(row)
        assert row["served"] in ("under-served", "over-served", "appropriately served")
        assert isinstance(row["n"], int)
    assert data[0]["outcome"] == "refund_clarity" and data[0]["job"] == "money_safe"
    assert data[0]["job_type"] == "emotional"
    assert [r["opportunity"] for r in data] == sorted(
        (r["opportunity"] for r in data), reverse=True
    )


def test_opportunity_json_without_inventory_has_null_jobs(examples_dir):
    res = _run(
        "opportunity", str(examples_dir / "odi_answers.csv"), "-f", "json", "--by", "channel"
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data) == 36 and {r["channel"] for r in data} == {"phone", "chat", "email"}
    assert all(r["job"] is None and r["job_type"] is None for r in data)


def test_opportunity_text_swedish(examples_dir):
    res = _run(
        "opportunity",
        str(examples_dir / "odi_answers.csv"),
        "-i",
        str(examples_dir / "jtbd_inventory.yaml"),
        "--lang",
        "sv",
    )
    assert res.exit_code == 0, res.output
    assert "Vad ni bör arbeta med" in res.stdout
    assert "undertillgodosett" in res.stdout and "övertillgodosett" in res.stdout
    assert "Minimera osäkerheten om huruvida jag får tillbaka mina pengar" in res.stdout


def test_opportunity_csv_html_and_chart(tmp_path, examples_dir):
    out = tmp_path / "scores.csv"
    res = _run("opportunity", str(examples_dir / "odi_answers.csv"), "-f", "csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["outcome", "job"] and "opportunity" in header
    html = tmp_path / "report.html"
    chart = tmp_path / "landscape.json"
    res = _run(
        "opportunity",
        str(examples_dir / "odi_answers.csv"),
        "-f",
        "html",
        "-o",
        str(html),
        "--chart",
        str(chart),
        "--lang",
        "sv",
    )
    assert res.exit_code == 0, res.output
    assert "Möjlighetslandskap" in html.read_text(encoding="utf-8")
    assert json.loads(chart.read_text(encoding="utf-8"))["title"]["text"] == "Möjlighetslandskap"


def test_invalid_answers_error_and_missing(tmp_path):
    p = tmp_path / "answers.csv"
    p.write_text(
        "respondent,wait_importance,wait_satisfaction\na,5 - Very important,2\nb,4,maybe\nc,2,1\n",
        encoding="utf-8",
    )
    res = _run("opportunity", str(p), "-f", "json")
    assert isinstance(res.exception, InputError)
    err = res.exception
    assert (err.file, err.row, err.column, err.value) == (str(p), 2, "wait_satisfaction", "maybe")
    res = _run("opportunity", str(p), "-f", "json", "--invalid-as-missing")
    assert res.exit_code == 0
    assert "1 answers were not on the 1-5 scale" in res.stderr
    (row,) = json.loads(res.stdout)
    assert row["n_invalid"] == 1 and row["n_satisfaction"] == 2 and row["n_importance"] == 3


def test_error_exit_code_2_and_no_output_file(tmp_path, monkeypatch, capsys):
    p = tmp_path / "answers.csv"
    p.write_text("wait_importance,wait_satisfaction\n4,2\n9,1\n", encoding="utf-8")
    out = tmp_path / "out.json"
    monkeypatch.setattr(
        sys, "argv", ["kundfokus", "jtbd", "opportunity", str(p), "-f", "json", "-o", str(out)]
    )
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert str(p) in err and "row 2" in err and "'wait_importance'" in err and "'9'" in err
    assert not out.exists()


def test_inventory_error_names_file(tmp_path):
    p = tmp_path / "jobs.yaml"
    p.write_text("jobs:\n  - id: a\n    type: tribal\n    statement: Do it\n", encoding="utf-8")
    res = _run("inventory", str(p))
    assert isinstance(res.exception, InputError)
    assert (res.exception.file, res.exception.row, res.exception.column) == (
        str(p),
        3,
        "jobs[1].type",
    )


def test_inventory_command_formats(examples_dir):
    path = str(examples_dir / "jtbd_inventory.yaml")
    res = _run("inventory", path, "--lang", "sv")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("Jobbinventering")
    assert "[money_safe] Känna mig trygg med att mina pengar är säkra (emotionellt)" in res.stdout
    res = _run("inventory", path, "-f", "json")
    data = json.loads(res.stdout)
    assert [j["type"] for j in data["jobs"]] == ["functional", "emotional", "social"]
    assert data["warnings"] == []
    res = _run("inventory", path, "-f", "html")
    assert "<svg" not in res.stdout and "Jobs by type and situation" in res.stdout


def test_inventory_grammar_note_on_stderr(tmp_path):
    p = tmp_path / "jobs.csv"
    p.write_text(
        "job_id,job_type,job_statement,situation,outcome_id,outcome_statement\n"
        "pay,social,Look competent,Bills,quick,Quick overview of bills\n",
        encoding="utf-8",
    )
    res = _run("inventory", str(p))
    assert res.exit_code == 0
    assert "note:" in res.stderr and "'quick'" in res.stderr


def test_the_same_group_column_twice_is_a_clear_error(examples_dir):
    res = _run("opportunity", str(examples_dir / "odi_answers.csv"), "--by", "channel", "--by",
               "channel")  # fmt: skip
    assert isinstance(res.exception, InputError)
    assert res.exception.column == "channel" and "named twice" in res.exception.message
