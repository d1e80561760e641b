"""Vega-Lite charts of survey scores: the NPS trend with its interval band, and bars with intervals.

Every function takes the table returned by :func:`kundfokus.scores.nps`, :func:`~kundfokus.scores.csat`
or :func:`~kundfokus.scores.ces` and returns a Vega-Lite spec (a ``dict``).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from kundfokus.i18n import tr

_T = {
    "period": {"en": "Period", "sv": "Period"},
    "group": {"en": "Group", "sv": "Grupp"},
    "nps": {"en": "NPS (-100 to 100)", "sv": "NPS (-100 till 100)"},
    "csat": {"en": "CSAT, % satisfied", "sv": "CSAT, % nöjda"},
    "ces": {"en": "CES, mean answer", "sv": "CES, medelvärde"},
    "low": {"en": "Lower bound", "sv": "Nedre gräns"},
    "high": {"en": "Upper bound", "sv": "Övre gräns"},
    "n": {"en": "Answers", "sv": "Svar"},
    "small": {"en": "Too few answers", "sv": "För få svar"},
    "trend": {
        "en": "{score} per period with {level:.0%} interval",
        "sv": "{score} per period med {level:.0%} intervall",
    },
    "bars": {
        "en": "{score} per group with {level:.0%} interval",
        "sv": "{score} per grupp med {level:.0%} intervall",
    },
}

_VALUE = {"nps": "nps", "csat": "csat", "ces": "mean_score"}
_NAME = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}


def _data(table: pd.DataFrame) -> pd.DataFrame:
    keep = [
        c
        for c in ("group", "period", "period_start", "n", "small_sample", "ci_low", "ci_high")
        if c in table.columns
    ]
    kind = table.attrs.get("kind", "nps")
    data = table[[*keep, _VALUE[kind]]].copy()
    data["group"] = data["group"].astype(str)
    if "period_start" in data:
        data["period_start"] = pd.to_datetime(data["period_start"]).dt.strftime("%Y-%m-%d")
    return data.rename(columns={_VALUE[kind]: "value"})


def score_trend(table: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """Line of the score over periods with its confidence interval as a band, one colour per group.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.scores import nps
    >>> df = pd.DataFrame({"s": [10, 9, 3, 7] * 5,
    ...                    "d": ["2024-01-10"] * 10 + ["2024-02-10"] * 10})
    >>> spec = score_trend(nps(df, "s", period="month", date="d"))
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['area', 'line']
    """
    kind = table.attrs.get("kind", "nps")
    if "period" not in table.columns:
        raise ValueError("a trend needs a table computed per period")
    level = float(table["level"].iloc[0]) if len(table) else 0.95
    data = _data(table)
    x = alt.X("period_start:T", title=tr(_T["period"], lang))
    color = alt.Color("group:N", title=tr(_T["group"], lang))
    base = alt.Chart(data)
    band = base.mark_area(opacity=0.2).encode(
        x=x,
        y=alt.Y("ci_low:Q", title=tr(_T[kind], lang)),
        y2="ci_high:Q",
        color=color,
    )
    line = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y("value:Q", title=tr(_T[kind], lang)),
        color=color,
        tooltip=[
            alt.Tooltip("period:N", title=tr(_T["period"], lang)),
            alt.Tooltip("group:N", title=tr(_T["group"], lang)),
            alt.Tooltip("value:Q", title=_NAME[kind], format=".1f"),
            alt.Tooltip("ci_low:Q", title=tr(_T["low"], lang), format=".1f"),
            alt.Tooltip("ci_high:Q", title=tr(_T["high"], lang), format=".1f"),
            alt.Tooltip("n:Q", title=tr(_T["n"], lang)),
        ],
    )
    title = tr(_T["trend"], lang, score=_NAME[kind], level=level)
    return (band + line).properties(title=title, width=520, height=280).to_dict()


def score_bars(table: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """Bars of the score per group (and period) with error bars for the interval; groups with too
    few answers are drawn paler.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.scores import csat
    >>> df = pd.DataFrame({"s": [5, 4, 2, 1, 5, 3], "g": list("aaabbb")})
    >>> spec = score_bars(csat(df, "s", by="g"))
    >>> [layer["mark"]["type"] for layer in spec["layer"]], len(spec["datasets"])
    (['bar', 'rule'], 1)
    """
    kind = table.attrs.get("kind", "nps")
    level = float(table["level"].iloc[0]) if len(table) else 0.95
    data = _data(table)
    data["label"] = [
        str(g) if "period" not in data else f"{g} {p}" if g != "all" else str(p)
        for g, p in zip(data["group"], data.get("period", data["group"]), strict=True)
    ]
    y = alt.Y("label:N", title=tr(_T["group"], lang), sort=None)
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("value:Q", title=tr(_T[kind], lang)),
        opacity=alt.condition("datum.small_sample", alt.value(0.35), alt.value(0.9)),
        tooltip=[
            alt.Tooltip("label:N", title=tr(_T["group"], lang)),
            alt.Tooltip("value:Q", title=_NAME[kind], format=".2f"),
            alt.Tooltip("ci_low:Q", title=tr(_T["low"], lang), format=".2f"),
            alt.Tooltip("ci_high:Q", title=tr(_T["high"], lang), format=".2f"),
            alt.Tooltip("n:Q", title=tr(_T["n"], lang)),
            alt.Tooltip("small_sample:N", title=tr(_T["small"], lang)),
        ],
    )
    rules = base.mark_rule(strokeWidth=2).encode(y=y, x="ci_low:Q", x2="ci_high:Q")
    title = tr(_T["bars"], lang, score=_NAME[kind], level=level)
    return (bars + rules).properties(title=title, width=460).to_dict()


def score_chart(table: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """The natural chart of a score table: the trend when it has periods, else bars."""
    if "period" in table.columns and table["period"].nunique() > 1:
        return score_trend(table, lang=lang)
    return score_bars(table, lang=lang)
