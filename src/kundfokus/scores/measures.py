"""The score tables: NPS, CSAT and CES per group and period, and their warnings."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.i18n import tr
from kundfokus.scores.counting import (
    ALL,
    MEAN_CI,
    NPS_CI,
    PROPORTION_CI,
    OnInvalid,
    Period,
    _count_answers,
    _Counts,
    _Spec,
    resolve_on_invalid,
)
from kundfokus.scores.intervals import (
    _mean_stats,
    mean_interval,
    nps_interval,
    proportion_interval,
)
from kundfokus.stats import z_value

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
    if not rows:
        raise InputError(
            "there are no answers to score: the data hold no rows",
            hint="check that the file has data below its header",
        )
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
    on_invalid: OnInvalid = "raise",
    n_boot: int = 2000,
    seed: int | None = 0,
    invalid: OnInvalid | None = None,
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
    on_invalid:
        ``"raise"`` (default): an answer that is not a whole number from 0 to 10 raises
        :class:`~kundfokus.errors.InputError` naming row, column and value. ``"missing"``: such
        answers are left out and counted in ``n_invalid``.
    n_boot, seed:
        Bootstrap resamples and random seed.
    invalid:
        Deprecated spelling of ``on_invalid`` (warns; removed after 0.2).

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
    on_invalid = resolve_on_invalid(on_invalid, invalid)
    z_value(level)
    c = _count_answers(
        frame,
        score,
        _Spec("nps", 0, 10),
        by=by,
        period=period,
        date_column=date,
        on_invalid=on_invalid,
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
    on_invalid: OnInvalid = "raise",
    n_boot: int = 2000,
    seed: int | None = 0,
    invalid: OnInvalid | None = None,
) -> pd.DataFrame:
    """Customer satisfaction: the top-box share (top-2-box of 1-5 by default), per group and period.

    Parameters
    ----------
    frame, score, by, period, date, level, min_n, on_invalid, n_boot, seed, invalid:
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
    on_invalid = resolve_on_invalid(on_invalid, invalid)
    z_value(level)
    c = _count_answers(
        frame,
        score,
        _Spec("csat", low, high),
        by=by,
        period=period,
        date_column=date,
        on_invalid=on_invalid,
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
    on_invalid: OnInvalid = "raise",
    n_boot: int = 2000,
    seed: int | None = 0,
    invalid: OnInvalid | None = None,
) -> pd.DataFrame:
    """Customer effort score (CES 2.0 by default: 1-7 agreement that the issue was easy to handle).

    Parameters
    ----------
    frame, score, by, period, date, level, min_n, on_invalid, n_boot, seed, invalid:
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
    on_invalid = resolve_on_invalid(on_invalid, invalid)
    z_value(level)
    c = _count_answers(
        frame,
        score,
        _Spec("ces", low, high),
        by=by,
        period=period,
        date_column=date,
        on_invalid=on_invalid,
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
