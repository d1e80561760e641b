"""Frames from any engine, through narwhals."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import narwhals as nw
import pandas as pd

from kundfokus.errors import InputError, warn_input


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


# Helpers for narwhals frames shared by the methods (scores, retention, clv, kano)


def as_frame(frame: Any) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    try:
        return nw.from_native(frame)
    except TypeError as exc:
        raise InputError(
            f"expected a pandas, Polars, DuckDB or PySpark frame, got {type(frame).__name__}"
        ) from exc


def require_columns(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any], columns: Sequence[str | None]
) -> None:
    have = list(f.collect_schema().names())
    for c in columns:
        if c is not None and c not in have:
            raise InputError(
                "no such column", column=c, hint=f"the columns are: {', '.join(map(str, have))}"
            )


def first_row(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any], mask: nw.Expr, column: str
) -> tuple[int | None, Any]:
    """The 1-based data row and raw value of the first row where ``mask`` holds.

    Eager frames (pandas, Polars) have a row order, so the row number is exact. Lazy engines (DuckDB,
    Spark) have no guaranteed order: the row is then ``None`` and only the value is reported.
    """
    if isinstance(f, nw.DataFrame):
        hit = to_pandas(f.with_row_index("_kf_row").filter(mask).select("_kf_row", column).head(1))
        if len(hit):
            return int(hit["_kf_row"].iloc[0]) + 1, plain_value(hit[column].iloc[0])
        return None, None
    hit = to_pandas(f.filter(mask).select(column).head(1))
    return None, (plain_value(hit[column].iloc[0]) if len(hit) else None)


def plain_value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def is_numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric())


def text_expr(column: str) -> nw.Expr:
    return nw.col(column).cast(nw.String).str.strip_chars()


def day_expr(column: str) -> nw.Expr:
    """The first ten characters of a date column as text (``YYYY-MM-DD``)."""
    return text_expr(column).str.slice(0, 10)


def parse_day(text: Any) -> date | None:
    if text is None:
        return None
    s = str(text).strip()
    if len(s) != 10:
        return None
    try:
        return date.fromisoformat(s)
    except ValueError:
        return None


def check_days(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any],
    column: str,
    *,
    allow_missing: bool = False,
    distinct: list[Any] | None = None,
) -> dict[str, date]:
    """Parse the distinct days of a date column; raise naming row and value on the first bad one.

    Only the distinct values (a few thousand at most for daily data) leave the engine; pass
    ``distinct`` when they are already known (then the engine is only asked again on an error).
    """
    if distinct is None:
        distinct = to_pandas(f.select(day_expr(column).alias("_kf_day")).unique())[
            "_kf_day"
        ].tolist()
    parsed: dict[str, date] = {}
    bad: list[Any] = []
    for raw in distinct:
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw == "":
            if not allow_missing:
                bad.append(None)
            continue
        d = parse_day(raw)
        if d is None:
            bad.append(raw)
        else:
            parsed[str(raw)] = d
    if bad:
        bad_set = [b for b in bad if b is not None]
        if bad_set:
            mask = day_expr(column).is_in(bad_set)
            message = "not a date: write dates as YYYY-MM-DD (ISO 8601)"
        else:
            mask = day_expr(column).is_null() | (day_expr(column) == "")
            message = "the date is missing"
        row, value = first_row(f, mask.fill_null(True), column)
        raise InputError(message, row=row, column=column, value=value)
    late = [raw for raw, d in parsed.items() if d > latest_day()]
    if late:
        row, value = first_row(f, day_expr(column).is_in(late).fill_null(False), column)
        warn_future(row=row, column=column, value=value if value is not None else late[0],
                    n=len(late))  # fmt: skip
    return parsed


def latest_day() -> date:
    """The last day a date in the data may have without a warning: tomorrow (one day of slack for
    time zones)."""
    return date.today() + timedelta(days=1)


def warn_future(*, row: int | None, column: str, value: Any, n: int = 1) -> None:
    """Warn (:class:`~kundfokus.errors.InputWarning`) that a date column holds a date after
    :func:`latest_day`; ``n`` is how many distinct such dates there are."""
    more = f" ({n} dates after {latest_day().isoformat()})" if n > 1 else ""
    warn_input(
        f"the date is in the future{more}",
        row=row,
        column=column,
        value=value,
        hint="check the year; the rows are used as they are",
        stacklevel=4,
    )


def period_of(day: date, period: str) -> tuple[str, date]:
    """The label and first day of the week (ISO), month or quarter that holds ``day``.

    Examples
    --------
    >>> period_of(date(2021, 1, 3), "week")  # ISO week 53 of 2020
    ('2020-W53', datetime.date(2020, 12, 28))
    >>> period_of(date(2024, 5, 17), "quarter")
    ('2024-Q2', datetime.date(2024, 4, 1))
    """
    if period == "week":
        y, w, wd = day.isocalendar()
        return f"{y}-W{w:02d}", day - timedelta(days=wd - 1)
    if period == "month":
        return f"{day.year}-{day.month:02d}", date(day.year, day.month, 1)
    if period == "quarter":
        q = (day.month - 1) // 3 + 1
        return f"{day.year}-Q{q}", date(day.year, 3 * q - 2, 1)
    if period == "year":
        return f"{day.year}", date(day.year, 1, 1)
    raise InputError(f"unknown period {period!r}: use week, month or quarter", value=period)


#: Column names taken as a respondent id (matched without regard to case).
RESPONDENT_COLUMNS = ("respondent", "respondent_id", "respondentid")


def respondent_column(columns: Sequence[str]) -> str | None:
    """The first column whose name is a respondent id (see :data:`RESPONDENT_COLUMNS`).

    >>> respondent_column(["Respondent_ID", "nps"])
    'Respondent_ID'
    """
    for c in columns:
        if str(c).strip().lower() in RESPONDENT_COLUMNS:
            return c
    return None


def warn_duplicates(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any],
    column: str,
    *,
    what: str = "respondent",
    keys: Sequence[str] = (),
    stacklevel: int = 4,
) -> bool:
    """Warn (:class:`~kundfokus.errors.InputWarning`) when an id in ``column`` is on more than one
    row (within ``keys``, if given), naming the first repeated row and the row it repeats; returns
    whether there was one. Empty ids are not compared.

    >>> import warnings, pandas as pd
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_duplicates(nw.from_native(pd.DataFrame({"respondent": ["a", "b", "a"]})),
    ...                     "respondent")
    True
    >>> print(w[0].message)
    row 3, column 'respondent', value 'a': the respondent is on more than one row (first on row 1; 1 repeated id)
    """
    cols = [column, *keys]
    counted = (
        f.filter(~nw.col(column).is_null())
        .group_by(cols)
        .agg(nw.len().alias("_kf_n"))
        .filter(nw.col("_kf_n") > 1)
    )
    dup = to_pandas(counted.select(nw.len().alias("n"))) if isinstance(f, nw.LazyFrame) else None
    if isinstance(f, nw.DataFrame):
        rows = to_pandas(f.select(cols))
        valid = rows[rows[column].notna()]
        repeated = valid.duplicated(subset=cols, keep="first")
        if not repeated.any():
            return False
        pos = int(repeated.to_numpy().argmax())
        label = valid.index[pos]
        value = plain_value(valid.loc[label, column])
        key = tuple(valid.loc[label, c] for c in cols)
        same = (valid[cols] == pd.Series(key, index=cols)).all(axis=1)
        first = int(valid.index[same.to_numpy().argmax()]) + 1
        n_ids = int(valid[repeated].drop_duplicates(subset=cols).shape[0])
        row: int | None = int(rows.index.get_loc(label)) + 1
        where = f"first on row {first}; {n_ids} repeated id{'s' if n_ids != 1 else ''}"
    else:
        n_ids = int(dup["n"].iloc[0]) if dup is not None and len(dup) else 0
        if not n_ids:
            return False
        hit = to_pandas(counted.head(1))
        value, row = plain_value(hit[column].iloc[0]), None
        where = f"{n_ids} repeated id{'s' if n_ids != 1 else ''}"
    within = f" for the same {', '.join(keys)}" if keys else ""
    warn_input(
        f"the {what} is on more than one row{within} ({where})",
        row=row,
        column=column,
        value=value,
        hint=None,
        stacklevel=stacklevel,
    )
    return True
