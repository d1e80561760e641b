"""Per-journey CPI values, computed inside the frame's own engine (narwhals).

One pass over the events builds, per journey (``customer_id``, ``journey_id``), every raw value the
CPIs need: the first ``from`` time and the first ``to`` time after it, counts, sums, changes of a
field in time order, whether a step was reached, the answer at a step, the journey's first event time
(its period) and the ``by`` column's value at its first event (its group). Only that table, one row
per journey, comes back to Python, where the statistics are computed.

pandas and eager Polars inputs run on the Polars lazy engine (over the same Arrow memory); DuckDB
relations and PySpark frames run in DuckDB and Spark.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.cpi.definitions import Cpi
from kundfokus.errors import InputError
from kundfokus.frames import first_row, plain_value
from kundfokus.journeys.columnar import (
    SortedEvents,
    condition_mask,
    in_process,
    load_events,
    text_codes,
)

__all__ = ["KEYS", "JourneyValues", "journey_values", "prepare_events"]

KEYS = ["customer_id", "journey_id"]
TS = "timestamp"
REQUIRED = [*KEYS, "step", TS]


def _lazy(events: Any) -> nw.LazyFrame[Any]:
    if isinstance(events, (nw.DataFrame, nw.LazyFrame)):
        nf: Any = events
    else:
        if isinstance(events, pd.DataFrame):
            import polars as pl

            try:
                events = pl.from_pandas(events)
            except Exception as exc:  # mixed object columns and the like
                raise InputError(
                    f"cannot read the events frame: {exc}",
                    hint="give each column one type (text, number or timestamp)",
                ) from None
        try:
            nf = nw.from_native(events)
        except TypeError as exc:
            raise InputError(
                "expected a pandas, Polars, DuckDB or PySpark frame of events, "
                f"got {type(events).__name__}"
            ) from exc
    if isinstance(nf, nw.DataFrame):
        if nf.implementation.is_pandas_like():
            import polars as pl

            nf = nw.from_native(pl.from_pandas(nf.to_native()))
        nf = nf.lazy()
    return nf


def _bad_row(lf: nw.LazyFrame[Any], eager: Any, mask: nw.Expr, column: str) -> tuple[Any, Any]:
    """Row (for eager inputs) and value of the first row where ``mask`` holds."""
    if eager is not None:
        return first_row(eager, mask, column)
    return first_row(lf, mask, column)


_NUMBER = r"^[-+]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][-+]?[0-9]+)?$"


def _text_numbers(lf: nw.LazyFrame[Any], eager: Any, columns: list[str]) -> nw.LazyFrame[Any]:
    """Text columns of numbers (what ``read_table`` gives for CSV) as Float64; a decimal comma is
    read as a point; an empty cell is missing; anything else is an error naming row and value."""
    schema = lf.collect_schema()
    text_cols = [c for c in dict.fromkeys(columns) if schema[c] == nw.String]
    if not text_cols:
        return lf
    clean = {c: nw.col(c).str.strip_chars().str.replace_all(",", ".") for c in text_cols}
    bad = {
        c: (~e.str.contains(_NUMBER) & ~e.is_null() & (e != "")).fill_null(False)
        for c, e in clean.items()
    }
    counts = _collect(lf.select(*[b.cast(nw.Int64).sum().alias(c) for c, b in bad.items()]))
    for c in text_cols:
        if int(counts[c].iloc[0] or 0):
            row, value = _bad_row(lf, eager, bad[c], c)
            raise InputError("not a number", row=row, column=c, value=value)
    return lf.with_columns(
        *[
            nw.when(e.str.contains(_NUMBER).fill_null(False)).then(e).cast(nw.Float64).alias(c)
            for c, e in clean.items()
        ]
    )


def prepare_events(
    events: Any, columns: list[str], numeric: list[str] | None = None
) -> tuple[nw.LazyFrame[Any], Any]:
    """The events as a narwhals lazy frame with the needed columns and a datetime ``timestamp``.

    The events are checked by :func:`kundfokus.journeys.events.check_events` (required columns,
    missing keys, ISO 8601 timestamps with ``T``/``Z``/offsets, impossible dates), without its
    file-order check: CPIs put events in time order themselves. Text columns the CPIs read as
    numbers are parsed here. Returns the frame and, for eager inputs, an eager frame to name bad
    rows by number.
    """
    from kundfokus.journeys.events import check_events

    eager = _eager(events)
    lf = eager.lazy() if eager is not None else _lazy(events)
    have = list(lf.collect_schema().names())
    for c in dict.fromkeys([*REQUIRED, *columns]):
        if c not in have:
            raise InputError(
                "no such column in the events",
                column=c,
                hint=f"the columns are: {', '.join(map(str, have))}",
            )
    needed = list(dict.fromkeys([*REQUIRED, *columns]))
    if eager is not None:
        # Checked eagerly (Polars), so that errors name the row; then run lazily.
        eager = eager.select(*needed)
        checked = check_events(eager, check_order=False)
        lf = checked.lazy() if isinstance(checked, nw.DataFrame) else checked
    else:
        checked = check_events(lf.select(*needed), check_order=False)
        lf = checked.lazy() if isinstance(checked, nw.DataFrame) else checked
    if numeric:
        lf = _text_numbers(lf, eager, numeric)
    return lf, eager


def _eager(events: Any) -> nw.DataFrame[Any] | None:
    """An eager Polars narwhals frame for pandas/Polars eager input (row order kept), else None."""
    if isinstance(events, nw.LazyFrame):
        return None
    if isinstance(events, nw.DataFrame):
        native = events.to_native()
    elif isinstance(events, pd.DataFrame) or _is_eager(events):
        native = events
    else:
        return None
    if isinstance(native, pd.DataFrame):
        import polars as pl

        try:
            native = pl.from_pandas(native)
        except Exception as exc:  # mixed object columns and the like
            raise InputError(
                f"cannot read the events frame: {exc}",
                hint="give each column one type (text, number or timestamp)",
            ) from None
    return nw.from_native(native, eager_only=True)


def _is_eager(native: Any) -> bool:
    try:
        nw.from_native(native, eager_only=True)
    except TypeError:
        return False
    return True


def _collect(lf: nw.LazyFrame[Any] | nw.DataFrame[Any]) -> pd.DataFrame:
    out = lf.collect() if isinstance(lf, nw.LazyFrame) else lf
    return out.to_pandas()


def condition_expr(cond: dict[str, Any], schema: Any, cpi: Cpi, key: str) -> nw.Expr:
    """All of ``column == value`` (or ``is_in`` for a list), nulls counting as not matching."""
    expr: nw.Expr | None = None
    for column, value in cond.items():
        dtype = schema[column]
        values = value if isinstance(value, list) else [value]
        if dtype == nw.String or dtype == nw.Categorical or dtype == nw.Enum:
            col = nw.col(column).cast(nw.String)
            values = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
        elif dtype.is_numeric():
            col = nw.col(column)
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                raise InputError(
                    f"cpi {cpi.id!r}, key {key!r}: the column holds numbers, the condition "
                    "gives text",
                    column=column,
                    value=value,
                )
        elif dtype == nw.Boolean:
            col = nw.col(column)
            if not all(isinstance(v, bool) for v in values):
                raise InputError(
                    f"cpi {cpi.id!r}, key {key!r}: the column holds true/false values",
                    column=column,
                    value=value,
                )
        else:
            col = nw.col(column).cast(nw.String)
            values = [str(v) for v in values]
        e = (col == values[0]) if len(values) == 1 else col.is_in(values)
        e = e.fill_null(False)
        expr = e if expr is None else (expr & e)
    assert expr is not None
    return expr


class JourneyValues:
    """The per-journey table (pandas) and facts about the data."""

    def __init__(self, table: pd.DataFrame, end: pd.Timestamp | None, n_events: int) -> None:
        self.table = table
        #: The end of the data: the latest timestamp of all events.
        self.end = end
        self.n_events = n_events


def _present(expr: nw.Expr) -> nw.Expr:
    return ~expr.is_null()


def _numeric_field(cpi: Cpi, schema: Any) -> nw.Expr:
    assert cpi.field is not None
    dtype = schema[cpi.field]
    if dtype.is_numeric():
        return nw.col(cpi.field).cast(nw.Float64)
    if dtype == nw.Boolean:
        return nw.col(cpi.field).cast(nw.Float64)
    raise InputError(
        f"cpi {cpi.id!r}, key 'field': kind {cpi.kind} needs numbers; the column has type {dtype}",
        column=cpi.field,
    )


def journey_values(events: Any, cpis: list[Cpi], by: str | None = None) -> JourneyValues:
    """Compute, in the events' engine, one row per journey with the raw values of every CPI.

    Columns: the keys, ``_start`` and ``_last`` (first and last event time), ``_group`` (the ``by``
    value at the first event, as text), ``_events`` and, per CPI number ``i``, ``c{i}_*`` columns
    (see :mod:`kundfokus.cpi.compute` for how they are read).
    """
    columns = [c for cpi in cpis for c in cpi.columns()]
    if by is not None:
        columns.append(by)
    numeric = [c.field for c in cpis if c.kind in ("sum", "answer") and c.field is not None]
    if in_process(events):
        return _columnar_values(events, cpis, by, columns, numeric)
    lf, eager = prepare_events(events, columns, numeric)
    schema = lf.collect_schema()
    ts = nw.col(TS)
    pre: list[nw.Expr] = []  # first helper columns
    win: list[nw.Expr] = []  # helper columns that need the first ones (windows)
    post: list[nw.Expr] = []  # helper columns that need the windows
    aggs: list[nw.Expr] = [
        ts.min().alias("_start"),
        ts.max().alias("_last"),
        nw.len().alias("_events"),
        ts.is_null().cast(nw.Int64).sum().alias("_ts_null"),
    ]
    if by is not None:
        win.append(ts.min().over(*KEYS).alias("_kf_first"))
        post.append(
            nw.when(ts == nw.col("_kf_first")).then(nw.col(by).cast(nw.String)).alias("_kf_g")
        )
        aggs.append(nw.col("_kf_g").min().alias("_group"))
    for i, cpi in enumerate(cpis):
        p = f"c{i}_"
        conds = {k: condition_expr(v, schema, cpi, k) for k, v in cpi.conditions().items()}
        if "among" in conds:
            pre.append(conds["among"].cast(nw.Int64).alias(p + "among"))
            aggs.append(nw.col(p + "among").max())
        if cpi.kind == "duration":
            pre.append(nw.when(conds["from"]).then(ts).alias(p + "from"))
            win.append(nw.col(p + "from").min().over(*KEYS).alias(p + "first"))
            post.append(nw.when(conds["to"] & (ts >= nw.col(p + "first"))).then(ts).alias(p + "to"))
            post.append(conds["to"].cast(nw.Int64).alias(p + "anyto"))
            aggs += [nw.col(p + "from").min(), nw.col(p + "to").min(), nw.col(p + "anyto").max()]
        elif cpi.kind == "count":
            pre.append(conds["where"].cast(nw.Int64).alias(p + "count"))
            aggs.append(nw.col(p + "count").sum())
        elif cpi.kind == "changes":
            assert cpi.field is not None
            valid = _present(nw.col(cpi.field))
            if "where" in conds:
                valid = valid & conds["where"]
            pre.append(valid.alias(p + "valid"))
            win.append(
                nw.col(cpi.field)
                .shift(1)
                .over(*KEYS, p + "valid", order_by=[TS, cpi.field])
                .alias(p + "prev")
            )
            post.append(
                nw.when(
                    nw.col(p + "valid")
                    & _present(nw.col(p + "prev"))
                    & (nw.col(cpi.field) != nw.col(p + "prev"))
                )
                .then(1)
                .otherwise(0)
                .alias(p + "changes")
            )
            post.append(nw.col(p + "valid").cast(nw.Int64).alias(p + "nvalid"))
            aggs += [nw.col(p + "changes").sum(), nw.col(p + "nvalid").sum()]
        elif cpi.kind == "share":
            pre.append(conds["reach"].cast(nw.Int64).alias(p + "reach"))
            aggs.append(nw.col(p + "reach").max())
            if "without" in conds:
                pre.append(conds["without"].cast(nw.Int64).alias(p + "without"))
                aggs.append(nw.col(p + "without").max())
        elif cpi.kind == "sum":
            value = _numeric_field(cpi, schema)
            if "where" in conds:
                value = nw.when(conds["where"]).then(value)
            pre.append(value.alias(p + "sum"))
            pre.append(_present(value).cast(nw.Int64).alias(p + "nvalue"))
            aggs += [nw.col(p + "sum").sum(), nw.col(p + "nvalue").sum()]
        elif cpi.kind == "answer":
            value = _numeric_field(cpi, schema)
            ok = conds["at"] & _present(value)
            pre.append(nw.when(ok).then(ts).alias(p + "at"))
            win.append(nw.col(p + "at").min().over(*KEYS).alias(p + "atfirst"))
            post.append(nw.when(ok & (ts == nw.col(p + "atfirst"))).then(value).alias(p + "answer"))
            post.append(conds["at"].cast(nw.Int64).alias(p + "anyat"))
            aggs += [nw.col(p + "answer").mean(), nw.col(p + "anyat").max()]
    for stage in (pre, win, post):
        if stage:
            lf = lf.with_columns(*stage)
    try:
        table = _collect(lf.group_by(*KEYS).agg(*aggs))
    except InputError:
        raise
    except Exception as exc:  # an engine's own error on values it cannot convert
        raise InputError(
            f"cannot compute the CPIs from these events: {str(exc).splitlines()[0]}",
            hint="check the timestamps (real dates and times) and the number columns",
        ) from None
    _check_keys(table, lf, eager)
    n_events = int(table["_events"].sum()) if len(table) else 0
    times = [
        f"c{i}_{s}" for i, c in enumerate(cpis) if c.kind == "duration" for s in ("from", "to")
    ]
    for c in ("_start", "_last", *times):
        table[c] = _naive(table[c])
    end = table["_last"].max() if len(table) else None
    table = table.sort_values(KEYS, kind="stable", ignore_index=True)
    return JourneyValues(table, None if end is None or pd.isna(end) else end, n_events)


def _naive(s: pd.Series) -> pd.Series:
    """Datetimes as naive UTC ``datetime64[us]`` (engines differ in time zones and precision)."""
    s = pd.to_datetime(s)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    return s.astype("datetime64[us]")


def _check_keys(table: pd.DataFrame, lf: nw.LazyFrame[Any], eager: Any) -> None:
    for k in KEYS:
        if table[k].isna().any():
            row, value = _bad_row(lf, eager, nw.col(k).is_null(), k)
            raise InputError("the id is missing", row=row, column=k, value=plain_value(value))
    if (table["_ts_null"] > 0).any():
        row, _ = _bad_row(lf, eager, nw.col(TS).is_null(), TS)
        raise InputError("the timestamp is missing", row=row, column=TS)


# --- the columnar kernel (pandas, Polars, DuckDB): sorted once, segmented reductions ----------

_NAT = np.iinfo(np.int64).max


def _as_times(us: np.ndarray) -> pd.Series:
    """int64 microseconds (``_NAT`` for none) as naive ``datetime64[us]`` with NaT."""
    out = us.astype("datetime64[us]")
    out[us == _NAT] = np.datetime64("NaT")
    return pd.Series(out)


def _text_column(s: Any) -> pd.Series:
    """A Polars text series as pandas text, straight from its Arrow memory."""
    return pd.Series(pd.array(s.to_arrow(), dtype=pd.StringDtype(na_value=np.nan)))


def _text_group(se: SortedEvents, by: str) -> np.ndarray:
    """Per journey, the ``by`` value (as text) at its first event: the least of the values at the
    first moment, as the engine path's ``min`` over the first moment's rows."""
    import polars as pl

    s = se.frame.get_column(by)
    if s.dtype.is_numeric() or s.dtype == pl.Boolean:  # the engine compares these as text
        codes, uniques = text_codes(s.cast(pl.String))
        codes = codes[se.order]
    else:
        codes, uniques = se.codes(by)
    names = np.array([*uniques, None], dtype=object)
    at_first = se.ts == se.ts[se.starts][se.gid]
    ok = at_first & (codes >= 0)
    best = np.minimum.reduceat(np.where(ok, codes, np.iinfo(np.int32).max), se.starts)
    best[best == np.iinfo(np.int32).max] = -1
    return names[best]


def _changes(se: SortedEvents, field: str, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per journey, how often ``field`` changes between consecutive valid events (in time order,
    ties ordered by the value) and how many valid events there are."""
    codes, _ = se.codes(field)
    idx = np.flatnonzero(valid)
    g = se.gid[idx]
    c = codes[idx]
    t = se.ts[idx]
    same = g[1:] == g[:-1]
    if np.any(same & (t[1:] == t[:-1]) & (c[1:] != c[:-1])):
        # events at the same moment with different values: order those by the value
        o = np.lexsort((c, t, g))
        g, c = g[o], c[o]
        same = g[1:] == g[:-1]
    change = same & (c[1:] != c[:-1])
    n = se.n_journeys
    changes = np.bincount(g[1:][change], minlength=n)
    nvalid = np.bincount(g, minlength=n)
    return changes, nvalid


