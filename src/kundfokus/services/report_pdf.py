"""The leadership report as a PDF: every panel of :func:`kundfokus.services.dashboard.dashboard`
on paper, rendered offline (no browser, no network).

:func:`report_pdf` computes the dashboard for one period grain, language and filter set and lays
it out with reportlab: a title page (organisation, period, filters, date), then one section per
panel with its sentences, its notes, a small table of its figures and its charts (Vega-Lite specs
drawn to PNG by vl-convert). :func:`render_pdf` does the layout of data already computed.

The sections follow the panels the data has: ``kpis`` (scores with their 95 % intervals and the
change since the previous period), ``needs`` (Kano priorities, under-served ODI outcomes),
``contacts``, ``cpis``, ``goals`` and ``voice``. A panel this module does not know yet (one added to
the dashboard later) still gets a section: its sentences, notes and tables of flat rows. An empty
or missing panel gets its notes, never an error.

The text uses Bitstream Vera (shipped with reportlab) embedded in the file, so Swedish letters,
the minus sign (−) and quotation marks print as they do on the page.

>>> pdf = render_pdf({"meta": {"period": "month", "filters": {}}}, "en")
>>> pdf[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from kundfokus.i18n import check_lang, tr
from kundfokus.serialize import json_safe

__all__ = ["KNOWN_PANELS", "chart_specs", "render_pdf", "report_pdf"]

log = logging.getLogger("kundfokus.report")

#: The panels with a layout of their own, in the order of the report.
KNOWN_PANELS: tuple[str, ...] = ("kpis", "needs", "contacts", "cpis", "goals", "voice")

_T: dict[str, dict[str, str]] = {
    "title": {"en": "Leadership report", "sv": "Rapport för ledningen"},
    "organisation": {"en": "Organisation", "sv": "Organisation"},
    "period": {"en": "Period grain", "sv": "Period"},
    "period_week": {"en": "week by week", "sv": "vecka för vecka"},
    "period_month": {"en": "month by month", "sv": "månad för månad"},
    "period_quarter": {"en": "quarter by quarter", "sv": "kvartal för kvartal"},
    "filters": {"en": "Filters", "sv": "Filter"},
    "by": {"en": "Scores per group", "sv": "Mått per grupp"},
    "everything": {"en": "none (everything)", "sv": "inga (allt)"},
    "date": {"en": "Date", "sv": "Datum"},
    "generated": {"en": "Figures computed", "sv": "Siffrorna beräknade"},
    "no_data": {
        "en": "There is no data yet: no survey answers, contacts, journey events or goals are "
        "stored. Once they are, this report shows them.",
        "sv": "Det finns inga data än: inga enkätsvar, kontakter, resehändelser eller mål är "
        "sparade. När de finns visar rapporten dem.",
    },
    "about": {
        "en": "What the customers say and do, from the kundfokus store: the same figures as the "
        "leadership dashboard. Each figure comes with its 95 % interval (the range the true value "
        "is likely in); a change is called real only when chance rarely explains it.",
        "sv": "Vad kunderna säger och gör, från kundfokus lagring: samma siffror som översikten "
        "för ledningen. Varje siffra har sitt 95 %-intervall (där det sanna värdet troligen "
        "ligger); en förändring kallas verklig bara när slumpen sällan förklarar den.",
    },
    "page": {"en": "page {n}", "sv": "sida {n}"},
    "kpis": {"en": "Scores", "sv": "Mått"},
    "needs": {"en": "Needs", "sv": "Behov"},
    "contacts": {"en": "Contacts", "sv": "Kontakter"},
    "cpis": {"en": "Journey indicators (CPI)", "sv": "Resemått (CPI)"},
    "goals": {"en": "Goals", "sv": "Mål"},
    "voice": {"en": "The customer's voice", "sv": "Kundens röst"},
    "kano": {"en": "Kano priorities", "sv": "Kano-prioriteringar"},
    "odi": {"en": "Under-served outcomes (ODI)", "sv": "Undertillgodosedda utfall (ODI)"},
    "measure": {"en": "Measure", "sv": "Mått"},
    "value": {"en": "Value", "sv": "Värde"},
    "interval": {"en": "95% interval", "sv": "95 %-intervall"},
    "answers": {"en": "Answers", "sv": "Svar"},
    "trend": {"en": "Since the previous period", "sv": "Sedan förra perioden"},
    "trend_up": {"en": "up {d} ({sig})", "sv": "upp {d} ({sig})"},
    "trend_down": {"en": "down {d} ({sig})", "sv": "ned {d} ({sig})"},
    "sig": {"en": "real change", "sv": "verklig förändring"},
    "ns": {"en": "could be chance", "sv": "kan vara slump"},
    "no_trend": {"en": "not yet", "sv": "inte än"},
    "groups": {"en": "{kind} per {by}", "sv": "{kind} per {by}"},
    "group": {"en": "Group", "sv": "Grupp"},
    "low_voice": {
        "en": "What unhappy {kind} respondents wrote",
        "sv": "Vad missnöjda {kind}-svarande skrev",
    },
    "chart_trend": {"en": "{kind} {period}", "sv": "{kind} {period}"},
    "chart_kano": {
        "en": "Share dissatisfied without the feature",
        "sv": "Andel missnöjda utan funktionen",
    },
    "chart_odi": {"en": "Opportunity score", "sv": "Möjlighetspoäng"},
    "chart_time": {"en": "Contacts {period}", "sv": "Kontakter {period}"},
    "chart_purpose": {"en": "Contacts by purpose", "sv": "Kontakter per typ"},
    "chart_reason": {"en": "Contacts by reason", "sv": "Kontakter per orsak"},
    "chart_channel": {"en": "Contacts by channel", "sv": "Kontakter per kanal"},
    "chart_situation": {"en": "Contacts by situation", "sv": "Kontakter per situation"},
    "chart_cpis": {
        "en": "Share of journeys meeting the target",
        "sv": "Andel resor som når målet",
    },
    "count": {"en": "Number", "sv": "Antal"},
    "share": {"en": "Share", "sv": "Andel"},
    "period_axis": {"en": "Period", "sv": "Period"},
    "n_contacts": {"en": "{n} contacts.", "sv": "{n} kontakter."},
    "cpi": {"en": "Indicator", "sv": "Mått"},
    "target": {"en": "Target", "sv": "Mål"},
    "meets": {"en": "Meets target", "sv": "Når målet"},
    "yes": {"en": "yes", "sv": "ja"},
    "no": {"en": "no", "sv": "nej"},
    "goal": {"en": "Goal", "sv": "Mål"},
    "owner": {"en": "Owner", "sv": "Ägare"},
    "progress": {"en": "Progress", "sv": "Framsteg"},
    "on_track": {"en": "On track", "sv": "I fas"},
    "due": {"en": "Due", "sv": "Klart"},
    "journeys": {
        "en": "{j} journeys, {e} events.",
        "sv": "{j} resor, {e} händelser.",
    },
    "panel_failed": {
        "en": "This part could not be drawn ({error}); the other parts are complete.",
        "sv": "Den här delen kunde inte ritas ({error}); de andra delarna är fullständiga.",
    },
    "chart_failed": {
        "en": "The chart “{title}” could not be drawn ({error}).",
        "sv": "Diagrammet ”{title}” kunde inte ritas ({error}).",
    },
}
_CAT = {
    "M": {"en": "must-be", "sv": "baskrav"},
    "O": {"en": "performance", "sv": "prestanda"},
    "A": {"en": "attractive", "sv": "attraktiv"},
    "I": {"en": "indifferent", "sv": "likgiltig"},
    "R": {"en": "reverse", "sv": "omvänd"},
    "Q": {"en": "questionable", "sv": "tveksam"},
}
_PURPOSE = {
    "problem": {"en": "problem", "sv": "problem"},
    "question": {"en": "question", "sv": "fråga"},
    "intent": {"en": "intent", "sv": "avsikt"},
    "need": {"en": "need", "sv": "behov"},
    "feedback": {"en": "feedback", "sv": "synpunkt"},
    "praise": {"en": "praise", "sv": "beröm"},
    "complaint": {"en": "complaint", "sv": "klagomål"},
}
_COLOURS = {"M": "#a4161a", "O": "#0b5cad", "A": "#1a7f37", "I": "#6e7781", "R": "#8250df"}
_BLUE = "#0b5cad"
#: Characters the embedded font lacks, and what prints instead.
_SUBSTITUTES = {"→": "->", "←": "<-", "✓": "ja", "✗": "x", "\u00a0": " ", "\u202f": " "}
_MAX_ROWS = 25


def _word(table: Mapping[str, Mapping[str, str]], key: Any, lang: str, default: Any = None) -> str:
    """``table[key]`` in ``lang``; the key itself (or ``default``) when the table lacks it."""
    text = table.get(key) if isinstance(key, str) else None
    if text and text.get(lang):
        return text[lang]
    return str(key if default is None else default)


def _category(code: Any, lang: str) -> str:
    """A Kano category in words; a tie such as ``A/I`` as ``attractive/indifferent``."""
    return "/".join(_word(_CAT, part, lang) for part in str(code).split("/"))


def _num(value: Any, lang: str, digits: int = 1, sign: bool = False) -> str:
    from kundfokus.services.dashboard import _num as num

    return num(value, lang, digits, sign)


# --------------------------------------------------------------------------------------------------
# Charts: Vega-Lite specifications of the panels (drawn to PNG with vl-convert)


def _bars(rows: list[dict[str, Any]], title: str, x_title: str, colour: str = _BLUE) -> dict:
    return {
        "title": title,
        "width": 380,
        "height": {"step": 20},
        "data": {"values": rows},
        "mark": {"type": "bar", "color": colour},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": "-x", "title": None,
                  "axis": {"labelLimit": 240}},
            "x": {"field": "n", "type": "quantitative", "title": x_title},
        },
    }  # fmt: skip


def _trend(score: Mapping[str, Any], lang: str, period: str) -> dict | None:
    rows = [p for p in score.get("periods") or [] if p.get("value") is not None]
    if not rows:
        return None
    kind = score.get("kind", "")
    domain = {"csat": [0, 100], "ces": score.get("scale")}.get(kind)
    y = {
        "field": "value",
        "type": "quantitative",
        "title": score.get("name", kind.upper()),
        "scale": {"zero": False, **({"domain": domain, "clamp": True} if domain else {})},
    }
    x = {"field": "period", "type": "ordinal", "title": tr(_T["period_axis"], lang), "sort": None}
    return {
        "title": tr(_T["chart_trend"], lang, kind=score.get("name", kind), period=period),
        "width": 380,
        "height": 170,
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "rule", "color": "#6e7781", "clip": True},
             "encoding": {"x": x, "y": {**y, "field": "ci_low"}, "y2": {"field": "ci_high"}}},
            {"mark": {"type": "line", "color": _BLUE}, "encoding": {"x": x, "y": y}},
            {"mark": {"type": "point", "size": 50, "color": _BLUE},
             "encoding": {"x": x, "y": y,
                          "fill": {"condition": {"test": "datum.complete", "value": _BLUE},
                                   "value": "#ffffff"}}},
        ],
    }  # fmt: skip


def chart_specs(data: Mapping[str, Any], panel: str, lang: str) -> list[dict[str, Any]]:
    """The Vega-Lite specifications of one panel's charts (none when it has no data)."""
    from kundfokus.services.dashboard import UNKNOWN

    period = tr(_T.get(f"period_{_meta(data).get('period')}", _T["period_month"]), lang)
    value = data.get(panel)
    if not isinstance(value, Mapping):
        return []
    specs: list[dict[str, Any] | None] = []
    if panel == "kpis":
        specs = [_trend(s, lang, period) for s in value.get("scores") or []]
    elif panel == "needs":
        feats = (value.get("kano") or {}).get("features") or []
        if feats:
            rows = [{"name": f.get("label") or f.get("feature"), "worse": abs(f.get("worse") or 0),
                     "category": _category(f.get("category"), lang), "rank": f.get("rank", 0)} for f in feats]  # fmt: skip
            cats = list(dict.fromkeys(f.get("category") for f in feats))
            specs.append({
                "title": tr(_T["chart_kano"], lang),
                "width": 340,
                "height": {"step": 20},
                "data": {"values": rows},
                "mark": "bar",
                "encoding": {
                    "y": {"field": "name", "type": "nominal", "sort": {"field": "rank"},
                          "title": None, "axis": {"labelLimit": 240}},
                    "x": {"field": "worse", "type": "quantitative", "title": tr(_T["share"], lang),
                          "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
                    "color": {"field": "category", "type": "nominal", "title": None,
                              "scale": {"domain": [_category(c, lang)
                                                   for c in cats],
                                        "range": [_COLOURS.get(str(c)[:1], "#6e7781") for c in cats]},
                              "legend": {"orient": "bottom"}},
                },
            })  # fmt: skip
        outs = (value.get("odi") or {}).get("outcomes") or []
        rows = [{"name": o.get("statement") or o.get("outcome"), "n": round(o["opportunity"], 1)}
                for o in outs if o.get("opportunity") is not None]  # fmt: skip
        if rows:
            specs.append(_bars(rows, tr(_T["chart_odi"], lang), tr(_T["chart_odi"], lang),
                               "#a4161a"))  # fmt: skip
    elif panel == "contacts":
        rows = [{**r, "purpose": _word(_PURPOSE, r.get("purpose"), lang)} for r in value.get("over_time") or []]  # fmt: skip
        if rows:
            specs.append({
                "title": tr(_T["chart_time"], lang, period=period),
                "width": 380,
                "height": 170,
                "data": {"values": rows},
                "mark": "bar",
                "encoding": {
                    "x": {"field": "period", "type": "ordinal", "sort": None,
                          "title": tr(_T["period_axis"], lang)},
                    "y": {"field": "n", "type": "quantitative", "stack": True,
                          "title": tr(_T["count"], lang)},
                    "color": {"field": "purpose", "type": "nominal", "title": None,
                              "legend": {"orient": "bottom"}},
                },
            })  # fmt: skip
        unknown = tr(UNKNOWN, lang)
        for axis in ("purpose", "reason", "channel", "situation"):
            rows = [
                {"name": _label(r, lang, axis), "n": r.get("n", 0)}
                for r in value.get(f"by_{axis}") or []
                if r.get("label") != unknown
            ]
            if rows:
                specs.append(_bars(rows, tr(_T[f"chart_{axis}"], lang), tr(_T["count"], lang)))
    elif panel == "cpis":
        rows = [
            {"name": r.get(f"name_{lang}") or r.get("cpi"), "n": r["share_meeting_target"]}
            for r in value.get("rows") or []
            if r.get("share_meeting_target") is not None and r.get("group", "all") == "all"
        ]
        if rows:
            spec = _bars(rows, tr(_T["chart_cpis"], lang), tr(_T["share"], lang), "#1a7f37")
            spec["encoding"]["x"]["axis"] = {"format": "%"}
            spec["encoding"]["x"]["scale"] = {"domain": [0, 1]}
            specs.append(spec)
    return [s for s in specs if s is not None]


def _png(spec: dict[str, Any]) -> bytes:
    import vl_convert as vlc

    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **json_safe(spec)}
    spec.setdefault("config", {"font": "DejaVu Sans", "view": {"stroke": None}})
    return vlc.vegalite_to_png(spec, scale=2)


