"""From a transaction log to the per-customer summary the CLV models need, inside any engine.

A transaction log has one row per purchase: who bought (customer), when (date) and, optionally, how
much (amount). The models need, per customer and for a calibration period that ends on a chosen
date:

* ``frequency``: the number of *repeat* purchase occasions (all occasions minus the first);
* ``recency``: the time from the first purchase to the last one (0 without repeat purchases);
* ``T``: the time from the first purchase to the end of the calibration period;
* ``monetary_value``: the mean amount of the repeat occasions (the first purchase is left out, as
  in Fader & Hardie's CDNOW analysis and lifetimes; 0 without repeat purchases).

Several purchases by one customer on the same day are one purchase occasion (their amounts are
added up). Times are whole days between dates, divided by 7 for weeks. Customers whose first
purchase comes after the calibration end are not in the summary. With an ``observation_end`` the
summary also counts the occasions in the holdout period (after the calibration end, up to and
including the observation end) for checking forecasts.

The work runs where the data lives: pandas, Polars, DuckDB relations and PySpark DataFrames are
handled through narwhals (``group_by``/``agg`` and joins in the engine); only the one-row-per-
customer result is brought back as a pandas frame. Dates are turned into day numbers with
year/day-of-year arithmetic, which every engine supports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.errors import InputError, warn_input
from kundfokus.frames import latest_day, warn_future

__all__ = [
    "DATE_FORMATS",
    "aggregate_summary",
    "parse_date",
    "repeat_transactions_by_day",
    "summary_from_transactions",
]

#: Date formats recognised in text columns, tried in this order.
DATE_FORMATS: tuple[str, ...] = (
    "%Y%m%d",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d",
)

UNITS = {"day": 1.0, "week": 7.0}
_EPOCH = dt.date(1970, 1, 1)
_C, _D, _A, _F = "_kf_customer", "_kf_day", "_kf_amount", "_kf_first"


def parse_date(value: Any, what: str = "date") -> dt.date:
    """Parse a date given as ``datetime.date``, ``YYYYMMDD`` or ISO ``YYYY-MM-DD`` text.

    Examples
    --------
    >>> parse_date("19970930"), parse_date("1997-09-30")
    (datetime.date(1997, 9, 30), datetime.date(1997, 9, 30))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(
        f"cannot read the {what}: use YYYY-MM-DD or YYYYMMDD", column=what, value=value
    )


def _day_number(d: dt.date) -> int:
    return (d - _EPOCH).days


def _days_expr(expr: nw.Expr) -> nw.Expr:
    """Days since 1970-01-01 of a date/datetime expression, from year and day of year."""
    y = expr.dt.year().cast(nw.Int64)
    ym1 = y - 1
    leap = ym1 // 4 - ym1 // 100 + ym1 // 400
    return 365 * (y - 1970) + leap - 477 + expr.dt.ordinal_day().cast(nw.Int64) - 1


def _lazy(frame: Any) -> tuple[nw.LazyFrame, nw.DataFrame | None]:
    try:
        nf = nw.from_native(frame)
    except TypeError as exc:
        raise InputError(
            f"expected a data frame (pandas, Polars, DuckDB or PySpark), got {type(frame).__name__}"
        ) from exc
    if isinstance(nf, nw.DataFrame):
        return nf.lazy(), nf
    if isinstance(nf, nw.LazyFrame):
        return nf, None
    raise InputError(f"expected a data frame, got {type(frame).__name__}")


def _first_row(eager: nw.DataFrame | None, mask: nw.Expr) -> int | None:
    """1-based row of the first row where ``mask`` holds (eager frames only; lazy engines have no
    row order)."""
    if eager is None:
        return None
    hit = eager.with_row_index("_kf_row").filter(mask).select("_kf_row").head(1)
    rows = hit["_kf_row"].to_list()
    return int(rows[0]) + 1 if rows else None


