"""`kundfokus cpi compute|journeys|defaults`: customer performance indicators from journey events.

``compute`` prints one row per CPI x group (x period); JSON output is an array of objects with the
keys ``cpi, name_en, name_sv, kind, group, [period, period_start,] stat, n, n_open, value, ci_low,
ci_high, ci_method, level, unit, better, target, meets_target, share_meeting_target, trend`` (see
docs/cpi.md). ``journeys`` writes each journey's (or customer's) own CPI values, optionally beside a
KPI file. ``defaults`` prints the bundled definitions to start a team's own file.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, to_json
from kundfokus.io import read_table

app = typer.Typer(
    no_args_is_help=True,
    help="Customer performance indicators (CPIs) from journey events. / "
    "Kundprestationsindikatorer (CPI:er) från kundresornas händelser.",
)


class PeriodChoice(StrEnum):
    week = "week"
    month = "month"


class PerChoice(StrEnum):
    journey = "journey"
    customer = "customer"


_EVENTS_HELP = (
    "Events: CSV, Parquet, JSON lines or Excel with customer_id, journey_id, step, timestamp "
    "(and the columns the CPIs use)."
)
_DEFS_HELP = (
    "CPI definitions (YAML). Default: the bundled contact-centre set (kundfokus cpi defaults)."
)


def _definitions(path: Path | None):  # type: ignore[no-untyped-def]
    from kundfokus.cpi import default_definitions, load_definitions

    if path is None:
        return default_definitions()
    return load_definitions(path)


@app.command("compute")
def compute(
    events: Path = typer.Argument(..., help=_EVENTS_HELP),
    definitions: Path | None = typer.Option(None, "--definitions", "-d", help=_DEFS_HELP),
    by: str | None = typer.Option(
        None, "--by", help="Group journeys by this column (its value at the first event)."
    ),
    step: str | None = typer.Option(
        None, "--step", help="Only the CPIs whose conditions name this step."
    ),
    period: PeriodChoice | None = typer.Option(
        None, "--period", help="Per ISO week or month of the journey's first event, with trend."
    ),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text / språk."),
    level: float = typer.Option(0.95, "--level", help="Confidence level."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap (medians)."),
) -> None:
    """Compute the CPIs per group and period: n, value, interval, share meeting the target, trend.
    / Beräkna CPI:erna per grupp och period."""
    from kundfokus.cpi import compute_cpis
    from kundfokus.cpi.report import cpi_html, cpi_records, cpi_text
    from kundfokus.serialize import to_csv

    if definitions is not None:
        with naming(definitions):
            defs = _definitions(definitions)
    else:
        defs = _definitions(None)
    from kundfokus.cli._progress import working

    data = read_table(events)
    with naming(events), working("computing / beräknar"):
        report = compute_cpis(
            data,
            defs,
            by=by,
            step=step,
            period=period.value if period else None,  # type: ignore[arg-type]
            level=level,
            seed=seed,
        )
    if fmt is Format.json:
        text = to_json(cpi_records(report))
    elif fmt is Format.csv:
        text = to_csv(report.table)
    elif fmt is Format.html:
        text = cpi_html(report, lang.value)
    else:
        text = cpi_text(report, lang.value)
    emit(text, out)
    if fmt is not Format.text:
        for w in report.warnings(lang.value):
            typer.echo(f"warning: {w}", err=True)


@app.command("journeys")
def journeys(
    events: Path = typer.Argument(..., help=_EVENTS_HELP),
    definitions: Path | None = typer.Option(None, "--definitions", "-d", help=_DEFS_HELP),
    per: PerChoice = typer.Option(
        PerChoice.journey, "--per", help="One row per journey or per customer."
    ),
    kpis: Path | None = typer.Option(
        None,
        "--kpis",
        help="KPIs per customer (NPS/CSAT/CES answer, churn, CLV), one row per customer, "
        "joined beside the CPIs.",
    ),
    on: str = typer.Option("customer_id", "--on", help="Customer column to join the KPIs on."),
    fmt: Format = typer.Option(Format.csv, "--format", help="Output format (csv or json)."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
) -> None:
    """Each journey's (or customer's) own CPI values, optionally beside the customers' KPIs.
    / Varje resas (eller kunds) egna CPI-värden, gärna bredvid kundernas KPI:er."""
    from kundfokus.cpi import cpis_per_journey, join_kpis
    from kundfokus.errors import InputError
    from kundfokus.reports import frame_text
    from kundfokus.serialize import records, to_csv

    if fmt is Format.html:
        raise InputError("kundfokus cpi journeys writes csv, json or text", value="html")
    if definitions is not None:
        with naming(definitions):
            defs = _definitions(definitions)
    else:
        defs = _definitions(None)
    data = read_table(events)
    with naming(events):
        table = cpis_per_journey(data, defs, per=per.value)  # type: ignore[arg-type]
    if kpis is not None:
        kpi_data = read_table(kpis)
        with naming(kpis):
            table = join_kpis(table, kpi_data, on=on)
    if fmt is Format.json:
        text = to_json(records(table))
    elif fmt is Format.text:
        text = frame_text(table, float_digits=2)
    else:
        text = to_csv(table)
    emit(text, out)


@app.command("defaults")
def defaults(
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
) -> None:
    """Print the bundled CPI definitions (YAML), to start your own: kundfokus cpi defaults >
    cpis.yaml. / Skriv ut standarduppsättningen av CPI:er (YAML)."""
    from kundfokus.cpi import default_yaml

    emit(default_yaml().rstrip("\n"), out)
