"""Customer lifetime value: discounted expected purchases x expected spend x margin.

The value of a customer over the next ``months`` months is

    CLV = sum_{i=1..months} (E[purchases up to month i] - E[purchases up to month i-1])
                            x expected spend x margin / (1 + discount_rate) ** i

with the conditional expected purchases of a purchase model (:class:`~kundfokus.clv.BetaGeo` or
:class:`~kundfokus.clv.ParetoNBD`) and the expected spend per occasion of
:class:`~kundfokus.clv.GammaGamma`. This is the discounted-cash-flow approach of lifetimes'
``customer_lifetime_value`` (monthly discounting), with one difference: a month here is the mean
calendar month, 365.25 / 12 = 30.4375 days (4.348 weeks), where lifetimes uses 30 days or 4.345
weeks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kundfokus.clv._validate import as_float_array
from kundfokus.clv.summary import UNITS
from kundfokus.errors import InputError

__all__ = ["DAYS_PER_MONTH", "customer_lifetime_value", "history_matrix", "predict_customers"]

#: Mean length of a calendar month in days (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12


def _periods_per_month(unit: str) -> float:
    if unit not in UNITS:
        raise InputError(
            f"unknown time unit {unit!r}: use 'day' or 'week'", column="unit", value=unit
        )
    return DAYS_PER_MONTH / UNITS[unit]


def _check_rate(name: str, value: float, low: float, high: float | None = None) -> float:
    v = float(value)
    if not np.isfinite(v) or v < low or (high is not None and v > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InputError(f"{name} must be {limit}", column=name, value=value)
    return v


def customer_lifetime_value(
    transaction_model: Any,
    spend_model: Any,
    frequency: Any,
    recency: Any,
    T: Any,
    monetary_value: Any,
    *,
    months: int = 12,
    discount_rate: float = 0.01,
    margin: float = 1.0,
    unit: str = "week",
) -> np.ndarray:
    """Discounted value of each customer over the next ``months`` months.

    Parameters
    ----------
    transaction_model : fitted BetaGeo or ParetoNBD
    spend_model : fitted GammaGamma
    frequency, recency, T, monetary_value : array-like
        The per-customer summary, times in ``unit``.
    months : int
        Horizon in months.
    discount_rate : float
        Discount rate per month (0.01 = 1 % a month, about 12.7 % a year).
    margin : float
        Share of the spend that is profit (0 to 1); 1 gives discounted revenue.
    unit : {"week", "day"}
        Time unit of the summary and the fitted models.

    Returns
    -------
    numpy.ndarray
        One value per customer, in the currency of ``monetary_value``.

    Examples
    --------
    >>> from kundfokus.clv import BetaGeo, GammaGamma
    >>> bg, gg = BetaGeo(), GammaGamma()
    >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> gg.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    >>> v = customer_lifetime_value(bg, gg, [2, 0], [30.43, 0], [38.86, 38.86], [22.35, 0],
    ...                             months=12, discount_rate=0.01, margin=0.3)
    >>> bool(v[0] > v[1] > 0)
    True
    """
    months = int(_check_rate("months", months, 1))
    d = _check_rate("discount_rate", discount_rate, 0.0)
    m = _check_rate("margin", margin, 0.0, 1.0)
    per = _periods_per_month(unit)
    x = as_float_array(frequency, "frequency")
    spend = spend_model.expected_spend(x, as_float_array(monetary_value, "monetary_value"))
    value = np.zeros(np.broadcast_shapes(np.shape(x), np.shape(np.atleast_1d(spend))))
    previous = np.zeros_like(value)
    for i in range(1, months + 1):
        cumulative = np.asarray(
            transaction_model.expected_purchases(np.full(len(value), i * per), x, recency, T),
            dtype=float,
        )
        value = value + (cumulative - previous) * spend * m / (1.0 + d) ** i
        previous = cumulative
    return value


def predict_customers(
    summary: pd.DataFrame,
    transaction_model: Any,
    spend_model: Any = None,
    *,
    months: int = 12,
    discount_rate: float = 0.01,
    margin: float = 1.0,
    unit: str = "week",
    customer: str | None = None,
) -> pd.DataFrame:
    """Per-customer forecast from a summary frame: P(alive), expected purchases over the next
    ``months`` months and, with a spend model, expected spend per occasion and CLV.

    Returns
    -------
    pandas.DataFrame
        The customer column (when given), ``frequency``, ``recency``, ``T``, ``probability_alive``,
        ``expected_purchases`` (in the next ``months`` months) and, with a spend model,
        ``monetary_value``, ``expected_spend`` and ``clv`` (discounted, times ``margin``).
    """
    for col in ("frequency", "recency", "T"):
        if col not in summary.columns:
            raise InputError(f"the summary has no {col!r} column", column=col)
    x = summary["frequency"].to_numpy(dtype=float)
    tx = summary["recency"].to_numpy(dtype=float)
    t = summary["T"].to_numpy(dtype=float)
    per = _periods_per_month(unit)
    out = pd.DataFrame({"frequency": summary["frequency"].to_numpy(), "recency": tx, "T": t})
    if customer is not None:
        out.insert(0, customer, summary[customer].to_numpy())
    out["probability_alive"] = np.atleast_1d(transaction_model.probability_alive(x, tx, t))
    out["expected_purchases"] = np.atleast_1d(
        transaction_model.expected_purchases(np.full(len(x), months * per), x, tx, t)
    )
    if spend_model is not None:
        if "monetary_value" not in summary.columns:
            raise InputError("the summary has no 'monetary_value' column", column="monetary_value")
        mv = summary["monetary_value"].to_numpy(dtype=float)
        out["monetary_value"] = mv
        out["expected_spend"] = np.atleast_1d(spend_model.expected_spend(x, mv))
        out["clv"] = customer_lifetime_value(
            transaction_model,
            spend_model,
            x,
            tx,
            t,
            mv,
            months=months,
            discount_rate=discount_rate,
            margin=margin,
            unit=unit,
        )
    return out


def history_matrix(
    transaction_model: Any,
    T: float,
    *,
    max_frequency: int = 20,
    recency_steps: int = 40,
    t: float | None = None,
) -> pd.DataFrame:
    """P(alive) and expected purchases over a grid of histories, for the matrix heat maps.

    Every customer on the grid has the same age ``T`` (time since the first purchase); rows cover
    ``frequency`` 0..``max_frequency`` and ``recency`` from 0 to ``T`` in ``recency_steps`` steps
    (histories with frequency 0 have recency 0 only; histories with frequency above 0 need recency
    above 0).

    Returns
    -------
    pandas.DataFrame
        ``frequency``, ``recency``, ``T``, ``probability_alive`` and, with a horizon ``t``,
        ``expected_purchases`` (in the next ``t`` time units).

    Examples
    --------
    >>> from kundfokus.clv import BetaGeo
    >>> m = BetaGeo()
    >>> m.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> grid = history_matrix(m, 38.86, max_frequency=3, recency_steps=4, t=39)
    >>> len(grid), grid["probability_alive"].between(0, 1).all()
    (13, np.True_)
    """
    T = float(T)
    if not np.isfinite(T) or T <= 0:
        raise InputError("T must be above 0", column="T", value=T)
    steps = np.linspace(0.0, T, int(recency_steps) + 1)[1:]
    rows = [(0, 0.0)] + [(f, r) for f in range(1, int(max_frequency) + 1) for r in steps]
    grid = pd.DataFrame(rows, columns=["frequency", "recency"])
    grid["T"] = T
    x = grid["frequency"].to_numpy(dtype=float)
    tx = grid["recency"].to_numpy()
    tt = grid["T"].to_numpy()
    grid["probability_alive"] = np.atleast_1d(transaction_model.probability_alive(x, tx, tt))
    if t is not None:
        grid["expected_purchases"] = np.atleast_1d(
            transaction_model.expected_purchases(np.full(len(x), float(t)), x, tx, tt)
        )
    return grid
