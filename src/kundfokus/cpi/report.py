"""The CPI report for people: plain text, report sections, HTML and a chart, in Swedish and English.

:func:`cpi_text` and :func:`cpi_html` render a :class:`~kundfokus.cpi.compute.CpiReport`;
:func:`cpi_records` is the JSON contract of ``kundfokus cpi compute --format json`` (an array of
the table's rows); :func:`cpi_chart` is a Vega-Lite spec of the share of journeys meeting each CPI's
target (or succeeding, for shares). Swedish output uses a decimal comma and ``83 %``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from kundfokus.i18n import tr
from kundfokus.reports import Chart, Section, Table, frame_text, render_report
from kundfokus.serialize import records

if TYPE_CHECKING:
    from kundfokus.cpi.compute import CpiReport

__all__ = [
    "cpi_chart",
    "cpi_display_table",
    "cpi_html",
    "cpi_records",
    "cpi_sections",
    "cpi_text",
    "format_number",
    "format_share",
]

_T = {
    "title": {
        "en": "Customer performance indicators (CPIs)",
        "sv": "Kundprestationsindikatorer (CPI:er)",
    },
    "intro": {
        "en": "{journeys} journeys, {events} events, data up to {end}. Durations are Kaplan-Meier "
        "medians with open journeys censored at the end of the data; intervals {level}.",
        "sv": "{journeys} resor, {events} händelser, data till och med {end}. Tider är "
        "Kaplan-Meier-medianer där öppna resor censureras vid datans slut; intervall {level}.",
    },
    "results": {"en": "Results", "sv": "Resultat"},
    "outcomes": {"en": "What each CPI measures", "sv": "Vad varje CPI mäter"},
    "warnings": {"en": "Warnings", "sv": "Varningar"},
    "cpi": {"en": "CPI", "sv": "CPI"},
    "group": {"en": "group", "sv": "grupp"},
    "period": {"en": "period", "sv": "period"},
    "n": {"en": "journeys", "sv": "resor"},
    "open": {"en": "open", "sv": "öppna"},
    "value": {"en": "value", "sv": "värde"},
    "ci": {"en": "interval", "sv": "intervall"},
    "target": {"en": "target", "sv": "mål"},
    "meeting": {"en": "meeting target", "sv": "når målet"},
    "trend": {"en": "trend", "sv": "trend"},
    "stat": {"en": "measure", "sv": "mått"},
    "median": {"en": "median", "sv": "median"},
    "mean": {"en": "mean", "sv": "medel"},
    "share": {"en": "share", "sv": "andel"},
    "chart": {
        "en": "Share of journeys meeting the target ({level} interval for shares)",
        "sv": "Andel resor som når målet ({level} intervall för andelar)",
    },
    "chart_x": {"en": "Share of journeys", "sv": "Andel resor"},
    "not_reached": {"en": "not reached yet", "sv": "ej nådd än"},
    "pp": {"en": "pp", "sv": "p.e."},
}

_SHORT_UNITS = {"seconds": "s", "minutes": "min", "hours": "h", "days": "d"}
#: Swedish names of the units the bundled CPIs use (a team's own units are shown as written).
_UNITS_SV = {
    "contacts": "kontakter", "switches": "byten", "hand-overs": "överlämningar",
    "share yes": "andel ja", "events": "händelser", "journeys": "resor",
}  # fmt: skip


def _unit(row: pd.Series, lang: str) -> str:
    raw = str(row["unit"] or "")
    unit = _SHORT_UNITS.get(raw, raw)
    return _UNITS_SV.get(unit, unit) if lang == "sv" else unit


def _group(value: Any, lang: str) -> Any:
    """The whole data set's group label in the reader's language ("alla" in Swedish)."""
    return tr({"en": "all", "sv": "alla"}, lang) if value == "all" else value


def format_number(v: Any, digits: int = 2, lang: str = "en") -> str:
    """A number for people: ``–`` for missing, a decimal comma in Swedish.

    >>> format_number(1234.5, 1, "sv"), format_number(float("nan")), format_number(2.0, 0)
    ('1234,5', '–', '2')
    """
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "–"
    text = f"{float(v):.{digits}f}"
    return text.replace(".", ",") if lang == "sv" else text


def format_share(v: Any, lang: str = "en", digits: int = 0) -> str:
    """A share (0-1) as a percentage: ``83%`` in English, ``83 %`` in Swedish.

    >>> format_share(0.8333, "sv"), format_share(0.5), format_share(None)
    ('83 %', '50%', '–')
    """
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "–"
    text = format_number(100 * float(v), digits, lang)
    return f"{text} %" if lang == "sv" else f"{text}%"


def _digits(kind: str, stat: str) -> int:
    return 1 if kind == "duration" or stat == "median" else 2


def _with_unit(v: Any, row: pd.Series, lang: str) -> str:
    if row["kind"] == "share":
        return format_share(v, lang)
    text = format_number(v, _digits(row["kind"], row["stat"]), lang)
    unit = _unit(row, lang)
    return f"{text} {unit}".rstrip() if text != "–" else text


def _target_text(r: pd.Series, lang: str) -> str:
    v = r["target"]
    if pd.isna(v):
        return ""
    if r["kind"] == "share":
        return format_share(v, lang)
    digits = 0 if float(v).is_integer() else 2
    return f"{format_number(v, digits, lang)} {_unit(r, lang)}".rstrip()


def _trend(row: pd.Series, lang: str) -> str:
    v = row.get("trend", math.nan)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    sign = "+" if v > 0 else ""
    if row["kind"] == "share":
        return f"{sign}{format_number(100 * v, 1, lang)} {tr(_T['pp'], lang)}"
    return sign + _with_unit(v, row, lang)


def _value_text(r: pd.Series, lang: str) -> str:
    if pd.isna(r["value"]):
        return tr(_T["not_reached"], lang) if r["kind"] == "duration" and r["n"] > 0 else "–"
    return _with_unit(r["value"], r, lang)


def _interval_text(r: pd.Series, lang: str) -> str:
    if pd.isna(r["ci_low"]) and pd.isna(r["ci_high"]):
        return "–"
    if r["kind"] == "share":
        return f"{format_share(r['ci_low'], lang)}–{format_share(r['ci_high'], lang)}"
    d = _digits(r["kind"], r["stat"])
    return f"{format_number(r['ci_low'], d, lang)}–{format_number(r['ci_high'], d, lang)}"


def cpi_display_table(report: CpiReport, lang: str = "en") -> pd.DataFrame:
    """The table people read: name, group, period, journeys, open, value with unit and statistic,
    interval, target, share meeting the target and trend, all as text in ``lang``."""
    t = report.table
    out: dict[str, list[Any]] = {tr(_T["cpi"], lang): [], tr(_T["group"], lang): []}
    has_period = "period" in t.columns
    if has_period:
        out[tr(_T["period"], lang)] = []
    for c in ("n", "open", "stat", "value", "ci", "target", "meeting", "trend"):
        out[tr(_T[c], lang)] = []
    cols = list(out)
    for _, r in t.iterrows():
        vals: list[Any] = [r[f"name_{lang}"], _group(r["group"], lang)]
        if has_period:
            vals.append(r["period"])
        n_open = r["n_open"]
        vals += [
            int(r["n"]),
            "" if n_open is pd.NA or pd.isna(n_open) else int(n_open),
            tr(_T[r["stat"]], lang),
            _value_text(r, lang),
            _interval_text(r, lang),
            _target_text(r, lang),
            format_share(r["share_meeting_target"], lang),
            _trend(r, lang),
        ]
        for c, v in zip(cols, vals, strict=True):
            out[c].append(v)
    return pd.DataFrame(out)


def cpi_chart(report: CpiReport, lang: str = "en") -> dict[str, Any]:
    """Vega-Lite bars: per CPI and group, the share of journeys meeting the target (for a share
    CPI, the share itself with its interval); with periods, lines over the periods.

    >>> import pandas as pd
    >>> from kundfokus.cpi import compute_cpis
    >>> ev = pd.DataFrame({"customer_id": [1, 2], "journey_id": [1, 2], "step": ["a", "b"],
    ...                    "timestamp": ["2024-01-01 08:00", "2024-01-01 09:00"]})
    >>> rep = compute_cpis(ev, [{"id": "r", "kind": "share", "reach": {"step": "b"}}])
    >>> cpi_chart(rep)["layer"][0]["mark"]["type"]
    'bar'
    """
    import altair as alt

    t = report.table
    is_share = t["kind"] == "share"
    data = pd.DataFrame(
        {
            "cpi": t[f"name_{lang}"],
            "group": t["group"].astype(str),
            "share": t["value"].where(is_share, t["share_meeting_target"]),
            "ci_low": t["ci_low"].where(is_share),
            "ci_high": t["ci_high"].where(is_share),
            "n": t["n"],
        }
    )
    if "period_start" in t:
        data["period_start"] = pd.to_datetime(t["period_start"]).dt.strftime("%Y-%m-%d")
    data = data[data["share"].notna()]
    data = pd.DataFrame(records(data))  # NaN -> None: no bare NaN in the spec
    level = format_share(report.level, lang)
    x_title = tr(_T["chart_x"], lang)
    scale = alt.Scale(domain=[0, 1])
    base = alt.Chart(data)
    if "period_start" in data and data["period_start"].nunique() > 1:
        line = base.mark_line(point=True).encode(
            x=alt.X("period_start:T", title=tr(_T["period"], lang)),
            y=alt.Y("share:Q", title=x_title, scale=scale, axis=alt.Axis(format="%")),
            color=alt.Color("cpi:N", title=tr(_T["cpi"], lang)),
            strokeDash=alt.StrokeDash("group:N", title=tr(_T["group"], lang)),
        )
        chart = alt.layer(line)
    else:
        y = alt.Y("cpi:N", title=None, sort=None)
        bars = base.mark_bar().encode(
            y=y,
            x=alt.X("share:Q", title=x_title, scale=scale, axis=alt.Axis(format="%")),
            yOffset="group:N",
            color=alt.Color("group:N", title=tr(_T["group"], lang)),
            tooltip=["cpi:N", "group:N", alt.Tooltip("share:Q", format=".1%"), "n:Q"],
        )
        rules = base.mark_rule().encode(y=y, yOffset="group:N", x="ci_low:Q", x2="ci_high:Q")
        chart = alt.layer(bars, rules)
    return chart.properties(title=tr(_T["chart"], lang, level=level), width=460).to_dict()


def _intro(report: CpiReport, lang: str) -> str:
    end = report.end_of_data.strftime("%Y-%m-%d %H:%M") if report.end_of_data is not None else "–"
    return tr(
        _T["intro"],
        lang,
        journeys=report.n_journeys,
        events=report.n_events,
        end=end,
        level=format_share(report.level, lang),
    )


def _outcomes(report: CpiReport, lang: str) -> list[str]:
    out = []
    for c in report.cpis:
        text = c.label.get(lang)
        if c.outcome is not None:
            text += f": {c.outcome.get(lang)}"
        out.append(text)
    return out


def cpi_sections(report: CpiReport, lang: str = "en") -> list[Section]:
    """Report sections: results (intro, table, chart), what each CPI measures, the warnings."""
    sections = [
        Section(
            tr(_T["results"], lang),
            paragraphs=[_intro(report, lang)],
            tables=[Table(cpi_display_table(report, lang))],
            charts=[Chart(cpi_chart(report, lang))],
        ),
        Section(tr(_T["outcomes"], lang), bullets=_outcomes(report, lang)),
    ]
    warnings = report.warnings(lang)
    if warnings:
        sections.append(Section(tr(_T["warnings"], lang), bullets=warnings))
    return sections


def cpi_html(report: CpiReport, lang: str = "en") -> str:
    """The report as one self-contained HTML page."""
    return render_report(tr(_T["title"], lang), cpi_sections(report, lang), lang=lang)


def cpi_text(report: CpiReport, lang: str = "en") -> str:
    """The report as plain text: title, intro, table, what each CPI measures, warnings.

    >>> import pandas as pd
    >>> from kundfokus.cpi import compute_cpis
    >>> ev = pd.DataFrame({"customer_id": [1, 2], "journey_id": [1, 2], "step": ["a", "b"],
    ...                    "timestamp": ["2024-01-01 08:00", "2024-01-01 09:00"]})
    >>> rep = compute_cpis(ev, [{"id": "r", "kind": "share", "reach": {"step": "b"}}])
    >>> print(cpi_text(rep, "sv").splitlines()[0])
    Kundprestationsindikatorer (CPI:er)
    """
    lines = [tr(_T["title"], lang), _intro(report, lang), ""]
    lines.append(frame_text(cpi_display_table(report, lang)))
    lines += ["", tr(_T["outcomes"], lang) + ":"] + [f"- {o}" for o in _outcomes(report, lang)]
    warnings = report.warnings(lang)
    if warnings:
        lines += ["", tr(_T["warnings"], lang) + ":"] + [f"- {w}" for w in warnings]
    return "\n".join(lines)


def cpi_records(report: CpiReport) -> list[dict[str, Any]]:
    """The JSON contract: one object per CPI x group (x period), the table's columns as keys
    (``cpi, group, n, value, ci_low, ci_high, unit, share_meeting_target, n_open`` and more);
    missing numbers are ``null``."""
    return records(report.table)
