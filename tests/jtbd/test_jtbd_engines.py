"""The same opportunity scores from a PySpark frame as from pandas (local-mode Spark)."""

from __future__ import annotations

import pandas as pd
import pytest

from kundfokus.errors import InputError
from kundfokus.io import read_table
from kundfokus.jtbd import opportunity, read_inventory


@pytest.mark.spark
def test_spark_agrees_with_pandas(spark, examples_dir):
    inv = read_inventory(examples_dir / "jtbd_inventory.yaml")
    answers = read_table(examples_dir / "odi_answers.csv").to_pandas()
    answers = answers.head(120)  # small: the point is the engine, not the size
    reference = opportunity(answers, inventory=inv, by="channel")
    sdf = spark.createDataFrame(answers.astype(object).where(answers != "", None))
    got = opportunity(sdf, inventory=inv, by="channel")
    # blanks are nulls in Spark and empty text in pandas: both are "no answer"
    pd.testing.assert_frame_equal(got, reference, check_dtype=False)

    bad = answers.copy()
    bad.loc[7, "repeat_satisfaction"] = "often"
    with pytest.raises(InputError) as info:
        opportunity(spark.createDataFrame(bad))
    # Spark has no row order to report; the column and value are exact
    assert (info.value.row, info.value.column, info.value.value) == (
        None,
        "repeat_satisfaction",
        "often",
    )


def test_engines_reading_the_example_file_agree(examples_dir):
    """DuckDB and Polars reading the CSV themselves (typed columns, nulls) match the text read."""
    import duckdb
    import polars as pl

    path = examples_dir / "odi_answers.csv"
    inv = read_inventory(examples_dir / "jtbd_inventory.yaml")
    reference = opportunity(read_table(path), inventory=inv, by="channel")
    con = duckdb.connect()
    for native in (con.read_csv(str(path)), pl.scan_csv(path), pl.read_csv(path).to_pandas()):
        got = opportunity(native, inventory=inv, by="channel")
        pd.testing.assert_frame_equal(got, reference, check_dtype=False)
