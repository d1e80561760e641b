"""Churn, cohort retention and the shifted-beta-geometric (sBG) retention model.

Two kinds of customer data:

- **Contractual** (subscriptions, contracts): one row per customer with a start date and an end date
  (empty while the customer is still active). A customer is *active at the start of a period* when
  they started before the period and had not ended before it; they are *lost in the period* when
  their end date falls in it.
- **Non-contractual** (purchases): a transaction log with customer and date. Nobody tells us when a
  customer leaves, so a rule is needed: a customer counts as lost on the day ``window`` days after
  their last purchase when no purchase follows within that window, and as still active while the
  window after their last purchase has not yet run out (by the end of the data, or ``as_of``). The
  customer's first purchase is their start.

Churn rate of a period = customers lost during the period / customers active at its start.
Customers acquired during the period count in neither (they are reported in ``acquired``).
A per-period rate ``c`` is annualised as 1 - (1 - c)^k with k periods a year.

The sBG model (Fader & Hardie 2007) describes a contractual cohort in which each customer has a
constant churn probability per period, and those probabilities vary across customers as a
beta(alpha, beta) distribution. It is fitted by maximum likelihood to survival curves or to cohort
counts, projects survival and retention rates forward, and gives the discounted expected residual
lifetime (DERL, Fader & Hardie 2010).

Examples
--------
>>> fit = sbg_fit([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1])
>>> round(fit.alpha, 3), round(fit.beta, 3)
(0.668, 3.806)
>>> round(annualise(0.03), 3)  # 3% a month: 1 - 0.97**12
0.306
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd
from scipy import optimize, special

from kundfokus.errors import InputError
from kundfokus.frames import to_pandas
from kundfokus.i18n import tr
from kundfokus.scores import _check_days, _day, _first_row, _frame, _plain, _require

ChurnPeriod = Literal["month", "quarter", "year"]
PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}


# --------------------------------------------------------------------------------------------------
# Rates
# --------------------------------------------------------------------------------------------------


def annualise(rate: float, periods_per_year: int = 12) -> float:
    """Yearly churn from a constant churn rate per period: 1 - (1 - rate)^periods_per_year.

    Examples
    --------
    >>> round(1 - annualise(0.03, 12), 4)  # annual retention at 3% monthly churn
    0.6938
    >>> round(annualise(0.1, 1), 6)
    0.1
    """
    if not 0 <= rate <= 1:
        raise InputError(f"a churn rate is between 0 and 1, not {rate}", value=rate)
    return float(1 - (1 - rate) ** periods_per_year)


# --------------------------------------------------------------------------------------------------
# Periods as integers
# --------------------------------------------------------------------------------------------------


def _period_index_expr(day: nw.Expr, period: str) -> nw.Expr:
    year = day.str.slice(0, 4).cast(nw.Int64)
    month = day.str.slice(5, 2).cast(nw.Int64)
    if period == "month":
        return year * 12 + month - 1
    if period == "quarter":
        return year * 4 + (month - 1) // 3
    return year


def _index_of(d: date, period: str) -> int:
    if period == "month":
        return d.year * 12 + d.month - 1
    if period == "quarter":
        return d.year * 4 + (d.month - 1) // 3
    return d.year


def _bounds(idx: int, period: str) -> tuple[date, date]:
    """First and last day of period number ``idx``."""
    if period == "month":
        y, m = divmod(idx, 12)
        first = date(y, m + 1, 1)
        nxt = date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
    elif period == "quarter":
        y, q = divmod(idx, 4)
        first = date(y, 3 * q + 1, 1)
        nxt = date(y + (q + 1) // 4, 3 * ((q + 1) % 4) + 1, 1)
    else:
        first, nxt = date(idx, 1, 1), date(idx + 1, 1, 1)
    return first, nxt - timedelta(days=1)


_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_NO_TENURE = -2  # purchase data: tenure clock not available


def _renewals_expr(s: nw.Expr, e: nw.Expr, period: str) -> nw.Expr:
    """Whole periods from start to end, counting an anniversary only when the end is after it:
    the number of renewals made (a contract that ends exactly on its first anniversary made none).
    """
    sy, sm, sd = (s.str.slice(i, n).cast(nw.Int64) for i, n in ((0, 4), (5, 2), (8, 2)))
    ey, em, ed = (e.str.slice(i, n).cast(nw.Int64) for i, n in ((0, 4), (5, 2), (8, 2)))
    months = (ey * 12 + em) - (sy * 12 + sm) - nw.when(ed <= sd).then(1).otherwise(0)
    months = nw.when(months < 0).then(0).otherwise(months)
    return months // _MONTHS[period]


def _label(idx: int, period: str) -> str:
    first, _ = _bounds(idx, period)
    if period == "month":
        return f"{first.year}-{first.month:02d}"
    if period == "quarter":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return str(first.year)


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
            value=_plain(dup[customer].iloc[0]),
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
    f = _frame(frame)
    contractual = start is not None
    if contractual == (date_column is not None):
        raise InputError(
            "give either start and end columns (contracts) or a date column with a window (purchases)"
        )
    if contractual:
        if end is None:
            raise InputError("contract data needs an end column (empty = still active)")
        _require(f, [customer, start, end])
        _check_unique(f, customer)
        start_days = _check_days(f, start)
        end_days = _check_days(f, end, allow_missing=True)
        cutoff = _as_of(as_of, [*start_days.values(), *end_days.values()])
        s, e = _day(start), _day(end)
        has_end = (~e.is_null() & (e != "")).fill_null(False)
        before = (has_end & (e < s)).fill_null(False)
        n_before = to_pandas(f.select(before.cast(nw.Int64).sum().alias("n")))["n"].iloc[0]
        if int(n_before or 0) > 0:
            row, value = _first_row(f, before, end)
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
        _require(f, [customer, date_column])
        days = _check_days(f, date_column)  # type: ignore[arg-type]
        cutoff = _as_of(as_of, list(days.values()))
        d = _day(date_column)  # type: ignore[arg-type]
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


def cohorts(
    frame: Any,
    customer: str,
    *,
    start: str | None = None,
    end: str | None = None,
    date: str | None = None,
    window: int | None = None,
    period: ChurnPeriod = "month",
    as_of: Any = None,
    clock: Literal["calendar", "tenure"] = "calendar",
) -> pd.DataFrame:
    """Cohort retention: for customers who started in the same period, the share still active.

    Parameters are those of :func:`churn`, and:

    clock:
        ``"calendar"`` (default): age k is the start of calendar period cohort + k.
        ``"tenure"`` (contract data only): age k counts each customer's own renewals, a customer
        is alive at age k when their contract ran past k whole periods from their own start date
        (ending exactly on the k-th anniversary means no k-th renewal). Ages are shown only when
        every customer of the cohort has been observed that long. These are the renewal counts
        the sBG model describes, so use this clock for :func:`sbg_fit_cohorts`.

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per cohort and age: ``cohort`` (start period), ``cohort_start``, ``age``
        (periods since the start period; 0 is the start period itself), ``customers`` (cohort
        size), ``alive`` (active at the start of period cohort + age; at age 0 the whole cohort),
        ``retention`` (alive / customers). Ages whose period starts after ``as_of`` are not
        observed and left out. :func:`cohort_matrix` pivots it to cohorts x ages.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": [1, 2, 3], "start": ["2024-01-05", "2024-01-20", "2024-02-03"],
    ...                    "end": ["2024-02-10", None, "2024-03-20"]})
    >>> c = cohorts(df, "id", start="start", end="end")
    >>> c[["cohort", "age", "alive", "retention"]].values.tolist()
    [['2024-01', 0, 2, 1.0], ['2024-01', 1, 2, 1.0], ['2024-01', 2, 1, 0.5], ['2024-02', 0, 1, 1.0], ['2024-02', 1, 1, 1.0]]
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
    if clock not in ("calendar", "tenure"):
        raise InputError(f"unknown clock {clock!r}: use calendar or tenure", value=clock)
    if clock == "tenure" and sp.meta.get("kind") != "contractual":
        raise InputError("the tenure clock needs contract data (start and end columns)")
    last = _index_of(sp.as_of, period)
    rows = []
    for c_idx, part in sp.counts.groupby("start_idx"):
        e = part["end_idx"].to_numpy()
        ten = part["tenure"].to_numpy()
        n = part["customers"].to_numpy()
        size = int(n.sum())
        for age in range(0, last - int(c_idx) + 1):
            p = int(c_idx) + age
            if clock == "tenure":
                if age > 0 and _bounds(p, period)[1] > sp.as_of:
                    break  # not every customer of the cohort has been observed this long
                alive = int(n[(ten < 0) | (ten >= age)].sum())
            else:
                alive = size if age == 0 else int(n[(e < 0) | (e >= p)].sum())
            rows.append(
                {
                    "cohort": _label(int(c_idx), period),
                    "cohort_start": _bounds(int(c_idx), period)[0],
                    "age": age,
                    "customers": size,
                    "alive": alive,
                    "retention": alive / size,
                }
            )
    table = pd.DataFrame(rows)
    table.attrs.update(
        rule=sp.rule, as_of=sp.as_of.isoformat(), period=period, clock=clock, **sp.meta
    )
    return table


