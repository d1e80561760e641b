"""The event schema and its checks: timestamps, missing values, unknown steps, duplicate ids and
time going backwards, with the row, column and value named; the same on every engine."""

from __future__ import annotations

import duckdb
import pandas as pd
import polars as pl
import pytest

from kundfokus.errors import InputError
from kundfokus.journeys import check_events


def events(changes: dict | None = None) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "customer_id": ["c1", "c1", "c1", "c2"],
            "journey_id": ["j1", "j1", "j1", "j2"],
            "step": ["opened", "answered", "resolved", "opened"],
            "timestamp": ["2024-03-01", "2024-03-01 08:30", "2024-03-01T09:15:20.250Z",
                          "2024-03-02 10:00:00"],
            "event_id": ["e1", "e2", "e3", "e4"],
            "agent": [None, "A1", "A1", None],
        }
    )  # fmt: skip
    for (col, row), value in (changes or {}).items():
        df.loc[row, col] = value
    return df


def eager(df: pd.DataFrame) -> list:
    return [df, pl.from_pandas(df)]


def lazy(df: pd.DataFrame) -> list:
    p = pl.from_pandas(df)
    return [p.lazy(), duckdb.from_arrow(p.to_arrow())]


def _collect(f):
    return (f.collect() if hasattr(f, "collect") else f).to_pandas()


@pytest.mark.parametrize("make", [eager, lazy])
def test_iso_timestamps_become_naive_datetimes(make) -> None:
    for f in make(events()):
        out = check_events(f)
        # fractions of a second may be kept or dropped: compare whole seconds
        ts = _collect(out).sort_values("event_id")["timestamp"].dt.floor("s").tolist()
        assert ts == [pd.Timestamp("2024-03-01 00:00"), pd.Timestamp("2024-03-01 08:30"),
                      pd.Timestamp("2024-03-01 09:15:20"), pd.Timestamp("2024-03-02 10:00")]  # fmt: skip
        assert type(out.to_native()) is type(f)  # stays in its engine
        assert "agent" in out.collect_schema().names()


def test_offsets_and_datetime_columns_are_converted_to_utc() -> None:
    df = events({("timestamp", 1): "2024-03-01T10:30:00+02:00"})
    for f in eager(df):
        ts = _collect(check_events(f))["timestamp"].tolist()
        assert ts[1] == pd.Timestamp("2024-03-01 08:30")
    aware = events()
    aware["timestamp"] = pd.to_datetime(
        ["2024-03-01 01:00", "2024-03-01 09:30", "2024-03-01 10:00", "2024-03-02 11:00"]
    ).tz_localize("Europe/Stockholm")
    out = _collect(check_events(aware))
    assert out["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 00:00")
    assert out["timestamp"].dt.tz is None


@pytest.mark.parametrize(
    ("change", "column", "value", "message"),
    [
        ({("timestamp", 2): "yesterday"}, "timestamp", "yesterday", "not a timestamp"),
        ({("timestamp", 2): "2024-02-30 10:00"}, "timestamp", "2024-02-30 10:00",
         "not a (real date|timestamp)"),
        ({("timestamp", 2): "2024-03-01 25:00"}, "timestamp", "2024-03-01 25:00",
         "not a (real date|timestamp)"),
        ({("timestamp", 2): None}, "timestamp", None, "missing|not a timestamp"),
        ({("step", 2): "fixed"}, "step", "fixed", "unknown step"),
        ({("journey_id", 2): ""}, "journey_id", None, "missing"),
        ({("event_id", 2): "e1"}, "event_id", "e1", "duplicate event id"),
    ],
)  # fmt: skip
def test_bad_events_name_row_column_and_value(change, column, value, message) -> None:
    df = events(change)
    steps = ["opened", "answered", "resolved"]
    for f in eager(df):
        with pytest.raises(InputError, match=message) as err:
            check_events(f, steps=steps)
        assert (err.value.row, err.value.column) == (3, column)
        if value is not None:
            assert err.value.value == value
    for f in lazy(df):
        with pytest.raises(InputError, match=message) as err:
            check_events(f, steps=steps)
        assert err.value.column == column and err.value.row is None


def test_missing_column() -> None:
    with pytest.raises(InputError, match="no such column") as err:
        check_events(events().drop(columns="step"))
    assert err.value.column == "step" and "customer_id" in err.value.hint


def test_time_going_backwards_in_file_order() -> None:
    df = events({("timestamp", 2): "2024-03-01 08:00"})  # before the event above it
    for f in eager(df):
        with pytest.raises(InputError, match="time goes backwards") as err:
            check_events(f)
        assert (err.value.row, err.value.column) == (3, "timestamp")
        assert "j1" in str(err.value)
        check_events(f, check_order=False)  # accepted when order does not matter
    # another journey may be earlier: only order within a journey counts
    ok = events({("timestamp", 3): "2024-01-01"})
    check_events(ok)
    # lazy engines: checked in the order of an explicit column, else not at all
    df["seq"] = [1, 2, 3, 4]
    for f in lazy(df):
        check_events(f)  # no file order in a lazy engine: not checked (documented)
        with pytest.raises(InputError, match="time goes backwards"):
            check_events(f, order="seq")


@pytest.mark.spark
def test_time_order_check_with_order_column_on_spark(spark) -> None:
    df = events({("timestamp", 2): "2024-03-01 08:00"})
    df["seq"] = [1, 2, 3, 4]
    with pytest.raises(InputError, match="time goes backwards"):
        check_events(spark.createDataFrame(df), order="seq")
    with pytest.raises(InputError, match=r"not a (real date|timestamp)") as err:
        check_events(spark.createDataFrame(events({("timestamp", 1): "2023-02-29"})))
    assert err.value.value == "2023-02-29"
    out = check_events(spark.createDataFrame(events())).collect().to_pandas()
    assert sorted(out["timestamp"].dt.floor("s"))[2] == pd.Timestamp("2024-03-01 09:15:20")


def test_not_a_frame() -> None:
    with pytest.raises(InputError, match="expected a pandas"):
        check_events([1, 2, 3])
