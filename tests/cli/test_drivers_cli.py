"""`kundfokus drivers` end to end: JSON shape, --by, binary, formats, languages and bad input."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from kundfokus.cli import app, main

runner = CliRunner()
DRIVERS = "wait_minutes,contacts_per_errand,first_contact_resolved,channel,reason"


@pytest.fixture(scope="module")
def survey(examples_dir):
    return examples_dir / "drivers_survey.csv"


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_json_has_the_contract_shape_and_shapley_sums_to_r2(survey):
    res = _run("drivers", str(survey), "--outcome", "nps_score", "--drivers", DRIVERS,
               "--format", "json", "--n-boot", "100")  # fmt: skip
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert {"r2", "n", "drivers"} <= set(d) and "groups" not in d
    keys = {"driver", "shapley", "share", "relative_weight", "sign", "ci_low", "ci_high"}
    assert [x["driver"] for x in d["drivers"]] == DRIVERS.split(",")
    for x in d["drivers"]:
        assert keys <= set(x)
        assert x["ci_low"] <= x["ci_high"]
        assert x["sign"] in ("+", "-", None)
    assert sum(x["shapley"] for x in d["drivers"]) == pytest.approx(d["r2"], abs=1e-12)
    assert d["r2_kind"] == "r2" and d["n_dropped"] > 0
    assert d["r2_ci_low"] < d["r2"] < d["r2_ci_high"]
    assert "association, not cause" in d["note"]
    frame = pd.read_csv(survey).dropna(subset=["nps_score", "wait_minutes"])
    assert d["n"] == len(frame)
    signs = {x["driver"]: x["sign"] for x in d["drivers"]}
    assert signs["wait_minutes"] == "-" and signs["first_contact_resolved"] == "+"
    assert signs["channel"] is None


def test_by_gives_groups_and_binary_gives_mcfadden(survey):
    res = _run("drivers", str(survey), "--outcome", "nps_score", "--drivers",
               "wait_minutes,first_contact_resolved", "--by", "channel", "--format", "json",
               "--n-boot", "50")  # fmt: skip
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["by"] == "channel" and [g["group"] for g in d["groups"]] == ["chat", "email", "phone"]
    for g in d["groups"]:
        assert sum(x["shapley"] for x in g["drivers"]) == pytest.approx(g["r2"], abs=1e-12)
    res = _run("drivers", str(survey), "--outcome", "detractor", "--drivers",
               "wait_minutes,first_contact_resolved", "--format", "json", "--n-boot", "30")  # fmt: skip
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["r2_kind"] == "mcfadden" and d["event"] == 1
    res = _run("drivers", str(survey), "--outcome", "detractor", "--drivers",
               "wait_minutes", "--numeric", "--format", "json", "--n-boot", "0")  # fmt: skip
    assert json.loads(res.stdout)["r2_kind"] == "r2"


def test_text_csv_and_html_in_both_languages(survey, tmp_path):
    res = _run("drivers", str(survey), "--outcome", "nps_score", "--drivers", DRIVERS,
               "--n-boot", "50", "--lang", "sv")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "De här drivkrafterna förklarar" in res.stdout and "samband, inte orsak" in res.stdout
    res = _run("drivers", str(survey), "--outcome", "nps_score", "--drivers", DRIVERS,
               "--n-boot", "50")  # fmt: skip
    assert "These drivers explain" in res.stdout and "association, not cause" in res.stdout
    out = tmp_path / "drivers.csv"
    res = _run("drivers", str(survey), "--outcome", "nps_score", "--drivers", DRIVERS,
               "--n-boot", "20", "--format", "csv", "-o", str(out))  # fmt: skip
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out)
    assert list(table["driver"]) == DRIVERS.split(",")
    assert table["shapley"].sum() == pytest.approx(table["r2"].iloc[0], abs=1e-9)
    page = tmp_path / "drivers.html"
    res = _run("drivers", str(survey), "--outcome", "nps_score", "--drivers", DRIVERS,
               "--n-boot", "20", "--format", "html", "-o", str(page), "--lang", "sv")  # fmt: skip
    assert res.exit_code == 0, res.output
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "vegalite" in html and "samband, inte orsak" in html


class _Res:
    def __init__(self, code: int, out: str, err: str):
        self.exit_code, self.stdout, self.output = code, out, err


def _bad(tmp_path, capsys, frame: pd.DataFrame, *args: str):
    """Run the installed entry point (``main``), which turns errors into one line and exit 2."""
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    old = sys.argv
    sys.argv = ["kundfokus", "drivers", str(path), *args, "--n-boot", "0"]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    res = _Res(code, captured.out, captured.err)
    assert len([line for line in res.output.splitlines() if line.strip()]) == 1, res.output
    return res, str(path)


def test_bad_input_exits_2_with_one_line_naming_file_and_column(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"y": rng.normal(size=30), "a": rng.normal(size=30), "c": 1.0})
    res, path = _bad(tmp_path, capsys, frame, "--outcome", "y", "--drivers", "a,nope")
    assert res.exit_code == 2 and "'nope'" in res.output and path in res.output
    assert "Traceback" not in res.output
    res, _ = _bad(tmp_path, capsys, frame, "--outcome", "y", "--drivers", "a,c")
    assert res.exit_code == 2 and "constant" in res.output and "'c'" in res.output
    frame2 = frame.assign(a2=frame["a"] * 2)
    res, _ = _bad(tmp_path, capsys, frame2, "--outcome", "y", "--drivers", "a,a2")
    assert res.exit_code == 2 and "collinear" in res.output
    frame3 = frame.astype(object)
    frame3.loc[4, "y"] = "oops"
    res, _ = _bad(tmp_path, capsys, frame3, "--outcome", "y", "--drivers", "a")
    assert res.exit_code == 2 and "'oops'" in res.output and "'y'" in res.output
    assert "row 5" in res.output
    res, _ = _bad(tmp_path, capsys, frame.head(2), "--outcome", "y", "--drivers", "a")
    assert res.exit_code == 2 and "too few rows" in res.output