def cohort_matrix(table: pd.DataFrame, value: str = "retention") -> pd.DataFrame:
    """Pivot a :func:`cohorts` table to one row per cohort and one column per age.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["a", "a", "b"], "age": [0, 1, 0], "retention": [1.0, 0.5, 1.0]})
    >>> cohort_matrix(t).values.tolist()
    [[1.0, 0.5], [1.0, nan]]
    """
    m = table.pivot(index="cohort", columns="age", values=value)
    m.columns = [int(c) for c in m.columns]
    m.columns.name = "age"
    return m


# --------------------------------------------------------------------------------------------------
# The shifted-beta-geometric model
# --------------------------------------------------------------------------------------------------


def sbg_survival(t: Any, alpha: float, beta: float) -> np.ndarray:
    """S(t) = B(alpha, beta + t) / B(alpha, beta): the share of a cohort still active after t periods.

    Examples
    --------
    >>> [round(float(x), 4) for x in sbg_survival([0, 1, 2], 1.0, 1.0)]
    [1.0, 0.5, 0.3333]
    """
    t = np.asarray(t, dtype=float)
    return np.exp(special.betaln(alpha, beta + t) - special.betaln(alpha, beta))


def sbg_retention_rate(t: Any, alpha: float, beta: float) -> np.ndarray:
    """r(t) = (beta + t - 1) / (alpha + beta + t - 1), the share of those active in period t - 1
    who renew into period t (t >= 1).

    Examples
    --------
    >>> [round(float(x), 3) for x in sbg_retention_rate([1, 2, 10], 0.668, 3.806)]
    [0.851, 0.878, 0.95]
    """
    t = np.asarray(t, dtype=float)
    return (beta + t - 1) / (alpha + beta + t - 1)


