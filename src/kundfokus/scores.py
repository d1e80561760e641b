"""Survey scores: Net Promoter Score (NPS), customer satisfaction (CSAT) and customer effort (CES).

Each score is computed per group (a segment, channel, contact reason or situation) and per period
(ISO week, month or quarter of a date column), with a standard error, a confidence interval and a
flag on groups too small to read. Two groups or periods can be compared, either as independent
samples or as paired samples (the same respondents answering twice).

The functions take a pandas, Polars, DuckDB or PySpark frame (through narwhals). The heavy work, one
pass that counts answers per group, period and score value, runs in the frame's own engine; only that
small table of counts comes back to Python, where the statistics are computed. Because every score
here lives on a short integer scale, the counts hold all the information the statistics need
(including the bootstrap, which resamples respondents by drawing from those counts).

Scales
------
- NPS: 0-10; promoters 9-10, passives 7-8, detractors 0-6; NPS = %promoters - %detractors, on the
  -100..100 scale. Each respondent scores +1 / 0 / -1, so Var = pP + pD - (pP - pD)^2 and
  SE = sqrt(Var / n) (times 100 on the NPS scale).
- CSAT: 1-5 by default; ``csat`` is the top-2-box share (answers 4 or 5) in percent, with a Wilson
  interval. The mean answer is reported separately as ``mean_score``.
- CES: 1-7 by default (CES 2.0, agreement with "the company made it easy for me to handle my issue");
  ``mean_score`` with a t interval and ``pct_agree``, the share of answers above the neutral midpoint
  of the scale (5-7 on 1-7, 4-5 on 1-5) with a Wilson interval.

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"nps": [10, 9, 9, 8, 7, 6, 3, 10, 9, 0]})
>>> table = nps(answers, "nps", ci="wald")
>>> table[["group", "n", "promoters", "detractors", "nps"]].to_dict("records")
[{'group': 'all', 'n': 10, 'promoters': 5, 'detractors': 3, 'nps': 20.0}]
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
from scipy import stats

from kundfokus.errors import InputError
from kundfokus.frames import to_pandas
from kundfokus.i18n import tr
from kundfokus.stats import wilson_interval

Kind = Literal["nps", "csat", "ces"]
Period = Literal["week", "month", "quarter"]
PERIODS: tuple[str, ...] = ("week", "month", "quarter")
NPS_CI = ("adjusted-wald", "wald", "bootstrap")
PROPORTION_CI = ("wilson", "adjusted-wald", "wald", "bootstrap")
MEAN_CI = ("t", "bootstrap")
ALL = "all"

_NUMBER = r"^[+-]?[0-9]+(?:[.,][0-9]+)?$"
_ST_OK, _ST_MISSING, _ST_INVALID = 0, 1, 2


# --------------------------------------------------------------------------------------------------
# Frame helpers (shared with kundfokus.retention)
# --------------------------------------------------------------------------------------------------


def _frame(frame: Any) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    try:
        return nw.from_native(frame)
    except TypeError as exc:
        raise InputError(
            f"expected a pandas, Polars, DuckDB or PySpark frame, got {type(frame).__name__}"
        ) from exc


def _require(f: nw.DataFrame[Any] | nw.LazyFrame[Any], columns: Sequence[str | None]) -> None:
    have = list(f.collect_schema().names())
    for c in columns:
        if c is not None and c not in have:
            raise InputError(
                "no such column", column=c, hint=f"the columns are: {', '.join(map(str, have))}"
            )


def _first_row(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any], mask: nw.Expr, column: str
) -> tuple[int | None, Any]:
    """The 1-based data row and raw value of the first row where ``mask`` holds.

    Eager frames (pandas, Polars) have a row order, so the row number is exact. Lazy engines (DuckDB,
    Spark) have no guaranteed order: the row is then ``None`` and only the value is reported.
    """
    if isinstance(f, nw.DataFrame):
        hit = to_pandas(f.with_row_index("_kf_row").filter(mask).select("_kf_row", column).head(1))
        if len(hit):
            return int(hit["_kf_row"].iloc[0]) + 1, _plain(hit[column].iloc[0])
        return None, None
    hit = to_pandas(f.filter(mask).select(column).head(1))
    return None, (_plain(hit[column].iloc[0]) if len(hit) else None)


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def _is_numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric())


def _text(column: str) -> nw.Expr:
    return nw.col(column).cast(nw.String).str.strip_chars()


def _day(column: str) -> nw.Expr:
    """The first ten characters of a date column as text (``YYYY-MM-DD``)."""
    return _text(column).str.slice(0, 10)


def _parse_day(text: Any) -> date | None:
    if text is None:
        return None
    s = str(text).strip()
    if len(s) != 10:
        return None
    try:
        return date.fromisoformat(s)
    except ValueError:
        return None


def _check_days(
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
        distinct = to_pandas(f.select(_day(column).alias("_kf_day")).unique())["_kf_day"].tolist()
    parsed: dict[str, date] = {}
    bad: list[Any] = []
    for raw in distinct:
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw == "":
            if not allow_missing:
                bad.append(None)
            continue
        d = _parse_day(raw)
        if d is None:
            bad.append(raw)
        else:
            parsed[str(raw)] = d
    if bad:
        bad_set = [b for b in bad if b is not None]
        if bad_set:
            mask = _day(column).is_in(bad_set)
            message = "not a date: write dates as YYYY-MM-DD (ISO 8601)"
        else:
            mask = _day(column).is_null() | (_day(column) == "")
            message = "the date is missing"
        row, value = _first_row(f, mask.fill_null(True), column)
        raise InputError(message, row=row, column=column, value=value)
    return parsed


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
    if _is_numeric(dtype):
        value = nw.col(score).cast(nw.Float64)
        missing = value.is_null()
        if dtype.is_float():
            missing = missing | value.is_nan().fill_null(False)
        number = ~missing
    else:
        text = _text(score)
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
    if math.isnan(v):
        return "not a number"
    if v != round(v):
        return f"not a whole number (expected {low} to {high})"
    return f"outside the scale {low} to {high}"


@dataclass
class _Counts:
    counts: pd.DataFrame  # group, period, period_start, value, count
    quality: pd.DataFrame  # group, period, period_start, n_missing, n_invalid
    keys: list[str]
    days: dict[str, date] = field(default_factory=dict)


def _count_answers(
    frame: Any,
    score: str,
    spec: _Spec,
    *,
    by: str | None,
    period: str | None,
    date_column: str | None,
    invalid: str,
) -> _Counts:
    if invalid not in ("raise", "missing"):
        raise InputError(f"invalid must be 'raise' or 'missing', not {invalid!r}", value=invalid)
    if period is not None and period not in PERIODS:
        raise InputError(
            f"unknown period {period!r}: use week, month or quarter", value=period, column=None
        )
    if period is not None and date_column is None:
        raise InputError("a period needs a date column (--date)")
    f = _frame(frame)
    _require(f, [score, by, date_column if period else None])
    value, status = _score_exprs(f, score, spec.low, spec.high)
    days: dict[str, date] = {}
    keys: list[str] = []
    cols = [value.alias("_kf_v"), status.alias("_kf_st")]
    if by is not None:
        cols.append(nw.col(by).cast(nw.String).alias("_kf_g"))
        keys.append("_kf_g")
    if period is not None and date_column is not None:
        cols.append(_day(date_column).alias("_kf_day"))
        keys.append("_kf_day")
    # the one pass over the data: counts per group, day, status and score value
    agg = (
        f.select(*cols)
        .with_columns(nw.col("_kf_v").fill_null(-1.0))
        .group_by(*keys, "_kf_st", "_kf_v")
        .agg(nw.len().alias("count"))
    )
    raw = to_pandas(agg)
    if invalid == "raise" and bool((raw["_kf_st"] == _ST_INVALID).any()):
        row, bad = _first_row(f, (status == _ST_INVALID).fill_null(False), score)
        raise InputError(
            _bad_score_message(bad, spec.low, spec.high),
            row=row,
            column=score,
            value=bad,
            hint="fix the value, or leave bad values out: invalid='missing', --invalid-as-missing",
        )
    if period is not None and date_column is not None:
        days = _check_days(f, date_column, distinct=raw["_kf_day"].unique().tolist())
    raw["group"] = raw["_kf_g"].map(_plain) if by is not None else ALL
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


# --------------------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------------------


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise InputError(f"the confidence level must be between 0 and 1, not {level}", value=level)
    return float(stats.norm.ppf(0.5 + level / 2))


def nps_interval(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    method: str = "adjusted-wald",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> tuple[float, float, float]:
    """Standard error and confidence interval of an NPS, on the -100..100 scale.

    Parameters
    ----------
    promoters, passives, detractors:
        Counts of answers 9-10, 7-8 and 0-6.
    method:
        ``"adjusted-wald"`` (default; Rocks 2016, Lewis & Sauro: add 3 to n and 3/4 to both
        promoters and detractors, then use the Wald formula), ``"wald"`` (NPS +- z * SE with
        SE = sqrt((pP + pD - (pP - pD)^2) / n)) or ``"bootstrap"`` (percentile interval of
        ``n_boot`` resamples of the respondents, seeded).
    level:
        Confidence level.

    Returns
    -------
    (se, ci_low, ci_high)
        The standard error used for the interval (for the adjusted Wald, the adjusted one; for the
        bootstrap, the standard deviation of the resampled NPS) and the bounds, clipped to
        -100..100.

    Examples
    --------
    >>> se, lo, hi = nps_interval(50, 30, 20, method="wald")
    >>> round(se, 3), round(lo, 2), round(hi, 2)
    (7.81, 14.69, 45.31)
    >>> [round(x, 2) for x in nps_interval(50, 30, 20)]
    [7.69, 14.05, 44.2]
    """
    n = promoters + passives + detractors
    if n <= 0:
        return math.nan, math.nan, math.nan
    z = _z(level)
    if method == "bootstrap":
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(n, [promoters / n, passives / n, detractors / n], size=n_boot)
        boot = 100.0 * (draws[:, 0] - draws[:, 2]) / n
        alpha = (1 - level) / 2
        lo, hi = np.quantile(boot, [alpha, 1 - alpha])
        return float(np.std(boot, ddof=1)), float(lo), float(hi)
    if method == "adjusted-wald":
        n_adj = n + 3.0
        p, d = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    elif method == "wald":
        n_adj = float(n)
        p, d = promoters / n, detractors / n
    else:
        raise InputError(f"unknown interval {method!r} for NPS: use {', '.join(NPS_CI)}")
    var = p + d - (p - d) ** 2
    se = math.sqrt(max(var, 0.0) / n_adj)
    centre = p - d
    return 100 * se, max(-100.0, 100 * (centre - z * se)), min(100.0, 100 * (centre + z * se))


def proportion_interval(
    k: int,
    n: int,
    *,
    method: str = "wilson",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> tuple[float, float, float]:
    """Standard error and interval of a share ``k / n``, in percent.

    ``"wilson"`` (Wilson 1927, the default), ``"adjusted-wald"`` (Agresti-Coull: add z^2/2 successes
    and z^2 trials; the adjusted Wald of Lewis & Sauro), ``"wald"`` or ``"bootstrap"``. The standard
    error is the plain sqrt(p(1-p)/n) except for the bootstrap (standard deviation of resamples).

    Examples
    --------
    >>> [round(x, 3) for x in proportion_interval(0, 10)]  # Wilson upper bound z^2/(n+z^2)
    [0.0, 0.0, 27.753]
    """
    if n <= 0:
        return math.nan, math.nan, math.nan
    z = _z(level)
    p = k / n
    se = math.sqrt(p * (1 - p) / n)
    if method == "wilson":
        lo, hi = wilson_interval(k, n, level)
    elif method == "adjusted-wald":
        n_adj = n + z * z
        p_adj = (k + z * z / 2) / n_adj
        half = z * math.sqrt(p_adj * (1 - p_adj) / n_adj)
        lo, hi = p_adj - half, p_adj + half
    elif method == "wald":
        lo, hi = p - z * se, p + z * se
    elif method == "bootstrap":
        rng = np.random.default_rng(seed)
        boot = rng.binomial(n, p, size=n_boot) / n
        alpha = (1 - level) / 2
        lo, hi = np.quantile(boot, [alpha, 1 - alpha])
        se = float(np.std(boot, ddof=1))
    else:
        raise InputError(f"unknown interval {method!r} for a share: use {', '.join(PROPORTION_CI)}")
    return 100 * se, 100 * max(0.0, float(lo)), 100 * min(1.0, float(hi))


def _mean_stats(values: np.ndarray, counts: np.ndarray) -> tuple[int, float, float]:
    n = int(counts.sum())
    if n == 0:
        return 0, math.nan, math.nan
    mean = float((values * counts).sum() / n)
    sd = float(math.sqrt(((values - mean) ** 2 * counts).sum() / (n - 1))) if n > 1 else math.nan
    return n, mean, sd


def mean_interval(
    values: np.ndarray,
    counts: np.ndarray,
    *,
    method: str = "t",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> tuple[float, float, float]:
    """Standard error and interval of a mean answer from counts per scale value (t or bootstrap).

    Examples
    --------
    >>> se, lo, hi = mean_interval(np.array([1.0, 7.0]), np.array([2, 2]))
    >>> round(se, 3), round(lo, 3), round(hi, 3)
    (1.732, -1.512, 9.512)
    """
    values = np.asarray(values, dtype=float)
    counts = np.asarray(counts, dtype=np.int64)
    n, mean, sd = _mean_stats(values, counts)
    if n < 2:
        return math.nan, math.nan, math.nan
    _z(level)
    if method == "t":
        se = sd / math.sqrt(n)
        t = float(stats.t.ppf(0.5 + level / 2, n - 1))
        return se, mean - t * se, mean + t * se
    if method == "bootstrap":
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(n, counts / n, size=n_boot)
        boot = draws @ values / n
        alpha = (1 - level) / 2
        lo, hi = np.quantile(boot, [alpha, 1 - alpha])
        return float(np.std(boot, ddof=1)), float(lo), float(hi)
    raise InputError(f"unknown interval {method!r} for a mean: use {', '.join(MEAN_CI)}")


# --------------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------------


def _cells(c: _Counts) -> list[tuple[tuple[Any, ...], np.ndarray, np.ndarray]]:
    out = []
    groups = c.quality.sort_values(
        [k for k in ("period_start", "group") if k in c.keys], na_position="last"
    )
    for _, q in groups.iterrows():
        key = tuple(q[k] for k in c.keys)
        sel = np.ones(len(c.counts), dtype=bool)
        for k, v in zip(c.keys, key, strict=True):
            col = c.counts[k]
            sel &= (col.isna() if _missing(v) else (col == v)).to_numpy()
        part = c.counts[sel]
        out.append((key, part["value"].to_numpy(float), part["count"].to_numpy(np.int64)))
    return out


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _finish(rows: list[dict[str, Any]], c: _Counts, min_n: int, kind: str) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    q = c.quality.copy()
    table = table.merge(q, on=c.keys, how="left") if len(table) else table
    table["small_sample"] = table["n"] < min_n
    table.attrs["kind"] = kind
    table.attrs["min_n"] = min_n
    table.attrs["warnings"] = score_warnings(table, lang="en")
    return table.reset_index(drop=True)


def nps(
    frame: Any,
    score: str,
    *,
    by: str | None = None,
    period: Period | None = None,
    date: str | None = None,
    ci: str = "adjusted-wald",
    level: float = 0.95,
    min_n: int = 30,
    invalid: Literal["raise", "missing"] = "raise",
    n_boot: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Net Promoter Score per group and period, with standard error and confidence interval.

    Parameters
    ----------
    frame:
        pandas, Polars, DuckDB or PySpark frame with one row per answer.
    score:
        Column with the 0-10 answer ("How likely are you to recommend ...?"). Text or numbers;
        empty cells are missing answers (counted in ``n_missing``).
    by:
        Optional column to group by (segment, channel, contact reason, situation).
    period, date:
        Optional ``"week"`` (ISO 8601 weeks), ``"month"`` or ``"quarter"`` of the ``date`` column
        (``YYYY-MM-DD``; a time after the date is ignored).
    ci:
        ``"adjusted-wald"`` (default), ``"wald"`` or ``"bootstrap"``; see :func:`nps_interval`.
    level:
        Confidence level of the interval (default 0.95).
    min_n:
        Groups with fewer answers get ``small_sample = True`` and a warning (default 30).
    invalid:
        ``"raise"`` (default): an answer that is not a whole number from 0 to 10 raises
        :class:`~kundfokus.errors.InputError` naming row, column and value. ``"missing"``: such
        answers are left out and counted in ``n_invalid``.
    n_boot, seed:
        Bootstrap resamples and random seed.

    Returns
    -------
    pandas.DataFrame
        One row per group (``group`` is ``"all"`` without ``by``) and period (``period``,
        ``period_start``, only with ``period``): ``n``, ``promoters``, ``passives``,
        ``detractors``, ``pct_promoters``, ``pct_passives``, ``pct_detractors``, ``nps``
        (-100..100), ``se``, ``ci_low``, ``ci_high``, ``ci_method``, ``level``, ``n_missing``,
        ``n_invalid``, ``small_sample``. ``table.attrs["warnings"]`` lists the warnings in English
        (:func:`score_warnings` gives them in Swedish).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q": ["10", "9", "7", "3", "", "10"], "ch": list("aabbbb")})
    >>> t = nps(df, "q", by="ch", min_n=2)
    >>> t[["group", "n", "nps", "n_missing", "small_sample"]].to_dict("records")
    [{'group': 'a', 'n': 2, 'nps': 100.0, 'n_missing': 0, 'small_sample': False}, {'group': 'b', 'n': 3, 'nps': 0.0, 'n_missing': 1, 'small_sample': False}]
    """
    if ci not in NPS_CI:
        raise InputError(f"unknown interval {ci!r} for NPS: use {', '.join(NPS_CI)}", value=ci)
    _z(level)
    c = _count_answers(
        frame, score, _Spec("nps", 0, 10), by=by, period=period, date_column=date, invalid=invalid
    )
    rows = []
    for key, values, counts in _cells(c):
        pro = int(counts[values >= 9].sum())
        det = int(counts[values <= 6].sum())
        pas = int(counts.sum()) - pro - det
        n = pro + pas + det
        se, lo, hi = nps_interval(pro, pas, det, method=ci, level=level, n_boot=n_boot, seed=seed)
        rows.append(
            {
                **dict(zip(c.keys, key, strict=True)),
                "n": n,
                "promoters": pro,
                "passives": pas,
                "detractors": det,
                "pct_promoters": 100 * pro / n if n else math.nan,
                "pct_passives": 100 * pas / n if n else math.nan,
                "pct_detractors": 100 * det / n if n else math.nan,
                "nps": 100 * (pro - det) / n if n else math.nan,
                "se": se,
                "ci_low": lo,
                "ci_high": hi,
                "ci_method": ci,
                "level": level,
            }
        )
    return _finish(rows, c, min_n, "nps")


