"""The leadership report as PDF on the demo organisation and on an empty store: a valid PDF with
the dashboard's own figures (the NPS as the dashboard formats it), one image per chart, Swedish and
English text, and no crash on missing, empty, unknown or odd panels."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kundfokus.services.dashboard import _num, dashboard
from kundfokus.services.demo_org import build_demo_org
from kundfokus.services.report_pdf import KNOWN_PANELS, chart_specs, render_pdf, report_pdf
from kundfokus.store.db import open_store, session_scope


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    return build_demo_org(str(tmp_path_factory.mktemp("report") / "demo.db")).url


@pytest.fixture(scope="module")
def reports(demo_url) -> dict[str, tuple[dict, bytes]]:
    out = {}
    with session_scope(demo_url) as s:
        for lang in ("sv", "en"):
            data = dashboard(s, lang=lang)
            out[lang] = (data, report_pdf(s, lang=lang, data=data, organisation="Nordström Energi"))
    return out


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        ("sv", ["Rapport för ledningen", "Mått", "Behov", "Kontakter", "Resemått (CPI)", "Mål",
                "Kundens röst", "95 %-intervall"]),
        ("en", ["Leadership report", "Scores", "Needs", "Contacts", "Journey indicators (CPI)",
                "Goals", "The customer's voice", "95% interval"]),
    ],
)  # fmt: skip
def test_the_pdf_has_every_panel_and_the_dashboards_own_figures(reports, lang, headings):
    data, pdf = reports[lang]
    assert pdf.startswith(b"%PDF-")
    reader, text = _text(pdf)
    assert len(reader.pages) >= len(KNOWN_PANELS) + 1  # a title page, then a page per panel
    for heading in headings:
        assert heading in text, heading
    assert "Nordström Energi" in text
    nps = next(s for s in data["kpis"]["scores"] if s["kind"] == "nps")
    assert nps["n"] > 0
    shown = _num(nps["value"], lang, 1, sign=True)
    assert f"NPS {shown} " in text  # the value as the dashboard formats it (sv: "−2,2")
    assert _num(nps["ci_low"], lang, 1, sign=True) in text
    for score in data["kpis"]["scores"]:
        assert " ".join(score["sentence"].split()) in text
        if score["change"]:
            assert score["change"]["from_period"] in text
    # needs: every Kano priority and every under-served outcome as its sentence
    for feature in data["needs"]["kano"]["features"]:
        assert feature["label"] in text
    assert data["needs"]["odi"]["outcomes"]
    for outcome in data["needs"]["odi"]["outcomes"]:
        assert outcome["statement"] in text
    assert " ".join(data["contacts"]["repeat"]["sentence"].split()) in text
    for row in data["cpis"]["rows"]:
        assert row[f"name_{lang}"] in text
    for group in data["voice"]["groups"]:
        assert " ".join(group["texts"][0].split())[:40] in text
    # one image per chart of every panel
    charts = sum(len(chart_specs(data, panel, lang)) for panel in KNOWN_PANELS)
    assert charts >= 8
    assert sum(len(page.images) for page in reader.pages) == charts
    assert reader.metadata.title.startswith(headings[0])


def test_swedish_and_english_differ_and_swedish_letters_survive(reports):
    _, sv = _text(reports["sv"][1])
    _, en = _text(reports["en"][1])
    assert sv != en
    assert "Rapport för ledningen" in sv and "Rapport för ledningen" not in en
    assert "månad för månad" in sv and "month by month" in en
    assert all(letter in sv for letter in "åäöÖ−")


def test_filters_and_the_period_are_on_the_title_page(demo_url):
    with session_scope(demo_url) as s:
        pdf = report_pdf(s, lang="en", period="quarter", filters={"channel": "chat"})
    reader, _ = _text(pdf)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "channel = chat" in first and "quarter by quarter" in first
    assert "Leadership report" in first


def test_an_empty_store_gives_a_pdf_that_says_there_is_no_data_yet(tmp_path):
    url = open_store(str(tmp_path / "empty.db"))
    with session_scope(url) as s:
        en = report_pdf(s, lang="en")
        sv = report_pdf(s, lang="sv")
    reader, text = _text(en)
    assert len(reader.pages) >= 2
    assert "There is no data yet" in text
    assert "No nps survey is stored yet" in text.replace("NPS", "nps")
    assert sum(len(p.images) for p in reader.pages) == 0
    assert "Det finns inga data än" in _text(sv)[1]


def test_missing_unknown_and_odd_panels_do_not_break_the_report():
    data = {
        "meta": {"period": "week", "filters": {}},
        "kpis": {"scores": [{"kind": "nps", "name": "NPS", "periods": "not a list", "n": 3}]},
        "churn": {
            "sentence": "Churn is 12.5 % a year.",
            "notes": ["Contracts from two sources."],
            "rows": [{"segment": "home", "churn": 0.125}, {"segment": "business", "churn": 0.08}],
        },
    }
    reader, text = _text(render_pdf(data, "en"))
    assert "Churn" in text and "Churn is 12.5 % a year." in text
    assert "Contracts from two sources." in text
    assert "business" in text and "0.08" in text
    assert "week by week" in text
    assert "could not be drawn" in text  # the odd kpis panel says so; the others are complete
    assert "There is no data yet" not in text
    # labels the report has no words for (a Kano tie, a new purpose) print as they are
    odd = {
        "meta": {"period": "year", "filters": {}},
        "needs": {"kano": {"features": [{"rank": 1, "label": "BankID", "category": "A/I",
                                         "worse": -0.2, "sentence": "Tie."}]}},
        "contacts": {"n": 2, "over_time": [{"period": "2026-11", "purpose": "gossip", "n": 2}],
                     "by_purpose": [{"label": "gossip", "n": 2}]},
    }  # fmt: skip
    reader, text = _text(render_pdf(odd, "sv"))
    assert "Tie." in text and "year" in text and "could not" not in text
    assert "kunde inte" not in text
    assert sum(len(p.images) for p in reader.pages) == 3
    # only the title page for data without any panel
    assert len(PdfReader(io.BytesIO(render_pdf({}, "sv"))).pages) == 1