def sbg_derl(discount: float, alpha: float, beta: float, renewals: int = 0) -> float:
    """Discounted expected residual lifetime (Fader & Hardie 2010).

    DERL(d | alpha, beta, n - 1 renewals) = (beta + n - 1) / (alpha + beta + n - 1)
    * 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d)), with n - 1 = ``renewals``. It is the
    expected number of future payments of a customer who has renewed n - 1 times and now faces the
    next renewal decision, each payment discounted by (1 + d) per period and the imminent one
    undiscounted: the sum over t >= n of S(t) / S(n - 1) / (1 + d)^(t - n). Multiply by the margin
    per period to get the residual value.

    Examples
    --------
    >>> round(sbg_derl(0.1, 0.668, 3.806), 3)
    5.415
    """
    if discount <= 0:
        raise InputError("the discount rate must be above 0", value=discount)
    if renewals < 0:
        raise InputError("renewals cannot be negative", value=renewals)
    n = renewals + 1
    z = 1.0 / (1.0 + discount)
    f = float(special.hyp2f1(1.0, beta + n, alpha + beta + n, z))
    if not math.isfinite(f):  # scipy's hyp2f1 fails for very large parameters: sum the series
        f = _hyp2f1_series(beta + n, alpha + beta + n, z)
    return float((beta + n - 1) / (alpha + beta + n - 1) * f)


