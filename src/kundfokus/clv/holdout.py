"""Checks of a fitted purchase model against a holdout period.

Two checks in the spirit of Fader, Hardie & Lee (2005), figures 3 and 4:

* :func:`holdout_by_frequency`: customers grouped by their number of repeat purchases in the
  calibration period (0, 1, ..., 7+): the mean number of purchases they actually made in the holdout
  period next to the mean the model expected for them (conditional expectations);
* :func:`cumulative_forecast`: the cumulative number of repeat purchases by the whole customer base
  per period (week or day), actual next to the model's unconditional forecast built from the number
  of customers that made their first purchase on each day (cohorts).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kundfokus.clv.summary import UNITS, _day_number, parse_date
from kundfokus.errors import InputError

__all__ = ["cumulative_forecast", "holdout_by_frequency"]


def holdout_by_frequency(model: Any, summary: pd.DataFrame, max_frequency: int = 7) -> pd.DataFrame:
    """Predicted vs actual holdout purchases per calibration-frequency bucket.

    Parameters
    ----------
    model : fitted BetaGeo or ParetoNBD
    summary : pandas.DataFrame
        From :func:`~kundfokus.clv.summary_from_transactions` with ``observation_end`` (needs
        ``frequency``, ``recency``, ``T``, ``holdout_frequency`` and ``holdout_duration``).
    max_frequency : int
        The last bucket holds this many repeat purchases or more ("7+").

    Returns
    -------
    pandas.DataFrame
        One row per bucket: ``frequency`` (label, e.g. ``"7+"``), ``customers``,
        ``actual_mean`` and ``predicted_mean`` (holdout purchases per customer),
        ``actual_total`` and ``predicted_total``.
    """
    needed = ("frequency", "recency", "T", "holdout_frequency", "holdout_duration")
    for col in needed:
        if col not in summary.columns:
            raise InputError(
                f"the summary has no {col!r} column (build it with an observation_end)", column=col
            )
    x = summary["frequency"].to_numpy(dtype=float)
    predicted = np.atleast_1d(
        model.expected_purchases(
            summary["holdout_duration"].to_numpy(dtype=float),
            x,
            summary["recency"].to_numpy(dtype=float),
            summary["T"].to_numpy(dtype=float),
        )
    )
    bucket = np.minimum(x, max_frequency).astype(int)
    frame = pd.DataFrame(
        {
            "bucket": bucket,
            "actual": summary["holdout_frequency"].to_numpy(dtype=float),
            "predicted": predicted,
        }
    )
    grouped = frame.groupby("bucket").agg(
        customers=("actual", "size"),
        actual_total=("actual", "sum"),
        predicted_total=("predicted", "sum"),
    )
    grouped = grouped.reindex(range(max_frequency + 1), fill_value=0)
    out = pd.DataFrame(
        {
            "frequency": [str(b) if b < max_frequency else f"{b}+" for b in grouped.index],
            "customers": grouped["customers"].to_numpy(dtype="int64"),
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["actual_mean"] = grouped["actual_total"].to_numpy() / grouped["customers"].to_numpy()
        out["predicted_mean"] = (
            grouped["predicted_total"].to_numpy() / grouped["customers"].to_numpy()
        )
    out["actual_total"] = grouped["actual_total"].to_numpy()
    out["predicted_total"] = grouped["predicted_total"].to_numpy()
    return out


def cumulative_forecast(
    model: Any,
    repeats: pd.DataFrame,
    cohorts: pd.DataFrame,
    *,
    calibration_end: Any,
    observation_end: Any,
    unit: str = "week",
) -> pd.DataFrame:
    """Actual and forecast repeat purchases of the whole customer base, per period.

    Parameters
    ----------
    model : fitted BetaGeo or ParetoNBD
    repeats, cohorts : pandas.DataFrame
        From :func:`~kundfokus.clv.repeat_transactions_by_day` (day numbers since 1970-01-01).
    calibration_end, observation_end : date or str
    unit : {"week", "day"}
        Length of a period.

    Returns
    -------
    pandas.DataFrame
        One row per period from the first purchase day to ``observation_end``: ``period``
        (1, 2, ...), ``period_end`` (date of its last day), ``calibration`` (True while the period
        ends on or before the calibration end), ``actual``, ``predicted`` (repeat purchases in the
        period), ``cumulative_actual``, ``cumulative_predicted``.

    Notes
    -----
    A customer whose first purchase was on day ``s`` is expected to have made
    ``model.expected_purchases_new(e - s)`` repeat purchases by the end ``e`` of a period (times
    in ``unit``); the forecast adds this up over the daily cohorts. Periods are counted from the
    earliest first purchase; a last, partial period is kept.
    """
    if unit not in UNITS:
        raise InputError(
            f"unknown time unit {unit!r}: use 'day' or 'week'", column="unit", value=unit
        )
    per = int(UNITS[unit])
    cal = _day_number(parse_date(calibration_end, "calibration_end"))
    obs = _day_number(parse_date(observation_end, "observation_end"))
    if cohorts.empty:
        raise InputError("no customers made a first purchase before the calibration end")
    first = cohorts["first_day"].to_numpy(dtype="int64")
    sizes = cohorts["customers"].to_numpy(dtype=float)
    start = int(first.min())
    n_periods = int(np.ceil((obs - start + 1) / per))
    ends = np.minimum(start + per * np.arange(1, n_periods + 1) - 1, obs)
    elapsed = np.clip(ends[:, None] - first[None, :], 0, None) / UNITS[unit]
    flat = np.asarray(model.expected_purchases_new(elapsed.ravel()), dtype=float).reshape(
        elapsed.shape
    )
    cumulative_predicted = (flat * sizes[None, :]).sum(axis=1)
    days = repeats["day"].to_numpy(dtype="int64")
    counts = repeats["repeat_transactions"].to_numpy(dtype=float)
    cumulative_actual = np.array([counts[days <= e].sum() for e in ends])
    out = pd.DataFrame(
        {
            "period": np.arange(1, n_periods + 1),
            "period_end": pd.to_datetime(ends, unit="D").date,
            "calibration": ends <= cal,
            "actual": np.diff(cumulative_actual, prepend=0.0),
            "predicted": np.diff(cumulative_predicted, prepend=0.0),
            "cumulative_actual": cumulative_actual,
            "cumulative_predicted": cumulative_predicted,
        }
    )
    out.attrs["unit"] = unit
    return out
