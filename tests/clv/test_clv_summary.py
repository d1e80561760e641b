"""Per-customer summary from the raw CDNOW log, in every engine, and the holdout checks."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

from kundfokus.clv import (
    BetaGeo,
    aggregate_summary,
    cumulative_forecast,
    holdout_by_frequency,
    repeat_transactions_by_day,
    summary_from_transactions,
)
from kundfokus.errors import InputError

CAL, OBS = "1997-09-30", "1998-06-30"


@pytest.fixture(scope="module")
def cdnow_log(test_data) -> pl.DataFrame:
    """CDNOW_sample.txt: whitespace-separated, no header, every column as text."""
    rows = [line.split() for line in (test_data / "CDNOW_sample.txt").read_text().splitlines()]
    return pl.DataFrame(rows, schema=["customer", "sample", "date", "cds", "amount"], orient="row")


@pytest.fixture(scope="module")
def summary(cdnow_log) -> pd.DataFrame:
    s = summary_from_transactions(
        cdnow_log, "sample", "date", "amount", calibration_end=CAL, observation_end=OBS
    )
    return s


def test_summary_reproduces_published_cdnow_summary(summary, test_data):
    published = pd.read_csv(test_data / "cdnow_customers_summary.csv")
    spend = pd.read_csv(test_data / "cdnow_customers_summary_with_transactions.csv")
    ours = summary.assign(ID=summary["sample"].astype(int)).sort_values("ID").reset_index(drop=True)
    assert len(ours) == 2357
    assert (ours["ID"].to_numpy() == published["ID"].to_numpy()).all()
    assert (ours["frequency"].to_numpy() == published["frequency"].to_numpy()).all()
    # the published file is rounded to 2 decimals (days / 7, calibration end 1997-09-30 inclusive)
    np.testing.assert_array_equal(ours["recency"].round(2), published["recency"])
    np.testing.assert_array_equal(ours["T"].round(2), published["T"])
    # zbar: mean of the repeat occasions, rounded half-up in the published file
    assert np.abs(ours["monetary_value"] - spend["zbar"]).max() <= 0.005 + 1e-9
    assert ours["holdout_duration"].iloc[0] == pytest.approx(39.0)
    assert ours["holdout_frequency"].sum() == 1882
    assert ours["first_purchase"].min() == dt.date(1997, 1, 1)


def test_same_day_purchases_are_one_occasion():
    tx = pd.DataFrame(
        {
            "c": ["a", "a", "a", "a", "b"],
            "d": ["2020-01-01", "2020-01-01", "2020-01-08", "2020-01-08", "2020-01-05"],
            "m": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    s = summary_from_transactions(tx, "c", "d", "m", calibration_end="2020-01-15", unit="day")
    a = s.set_index("c").loc["a"]
    assert a["frequency"] == 1
    assert a["recency"] == 7.0
    assert a["T"] == 14.0
    assert a["monetary_value"] == 7.0  # 3 + 4 on the repeat day; the first day is left out
    assert s.set_index("c").loc["b", "frequency"] == 0
    weeks = summary_from_transactions(tx, "c", "d", "m", calibration_end="2020-01-15")
    assert weeks.set_index("c").loc["a", "T"] == pytest.approx(2.0)


def test_customers_first_seen_after_calibration_are_left_out():
    tx = pd.DataFrame({"c": [1, 2, 2], "d": ["20200101", "20200301", "20200302"]})
    s = summary_from_transactions(
        tx, "c", "d", calibration_end="20200201", observation_end="20200401"
    )
    assert s["c"].tolist() == [1]
    assert "monetary_value" not in s.columns
    assert s["holdout_frequency"].tolist() == [0]


def _frames(log: pl.DataFrame):
    pdf = log.to_pandas()
    typed = log.with_columns(
        pl.col("date").str.to_date("%Y%m%d"), pl.col("amount").cast(pl.Float64)
    )
    return {
        "pandas-text": pdf,
        "polars-text": log,
        "polars-lazy-typed": typed.lazy(),
        "duckdb-typed": duckdb.from_arrow(typed.to_arrow()),
    }


def test_engines_agree(cdnow_log, summary):
    for name, frame in _frames(cdnow_log).items():
        got = summary_from_transactions(
            frame, "sample", "date", "amount", calibration_end=CAL, observation_end=OBS
        )
        pd.testing.assert_frame_equal(got, summary, check_dtype=False, obj=name)


def test_duckdb_iso_text_dates(cdnow_log, summary):
    iso = cdnow_log.with_columns(pl.col("date").str.to_date("%Y%m%d").dt.strftime("%Y-%m-%d"))
    rel = duckdb.from_arrow(iso.to_arrow())
    got = summary_from_transactions(rel, "sample", "date", "amount", calibration_end=CAL)
    pd.testing.assert_frame_equal(
        got,
        summary.drop(columns=["holdout_frequency", "holdout_monetary_value", "holdout_duration"]),
        check_dtype=False,
    )


@pytest.mark.spark
def test_spark_agrees(spark, cdnow_log, summary):
    sdf = spark.createDataFrame(cdnow_log.to_pandas())
    got = summary_from_transactions(
        sdf, "sample", "date", "amount", calibration_end=CAL, observation_end=OBS
    )
    pd.testing.assert_frame_equal(got, summary, check_dtype=False)
    agg = aggregate_summary(
        sdf_summary := spark.createDataFrame(got[["frequency", "recency", "T"]])
    )
    assert agg["weight"].sum() == sdf_summary.count() == 2357


def test_aggregate_summary_engines_agree(summary):
    base = aggregate_summary(summary)
    assert base["weight"].sum() == len(summary)
    assert len(base) < len(summary)
    pl_agg = aggregate_summary(pl.from_pandas(summary[["frequency", "recency", "T"]]))
    pd.testing.assert_frame_equal(pl_agg, base, check_dtype=False)


@pytest.mark.parametrize(
    ("frame", "column", "row", "value"),
    [
        (
            pd.DataFrame(
                {
                    "c": ["a", "b", "c"],
                    "d": ["19970101", "1997-13-45", "19970105"],
                    "m": ["1", "2", "3"],
                }
            ),
            "d",
            2,
            "1997-13-45",
        ),
        (
            pd.DataFrame(
                {
                    "c": ["a", "b", "c"],
                    "d": ["19970101", "19970102", "19970105"],
                    "m": ["1", "two", "3"],
                }
            ),
            "m",
            2,
            "two",
        ),
        (
            pd.DataFrame(
                {
                    "c": ["a", None, "c"],
                    "d": ["19970101", "19970102", "19970105"],
                    "m": ["1", "2", "3"],
                }
            ),
            "c",
            2,
            "",
        ),
        (
            pl.DataFrame(
                {"c": ["a", "b", "c"], "d": ["19970101", "19970102", None], "m": ["1", "2", "3"]}
            ),
            "d",
            3,
            "",
        ),
        (
            pl.DataFrame(
                {
                    "c": ["a", "b", "c"],
                    "d": ["2020-01-01", "2020-01-02", "01/03/2020"],
                    "m": ["1", "2", "3"],
                }
            ),
            "d",
            3,
            "01/03/2020",
        ),
    ],
)
def test_bad_transactions_name_row_column_value(frame, column, row, value):
    with pytest.raises(InputError) as info:
        summary_from_transactions(frame, "c", "d", "m", calibration_end="1997-03-01")
    assert (info.value.column, info.value.row, info.value.value) == (column, row, value)


def test_bad_arguments():
    tx = pd.DataFrame({"c": ["a"], "d": ["19970101"]})
    with pytest.raises(InputError, match="no customer column"):
        summary_from_transactions(tx, "id", "d", calibration_end="1997-03-01")
    with pytest.raises(InputError, match="unit"):
        summary_from_transactions(tx, "c", "d", calibration_end="1997-03-01", unit="month")
    with pytest.raises(InputError) as info:
        summary_from_transactions(tx, "c", "d", calibration_end="March")
    assert info.value.column == "calibration_end"
    with pytest.raises(InputError, match="before"):
        summary_from_transactions(
            tx, "c", "d", calibration_end="1997-03-01", observation_end="1997-01-01"
        )


def test_holdout_by_frequency(summary):
    model = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    table = holdout_by_frequency(model, summary)
    assert table["frequency"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["customers"].sum() == 2357
    assert table["actual_total"].sum() == summary["holdout_frequency"].sum()
    # conditional expectations rise with past frequency, as the actual means do
    assert np.all(np.diff(table["predicted_mean"].to_numpy()) > 0)
    # and track them: within 40 % in every bucket for CDNOW (FHL 2005, fig. 4)
    ratio = table["predicted_mean"] / table["actual_mean"]
    assert ratio.between(0.6, 1.4).all()


def test_cumulative_forecast(cdnow_log, summary):
    model = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    repeats, cohorts = repeat_transactions_by_day(
        cdnow_log, "sample", "date", calibration_end=CAL, observation_end=OBS
    )
    assert cohorts["customers"].sum() == 2357
    curve = cumulative_forecast(model, repeats, cohorts, calibration_end=CAL, observation_end=OBS)
    assert len(curve) == 78
    assert curve["calibration"].sum() == 39
    cal_row = curve[curve["calibration"]].iloc[-1]
    assert cal_row["cumulative_actual"] == summary["frequency"].sum() == 2457
    assert curve["cumulative_actual"].iloc[-1] == 2457 + 1882
    assert np.all(np.diff(curve["cumulative_predicted"]) >= 0)
    # the model tracks the total within 5 % at the end of the calibration and holdout periods
    for row in (cal_row, curve.iloc[-1]):
        assert row["cumulative_predicted"] == pytest.approx(row["cumulative_actual"], rel=0.05)


def test_pandas_object_dates_from_parquet(cdnow_log, summary, tmp_path):
    # pandas reads a Parquet date column as Python date objects (dtype object)
    typed = cdnow_log.with_columns(
        pl.col("date").str.to_date("%Y%m%d"), pl.col("amount").cast(pl.Float64)
    )
    path = tmp_path / "tx.parquet"
    typed.write_parquet(path)
    frame = pd.read_parquet(path)
    assert frame["date"].dtype == object
    got = summary_from_transactions(
        frame, "sample", "date", "amount", calibration_end=CAL, observation_end=OBS
    )
    pd.testing.assert_frame_equal(got, summary, check_dtype=False)
    frame.loc[5, "date"] = "someday"
    with pytest.raises(InputError) as info:
        summary_from_transactions(frame, "sample", "date", "amount", calibration_end=CAL)
    assert (info.value.row, info.value.column, info.value.value) == (6, "date", "someday")


def _naive_summary(rows, cal: dt.date, obs: dt.date) -> dict:
    """Straightforward per-customer loop, the definition written out."""
    out = {}
    by_customer: dict[str, dict[dt.date, float]] = {}
    for c, d, a in rows:
        if d <= obs:
            by_customer.setdefault(c, {}).setdefault(d, 0.0)
            by_customer[c][d] += a
    for c, days in by_customer.items():
        first = min(days)
        if first > cal:
            continue
        cal_days = sorted(d for d in days if d <= cal)
        repeat = cal_days[1:]
        out[c] = {
            "frequency": len(repeat),
            "recency": (cal_days[-1] - first).days,
            "T": (cal - first).days,
            "monetary_value": sum(days[d] for d in repeat) / len(repeat) if repeat else 0.0,
            "holdout_frequency": sum(1 for d in days if d > cal),
        }
    return out


def test_summary_matches_the_definition_on_random_logs():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    start = dt.date(2024, 1, 1)
    row = st.tuples(
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.integers(0, 120).map(lambda k: start + dt.timedelta(days=k)),
        st.integers(1, 5000).map(lambda cents: cents / 100),
    )

    @settings(max_examples=40, deadline=None)
    @given(st.lists(row, min_size=1, max_size=40), st.integers(0, 100), st.integers(0, 30))
    def check(rows, cal_offset, hold):
        cal = start + dt.timedelta(days=cal_offset)
        obs = cal + dt.timedelta(days=hold)
        frame = pd.DataFrame(rows, columns=["c", "d", "a"])
        frame["d"] = pd.to_datetime(frame["d"])
        expected = _naive_summary(rows, cal, obs)
        if not expected:
            return
        got = summary_from_transactions(
            frame, "c", "d", "a", calibration_end=cal, observation_end=obs, unit="day"
        ).set_index("c")
        assert sorted(got.index) == sorted(expected)
        for c, e in expected.items():
            g = got.loc[c]
            assert g["frequency"] == e["frequency"]
            assert g["recency"] == e["recency"] and g["T"] == e["T"]
            assert g["monetary_value"] == pytest.approx(e["monetary_value"])
            assert g["holdout_frequency"] == e["holdout_frequency"]

    check()