def _hyp2f1_series(b: float, c: float, z: float) -> float:
    """2F1(1, b; c; z) = sum_k prod_{j<k} (b + j) / (c + j) * z, for 0 < z < 1 and 0 < b < c."""
    total, term, k = 1.0, 1.0, 0
    while term > 1e-17 * total and k < 1_000_000:
        term *= (b + k) / (c + k) * z
        total += term
        k += 1
    return total


def _loglik(alpha: float, beta: float, curves: list[np.ndarray]) -> float:
    ll = 0.0
    base = special.betaln(alpha, beta)
    for alive in curves:
        k = len(alive) - 1
        t = np.arange(1, k + 1, dtype=float)
        lost = alive[:-1] - alive[1:]
        log_p = special.betaln(alpha + 1, beta + t - 1) - base
        log_s = special.betaln(alpha, beta + k) - base
        ll += float(np.sum(lost * log_p) + alive[-1] * log_s)
    return ll


def _check_curve(values: Sequence[Any], name: str) -> np.ndarray:
    out = []
    for i, v in enumerate(values, start=1):
        try:
            x = float(v)
        except (TypeError, ValueError) as exc:
            raise InputError("not a number", column=name, row=i, value=v) from exc
        if not math.isfinite(x) or x < 0:
            raise InputError("must be a number of at least 0", column=name, row=i, value=v)
        out.append(x)
    arr = np.array(out)
    if len(arr) < 2:
        raise InputError(
            "a survival curve needs at least two values (the start and one later period)",
            column=name,
        )
    if arr[0] <= 0:
        raise InputError(
            "the first value (the cohort at the start) must be above 0",
            column=name,
            row=1,
            value=values[0],
        )
    for i in range(1, len(arr)):
        if arr[i] > arr[i - 1]:
            raise InputError(
                f"survival cannot rise: {arr[i]:g} follows {arr[i - 1]:g} (values must not increase)",
                column=name,
                row=i + 1,
                value=values[i],
            )
    return arr


