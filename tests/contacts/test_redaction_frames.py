"""redact_frame on every engine: pandas, Polars (eager and lazy), PyArrow, DuckDB and PySpark."""

from __future__ import annotations

import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from kundfokus.contacts.redaction import redact_frame
from kundfokus.errors import InputError

TEXTS = ["Ring 070-123 45 67", None, "pnr 811218-9876, order 123456", "mejla a@b.se"]
EXPECTED = ["Ring [PHONE]", None, "pnr [PERSONNUMMER], order 123456", "mejla [EMAIL]"]
NOTES = ["070-123 45 67", "x", None, "y"]


def _data():
    return {"id": [1, 2, 3, 4], "text": TEXTS, "note": NOTES}


def _check(rows: list[dict]):
    rows = sorted(rows, key=lambda r: r["id"])

    def col(name):
        return [None if (t is None or t != t) else t for t in (r[name] for r in rows)]

    assert col("text") == EXPECTED
    assert col("note") == NOTES  # other columns untouched


def test_pandas():
    out = redact_frame(pd.DataFrame(_data()))
    assert isinstance(out, pd.DataFrame)
    _check(out.to_dict("records"))


def test_polars_eager_and_lazy():
    out = redact_frame(pl.DataFrame(_data()))
    assert isinstance(out, pl.DataFrame)
    _check(out.to_dicts())
    lazy = redact_frame(pl.LazyFrame(_data()))
    assert isinstance(lazy, pl.LazyFrame)
    _check(lazy.collect().to_dicts())


def test_pyarrow():
    out = redact_frame(pa.table(_data()))
    assert isinstance(out, pa.Table)
    _check(out.to_pylist())


def test_duckdb():
    con = duckdb.connect()
    rel = con.sql(
        "select * from (values (1, 'Ring 070-123 45 67', '070-123 45 67'), (2, null, 'x'), "
        "(3, 'pnr 811218-9876, order 123456', null), (4, 'mejla a@b.se', 'y')) t(id, text, note)"
    )
    out = redact_frame(rel)
    assert isinstance(out, duckdb.DuckDBPyRelation)
    _check(out.pl().to_dicts())


def test_several_columns_and_kinds():
    out = redact_frame(pl.DataFrame(_data()), ["text", "note"], kinds=["phone"])
    assert out["note"].to_list()[0] == "[PHONE]"
    assert out["text"].to_list()[2] == "pnr 811218-9876, order 123456"


def test_bad_columns_and_values():
    with pytest.raises(InputError) as err:
        redact_frame(pd.DataFrame(_data()), "body")
    assert err.value.column == "body"
    with pytest.raises(InputError) as err:
        redact_frame(pl.DataFrame(_data()), "id")
    assert err.value.column == "id" and "Int64" in str(err.value.value)
    with pytest.raises(InputError) as err:
        redact_frame(pd.DataFrame({"text": ["ok", 5]}, dtype=object))
    assert (err.value.row, err.value.column, err.value.value) == (2, "text", 5)


@pytest.mark.spark
def test_spark(spark):
    # A pandas UDF runs in Python workers, which must be this venv's Python (kundfokus and pandas
    # installed). The shared fixture does not set PYSPARK_PYTHON, and a UDF takes the context's
    # pythonExec when it is created, so point it here (on a cluster: install kundfokus on the
    # executors and set spark.pyspark.python).
    spark.sparkContext.pythonExec = sys.executable
    df = spark.createDataFrame(pd.DataFrame(_data()).astype(object).where(pd.notna, None))
    out = redact_frame(df)
    assert type(out).__module__.startswith("pyspark")
    _check([r.asDict() for r in out.collect()])
