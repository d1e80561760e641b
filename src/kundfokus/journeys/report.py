"""The journey map as text, JSON-ready dict and HTML, in English or Swedish."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kundfokus.i18n import tr
from kundfokus.journeys.map import JourneyMap

_T = {
    "title": {"en": "Journey map", "sv": "Kundresekarta"},
    "summary": {
        "en": "{n_events} events in {n_journeys} journeys; {n_ended} ended, {n_open} open, "
        "{n_dropped} stopped early or without an end step; data until {end}.",
        "sv": "{n_events} händelser i {n_journeys} kundresor; {n_ended} avslutade, {n_open} "
        "öppna, {n_dropped} avbrutna eller utan slutsteg; data till {end}.",
    },
    "steps": {"en": "Steps", "sv": "Steg"},
    "transitions": {
        "en": "Transitions (hours between steps)",
        "sv": "Övergångar (timmar mellan steg)",
    },
    "variants": {"en": "Most common paths", "sv": "Vanligaste vägarna"},
    "repeats": {
        "en": "Repeat contacts (same customer, same reason, within {d} days)",
        "sv": "Återkommande kontakter (samma kund, samma orsak, inom {d} dagar)",
    },
    "none": {"en": "(none)", "sv": "(inga)"},
    "open_note": {
        "en": "Open journeys (no end step yet) are counted as open, not as drop-off.",
        "sv": "Öppna kundresor (inget slutsteg än) räknas som öppna, inte som avhopp.",
    },
    "no_end": {
        "en": "No end steps given: every journey's last step counts as where it stopped "
        "(give --end-steps to tell endings from drop-off).",
        "sv": "Inga slutsteg angivna: varje kundresas sista steg räknas som där den slutade "
        "(ange --end-steps för att skilja avslut från avhopp).",
    },
}

_HEAD = {
    "group": {"en": "group", "sv": "grupp"},
    "step": {"en": "step", "sv": "steg"},
    "n_events": {"en": "events", "sv": "händelser"},
    "n_journeys": {"en": "journeys", "sv": "kundresor"},
    "n_ended": {"en": "ended", "sv": "avslutade"},
    "n_open": {"en": "open", "sv": "öppna"},
    "n_dropped": {"en": "dropped", "sv": "avhopp"},
    "drop_off": {"en": "drop-off", "sv": "avhoppsandel"},
    "from_step": {"en": "from", "sv": "från"},
    "to_step": {"en": "to", "sv": "till"},
    "n": {"en": "n", "sv": "antal"},
    "median_hours": {"en": "median h", "sv": "median h"},
    "p90_hours": {"en": "p90 h", "sv": "p90 h"},
    "rank": {"en": "#", "sv": "#"},
    "path": {"en": "path", "sv": "väg"},
    "share": {"en": "share", "sv": "andel"},
    "reason": {"en": "reason", "sv": "orsak"},
    "n_customers": {"en": "customers", "sv": "kunder"},
    "n_repeats": {"en": "repeats", "sv": "återkommande"},
    "repeat_share": {"en": "repeat share", "sv": "andel återkommande"},
    "n_customers_repeating": {"en": "customers repeating", "sv": "kunder som återkommer"},
}

_SHARES = ("drop_off", "share", "repeat_share")
_HOURS = ("median_hours", "p90_hours")


def map_dict(m: JourneyMap) -> dict[str, Any]:
    """The JSON object of ``kundfokus journeys map --format json``."""
    return m.to_dict()


def _pct(v: Any, lang: str) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    text = f"{100 * float(v):.1f}"
    return (text.replace(".", ",") + " %") if lang == "sv" else text + "%"


def _hours(v: Any, lang: str) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    text = f"{float(v):.2f}"
    return text.replace(".", ",") if lang == "sv" else text


def display_table(t: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table with shares as percentages, hours with two decimals and translated headers."""
    out = t.copy()
    for c in out.columns:
        if c in _SHARES:
            out[c] = [_pct(v, lang) for v in out[c]]
        elif c in _HOURS:
            out[c] = [_hours(v, lang) for v in out[c]]
        elif c == "group":
            out[c] = ["–" if v is None else str(v) for v in out[c]]
    return out.rename(columns={c: tr(_HEAD[c], lang) for c in out.columns if c in _HEAD})


def _summary(m: JourneyMap, lang: str) -> str:
    end = "–" if m.data_end is None else m.data_end.isoformat(sep=" ")
    text = tr(_T["summary"], lang, n_events=m.n_events, n_journeys=m.n_journeys,
              n_ended=m.n_ended, n_open=m.n_open, n_dropped=m.n_dropped, end=end)  # fmt: skip
    note = tr(_T["open_note"] if m.end_steps else _T["no_end"], lang)
    return f"{text}\n{note}"


def _sections(m: JourneyMap, lang: str) -> list[tuple[str, pd.DataFrame]]:
    return [
        (tr(_T["steps"], lang), m.steps),
        (tr(_T["transitions"], lang), m.transitions),
        (tr(_T["variants"], lang), m.variants),
        (tr(_T["repeats"], lang, d=_days(m.repeat_days)), m.repeats),
    ]


def _days(d: float) -> str:
    return str(int(d)) if float(d).is_integer() else str(d)


def map_text(m: JourneyMap, lang: str = "en") -> str:
    from kundfokus.reports.text import frame_text

    parts = [tr(_T["title"], lang), _summary(m, lang)]
    for title, t in _sections(m, lang):
        body = frame_text(display_table(t, lang)) if len(t) else tr(_T["none"], lang)
        parts.append(f"\n{title}\n{body}")
    return "\n".join(parts)


def map_html(m: JourneyMap, lang: str = "en") -> str:
    from kundfokus.journeys.chart import map_chart
    from kundfokus.reports.html import Chart, Section, Table, render_report

    sections = [
        Section(
            tr(_T["title"], lang),
            paragraphs=_summary(m, lang).split("\n"),
            charts=[Chart(map_chart(m, lang=lang))] if len(m.transitions) else [],
        )
    ]
    for title, t in _sections(m, lang):
        sections.append(Section(title, tables=[Table(display_table(t, lang))] if len(t) else [],
                                paragraphs=[] if len(t) else [tr(_T["none"], lang)]))  # fmt: skip
    return render_report(tr(_T["title"], lang), sections, lang=lang)