@dataclass
class SBGFit:
    """A fitted shifted-beta-geometric model.

    Attributes
    ----------
    alpha, beta:
        Parameters of the beta distribution of churn probabilities across customers; the mean
        churn probability of a new customer is alpha / (alpha + beta), and small alpha + beta means
        customers differ a lot.
    se_alpha, se_beta:
        Standard errors from the inverse of the observed information (the Hessian of the negative
        log-likelihood in alpha and beta, by central finite differences, at the optimum). They
        assume the curves are counts of customers: scale percentages with ``cohort_size``.
    loglik:
        Log-likelihood at the optimum.
    curves:
        The data fitted, as counts alive at the start of periods 0, 1, ... per cohort.
    converged:
        False when the optimiser failed or alpha + beta ran past 10,000: the data then show no
        sign that customers differ in churn propensity, and a constant churn rate (the mean
        alpha / (alpha + beta)) describes them as well; alpha and beta themselves are not
        meaningful then.
    """

    alpha: float
    beta: float
    se_alpha: float
    se_beta: float
    loglik: float
    curves: list[np.ndarray]
    converged: bool = True

    def survival(self, t: Any) -> np.ndarray:
        return sbg_survival(t, self.alpha, self.beta)

    def retention_rate(self, t: Any) -> np.ndarray:
        return sbg_retention_rate(t, self.alpha, self.beta)

    def derl(self, discount: float, renewals: int = 0) -> float:
        return sbg_derl(discount, self.alpha, self.beta, renewals)

    def observed(self) -> np.ndarray:
        """Observed survival pooled over cohorts (product of pooled period-to-period retention)."""
        k = max(len(c) for c in self.curves)
        surv = [1.0]
        for t in range(1, k):
            prev = sum(c[t - 1] for c in self.curves if len(c) > t)
            now = sum(c[t] for c in self.curves if len(c) > t)
            surv.append(surv[-1] * (now / prev if prev else math.nan))
        return np.array(surv)

    def projection(self, periods: int | None = None) -> pd.DataFrame:
        """Survival and retention rates for t = 0..periods (default: twice the data's length).

        Returns a frame with ``t``, ``survival`` (share of the cohort active after t periods),
        ``retention_rate`` (r(t), empty at t = 0), ``observed`` (pooled observed survival, empty
        beyond the data) and ``projected`` (True beyond the data).
        """
        obs = self.observed()
        k = len(obs) - 1
        periods = 2 * k if periods is None else int(periods)
        if periods < 1:
            raise InputError("the projection needs at least one period", value=periods)
        t = np.arange(0, periods + 1)
        rate = self.retention_rate(t).astype(float)
        rate[0] = math.nan
        return pd.DataFrame(
            {
                "t": t,
                "survival": self.survival(t),
                "retention_rate": rate,
                "observed": [float(obs[i]) if i <= k else math.nan for i in t],
                "projected": t > k,
            }
        )

    def summary(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "beta": self.beta,
            "se_alpha": self.se_alpha,
            "se_beta": self.se_beta,
            "loglik": self.loglik,
            "mean_churn": self.alpha / (self.alpha + self.beta),
            "cohorts": len(self.curves),
            "customers": float(sum(c[0] for c in self.curves)),
            "converged": self.converged,
        }


def _hessian(fun: Any, x: np.ndarray) -> np.ndarray:
    h = 1e-4 * np.maximum(np.abs(x), 1e-3)
    n = len(x)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * h[i], np.eye(n)[j] * h[j]
            out[i, j] = (
                fun(x + ei + ej) - fun(x + ei - ej) - fun(x - ei + ej) + fun(x - ei - ej)
            ) / (4 * h[i] * h[j])
    return out


# Above this alpha + beta the beta distribution is a spike (sd of churn probabilities below about
# 0.005): the data show no heterogeneity and the likelihood keeps creeping up as both grow.
_FLAT = 1e4


