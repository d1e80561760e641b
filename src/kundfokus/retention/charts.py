"""Vega-Lite charts of retention: curves per cohort, the sBG projection against the observed
points, and the cohort heat map. Each function returns a Vega-Lite spec (a ``dict``).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from kundfokus.i18n import tr

_T = {
    "age": {"en": "Periods since start", "sv": "Perioder sedan start"},
    "t": {"en": "Period", "sv": "Period"},
    "retention": {"en": "Share still active", "sv": "Andel fortfarande aktiva"},
    "cohort": {"en": "Cohort", "sv": "Kohort"},
    "customers": {"en": "Customers", "sv": "Kunder"},
    "alive": {"en": "Still active", "sv": "Fortfarande aktiva"},
    "series": {"en": "Series", "sv": "Serie"},
    "observed": {"en": "Observed", "sv": "Observerat"},
    "model": {"en": "sBG model", "sv": "sBG-modell"},
    "curves": {"en": "Retention per cohort", "sv": "Kvarvaro per kohort"},
    "heat": {"en": "Cohort retention matrix", "sv": "Kohortmatris för kvarvaro"},
    "period": {"en": "Period", "sv": "Period"},
    "churn": {"en": "Churn rate", "sv": "Bortfallstakt"},
    "churn_title": {
        "en": "Churn per period (lost / active at the start)",
        "sv": "Bortfall per period (förlorade / aktiva vid periodens början)",
    },
    "partial": {"en": "Complete period", "sv": "Hel period"},
    "sbg": {
        "en": "Survival: observed and sBG projection (alpha {a:.3f}, beta {b:.3f})",
        "sv": "Överlevnad: observerad och sBG-prognos (alfa {a:.3f}, beta {b:.3f})",
    },
}


def retention_curves(table: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """One line per cohort: share still active against periods since the start.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["2024-01"] * 3, "age": [0, 1, 2], "customers": [10] * 3,
    ...                   "alive": [10, 8, 7], "retention": [1.0, 0.8, 0.7]})
    >>> retention_curves(t)["mark"]["type"]
    'line'
    """
    data = table[["cohort", "age", "customers", "alive", "retention"]].copy()
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("age:Q", title=tr(_T["age"], lang), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("retention:Q", title=tr(_T["retention"], lang), axis=alt.Axis(format="%")),
            color=alt.Color("cohort:N", title=tr(_T["cohort"], lang)),
            tooltip=[
                alt.Tooltip("cohort:N", title=tr(_T["cohort"], lang)),
                alt.Tooltip("age:Q", title=tr(_T["age"], lang)),
                alt.Tooltip("retention:Q", title=tr(_T["retention"], lang), format=".1%"),
                alt.Tooltip("alive:Q", title=tr(_T["alive"], lang)),
                alt.Tooltip("customers:Q", title=tr(_T["customers"], lang)),
            ],
        )
        .properties(title=tr(_T["curves"], lang), width=520, height=300)
        .to_dict()
    )


def cohort_heatmap(table: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """Heat map of the cohort matrix: cohorts as rows, periods since start as columns.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["a", "a", "b"], "age": [0, 1, 0], "customers": [4, 4, 2],
    ...                   "alive": [4, 2, 2], "retention": [1.0, 0.5, 1.0]})
    >>> spec = cohort_heatmap(t)
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['rect', 'text']
    """
    data = table[["cohort", "age", "customers", "alive", "retention"]].copy()
    base = alt.Chart(data).encode(
        x=alt.X("age:O", title=tr(_T["age"], lang)),
        y=alt.Y("cohort:O", title=tr(_T["cohort"], lang)),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(
            "retention:Q",
            title=tr(_T["retention"], lang),
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            alt.Tooltip("cohort:O", title=tr(_T["cohort"], lang)),
            alt.Tooltip("age:O", title=tr(_T["age"], lang)),
            alt.Tooltip("retention:Q", title=tr(_T["retention"], lang), format=".1%"),
            alt.Tooltip("alive:Q", title=tr(_T["alive"], lang)),
            alt.Tooltip("customers:Q", title=tr(_T["customers"], lang)),
        ],
    )
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text("retention:Q", format=".0%"),
        color=alt.condition("datum.retention > 0.6", alt.value("white"), alt.value("black")),
    )
    return (
        (rect + text)
        .properties(title=tr(_T["heat"], lang), width=alt.Step(36), height=alt.Step(20))
        .to_dict()
    )


def sbg_chart(fit: Any, *, periods: int | None = None, lang: str = "en") -> dict[str, Any]:
    """The sBG survival curve (projected beyond the data) with the observed points.

    Parameters
    ----------
    fit:
        A :class:`kundfokus.retention.SBGFit`.
    periods:
        How far to project (default: twice the data's length).

    Examples
    --------
    >>> from kundfokus.retention import sbg_fit
    >>> spec = sbg_chart(sbg_fit([100, 80, 70, 64]))
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['line', 'point']
    """
    proj = fit.projection(periods)
    model = pd.DataFrame(
        {"t": proj["t"], "survival": proj["survival"], "series": tr(_T["model"], lang)}
    )
    obs = proj.dropna(subset=["observed"])
    observed = pd.DataFrame(
        {"t": obs["t"], "survival": obs["observed"], "series": tr(_T["observed"], lang)}
    )
    x = alt.X("t:Q", title=tr(_T["t"], lang), axis=alt.Axis(tickMinStep=1))
    y = alt.Y("survival:Q", title=tr(_T["retention"], lang), axis=alt.Axis(format="%"))
    color = alt.Color("series:N", title=tr(_T["series"], lang))
    tip = [alt.Tooltip("t:Q"), alt.Tooltip("survival:Q", format=".1%"), alt.Tooltip("series:N")]
    line = alt.Chart(model).mark_line().encode(x=x, y=y, color=color, tooltip=tip)
    points = (
        alt.Chart(observed)
        .mark_point(filled=True, size=50)
        .encode(x=x, y=y, color=color, tooltip=tip)
    )
    title = tr(_T["sbg"], lang, a=fit.alpha, b=fit.beta)
    return (line + points).properties(title=title, width=520, height=300).to_dict()


def churn_chart(table: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """Churn rate per period as a line; partial periods (``complete`` False) are drawn hollow.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2024-01", "2024-02"], "period_start": ["2024-01-01",
    ...                   "2024-02-01"], "churn_rate": [0.05, 0.04], "active_start": [100, 95],
    ...                   "lost": [5, 4], "complete": [True, False]})
    >>> [layer["mark"]["type"] for layer in churn_chart(t)["layer"]]
    ['line', 'point']
    """
    data = table[
        ["period", "period_start", "churn_rate", "active_start", "lost", "complete"]
    ].copy()
    data["period_start"] = pd.to_datetime(data["period_start"]).dt.strftime("%Y-%m-%d")
    data = data.dropna(subset=["churn_rate"])
    x = alt.X("period_start:T", title=tr(_T["period"], lang))
    y = alt.Y("churn_rate:Q", title=tr(_T["churn"], lang), axis=alt.Axis(format="%"))
    base = alt.Chart(data)
    line = base.mark_line().encode(x=x, y=y)
    points = base.mark_point(size=50).encode(
        x=x,
        y=y,
        fill=alt.condition("datum.complete", alt.value("#4c78a8"), alt.value("white")),
        tooltip=[
            alt.Tooltip("period:N", title=tr(_T["period"], lang)),
            alt.Tooltip("churn_rate:Q", title=tr(_T["churn"], lang), format=".2%"),
            alt.Tooltip("lost:Q"),
            alt.Tooltip("active_start:Q"),
            alt.Tooltip("complete:N", title=tr(_T["partial"], lang)),
        ],
    )
    return (line + points).properties(title=tr(_T["churn_title"], lang), width=520).to_dict()
