"""Dubious input (issue 11): warned about on stderr (one line each, naming file, row, column and
value; the command still runs) or refused (exit 2, nothing written), and echoed values are capped.

Through the real ``kundfokus`` command (``main()``, which prints the warnings), as in
test_bad_files.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from kundfokus.errors import MAX_ECHO, InputError, InputWarning, shown

KUNDFOKUS = Path(sys.executable).parent / "kundfokus"


def _run(args, cwd):
    return subprocess.run(
        [str(KUNDFOKUS), *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


def _one_warning(res, *parts: str) -> str:
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    lines = [w for w in _warnings(res.stderr) if all(p in w for p in parts)]
    assert len(lines) == 1, res.stderr
    return lines[0]


# ------------------------------------------------------------------ echoed values are capped


def test_shown_caps_a_long_value_and_gives_its_length():
    text = shown("x" * 10_000_000)
    assert len(text) < MAX_ECHO + 40
    assert text.endswith("… (10000000 characters)")
    assert shown("short") == "'short'"


def test_input_error_and_warning_cap_the_value_but_keep_it():
    value = "é" * 50_000
    err = InputError("not a number", file="a.csv", row=2, column="nps", value=value)
    assert len(str(err)) < 250 and "(50000 characters)" in str(err)
    assert err.value == value  # the full value stays on the error for code that needs it
    w = InputWarning("odd", row=1, column="c" * 500, value=value)
    assert len(str(w)) < 300


def test_a_10_mb_cell_in_an_error_is_not_printed_whole(tmp_path):
    (tmp_path / "a.csv").write_text("nps\n9\n" + "z" * 10_000_000 + "\n", encoding="utf-8")
    res = _run(["scores", "nps", "a.csv", "--score", "nps"], tmp_path)
    assert res.returncode == 2
    assert len(res.stderr) < 500, res.stderr[:500]
    assert "a.csv" in res.stderr and "row 2" in res.stderr and "(10000000 characters)" in res.stderr


# ------------------------------------------------------------------ dates in the future


def test_scores_period_with_a_date_in_2099_warns_and_runs(tmp_path):
    (tmp_path / "a.csv").write_text(
        "nps,day\n9,2024-01-05\n10,2099-01-07\n3,2024-02-01\n", encoding="utf-8"
    )
    res = _run(
        ["scores", "nps", "a.csv", "--score", "nps", "--period", "month", "--date", "day"],
        tmp_path,
    )
    line = _one_warning(res, "in the future")
    assert "a.csv, row 2, column 'day', value '2099-01-07'" in line


def test_retention_churn_with_a_future_start_warns(tmp_path):
    (tmp_path / "c.csv").write_text(
        "customer,start,end\na,2023-01-01,2023-06-30\nb,2023-02-01,\nc,2099-03-01,\n",
        encoding="utf-8",
    )
    res = _run(
        ["retention", "churn", "c.csv", "--customer", "customer", "--start", "start", "--end",
         "end", "--as-of", "2024-01-01"],
        tmp_path,
    )  # fmt: skip
    line = _one_warning(res, "in the future")
    assert "c.csv, row 3, column 'start', value '2099-03-01'" in line


def test_clv_fit_with_a_future_purchase_warns(tmp_path):
    rows = ["id,day"] + [f"{i},2024-01-0{1 + i % 5}" for i in range(20)]
    rows += [f"{i},2024-02-1{i % 5}" for i in range(0, 20, 2)] + ["3,2099-05-01"]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = _run(
        ["clv", "fit", "t.csv", "--customer", "id", "--date", "day", "--calibration-end",
         "2024-03-31"],
        tmp_path,
    )  # fmt: skip
    line = _one_warning(res, "in the future")
    assert f"t.csv, row {len(rows) - 1}, column 'day', value '2099-05-01'" in line


def test_journeys_with_a_future_timestamp_warn(tmp_path):
    (tmp_path / "e.csv").write_text(
        "customer_id,journey_id,step,timestamp\n"
        "c1,j1,opened,2024-03-01T09:00\nc1,j1,resolved,2099-03-01T10:00\n"
        "c2,j2,opened,2024-03-02T09:00\nc2,j2,resolved,2024-03-02T11:00\n",
        encoding="utf-8",
    )
    res = _run(["journeys", "map", "e.csv"], tmp_path)
    line = _one_warning(res, "in the future")
    assert "e.csv, row 2, column 'timestamp', value '2099-03-01 10:00:00'" in line


def test_customers_import_with_a_future_purchase_warns_and_stores(tmp_path):
    (tmp_path / "p.csv").write_text(
        "customer,date,amount\na,2024-01-05,100\nb,2099-12-31,50\n", encoding="utf-8"
    )
    res = _run(
        ["customers", "import", "purchases", "p.csv", "--db", f"sqlite:///{tmp_path}/s.db"],
        tmp_path,
    )
    line = _one_warning(res, "in the future")
    assert "p.csv, row 2, column 'date', value '2099-12-31'" in line
    assert "imported 2 purchases" in res.stdout


def test_a_date_of_today_is_not_warned_about(tmp_path):
    today = pd.Timestamp.today().strftime("%Y-%m-%d")
    (tmp_path / "a.csv").write_text(f"nps,day\n9,2024-01-05\n10,{today}\n", encoding="utf-8")
    res = _run(
        ["scores", "nps", "a.csv", "--score", "nps", "--period", "month", "--date", "day"],
        tmp_path,
    )
    assert res.returncode == 0 and not _warnings(res.stderr), res.stderr


# ------------------------------------------------------------------ negative amounts


def _purchases(tmp_path: Path, bad_amount: str) -> list[str]:
    rows = ["id,day,amount"]
    for i in range(12):
        rows += [f"{i},2024-01-0{1 + i % 5},{10 + i}", f"{i},2024-02-1{i % 5},{20 + i}"]
    rows.append(f"4,2024-03-02,{bad_amount}")
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return rows


def test_clv_fit_with_amounts_refuses_a_negative_amount_naming_the_row(tmp_path):
    rows = _purchases(tmp_path, "-25")
    res = _run(
        ["clv", "fit", "t.csv", "--customer", "id", "--date", "day", "--amount", "amount",
         "--calibration-end", "2024-03-31", "-o", "fit.json", "--format", "json"],
        tmp_path,
    )  # fmt: skip
    assert res.returncode == 2, res.stderr
    assert f"t.csv, row {len(rows) - 1}, column 'amount', value '-25'" in res.stderr
    assert "Gamma-Gamma" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "fit.json").exists()


def test_summary_without_the_spend_model_warns_about_a_negative_amount():
    from kundfokus.clv import summary_from_transactions

    tx = pd.DataFrame(
        {"id": [1, 1, 2], "day": ["2024-01-01", "2024-02-01", "2024-01-10"],
         "amount": [10.0, -5.0, 3.0]}
    )  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        summary_from_transactions(tx, "id", "day", "amount", calibration_end="2024-03-31")
    found = [w.message for w in caught if isinstance(w.message, InputWarning)]
    assert len(found) == 1 and "negative" in str(found[0])
    assert (found[0].row, found[0].column, found[0].value) == (2, "amount", -5.0)


def test_customers_import_refuses_a_negative_purchase(tmp_path):
    (tmp_path / "p.csv").write_text(
        "customer,date,amount\na,2024-01-05,100\nb,2024-01-06,-50\n", encoding="utf-8"
    )
    db = tmp_path / "s.db"
    res = _run(["customers", "import", "purchases", "p.csv", "--db", f"sqlite:///{db}"], tmp_path)
    assert res.returncode == 2
    assert "p.csv, row 2, column 'amount', value '-50'" in res.stderr
    assert not db.exists()  # a failed first import leaves no store behind


# ------------------------------------------------------------------ duplicate ids


def test_kano_warns_about_a_repeated_respondent(tmp_path):
    (tmp_path / "k.csv").write_text(
        "respondent,F1_functional,F1_dysfunctional\nr1,1,5\nr2,2,5\nr3,1,4\nr2,1,4\n",
        encoding="utf-8",
    )
    res = _run(["kano", "analyze", "k.csv"], tmp_path)
    line = _one_warning(res, "more than one row")
    assert "k.csv, row 4, column 'respondent', value 'r2'" in line and "first on row 2" in line


def test_odi_warns_about_a_repeated_respondent(tmp_path):
    (tmp_path / "o.csv").write_text(
        "respondent,wait_importance,wait_satisfaction\nr1,5,2\nr2,4,3\nr1,3,3\n",
        encoding="utf-8",
    )
    res = _run(["jtbd", "opportunity", "o.csv"], tmp_path)
    line = _one_warning(res, "more than one row")
    assert "o.csv, row 3, column 'respondent', value 'r1'" in line and "first on row 1" in line


def test_scores_warn_about_a_repeated_respondent_id(tmp_path):
    (tmp_path / "a.csv").write_text(
        "respondent_id,nps\n7,9\n8,10\n9,3\n7,9\n8,6\n", encoding="utf-8"
    )
    res = _run(["scores", "nps", "a.csv", "--score", "nps"], tmp_path)
    line = _one_warning(res, "more than one row")
    assert "a.csv, row 4, column 'respondent_id', value '7'" in line
    assert "2 repeated ids" in line


def test_unique_respondents_give_no_warning(tmp_path):
    (tmp_path / "a.csv").write_text("respondent,nps\na,9\nb,10\nc,3\n", encoding="utf-8")
    res = _run(["scores", "nps", "a.csv", "--score", "nps"], tmp_path)
    assert res.returncode == 0 and not _warnings(res.stderr), res.stderr


def test_a_customer_twice_in_a_contracts_file_is_refused(tmp_path):
    # Stronger than a warning (a contract table holds one row per customer): already refused.
    (tmp_path / "c.csv").write_text(
        "customer,start,end\na,2023-01-01,\nb,2023-01-02,\na,2023-03-01,\n", encoding="utf-8"
    )
    res = _run(
        ["retention", "churn", "c.csv", "--customer", "customer", "--start", "start", "--end",
         "end"],
        tmp_path,
    )  # fmt: skip
    assert res.returncode == 2 and "c.csv" in res.stderr and "'a'" in res.stderr


# ------------------------------------------------------------------ header-only files


@pytest.mark.parametrize(
    ("args", "header", "expected"),
    [
        (["jtbd", "opportunity"], "wait_importance,wait_satisfaction\n", "no answers"),
        (["kano", "analyze"], "F1_functional,F1_dysfunctional\n", "no answers"),
    ],
)
def test_a_header_only_survey_is_refused(tmp_path, args, header, expected):
    (tmp_path / "h.csv").write_text(header, encoding="utf-8")
    res = _run([*args, "h.csv", "-o", "out.txt"], tmp_path)
    assert res.returncode == 2, res.stdout
    assert expected in res.stderr and "h.csv" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.txt").exists()


# ------------------------------------------------------------------ very long contact texts


def _contacts(tmp_path: Path, long_text: str) -> None:
    pd.DataFrame(
        {
            "id": ["a1", "a2", "a3"],
            "customer_id": ["c1", "c2", "c3"],
            "timestamp": ["2024-03-01", "2024-03-02", "2024-03-03"],
            "channel": ["chat", "email", "phone"],
            "text": ["Mitt kort är spärrat", long_text, "Hur höjer jag min limit?"],
        }
    ).to_csv(tmp_path / "k.csv", index=False)


def test_contacts_import_cuts_a_huge_text_with_a_warning(tmp_path):
    from kundfokus.contacts.preparation import MAX_TEXT_CHARS

    _contacts(tmp_path, "lång text " * 1_000_000)  # 10 MB
    db = tmp_path / "s.db"
    res = _run(["contacts", "import", "k.csv", "--db", f"sqlite:///{db}"], tmp_path)
    line = _one_warning(res, "was cut")
    assert "k.csv, row 2, column 'text', value 'lång text" in line
    assert "(9999999 characters)" in line and len(line) < 400  # the text as stripped
    import sqlite3

    with sqlite3.connect(db) as con:
        lengths = dict(con.execute("SELECT external_id, length(text) FROM contacts"))
    assert lengths["a2"] <= MAX_TEXT_CHARS and lengths["a1"] == len("Mitt kort är spärrat")


def test_contacts_classify_cuts_a_huge_text_with_a_warning(tmp_path):
    (tmp_path / "t.csv").write_text(
        "text,label\nlost card,card\ncard stolen,card\nnew loan,loan\nloan rate,loan\n",
        encoding="utf-8",
    )
    assert (
        _run(
            ["contacts", "train", "t.csv", "--label-col", "label", "--model", "m.kfm"], tmp_path
        ).returncode
        == 0
    )
    (tmp_path / "c.csv").write_text("text\nmy card\n" + "loan " * 10_000 + "\n", encoding="utf-8")
    res = _run(["contacts", "classify", "c.csv", "--model", "m.kfm", "-o", "out.csv"], tmp_path)
    line = _one_warning(res, "was cut")
    assert re.search(r"c\.csv, row 2, column 'text', value 'loan loan", line)
    out = pd.read_csv(tmp_path / "out.csv")
    assert out.shape == (2, 3)  # text, <axis>, <axis>_confidence


# ------------------------------------------------------------------ the checks on lazy engines


def test_the_checks_work_on_a_lazy_frame_without_row_numbers():
    import narwhals as nw
    import polars as pl

    from kundfokus.frames import check_days, warn_duplicates

    lf = nw.from_native(
        pl.LazyFrame({"respondent": ["a", "b", "a"], "day": ["2024-01-01", "2099-01-01", None]})
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert warn_duplicates(lf, "respondent")
        check_days(lf, "day", allow_missing=True)
    found = [w.message for w in caught if isinstance(w.message, InputWarning)]
    assert [(w.row, w.column, w.value) for w in found] == [
        (None, "respondent", "a"),
        (None, "day", "2099-01-01"),
    ]
    assert "1 repeated id" in str(found[0]) and "in the future" in str(found[1])


def test_turning_input_warnings_into_errors_stops_the_method():
    from kundfokus.jtbd import opportunity

    df = pd.DataFrame(
        {"respondent": ["r1", "r1"], "wait_importance": [5, 4], "wait_satisfaction": [2, 3]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        with pytest.raises(InputWarning, match="more than one row"):
            opportunity(df)
