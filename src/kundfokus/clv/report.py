"""Report sections (English and Swedish) for a fitted CLV model checked on a holdout period."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kundfokus.clv.charts import (
    clv_histogram,
    cumulative_curve,
    expected_purchases_matrix,
    holdout_bars,
    probability_alive_matrix,
)
from kundfokus.clv.holdout import cumulative_forecast, holdout_by_frequency
from kundfokus.clv.value import DAYS_PER_MONTH, history_matrix, predict_customers
from kundfokus.clv.workflow import TransactionFit
from kundfokus.i18n import check_lang, tr
from kundfokus.reports import Chart, Section, Table, frame_text

__all__ = ["clv_sections", "fit_text"]

_T = {
    "title": {"en": "Customer lifetime value", "sv": "Kundlivstidsvärde"},
    "fit": {"en": "Model fit", "sv": "Modellanpassning"},
    "fit_text": {
        "en": "{n} customers made their first purchase on or before {cal}; {rep} of them bought "
        "again. The {model} model was fitted by maximum likelihood (times in {unit}); standard "
        "errors come from the inverse Hessian of the negative log-likelihood.",
        "sv": "{n} kunder gjorde sitt första köp senast {cal}; {rep} av dem köpte igen. "
        "{model}-modellen skattades med maximum likelihood (tider i {unit}); medelfelen kommer "
        "från inversen av hessianen av den negativa log-likelihooden.",
    },
    "corr": {
        "en": "Correlation between number of repeat purchases and mean spend: {c:.3f} (the "
        "Gamma-Gamma model assumes it is close to 0).",
        "sv": "Korrelation mellan antal återköp och genomsnittligt belopp: {c:.3f} "
        "(Gamma-Gamma-modellen antar att den är nära 0).",
    },
    "warning": {"en": "Warning: {text}.", "sv": "Varning: {text}."},
    "holdout": {"en": "Holdout check by past purchasing", "sv": "Kontroll mot kontrollperioden"},
    "holdout_text": {
        "en": "Customers grouped by their repeat purchases in the calibration period: mean "
        "purchases in the holdout period ({d:.1f} {unit}) next to what the model expected.",
        "sv": "Kunderna grupperade efter återköp under kalibreringsperioden: genomsnittligt antal "
        "köp under kontrollperioden ({d:.1f} {unit}) bredvid vad modellen förväntade.",
    },
    "curve": {"en": "Forecast of repeat purchases", "sv": "Prognos för återköp"},
    "curve_text": {
        "en": "Cumulative repeat purchases of all customers: actual {a:,.0f} and forecast "
        "{p:,.0f} at the end of the holdout period ({err:+.1%}).",
        "sv": "Ackumulerade återköp för alla kunder: faktiskt {a:,.0f} och prognos {p:,.0f} vid "
        "kontrollperiodens slut ({err:+.1%}).",
    },
    "alive": {"en": "Who is still active?", "sv": "Vilka är fortfarande aktiva?"},
    "alive_text": {
        "en": "A customer who bought often but not for a long time is probably gone; one who "
        "bought recently is probably still active.",
        "sv": "En kund som köpte ofta men inte på länge har troligen lämnat; en som köpte nyligen "
        "är troligen fortfarande aktiv.",
    },
    "value": {"en": "Customer lifetime value", "sv": "Kundlivstidsvärde"},
    "value_text": {
        "en": "Expected revenue over the next 12 months, discounted by 1 % a month: {total:,.0f} "
        "in total, {mean:,.2f} per customer on average.",
        "sv": "Förväntade intäkter de kommande 12 månaderna, diskonterade med 1 % per månad: "
        "{total:,.0f} totalt, i genomsnitt {mean:,.2f} per kund.",
    },
    "week": {"en": "weeks", "sv": "veckor"},
    "day": {"en": "days", "sv": "dagar"},
}


def clv_sections(
    fit: TransactionFit,
    repeats: pd.DataFrame,
    cohorts: pd.DataFrame,
    *,
    observation_end: Any,
    lang: str = "en",
) -> tuple[str, list[Section]]:
    """Title and sections: parameters, holdout table and bars, cumulative curve, P(alive) and
    expected-purchases matrices and, with a spend model, the CLV distribution."""
    check_lang(lang)
    unit = tr(_T[fit.unit], lang)
    summary = fit.summary
    tm = fit.transaction_model
    name = {"bgnbd": "BG/NBD", "pareto": "Pareto/NBD"}[fit.model]
    fit_par = [
        tr(
            _T["fit_text"],
            lang,
            n=len(summary),
            cal=fit.calibration_end.isoformat(),
            rep=int((summary["frequency"] > 0).sum()),
            model=name,
            unit=unit,
        )
    ]
    if fit.spend_correlation is not None:
        fit_par.append(tr(_T["corr"], lang, c=fit.spend_correlation))
    fit_par.extend(tr(_T["warning"], lang, text=w) for w in fit.warnings(lang))
    sections = [
        Section(
            tr(_T["fit"], lang),
            paragraphs=fit_par,
            tables=[Table(fit.parameters(), float_digits=4)],
        )
    ]
    if "holdout_frequency" in summary.columns:
        table = holdout_by_frequency(tm, summary)
        sections.append(
            Section(
                tr(_T["holdout"], lang),
                paragraphs=[
                    tr(
                        _T["holdout_text"],
                        lang,
                        d=float(summary["holdout_duration"].iloc[0]),
                        unit=unit,
                    )
                ],
                tables=[Table(table)],
                charts=[Chart(holdout_bars(table, lang=lang))],
            )
        )
        curve = cumulative_forecast(
            tm,
            repeats,
            cohorts,
            calibration_end=fit.calibration_end,
            observation_end=observation_end,
            unit=fit.unit,
        )
        last = curve.iloc[-1]
        err = (
            last["cumulative_predicted"] / last["cumulative_actual"] - 1
            if last["cumulative_actual"]
            else 0.0
        )
        sections.append(
            Section(
                tr(_T["curve"], lang),
                paragraphs=[
                    tr(
                        _T["curve_text"],
                        lang,
                        a=last["cumulative_actual"],
                        p=last["cumulative_predicted"],
                        err=err,
                    )
                ],
                charts=[Chart(cumulative_curve(curve, lang=lang))],
            )
        )
    T = float(summary["T"].max())
    horizon = 12 * DAYS_PER_MONTH / (7.0 if fit.unit == "week" else 1.0)
    max_f = int(min(max(summary["frequency"].quantile(0.99), 5), 40))
    grid = history_matrix(tm, T, max_frequency=max_f, recency_steps=30, t=round(horizon, 1))
    sections.append(
        Section(
            tr(_T["alive"], lang),
            paragraphs=[tr(_T["alive_text"], lang)],
            charts=[
                Chart(probability_alive_matrix(grid, unit=fit.unit, lang=lang)),
                Chart(expected_purchases_matrix(grid, round(horizon, 1), unit=fit.unit, lang=lang)),
            ],
        )
    )
    if fit.spend_model is not None:
        pred = predict_customers(
            summary, tm, fit.spend_model, months=12, discount_rate=0.01, unit=fit.unit
        )
        sections.append(
            Section(
                tr(_T["value"], lang),
                paragraphs=[
                    tr(
                        _T["value_text"],
                        lang,
                        total=float(pred["clv"].sum()),
                        mean=float(pred["clv"].mean()),
                    )
                ],
                charts=[Chart(clv_histogram(pred, lang=lang))],
            )
        )
    return tr(_T["title"], lang), sections


#: The plain-text summary of a fit (:func:`fit_text`).
_PLAIN = {
    "customers": {
        "en": "customers: {n} ({rep} with repeat purchases); unit: {unit}; calibration end: {cal}",
        "sv": "kunder: {n} ({rep} med återköp); enhet: {unit}; kalibreringsperiodens slut: {cal}",
    },
    "loglik": {"en": "{model} log-likelihood: {ll:.2f}", "sv": "{model} log-likelihood: {ll:.2f}"},
    "corr": {
        "en": "correlation of frequency and mean spend (should be near 0): {c:.3f}",
        "sv": "korrelation mellan antal återköp och genomsnittligt belopp (bör vara nära 0): {c:.3f}",
    },
    "warning": {"en": "warning: {w}", "sv": "varning: {w}"},
}


def fit_text(fit: TransactionFit, lang: str = "en") -> str:
    """A fitted CLV model for a terminal: customers, log-likelihoods, the frequency-spend
    correlation, warnings and the parameter table.

    Parameters
    ----------
    fit:
        What :func:`kundfokus.clv.workflow.fit_transactions` returned.
    lang:
        ``"en"`` or ``"sv"``.

    Returns
    -------
    str
    """
    check_lang(lang)
    d = fit.to_dict()
    lines = [
        tr(
            _PLAIN["customers"],
            lang,
            n=d["n_customers"],
            rep=d["n_repeat_customers"],
            unit=d["unit"],
            cal=d["calibration_end"],
        ),
        tr(_PLAIN["loglik"], lang, model=fit.model, ll=fit.transaction_model.log_likelihood_),
    ]
    if fit.spend_model is not None:
        lines.append(
            tr(_PLAIN["loglik"], lang, model="gamma_gamma", ll=fit.spend_model.log_likelihood_)
        )
        if fit.spend_correlation is not None:
            lines.append(tr(_PLAIN["corr"], lang, c=fit.spend_correlation))
    lines.extend(tr(_PLAIN["warning"], lang, w=w) for w in fit.warnings(lang))
    lines.append("")
    lines.append(frame_text(fit.parameters(), float_digits=4))
    return "\n".join(lines)
