"""Cohort retention: customers by the period they started in, followed period by period."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from kundfokus.errors import InputError
from kundfokus.retention.churn import _spells
from kundfokus.retention.periods import ChurnPeriod, _bounds, _index_of, _label


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