def _check_columns(schema: Any, names: dict[str, str | None]) -> None:
    available = list(schema.names()) if hasattr(schema, "names") else list(schema)
    for role, col in names.items():
        if col is not None and col not in available:
            raise InputError(
                f"no {role} column {col!r}; the columns are: {', '.join(map(str, available))}",
                column=col,
            )


def _date_format(
    lf: nw.LazyFrame, eager: nw.DataFrame | None, date: str, text: nw.Expr, date_format: str | None
) -> str:
    """Find the one format that reads every distinct text date (distinct dates are few: one per
    calendar day), or raise naming the first value that cannot be read."""
    values = [
        v
        for v in lf.select(text.str.strip_chars().alias(date))
        .unique()
        .collect()
        .get_column(date)
        .to_list()
        if v is not None
    ]
    formats = (date_format,) if date_format else DATE_FORMATS
    best, best_bad = formats[0], None
    for fmt in formats:
        bad = []
        for v in values:
            try:
                dt.datetime.strptime(v, fmt)
            except ValueError:
                bad.append(v)
        if not bad:
            return fmt
        if best_bad is None or len(bad) < len(best_bad):
            best, best_bad = fmt, bad
    assert best_bad is not None
    bad_set = set(best_bad)
    row = _first_row(eager, text.str.strip_chars().is_in(list(bad_set)))
    value = best_bad[0]
    if eager is not None and row is not None:
        value = eager[date].to_list()[row - 1]
    hint = f"expected format {best}" if date_format else "use YYYY-MM-DD or YYYYMMDD"
    raise InputError("cannot read the date", row=row, column=date, value=value, hint=hint)


def _day_expr(
    lf: nw.LazyFrame, eager: nw.DataFrame | None, date: str, date_format: str | None
) -> nw.Expr:
    dtype = lf.collect_schema()[date]
    col = nw.col(date)
    if dtype.is_integer():
        col = col.cast(nw.String)
        dtype = nw.String()
    if dtype == nw.String:
        fmt = _date_format(lf, eager, date, col, date_format)
        return _days_expr(col.str.strip_chars().str.to_datetime(format=fmt))
    if dtype == nw.Date or isinstance(dtype, nw.Datetime):
        return _days_expr(col)
    raise InputError(f"the date column has type {dtype}; expected dates or text", column=date)


def _amount_expr(lf: nw.LazyFrame, eager: nw.DataFrame | None, amount: str) -> nw.Expr:
    dtype = lf.collect_schema()[amount]
    if dtype.is_numeric():
        return nw.col(amount).cast(nw.Float64)
    if dtype != nw.String:
        raise InputError(f"the amount column has type {dtype}; expected numbers", column=amount)
    if eager is not None:
        values = eager[amount].to_list()
        for i, v in enumerate(values):
            try:
                if v is None or not pd.notna(float(str(v).strip())):
                    raise ValueError
            except ValueError:
                raise InputError("not a number", row=i + 1, column=amount, value=v) from None
    return nw.col(amount).str.strip_chars().cast(nw.Float64)


def _object_dates(eager: nw.DataFrame, date: str) -> nw.DataFrame:
    """A pandas column of Python ``date``/``datetime`` objects (what pandas makes of a Parquet or
    Arrow date column) becomes a datetime column; a value that is not a date is reported by row."""
    native = eager[date].to_pandas()
    parsed = pd.to_datetime(native, errors="coerce", format="mixed")
    bad = parsed.isna() & native.notna()
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        raise InputError(
            "cannot read the date",
            row=i + 1,
            column=date,
            value=native.iloc[i],
            hint="use YYYY-MM-DD or YYYYMMDD",
        )
    series = nw.from_native(parsed.astype("datetime64[us]"), series_only=True)
    if eager.implementation != series.implementation:
        series = nw.new_series(
            date, series.to_list(), nw.Datetime("us"), backend=eager.implementation
        )
    return eager.with_columns(series.alias(date))


def _n_null(column: str) -> nw.Expr:
    return nw.col(column).is_null().cast(nw.Int64).sum()


