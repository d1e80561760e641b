"""Frames from any engine, through narwhals."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd


def to_pandas(frame: Any) -> pd.DataFrame:
    """Collect a frame of any engine narwhals knows (pandas, Polars eager or lazy, DuckDB,
    PySpark, or a narwhals frame over one of them) into a pandas frame.

    Call it on small, already aggregated results: a lazy frame is computed here.

    >>> import polars as pl
    >>> to_pandas(pl.LazyFrame({"a": [1, 2]}))["a"].tolist()
    [1, 2]
    """
    if isinstance(frame, pd.DataFrame):
        return frame
    nf = frame if isinstance(frame, (nw.DataFrame, nw.LazyFrame)) else nw.from_native(frame)
    if isinstance(nf, nw.LazyFrame):
        nf = nf.collect()
    return nf.to_pandas()
