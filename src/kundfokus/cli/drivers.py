"""`kundfokus drivers`: what moves a KPI (exact Shapley/LMG decomposition of R², relative weights).

JSON output without ``--by`` is one object ``{"r2", "n", "drivers": [...], ...}``; with ``--by`` an
object whose ``groups`` holds one such object per group (see docs/drivers.md).
"""

from __future__ import annotations

from pathlib import Path

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, to_json


def drivers(
    file: Path = typer.Argument(..., help="Data: CSV, Parquet, JSON lines or Excel."),
    outcome: str = typer.Option(..., "--outcome", help="The KPI column (numeric or binary)."),
    drivers: str = typer.Option(
        ..., "--drivers", help="Driver columns, comma-separated (text columns are one-hot)."
    ),
    by: str | None = typer.Option(None, "--by", help="One result per value of this column."),
    binary: bool | None = typer.Option(
        None,
        "--binary/--numeric",
        help="Force a logistic (binary) or linear (numeric) model; detected by default.",
    ),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
    n_boot: int = typer.Option(500, "--n-boot", help="Bootstrap resamples (0: no intervals)."),
    level: float = typer.Option(0.95, "--level", help="Interval level."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap random seed."),
) -> None:
    """Which drivers move a KPI: each driver's share of R² (Shapley/LMG), relative weights and
    bootstrap intervals. This shows association, not cause."""
    from kundfokus.drivers import driver_analysis
    from kundfokus.drivers.report import drivers_csv_table, drivers_html, drivers_text
    from kundfokus.io import read_table
    from kundfokus.serialize import to_csv

    with naming(file):
        data = read_table(file)
        report = driver_analysis(
            data, outcome, drivers, by=by, binary=binary, n_boot=n_boot, level=level, seed=seed
        )
    if fmt is Format.json:
        text = to_json(report.to_dict(lang.value))
    elif fmt is Format.csv:
        text = to_csv(drivers_csv_table(report))
    elif fmt is Format.html:
        text = drivers_html(report, lang.value)
    else:
        text = drivers_text(report, lang.value)
    emit(text, out)
    if fmt is not Format.text:
        for w in report.warnings(lang.value):
            typer.echo(f"warning: {w}", err=True)


def register(root: typer.Typer) -> None:
    """Add the top-level ``kundfokus drivers`` command."""
    root.command("drivers")(drivers)
