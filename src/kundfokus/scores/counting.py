"""Reading and counting the answers of a score column, inside the frame's own engine."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.frames import (
    as_frame,
    check_days,
    day_expr,
    first_row,
    is_numeric,
    period_of,
    plain_value,
    require_columns,
    respondent_column,
    text_expr,
    to_pandas,
    warn_duplicates,
)

Kind = Literal["nps", "csat", "ces"]
Period = Literal["week", "month", "quarter"]
OnInvalid = Literal["raise", "missing"]
PERIODS: tuple[str, ...] = ("week", "month", "quarter")
NPS_CI = ("adjusted-wald", "wald", "bootstrap")
PROPORTION_CI = ("wilson", "adjusted-wald", "wald", "bootstrap")
MEAN_CI = ("t", "bootstrap")
ALL = "all"
#: What to do with an answer that is not on the scale: stop with an error, or count it as missing.
ON_INVALID: tuple[str, ...] = ("raise", "missing")

_NUMBER = r"^[+-]?[0-9]+(?:[.,][0-9]+)?$"
_ST_OK, _ST_MISSING, _ST_INVALID = 0, 1, 2


# --------------------------------------------------------------------------------------------------
# Reading and counting the answers
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    kind: str
    low: int
    high: int


def _score_exprs(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any], score: str, low: int, high: int
) -> tuple[nw.Expr, nw.Expr]:
    """Expressions for the parsed score (Float64, null unless valid) and its status code."""
    dtype = f.collect_schema()[score]
    if is_numeric(dtype):
        value = nw.col(score).cast(nw.Float64)
        missing = value.is_null()
        if dtype.is_float():
            missing = missing | value.is_nan().fill_null(False)
        number = ~missing
    else:
        text = text_expr(score)
        missing = (text.is_null() | (text == "")).fill_null(True)
        number = text.str.contains(_NUMBER).fill_null(False)
        value = (
            nw.when(number).then(text.str.replace_all(",", ".", literal=True)).otherwise(None)
        ).cast(nw.Float64)
    in_scale = ((value >= low) & (value <= high) & (value.round(0) == value)).fill_null(False)
    valid = number & in_scale
    status = (
        nw.when(missing)
        .then(nw.lit(_ST_MISSING))
        .otherwise(nw.when(valid).then(nw.lit(_ST_OK)).otherwise(nw.lit(_ST_INVALID)))
    )
    clean = nw.when(valid & ~missing).then(value).otherwise(None)
    return clean, status


def _bad_score_message(value: Any, low: int, high: int) -> str:
    try:
        v = float(str(value).strip().replace(",", "."))
    except ValueError:
        return f"not a number (expected a whole number from {low} to {high})"
    if math.isnan(v) or math.isinf(v):
        return f"not a number (expected a whole number from {low} to {high})"
    if v != round(v):
        return f"not a whole number (expected {low} to {high})"
    return f"outside the scale {low} to {high}"


@dataclass
class _Counts:
    counts: pd.DataFrame  # group, period, period_start, value, count
    quality: pd.DataFrame  # group, period, period_start, n_missing, n_invalid
    keys: list[str]
    days: dict[str, date] = field(default_factory=dict)


def resolve_on_invalid(on_invalid: str, invalid: str | None = None) -> OnInvalid:
    """Check ``on_invalid``; take the deprecated ``invalid=`` keyword (before 0.2) when it is given.

    Called by the public functions themselves, so the warning points at their caller.

    >>> resolve_on_invalid("missing")
    'missing'
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     resolve_on_invalid("raise", invalid="missing"), caught[0].category.__name__
    ('missing', 'DeprecationWarning')
    """
    if invalid is not None:
        warnings.warn(
            "the keyword invalid= is deprecated and will be removed after 0.2; use on_invalid= "
            "(the same values, 'raise' or 'missing')",
            DeprecationWarning,
            stacklevel=3,
        )
        if on_invalid != "raise" and on_invalid != invalid:
            raise InputError(
                f"on_invalid={on_invalid!r} and the deprecated invalid={invalid!r} disagree; "
                "give only on_invalid"
            )
        on_invalid = invalid
    if on_invalid not in ON_INVALID:
        raise InputError(
            f"on_invalid must be 'raise' or 'missing', not {on_invalid!r}", value=on_invalid
        )
    return "raise" if on_invalid == "raise" else "missing"


def _count_answers(
    frame: Any,
    score: str,
    spec: _Spec,
    *,
    by: str | None,
    period: str | None,
    date_column: str | None,
    on_invalid: str,
) -> _Counts:
    if on_invalid not in ON_INVALID:
        raise InputError(
            f"on_invalid must be 'raise' or 'missing', not {on_invalid!r}", value=on_invalid
        )
    if period is not None and period not in PERIODS:
        raise InputError(
            f"unknown period {period!r}: use week, month or quarter", value=period, column=None
        )
    if period is not None and date_column is None:
        raise InputError("a period needs a date column (--date)")
    f = as_frame(frame)
    require_columns(f, [score, by, date_column if period else None])
    rid = respondent_column(list(f.collect_schema().names()))
    if rid is not None and period is None and rid != by:
        # Within a group: a respondent in two groups (a paired design) or two periods (a panel)
        # is expected; twice in one group is not.
        warn_duplicates(f, rid, keys=[by] if by is not None else [], stacklevel=6)
    value, status = _score_exprs(f, score, spec.low, spec.high)
    days: dict[str, date] = {}
    keys: list[str] = []
    cols = [value.alias("_kf_v"), status.alias("_kf_st")]
    if by is not None:
        cols.append(nw.col(by).cast(nw.String).alias("_kf_g"))
        keys.append("_kf_g")
    if period is not None and date_column is not None:
        cols.append(day_expr(date_column).alias("_kf_day"))
        keys.append("_kf_day")
    # the one pass over the data: counts per group, day, status and score value
    agg = (
        f.select(*cols)
        .with_columns(nw.col("_kf_v").fill_null(-1.0))
        .group_by(*keys, "_kf_st", "_kf_v")
        .agg(nw.len().alias("count"))
    )
    raw = to_pandas(agg)
    if on_invalid == "raise" and bool((raw["_kf_st"] == _ST_INVALID).any()):
        row, bad = first_row(f, (status == _ST_INVALID).fill_null(False), score)
        raise InputError(
            _bad_score_message(bad, spec.low, spec.high),
            row=row,
            column=score,
            value=bad,
            hint="fix the value, or leave bad values out: on_invalid='missing', --invalid-as-missing",
        )
    if period is not None and date_column is not None:
        days = check_days(f, date_column, distinct=raw["_kf_day"].unique().tolist())
    raw["group"] = raw["_kf_g"].map(plain_value) if by is not None else ALL
    if period is not None:
        labels = {k: period_of(d, period) for k, d in days.items()}
        raw["period"] = raw["_kf_day"].map(lambda d: labels[str(d)][0])
        raw["period_start"] = raw["_kf_day"].map(lambda d: labels[str(d)][1])
        cell = ["group", "period", "period_start"]
    else:
        cell = ["group"]
    raw["count"] = raw["count"].astype("int64")
    ok = raw[raw["_kf_st"] == _ST_OK]
    counts = (
        ok.assign(value=ok["_kf_v"].astype(float))
        .groupby([*cell, "value"], dropna=False)["count"]
        .sum()
        .reset_index()
    )
    quality = (
        raw.assign(
            n_missing=np.where(raw["_kf_st"] == _ST_MISSING, raw["count"], 0),
            n_invalid=np.where(raw["_kf_st"] == _ST_INVALID, raw["count"], 0),
        )
        .groupby(cell, dropna=False)[["n_missing", "n_invalid"]]
        .sum()
        .reset_index()
    )
    return _Counts(counts=counts, quality=quality, keys=cell, days=days)
