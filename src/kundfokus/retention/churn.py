"""Churn per period from contracts or purchase logs, its summary and the rule that defined it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import narwhals as nw
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.frames import (
    as_frame,
    check_days,
    day_expr,
    first_row,
    plain_value,
    require_columns,
    to_pandas,
)
from kundfokus.i18n import tr
from kundfokus.retention.periods import (
    _NO_TENURE,
    PERIODS_PER_YEAR,
    ChurnPeriod,
    _bounds,
    _index_of,
    _label,
    _period_index_expr,
    _renewals_expr,
    annualise,
)

# --------------------------------------------------------------------------------------------------
# Spells: one (start period, end period) pair per customer, counted in the engine
# --------------------------------------------------------------------------------------------------


@dataclass
class _Spells:
    counts: pd.DataFrame  # start_idx, end_idx (-1 = still active), customers
    as_of: date
    period: str
    rule: dict[str, str]
    first_idx: int = 0
    meta: dict[str, Any] = field(default_factory=dict)


_RULES = {
    "contractual": {
        "en": "Contractual data: a customer is lost in the period that holds their end date; "
        "customers without an end date (or ending after {as_of}) are active.",
        "sv": "Avtalsdata: en kund är förlorad i den period som innehåller slutdatumet; kunder "
        "utan slutdatum (eller med slutdatum efter {as_of}) är aktiva.",
    },
    "window": {
        "en": "Purchase data: a customer is lost {window} days after their last purchase when no "
        "purchase follows within {window} days; customers whose last purchase is less than "
        "{window} days before {as_of} are still active. A customer starts at their first purchase.",
        "sv": "Köpdata: en kund räknas som förlorad {window} dagar efter sitt senaste köp om inget "
        "köp följer inom {window} dagar; kunder vars senaste köp ligger mindre än {window} dagar "
        "före {as_of} är fortfarande aktiva. En kund börjar vid sitt första köp.",
    },
}


def _check_period(period: str) -> str:
    if period not in PERIODS_PER_YEAR:
        raise InputError(f"unknown period {period!r}: use month, quarter or year", value=period)
    return period


def _as_of(value: date | str | None, days: list[date]) -> date:
    if value is None:
        if not days:
            raise InputError("the table holds no dates")
        return max(days)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InputError("as_of is not a date (YYYY-MM-DD)", value=value) from exc


def _check_unique(f: Any, customer: str) -> None:
    dup = to_pandas(
        f.group_by(customer).agg(nw.len().alias("_kf_n")).filter(nw.col("_kf_n") > 1).head(1)
    )
    if len(dup):
        raise InputError(
            "this customer has more than one row; a contract table needs one row per customer",
            column=customer,
            value=plain_value(dup[customer].iloc[0]),
        )


def _spells(
    frame: Any,
    customer: str,
    *,
    start: str | None,
    end: str | None,
    date_column: str | None,
    window: int | None,
    period: str,
    as_of: date | str | None,
) -> _Spells:
    _check_period(period)
    f = as_frame(frame)
    contractual = start is not None
    if contractual == (date_column is not None):
        raise InputError(
            "give either start and end columns (contracts) or a date column with a window (purchases)"
        )
    if contractual:
        if end is None:
            raise InputError("contract data needs an end column (empty = still active)")
        require_columns(f, [customer, start, end])
        _check_unique(f, customer)
        start_days = check_days(f, start)
        end_days = check_days(f, end, allow_missing=True)
        cutoff = _as_of(as_of, [*start_days.values(), *end_days.values()])
        s, e = day_expr(start), day_expr(end)
        has_end = (~e.is_null() & (e != "")).fill_null(False)
        before = (has_end & (e < s)).fill_null(False)
        n_before = to_pandas(f.select(before.cast(nw.Int64).sum().alias("n")))["n"].iloc[0]
        if int(n_before or 0) > 0:
            row, value = first_row(f, before, end)
            raise InputError(
                "the end date is before the start date", row=row, column=end, value=value
            )
        cut = nw.lit(cutoff.isoformat())
        ended = has_end & (e <= cut)
        e_or_s = nw.when(has_end).then(e).otherwise(s)  # no nulls reach the integer cast
        agg = (
            f.filter((s <= cut).fill_null(False))
            .select(
                _period_index_expr(s, period).alias("start_idx"),
                nw.when(ended)
                .then(_period_index_expr(e_or_s, period))
                .otherwise(nw.lit(-1))
                .cast(nw.Int64)
                .alias("end_idx"),
                nw.when(ended)
                .then(_renewals_expr(s, e_or_s, period))
                .otherwise(nw.lit(-1))
                .cast(nw.Int64)
                .alias("tenure"),
            )
            .group_by("start_idx", "end_idx", "tenure")
            .agg(nw.len().alias("customers"))
        )
        counts = to_pandas(agg)
        rule = {k: v.format(as_of=cutoff.isoformat()) for k, v in _RULES["contractual"].items()}
        meta: dict[str, Any] = {"kind": "contractual"}
    else:
        if window is None or window <= 0:
            raise InputError(
                "purchase data needs a positive window in days (--window)", value=window
            )
        require_columns(f, [customer, date_column])
        days = check_days(f, date_column)  # type: ignore[arg-type]
        cutoff = _as_of(as_of, list(days.values()))
        d = day_expr(date_column)  # type: ignore[arg-type]
        per_customer = (
            f.filter((d <= nw.lit(cutoff.isoformat())).fill_null(False))
            .select(nw.col(customer), d.alias("_kf_d"))
            .group_by(customer)
            .agg(nw.col("_kf_d").min().alias("_kf_first"), nw.col("_kf_d").max().alias("_kf_last"))
        )
        agg = (
            per_customer.select(
                _period_index_expr(nw.col("_kf_first"), period).alias("start_idx"),
                nw.col("_kf_last").alias("last_day"),
            )
            .group_by("start_idx", "last_day")
            .agg(nw.len().alias("customers"))
        )
        raw = to_pandas(agg)
        end_idx = []
        for last in raw["last_day"]:
            lost_on = date.fromisoformat(str(last)) + timedelta(days=int(window))
            end_idx.append(_index_of(lost_on, period) if lost_on <= cutoff else -1)
        raw["end_idx"] = end_idx
        counts = raw.groupby(["start_idx", "end_idx"], as_index=False)["customers"].sum()
        counts["tenure"] = _NO_TENURE
        rule = {
            k: v.format(window=int(window), as_of=cutoff.isoformat())
            for k, v in _RULES["window"].items()
        }
        meta = {"kind": "window", "window": int(window)}
    counts = counts.astype(
        {"start_idx": "int64", "end_idx": "int64", "tenure": "int64", "customers": "int64"}
    )
    if counts.empty:
        raise InputError("no customers started on or before the as-of date")
    return _Spells(
        counts=counts,
        as_of=cutoff,
        period=period,
        rule=rule,
        first_idx=int(counts["start_idx"].min()),
        meta=meta,
    )


# --------------------------------------------------------------------------------------------------
# Churn per period and cohorts
# --------------------------------------------------------------------------------------------------


def churn(
    frame: Any,
    customer: str,
    *,
    start: str | None = None,
    end: str | None = None,
    date: str | None = None,
    window: int | None = None,
    period: ChurnPeriod = "month",
    as_of: Any = None,
) -> pd.DataFrame:
    """Churn rate per period from a contract table or a purchase log.

    Parameters
    ----------
    frame:
        pandas, Polars, DuckDB or PySpark frame.
    customer:
        Customer id column.
    start, end:
        Contract data: start and end date columns (``YYYY-MM-DD``; empty end = still active).
    date, window:
        Purchase data: purchase date column and the window in days after the last purchase.
    period:
        ``"month"`` (default), ``"quarter"`` or ``"year"``.
    as_of:
        The date the data runs to (default: the latest date in the data). Later dates are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per period from the first start to ``as_of``: ``period``, ``period_start``,
        ``period_end``, ``active_start`` (customers active at the start), ``acquired`` (started in
        the period; not in the rate), ``lost`` (of ``active_start``, lost during the period),
        ``active_end``, ``churn_rate`` (lost / active_start), ``retention_rate``
        (1 - churn_rate), ``annual_churn`` (churn_rate annualised), ``complete`` (the period ended
        on or before ``as_of``; the last period is usually partial). ``table.attrs`` holds the
        ``rule`` (en/sv), ``as_of`` and ``periods_per_year``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": [1, 2, 3, 4],
    ...                    "start": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-01-09"],
    ...                    "end": ["2024-02-10", None, "2024-02-20", "2024-03-31"]})
    >>> t = churn(df, "id", start="start", end="end")
    >>> t[["period", "active_start", "acquired", "lost", "churn_rate"]].to_dict("records")
    [{'period': '2024-01', 'active_start': 0, 'acquired': 3, 'lost': 0, 'churn_rate': nan}, {'period': '2024-02', 'active_start': 3, 'acquired': 1, 'lost': 1, 'churn_rate': 0.3333333333333333}, {'period': '2024-03', 'active_start': 2, 'acquired': 0, 'lost': 1, 'churn_rate': 0.5}]
    """
    sp = _spells(
        frame,
        customer,
        start=start,
        end=end,
        date_column=date,
        window=window,
        period=period,
        as_of=as_of,
    )
    s = sp.counts["start_idx"].to_numpy()
    e = sp.counts["end_idx"].to_numpy()
    n = sp.counts["customers"].to_numpy()
    still = e < 0
    last = _index_of(sp.as_of, period)
    k = PERIODS_PER_YEAR[period]
    rows = []
    for p in range(sp.first_idx, last + 1):
        at_start = (s < p) & (still | (e >= p))
        active_start = int(n[at_start].sum())
        lost = int(n[at_start & ~still & (e == p)].sum())
        acquired = int(n[s == p].sum())
        active_end = int(n[(s <= p) & (still | (e > p))].sum())
        rate = lost / active_start if active_start else math.nan
        first, final = _bounds(p, period)
        rows.append(
            {
                "period": _label(p, period),
                "period_start": first,
                "period_end": final,
                "active_start": active_start,
                "acquired": acquired,
                "lost": lost,
                "active_end": active_end,
                "churn_rate": rate,
                "retention_rate": 1 - rate if active_start else math.nan,
                "annual_churn": annualise(rate, k) if active_start else math.nan,
                "complete": final <= sp.as_of,
            }
        )
    table = pd.DataFrame(rows)
    table.attrs.update(
        rule=sp.rule, as_of=sp.as_of.isoformat(), period=period, periods_per_year=k, **sp.meta
    )
    return table


def churn_summary(table: pd.DataFrame) -> dict[str, Any]:
    """Pool the complete periods of a :func:`churn` table into one rate and its yearly equivalent.

    The pooled rate is the total lost over the total active at period starts (a weighted mean of
    the period rates); ``annual_churn`` = 1 - (1 - rate)^k, ``annual_retention`` = (1 - rate)^k.

    Examples
    --------
    >>> t = pd.DataFrame({"active_start": [100, 200], "lost": [3, 6], "complete": [True, True]})
    >>> t.attrs["periods_per_year"] = 12
    >>> s = churn_summary(t)
    >>> round(s["churn_rate"], 3), round(s["annual_retention"], 3)
    (0.03, 0.694)
    """
    done = table[table["complete"] & (table["active_start"] > 0)]
    at_risk = int(done["active_start"].sum())
    lost = int(done["lost"].sum())
    k = int(table.attrs.get("periods_per_year", 12))
    rate = lost / at_risk if at_risk else math.nan
    return {
        "periods": len(done),
        "at_risk": at_risk,
        "lost": lost,
        "churn_rate": rate,
        "periods_per_year": k,
        "annual_churn": annualise(rate, k) if at_risk else math.nan,
        "annual_retention": (1 - rate) ** k if at_risk else math.nan,
    }


def rule_text(table: pd.DataFrame, lang: str = "en") -> str:
    """The churn rule of a :func:`churn` or :func:`cohorts` table, in English or Swedish."""
    rule = table.attrs.get("rule")
    return tr(rule, lang) if rule else ""
