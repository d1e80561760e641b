"""`kundfokus retention`: churn per period, cohort retention and the shifted-beta-geometric model."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from kundfokus.cli._common import Format, Lang, emit, frame_text, records, to_json
from kundfokus.errors import InputError
from kundfokus.i18n import tr

app = typer.Typer(
    no_args_is_help=True,
    help="Churn, cohort retention and the sBG retention model. / Kundbortfall och kvarvaro.",
)


class PeriodChoice(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


class ClockChoice(StrEnum):
    calendar = "calendar"
    tenure = "tenure"


class TextFormat(StrEnum):
    text = "text"
    json = "json"


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


def _read(path: Path) -> Any:
    from kundfokus.io import read_table

    return read_table(path)


def _spell_args(
    customer: str,
    start: str | None,
    end: str | None,
    date: str | None,
    window: int | None,
    period: PeriodChoice,
    as_of: str | None,
) -> dict[str, Any]:
    if (start is None) == (date is None):
        raise InputError(
            "give --start and --end (contracts) or --date and --window (purchases), not both"
        )
    if date is not None and window is None:
        raise InputError("purchase data needs --window DAYS (days without a purchase = lost)")
    return dict(
        customer=customer,
        start=start,
        end=end,
        date=date,
        window=window,
        period=period.value,
        as_of=as_of,
    )


_COMMON_HELP = {
    "file": "Contracts (one row per customer) or purchases (one row per purchase): CSV, Parquet, "
    "JSON lines.",
    "customer": "Customer id column.",
    "start": "Contract start date column (YYYY-MM-DD).",
    "end": "Contract end date column (empty = still active).",
    "date": "Purchase date column (YYYY-MM-DD).",
    "window": "Days without a purchase after the last one before a customer counts as lost.",
    "as_of": "The date the data runs to (default: the latest date in the file).",
}


@app.command("churn")
def churn_command(
    file: Path = typer.Argument(..., help=_COMMON_HELP["file"]),
    customer: str = typer.Option(..., "--customer", help=_COMMON_HELP["customer"]),
    start: str | None = typer.Option(None, "--start", help=_COMMON_HELP["start"]),
    end: str | None = typer.Option(None, "--end", help=_COMMON_HELP["end"]),
    date: str | None = typer.Option(None, "--date", help=_COMMON_HELP["date"]),
    window: int | None = typer.Option(None, "--window", help=_COMMON_HELP["window"]),
    period: PeriodChoice = typer.Option(PeriodChoice.month, "--period", help="Period length."),
    as_of: str | None = typer.Option(None, "--as-of", help=_COMMON_HELP["as_of"]),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Churn rate per period: lost / active at the start (new customers excluded), annualised."""
    from kundfokus.retention import churn, churn_summary, rule_text

    args = _spell_args(customer, start, end, date, window, period, as_of)
    data = _read(file)
    try:
        table = churn(data, **args)
    except InputError as err:
        raise err.with_file(str(file)) from None
    summary = churn_summary(table)
    lg = lang.value
    rule = rule_text(table, lg)
    summary_text = (
        tr(
            _T["summary"],
            lg,
            periods=summary["periods"],
            lost=summary["lost"],
            at_risk=summary["at_risk"],
            rate=summary["churn_rate"],
            period=period.value,
            annual=summary["annual_churn"],
            keep=summary["annual_retention"],
        )
        if summary["at_risk"]
        else ""
    )
    partial = (
        tr(_T["partial"], lg, as_of=table.attrs["as_of"]) if not table["complete"].all() else ""
    )
    if fmt is Format.json:
        text = to_json(
            {
                "rule": rule,
                "as_of": table.attrs["as_of"],
                "summary": summary,
                "periods": records(table),
            }
        )
    elif fmt is Format.csv:
        text = table.to_csv(index=False)
    elif fmt is Format.html:
        from kundfokus.reports import Chart, Section, Table, render_report
        from kundfokus.retention.charts import churn_chart

        text = render_report(
            tr(_T["churn"], lg),
            [
                Section(
                    tr(_T["churn"], lg),
                    paragraphs=[rule, summary_text, partial],
                    tables=[Table(table, float_digits=4)],
                    charts=[Chart(churn_chart(table, lang=lg))],
                )
            ],
            lang=lg,
        )
    else:
        text = "\n".join(
            [tr(_T["churn"], lg), rule, "", frame_text(table, 4), "", summary_text, partial]
        )
    emit(text, out)


