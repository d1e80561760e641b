"""`kundfokus kano` commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pandas as pd
import typer

from kundfokus.cli._common import Format, Lang, emit, records, to_json
from kundfokus.errors import InputError
from kundfokus.i18n import tr

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


_TEXT_COLUMNS = [
    "feature",
    "label",
    "n",
    "A",
    "O",
    "M",
    "I",
    "R",
    "Q",
    "category",
    "better",
    "worse",
    "category_strength",
    "total_strength",
    "fong_significant",
    "importance",
]

_HEAD = {
    "features": {"en": "Kano categories per feature", "sv": "Kano-kategorier per egenskap"},
    "priorities": {"en": "Priorities", "sv": "Prioriteringar"},
    "groups": {
        "en": "Does the category differ between groups?",
        "sv": "Skiljer sig kategorin mellan grupperna?",
    },
    "changed": {
        "en": "Category changes between groups (significant at {alpha}): {names}",
        "sv": "Kategorin skiljer sig mellan grupperna (signifikant på nivån {alpha}): {names}",
    },
    "unchanged": {
        "en": "No feature changes category significantly between groups.",
        "sv": "Ingen egenskap byter kategori signifikant mellan grupperna.",
    },
    "invalid": {
        "en": "Unreadable answers treated as missing: {count} in column {column!r} (e.g. {examples})",
        "sv": "Oläsbara svar räknade som saknade: {count} i kolumnen {column!r} (t.ex. {examples})",
    },
    "removed": {
        "en": "Removed {n} respondents with mostly {cat} answers: {ids}",
        "sv": "Tog bort {n} svarande med mest {cat}-svar: {ids}",
    },
    "rule": {
        "en": "Evaluation table: {table}; rule: {rule}. A label like 'O/M' means the top two "
        "categories are not significantly different (Fong's test).",
        "sv": "Utvärderingstabell: {table}; regel: {rule}. En etikett som 'O/M' betyder att de "
        "två största kategorierna inte skiljer sig signifikant (Fongs test).",
    },
}


def _parse_scale(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = [p for p in text.replace(",", "-").replace(":", "-").split("-") if p.strip()]
    try:
        lo, hi = (float(p) for p in parts)
    except ValueError:
        raise InputError(
            "--importance-scale takes the lowest and highest point, like 1-9", value=text
        ) from None
    return lo, hi


def _read_frame(path: Path):  # -> a frame narwhals can read
    """Parquet lazily through Polars (the analysis counts inside the engine), the rest eagerly."""
    import polars as pl

    from kundfokus.io import read_table

    if path.suffix.lower() in (".parquet", ".pq") and path.is_file():
        try:
            pl.read_parquet_schema(path)  # a broken file fails here, not inside the analysis
        except (pl.exceptions.PolarsError, OSError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"cannot read the file: {first}", file=str(path)) from exc
        return pl.scan_parquet(path)
    return read_table(path)


def _table_text(frame: pd.DataFrame) -> str:
    """A readable table: three decimals, empty values as '-'."""
    shown = frame.copy()
    for col in shown.columns:
        if str(shown[col].dtype) in ("Float64", "float64"):
            shown[col] = [None if pd.isna(v) else f"{float(v):.3f}" for v in shown[col]]
        elif str(shown[col].dtype) in ("Int64", "boolean"):
            shown[col] = shown[col].astype(object)
    shown = shown.astype(object).where(shown.notna(), "-")
    return shown.to_string(index=False)


def _text_report(result, lang: str) -> str:
    from kundfokus.kano.priorities import priorities

    out: list[str] = []
    frame = result.features
    cols = [*result.by, *_TEXT_COLUMNS]
    if "label" in frame and (frame["label"] == frame["feature"]).all():
        cols.remove("label")
    if frame["importance"].isna().all():
        cols.remove("importance")
    out.append(tr(_HEAD["features"], lang))
    out.append(_table_text(frame[cols]))
    table = result.table or "-"
    out.append(tr(_HEAD["rule"], lang, table=table, rule=result.rule))
    out.append("")
    out.append(tr(_HEAD["priorities"], lang))
    pri = priorities(frame, lang=lang, by=list(result.by))
    for rec in pri.to_dict(orient="records"):
        group = " / ".join(str(rec[b]) for b in result.by)
        prefix = f"[{group}] " if group else ""
        out.append(f"{prefix}{rec['rank']}. {rec['sentence']}")
    if result.group_tests is not None:
        out.append("")
        out.append(tr(_HEAD["groups"], lang))
        gt = result.group_tests
        out.append(
            _table_text(
                gt[["feature", "categories", "test", "statistic", "dof", "p_value", "changed"]]
            )
        )
        changed = result.changed_features
        if changed:
            alpha = float(gt["alpha"].iloc[0])
            out.append(tr(_HEAD["changed"], lang, alpha=alpha, names=", ".join(changed)))
        else:
            out.append(tr(_HEAD["unchanged"], lang))
    notes = _notes(result, lang)
    if notes:
        out.append("")
        out.extend(notes)
    return "\n".join(out)


def _notes(result, lang: str) -> list[str]:
    notes = []
    for rec in result.invalid.to_dict(orient="records"):
        notes.append(
            tr(
                _HEAD["invalid"],
                lang,
                count=rec["count"],
                column=rec["column"],
                examples=", ".join(repr(e) for e in rec["examples"]),
            )
        )
    if len(result.removed):
        ids = ", ".join(str(v) for v in result.removed["respondent"].head(20))
        if len(result.removed) > 20:
            ids += ", ..."
        notes.append(tr(_HEAD["removed"], lang, n=len(result.removed), cat=result.exclude, ids=ids))
    return notes


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
    from kundfokus.io import read_table
    from kundfokus.kano import analyze, analyze_counts, labels_from_frame

    label_map = None
    if labels is not None:
        try:
            label_map = labels_from_frame(read_table(labels), lang=lang.value)
        except InputError as err:
            raise err.with_file(str(labels)) from None
    scale = _parse_scale(importance_scale)
    data = _read_frame(file)
    try:
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
                on_invalid="missing" if invalid_as_missing else "error",
                exclude=exclude_mostly.value if exclude_mostly else None,
                respondent_column=respondent_column,
                importance_scale=scale,
            )
    except InputError as err:
        raise err.with_file(str(file)) from None
    lang_code = lang.value
    if fmt is Format.json:
        emit(to_json(records(result.features)), out)
    elif fmt is Format.csv:
        emit(result.features.to_csv(index=False), out)
    elif fmt is Format.html:
        from kundfokus.kano.report import write_kano_report

        target = out or Path("kano-report.html")
        write_kano_report(result, target, lang=lang_code)
        typer.echo(f"wrote {target}", err=True)
    else:
        emit(_text_report(result, lang_code), out)
    if chart is not None or bars is not None:
        from kundfokus.kano.charts import category_bars, kano_plot
        from kundfokus.reports import save_chart

        for path, make in ((chart, kano_plot), (bars, category_bars)):
            if path is not None:
                save_chart(make(result.features, lang=lang_code), path)
                typer.echo(f"wrote {path}", err=True)
    if fmt in (Format.json, Format.csv, Format.html):
        for note in _notes(result, lang_code):
            typer.echo(note, err=True)


def _register_questionnaire() -> None:
    from kundfokus.cli import kano_questionnaire

    kano_questionnaire.register(app)


_register_questionnaire()
