"""The same Kano analysis on pandas, Polars, DuckDB and PySpark frames gives identical results."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

from kundfokus.errors import InputError
from kundfokus.kano import WORDINGS, analyze

TEXTS = WORDINGS["classic"]["en"]


def _answers(n: int = 120, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, list[object]] = {
        "id": [f"r{i}" for i in range(n)],
        "channel": rng.choice(["phone", "chat"], size=n).tolist(),
    }
    for f in ("F1", "F2", "F3"):
        fc = rng.integers(1, 6, size=n)
        dc = rng.integers(1, 6, size=n)
        data[f"{f}_functional"] = [TEXTS[c - 1] for c in fc]
        data[f"{f}_dysfunctional"] = [TEXTS[c - 1] for c in dc]
        data[f"{f}_importance"] = [str(v) for v in rng.integers(1, 10, size=n)]
    frame = pd.DataFrame(data)
    frame.loc[3, "F2_functional"] = None  # a skipped answer
    frame.loc[7, "F3_importance"] = None
    return frame


def _compare(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False, rtol=1e-12
    )


@pytest.mark.parametrize("engine", ["polars", "polars-lazy", "duckdb"])
def test_engines_agree(engine: str) -> None:
    base = _answers()
    native: object
    if engine == "polars":
        native = pl.from_pandas(base)
    elif engine == "polars-lazy":
        native = pl.from_pandas(base).lazy()
    else:
        native = duckdb.from_df(base)
    for kwargs in ({}, {"by": "channel", "table": "pouliot", "rule": "oam"}, {"exclude": "I"}):
        want = analyze(base, **kwargs)
        got = analyze(native, **kwargs)
        _compare(want.features, got.features)
        if want.group_tests is not None:
            _compare(want.group_tests, got.group_tests)
        _compare(want.removed, got.removed)


def test_duckdb_error_names_row() -> None:
    base = _answers(20)
    base.loc[11, "F1_dysfunctional"] = "no idea"
    rel = duckdb.from_df(base)
    with pytest.raises(InputError) as e:
        analyze(rel)
    assert (e.value.row, e.value.column, e.value.value) == (12, "F1_dysfunctional", "no idea")


@pytest.mark.spark
def test_spark_agrees(spark) -> None:
    base = _answers(40)
    sdf = spark.createDataFrame(base.astype(object).where(base.notna(), None))
    want = analyze(base, by="channel")
    got = analyze(sdf, by="channel")
    _compare(want.features, got.features)
    _compare(want.group_tests, got.group_tests)