def _raw(eager: nw.DataFrame | None, row: int | None, column: str) -> Any:
    if eager is None or row is None:
        return None
    v = eager[column].to_list()[row - 1]
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def _check_dubious(
    lf: nw.LazyFrame,
    eager: nw.DataFrame | None,
    customer: str,
    date: str,
    day: nw.Expr,
    amount: str | None,
    amount_expr: nw.Expr | None,
    negative_amounts: str,
) -> None:
    """Warn about dates after tomorrow; warn about (or, with ``negative_amounts="raise"``, refuse)
    a negative amount, naming the first row."""
    aggs = [day.max().alias("d")]
    if amount_expr is not None:
        aggs.append(amount_expr.min().alias("a"))
    got = lf.select(aggs).collect().rows(named=True)[0]
    future = _day_number(latest_day())
    if got["d"] is not None and got["d"] > future:
        row = _first_row(eager, (day > future).fill_null(False))
        warn_future(row=row, column=date, value=_raw(eager, row, date))
    a_min = got.get("a")
    if amount_expr is not None and amount is not None and a_min is not None and a_min < 0:
        row = _first_row(eager, (amount_expr < 0).fill_null(False))
        value = _raw(eager, row, amount)
        who = f" (customer {_raw(eager, row, customer)!r})" if row is not None else ""
        if negative_amounts == "raise":
            raise InputError(
                f"the amount is negative{who}: the Gamma-Gamma spend model needs amounts above 0",
                row=row,
                column=amount,
                value=value,
                hint="leave out returns (or net them against the purchase), or fit "
                "without --amount",
            )
        warn_input(
            f"the amount is negative{who} (a return?); it is summed with the customer's other "
            "purchases that day",
            row=row,
            column=amount,
            value=value,
            stacklevel=5,
        )


def _occasions(
    transactions: Any,
    customer: str,
    date: str,
    amount: str | None,
    date_format: str | None,
    last_day: int,
    negative_amounts: str = "warn",
) -> nw.LazyFrame:
    """Purchase occasions (customer, day number, summed amount) up to ``last_day``, each with the
    customer's first purchase day, as a lazy frame in the input's engine."""
    lf, eager = _lazy(transactions)
    schema = lf.collect_schema()
    _check_columns(schema, {"customer": customer, "date": date, "amount": amount})
    if eager is not None and schema[date] == nw.Object:
        eager = _object_dates(eager, date)
        lf = eager.lazy()
    checks = [_n_null(customer).alias("c"), _n_null(date).alias("d")]
    if amount is not None:
        checks.append(_n_null(amount).alias("a"))
    nulls = lf.select(checks).collect().rows(named=True)[0]
    for key, col in (("c", customer), ("d", date), ("a", amount)):
        if col is not None and nulls.get(key):
            row = _first_row(eager, nw.col(col).is_null())
            raise InputError("missing value", row=row, column=col, value="")
    day = _day_expr(lf, eager, date, date_format)
    cols = [nw.col(customer).alias(_C), day.alias(_D)]
    if amount is not None:
        cols.append(_amount_expr(lf, eager, amount).alias(_A))
    else:
        cols.append(nw.lit(0.0, dtype=nw.Float64).alias(_A))
    _check_dubious(lf, eager, customer, date, day, amount,
                   cols[2] if amount is not None else None, negative_amounts)  # fmt: skip
    tx = lf.select(cols).filter(nw.col(_D) <= last_day)
    occ = tx.group_by(_C, _D).agg(nw.col(_A).sum())
    firsts = occ.group_by(_C).agg(nw.col(_D).min().alias(_F))
    return occ.join(firsts, on=_C, how="inner")