def _label(row: Mapping[str, Any], lang: str, axis: str) -> str:
    if axis == "purpose":
        return _word(_PURPOSE, row.get("label"), lang)
    return str(row.get("name") or row.get("label"))


# --------------------------------------------------------------------------------------------------
# Layout


def _meta(data: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = data.get("meta")
    return meta if isinstance(meta, Mapping) else {}


class _Doc:
    """The flowables of the report and the styles and font they use."""

    def __init__(self, lang: str) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

        self.lang = lang
        self.font, self.bold = _fonts()
        base = getSampleStyleSheet()
        self.colors = colors
        self.body = ParagraphStyle(
            "kf-body", parent=base["BodyText"], fontName=self.font, fontSize=10, leading=14
        )
        self.small = ParagraphStyle(
            "kf-small",
            parent=self.body,
            fontSize=8.5,
            leading=11,
            textColor=colors.HexColor("#444"),
        )
        self.quote = ParagraphStyle(
            "kf-quote", parent=self.body, leftIndent=12, textColor=colors.HexColor("#333")
        )
        self.h1 = ParagraphStyle(
            "kf-h1", parent=base["Heading1"], fontName=self.bold, fontSize=22, leading=28
        )
        self.h2 = ParagraphStyle(
            "kf-h2", parent=base["Heading2"], fontName=self.bold, fontSize=15, leading=19,
            textColor=colors.HexColor(_BLUE), spaceBefore=6,
        )  # fmt: skip
        self.h3 = ParagraphStyle(
            "kf-h3", parent=base["Heading3"], fontName=self.bold, fontSize=11.5, leading=15
        )
        self.cell = ParagraphStyle("kf-cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.story: list[Any] = []

    def t(self, key: str, **kw: Any) -> str:
        return tr(_T[key], self.lang, **kw)

    def text(self, value: Any) -> str:
        """``value`` as safe paragraph markup in characters the font has."""
        return escape(_printable(str(value)))

    def para(self, value: Any, style: Any = None) -> None:
        from reportlab.platypus import Paragraph

        if value is None or str(value).strip() == "":
            return
        self.story.append(Paragraph(self.text(value), style or self.body))

    def heading(self, value: str, level: int = 2) -> None:
        from reportlab.platypus import Paragraph

        style = {1: self.h1, 2: self.h2, 3: self.h3}[level]
        self.story.append(Paragraph(self.text(value), style))

    def notes(self, notes: Any) -> None:
        for note in notes or []:
            self.para(note, self.small)

    def table(self, header: list[str], rows: list[list[Any]], widths: list[float] | None = None):
        from reportlab.platypus import Paragraph, Table, TableStyle

        if not rows:
            return
        cells = [[Paragraph(f"<b>{self.text(h)}</b>", self.cell) for h in header]]
        cells += [
            [Paragraph(self.text("–" if v is None else v), self.cell) for v in r]
            for r in rows[:_MAX_ROWS]
        ]
        table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
        grey = self.colors.HexColor("#c8ccd0")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), self.colors.HexColor("#eef2f6")),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.story.append(table)
        self.space(4)

    def space(self, points: float = 6) -> None:
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, points))

    def chart(self, spec: dict[str, Any], width: float) -> None:
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image

        try:
            png = _png(spec)
        except Exception as exc:  # a chart that cannot be drawn must not cost the whole report
            log.warning("report chart %r failed: %s", spec.get("title"), exc)
            self.para(self.t("chart_failed", title=spec.get("title", ""), error=exc), self.small)
            return
        w, h = ImageReader(io.BytesIO(png)).getSize()
        scale = min(1.0, width / (w / 2)) / 2  # drawn at scale 2: half its pixels in points
        image = Image(io.BytesIO(png), width=w * scale, height=h * scale)
        image.hAlign = "LEFT"
        self.story.append(image)
        self.space(6)


