"""The score report for people: plain text, report sections and HTML, in Swedish and English.

:func:`score_sections` turns a :class:`~kundfokus.scores.analysis.ScoreReport` into
:class:`kundfokus.reports.Section` objects (the table with a chart, the comparison of two groups or
periods, the warnings); :func:`score_html` renders them as one page and :func:`score_text` gives the
same content for a terminal. :func:`score_dict` is the JSON contract of ``kundfokus scores``
(see docs/scores.md). :data:`TEST_NAMES` holds the names of the statistical tests in both languages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from kundfokus.i18n import tr
from kundfokus.reports import Chart, Section, Table, frame_text, render_report
from kundfokus.scores.charts import score_chart
from kundfokus.serialize import records

if TYPE_CHECKING:
    from kundfokus.scores.analysis import ScoreReport

__all__ = [
    "TEST_NAMES",
    "comparison_text",
    "intro_text",
    "score_dict",
    "score_html",
    "score_sections",
    "score_table",
    "score_text",
    "score_title",
]

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

#: The statistical tests of :mod:`kundfokus.scores.comparisons` (their ``test`` column), for readers.
TEST_NAMES: dict[str, dict[str, str]] = {
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

#: The columns shown for people, per score (after group/period and n).
_COLUMNS = {
    "nps": ["promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high"],
    "csat": ["satisfied", "csat", "ci_low", "ci_high", "mean_score"],
    "ces": ["mean_score", "ci_low", "ci_high", "pct_agree", "agree_ci_low", "agree_ci_high"],
}


def score_title(kind: str, lang: str = "en") -> str:
    """The heading of a score report.

    >>> score_title("csat", "sv")
    'Kundnöjdhet (CSAT)'
    """
    return tr(_T["title"][kind], lang)


def score_table(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The columns of a score table that people read: keys, n, the measure, its interval, the
    small-sample flag and the counts of left-out answers when there are any."""
    keys = [c for c in ("group", "period") if c in table.columns]
    cols = [*keys, "n", *_COLUMNS[kind], "small_sample"]
    extra = [c for c in ("n_missing", "n_invalid") if c in table and table[c].sum() > 0]
    return table[cols + extra]


def comparison_text(comparison: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the difference of the two rows: estimate, test, statistic, p and interval."""
    r = comparison.iloc[0]
    stat = str(r["statistic"])
    return tr(
        _T["comparison"],
        lang,
        a=r["group_1"],
        b=r["group_2"],
        diff=r["difference"],
        test=tr(TEST_NAMES[r["test"]], lang) if r["test"] in TEST_NAMES else r["test"],
        stat=stat,
        value=r[stat],
        p=r["p_value"],
        level=r["level"],
        lo=r["ci_low"],
        hi=r["ci_high"],
    )


def intro_text(report: ScoreReport, lang: str = "en") -> str:
    """What the score means, on which scale, and which interval is shown."""
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


def score_sections(report: ScoreReport, lang: str = "en") -> list[Section]:
    """Report sections: results (text, table, chart), the comparison if any, the warnings if any.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.scores import analyze
    >>> answers = pd.DataFrame({"s": [10, 9, 3, 8] * 20, "g": ["x", "y"] * 40})
    >>> rep = analyze("nps", answers, "s", by="g")
    >>> [s.title for s in score_sections(rep, "sv")]
    ['Resultat', 'Jämförelse']
    """
    sections = [
        Section(
            tr(_T["results"], lang),
            paragraphs=[intro_text(report, lang)],
            tables=[Table(score_table(report.table, report.kind), float_digits=2)],
            charts=[Chart(score_chart(report.table, lang=lang))],
        )
    ]
    if report.comparison is not None:
        sections.append(
            Section(tr(_T["compare"], lang), paragraphs=[comparison_text(report.comparison, lang)])
        )
    warnings = report.warnings(lang)
    if warnings:
        sections.append(Section(tr(_T["warnings"], lang), bullets=warnings))
    return sections


def score_html(report: ScoreReport, lang: str = "en") -> str:
    """The report as one self-contained HTML page."""
    return render_report(score_title(report.kind, lang), score_sections(report, lang), lang=lang)


def score_text(report: ScoreReport, lang: str = "en") -> str:
    """The report as plain text for a terminal: title, what the score means, table, comparison,
    warnings.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.scores import analyze
    >>> rep = analyze("nps", pd.DataFrame({"s": [10, 9, 3, 8] * 10}), "s", ci="wald")
    >>> print(score_text(rep).splitlines()[0])
    Net Promoter Score
    """
    lines = [score_title(report.kind, lang), intro_text(report, lang), ""]
    lines.append(frame_text(score_table(report.table, report.kind), float_digits=2, lang=lang))
    if report.comparison is not None:
        lines += ["", comparison_text(report.comparison, lang)]
    warnings = report.warnings(lang)
    if warnings:
        lines += ["", tr(_T["warnings"], lang) + ":"] + [f"- {w}" for w in warnings]
    return "\n".join(lines)


def score_dict(report: ScoreReport, lang: str = "en") -> dict[str, Any]:
    """The JSON contract: ``{"score", "groups": [...], "comparison": {...} or None, "warnings"}``.

    >>> import pandas as pd
    >>> from kundfokus.scores import analyze
    >>> d = score_dict(analyze("csat", pd.DataFrame({"s": [5, 4, 2]}), "s"))
    >>> d["score"], len(d["groups"]), d["comparison"]
    ('csat', 1, None)
    """
    return {
        "score": report.kind,
        "groups": records(report.table),
        "comparison": records(report.comparison)[0] if report.comparison is not None else None,
        "warnings": report.warnings(lang),
    }
