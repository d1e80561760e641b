"""Churn, cohort and sBG results for people: plain text, report sections and HTML, in Swedish and
English.

Each result has three renderings: ``*_sections`` (:class:`kundfokus.reports.Section` objects for an
HTML report), ``*_text`` (for a terminal) and ``*_dict`` (the JSON contract of
``kundfokus retention``). The interpretive sentences (the pooled churn, partial periods, the sBG
parameters, DERL, a fit that did not settle) live here, in both languages.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kundfokus.i18n import tr
from kundfokus.reports import Chart, Section, Table, frame_text, render_report
from kundfokus.retention.charts import churn_chart, cohort_heatmap, retention_curves, sbg_chart
from kundfokus.retention.churn import churn_summary, rule_text
from kundfokus.retention.cohorts import cohort_matrix
from kundfokus.serialize import records

__all__ = [
    "churn_dict",
    "churn_html",
    "churn_sections",
    "churn_text",
    "cohort_dict",
    "cohort_html",
    "cohort_sections",
    "cohort_text",
    "partial_text",
    "sbg_dict",
    "sbg_params_text",
    "sbg_text",
    "summary_text",
]

_T = {
    "churn": {"en": "Churn per period", "sv": "Kundbortfall per period"},
    "cohorts": {"en": "Cohort retention", "sv": "Kvarvaro per kohort"},
    "sbg": {"en": "Shifted-beta-geometric model", "sv": "Skiftad beta-geometrisk modell"},
    "summary": {
        "en": "Over {periods} complete periods: {lost} of {at_risk} customers at risk were lost, "
        "{rate:.2%} per {period}; a year: {annual:.1%} lost, {keep:.1%} kept.",
        "sv": "Under {periods} hela perioder: {lost} av {at_risk} kunder i riskzonen förlorades, "
        "{rate:.2%} per {period}; per år: {annual:.1%} förlorade, {keep:.1%} kvar.",
    },
    "partial": {
        "en": "Periods marked complete = False end after {as_of}: their churn is not final.",
        "sv": "Perioder med complete = False slutar efter {as_of}: deras bortfall är inte slutgiltigt.",
    },
    "params": {
        "en": "alpha = {a:.4f} (SE {sa:.4f}), beta = {b:.4f} (SE {sb:.4f}), log-likelihood = "
        "{ll:.2f}; mean churn probability of a new customer alpha/(alpha+beta) = {m:.3f}.",
        "sv": "alfa = {a:.4f} (SE {sa:.4f}), beta = {b:.4f} (SE {sb:.4f}), log-likelihood = "
        "{ll:.2f}; genomsnittlig sannolikhet att en ny kund lämnar alfa/(alfa+beta) = {m:.3f}.",
    },
    "derl": {
        "en": "DERL at {d:.0%} discount after {r} renewals: {v:.3f} periods.",
        "sv": "DERL med {d:.0%} diskonteringsränta efter {r} förnyelser: {v:.3f} perioder.",
    },
    "flat": {
        "en": "The fit did not settle: alpha and beta grow without bound, which means the data show "
        "no sign that customers differ in their churn propensity; a constant churn rate "
        "describes them as well. Projections then equal a constant-rate (geometric) model.",
        "sv": "Skattningen stannade inte: alfa och beta växer utan gräns, vilket betyder att datan "
        "inte visar att kunderna skiljer sig i benägenhet att lämna; en konstant bortfallstakt "
        "beskriver dem lika bra. Prognoserna blir då som en modell med konstant takt.",
    },
    "se_note": {
        "en": "Standard errors assume the curve counts customers (cohort of {n:g}); "
        "pass --cohort-size when the values are percentages.",
        "sv": "Standardfelen förutsätter att kurvan räknar kunder (kohort om {n:g}); "
        "ange --cohort-size när värdena är procent.",
    },
}


# --------------------------------------------------------------------------------------------------
# Churn per period
# --------------------------------------------------------------------------------------------------


def summary_text(table: pd.DataFrame, lang: str = "en") -> str:
    """The pooled churn of the complete periods of a :func:`~kundfokus.retention.churn` table and
    its yearly equivalent, in one sentence (empty when no customer was at risk).

    Examples
    --------
    >>> t = pd.DataFrame({"active_start": [100, 200], "lost": [3, 6], "complete": [True, True]})
    >>> t.attrs.update(periods_per_year=12, period="month")
    >>> print(summary_text(t))
    Over 2 complete periods: 9 of 300 customers at risk were lost, 3.00% per month; a year: 30.6% lost, 69.4% kept.
    """
    s = churn_summary(table)
    if not s["at_risk"]:
        return ""
    return tr(
        _T["summary"],
        lang,
        periods=s["periods"],
        lost=s["lost"],
        at_risk=s["at_risk"],
        rate=s["churn_rate"],
        period=table.attrs.get("period", "month"),
        annual=s["annual_churn"],
        keep=s["annual_retention"],
    )


def partial_text(table: pd.DataFrame, lang: str = "en") -> str:
    """A note on periods that end after the data (empty when every period is complete)."""
    if table["complete"].all():
        return ""
    return tr(_T["partial"], lang, as_of=table.attrs["as_of"])


def churn_sections(table: pd.DataFrame, lang: str = "en") -> list[Section]:
    """Report sections for a :func:`~kundfokus.retention.churn` table: the rule, the pooled churn,
    the table and the churn chart."""
    return [
        Section(
            tr(_T["churn"], lang),
            paragraphs=[
                rule_text(table, lang),
                summary_text(table, lang),
                partial_text(table, lang),
            ],
            tables=[Table(table, float_digits=4)],
            charts=[Chart(churn_chart(table, lang=lang))],
        )
    ]


def churn_html(table: pd.DataFrame, lang: str = "en") -> str:
    """The churn report as one self-contained HTML page."""
    return render_report(tr(_T["churn"], lang), churn_sections(table, lang), lang=lang)


def churn_text(table: pd.DataFrame, lang: str = "en") -> str:
    """The churn table for a terminal, with the rule, the pooled churn and the partial-period note."""
    return "\n".join(
        [
            tr(_T["churn"], lang),
            rule_text(table, lang),
            "",
            frame_text(table, 4),
            "",
            summary_text(table, lang),
            partial_text(table, lang),
        ]
    )


def churn_dict(table: pd.DataFrame, lang: str = "en") -> dict[str, Any]:
    """The JSON contract: ``{"rule", "as_of", "summary", "periods": [...]}``."""
    return {
        "rule": rule_text(table, lang),
        "as_of": table.attrs["as_of"],
        "summary": churn_summary(table),
        "periods": records(table),
    }


# --------------------------------------------------------------------------------------------------
# Cohorts
# --------------------------------------------------------------------------------------------------


def sbg_params_text(fit: Any, lang: str = "en") -> str:
    """The sBG estimates in one sentence: alpha, beta, their standard errors, the log-likelihood
    and the mean churn probability of a new customer.

    Examples
    --------
    >>> from kundfokus.retention import sbg_fit
    >>> text = sbg_params_text(sbg_fit([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1]), "sv")
    >>> text.startswith("alfa = 0.66"), "alfa/(alfa+beta)" in text
    (True, True)
    """
    s = fit.summary()
    return tr(
        _T["params"],
        lang,
        a=s["alpha"],
        sa=s["se_alpha"],
        b=s["beta"],
        sb=s["se_beta"],
        ll=s["loglik"],
        m=s["mean_churn"],
    )


def cohort_sections(table: pd.DataFrame, fit: Any = None, lang: str = "en") -> list[Section]:
    """Report sections for a :func:`~kundfokus.retention.cohorts` table: the rule, the sBG
    estimates (when ``fit`` is given), the retention matrix, the heatmap, the curves and the sBG
    chart."""
    charts = [
        Chart(cohort_heatmap(table, lang=lang)),
        Chart(retention_curves(table, lang=lang)),
    ]
    if fit is not None:
        charts.append(Chart(sbg_chart(fit, lang=lang)))
    matrix = cohort_matrix(table).reset_index()
    matrix.columns = [str(c) for c in matrix.columns]
    params = sbg_params_text(fit, lang) if fit is not None else ""
    return [
        Section(
            tr(_T["cohorts"], lang),
            paragraphs=[p for p in (rule_text(table, lang), params) if p],
            tables=[Table(matrix, float_digits=3)],
            charts=charts,
        )
    ]


def cohort_html(table: pd.DataFrame, fit: Any = None, lang: str = "en") -> str:
    """The cohort report as one self-contained HTML page."""
    return render_report(tr(_T["cohorts"], lang), cohort_sections(table, fit, lang), lang=lang)


def cohort_text(table: pd.DataFrame, fit: Any = None, lang: str = "en") -> str:
    """The cohort retention matrix for a terminal, with the rule and the sBG estimates."""
    params = sbg_params_text(fit, lang) if fit is not None else ""
    return "\n".join(
        [
            tr(_T["cohorts"], lang),
            rule_text(table, lang),
            "",
            frame_text(cohort_matrix(table).reset_index(), 3),
        ]
        + (["", params] if params else [])
    )


def cohort_dict(table: pd.DataFrame, fit: Any = None, lang: str = "en") -> dict[str, Any]:
    """The JSON contract: ``{"rule", "as_of", "cohorts": [...]}`` and ``"sbg"`` with a fit."""
    payload: dict[str, Any] = {
        "rule": rule_text(table, lang),
        "as_of": table.attrs["as_of"],
        "cohorts": records(table),
    }
    if fit is not None:
        payload["sbg"] = fit.summary()
    return payload


# --------------------------------------------------------------------------------------------------
# The sBG model on a survival curve
# --------------------------------------------------------------------------------------------------


def sbg_text(
    fit: Any,
    *,
    periods: int | None = None,
    discount: float = 0.1,
    renewals: int = 0,
    counted: bool = False,
    lang: str = "en",
) -> str:
    """An sBG fit for a terminal: the estimates, DERL, a note when the fit did not settle, the
    projected survival and retention rates.

    Parameters
    ----------
    fit:
        A :class:`~kundfokus.retention.SBGFit`.
    periods:
        Project up to this period (default: twice the data).
    discount, renewals:
        For the discounted expected residual lifetime (DERL).
    counted:
        The curve's cohort size was given; without it a note says what the standard errors assume.
    lang:
        ``"en"`` or ``"sv"``.

    Examples
    --------
    >>> from kundfokus.retention import sbg_fit
    >>> print(sbg_text(sbg_fit([100, 90, 81]), periods=3).splitlines()[0])
    Shifted-beta-geometric model
    """
    projection = fit.projection(periods)
    derl = fit.derl(discount, renewals)
    return "\n".join(
        [
            tr(_T["sbg"], lang),
            sbg_params_text(fit, lang),
            tr(_T["derl"], lang, d=discount, r=renewals, v=derl),
            "" if fit.converged else tr(_T["flat"], lang),
            tr(_T["se_note"], lang, n=float(fit.curves[0][0])) if not counted else "",
            "",
            frame_text(pd.DataFrame(projection), 4),
        ]
    )


def sbg_dict(
    fit: Any,
    *,
    periods: int | None = None,
    discount: float = 0.1,
    renewals: int = 0,
    lang: str = "en",
) -> dict[str, Any]:
    """The JSON contract: the fit's summary, ``discount``, ``renewals``, ``derl``, ``note`` (the
    not-settled note or ``None``) and ``survival_projection``."""
    projection = fit.projection(periods)
    return {
        **fit.summary(),
        "discount": discount,
        "renewals": renewals,
        "derl": fit.derl(discount, renewals),
        "note": None if fit.converged else tr(_T["flat"], lang),
        "survival_projection": records(projection),
    }
