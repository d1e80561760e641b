"""`kundfokus kano analyze`: the JSON contract, the other formats and clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kundfokus.cli import main

STP25_CSV = """feature,M,O,A,I,R,Q
Service app,95,123,45,33,0,0
Excellent service,101,54,54,81,3,3
Hotline,15,24,121,124,6,6
Loan machine,65,87,93,51,0,0
Ready-to-use return,9,18,83,177,6,3
"""

ANSWERS_CSV = """ID,segment,F1_dysfunctional,F1_functional,F1_importance,F2_functional,F2_dysfunctional
r1,a,I dislike it that way,I like it that way,9 - Extremely important,I like it,I dislike it
r2,a,I dislike it,I must be that way,6,I expect it,I dislike it
r3,b,I’m neutral,I like it,3 - Somewhat important,I like it,I am neutral
r4,b,I am neutral,I can live with it that way,9,Jag gillar det,Jag ogillar det
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["kundfokus", *argv]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    p = tmp_path / "answers.csv"
    p.write_text(ANSWERS_CSV, encoding="utf-8")
    return p


@pytest.fixture
def tally(tmp_path: Path) -> Path:
    p = tmp_path / "tally.csv"
    p.write_text(STP25_CSV, encoding="utf-8")
    return p


def test_json_contract_counts(tally: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["kano", "analyze", str(tally), "--counts", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 5
    keys = {
        "feature",
        "n",
        "A",
        "O",
        "M",
        "I",
        "R",
        "Q",
        "category",
        "better",
        "worse",
        "category_strength",
        "total_strength",
        "fong_significant",
        "importance",
    }
    for obj in data:
        assert keys <= set(obj)
        for c in ("n", "A", "O", "M", "I", "R", "Q"):
            assert type(obj[c]) is int
        assert isinstance(obj["better"], float) and isinstance(obj["worse"], float)
        assert obj["worse"] < 0
        assert obj["importance"] is None
        assert isinstance(obj["fong_significant"], bool)
    app = data[0]
    assert app["feature"] == "Service app" and app["category"] == "O"
    assert app["better"] == pytest.approx(168 / 296)  # unrounded
    assert app["worse"] == pytest.approx(-218 / 296)
    assert app["dumouchel_functional"] is None  # no raw answers


def test_json_raw_answers_with_importance(answers: Path, capsys) -> None:
    code, out, _ = run(
        [
            "kano",
            "analyze",
            str(answers),
            "--format",
            "json",
            "--table",
            "pouliot",
            "--rule",
            "oam",
        ],
        capsys,
    )
    assert code == 0
    data = {d["feature"]: d for d in json.loads(out)}
    assert data["F1"]["importance"] == pytest.approx(6.75)
    assert data["F1"]["importance_n"] == 4
    assert data["F2"]["importance"] is None
    assert data["F1"]["rule"] == "oam" and data["F1"]["table"] == "pouliot"
    assert data["F2"]["O"] == 2  # (1,5) twice, counting the Swedish answers


def test_by_and_labels(answers: Path, tmp_path: Path, capsys) -> None:
    labels = tmp_path / "features.csv"
    labels.write_text("ID,Label\nF1_,Hotline\nF2_,App\n", encoding="utf-8")
    code, out, _ = run(
        [
            "kano",
            "analyze",
            str(answers),
            "--by",
            "segment",
            "--labels",
            str(labels),
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert [(d["segment"], d["feature"], d["label"]) for d in data] == [
        ("a", "F1", "Hotline"),
        ("a", "F2", "App"),
        ("b", "F1", "Hotline"),
        ("b", "F2", "App"),
    ]


def test_text_and_csv_outputs(answers: Path, tmp_path: Path, capsys) -> None:
    code, out, _ = run(["kano", "analyze", str(answers), "--lang", "sv"], capsys)
    assert code == 0
    assert "Prioriteringar" in out and "Kano-kategorier" in out
    target = tmp_path / "out" / "result.csv"
    code, _, err = run(
        ["kano", "analyze", str(answers), "--format", "csv", "-o", str(target)], capsys
    )
    assert code == 0 and "wrote" in err
    frame = pd.read_csv(target)
    assert frame["feature"].tolist() == ["F1", "F2"]
    assert "dumouchel_functional" in frame.columns


def test_invalid_answer_exit_2_names_file_row_column(answers: Path, capsys) -> None:
    text = answers.read_text(encoding="utf-8").replace("I like it,I am neutral", "I like it,hmm")
    answers.write_text(text, encoding="utf-8")
    code, out, err = run(["kano", "analyze", str(answers), "--format", "json"], capsys)
    assert code == 2
    assert out == ""
    line = err.strip()
    assert "\n" not in line
    assert str(answers) in line and "row 3" in line
    assert "'F2_dysfunctional'" in line and "'hmm'" in line
    # the same file is readable when such answers count as missing
    code, out, err = run(
        ["kano", "analyze", str(answers), "--format", "json", "--invalid-as-missing"], capsys
    )
    assert code == 0
    data = {d["feature"]: d for d in json.loads(out)}
    assert data["F2"]["n"] == 3
    assert "F2_dysfunctional" in err and "hmm" in err


def test_bad_counts_and_no_half_written_output(tally: Path, tmp_path: Path, capsys) -> None:
    tally.write_text(STP25_CSV.replace("Hotline,15", "Hotline,-15"), encoding="utf-8")
    target = tmp_path / "out.json"
    code, _, err = run(
        ["kano", "analyze", str(tally), "--counts", "--format", "json", "-o", str(target)], capsys
    )
    assert code == 2
    assert "row 3" in err and "'M'" in err and "'-15'" in err
    assert not target.exists()


def test_exclude_mostly(tmp_path: Path, capsys) -> None:
    p = tmp_path / "a.csv"
    p.write_text(
        "respondent,X_functional,X_dysfunctional,Y_functional,Y_dysfunctional\n"
        "a,1,1,5,5\nb,1,5,2,5\nc,1,5,2,5\n",
        encoding="utf-8",
    )
    code, out, err = run(
        ["kano", "analyze", str(p), "--exclude-mostly", "Q", "--format", "json"], capsys
    )
    assert code == 0
    assert [d["n"] for d in json.loads(out)] == [2, 2]
    assert "Removed 1 respondents" in err and "a" in err


def test_html_report(answers: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "report.html"
    code, _, _ = run(
        ["kano", "analyze", str(answers), "--format", "html", "-o", str(target)], capsys
    )
    assert code == 0 and target.exists()
    assert "<svg" in target.read_text(encoding="utf-8")


def test_chart_export(tally: Path, tmp_path: Path, capsys) -> None:
    plot, bars = tmp_path / "kano.json", tmp_path / "bars.png"
    code, _, _ = run(
        [
            "kano",
            "analyze",
            str(tally),
            "--counts",
            "--format",
            "json",
            "--chart",
            str(plot),
            "--bars",
            str(bars),
        ],
        capsys,
    )
    assert code == 0
    spec = json.loads(plot.read_text(encoding="utf-8"))
    values = [v for d in spec.get("datasets", {}).values() for v in d]
    assert any(abs(v.get("better", -1) - 0.568) < 1e-3 for v in values if isinstance(v, dict))
    assert bars.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_real_process_exit_code(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kundfokus", "kano", "analyze", str(empty)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error:") and "empty" in proc.stderr
    assert "Traceback" not in proc.stderr