def csat(
    frame: Any,
    score: str,
    *,
    by: str | None = None,
    period: Period | None = None,
    date: str | None = None,
    scale: tuple[int, int] = (1, 5),
    top: int = 2,
    ci: str = "wilson",
    level: float = 0.95,
    min_n: int = 30,
    invalid: Literal["raise", "missing"] = "raise",
    n_boot: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Customer satisfaction: the top-box share (top-2-box of 1-5 by default), per group and period.

    Parameters
    ----------
    frame, score, by, period, date, level, min_n, invalid, n_boot, seed:
        As in :func:`nps`.
    scale:
        Lowest and highest answer (default 1-5).
    top:
        How many of the highest answers count as satisfied (default 2: 4 and 5 on 1-5).
    ci:
        ``"wilson"`` (default), ``"adjusted-wald"``, ``"wald"`` or ``"bootstrap"``.

    Returns
    -------
    pandas.DataFrame
        Per group and period: ``n``, ``satisfied`` (answers in the top box), ``csat`` (percent
        satisfied), ``se``, ``ci_low``, ``ci_high`` (percent), ``ci_method``, ``level``,
        ``mean_score`` and ``sd_score`` (the mean answer, a different measure, reported
        separately), ``n_missing``, ``n_invalid``, ``small_sample``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = csat(pd.DataFrame({"s": [5, 4, 4, 3, 1]}), "s", min_n=1)
    >>> t[["n", "satisfied", "csat", "mean_score"]].to_dict("records")
    [{'n': 5, 'satisfied': 3, 'csat': 60.0, 'mean_score': 3.4}]
    """
    low, high = _check_scale(scale)
    if not 1 <= top <= high - low:
        raise InputError(f"top must be between 1 and {high - low}, not {top}", value=top)
    if ci not in PROPORTION_CI:
        raise InputError(f"unknown interval {ci!r} for CSAT: use {', '.join(PROPORTION_CI)}")
    _z(level)
    c = _count_answers(
        frame,
        score,
        _Spec("csat", low, high),
        by=by,
        period=period,
        date_column=date,
        invalid=invalid,
    )
    cut = high - top + 1
    rows = []
    for key, values, counts in _cells(c):
        n, mean, sd = _mean_stats(values, counts)
        k = int(counts[values >= cut].sum())
        se, lo, hi = proportion_interval(k, n, method=ci, level=level, n_boot=n_boot, seed=seed)
        rows.append(
            {
                **dict(zip(c.keys, key, strict=True)),
                "n": n,
                "satisfied": k,
                "csat": 100 * k / n if n else math.nan,
                "se": se,
                "ci_low": lo,
                "ci_high": hi,
                "ci_method": ci,
                "level": level,
                "mean_score": mean,
                "sd_score": sd,
            }
        )
    table = _finish(rows, c, min_n, "csat")
    table.attrs["top_box"] = (cut, high)
    return table


def ces(
    frame: Any,
    score: str,
    *,
    by: str | None = None,
    period: Period | None = None,
    date: str | None = None,
    scale: tuple[int, int] = (1, 7),
    agree_from: int | None = None,
    ci: str = "t",
    level: float = 0.95,
    min_n: int = 30,
    invalid: Literal["raise", "missing"] = "raise",
    n_boot: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Customer effort score (CES 2.0 by default: 1-7 agreement that the issue was easy to handle).

    Parameters
    ----------
    frame, score, by, period, date, level, min_n, invalid, n_boot, seed:
        As in :func:`nps`.
    scale:
        Lowest and highest answer (default 1-7).
    agree_from:
        Lowest answer that counts as agreeing. Default: the answers above the neutral midpoint of
        the scale, i.e. the smallest whole number greater than (low + high) / 2: 5 on 1-7 (5, 6, 7:
        somewhat agree to strongly agree), 4 on 1-5.
    ci:
        Interval of the mean: ``"t"`` (default) or ``"bootstrap"``. The share agreeing always gets
        a Wilson interval (bootstrap when ``ci="bootstrap"``).

    Returns
    -------
    pandas.DataFrame
        Per group and period: ``n``, ``mean_score``, ``sd_score``, ``se`` (of the mean), ``ci_low``,
        ``ci_high`` (of the mean), ``ci_method``, ``level``, ``agree`` (count), ``pct_agree``,
        ``agree_ci_low``, ``agree_ci_high``, ``n_missing``, ``n_invalid``, ``small_sample``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = ces(pd.DataFrame({"e": [7, 6, 5, 4, 2, 6]}), "e", min_n=1)
    >>> t[["n", "mean_score", "agree", "pct_agree"]].round(2).to_dict("records")
    [{'n': 6, 'mean_score': 5.0, 'agree': 4, 'pct_agree': 66.67}]
    """
    low, high = _check_scale(scale)
    cut = agree_from if agree_from is not None else math.floor((low + high) / 2) + 1
    if not low < cut <= high:
        raise InputError(f"agree_from must be above {low} and at most {high}", value=agree_from)
    if ci not in MEAN_CI:
        raise InputError(f"unknown interval {ci!r} for CES: use {', '.join(MEAN_CI)}", value=ci)
    _z(level)
    c = _count_answers(
        frame,
        score,
        _Spec("ces", low, high),
        by=by,
        period=period,
        date_column=date,
        invalid=invalid,
    )
    rows = []
    share_ci = "bootstrap" if ci == "bootstrap" else "wilson"
    for key, values, counts in _cells(c):
        n, mean, sd = _mean_stats(values, counts)
        se, lo, hi = mean_interval(values, counts, method=ci, level=level, n_boot=n_boot, seed=seed)
        k = int(counts[values >= cut].sum())
        _, alo, ahi = proportion_interval(
            k, n, method=share_ci, level=level, n_boot=n_boot, seed=seed
        )
        rows.append(
            {
                **dict(zip(c.keys, key, strict=True)),
                "n": n,
                "mean_score": mean,
                "sd_score": sd,
                "se": se,
                "ci_low": lo,
                "ci_high": hi,
                "ci_method": ci,
                "level": level,
                "agree": k,
                "pct_agree": 100 * k / n if n else math.nan,
                "agree_ci_low": alo,
                "agree_ci_high": ahi,
            }
        )
    table = _finish(rows, c, min_n, "ces")
    table.attrs["agree_from"] = cut
    return table


def _check_scale(scale: Sequence[int]) -> tuple[int, int]:
    try:
        low, high = (int(x) for x in scale)
    except (TypeError, ValueError) as exc:
        raise InputError(f"a scale is two whole numbers (low, high), not {scale!r}") from exc
    if high <= low:
        raise InputError(f"the scale's top ({high}) must be above its bottom ({low})")
    return low, high


_WARN = {
    "small": {
        "en": "{cell}: only {n} answers (fewer than {min_n}); the score is too uncertain to read",
        "sv": "{cell}: bara {n} svar (färre än {min_n}); värdet är för osäkert för att läsas",
    },
    "invalid": {
        "en": "{cell}: {k} answers were not valid scores and were left out",
        "sv": "{cell}: {k} svar var inte giltiga värden och har utelämnats",
    },
}


def cell_label(row: pd.Series | dict[str, Any]) -> str:
    """A readable label of a result row: its group, its period, or both (``"phone 2024-Q1"``)."""
    group = row.get("group", ALL)
    period = row.get("period")
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return str(group)
    return str(period) if group == ALL else f"{group} {period}"


def score_warnings(table: pd.DataFrame, *, lang: str = "en") -> list[str]:
    """Warnings about a result table: groups below ``min_n`` answers and answers left out."""
    min_n = table.attrs.get("min_n", 30)
    out = []
    for _, row in table.iterrows():
        if bool(row.get("small_sample", False)):
            out.append(tr(_WARN["small"], lang, cell=cell_label(row), n=int(row["n"]), min_n=min_n))
        k = row.get("n_invalid", 0)
        if k and not _missing(k) and int(k) > 0:
            out.append(tr(_WARN["invalid"], lang, cell=cell_label(row), k=int(k)))
    return out


# --------------------------------------------------------------------------------------------------
# Comparing two groups or periods
# --------------------------------------------------------------------------------------------------


def _pick_two(table: pd.DataFrame, groups: Sequence[str] | None) -> tuple[pd.Series, pd.Series]:
    labels = [cell_label(r) for _, r in table.iterrows()]
    if groups is None:
        if len(table) != 2:
            raise InputError(
                f"a comparison needs exactly two groups or periods, found {len(table)}: "
                + ", ".join(labels)
            )
        return table.iloc[0], table.iloc[1]
    if len(groups) != 2:
        raise InputError("name exactly two groups or periods to compare")
    picked = []
    for g in groups:
        if str(g) not in labels:
            raise InputError(
                "no such group or period", value=g, hint=f"the results have: {', '.join(labels)}"
            )
        picked.append(table.iloc[labels.index(str(g))])
    return picked[0], picked[1]


def _two_sided(stat: float, df: float | None) -> float:
    if math.isnan(stat):
        return math.nan
    if df is None:
        return float(2 * stats.norm.sf(abs(stat)))
    return float(2 * stats.t.sf(abs(stat), df))


def _comparison_row(
    a: pd.Series,
    b: pd.Series,
    *,
    estimate: str,
    diff: float,
    se: float,
    stat: float,
    stat_name: str,
    df: float | None,
    level: float,
    test: str,
    n_pairs: int | None = None,
) -> pd.DataFrame:
    crit = (
        float(stats.norm.ppf(0.5 + level / 2)) if df is None else stats.t.ppf(0.5 + level / 2, df)
    )
    return pd.DataFrame(
        [
            {
                "group_1": cell_label(a),
                "group_2": cell_label(b),
                "n_1": int(a["n"]),
                "n_2": int(b["n"]),
                "estimate": estimate,
                "value_1": float(a[estimate]),
                "value_2": float(b[estimate]),
                "difference": diff,
                "se": se,
                "statistic": stat_name,
                stat_name: stat,
                "z" if stat_name == "t" else "t": math.nan,
                "df": df if df is not None else math.nan,
                "p_value": _two_sided(stat, df),
                "ci_low": diff - crit * se,
                "ci_high": diff + crit * se,
                "level": level,
                "test": test,
                "n_pairs": n_pairs if n_pairs is not None else math.nan,
            }
        ]
    )


def compare_independent(
    table: pd.DataFrame, *, groups: Sequence[str] | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Test the difference between two rows of a result table as independent samples.

    NPS: z = (NPS1 - NPS2) / sqrt(Var1/n1 + Var2/n2) with Var = pP + pD - (pP - pD)^2 (plain Wald
    variances). CSAT: two-proportion z test (pooled share under the null hypothesis; the interval
    of the difference uses the unpooled standard error). CES: Welch's t test of the means.

    Parameters
    ----------
    table:
        The result of :func:`nps`, :func:`csat` or :func:`ces`.
    groups:
        Labels of the two rows (group, period or ``"group period"``); default: the table must have
        exactly two rows.
    level:
        Confidence level of the interval of the difference.

    Returns
    -------
    pandas.DataFrame
        One row: ``group_1``, ``group_2``, ``n_1``, ``n_2``, ``estimate`` (the compared column),
        ``value_1``, ``value_2``, ``difference`` (1 minus 2, same units), ``se``, ``statistic``
        (``"z"`` or ``"t"``), ``z``, ``t``, ``df``, ``p_value`` (two-sided), ``ci_low``,
        ``ci_high``, ``level``, ``test``, ``n_pairs`` (empty here).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"s": [10] * 6 + [5] * 4 + [10] * 3 + [5] * 7, "g": ["a"] * 10 + ["b"] * 10})
    >>> row = compare_independent(nps(df, "s", by="g", ci="wald", min_n=1)).iloc[0]
    >>> [round(float(row[k]), 4) for k in ("difference", "se", "z", "p_value")]
    [60.0, 42.4264, 1.4142, 0.1573]
    """
    kind = table.attrs.get("kind")
    a, b = _pick_two(table, groups)
    _z(level)
    for r in (a, b):
        if int(r["n"]) < 2:
            raise InputError(
                f"{cell_label(r)} has {int(r['n'])} answers: too few to compare",
                value=cell_label(r),
            )
    if kind == "nps":
        na, nb = int(a["n"]), int(b["n"])

        def var(r: pd.Series) -> float:
            p, d = r["promoters"] / r["n"], r["detractors"] / r["n"]
            return p + d - (p - d) ** 2

        se = 100 * math.sqrt(var(a) / na + var(b) / nb)
        diff = float(a["nps"] - b["nps"])
        stat = diff / se if se > 0 else math.nan
        return _comparison_row(
            a,
            b,
            estimate="nps",
            diff=diff,
            se=se,
            stat=stat,
            stat_name="z",
            df=None,
            level=level,
            test="independent samples z test of NPS",
        )
    if kind == "csat":
        na, nb = int(a["n"]), int(b["n"])
        pa, pb = a["satisfied"] / na, b["satisfied"] / nb
        pooled = (a["satisfied"] + b["satisfied"]) / (na + nb)
        se0 = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        se = 100 * math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
        diff = 100 * float(pa - pb)
        stat = float((pa - pb) / se0) if se0 > 0 else math.nan
        return _comparison_row(
            a,
            b,
            estimate="csat",
            diff=diff,
            se=se,
            stat=stat,
            stat_name="z",
            df=None,
            level=level,
            test="two-proportion z test (pooled)",
        )
    if kind == "ces":
        va, vb = a["sd_score"] ** 2 / a["n"], b["sd_score"] ** 2 / b["n"]
        se = math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (a["n"] - 1) + vb**2 / (b["n"] - 1))
        diff = float(a["mean_score"] - b["mean_score"])
        stat = diff / se if se > 0 else math.nan
        return _comparison_row(
            a,
            b,
            estimate="mean_score",
            diff=diff,
            se=se,
            stat=stat,
            stat_name="t",
            df=float(df),
            level=level,
            test="Welch's t test of the mean",
        )
    raise InputError("compare_independent needs a table from nps(), csat() or ces()")


def compare_paired(
    frame: Any,
    score: str,
    *,
    respondent: str,
    kind: Kind = "nps",
    groups: Sequence[str] | None = None,
    by: str | None = None,
    period: Period | None = None,
    date: str | None = None,
    scale: tuple[int, int] | None = None,
    top: int = 2,
    level: float = 0.95,
    invalid: Literal["raise", "missing"] = "raise",
) -> pd.DataFrame:
    """Test the difference between two groups or periods answered by the same respondents.

    Each respondent who answered in both gets a score in each (NPS: +1 promoter, 0 passive, -1
    detractor; CSAT: 1 in the top box, else 0; CES: the answer), and the test is a paired t test:
    a one-sample t test of the per-respondent differences (group 1 minus group 2), with
    m - 1 degrees of freedom for m pairs. Respondents who answered in only one of the two are left
    out (``n_1`` and ``n_2`` count all answers; ``n_pairs`` the pairs used). A respondent answering
    twice within the same group or period is an error.

    Parameters
    ----------
    frame, score, by, period, date, invalid:
        As in :func:`nps`.
    respondent:
        Column that identifies a respondent.
    kind:
        ``"nps"``, ``"csat"`` or ``"ces"``.
    groups:
        The two group or period labels to compare; default: the data must hold exactly two.
    scale, top:
        Scale of the answers (default 0-10, 1-5 and 1-7) and CSAT's top box.

    Returns
    -------
    pandas.DataFrame
        One row with the columns of :func:`compare_independent`; ``statistic`` is ``"t"``,
        ``difference`` is the mean per-respondent difference (in NPS points, CSAT percent points or
        CES scale points) and ``n_pairs`` the number of pairs.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": [1, 2, 3, 1, 2, 3], "wave": list("aaabbb"),
    ...                    "s": [10, 9, 5, 6, 9, 5]})
    >>> row = compare_paired(df, "s", respondent="id", by="wave").iloc[0]
    >>> int(row["n_pairs"]), round(float(row["difference"]), 2), round(float(row["t"]), 3)
    (3, 66.67, 1.0)
    """
    if kind not in ("nps", "csat", "ces"):
        raise InputError(f"unknown score {kind!r}: use nps, csat or ces", value=kind)
    defaults = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    low, high = _check_scale(scale or defaults[kind])
    if by is None and period is None:
        raise InputError("a paired comparison needs two groups (by) or two periods (period)")
    summary_fn = {"nps": nps, "csat": csat, "ces": ces}[kind]
    extra: dict[str, Any] = {} if kind == "nps" else {"scale": (low, high)}
    if kind == "csat":
        extra["top"] = top
    table = summary_fn(
        frame, score, by=by, period=period, date=date, min_n=0, invalid=invalid, **extra
    )
    a, b = _pick_two(table, groups)
    f = _frame(frame)
    _require(f, [respondent])
    value, status = _score_exprs(f, score, low, high)
    if kind == "nps":
        metric = (
            nw.when(value >= 9)
            .then(nw.lit(1.0))
            .otherwise(nw.when(value <= 6).then(-1.0).otherwise(0.0))
        )
        scale_factor = 100.0
    elif kind == "csat":
        metric = nw.when(value >= high - top + 1).then(nw.lit(1.0)).otherwise(nw.lit(0.0))
        scale_factor = 100.0
    else:
        metric = value
        scale_factor = 1.0

    all_days = _check_days(f, date) if period is not None and date is not None else {}

    def cond(row: pd.Series) -> nw.Expr:
        expr = nw.lit(True)
        if by is not None:
            g = row["group"]
            expr = expr & (nw.col(by).cast(nw.String) == str(g))
        if period is not None and date is not None:
            days = [d for d, day in all_days.items() if period_of(day, period)[0] == row["period"]]
            expr = expr & _day(date).is_in(days)
        return expr.fill_null(False)

    ca, cb = cond(a), cond(b)
    ok = (status == _ST_OK).fill_null(False)
    per = (
        f.filter(ok & (ca | cb))
        .select(
            nw.col(respondent).alias("_kf_r"),
            nw.when(ca).then(metric).otherwise(None).cast(nw.Float64).alias("_kf_a"),
            nw.when(cb).then(metric).otherwise(None).cast(nw.Float64).alias("_kf_b"),
            ca.cast(nw.Int64).alias("_kf_na"),
            cb.cast(nw.Int64).alias("_kf_nb"),
        )
        .group_by("_kf_r")
        .agg(
            nw.col("_kf_a").max(),
            nw.col("_kf_b").max(),
            nw.col("_kf_na").sum(),
            nw.col("_kf_nb").sum(),
        )
    )
    dup = to_pandas(per.filter((nw.col("_kf_na") > 1) | (nw.col("_kf_nb") > 1)).head(1))
    if len(dup):
        raise InputError(
            "this respondent answered more than once in the same group or period",
            column=respondent,
            value=_plain(dup["_kf_r"].iloc[0]),
        )
    d = (
        per.filter(~nw.col("_kf_a").is_null() & ~nw.col("_kf_b").is_null())
        .with_columns((nw.col("_kf_a") - nw.col("_kf_b")).alias("_kf_d"))
        .select(
            nw.len().alias("m"),
            nw.col("_kf_d").mean().alias("mean"),
            nw.col("_kf_d").std(ddof=1).alias("sd"),
        )
    )
    res = to_pandas(d).iloc[0]
    m = int(res["m"])
    if m < 2:
        raise InputError(
            f"a paired comparison needs at least two respondents who answered in both, found {m}",
            column=respondent,
        )
    mean = float(res["mean"]) * scale_factor
    sd = float(res["sd"]) * scale_factor
    se = sd / math.sqrt(m)
    stat = mean / se if se > 0 else (0.0 if mean == 0 else math.copysign(math.inf, mean))
    estimate = {"nps": "nps", "csat": "csat", "ces": "mean_score"}[kind]
    return _comparison_row(
        a,
        b,
        estimate=estimate,
        diff=mean,
        se=se,
        stat=stat,
        stat_name="t",
        df=float(m - 1),
        level=level,
        test="paired t test of per-respondent differences",
        n_pairs=m,
    )


# --------------------------------------------------------------------------------------------------
# One call for the CLI and reports
# --------------------------------------------------------------------------------------------------


@dataclass
class ScoreReport:
    """A score table, the comparison of its two rows (when it has exactly two) and its warnings."""

    kind: str
    table: pd.DataFrame
    comparison: pd.DataFrame | None

    def warnings(self, lang: str = "en") -> list[str]:
        return score_warnings(self.table, lang=lang)


def analyse(
    kind: Kind,
    frame: Any,
    score: str,
    *,
    by: str | None = None,
    period: Period | None = None,
    date: str | None = None,
    ci: str | None = None,
    level: float = 0.95,
    min_n: int = 30,
    invalid: Literal["raise", "missing"] = "raise",
    paired: bool = False,
    respondent: str | None = None,
    scale: tuple[int, int] | None = None,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> ScoreReport:
    """Compute a score table and, when it has exactly two rows, compare them.

    The comparison is independent (:func:`compare_independent`) unless ``paired`` is set, in which
    case ``respondent`` names the respondent column (:func:`compare_paired`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"s": [10, 9, 3, 8] * 10, "g": ["x", "y"] * 20})
    >>> rep = analyse("nps", df, "s", by="g")
    >>> list(rep.table["group"]), round(float(rep.comparison["z"].iloc[0]), 3)
    (['x', 'y'], -2.0)
    """
    if kind not in ("nps", "csat", "ces"):
        raise InputError(f"unknown score {kind!r}: use nps, csat or ces", value=kind)
    if paired and respondent is None:
        raise InputError("a paired comparison needs the respondent column (--respondent)")
    common: dict[str, Any] = dict(
        by=by, period=period, date=date, level=level, min_n=min_n, invalid=invalid
    )
    boot: dict[str, Any] = dict(n_boot=n_boot, seed=seed)
    if kind == "nps":
        table = nps(frame, score, ci=ci or "adjusted-wald", **common, **boot)
    elif kind == "csat":
        table = csat(frame, score, scale=scale or (1, 5), ci=ci or "wilson", **common, **boot)
    else:
        table = ces(frame, score, scale=scale or (1, 7), ci=ci or "t", **common, **boot)
    comparison = None
    if len(table) == 2 and (paired or bool((table["n"] >= 2).all())):
        if paired:
            comparison = compare_paired(
                frame,
                score,
                respondent=respondent or "",
                kind=kind,
                by=by,
                period=period,
                date=date,
                scale=scale,
                level=level,
                invalid=invalid,
            )
        else:
            comparison = compare_independent(table, level=level)
    elif paired:
        raise InputError(
            f"a paired comparison needs exactly two groups or periods, found {len(table)}"
        )
    return ScoreReport(kind=kind, table=table, comparison=comparison)


__all__ = [
    "ScoreReport",
    "analyse",
    "ces",
    "compare_independent",
    "compare_paired",
    "csat",
    "mean_interval",
    "nps",
    "nps_interval",
    "period_of",
    "proportion_interval",
    "score_warnings",
]
