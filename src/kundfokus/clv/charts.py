"""Vega-Lite charts of customer lifetime value results.

* :func:`probability_alive_matrix` and :func:`expected_purchases_matrix`: heat maps over
  frequency x recency (from :func:`kundfokus.clv.history_matrix`), like lifetimes' plots;
* :func:`clv_histogram`: the distribution of CLV over customers (from
  :func:`kundfokus.clv.predict_customers`);
* :func:`holdout_bars`: actual vs predicted holdout purchases per frequency bucket (from
  :func:`kundfokus.clv.holdout_by_frequency`);
* :func:`cumulative_curve`: actual vs forecast cumulative repeat purchases per period (from
  :func:`kundfokus.clv.cumulative_forecast`).

Each function returns a Vega-Lite spec (a ``dict``); titles and labels exist in English and Swedish.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.i18n import check_lang, tr

__all__ = [
    "clv_histogram",
    "cumulative_curve",
    "expected_purchases_matrix",
    "holdout_bars",
    "probability_alive_matrix",
]

_T = {
    "frequency": {"en": "Repeat purchases (frequency)", "sv": "Återköp (frekvens)"},
    "recency": {
        "en": "Time of last purchase since the first (recency, {unit})",
        "sv": "Tid för senaste köpet räknat från det första (recency, {unit})",
    },
    "palive": {"en": "Probability still active", "sv": "Sannolikhet att kunden är aktiv"},
    "palive_title": {
        "en": "Probability a customer is still active, by history (T = {T:.1f} {unit})",
        "sv": "Sannolikhet att en kund fortfarande är aktiv, efter historik (T = {T:.1f} {unit})",
    },
    "expected": {"en": "Expected purchases", "sv": "Förväntade köp"},
    "expected_title": {
        "en": "Expected purchases in the next {t:g} {unit}, by history (T = {T:.1f} {unit})",
        "sv": "Förväntade köp de kommande {t:g} {unit}, efter historik (T = {T:.1f} {unit})",
    },
    "clv": {"en": "Customer lifetime value", "sv": "Kundlivstidsvärde (CLV)"},
    "customers": {"en": "Customers", "sv": "Kunder"},
    "clv_title": {
        "en": "Distribution of customer lifetime value",
        "sv": "Fördelning av kundlivstidsvärde",
    },
    "bucket": {
        "en": "Repeat purchases in the calibration period",
        "sv": "Återköp under kalibreringsperioden",
    },
    "per_customer": {
        "en": "Holdout purchases per customer",
        "sv": "Köp per kund under kontrollperioden",
    },
    "series": {"en": "Series", "sv": "Serie"},
    "actual": {"en": "Actual", "sv": "Faktiskt"},
    "predicted": {"en": "Model", "sv": "Modell"},
    "holdout_title": {
        "en": "Holdout period: actual vs model, by past purchasing",
        "sv": "Kontrollperioden: faktiskt mot modell, efter tidigare köp",
    },
    "period": {"en": "Period ({unit})", "sv": "Period ({unit})"},
    "cumulative": {"en": "Cumulative repeat purchases", "sv": "Ackumulerade återköp"},
    "curve_title": {
        "en": "Repeat purchases: actual vs forecast (line: end of calibration)",
        "sv": "Återköp: faktiskt mot prognos (linje: kalibreringens slut)",
    },
    "week": {"en": "weeks", "sv": "veckor"},
    "day": {"en": "days", "sv": "dagar"},
}


def _unit(unit: str, lang: str) -> str:
    if unit not in ("week", "day"):
        raise InputError(
            f"unknown time unit {unit!r}: use 'day' or 'week'", column="unit", value=unit
        )
    return tr(_T[unit], lang)


def _need(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    for c in columns:
        if c not in frame.columns:
            raise InputError(f"the table has no {c!r} column", column=c)


def _heat(
    grid: pd.DataFrame, value: str, value_title: str, title: str, unit: str, lang: str, fmt: str
) -> dict[str, Any]:
    data = grid[["frequency", "recency", value]].copy()
    data["recency"] = data["recency"].round(3)
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X(
                "recency:O",
                title=tr(_T["recency"], lang, unit=unit),
                axis=alt.Axis(format=".1f", labelOverlap=True),
            ),
            y=alt.Y("frequency:O", title=tr(_T["frequency"], lang), sort="descending"),
            color=alt.Color(f"{value}:Q", title=value_title, scale=alt.Scale(scheme="viridis")),
            tooltip=[
                alt.Tooltip("frequency:Q", title=tr(_T["frequency"], lang)),
                alt.Tooltip("recency:Q", title=tr(_T["recency"], lang, unit=unit), format=".2f"),
                alt.Tooltip(f"{value}:Q", title=value_title, format=fmt),
            ],
        )
        .properties(title=title, width=520, height=360)
        .to_dict()
    )


def probability_alive_matrix(
    grid: pd.DataFrame, *, unit: str = "week", lang: str = "en"
) -> dict[str, Any]:
    """Heat map of P(alive) over frequency x recency at one age T.

    Examples
    --------
    >>> g = pd.DataFrame({"frequency": [0, 1, 1], "recency": [0.0, 1.0, 2.0], "T": [2.0] * 3,
    ...                   "probability_alive": [1.0, 0.6, 0.9]})
    >>> spec = probability_alive_matrix(g, lang="sv")
    >>> spec["mark"]["type"], spec["title"].startswith("Sannolikhet")
    ('rect', True)
    """
    check_lang(lang)
    _need(grid, ("frequency", "recency", "T", "probability_alive"))
    u = _unit(unit, lang)
    title = tr(_T["palive_title"], lang, T=float(grid["T"].iloc[0]), unit=u)
    return _heat(grid, "probability_alive", tr(_T["palive"], lang), title, u, lang, ".1%")


def expected_purchases_matrix(
    grid: pd.DataFrame, t: float, *, unit: str = "week", lang: str = "en"
) -> dict[str, Any]:
    """Heat map of expected purchases in the next ``t`` time units over frequency x recency.

    Examples
    --------
    >>> g = pd.DataFrame({"frequency": [0, 1], "recency": [0.0, 1.0], "T": [2.0] * 2,
    ...                   "probability_alive": [1.0, 0.6], "expected_purchases": [0.2, 0.5]})
    >>> expected_purchases_matrix(g, 39)["encoding"]["color"]["field"]
    'expected_purchases'
    """
    check_lang(lang)
    _need(grid, ("frequency", "recency", "T", "expected_purchases"))
    u = _unit(unit, lang)
    title = tr(_T["expected_title"], lang, t=float(t), T=float(grid["T"].iloc[0]), unit=u)
    return _heat(grid, "expected_purchases", tr(_T["expected"], lang), title, u, lang, ".2f")


def clv_histogram(predictions: pd.DataFrame, *, bins: int = 40, lang: str = "en") -> dict[str, Any]:
    """Histogram of the ``clv`` column of :func:`kundfokus.clv.predict_customers`.

    Examples
    --------
    >>> clv_histogram(pd.DataFrame({"clv": [1.0, 2.0, 2.5, 10.0]}))["mark"]["type"]
    'bar'
    """
    check_lang(lang)
    _need(predictions, ("clv",))
    data = predictions[["clv"]].copy()
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("clv:Q", bin=alt.Bin(maxbins=bins), title=tr(_T["clv"], lang)),
            y=alt.Y("count():Q", title=tr(_T["customers"], lang)),
            tooltip=[alt.Tooltip("count():Q", title=tr(_T["customers"], lang))],
        )
        .properties(title=tr(_T["clv_title"], lang), width=520, height=300)
        .to_dict()
    )


def holdout_bars(table: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """Grouped bars: actual and predicted mean holdout purchases per frequency bucket.

    Examples
    --------
    >>> t = pd.DataFrame({"frequency": ["0", "1+"], "customers": [5, 3], "actual_mean": [0.2, 1.0],
    ...                   "predicted_mean": [0.25, 0.9]})
    >>> spec = holdout_bars(t)
    >>> [len(rows) for rows in spec["datasets"].values()]
    [4]
    """
    check_lang(lang)
    _need(table, ("frequency", "actual_mean", "predicted_mean"))
    actual, predicted = tr(_T["actual"], lang), tr(_T["predicted"], lang)
    long = pd.concat(
        [
            pd.DataFrame(
                {"frequency": table["frequency"], "series": actual, "value": table["actual_mean"]}
            ),
            pd.DataFrame(
                {
                    "frequency": table["frequency"],
                    "series": predicted,
                    "value": table["predicted_mean"],
                }
            ),
        ],
        ignore_index=True,
    )
    order = list(table["frequency"])
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("frequency:N", sort=order, title=tr(_T["bucket"], lang)),
            xOffset=alt.XOffset("series:N", sort=[actual, predicted]),
            y=alt.Y("value:Q", title=tr(_T["per_customer"], lang)),
            color=alt.Color("series:N", title=tr(_T["series"], lang), sort=[actual, predicted]),
            tooltip=[
                alt.Tooltip("frequency:N", title=tr(_T["bucket"], lang)),
                alt.Tooltip("series:N", title=tr(_T["series"], lang)),
                alt.Tooltip("value:Q", title=tr(_T["per_customer"], lang), format=".3f"),
            ],
        )
        .properties(title=tr(_T["holdout_title"], lang), width=520, height=300)
        .to_dict()
    )


def cumulative_curve(curve: pd.DataFrame, *, lang: str = "en") -> dict[str, Any]:
    """Lines of actual and forecast cumulative repeat purchases per period, with a rule at the end
    of the calibration period.

    Examples
    --------
    >>> c = pd.DataFrame({"period": [1, 2, 3], "calibration": [True, True, False],
    ...                   "cumulative_actual": [0.0, 5.0, 9.0],
    ...                   "cumulative_predicted": [1.0, 4.5, 9.5]})
    >>> [layer["mark"]["type"] for layer in cumulative_curve(c)["layer"]]
    ['line', 'rule']
    """
    check_lang(lang)
    _need(curve, ("period", "calibration", "cumulative_actual", "cumulative_predicted"))
    unit = _unit(curve.attrs.get("unit", "week"), lang)
    actual, predicted = tr(_T["actual"], lang), tr(_T["predicted"], lang)
    long = pd.concat(
        [
            pd.DataFrame(
                {"period": curve["period"], "series": actual, "value": curve["cumulative_actual"]}
            ),
            pd.DataFrame(
                {
                    "period": curve["period"],
                    "series": predicted,
                    "value": curve["cumulative_predicted"],
                }
            ),
        ],
        ignore_index=True,
    )
    cal = curve.loc[curve["calibration"], "period"]
    cal_end = float(cal.max()) if len(cal) else 0.0
    lines = (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=alt.X("period:Q", title=tr(_T["period"], lang, unit=unit)),
            y=alt.Y("value:Q", title=tr(_T["cumulative"], lang)),
            color=alt.Color("series:N", title=tr(_T["series"], lang), sort=[actual, predicted]),
            strokeDash=alt.StrokeDash("series:N", sort=[actual, predicted], legend=None),
            tooltip=[
                alt.Tooltip("period:Q", title=tr(_T["period"], lang, unit=unit)),
                alt.Tooltip("series:N", title=tr(_T["series"], lang)),
                alt.Tooltip("value:Q", title=tr(_T["cumulative"], lang), format=",.0f"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"period": [cal_end]})).mark_rule(color="gray").encode(x="period:Q")
    )
    return (
        alt.layer(lines, rule)
        .properties(title=tr(_T["curve_title"], lang), width=520, height=300)
        .to_dict()
    )
