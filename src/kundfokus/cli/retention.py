"""`kundfokus retention`: churn per period, cohort retention and the shifted-beta-geometric model."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, to_json, write_chart
from kundfokus.errors import InputError
from kundfokus.io import read_table
from kundfokus.serialize import to_csv

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
    from kundfokus.retention import churn
    from kundfokus.retention.report import churn_dict, churn_html, churn_text

    args = _spell_args(customer, start, end, date, window, period, as_of)
    data = read_table(file)
    with naming(file):
        table = churn(data, **args)
    lg = lang.value
    if fmt is Format.json:
        text = to_json(churn_dict(table, lg))
    elif fmt is Format.csv:
        text = to_csv(table)
    elif fmt is Format.html:
        text = churn_html(table, lg)
    else:
        text = churn_text(table, lg)
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
    from kundfokus.retention import cohorts, sbg_fit_cohorts
    from kundfokus.retention.report import cohort_dict, cohort_html, cohort_text

    args = _spell_args(customer, start, end, date, window, period, as_of)
    data = read_table(file)
    with naming(file):
        table = cohorts(data, **args, clock=clock.value)
    lg = lang.value
    fit = sbg_fit_cohorts(table) if fit_sbg else None
    if fmt is Format.json:
        text = to_json(cohort_dict(table, fit, lg))
    elif fmt is Format.csv:
        text = to_csv(table)
    elif fmt is Format.html:
        text = cohort_html(table, fit, lg)
    else:
        text = cohort_text(table, fit, lg)
    emit(text, out)


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
    from kundfokus.retention.charts import sbg_chart
    from kundfokus.retention.report import sbg_dict, sbg_text

    values = _parse_survival(survival)
    fit = sbg_fit(values, cohort_size=cohort_size)
    lg = lang.value
    if fmt is TextFormat.json:
        text = to_json(
            sbg_dict(fit, periods=periods, discount=discount, renewals=renewals, lang=lg)
        )
    else:
        text = sbg_text(
            fit,
            periods=periods,
            discount=discount,
            renewals=renewals,
            counted=cohort_size is not None,
            lang=lg,
        )
    emit(text, out)
    if chart is not None:
        write_chart(sbg_chart(fit, periods=periods, lang=lg), chart)
