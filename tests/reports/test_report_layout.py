"""The offline HTML reports in a real browser (Debian's chromium through Playwright), at a laptop's
(1280 px) and a phone's (390 px) width: the demo report, a Kano report in Swedish and an ODI
(jobs-to-be-done) report.

What must hold (issue 11): the page never scrolls sideways; at the laptop width every table fits
whole (no column cut off), on the phone a wide table scrolls inside its own box; long texts keep a
readable width and numbers stay on one line; chart labels do not overlap and charts fit the page;
a ranked list is numbered once; a small-sample warning is said once, not on every line.

Full-page screenshots go to ``$KUNDFOKUS_SCREENSHOTS`` (default: a temporary folder).
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from kundfokus.io import read_table
from kundfokus.jtbd import opportunity, read_inventory
from kundfokus.jtbd.report import jtbd_report_html, write_jtbd_report
from kundfokus.kano import analyze, analyze_counts
from kundfokus.kano.report import kano_sections, write_kano_report
from kundfokus.reports import render_report
from kundfokus.services.demo import _kano_labels, find_examples, run_demo

VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

#: Everything the checks need from one page, measured in the browser.
MEASURE = r"""
() => {
  const vw = window.innerWidth;
  const box = el => el.getBoundingClientRect();
  const tables = [...document.querySelectorAll('table')].map(t => {
    const wrap = t.closest('.table') || t;
    const cells = [...t.querySelectorAll('tbody td')];
    const long = cells.filter(td => td.textContent.trim().length > 40).map(td => box(td).width);
    const lines = td => { const r = document.createRange(); r.selectNodeContents(td);
      return new Set([...r.getClientRects()].map(q => Math.round(q.top))).size; };
    const wrapped = cells.filter(td => /^[-–+]?[\d\s.,%]+$/.test(td.textContent.trim()))
      .filter(td => lines(td) > 1).map(td => td.textContent.trim());
    return {head: t.querySelector('th') ? t.querySelector('th').textContent.trim() : '',
            wrapLeft: box(wrap).left, wrapRight: box(wrap).right, right: box(t).right,
            hidden: t.scrollWidth - wrap.clientWidth, long, wrapped};
  });
  const charts = [...document.querySelectorAll('figure.chart svg')].map(svg => {
    const labels = [...svg.querySelectorAll('g.mark-text.role-mark text')]
      .filter(t => t.textContent.trim() && !/^\d+$/.test(t.textContent.trim()))
      .map(t => { const b = box(t); return [t.textContent.trim(), b.left, b.top, b.right, b.bottom]; });
    const wrap = svg.closest('.chart-box') || svg;  // a wide chart may scroll in its box
    return {right: box(wrap).right, left: box(wrap).left, labels};
  });
  const numberedTwice = [...document.querySelectorAll('li')]
    .filter(li => /^\d+\.\s/.test(li.textContent.trim()))
    .filter(li => getComputedStyle(li).listStyleType !== 'none')
    .map(li => li.textContent.trim().slice(0, 40));
  return {vw, scrollWidth: document.documentElement.scrollWidth, tables, charts, numberedTwice};
}
"""


def _overlapping(labels: list[list], tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of chart labels whose boxes overlap by more than ``tolerance`` pixels each way."""
    out = []
    for a, b in itertools.combinations(labels, 2):
        dx = min(a[3], b[3]) - max(a[1], b[1])
        dy = min(a[4], b[4]) - max(a[2], b[2])
        if dx > tolerance and dy > tolerance:
            out.append((a[0], b[0]))
    return out


def layout_problems(m: dict, viewport: str) -> list[str]:
    """What is wrong with one measured page (empty when the layout is right)."""
    vw = m["vw"]
    problems = []
    if m["scrollWidth"] > vw:
        problems.append(f"the page scrolls sideways: {m['scrollWidth']} px wide in {vw} px")
    for t in m["tables"]:
        name = f"table starting with {t['head']!r}"
        if t["wrapRight"] > vw + 0.5 or t["wrapLeft"] < -0.5:
            problems.append(f"{name}: its box ends at {t['wrapRight']:.0f} px in {vw} px")
        if viewport == "laptop" and (t["hidden"] > 0.5 or t["right"] > vw + 0.5):
            problems.append(f"{name}: {t['hidden']:.0f} px of it are cut off at {vw} px")
        narrow = [w for w in t["long"] if w < 150]
        if narrow:
            problems.append(f"{name}: long texts squeezed to {min(narrow):.0f} px")
        if t["wrapped"]:
            problems.append(f"{name}: numbers wrap over lines: {t['wrapped'][:3]}")
    for c in m["charts"]:
        if c["right"] > vw + 0.5 or c["left"] < -0.5:
            problems.append(f"a chart ends at {c['right']:.0f} px in {vw} px")
        clash = _overlapping(c["labels"])
        if clash:
            problems.append(f"chart labels overlap: {clash[:4]}")
    if m["numberedTwice"]:
        problems.append(f"numbered twice (a list marker and a number): {m['numberedTwice'][:2]}")
    return problems


