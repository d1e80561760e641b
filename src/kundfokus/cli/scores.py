"""`kundfokus scores nps|csat|ces`: survey scores per group and period, with intervals and a test
of the difference when there are exactly two groups or periods.

JSON output is always one object: ``{"score", "groups": [...], "comparison": {...} or null,
"warnings": [...]}`` (see docs/scores.md).
"""

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


_T = {
    "title": {
        "nps": {"en": "Net Promoter Score", "sv": "Net Promoter Score (NPS)"},
        "csat": {"en": "Customer satisfaction (CSAT)", "sv": "Kundnöjdhet (CSAT)"},
        "ces": {"en": "Customer effort score (CES)", "sv": "Kundansträngning (CES)"},
    },
    "intro": {
        "nps": {
            "en": "NPS = % promoters (9-10) minus % detractors (0-6), from -100 to 100. "
            "Interval: {ci}, {level:.0%}.",
            "sv": "NPS = % promotorer (9-10) minus % kritiker (0-6), från -100 till 100. "
            "Intervall: {ci}, {level:.0%}.",
        },
        "csat": {
            "en": "CSAT = % of answers in the top box ({lo}-{hi}). Interval: {ci}, {level:.0%}. "
            "The mean answer (mean_score) is a different measure, shown for reference.",
            "sv": "CSAT = % av svaren i toppboxen ({lo}-{hi}). Intervall: {ci}, {level:.0%}. "
            "Medelvärdet (mean_score) är ett annat mått och visas som jämförelse.",
        },
        "ces": {
            "en": "CES = mean answer (higher = easier) with a {ci} interval ({level:.0%}); "
            "pct_agree = % answering {lo} or higher.",
            "sv": "CES = medelvärde (högre = enklare) med {ci}-intervall ({level:.0%}); "
            "pct_agree = % som svarat {lo} eller högre.",
        },
    },
    "comparison": {
        "en": "Difference {a} minus {b}: {diff:.2f} ({test}); {stat} = {value:.3f}, p = {p:.4f}; "
        "{level:.0%} interval {lo:.2f} to {hi:.2f}.",
        "sv": "Skillnad {a} minus {b}: {diff:.2f} ({test}); {stat} = {value:.3f}, p = {p:.4f}; "
        "{level:.0%} intervall {lo:.2f} till {hi:.2f}.",
    },
    "results": {"en": "Results", "sv": "Resultat"},
    "warnings": {"en": "Warnings", "sv": "Varningar"},
    "compare": {"en": "Comparison", "sv": "Jämförelse"},
}

_TESTS = {
    "independent samples z test of NPS": {
        "en": "independent samples z test of NPS",
        "sv": "z-test för oberoende urval av NPS",
    },
    "two-proportion z test (pooled)": {
        "en": "two-proportion z test (pooled)",
        "sv": "z-test för två andelar (poolad)",
    },
    "Welch's t test of the mean": {
        "en": "Welch's t test of the mean",
        "sv": "Welchs t-test av medelvärdet",
    },
    "paired t test of per-respondent differences": {
        "en": "paired t test of per-respondent differences",
        "sv": "parat t-test av skillnaden per respondent",
    },
}

_COLUMNS = {
    "nps": ["promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high"],
    "csat": ["satisfied", "csat", "ci_low", "ci_high", "mean_score"],
    "ces": ["mean_score", "ci_low", "ci_high", "pct_agree", "agree_ci_low", "agree_ci_high"],
}


def _read(path: Path) -> Any:
    from kundfokus.io import read_table

    return read_table(path)


def _parse_scale(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    parts = [p for p in text.replace(",", "-").replace(":", "-").split("-") if p.strip()]
    try:
        lo, hi = (int(p) for p in parts)
    except ValueError:
        raise InputError(
            "--scale takes the lowest and highest answer, like 1-5", value=text
        ) from None
    return lo, hi


def _visible(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    keys = [c for c in ("group", "period") if c in table.columns]
    cols = [*keys, "n", *_COLUMNS[kind], "small_sample"]
    extra = [c for c in ("n_missing", "n_invalid") if c in table and table[c].sum() > 0]
    return table[cols + extra]


def _comparison_text(comp: pd.DataFrame, lang: str) -> str:
    r = comp.iloc[0]
    stat = str(r["statistic"])
    return tr(
        _T["comparison"],
        lang,
        a=r["group_1"],
        b=r["group_2"],
        diff=r["difference"],
        test=tr(_TESTS[r["test"]], lang) if r["test"] in _TESTS else r["test"],
        stat=stat,
        value=r[stat],
        p=r["p_value"],
        level=r["level"],
        lo=r["ci_low"],
        hi=r["ci_high"],
    )


def _intro(report: Any, lang: str) -> str:
    t = report.table
    kind = report.kind
    ci = str(t["ci_method"].iloc[0]) if len(t) else ""
    level = float(t["level"].iloc[0]) if len(t) else 0.95
    if kind == "csat":
        lo, hi = t.attrs.get("top_box", (4, 5))
        return tr(_T["intro"][kind], lang, ci=ci, level=level, lo=lo, hi=hi)
    if kind == "ces":
        return tr(_T["intro"][kind], lang, ci=ci, level=level, lo=t.attrs.get("agree_from", 5))
    return tr(_T["intro"][kind], lang, ci=ci, level=level)


def render(report: Any, fmt: Format, lang: str) -> str:
    """Render a :class:`kundfokus.scores.ScoreReport` as text, CSV, JSON or HTML."""
    kind = report.kind
    if fmt is Format.json:
        payload = {
            "score": kind,
            "groups": records(report.table),
            "comparison": records(report.comparison)[0] if report.comparison is not None else None,
            "warnings": report.warnings(lang),
        }
        return to_json(payload)
    if fmt is Format.csv:
        return report.table.to_csv(index=False)
    if fmt is Format.html:
        from kundfokus.reports import Chart, Section, Table, render_report
        from kundfokus.scores.charts import score_chart

        sections = [
            Section(
                tr(_T["results"], lang),
                paragraphs=[_intro(report, lang)],
                tables=[Table(_visible(report.table, kind), float_digits=2)],
                charts=[Chart(score_chart(report.table, lang=lang))],
            )
        ]
        if report.comparison is not None:
            sections.append(
                Section(
                    tr(_T["compare"], lang), paragraphs=[_comparison_text(report.comparison, lang)]
                )
            )
        warnings = report.warnings(lang)
        if warnings:
            sections.append(Section(tr(_T["warnings"], lang), bullets=warnings))
        return render_report(tr(_T["title"][kind], lang), sections, lang=lang)
    lines = [tr(_T["title"][kind], lang), _intro(report, lang), ""]
    lines.append(frame_text(_visible(report.table, kind), float_digits=2))
    if report.comparison is not None:
        lines += ["", _comparison_text(report.comparison, lang)]
    warnings = report.warnings(lang)
    if warnings:
        lines += ["", tr(_T["warnings"], lang) + ":"] + [f"- {w}" for w in warnings]
    return "\n".join(lines)


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
    from kundfokus.scores import analyze

    data = _read(file)
    try:
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
            invalid="missing" if invalid_as_missing else "raise",
            paired=paired,
            respondent=respondent,
            scale=_parse_scale(scale),
            n_boot=n_boot,
            seed=seed,
        )
    except InputError as err:
        raise err.with_file(str(file)) from None
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
