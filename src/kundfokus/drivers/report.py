"""The driver report for people: plain text, a CSV table, HTML with a bar chart, in Swedish and
English. :func:`drivers_dict` is the JSON contract of ``kundfokus drivers`` (see docs/drivers.md).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from kundfokus.drivers.analysis import NOTE
from kundfokus.i18n import tr
from kundfokus.reports import Chart, Section, Table, frame_text, render_report

if TYPE_CHECKING:
    from kundfokus.drivers.analysis import DriverReport, DriverResult

__all__ = [
    "drivers_chart",
    "drivers_csv_table",
    "drivers_dict",
    "drivers_html",
    "drivers_text",
    "summary",
]

_T = {
    "title": {
        "en": "What moves {outcome}: driver analysis",
        "sv": "Vad som driver {outcome}: drivkraftsanalys",
    },
    "model": {
        "r2": {
            "en": "Linear regression (ordinary least squares); R² is the share of the variation "
            "in {outcome} that the drivers together account for.",
            "sv": "Linjär regression (minsta kvadrat); R² är den andel av variationen i {outcome} "
            "som drivkrafterna tillsammans står för.",
        },
        "mcfadden": {
            "en": "Logistic regression for the binary outcome {outcome} (event: {event}); the fit "
            "is McFadden's pseudo-R² (1 - log-likelihood / that of a model without drivers), which "
            "is lower than a linear R² for an equally good model: 0.2 to 0.4 is a good fit.",
            "sv": "Logistisk regression för det binära utfallet {outcome} (händelse: {event}); "
            "anpassningen är McFaddens pseudo-R² (1 - log-likelihood / den för en modell utan "
            "drivkrafter), som är lägre än ett linjärt R² för en lika bra modell: 0,2 till 0,4 är "
            "en god anpassning.",
        },
    },
    "explain": {
        "en": "These drivers explain {r2} of the variation in {outcome}{ci}; {top} explains most "
        "({points} of the {total} points){rest}.",
        "sv": "De här drivkrafterna förklarar {r2} av variationen i {outcome}{ci}; {top} förklarar "
        "mest ({points} av de {total} procentenheterna){rest}.",
    },
    "ci": {
        "en": " ({kind}; {level} interval {lo} to {hi}; n = {n})",
        "sv": " ({kind}; {level} intervall {lo} till {hi}; n = {n})",
    },
    "n_only": {"en": " ({kind}; n = {n})", "sv": " ({kind}; n = {n})"},
    "then": {"en": ", then {name} ({points})", "sv": ", därefter {name} ({points})"},
    "read": {
        "en": "How to read it: 'points' is the driver's Shapley value (LMG) times 100, the part of "
        "R² it adds on average over every order in which the drivers could enter the model; the "
        "points of all drivers add up to R². 'share' is points / R². The interval is a bootstrap "
        "interval of the points. 'weight' is Johnson's relative weight, a second estimate that "
        "should be close. 'sign' is the direction in the full model (+: more of the driver goes "
        "with a higher {outcome}); a categorical driver has no single direction.",
        "sv": "Så läser du: 'poäng' är drivkraftens Shapley-värde (LMG) gånger 100, den del av R² "
        "den i genomsnitt tillför över alla ordningar som drivkrafterna kan tas in i modellen; "
        "alla drivkrafters poäng summeras till R². 'andel' är poäng / R². Intervallet är ett "
        "bootstrapintervall för poängen. 'vikt' är Johnsons relativa vikt, en andra skattning "
        "som bör ligga nära. 'tecken' är riktningen i hela modellen (+: mer av drivkraften hänger "
        "ihop med högre {outcome}); en kategorisk drivkraft har ingen enskild riktning.",
    },
    "group": {"en": "Group {group}", "sv": "Grupp {group}"},
    "results": {"en": "Results", "sv": "Resultat"},
    "reading": {"en": "How to read it", "sv": "Så läser du"},
    "warnings": {"en": "Warnings", "sv": "Varningar"},
    "col": {
        "driver": {"en": "driver", "sv": "drivkraft"},
        "points": {"en": "points", "sv": "poäng"},
        "share": {"en": "share", "sv": "andel"},
        "interval": {"en": "interval", "sv": "intervall"},
        "weight": {"en": "weight", "sv": "vikt"},
        "sign": {"en": "sign", "sv": "tecken"},
    },
    "chart_title": {
        "en": "Points of {kind} per driver, with {level} interval",
        "sv": "Poäng av {kind} per drivkraft, med {level} intervall",
    },
    "chart_x": {
        "en": "Points of {kind} (Shapley value x 100)",
        "sv": "Poäng av {kind} (Shapley-värde x 100)",
    },
}


def _kind(r2_kind: str, lang: str) -> str:
    return "R²" if r2_kind == "r2" else tr({"en": "pseudo-R²", "sv": "pseudo-R²"}, lang)


def _pct(v: float, lang: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{round(100 * v)}%" if lang == "en" else f"{round(100 * v)} %"


def _num(v: Any, lang: str, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    text = f"{float(v):.{digits}f}"
    return text.replace(".", ",").replace("-", "−") if lang == "sv" else text


def _count(n: int, lang: str) -> str:
    return f"{n:,}" if lang == "en" else f"{n:,}".replace(",", "\u00a0")


def summary(report: DriverReport, result: DriverResult, lang: str = "en") -> str:
    """The one-paragraph answer: how much the drivers explain and which explains most.

    >>> import numpy as np, pandas as pd
    >>> from kundfokus.drivers import driver_analysis
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"wait": rng.normal(size=200), "other": rng.normal(size=200)})
    >>> df["nps"] = 8 - df["wait"] + rng.normal(0, 1, 200)
    >>> rep = driver_analysis(df, "nps", ["wait", "other"], n_boot=0)
    >>> print(summary(rep, rep.results[0], "sv"))  # doctest: +ELLIPSIS
    De här drivkrafterna förklarar ... % av variationen i nps (R²; n = 200); wait förklarar mest ...
    """
    t = result.table.sort_values("shapley", ascending=False, kind="stable")
    top = t.iloc[0]
    rest = "".join(
        tr(_T["then"], lang, name=r["driver"], points=_num(100 * r["shapley"], lang, 0))
        for _, r in t.iloc[1:3].iterrows()
    )
    kind = (
        "R²"
        if report.r2_kind == "r2"
        else tr({"en": "McFadden's pseudo-R²", "sv": "McFaddens pseudo-R²"}, lang)
    )
    if result.r2_ci_low is not None:
        ci = tr(
            _T["ci"],
            lang,
            level=_pct(report.level, lang),
            lo=_pct(result.r2_ci_low, lang),
            hi=_pct(result.r2_ci_high, lang),
            n=_count(result.n, lang),
            kind=kind,
        )
    else:
        ci = tr(_T["n_only"], lang, n=_count(result.n, lang), kind=kind)
    return tr(
        _T["explain"],
        lang,
        r2=_pct(result.r2, lang),
        outcome=report.outcome,
        ci=ci,
        top=top["driver"],
        points=_num(100 * top["shapley"], lang, 0),
        total=_num(100 * result.r2, lang, 0),
        rest=rest,
    )


def _people_table(result: DriverResult, lang: str) -> pd.DataFrame:
    t = result.table.sort_values("shapley", ascending=False, kind="stable")
    c = _T["col"]
    return pd.DataFrame(
        {
            tr(c["driver"], lang): t["driver"].to_list(),
            tr(c["points"], lang): [_num(100 * v, lang, 1) for v in t["shapley"]],
            tr(c["share"], lang): [_pct(v, lang) for v in t["share"]],
            tr(c["interval"], lang): [
                f"{_num(100 * lo, lang, 1)} – {_num(100 * hi, lang, 1)}"
                if lo == lo and lo is not None
                else "–"
                for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
            tr(c["weight"], lang): [_num(100 * v, lang, 1) for v in t["relative_weight"]],
            tr(c["sign"], lang): [s if isinstance(s, str) else "–" for s in t["sign"]],
        }
    )


def _model_text(report: DriverReport, result: DriverResult, lang: str) -> str:
    return tr(_T["model"][report.r2_kind], lang, outcome=report.outcome, event=result.event)


def drivers_text(report: DriverReport, lang: str = "en") -> str:
    """The report as plain text for a terminal."""
    lines = [tr(_T["title"], lang, outcome=report.outcome), ""]
    for r in report.results:
        if report.by is not None:
            lines.append(tr(_T["group"], lang, group=r.group) + ":")
        lines.append(summary(report, r, lang))
        lines.append(frame_text(_people_table(r, lang)))
        lines.append("")
    lines.append(_model_text(report, report.results[0], lang))
    lines.append(tr(_T["read"], lang, outcome=report.outcome))
    lines.append(tr(NOTE, lang))
    warnings = report.warnings(lang)
    if warnings:
        lines += ["", tr(_T["warnings"], lang) + ":"] + [f"- {w}" for w in warnings]
    return "\n".join(lines)


def drivers_chart(report: DriverReport, result: DriverResult, lang: str = "en") -> dict[str, Any]:
    """Bars of each driver's points of R² (Shapley value x 100) with its bootstrap interval.

    >>> import numpy as np, pandas as pd
    >>> from kundfokus.drivers import driver_analysis
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    >>> df["y"] = df["a"] + rng.normal(size=60)
    >>> rep = driver_analysis(df, "y", ["a", "b"], n_boot=20)
    >>> spec = drivers_chart(rep, rep.results[0])
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'rule']
    """
    t = result.table
    data = pd.DataFrame(
        {
            "driver": t["driver"],
            "points": 100 * t["shapley"],
            "share": 100 * t["share"],
            "low": 100 * t["ci_low"],
            "high": 100 * t["ci_high"],
        }
    )
    data = data.astype(object).where(data.notna(), None)
    kind = _kind(report.r2_kind, lang)
    y = alt.Y("driver:N", sort="-x", title=tr(_T["col"]["driver"], lang))
    x_title = tr(_T["chart_x"], lang, kind=kind)
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("points:Q", title=x_title),
        tooltip=[
            alt.Tooltip("driver:N", title=tr(_T["col"]["driver"], lang)),
            alt.Tooltip("points:Q", title=tr(_T["col"]["points"], lang), format=".1f"),
            alt.Tooltip("share:Q", title=tr(_T["col"]["share"], lang) + " %", format=".0f"),
            alt.Tooltip("low:Q", format=".1f"),
            alt.Tooltip("high:Q", format=".1f"),
        ],
    )
    layers = [bars]
    if result.r2_ci_low is not None:
        layers.append(base.mark_rule(strokeWidth=2, color="black").encode(y=y, x="low:Q",
                                                                          x2="high:Q"))  # fmt: skip
    else:
        layers.append(base.mark_rule(opacity=0).encode(y=y, x="points:Q"))
    title = tr(_T["chart_title"], lang, kind=kind, level=_pct(report.level, lang))
    if report.by is not None:
        title = f"{title}: {result.group}"
    return alt.layer(*layers).properties(title=title, width=460).to_dict()


def drivers_sections(report: DriverReport, lang: str = "en") -> list[Section]:
    sections = []
    for r in report.results:
        title = (
            tr(_T["group"], lang, group=r.group)
            if report.by is not None
            else tr(_T["results"], lang)
        )
        sections.append(
            Section(
                title,
                paragraphs=[summary(report, r, lang), tr(NOTE, lang)],
                tables=[Table(_people_table(r, lang))],
                charts=[Chart(drivers_chart(report, r, lang))],
            )
        )
    sections.append(
        Section(
            tr(_T["reading"], lang),
            paragraphs=[
                _model_text(report, report.results[0], lang),
                tr(_T["read"], lang, outcome=report.outcome),
                tr(NOTE, lang),
            ],
        )
    )
    warnings = report.warnings(lang)
    if warnings:
        sections.append(Section(tr(_T["warnings"], lang), bullets=warnings))
    return sections


def drivers_html(report: DriverReport, lang: str = "en") -> str:
    """The report as one self-contained HTML page with a bar chart per group."""
    return render_report(
        tr(_T["title"], lang, outcome=report.outcome), drivers_sections(report, lang), lang=lang
    )


def drivers_csv_table(report: DriverReport) -> pd.DataFrame:
    """One row per (group and) driver with every number, for ``--format csv``."""
    return report.table


def drivers_dict(report: DriverReport, lang: str = "en") -> dict[str, Any]:
    """The JSON contract (see :meth:`kundfokus.drivers.DriverReport.to_dict`)."""
    return report.to_dict(lang)
