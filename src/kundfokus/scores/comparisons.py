"""Comparing two groups or periods: independent samples or paired respondents."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import narwhals as nw
import pandas as pd
from scipy import stats

from kundfokus.errors import InputError
from kundfokus.frames import (
    as_frame,
    check_days,
    day_expr,
    period_of,
    plain_value,
    require_columns,
    to_pandas,
)
from kundfokus.scores.counting import (
    _ST_OK,
    Kind,
    OnInvalid,
    Period,
    _score_exprs,
    resolve_on_invalid,
)
from kundfokus.scores.measures import _check_scale, cell_label, ces, csat, nps
from kundfokus.stats import z_value

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
    z_value(level)
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
    on_invalid: OnInvalid = "raise",
    invalid: OnInvalid | None = None,
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
    frame, score, by, period, date, on_invalid, invalid:
        As in :func:`nps` (``invalid`` is the deprecated spelling of ``on_invalid``).
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
    on_invalid = resolve_on_invalid(on_invalid, invalid)
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
        frame, score, by=by, period=period, date=date, min_n=0, on_invalid=on_invalid, **extra
    )
    a, b = _pick_two(table, groups)
    f = as_frame(frame)
    require_columns(f, [respondent])
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

    all_days = check_days(f, date) if period is not None and date is not None else {}

    def cond(row: pd.Series) -> nw.Expr:
        expr = nw.lit(True)
        if by is not None:
            g = row["group"]
            expr = expr & (nw.col(by).cast(nw.String) == str(g))
        if period is not None and date is not None:
            days = [d for d, day in all_days.items() if period_of(day, period)[0] == row["period"]]
            expr = expr & day_expr(date).is_in(days)
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
            value=plain_value(dup["_kf_r"].iloc[0]),
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