def sbg_fit_curves(curves: Sequence[Sequence[Any]]) -> SBGFit:
    """Fit the sBG model by maximum likelihood to one or more cohorts' counts alive per period.

    Parameters
    ----------
    curves:
        One sequence per cohort: customers alive at the start of periods 0, 1, ..., k (cohorts may
        be of different ages, so of different lengths).

    Returns
    -------
    SBGFit

    Notes
    -----
    With n_t alive at the start of period t, the n_{t-1} - n_t lost in period t contribute
    log P(T = t) = log B(alpha + 1, beta + t - 1) - log B(alpha, beta), and the n_k still alive
    log S(k) = log B(alpha, beta + k) - log B(alpha, beta). The sum is maximised over
    (log alpha, log beta) with BFGS and then Nelder-Mead polishing, so both stay positive.

    Examples
    --------
    >>> fit = sbg_fit_curves([[1000, 631, 468, 382, 326, 289, 262, 241]])
    >>> round(fit.alpha, 3), round(fit.beta, 3)
    (0.704, 1.182)
    """
    checked = [_check_curve(c, f"cohort {i}") for i, c in enumerate(curves, start=1)]
    if not checked:
        raise InputError("no survival data to fit")

    def neg(theta: np.ndarray) -> float:
        a, b = np.exp(np.clip(theta, -30, 30))
        v = -_loglik(float(a), float(b), checked)
        return v if math.isfinite(v) else 1e300

    best = None
    for start in ([0.0, 0.0], [-1.0, 1.0], [1.0, 2.0]):
        res = optimize.minimize(neg, np.array(start), method="BFGS")
        res = optimize.minimize(
            neg, res.x, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}
        )
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    alpha, beta = (float(v) for v in np.exp(best.x))

    def neg_ab(p: np.ndarray) -> float:
        return -_loglik(float(p[0]), float(p[1]), checked)

    try:
        cov = np.linalg.inv(_hessian(neg_ab, np.array([alpha, beta])))
        se = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
    except np.linalg.LinAlgError:
        se = np.array([math.nan, math.nan])
    return SBGFit(
        alpha=alpha,
        beta=beta,
        se_alpha=float(se[0]),
        se_beta=float(se[1]),
        loglik=-float(best.fun),
        curves=checked,
        converged=bool(best.success) and alpha + beta < _FLAT,
    )


def sbg_fit(survival: Sequence[Any], *, cohort_size: float | None = None) -> SBGFit:
    """Fit the sBG model to one survival curve (Fader & Hardie 2007).

    Parameters
    ----------
    survival:
        Customers (or percent of the cohort) still active at the start of periods 0, 1, ..., k;
        must not increase, the first value above 0.
    cohort_size:
        Number of customers at the start. The curve is scaled so that its first value equals it.
        It does not change alpha and beta, only the standard errors and the log-likelihood.
        Default: the values are taken as counts as given (``100, 86.9, ...`` is then a cohort of
        100 customers).

    Returns
    -------
    SBGFit

    Examples
    --------
    >>> fit = sbg_fit([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1], cohort_size=1000)
    >>> round(fit.alpha, 3), round(fit.beta, 3), round(fit.loglik, 1)
    (0.668, 3.806, -1611.2)
    >>> [round(float(x), 3) for x in fit.survival([8, 12])]
    [0.46, 0.378]
    """
    arr = _check_curve(survival, "survival")
    if cohort_size is not None:
        if cohort_size <= 0:
            raise InputError("the cohort size must be above 0", value=cohort_size)
        arr = arr / arr[0] * float(cohort_size)
    return sbg_fit_curves([arr])


def sbg_fit_cohorts(table: pd.DataFrame) -> SBGFit:
    """Fit the sBG model to a :func:`cohorts` table (counts alive per cohort and age).

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["a"] * 3 + ["b"] * 2, "age": [0, 1, 2, 0, 1],
    ...                   "alive": [100, 80, 70, 50, 41]})
    >>> fit = sbg_fit_cohorts(t)
    >>> len(fit.curves), fit.alpha > 0
    (2, True)
    """
    curves = [
        part.sort_values("age")["alive"].to_numpy(float) for _, part in table.groupby("cohort")
    ]
    curves = [c for c in curves if len(c) >= 2]
    if not curves:
        raise InputError("no cohort has been observed for more than one period")
    return sbg_fit_curves(curves)


def rule_text(table: pd.DataFrame, lang: str = "en") -> str:
    """The churn rule of a :func:`churn` or :func:`cohorts` table, in English or Swedish."""
    rule = table.attrs.get("rule")
    return tr(rule, lang) if rule else ""


__all__ = [
    "SBGFit",
    "annualise",
    "churn",
    "churn_summary",
    "cohort_matrix",
    "cohorts",
    "rule_text",
    "sbg_derl",
    "sbg_fit",
    "sbg_fit_cohorts",
    "sbg_fit_curves",
    "sbg_retention_rate",
    "sbg_survival",
]