def _fonts() -> tuple[str, str]:
    """Register Bitstream Vera (shipped with reportlab: å ä ö, − and “ ” included)."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "KfVera" not in pdfmetrics.getRegisteredFontNames():
        folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
        pdfmetrics.registerFont(TTFont("KfVera", os.path.join(folder, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("KfVera-Bold", os.path.join(folder, "VeraBd.ttf")))
        pdfmetrics.registerFont(TTFont("KfVera-Italic", os.path.join(folder, "VeraIt.ttf")))
        pdfmetrics.registerFont(TTFont("KfVera-BoldItalic", os.path.join(folder, "VeraBI.ttf")))
        from reportlab.lib.fonts import addMapping

        addMapping("KfVera", 0, 0, "KfVera")
        addMapping("KfVera", 1, 0, "KfVera-Bold")
        addMapping("KfVera", 0, 1, "KfVera-Italic")
        addMapping("KfVera", 1, 1, "KfVera-BoldItalic")
    return "KfVera", "KfVera-Bold"


_GLYPHS: set[int] | None = None


def _printable(text: str) -> str:
    """``text`` with the characters the font lacks replaced (so none print as empty boxes)."""
    global _GLYPHS
    if _GLYPHS is None:
        from reportlab.pdfbase import pdfmetrics

        _fonts()
        _GLYPHS = set(pdfmetrics.getFont("KfVera").face.charToGlyph)
    if all(ord(c) in _GLYPHS or c in "\n\t" for c in text):
        return text
    return "".join(
        c if ord(c) in _GLYPHS or c in "\n\t" else _SUBSTITUTES.get(c, "?") for c in text
    )


# --------------------------------------------------------------------------------------------------
# The sections


def _title_page(doc: _Doc, data: Mapping[str, Any], organisation: str | None, today: str) -> None:
    meta = _meta(data)
    doc.space(80)
    doc.heading(doc.t("title"), 1)
    doc.space(10)
    filters = meta.get("filters") or {}
    active = ", ".join(f"{k} = {v}" for k, v in filters.items()) or doc.t("everything")
    period = meta.get("period") or "month"
    rows = [
        [doc.t("organisation"), organisation or "kundfokus"],
        [doc.t("period"), _word(_T, f"period_{period}", doc.lang, period)],
        [doc.t("filters"), active],
    ]
    if meta.get("by"):
        rows.append([doc.t("by"), meta["by"]])
    rows += [[doc.t("date"), today], [doc.t("generated"), meta.get("generated_at") or "–"]]
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Table, TableStyle

    table = Table(
        [[Paragraph(f"<b>{doc.text(a)}</b>", doc.body), Paragraph(doc.text(b), doc.body)]
         for a, b in rows],
        colWidths=[4.5 * cm, 11 * cm], hAlign="LEFT",
    )  # fmt: skip
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc.story.append(table)
    doc.space(18)
    doc.para(doc.t("about"))
    if not _has_data(data):
        doc.space(12)
        doc.para(doc.t("no_data"), doc.h3)


def _has_data(data: Mapping[str, Any]) -> bool:
    """Whether any panel holds figures (not only notes)."""
    kpis = data.get("kpis") or {}
    needs = data.get("needs") or {}
    known = [
        any((s or {}).get("n") for s in kpis.get("scores") or []),
        (needs.get("kano") or {}).get("features"),
        (needs.get("odi") or {}).get("n"),
        (data.get("contacts") or {}).get("n"),
        (data.get("cpis") or {}).get("rows"),
        (data.get("goals") or {}).get("rows"),
        (data.get("voice") or {}).get("groups"),
    ]

    def rich(value: Any) -> bool:  # a panel added later: any non-empty list but its notes
        if isinstance(value, Mapping):
            return any(rich(v) for k, v in value.items() if k not in ("notes", "warnings"))
        return isinstance(value, list) and bool(value)

    later = [rich(v) for k, v in data.items() if k not in (*KNOWN_PANELS, "meta")]
    return any(known) or any(later)


def _kpis(doc: _Doc, panel: Mapping[str, Any], data: Mapping[str, Any], width: float) -> None:
    lang = doc.lang
    scores = [s for s in panel.get("scores") or [] if isinstance(s, Mapping)]
    rows = []
    for s in scores:
        kind = s.get("kind", "")
        sign, digits = kind == "nps", 2 if kind == "ces" else 1
        change = s.get("change") or None
        if change and change.get("difference") is not None:
            diff = float(change["difference"])
            key = "trend_up" if diff > 0 else "trend_down"
            trend = doc.t(
                key,
                d=_num(abs(diff), lang, digits),
                sig=doc.t("sig" if change.get("significant") else "ns"),
            )
        else:
            trend = doc.t("no_trend")
        interval = (
            f"{_num(s.get('ci_low'), lang, digits, sign)} – {_num(s.get('ci_high'), lang, digits, sign)}"
            if s.get("value") is not None
            else "–"
        )
        rows.append(
            [s.get("name", kind.upper()), _num(s.get("value"), lang, digits, sign), interval,
             s.get("n", 0), trend]
        )  # fmt: skip
    from reportlab.lib.units import cm

    doc.table(
        [doc.t("measure"), doc.t("value"), doc.t("interval"), doc.t("answers"), doc.t("trend")],
        rows,
        [2.2 * cm, 2.2 * cm, 3.6 * cm, 1.8 * cm, 6 * cm],
    )
    specs = {spec["title"]: spec for spec in chart_specs(data, "kpis", lang)}
    period = tr(_T.get(f"period_{_meta(data).get('period')}", _T["period_month"]), lang)
    for s in scores:
        name = s.get("name", str(s.get("kind", "")).upper())
        doc.heading(name, 3)
        doc.para(s.get("sentence"))
        doc.para((s.get("change") or {}).get("sentence"))
        spec = specs.get(tr(_T["chart_trend"], lang, kind=name, period=period))
        if spec:
            doc.chart(spec, width)
        groups = s.get("groups") or []
        if groups:
            kind = s.get("kind")
            sign, digits = kind == "nps", 2 if kind == "ces" else 1
            doc.para(doc.t("groups", kind=name, by=_meta(data).get("by") or ""), doc.small)
            doc.table(
                [doc.t("group"), doc.t("value"), doc.t("interval"), doc.t("answers")],
                [[g.get("group"), _num(g.get("value"), lang, digits, sign),
                  f"{_num(g.get('ci_low'), lang, digits, sign)} – "
                  f"{_num(g.get('ci_high'), lang, digits, sign)}", g.get("n")]
                 for g in groups],
            )  # fmt: skip
        voice = [v.get("text") for v in s.get("voice") or [] if isinstance(v, Mapping)]
        if voice:
            doc.para(doc.t("low_voice", kind=name), doc.small)
            for text in voice:
                doc.para(f"“{text}”", doc.quote)
        doc.notes(s.get("notes"))
    _extra(doc, panel, {"scores", "notes"})
    doc.notes(panel.get("notes"))


def _needs(doc: _Doc, panel: Mapping[str, Any], data: Mapping[str, Any], width: float) -> None:
    specs = chart_specs(data, "needs", doc.lang)
    kano = panel.get("kano") or {}
    odi = panel.get("odi") or {}
    doc.heading(doc.t("kano"), 3)
    for f in kano.get("features") or []:
        doc.para(f"{f.get('rank', '')}. {f.get('sentence') or f.get('label')}")
    doc.notes(kano.get("notes"))
    if kano.get("features") and specs:
        doc.chart(specs.pop(0), width)
    doc.heading(doc.t("odi"), 3)
    for o in odi.get("outcomes") or []:
        doc.para(o.get("sentence") or o.get("statement"))
    doc.notes(odi.get("notes"))
    for spec in specs:
        doc.chart(spec, width)
    _extra(doc, panel, {"kano", "odi", "notes"})
    doc.notes(panel.get("notes"))


def _contacts(doc: _Doc, panel: Mapping[str, Any], data: Mapping[str, Any], width: float) -> None:
    if panel.get("n"):
        doc.para(doc.t("n_contacts", n=panel["n"]))
    doc.para((panel.get("change") or {}).get("sentence"))
    doc.para((panel.get("repeat") or {}).get("sentence"))
    doc.notes(panel.get("notes"))
    for spec in chart_specs(data, "contacts", doc.lang):
        doc.chart(spec, width)
    _extra(doc, panel, {"change", "repeat", "notes"}, tables=False)


def _cpis(doc: _Doc, panel: Mapping[str, Any], data: Mapping[str, Any], width: float) -> None:
    lang = doc.lang
    if panel.get("n_journeys"):
        doc.para(doc.t("journeys", j=panel.get("n_journeys"), e=panel.get("n_events")))
    rows = []
    for r in panel.get("rows") or []:
        if r.get("group", "all") != "all":
            continue
        unit = f" {r['unit']}" if r.get("unit") else ""
        meets = r.get("meets_target")
        rows.append(
            [r.get(f"name_{lang}") or r.get("cpi"),
             f"{_num(r.get('value'), lang, 1)}{unit}",
             f"{_num(r.get('ci_low'), lang, 1)} – {_num(r.get('ci_high'), lang, 1)}",
             "–" if r.get("target") is None else f"{_num(r.get('target'), lang, 1)}{unit}",
             "–" if meets is None else doc.t("yes" if meets else "no")]
        )  # fmt: skip
    from reportlab.lib.units import cm

    doc.table(
        [doc.t("cpi"), doc.t("value"), doc.t("interval"), doc.t("target"), doc.t("meets")],
        rows,
        [5.5 * cm, 2.8 * cm, 3.5 * cm, 2.4 * cm, 1.8 * cm],
    )
    doc.notes(panel.get("notes"))
    for spec in chart_specs(data, "cpis", lang):
        doc.chart(spec, width)
    _extra(doc, panel, {"rows", "notes"})


def _goals(doc: _Doc, panel: Mapping[str, Any], data: Mapping[str, Any], width: float) -> None:
    lang = doc.lang
    rows = []
    goals = [g for g in panel.get("rows") or [] if isinstance(g, Mapping)]
    for g in goals:
        progress = g.get("progress")
        track = g.get("on_track")
        rows.append(
            [g.get("name"), g.get("owner"), g.get("metric"),
             "–" if progress is None else f"{_num(100 * float(progress), lang, 0)} %",
             "–" if track is None else doc.t("yes" if track else "no"), g.get("due")]
        )  # fmt: skip
    doc.table(
        [doc.t("goal"), doc.t("owner"), doc.t("measure"), doc.t("progress"), doc.t("on_track"),
         doc.t("due")],
        rows,
    )  # fmt: skip
    for g in goals:
        if g.get("status_text"):
            doc.para(f"{g.get('name')}: {g['status_text']}")
    doc.notes(panel.get("notes"))
    _extra(doc, panel, {"rows", "notes"})


def _voice(doc: _Doc, panel: Mapping[str, Any], data: Mapping[str, Any], width: float) -> None:
    for g in panel.get("groups") or []:
        doc.heading(f"{g.get('name') or g.get('label')} ({g.get('n', '')})", 3)
        for text in g.get("texts") or []:
            doc.para(f"“{text}”", doc.quote)
    doc.notes(panel.get("notes"))
    _extra(doc, panel, {"groups", "notes"})


def _extra(doc: _Doc, panel: Any, handled: set[str], *, tables: bool = True) -> None:
    """Whatever else a panel holds: its sentences and notes, and tables of its lists of flat rows
    (so a part added to the dashboard later is in the report too)."""
    if not isinstance(panel, Mapping):
        if isinstance(panel, list):
            _rows_table(doc, panel)
        elif panel not in (None, ""):
            doc.para(panel)
        return
    for key, value in panel.items():
        if key in handled or value in (None, "", [], {}):
            continue
        if key in ("sentence", "status_text", "text"):
            doc.para(value)
        elif key in ("notes", "warnings") and isinstance(value, list):
            doc.notes(value)
        elif isinstance(value, Mapping):
            _extra(doc, value, set(), tables=tables)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            sentences = [v.get("sentence") for v in value if v.get("sentence")]
            for s in sentences:
                doc.para(s)
            if tables and not sentences:
                _rows_table(doc, value)


def _rows_table(doc: _Doc, rows: list[Any]) -> None:
    flat = [r for r in rows if isinstance(r, Mapping)]
    if not flat:
        return
    columns = [
        k
        for k in dict.fromkeys(k for r in flat for k in r)
        if all(not isinstance(r.get(k), Mapping | list) for r in flat)
    ][:6]
    if not columns:
        return

    def show(v: Any) -> Any:
        return _num(v, doc.lang, 2) if isinstance(v, float) else v

    doc.table([str(c) for c in columns], [[show(r.get(c)) for c in columns] for r in flat])


_SECTIONS: dict[str, Callable[[_Doc, Mapping[str, Any], Mapping[str, Any], float], None]] = {
    "kpis": _kpis,
    "needs": _needs,
    "contacts": _contacts,
    "cpis": _cpis,
    "goals": _goals,
    "voice": _voice,
}


def render_pdf(
    data: Mapping[str, Any],
    lang: str = "en",
    *,
    organisation: str | None = None,
    today: str | None = None,
) -> bytes:
    """The PDF of dashboard ``data`` (what :func:`~kundfokus.services.dashboard.dashboard`
    returns) in ``lang``: a title page, then one section per panel, known or not."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    lang = check_lang(lang)
    today = today or datetime.now(UTC).date().isoformat()
    doc = _Doc(lang)
    _title_page(doc, data, organisation, today)
    width = A4[0] - 4 * cm
    panels = [p for p in KNOWN_PANELS if p in data]
    panels += [p for p in data if p not in KNOWN_PANELS and p != "meta"]
    for name in panels:
        panel = data.get(name)
        doc.story.append(PageBreak())
        doc.heading(tr(_T[name], lang) if name in _T else name.replace("_", " ").capitalize())
        start = len(doc.story)
        try:
            if name in _SECTIONS and isinstance(panel, Mapping):
                _SECTIONS[name](doc, panel, data, width)
            else:
                _extra(doc, panel, set())
        except Exception as exc:  # one odd panel must not cost the whole report
            log.exception("report panel %r failed", name)
            del doc.story[start:]
            doc.para(doc.t("panel_failed", error=f"{type(exc).__name__}: {exc}"), doc.small)

    title = f"{doc.t('title')} – {organisation or 'kundfokus'} – {today}"

    def footer(canvas: Any, pdf: Any) -> None:
        canvas.saveState()
        canvas.setFont(doc.font, 8)
        canvas.setFillGray(0.35)
        canvas.drawString(2 * cm, 1.2 * cm, _printable(title))
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, doc.t("page", n=pdf.page))
        canvas.restoreState()

    out = io.BytesIO()
    template = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
        bottomMargin=2 * cm, title=_printable(title), author=organisation or "kundfokus",
        subject=doc.t("title"), lang=lang, creator="kundfokus",
    )  # fmt: skip
    template.build(doc.story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def report_pdf(
    session: Session,
    *,
    lang: str = "en",
    period: str = "month",
    filters: Mapping[str, Any] | None = None,
    by: str | None = None,
    organisation: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> bytes:
    """The leadership report of the store as PDF bytes (``data``: dashboard data already
    computed for these arguments, to skip computing it again)."""
    from kundfokus.services.dashboard import dashboard

    if data is None:
        data = dashboard(session, period=period, lang=lang, filters=filters, by=by)
    return render_pdf(data, lang, organisation=organisation)