def summary_from_transactions(
    transactions: Any,
    customer: str,
    date: str,
    amount: str | None = None,
    *,
    calibration_end: Any,
    observation_end: Any = None,
    unit: str = "week",
    date_format: str | None = None,
    negative_amounts: str = "warn",
) -> pd.DataFrame:
    """Per-customer frequency, recency, T (and mean repeat spend) from a transaction log.

    A date after tomorrow and a negative amount are used but warned about
    (:class:`~kundfokus.errors.InputWarning` naming the first row); ``negative_amounts="raise"``
    refuses a negative amount instead (what the Gamma-Gamma fit needs).

    Parameters
    ----------
    transactions : pandas, Polars, DuckDB or PySpark frame
        One row per purchase.
    customer, date : str
        Column names. Dates may be date/datetime columns, ``YYYYMMDD`` integers or text in
        ``YYYYMMDD`` or ISO form (one format per column, detected).
    amount : str, optional
        Column with the amount of each purchase; gives ``monetary_value``.
    calibration_end : date or str
        Last day of the calibration period (inclusive).
    observation_end : date or str, optional
        Last day of a holdout period after ``calibration_end``; adds ``holdout_frequency``,
        ``holdout_monetary_value`` (if amounts are given) and ``holdout_duration``.
    unit : {"week", "day"}
        Time unit of ``recency``, ``T`` and ``holdout_duration`` (weeks are days / 7).
    date_format : str, optional
        An explicit ``strptime`` format for a text date column.

    Returns
    -------
    pandas.DataFrame
        One row per customer whose first purchase is on or before ``calibration_end``, sorted by
        customer: the customer column, ``frequency``, ``recency``, ``T``, ``monetary_value`` (with
        amounts), ``first_purchase`` (date) and, with ``observation_end``, the holdout columns.

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 1, 1, 2], "day": ["19970101", "19970101", "19970115", "19970201"],
    ...                    "amount": [10.0, 5.0, 20.0, 8.0]})
    >>> s = summary_from_transactions(tx, "id", "day", "amount", calibration_end="1997-02-12")
    >>> s[["id", "frequency", "recency", "T", "monetary_value"]].round(2).to_dict("records")
    [{'id': 1, 'frequency': 1, 'recency': 2.0, 'T': 6.0, 'monetary_value': 20.0}, {'id': 2, 'frequency': 0, 'recency': 0.0, 'T': 1.57, 'monetary_value': 0.0}]
    """
    if unit not in UNITS:
        raise InputError(
            f"unknown time unit {unit!r}: use 'day' or 'week'", column="unit", value=unit
        )
    per = UNITS[unit]
    cal = _day_number(parse_date(calibration_end, "calibration_end"))
    obs = cal
    if observation_end is not None:
        obs = _day_number(parse_date(observation_end, "observation_end"))
        if obs < cal:
            raise InputError(
                "observation_end is before calibration_end",
                column="observation_end",
                value=str(observation_end),
            )
    occ = _occasions(transactions, customer, date, amount, date_format, obs, negative_amounts)
    in_cal = nw.col(_D) <= cal
    occ = occ.filter(nw.col(_F) <= cal).with_columns(
        nw.when(in_cal).then(1).otherwise(0).cast(nw.Int64).alias("_kf_ncal"),
        nw.when(in_cal).then(0).otherwise(1).cast(nw.Int64).alias("_kf_nhold"),
        nw.when(in_cal).then(nw.col(_D)).otherwise(nw.col(_F)).alias("_kf_dcal"),
        nw.when(in_cal & (nw.col(_D) > nw.col(_F)))
        .then(nw.col(_A))
        .otherwise(0.0)
        .alias("_kf_arep"),
        nw.when(in_cal).then(0.0).otherwise(nw.col(_A)).alias("_kf_ahold"),
    )
    per_customer = occ.group_by(_C).agg(
        nw.col(_F).min(),
        nw.col("_kf_ncal").sum(),
        nw.col("_kf_nhold").sum(),
        nw.col("_kf_dcal").max(),
        nw.col("_kf_arep").sum(),
        nw.col("_kf_ahold").sum(),
    )
    freq = nw.col("_kf_ncal") - 1
    per_customer = per_customer.select(
        nw.col(_C),
        freq.cast(nw.Int64).alias("frequency"),
        ((nw.col("_kf_dcal") - nw.col(_F)) / per).alias("recency"),
        ((cal - nw.col(_F)) / per).alias("T"),
        nw.when(freq > 0).then(nw.col("_kf_arep") / freq).otherwise(0.0).alias("monetary_value"),
        nw.col(_F).alias("_kf_first_day"),
        nw.col("_kf_nhold").cast(nw.Int64).alias("holdout_frequency"),
        nw.when(nw.col("_kf_nhold") > 0)
        .then(nw.col("_kf_ahold") / nw.col("_kf_nhold"))
        .otherwise(0.0)
        .alias("holdout_monetary_value"),
    )
    result = per_customer.collect(backend="pandas").to_native()
    result = result.sort_values(_C, kind="stable").reset_index(drop=True)
    first_day = result.pop("_kf_first_day").astype("int64")
    result["first_purchase"] = pd.to_datetime(first_day, unit="D").dt.date
    result = result.rename(columns={_C: customer})
    result["frequency"] = result["frequency"].astype("int64")
    if amount is None:
        result = result.drop(columns=["monetary_value", "holdout_monetary_value"])
    if observation_end is None:
        result = result.drop(
            columns=[c for c in ("holdout_frequency", "holdout_monetary_value") if c in result]
        )
    else:
        result["holdout_frequency"] = result["holdout_frequency"].astype("int64")
        result["holdout_duration"] = (obs - cal) / per
    result.attrs["unit"] = unit
    return result