@app.command("cohorts")
def cohorts_command(
    file: Path = typer.Argument(..., help=_COMMON_HELP["file"]),
    customer: str = typer.Option(..., "--customer", help=_COMMON_HELP["customer"]),
    start: str | None = typer.Option(None, "--start", help=_COMMON_HELP["start"]),
    end: str | None = typer.Option(None, "--end", help=_COMMON_HELP["end"]),
    date: str | None = typer.Option(None, "--date", help=_COMMON_HELP["date"]),
    window: int | None = typer.Option(None, "--window", help=_COMMON_HELP["window"]),
    period: PeriodChoice = typer.Option(PeriodChoice.month, "--period", help="Cohort period."),
    as_of: str | None = typer.Option(None, "--as-of", help=_COMMON_HELP["as_of"]),
    clock: ClockChoice = typer.Option(
        ClockChoice.calendar,
        "--clock",
        help="Age by calendar period, or by each customer's own renewals (tenure; contracts only).",
    ),
    fit_sbg: bool = typer.Option(False, "--fit-sbg", help="Also fit the sBG model to the cohorts."),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Cohort retention matrix (share of each start cohort still active, by periods since start)."""
    from kundfokus.retention import cohort_matrix, cohorts, rule_text, sbg_fit_cohorts

    args = _spell_args(customer, start, end, date, window, period, as_of)
    data = _read(file)
    try:
        table = cohorts(data, **args, clock=clock.value)
    except InputError as err:
        raise err.with_file(str(file)) from None
    lg = lang.value
    rule = rule_text(table, lg)
    fit = sbg_fit_cohorts(table) if fit_sbg else None
    params = _params_text(fit, lg) if fit is not None else ""
    if fmt is Format.json:
        payload: dict[str, Any] = {
            "rule": rule,
            "as_of": table.attrs["as_of"],
            "cohorts": records(table),
        }
        if fit is not None:
            payload["sbg"] = fit.summary()
        text = to_json(payload)
    elif fmt is Format.csv:
        text = table.to_csv(index=False)
    elif fmt is Format.html:
        from kundfokus.reports import Chart, Section, Table, render_report
        from kundfokus.retention.charts import cohort_heatmap, retention_curves, sbg_chart

        charts = [Chart(cohort_heatmap(table, lang=lg)), Chart(retention_curves(table, lang=lg))]
        if fit is not None:
            charts.append(Chart(sbg_chart(fit, lang=lg)))
        matrix = cohort_matrix(table).reset_index()
        matrix.columns = [str(c) for c in matrix.columns]
        text = render_report(
            tr(_T["cohorts"], lg),
            [
                Section(
                    tr(_T["cohorts"], lg),
                    paragraphs=[p for p in (rule, params) if p],
                    tables=[Table(matrix, float_digits=3)],
                    charts=charts,
                )
            ],
            lang=lg,
        )
    else:
        matrix = cohort_matrix(table)
        text = "\n".join(
            [tr(_T["cohorts"], lg), rule, "", frame_text(matrix.reset_index(), 3)]
            + (["", params] if params else [])
        )
    emit(text, out)


def _params_text(fit: Any, lang: str) -> str:
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


def _parse_survival(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    if any(p == "" for p in parts):
        raise InputError(
            "--survival takes numbers separated by commas, like 100,86.9,74.3", value=text
        )
    return parts


@app.command("sbg")
def sbg_command(
    survival: str = typer.Option(
        ..., "--survival", help="Share (or number) still active at the start of periods 0, 1, ..."
    ),
    periods: int | None = typer.Option(
        None, "--periods", help="Project survival up to this period (default: twice the data)."
    ),
    discount: float = typer.Option(0.1, "--discount", help="Discount rate per period for DERL."),
    renewals: int = typer.Option(0, "--renewals", help="Renewals made so far, for DERL."),
    cohort_size: float | None = typer.Option(
        None, "--cohort-size", help="Customers at the start, if the values are percentages."
    ),
    fmt: TextFormat = typer.Option(TextFormat.text, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Also save the survival chart (.png, .svg, .pdf, .json, .html)."
    ),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Fit the shifted-beta-geometric model to a survival curve; project survival, retention
    rates and the discounted expected residual lifetime (DERL)."""
    from kundfokus.retention import sbg_fit

    values = _parse_survival(survival)
    fit = sbg_fit(values, cohort_size=cohort_size)
    proj = fit.projection(periods)
    derl = fit.derl(discount, renewals)
    lg = lang.value
    if fmt is TextFormat.json:
        payload = {
            **fit.summary(),
            "discount": discount,
            "renewals": renewals,
            "derl": derl,
            "note": None if fit.converged else tr(_T["flat"], lg),
            "survival_projection": records(proj),
        }
        text = to_json(payload)
    else:
        shown = proj.copy()
        text = "\n".join(
            [
                tr(_T["sbg"], lg),
                _params_text(fit, lg),
                tr(_T["derl"], lg, d=discount, r=renewals, v=derl),
                "" if fit.converged else tr(_T["flat"], lg),
                tr(_T["se_note"], lg, n=float(fit.curves[0][0])) if cohort_size is None else "",
                "",
                frame_text(pd.DataFrame(shown), 4),
            ]
        )
    emit(text, out)
    if chart is not None:
        from kundfokus.reports import save_chart
        from kundfokus.retention.charts import sbg_chart

        save_chart(sbg_chart(fit, periods=periods, lang=lg), chart)
        typer.echo(f"wrote {chart}", err=True)
