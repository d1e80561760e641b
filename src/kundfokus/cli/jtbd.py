"""`kundfokus jtbd` commands: the job inventory and Ulwick's opportunity scores."""

from __future__ import annotations

import warnings
from pathlib import Path

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, records, to_json, write_chart
from kundfokus.i18n import tr
from kundfokus.io import read_table
from kundfokus.serialize import to_csv

app = typer.Typer(
    no_args_is_help=True,
    help="Jobs to be done: job inventory and opportunity scores (Ulwick). / "
    "Jobb att utföra: jobbinventering och möjlighetspoäng (Ulwick).",
)


_HEAD = {
    "invalid": {
        "en": "note: {n} answers were not on the 1-5 scale and were treated as missing",
        "sv": "obs: {n} svar låg inte på skalan 1-5 och räknades som saknade",
    },
    "remark": {"en": "note: {w}", "sv": "obs: {w}"},
    "chart": {"en": "wrote {p}", "sv": "skrev {p}"},
}


def _inventory(path: Path | None, lang: str):
    """Read the inventory (if any), printing statement remarks as notes rather than Python warnings."""
    if path is None:
        return None
    from kundfokus.jtbd import StatementWarning, read_inventory

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatementWarning)
        inv = read_inventory(path)
    for w in inv.warnings:
        typer.echo(tr(_HEAD["remark"], lang, w=w), err=True)
    return inv


@app.command("opportunity")
def opportunity_cmd(
    file: Path = typer.Argument(
        ...,
        help="Survey answers: one row per respondent with <outcome>_importance and "
        "<outcome>_satisfaction columns, or a long table (respondent, outcome, importance, "
        "satisfaction). CSV, Parquet or JSON lines.",
    ),
    inventory: Path | None = typer.Option(
        None, "--inventory", "-i", help="Job inventory (YAML or CSV) to add jobs and statements."
    ),
    by: list[str] | None = typer.Option(
        None, "--by", help="Score each group separately (segment, channel, situation). Repeatable."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language: en or sv."),
    invalid_as_missing: bool = typer.Option(
        False,
        "--invalid-as-missing",
        help="Treat answers that are not on the 1-5 scale as missing (counted) instead of failing.",
    ),
    chart: Path | None = typer.Option(
        None,
        "--chart",
        help="Also save the opportunity landscape (.png, .svg, .pdf, .json or .html).",
    ),
) -> None:
    """Importance, satisfaction and opportunity per desired outcome; under- and over-served.

    Viktighet, nöjdhet och möjlighet per önskat utfall; under- och övertillgodosett.
    """
    from kundfokus.jtbd import opportunity
    from kundfokus.jtbd.charts import opportunity_landscape
    from kundfokus.jtbd.report import jtbd_report_html, opportunity_text

    lg = lang.value
    inv = _inventory(inventory, lg)
    frame = read_table(file)
    with naming(file):
        result = opportunity(
            frame,
            inventory=inv,
            by=list(by) if by else None,
            on_invalid="missing" if invalid_as_missing else "raise",
            lang=lg,
        )
    n_invalid = int(result["n_invalid"].sum())
    if n_invalid:
        typer.echo(tr(_HEAD["invalid"], lg, n=n_invalid), err=True)

    if fmt is Format.json:
        text = to_json(records(result))
    elif fmt is Format.csv:
        text = to_csv(result)
    elif fmt is Format.html:
        text = jtbd_report_html(result, inv, lang=lg)
    else:
        text = opportunity_text(result, lg, job=inv is not None)
    if chart is not None:
        write_chart(opportunity_landscape(result, lang=lg), chart, tr(_HEAD["chart"], lg, p=chart))
    emit(text, out)


@app.command("inventory")
def inventory_cmd(
    file: Path = typer.Argument(
        ...,
        help="Job inventory: YAML (jobs with outcomes) or CSV (job_id, job_type, job_statement, "
        "situation, outcome_id, outcome_statement).",
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language: en or sv."),
) -> None:
    """Check and show a job inventory: jobs by type and situation, outcomes per job.

    Kontrollera och visa en jobbinventering: jobb per typ och situation, utfall per jobb.
    """
    from kundfokus.jtbd.report import inventory_report_html, inventory_text

    lg = lang.value
    inv = _inventory(file, lg)
    if fmt is Format.json:
        text = to_json({**inv.to_dict(), "warnings": list(inv.warnings)})
    elif fmt is Format.csv:
        text = to_csv(inv.outcomes_frame(lg))
    elif fmt is Format.html:
        text = inventory_report_html(inv, lang=lg)
    else:
        text = inventory_text(inv, lg)
    emit(text, out)