def _numeric_values(se: SortedEvents, column: str) -> np.ndarray:
    import polars as pl

    s = se.frame.get_column(column)
    return s.cast(pl.Float64).to_numpy()[se.order]


def _columnar_values(
    events: Any, cpis: list[Cpi], by: str | None, columns: list[str], numeric: list[str]
) -> JourneyValues:
    from kundfokus.journeys.columnar import _columns_of, _native

    have = _columns_of(_native(events))
    for c in dict.fromkeys([*REQUIRED, *columns]):
        if c not in have:
            raise InputError(
                "no such column in the events",
                column=c,
                hint=f"the columns are: {', '.join(map(str, have))}",
            )
    se = load_events(events, columns)
    if numeric:
        lazy_nf = nw.from_native(se.frame).lazy()
        eager = None if se.lazy else nw.from_native(se.frame)
        se.frame = _text_numbers(lazy_nf, eager, numeric).collect().to_native()
        se.forget(numeric)
    schema = nw.from_native(se.frame).collect_schema()
    n = se.n_journeys
    ts = se.ts
    out: dict[str, Any] = {
        KEYS[0]: _text_column(se.customers),
        KEYS[1]: _text_column(se.journeys),
        "_start": _as_times(ts[se.starts]),
        "_last": _as_times(ts[se.ends - 1]),
        "_events": se.ends - se.starts,
        "_ts_null": np.zeros(n, np.int64),
    }
    if by is not None:
        out["_group"] = _text_group(se, by)
    for i, cpi in enumerate(cpis):
        p = f"c{i}_"
        conds: dict[str, np.ndarray] = {}
        for k, v in cpi.conditions().items():
            condition_expr(v, schema, cpi, k)  # the same checks (and errors) as the engine path
            conds[k] = condition_mask(se, v)
        if "among" in conds:
            out[p + "among"] = se.reduce_any(conds["among"]).astype(np.int64)
        if cpi.kind == "duration":
            first = se.reduce_min(ts, conds["from"])
            after = conds["to"] & (ts >= first[se.gid])
            out[p + "from"] = _as_times(first)
            out[p + "to"] = _as_times(se.reduce_min(ts, after))
            out[p + "anyto"] = se.reduce_any(conds["to"]).astype(np.int64)
        elif cpi.kind == "count":
            out[p + "count"] = se.reduce_sum(conds["where"].astype(np.int64))
        elif cpi.kind == "changes":
            assert cpi.field is not None
            valid = (
                ~pd.isna(se.values(cpi.field))
                if se.frame.get_column(cpi.field).dtype.is_numeric()
                else se.codes(cpi.field)[0] >= 0
            )
            if "where" in conds:
                valid = valid & conds["where"]
            out[p + "changes"], out[p + "nvalid"] = _changes(se, cpi.field, valid)
        elif cpi.kind == "share":
            out[p + "reach"] = se.reduce_any(conds["reach"]).astype(np.int64)
            if "without" in conds:
                out[p + "without"] = se.reduce_any(conds["without"]).astype(np.int64)
        elif cpi.kind == "sum":
            assert cpi.field is not None
            _numeric_field(cpi, schema)  # the same type check as the engine path
            value = _numeric_values(se, cpi.field)
            ok = ~np.isnan(value)
            if "where" in conds:
                ok &= conds["where"]
            out[p + "sum"] = se.reduce_sum(np.where(ok, value, 0.0))
            out[p + "nvalue"] = se.reduce_sum(ok.astype(np.int64))
        elif cpi.kind == "answer":
            assert cpi.field is not None
            _numeric_field(cpi, schema)
            value = _numeric_values(se, cpi.field)
            ok = conds["at"] & ~np.isnan(value)
            first = se.reduce_min(ts, ok)
            pick = ok & (ts == first[se.gid])
            total = se.reduce_sum(np.where(pick, value, 0.0))
            count = se.reduce_sum(pick.astype(np.int64))
            with np.errstate(invalid="ignore", divide="ignore"):
                out[p + "answer"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
            out[p + "anyat"] = se.reduce_any(conds["at"]).astype(np.int64)
    table = pd.DataFrame(out, copy=False)  # no block consolidation: a copy of every column
    end = table["_last"].max() if len(table) else None
    return JourneyValues(table, None if end is None or pd.isna(end) else end, se.n_events)
