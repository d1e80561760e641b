"""`kundfokus clv` commands end to end on the CDNOW sample."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest

from kundfokus.cli import main

CDNOW_ARGS = [
    "--format-in",
    "cdnow",
    "--customer",
    "customer",
    "--date",
    "date",
    "--amount",
    "amount",
]


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
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def cdnow_csv(test_data, tmp_path_factory):
    """The CDNOW sample as a CSV with a header and ISO dates."""
    rows = [line.split() for line in (test_data / "CDNOW_sample.txt").read_text().splitlines()]
    frame = pd.DataFrame(rows, columns=["customer", "sample", "date", "cds", "amount"])
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    path = tmp_path_factory.mktemp("clv") / "cdnow.csv"
    frame.to_csv(path, index=False)
    return path


def test_fit_json_reproduces_published_parameters(test_data, capsys):
    code, out, _ = run(
        [
            "clv",
            "fit",
            str(test_data / "CDNOW_sample.txt"),
            *CDNOW_ARGS,
            "--calibration-end",
            "1997-09-30",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    d = json.loads(out)
    assert d["unit"] == "week" and d["n_customers"] == 2357
    for k, v in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert d["bgnbd"][k] == pytest.approx(v, rel=2e-3)
    assert d["bgnbd"]["loglik"] == pytest.approx(-9582.4, abs=0.1)
    for k, v in {"p": 6.25, "q": 3.74, "gamma": 15.44}.items():
        assert d["gamma_gamma"][k] == pytest.approx(v, rel=2e-3)
    assert d["gamma_gamma"]["loglik"] == pytest.approx(-4055.92, abs=0.1)
    assert d["bgnbd"]["converged"] and d["gamma_gamma"]["converged"] and d["warnings"] == []


def test_fit_pareto_from_csv_with_iso_dates(cdnow_csv, capsys):
    code, out, _ = run(
        [
            "clv",
            "fit",
            str(cdnow_csv),
            "--customer",
            "customer",
            "--date",
            "date",
            "--calibration-end",
            "19970930",
            "--model",
            "pareto",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    d = json.loads(out)
    assert "gamma_gamma" not in d
    assert d["pareto_nbd"]["loglik"] == pytest.approx(-9595.0, abs=0.1)
    assert d["pareto_nbd"]["s"] == pytest.approx(0.606, rel=2e-3)


def test_fit_text_and_day_unit(cdnow_csv, capsys):
    code, out, _ = run(
        [
            "clv",
            "fit",
            str(cdnow_csv),
            "--customer",
            "customer",
            "--date",
            "date",
            "--calibration-end",
            "1997-09-30",
            "--unit",
            "day",
        ],
        capsys,
    )
    assert code == 0
    assert "unit: day" in out and "bgnbd" in out
    assert "alpha" in out


def test_predict_writes_csv(test_data, tmp_path, capsys):
    out_path = tmp_path / "pred.csv"
    code, _, err = run(
        [
            "clv",
            "predict",
            str(test_data / "CDNOW_sample.txt"),
            *CDNOW_ARGS,
            "--calibration-end",
            "1997-09-30",
            "--horizon",
            "12",
            "--margin",
            "0.3",
            "--discount",
            "0.01",
            "-o",
            str(out_path),
        ],
        capsys,
    )
    assert code == 0, err
    pred = pd.read_csv(out_path, dtype={"customer": str})
    assert len(pred) == 2357
    assert list(pred.columns) == [
        "customer",
        "frequency",
        "recency",
        "T",
        "probability_alive",
        "expected_purchases",
        "monetary_value",
        "expected_spend",
        "clv",
    ]
    assert pred["probability_alive"].between(0, 1).all()
    first = pred[pred["customer"] == "00004"].iloc[0]
    assert first["frequency"] == 2 and first["clv"] > 0


def test_report_in_swedish(test_data, tmp_path, capsys):
    out_path = tmp_path / "clv.html"
    code, _, err = run(
        [
            "clv",
            "report",
            str(test_data / "CDNOW_sample.txt"),
            *CDNOW_ARGS,
            "--calibration-end",
            "1997-09-30",
            "--observation-end",
            "1998-06-30",
            "--lang",
            "sv",
            "-o",
            str(out_path),
        ],
        capsys,
    )
    assert code == 0, err
    html = out_path.read_text(encoding="utf-8")
    assert "Kundlivstidsvärde" in html and "Kontroll mot kontrollperioden" in html
    assert html.count("application/vnd.vegalite+json") == 5


def test_bad_date_names_file_row_column_value(tmp_path, capsys):
    bad = tmp_path / "tx.csv"
    bad.write_text("id,day,amount\na,2020-01-01,10\nb,2020-02-30,5\n", encoding="utf-8")
    out_path = tmp_path / "pred.csv"
    code, _, err = run(
        [
            "clv",
            "predict",
            str(bad),
            "--customer",
            "id",
            "--date",
            "day",
            "--amount",
            "amount",
            "--calibration-end",
            "2020-06-30",
            "-o",
            str(out_path),
        ],
        capsys,
    )
    assert code == 2
    assert str(bad) in err and "row 2" in err and "'day'" in err and "2020-02-30" in err
    assert "Traceback" not in err
    assert not out_path.exists()


def test_bad_amount_and_bad_cdnow_line(tmp_path, test_data, capsys):
    bad = tmp_path / "tx.csv"
    bad.write_text("id,day,amount\na,20200101,10\na,20200105,1O\n", encoding="utf-8")
    code, _, err = run(
        [
            "clv",
            "fit",
            str(bad),
            "--customer",
            "id",
            "--date",
            "day",
            "--amount",
            "amount",
            "--calibration-end",
            "2020-06-30",
        ],
        capsys,
    )
    assert code == 2 and "row 2" in err and "'amount'" in err and "1O" in err
    txt = tmp_path / "cdnow.txt"
    txt.write_text(" 1 1 19970101 1 10.0\n 2 2 19970102 1\n", encoding="utf-8")
    code, _, err = run(
        ["clv", "fit", str(txt), *CDNOW_ARGS, "--calibration-end", "1997-09-30"], capsys
    )
    assert code == 2 and str(txt) in err and "row 2" in err
    code, _, err = run(
        [
            "clv",
            "fit",
            str(test_data / "CDNOW_sample.txt"),
            *CDNOW_ARGS,
            "--calibration-end",
            "30/09/1997",
        ],
        capsys,
    )
    assert code == 2 and "calibration_end" in err


def test_nonpositive_repeat_spend_and_empty_calibration(tmp_path, capsys):
    path = tmp_path / "tx.csv"
    path.write_text(
        "id,day,amount\na,20200101,10\na,20200105,-3\nb,20200102,4\nb,20200110,6\n",
        encoding="utf-8",
    )
    code, _, err = run(
        [
            "clv",
            "fit",
            str(path),
            "--customer",
            "id",
            "--date",
            "day",
            "--amount",
            "amount",
            "--calibration-end",
            "2020-06-30",
        ],
        capsys,
    )
    assert code == 2 and "customer 'a'" in err and "'amount'" in err
    code, _, err = run(
        [
            "clv",
            "fit",
            str(path),
            "--customer",
            "id",
            "--date",
            "day",
            "--calibration-end",
            "2019-12-31",
        ],
        capsys,
    )
    assert code == 2 and "no customer made a purchase" in err


def test_tiny_data_fit_warns(tmp_path, capsys):
    path = tmp_path / "tx.csv"
    path.write_text("id,day\na,20200101\na,20200105\nb,20200102\n", encoding="utf-8")
    code, out, _ = run(
        [
            "clv",
            "fit",
            str(path),
            "--customer",
            "id",
            "--date",
            "day",
            "--calibration-end",
            "2020-01-31",
        ],
        capsys,
    )
    assert code == 0
    assert "warning:" in out
