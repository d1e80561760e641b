"""Churn periods (month, quarter, year) as integers, and annualising a per-period rate."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import narwhals as nw

from kundfokus.errors import InputError

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
