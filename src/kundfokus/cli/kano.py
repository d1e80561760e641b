"""`kundfokus kano` commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from kundfokus.cli._common import (
    Format,
    Lang,
    emit,
    naming,
    parse_range,
    records,
    to_json,
    write_chart,
)
from kundfokus.errors import InputError
from kundfokus.io import read_table
from kundfokus.serialize import to_csv

app = typer.Typer(
    no_args_is_help=True,
    help="Kano model: questionnaire and analysis of must-be, performance and attractive needs. "
    "/ Kanomodellen: enkät och analys av baskrav, prestanda- och attraktiva behov.",
)


class TableChoice(StrEnum):
    standard = "standard"
    pouliot = "pouliot"


class RuleChoice(StrEnum):
    mode = "mode"
    moai = "moai"
    oam = "oam"


class ExcludeChoice(StrEnum):
    Q = "Q"
    I = "I"  # noqa: E741 - the Kano category letter


_SCALE_ERROR = "--importance-scale takes the lowest and highest point, like 1-9"


def _read_frame(path: Path):  # -> a frame narwhals can read
    """Parquet lazily through Polars (the analysis counts inside the engine), the rest eagerly."""
    import polars as pl

    if path.suffix.lower() in (".parquet", ".pq") and path.is_file():
        try:
            pl.read_parquet_schema(path)  # a broken file fails here, not inside the analysis
        except (pl.exceptions.PolarsError, OSError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"cannot read the file: {first}", file=str(path)) from exc
        return pl.scan_parquet(path)
    return read_table(path)


@app.command("analyze")
def analyze_command(
    file: Path = typer.Argument(
        ..., help="Answers (CSV, Parquet, JSON lines) or, with --counts, a tallied table."
    ),
    counts: bool = typer.Option(
        False, "--counts", help="FILE is already tallied: feature, A, O, M, I, R, Q per row."
    ),
    table: TableChoice = typer.Option(TableChoice.standard, "--table", help="Evaluation table."),
    rule: RuleChoice = typer.Option(RuleChoice.mode, "--rule", help="Rule for the category."),
    by: str | None = typer.Option(None, "--by", help="Analyse per value of this column."),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
    invalid_as_missing: bool = typer.Option(
        False, "--invalid-as-missing", help="Treat unreadable answers as missing (and report)."
    ),
    labels: Path | None = typer.Option(
        None,
        "--labels",
        help="Feature labels: a table with columns feature (or id) and label (or label_en/label_sv).",
    ),
    exclude_mostly: ExcludeChoice | None = typer.Option(
        None, "--exclude-mostly", help="Leave out respondents whose answers are mostly Q (or I)."
    ),
    strength_threshold: float = typer.Option(
        0.06, "--strength-threshold", help="Category strength below which moai applies."
    ),
    respondent_column: str | None = typer.Option(
        None, "--respondent-column", help="Respondent id column (for --exclude-mostly)."
    ),
    importance_scale: str | None = typer.Option(
        None, "--importance-scale", help="Lowest and highest importance point, like 1-9."
    ),
    chart: Path | None = typer.Option(
        None,
        "--chart",
        help="Also save the Kano plot: .png, .svg, .pdf, .json (Vega-Lite) or .html.",
    ),
    bars: Path | None = typer.Option(
        None, "--bars", help="Also save the stacked category bars (same formats as --chart)."
    ),
) -> None:
    """Analyse Kano answers: category per feature, Better/Worse, strengths, Fong's test,
    continuous scores, importance and priorities."""
    from kundfokus.kano import analyze, analyze_counts, labels_from_frame
    from kundfokus.kano.charts import category_bars, kano_plot
    from kundfokus.kano.report import kano_text, text_notes, write_kano_report

    label_map = None
    if labels is not None:
        with naming(labels):
            label_map = labels_from_frame(read_table(labels), lang=lang.value)
    scale = parse_range(importance_scale, float, _SCALE_ERROR)
    data = _read_frame(file)
    with naming(file):
        if counts:
            result = analyze_counts(
                data,
                labels=label_map,
                rule=rule.value,
                strength_threshold=strength_threshold,
                by=by,
            )
        else:
            result = analyze(
                data,
                labels=label_map,
                table=table.value,
                rule=rule.value,
                strength_threshold=strength_threshold,
                by=by,
                on_invalid="missing" if invalid_as_missing else "raise",
                exclude=exclude_mostly.value if exclude_mostly else None,
                respondent_column=respondent_column,
                importance_scale=scale,
            )
    lang_code = lang.value
    if fmt is Format.json:
        emit(to_json(records(result.features)), out)
    elif fmt is Format.csv:
        emit(to_csv(result.features), out)
    elif fmt is Format.html:
        target = out or Path("kano-report.html")
        write_kano_report(result, target, lang=lang_code)
        typer.echo(f"wrote {target}", err=True)
    else:
        emit(kano_text(result, lang_code), out)
    for path, make in ((chart, kano_plot), (bars, category_bars)):
        if path is not None:
            write_chart(make(result.features, lang=lang_code), path)
    if fmt in (Format.json, Format.csv, Format.html):
        for note in text_notes(result, lang_code):
            typer.echo(note, err=True)


def _register_questionnaire() -> None:
    from kundfokus.cli import kano_questionnaire

    kano_questionnaire.register(app)


_register_questionnaire()
