"""pandas, Polars (eager and lazy), DuckDB and Spark give the same CPIs and per-journey values."""

from __future__ import annotations

import duckdb
import pandas as pd
import polars as pl
import pytest
from cpi_journeys import DEFS, generate

from kundfokus.cpi import compute_cpis, cpis_per_journey
from kundfokus.errors import InputError


@pytest.fixture(scope="module")
def events():
    return generate(160, seed=11)[0]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_dtype=False)  # fmt: skip


def _per_journey(frame):
    out = cpis_per_journey(frame, DEFS)
    out["customer_id"] = out["customer_id"].astype(int)
    out["journey_id"] = out["journey_id"].astype(int)
    return out.sort_values(["customer_id", "journey_id"], ignore_index=True)


def test_polars_and_duckdb_match_pandas(events):
    kw = {"by": "segment", "period": "week"}
    ref = compute_cpis(events, DEFS, **kw).table
    ref_j = _per_journey(events)
    as_text = events.assign(timestamp=events["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S"))
    for frame in (
        pl.from_pandas(events),
        pl.from_pandas(events).lazy(),
        duckdb.connect().from_df(events),
        pl.from_pandas(as_text),  # ISO text timestamps, parsed in the engine
        duckdb.connect().from_df(as_text),
    ):
        _same(compute_cpis(frame, DEFS, **kw).table, ref)
        _same(_per_journey(frame), ref_j)


def test_lazy_engines_name_the_bad_value(events):
    con = duckdb.connect()
    bad = events.assign(timestamp=events["timestamp"].astype(str))
    bad.loc[5, "timestamp"] = "soon"
    with pytest.raises(InputError) as e:
        compute_cpis(con.from_df(bad), DEFS)
    assert e.value.value == "soon" and e.value.row is None
    with pytest.raises(InputError) as e:
        compute_cpis(pl.from_pandas(bad), DEFS)
    assert e.value.value == "soon" and e.value.row == 6


@pytest.mark.spark
def test_spark_matches_pandas(spark, events):
    kw = {"by": "segment", "period": "month"}
    sdf = spark.createDataFrame(events)
    _same(compute_cpis(sdf, DEFS, **kw).table, compute_cpis(events, DEFS, **kw).table)
    _same(_per_journey(sdf), _per_journey(events))
