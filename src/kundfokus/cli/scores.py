"""`kundfokus scores nps|csat|ces`: survey scores per group and period, with intervals and a test
of the difference when there are exactly two groups or periods.

JSON output is always one object: ``{"score", "groups": [...], "comparison": {...} or null,
"warnings": [...]}`` (see docs/scores.md).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, parse_range, to_json
from kundfokus.errors import InputError
from kundfokus.io import read_table
from kundfokus.serialize import to_csv

app = typer.Typer(
    no_args_is_help=True,
    help="Survey scores: NPS, CSAT and CES per group and period. / Enkätmått: NPS, CSAT och CES.",
)


class PeriodChoice(StrEnum):
    week = "week"
    month = "month"
    quarter = "quarter"


class CIChoice(StrEnum):
    adjusted_wald = "adjusted-wald"
    wald = "wald"
    wilson = "wilson"
    t = "t"
    bootstrap = "bootstrap"


_SCALE_ERROR = "--scale takes the lowest and highest answer, like 1-5"


def render(report: Any, fmt: Format, lang: str) -> str:
    """Render a :class:`kundfokus.scores.ScoreReport` as text, CSV, JSON or HTML."""
    from kundfokus.scores.report import score_dict, score_html, score_text

    if fmt is Format.json:
        return to_json(score_dict(report, lang))
    if fmt is Format.csv:
        return to_csv(report.table)
    if fmt is Format.html:
        return score_html(report, lang)
    return score_text(report, lang)


def _run(
    kind: str,
    file: Path,
    score: str,
    by: str | None,
    period: PeriodChoice | None,
    date: str | None,
    fmt: Format,
    out: Path | None,
    ci: CIChoice | None,
    level: float,
    min_n: int,
    paired: bool,
    respondent: str | None,
    invalid_as_missing: bool,
    scale: str | None,
    lang: Lang,
    n_boot: int,
    seed: int,
) -> None:
    from kundfokus.cli._progress import working
    from kundfokus.scores import analyze

    data = read_table(file)
    with naming(file), working("computing / beräknar"):
        report = analyze(
            kind,  # type: ignore[arg-type]
            data,
            score,
            by=by,
            period=period.value if period else None,  # type: ignore[arg-type]
            date=date,
            ci=ci.value if ci else None,
            level=level,
            min_n=min_n,
            on_invalid="missing" if invalid_as_missing else "raise",
            paired=paired,
            respondent=respondent,
            scale=parse_range(scale, int, _SCALE_ERROR),
            n_boot=n_boot,
            seed=seed,
        )
    emit(render(report, fmt, lang.value), out)
    if fmt is not Format.text:
        for w in report.warnings(lang.value):
            typer.echo(f"warning: {w}", err=True)


def _command(kind: str, doc: str) -> None:
    def command(
        file: Path = typer.Argument(..., help="Answers: CSV, Parquet or JSON lines."),
        score: str = typer.Option(..., "--score", help="Column with the answer."),
        by: str | None = typer.Option(None, "--by", help="Group by this column."),
        period: PeriodChoice | None = typer.Option(
            None, "--period", help="Per ISO week, month or quarter of --date."
        ),
        date: str | None = typer.Option(None, "--date", help="Date column (YYYY-MM-DD)."),
        fmt: Format = typer.Option(Format.text, "--format", help="Output format."),
        out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
        ci: CIChoice | None = typer.Option(
            None,
            "--ci",
            help="Interval: NPS adjusted-wald (default), wald, bootstrap; CSAT wilson (default), "
            "adjusted-wald, wald, bootstrap; CES t (default), bootstrap.",
        ),
        level: float = typer.Option(0.95, "--level", help="Confidence level."),
        min_n: int = typer.Option(30, "--min-n", help="Warn about groups with fewer answers."),
        paired: bool = typer.Option(
            False, "--paired", help="The two groups/periods hold the same respondents."
        ),
        respondent: str | None = typer.Option(
            None, "--respondent", help="Respondent id column (for --paired)."
        ),
        invalid_as_missing: bool = typer.Option(
            False,
            "--invalid-as-missing",
            help="Leave out bad answers (counted) instead of failing.",
        ),
        scale: str | None = typer.Option(
            None, "--scale", help="CSAT/CES scale, like 1-5 or 1-7 (NPS is always 0-10)."
        ),
        lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
        n_boot: int = typer.Option(2000, "--n-boot", help="Bootstrap resamples."),
        seed: int = typer.Option(0, "--seed", help="Bootstrap random seed."),
    ) -> None:
        if kind == "nps" and scale is not None:
            raise InputError("NPS is always on 0-10; --scale is for csat and ces", value=scale)
        _run(kind, file, score, by, period, date, fmt, out, ci, level, min_n, paired,
             respondent, invalid_as_missing, scale, lang, n_boot, seed)  # fmt: skip

    command.__doc__ = doc
    app.command(kind)(command)


_command("nps", "Net Promoter Score (0-10 answers) with standard error and interval.")
_command("csat", "CSAT: top-2-box share (4-5 on 1-5 by default) with a Wilson interval.")
_command("ces", "CES: mean effort answer (1-7 by default) with interval, and share agreeing.")