def aggregate_summary(
    summary: Any, columns: tuple[str, ...] = ("frequency", "recency", "T")
) -> pd.DataFrame:
    """Collapse a per-customer summary (any engine) to its unique rows with a ``weight`` (count),
    the form the models fit fastest on (``model.fit(..., weights=agg["weight"])``).

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [0, 0, 1], "recency": [0.0, 0.0, 2.0], "T": [5.0, 5.0, 5.0]})
    >>> aggregate_summary(s).to_dict("records")
    [{'frequency': 0, 'recency': 0.0, 'T': 5.0, 'weight': 2}, {'frequency': 1, 'recency': 2.0, 'T': 5.0, 'weight': 1}]
    """
    lf, _ = _lazy(summary)
    _check_columns(lf.collect_schema(), {c: c for c in columns})
    out = lf.group_by(*columns).agg(nw.len().alias("weight")).collect(backend="pandas").to_native()
    out["weight"] = out["weight"].astype("int64")
    return out.sort_values(list(columns), kind="stable").reset_index(drop=True)


def repeat_transactions_by_day(
    transactions: Any,
    customer: str,
    date: str,
    *,
    calibration_end: Any,
    observation_end: Any,
    date_format: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily counts for the aggregate forecast check, computed in the engine.

    Returns two small frames: ``repeats`` (``day``, ``repeat_transactions``: repeat purchase
    occasions on each day, by customers whose first purchase is on or before the calibration end)
    and ``cohorts`` (``first_day``, ``customers``: how many customers made their first purchase on
    each day).
    """
    cal = _day_number(parse_date(calibration_end, "calibration_end"))
    obs = _day_number(parse_date(observation_end, "observation_end"))
    occ = _occasions(transactions, customer, date, None, date_format, obs)
    occ = occ.filter(nw.col(_F) <= cal)
    repeats = (
        occ.filter(nw.col(_D) > nw.col(_F))
        .group_by(_D)
        .agg(nw.len().alias("repeat_transactions"))
        .collect(backend="pandas")
        .to_native()
        .rename(columns={_D: "day"})
    )
    cohorts = (
        occ.filter(nw.col(_D) == nw.col(_F))
        .group_by(_F)
        .agg(nw.len().alias("customers"))
        .collect(backend="pandas")
        .to_native()
        .rename(columns={_F: "first_day"})
    )
    for frame, col in ((repeats, "day"), (cohorts, "first_day")):
        frame[col] = frame[col].astype("int64")
    return (
        repeats.sort_values("day").reset_index(drop=True),
        cohorts.sort_values("first_day").reset_index(drop=True),
    )