def measure(browser, path: Path, viewport: str, shot: Path) -> dict:
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    try:
        page.goto(path.as_uri())
        m = page.evaluate(MEASURE)
        page.screenshot(path=str(shot), full_page=True)
        return m
    finally:
        page.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("KUNDFOKUS_SCREENSHOTS") or tmp_path_factory.mktemp("layout"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The three reports, built in-process from the bundled example data."""
    out = tmp_path_factory.mktemp("reports")
    folder = find_examples()
    demo = run_demo(out, lang="en", filename="demo.html").report
    answers = read_table(folder / "kano_answers.csv")
    labels = _kano_labels(folder / "kano_features.csv", "sv")
    kano = analyze(answers, labels=labels, importance_scale=(1, 9))
    kano_sv = write_kano_report(kano, out / "kano_sv.html", "sv")
    inventory = read_inventory(folder / "jtbd_inventory.yaml")
    odi = opportunity(read_table(folder / "odi_answers.csv"), inventory=inventory, lang="en")
    odi_en = write_jtbd_report(out / "odi_en.html", odi, inventory, lang="en")
    return {"demo": demo, "kano_sv": kano_sv, "odi_en": odi_en}


@pytest.mark.parametrize("viewport", ["laptop", "phone"])
@pytest.mark.parametrize("name", ["demo", "kano_sv", "odi_en"])
def test_report_fits_the_page(report_browser, reports, shots, name, viewport):
    shot = shots / f"report_{name}_{viewport}.png"
    m = report_browser.run(measure, reports[name], viewport, shot)
    assert shot.stat().st_size > 0
    assert m["tables"] and m["charts"]  # the checks below have something to look at
    assert any(c["labels"] for c in m["charts"])
    assert layout_problems(m, viewport) == []


def test_layout_problems_are_found():
    """The checks themselves: a page with each fault is reported."""
    m = {
        "vw": 390,
        "scrollWidth": 500,
        "tables": [
            {
                "head": "outcome",
                "wrapLeft": 0,
                "wrapRight": 500,
                "right": 700,
                "hidden": 300,
                "long": [80.0],
                "wrapped": ["15.9"],
            }
        ],
        "charts": [
            {"left": 0, "right": 600, "labels": [["a", 0, 0, 50, 12], ["b", 10, 5, 60, 17]]}
        ],
        "numberedTwice": ["1. Keep 'BankID' working"],
    }
    found = layout_problems(m, "laptop")
    assert len(found) == 8
    assert (
        layout_problems(
            {"vw": 390, "scrollWidth": 390, "tables": [], "charts": [], "numberedTwice": []},
            "phone",
        )
        == []
    )


def test_small_sample_warning_is_said_once_per_list():
    # 20 answers per feature: below the 200 at which a Kano category settles
    tally = pd.DataFrame(
        {
            "feature": ["app", "hotline", "chat"],
            "M": [9, 2, 3],
            "O": [5, 3, 2],
            "A": [2, 9, 3],
            "I": [4, 6, 12],
            "R": [0, 0, 0],
            "Q": [0, 0, 0],
        }
    )
    sections = kano_sections(analyze_counts(tally), "sv")
    pri = next(s for s in sections if s.title == "Prioriteringar")
    assert pri.ranked and [b[:3] for b in pri.bullets] == ["1. ", "2. ", "3. "]
    assert all(b.endswith("(n = 20)") for b in pri.bullets)
    page = render_report("Kano", sections, lang="sv")
    # the summary says it once for the whole report; the list only shows each line's n
    assert page.count("Färre än 200") == 1 and "Bygger på bara" not in page
    assert '<ol class="ranked">' in page
    # with enough answers overall but a small group, the group's list says it once
    big = tally.assign(feature=[f"{f}" for f in tally["feature"]])
    big[["M", "O", "A", "I"]] = big[["M", "O", "A", "I"]] * 15
    both = pd.concat([big.assign(channel="phone"), tally.assign(channel="chat")])
    grouped = kano_sections(analyze_counts(both, by="channel"), "en")
    pri = next(s for s in grouped if s.title == "Priorities")
    chat = next(s for s in pri.subsections if s.title.endswith("chat"))
    phone = next(s for s in pri.subsections if s.title.endswith("phone"))
    assert len(chat.paragraphs) == 1 and "Fewer than 200" in chat.paragraphs[0]
    assert phone.paragraphs == [] and not any("(n = " in b for b in phone.bullets)
    assert sum("(n = 20)" in b for b in chat.bullets) == 3

    answers = pd.DataFrame(
        {
            "wait_importance": [5, 5, 4, 4, 5, 4, 5, 4, 2, 3],
            "wait_satisfaction": [1, 2, 2, 3, 4, 5, 4, 2, 1, 3],
            "hold_importance": [5, 4, 5, 4, 5, 5, 4, 4, 5, 5],
            "hold_satisfaction": [1, 1, 2, 2, 1, 2, 3, 1, 2, 1],
        }
    )
    html = jtbd_report_html(opportunity(answers), lang="en")
    assert len(re.findall(r"treat (this|them) as a hint", html)) == 1
    assert html.count("(n = 10)") == 2
