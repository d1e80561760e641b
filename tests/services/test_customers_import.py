"""Contracts and purchases into the store: all or nothing, bad rows named by row, column and
value, read back equal (SQLite and PostgreSQL), and the ``kundfokus customers import`` commands."""

from __future__ import annotations

from datetime import date

import pandas as pd
import polars as pl
import pytest
from typer.testing import CliRunner

from kundfokus.errors import InputError
from kundfokus.retention import churn
from kundfokus.services.customers_import import (
    import_contracts,
    import_purchases,
    load_contracts,
    load_purchases,
    segments,
)
from kundfokus.services.demo_org import generate_contracts, generate_purchases
from kundfokus.store import db
from kundfokus.store.testing import BACKENDS, temporary_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def contracts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": ["a", "b", "c", "d"],
            "start": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-01-09"],
            "end": ["2024-02-10", None, "2024-02-20", "2024-03-31"],
            "plan": ["fixed", "variable", "variable", None],
            "segment": ["private", "private", "business", ""],
        }
    )


def purchases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": ["a", "a", "b"],
            "date": ["2024-01-05", "2024-03-01", "2024-02-11"],
            "amount": ["120.50", "80", "0"],
        }
    )


def _counts(url: str) -> tuple[int, int]:
    with db.session_scope(url) as s:
        return len(load_contracts(s)), len(load_purchases(s))


def test_contracts_round_trip_and_churn_is_the_same(store):
    with db.session_scope(store) as s:
        result = import_contracts(s, contracts())
    assert (result.n_rows, result.n_customers) == (4, 4)
    assert (result.first, result.last) == ("2024-01-05", "2024-02-03")
    with db.session_scope(store) as s:
        back = load_contracts(s)
        assert segments(s) == ["business", "private"]
        private = load_contracts(s, segment="private")
    assert sorted(back["customer"]) == ["a", "b", "c", "d"]
    assert back.set_index("customer").loc["b", "end"] is None
    assert back.set_index("customer").loc["d", "plan"] is None
    assert sorted(private["customer"]) == ["a", "b"]
    original = churn(contracts(), "customer", start="start", end="end")
    stored = churn(back, "customer", start="start", end="end")
    pd.testing.assert_frame_equal(original, stored)


def test_purchases_round_trip(store):
    with db.session_scope(store) as s:
        result = import_purchases(s, pl.from_pandas(purchases()))  # any engine
    assert (result.n_rows, result.n_customers) == (3, 2)
    with db.session_scope(store) as s:
        back = load_purchases(s)
    assert back["amount"].tolist() == [120.5, 0.0, 80.0]  # by date
    assert back["date"].tolist() == ["2024-01-05", "2024-02-11", "2024-03-01"]


@pytest.mark.parametrize(
    ("change", "row", "column", "value"),
    [
        (lambda f: f.assign(start=["2024-01-05", "2024-13-01", "2024-02-03", "2024-01-09"]),
         2, "start", "2024-13-01"),
        (lambda f: f.assign(end=["2024-02-10", None, "2024-01-20", "2024-03-31"]),
         3, "end", "2024-01-20"),
        (lambda f: f.assign(customer=["a", "b", "a", "d"]), 3, "customer", "a"),
        (lambda f: f.assign(start=["2024-01-05", "", "2024-02-03", "2024-01-09"]),
         2, "start", None),
        (lambda f: f.drop(columns="end"), None, "end", None),
    ],
)  # fmt: skip
def test_a_bad_contract_row_stores_nothing(store, change, row, column, value):
    with pytest.raises(InputError) as info, db.session_scope(store) as s:
        import_contracts(s, change(contracts()))
    err = info.value
    assert (err.row, err.column, err.value) == (row, column, value), str(err)
    assert _counts(store) == (0, 0)


@pytest.mark.parametrize(
    ("amounts", "row", "message"),
    [
        (["10", "-5", "3"], 2, "negative"),
        (["10", "ten", "3"], 2, "not a number"),
        (["10", "4", ""], 3, "missing"),
    ],
)
def test_a_bad_purchase_row_stores_nothing(store, amounts, row, message):
    with pytest.raises(InputError) as info, db.session_scope(store) as s:
        import_purchases(s, purchases().assign(amount=amounts))
    assert info.value.row == row and info.value.column == "amount"
    assert message in info.value.message
    assert _counts(store) == (0, 0)


def test_a_bad_purchase_date_is_named(store):
    bad = purchases().assign(date=["2024-01-05", "5/3/2024", "2024-02-11"])
    with pytest.raises(InputError) as info, db.session_scope(store) as s:
        import_purchases(s, bad)
    assert (info.value.row, info.value.column, info.value.value) == (2, "date", "5/3/2024")
    assert _counts(store) == (0, 0)


def test_a_customer_already_stored_is_refused_and_nothing_more_is_stored(store):
    with db.session_scope(store) as s:
        import_contracts(s, contracts().iloc[:2])
    again = pd.DataFrame(
        {"customer": ["x", "b"], "start": ["2024-05-01", "2024-05-02"], "end": [None, None]}
    )
    with pytest.raises(InputError) as info, db.session_scope(store) as s:
        import_contracts(s, again)
    assert (info.value.row, info.value.value) == (2, "b")
    assert _counts(store) == (2, 0)


def test_the_cli_imports_the_demo_files(tmp_path):
    from kundfokus.cli import app

    url = f"sqlite:///{tmp_path / 'k.db'}"
    as_of = date(2026, 6, 30)
    c_file, p_file = tmp_path / "contracts.csv", tmp_path / "purchases.csv"
    generate_contracts(0, as_of).to_csv(c_file, index=False)
    generate_purchases(0, as_of).to_csv(p_file, index=False)
    runner = CliRunner()
    res = runner.invoke(app, ["customers", "import", "contracts", str(c_file), "--db", url])
    assert res.exit_code == 0, res.output
    assert "imported 1500 contracts of 1500 customers" in res.output
    res = runner.invoke(
        app, ["customers", "import", "purchases", str(p_file), "--db", url, "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert '"n_customers": 700' in res.output
    assert _counts(url) == (1500, len(generate_purchases(0, as_of)))
    # importing the same contracts again is refused, with the row named
    res = runner.invoke(app, ["customers", "import", "contracts", str(c_file), "--db", url])
    assert isinstance(res.exception, InputError)
    assert "contracts.csv, row 1, column 'customer'" in str(res.exception)
    assert _counts(url)[0] == 1500
