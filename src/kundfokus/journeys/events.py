"""The journey event schema and its checks.

One row per event: ``customer_id``, ``journey_id`` (a case, an errand, a purchase), ``step`` and
``timestamp`` are required; ``channel``, ``event_id`` and ``contact_id`` are optional and every
other column (agent, queue, amount, outcome, a survey answer) is kept as it is.

:func:`check_events` takes a pandas, Polars (eager or lazy), DuckDB or PySpark frame and returns a
narwhals frame over the same engine in which the id and step columns are text and ``timestamp`` is
a proper naive-UTC datetime column. The checks run in the engine; only the first bad value comes
back to Python to be named in the :class:`~kundfokus.errors.InputError`.

Timestamps are read as ISO 8601: ``2024-03-01``, ``2024-03-01 08:15``, ``2024-03-01T08:15:00``,
``2024-03-01T08:15:00.250``, with ``Z`` or an offset such as ``+01:00`` (converted to UTC; times
without an offset are taken as UTC). Datetime and date columns are used as they are (time-zone
aware ones converted to UTC).

Examples
--------
>>> import pandas as pd
>>> ev = check_events(pd.DataFrame({"customer_id": [1, 1], "journey_id": ["J1", "J1"],
...     "step": ["opened", "resolved"], "timestamp": ["2024-03-01T09:00+01:00", "2024-03-01 10:30"]}))
>>> ev.to_native()["timestamp"].dt.strftime("%H:%M").tolist()
['08:00', '10:30']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw

from kundfokus.errors import InputError
from kundfokus.frames import as_frame, first_row, require_columns, to_pandas

REQUIRED = ("customer_id", "journey_id", "step", "timestamp")
OPTIONAL = ("channel", "event_id", "contact_id")
#: The text columns of the schema (cast to text and stripped by :func:`check_events`).
TEXT_COLUMNS = ("customer_id", "journey_id", "step", "channel", "event_id", "contact_id")

#: The ISO 8601 shapes accepted in a text timestamp column.
ISO_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?$"
)
#: A UTC offset at the end (hours and minutes, so that a bare date is not taken for one).
_OFFSET = r"(Z|[+-][0-9]{2}:?[0-9]{2})$"
_TS_HINT = "write timestamps in ISO 8601, like 2024-03-01T08:15:00 or 2024-03-01 08:15+01:00"


def _lazy(f: Any) -> bool:
    return isinstance(f, nw.LazyFrame)


def check_events(
    frame: Any,
    *,
    steps: Sequence[str] | None = None,
    order: str | None = None,
    check_order: bool = True,
) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    """Check journey events and return them with a proper ``timestamp`` column.

    Parameters
    ----------
    frame:
        The events, one row each, as a pandas, Polars (eager or lazy), DuckDB or PySpark frame.
    steps:
        The known steps; an event with any other step is an error.
    order:
        A column giving the order of the rows as they were written (a line number, a sequence
        number). Needed to check time order on DuckDB and Spark, whose rows have no order; on
        pandas and Polars eager frames the row order itself is used when it is not given.
    check_order:
        Check that time does not go backwards within a journey: an event whose timestamp is
        earlier than the one written before it in the same journey is an error.

    Returns
    -------
    narwhals.DataFrame or narwhals.LazyFrame
        Over the same engine as ``frame``: every column of it, with ``customer_id``,
        ``journey_id``, ``step`` (and ``channel``, ``event_id``, ``contact_id`` when present) as
        stripped text and ``timestamp`` as a naive datetime in UTC.

    Raises
    ------
    InputError
        A missing column, an empty id or step, an unreadable timestamp (row, column and value),
        an unknown step, a duplicate ``event_id``, or time going backwards in a journey.
    """
    f = as_frame(frame)
    require_columns(f, [*REQUIRED, order])
    if not len(to_pandas(f.select(nw.col(REQUIRED[0])).head(1))):
        raise InputError(
            "there are no events: the table has a header but no rows",
            hint="one row per event: customer_id, journey_id, step, timestamp",
        )
    names = list(f.collect_schema().names())
    texts = [c for c in TEXT_COLUMNS if c in names]
    f = f.with_columns(*(nw.col(c).cast(nw.String).str.strip_chars().alias(c) for c in texts))
    for c in ("customer_id", "journey_id", "step"):
        _no_missing(f, c)
    f = parse_timestamps(f, "timestamp")
    _warn_future(f)
    if steps is not None:
        known = [str(s).strip() for s in steps]
        unknown = ~nw.col("step").is_in(known)
        row, value = first_row(f, unknown, "step")
        if value is not None:
            raise InputError(
                "unknown step",
                row=row,
                column="step",
                value=value,
                hint=f"the known steps are: {', '.join(known)}",
            )
    if "event_id" in names:
        _unique_event_ids(f)
    if check_order and (order is not None or not _lazy(f)):
        _time_order(f, order)
    return f


def _warn_future(f: Any) -> None:
    """Warn (:class:`~kundfokus.errors.InputWarning`) about the first timestamp later than a day
    from now; the events are used as they are."""
    import datetime as dt

    from kundfokus.errors import warn_input

    limit = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)
    row, value = first_row(f, (nw.col("timestamp") > nw.lit(limit)).fill_null(False), "timestamp")
    if value is not None:
        warn_input(
            "the timestamp is in the future",
            row=row,
            column="timestamp",
            value=str(value),
            hint="check the year; the events are used as they are",
            stacklevel=4,
        )


def _no_missing(f: Any, column: str) -> None:
    mask = nw.col(column).is_null() | (nw.col(column) == "")
    row, _ = first_row(f, mask.fill_null(True), column)
    if row is not None or _any(f, mask.fill_null(True)):
        raise InputError(f"the {column} is missing", row=row, column=column)


def _any(f: Any, mask: nw.Expr) -> bool:
    from kundfokus.frames import to_pandas

    out = to_pandas(f.filter(mask).select(nw.len().alias("n")))
    return bool(len(out) and int(out["n"].iloc[0]) > 0)


def parse_timestamps(f: Any, column: str = "timestamp") -> Any:
    """Turn ``column`` of a narwhals frame into a naive-UTC datetime column, in the frame's engine.

    Text is read as ISO 8601 (see the module docs); anything else raises an
    :class:`~kundfokus.errors.InputError` naming the first bad row (on eager frames) and value. A
    missing timestamp is an error too.
    """
    dtype = f.collect_schema()[column]
    if isinstance(dtype, nw.Datetime) or dtype == nw.Datetime:
        if getattr(dtype, "time_zone", None):
            f = f.with_columns(
                nw.col(column).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            )
    elif dtype == nw.Date:
        f = f.with_columns(nw.col(column).cast(nw.Datetime("us")))
    else:
        raw = nw.col(column).cast(nw.String).str.strip_chars()
        f = f.with_columns(raw.alias(column))
        bad = ~nw.col(column).str.contains(ISO_PATTERN)
        _raise_first(f, bad.fill_null(False), column)
        f = f.with_columns(nw.col(column).alias("_kf_ts_raw"))
        f = _parse_native(f, column)
        unparsed = nw.col(column).is_null() & ~nw.col("_kf_ts_raw").is_null()
        _raise_first(f, unparsed, "_kf_ts_raw", report=column)
        f = f.drop("_kf_ts_raw")
    missing = nw.col(column).is_null()
    row, _ = first_row(f, missing, column)
    if row is not None or _any(f, missing):
        raise InputError("the timestamp is missing", row=row, column=column, hint=_TS_HINT)
    return f


def _raise_first(f: Any, mask: nw.Expr, column: str, report: str | None = None) -> None:
    row, value = first_row(f, mask, column)
    if row is not None or value is not None:
        raise InputError(
            "not a timestamp", row=row, column=report or column, value=value, hint=_TS_HINT
        )


def _parse_native(f: Any, column: str) -> Any:
    """Parse ISO 8601 text (already checked against :data:`ISO_PATTERN`) in the frame's own
    engine; values that still cannot be read (a 30 February) become null."""
    impl = f.implementation
    native = f.to_native()
    if impl.is_pandas_like():
        import pandas as pd

        s = native[column].astype("string").str.replace(",", ".", regex=False)
        parsed = pd.to_datetime(s, format="ISO8601", utc=True, errors="coerce")
        out = native.assign(**{column: parsed.dt.tz_localize(None).astype("datetime64[us]")})
        return nw.from_native(out)
    if impl.is_polars():
        import polars as pl

        s = pl.col(column).str.replace(",", ".", literal=True)
        base = s.str.replace(_OFFSET, "").str.replace("T", " ", literal=True)
        parsed = pl.coalesce(
            *(
                base.str.strptime(pl.Datetime("us"), fmt, strict=False)
                for fmt in ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
            ),
            base.str.strptime(pl.Date, "%Y-%m-%d", strict=False).cast(pl.Datetime("us")),
        )
        offset = s.str.extract(_OFFSET, 1)
        sign = pl.when(offset.str.slice(0, 1) == "-").then(-1).otherwise(1)
        digits = offset.str.replace(":", "", literal=True)
        minutes = (
            pl.when(offset.is_null() | (offset == "Z"))
            .then(0)
            .otherwise(
                sign
                * (
                    digits.str.slice(1, 2).cast(pl.Int64) * 60
                    + digits.str.slice(3, 2).str.zfill(2).cast(pl.Int64, strict=False).fill_null(0)
                )
            )
        )
        return nw.from_native(
            native.with_columns((parsed - pl.duration(minutes=minutes)).alias(column))
        )
    if impl.is_duckdb():
        cols = [f'"{c}"' for c in native.columns if c != column]
        return nw.from_native(native.project(", ".join([*cols, _sql_parse(column, "duckdb")])))
    if impl.is_pyspark():
        from pyspark.sql import functions as F

        return nw.from_native(native.withColumn(column, F.expr(_sql_parse(column, "spark"))))
    raise InputError(
        f"cannot read text timestamps on this engine ({impl}): pass a datetime column",
        column=column,
    )


def _sql_parse(column: str, dialect: str) -> str:
    q = f'"{column}"' if dialect == "duckdb" else f"`{column}`"
    s = f"replace({q}, ',', '.')"
    base = f"replace(regexp_replace({s}, '{_OFFSET}', ''), 'T', ' ')"
    off = f"regexp_extract({s}, '{_OFFSET}', 1)"
    digits = f"replace({off}, ':', '')"
    minutes = (
        f"(CASE WHEN {off} = '' OR {off} = 'Z' THEN 0 ELSE "
        f"(CASE WHEN substr({off}, 1, 1) = '-' THEN -1 ELSE 1 END) * "
        f"(CAST(substr({digits}, 2, 2) AS INT) * 60 + "
        f"coalesce(CAST(nullif(substr({digits}, 4, 2), '') AS INT), 0)) END)"
    )
    if dialect == "duckdb":
        fmts = "['%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d']"
        # fractions longer than microseconds: cut to six digits before parsing
        base6 = f"regexp_replace({base}, '(\\.[0-9]{{6}})[0-9]+$', '\\1')"
        parsed = f"CAST(try_strptime({base6}, {fmts}) AS TIMESTAMP)"
        return f"{parsed} - to_minutes({minutes}) AS {q}"
    fmts = [
        "yyyy-MM-dd HH:mm:ss.SSSSSSSSS",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd",
    ]
    parsed = "coalesce(" + ", ".join(f"try_to_timestamp({base}, '{p}')" for p in fmts) + ")"
    return f"CAST(timestampadd(MINUTE, -({minutes}), CAST({parsed} AS TIMESTAMP_NTZ)) AS TIMESTAMP_NTZ)"


def _unique_event_ids(f: Any) -> None:
    from kundfokus.frames import to_pandas

    ids = nw.col("event_id")
    dup = to_pandas(
        f.filter(~ids.is_null() & (ids != ""))
        .group_by("event_id")
        .agg(nw.len().alias("n"))
        .filter(nw.col("n") > 1)
        .sort("event_id")
        .head(1)
    )
    if len(dup):
        value = dup["event_id"].iloc[0]
        row, _ = first_row(f, ids == value, "event_id")
        if row is not None:  # the second row with the id is the duplicate
            hits = _rows_of(f, ids == value)
            row = hits[1] if len(hits) > 1 else row
        raise InputError("duplicate event id", row=row, column="event_id", value=value)


def _rows_of(f: Any, mask: nw.Expr) -> list[int]:
    from kundfokus.frames import to_pandas

    hit = to_pandas(f.with_row_index("_kf_row").filter(mask).select("_kf_row").head(2))
    return [int(r) + 1 for r in hit["_kf_row"]]


def _time_order(f: Any, order: str | None) -> None:
    """Raise at the first event earlier than the event written before it in its journey."""
    if order is None:
        f = f.with_row_index("_kf_order")
        order = "_kf_order"
    prev = nw.col("timestamp").shift(1).over("journey_id", order_by=order)
    g = f.with_columns(prev.alias("_kf_prev"))
    back = ~nw.col("_kf_prev").is_null() & (nw.col("timestamp") < nw.col("_kf_prev"))
    row, value = first_row(g, back, "timestamp")
    if row is not None or value is not None:
        jid = _first_value(g, back, "journey_id")
        raise InputError(
            f"time goes backwards in journey {jid!r}: this event is earlier than the one before it",
            row=row if order == "_kf_order" else None,
            column="timestamp",
            value=str(value),
            hint="sort the events of each journey by time, or fix the timestamp",
        )


def _first_value(f: Any, mask: nw.Expr, column: str) -> Any:
    from kundfokus.frames import to_pandas

    hit = to_pandas(f.filter(mask).select(column).head(1))
    return hit[column].iloc[0] if len(hit) else None
