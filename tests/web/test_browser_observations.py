"""Observations in a real browser (Debian's chromium): on a phone (390 px) a reviewer records an
observation with a photo, searches for it and finds it; an analyst turns one into an ODI outcome
in a draft survey. Every observation page is checked with axe-core and photographed at 1280 and
390 px in Swedish and English (copied to /tmp/shots_observations/)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from kundfokus.services.journeys_import import import_events
from kundfokus.services.taxonomy import update_taxonomy
from kundfokus.store.db import session_scope

SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
COPY = Path("/tmp/shots_observations")


def _png(width: int = 160, height: int = 120) -> bytes:
    """A small striped PNG (a stand-in for a phone photo)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\0"
        + b"".join(
            bytes((11, 92, 173)) if (x // 20 + y // 20) % 2 else bytes((240, 165, 0))
            for x in range(width)
        )
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))  # fmt: skip


def _seed(live) -> None:
    events = pd.DataFrame({
        "event_id": ["e1", "e2"], "customer_id": ["k1", "k1"], "journey_id": ["j1", "j1"],
        "step": ["Ansökan", "Betala"], "timestamp": ["2026-11-01T10:00", "2026-11-01T11:00"],
    })  # fmt: skip
    with session_scope(live.db) as s:
        import_events(s, events, source="events.csv")
        update_taxonomy(s, {"tags": [{"label": "power_outage", "name_en": "Power outage",
                                      "name_sv": "Strömavbrott"}]})  # fmt: skip
    with live.client("reviewer") as c:
        r = c.post("/api/v1/observations", json={
            "note": "The customer read the invoice twice and still called to ask what the "
                    "amount was for", "quote": "Why is it so much this month?",
            "step": "Betala", "situation": "power_outage", "need": "understand the invoice",
            "channel": "phone"})  # fmt: skip
        assert r.status_code == 201, r.text


def _sign_in(browser, live, role: str, *, lang: str, size: str):
    context = browser.new_context(viewport=SIZES[size], locale="sv-SE" if lang == "sv" else "en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.goto(f"{live.url}/login?lang={lang}")
    page.fill("#email", live.emails[role])
    page.fill("#password", live.password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live.url}/")
    return context, page, problems


def _fits(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{where}: the page is {width}px wide in a {inner}px window"


def _shoot(page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    COPY.mkdir(parents=True, exist_ok=True)
    if path.resolve() != (COPY / path.name).resolve():
        shutil.copy(path, COPY / path.name)


def test_a_reviewer_records_on_a_phone_and_an_analyst_turns_it_into_an_odi_outcome(
    browser, live_sqlite, shots, axe, tmp_path
):
    live = live_sqlite
    _seed(live)
    photo = tmp_path / "kö.png"
    photo.write_bytes(_png())

    # a reviewer on a phone, in Swedish
    context, page, problems = _sign_in(browser, live, "reviewer", lang="sv", size="phone")
    page.get_by_role("link", name="Observationer").click()
    page.wait_for_url(re.compile(r"/observations$"))
    assert page.locator("#ob-photo").get_attribute("capture") == "environment"
    assert page.locator("#ob-photo").get_attribute("accept") == "image/*"
    # the step and the situation are offered (journey events, taxonomy) but free text is allowed
    assert page.locator("#dl-steps option[value='Ansökan']").count() == 1
    assert (
        page.locator("#dl-situations option[value='power_outage']").inner_text() == "Strömavbrott"
    )
    for sel in ("#ob-note", "#ob-step", "#ob-save", "#ob-photo"):
        box = page.locator(sel).bounding_box()
        assert box["height"] >= 44, f"{sel} is {box['height']}px high: too small to touch"
    axe(page, "observations, reviewer, sv, phone (empty form)")
    page.fill("#ob-note", "Kunden stod i kön i tjugo minuter och gav upp vid automaten")
    page.fill("#ob-quote", "Jag har inte tid med det här, jag kommer tillbaka i morgon")
    page.fill("#ob-step", "Vänta på hjälp")
    page.fill("#ob-situation", "power_outage")
    page.fill("#ob-need", "veta hur lång väntetiden är")
    page.fill("#ob-channel", "butik")
    page.set_input_files("#ob-photo", str(photo))
    page.click("#ob-save")
    page.wait_for_url(re.compile(r"/observations\?added=\d+"))
    added = re.search(r"added=(\d+)", page.url).group(1)
    assert "sparad" in page.locator("#ob-added").inner_text()
    card = page.locator(f"#obs-{added}")
    assert "tjugo minuter" in card.inner_text()
    assert "Jag har inte tid" in card.locator("blockquote").inner_text()
    assert "reviewer@example.se" in card.inner_text()
    page.wait_for_function(
        f"(() => {{ const i = document.querySelector('#obs-{added} img.ob-thumb');"
        " return i && i.complete && i.naturalWidth > 0; })()"
    )
    # only analysts turn observations into survey items
    assert card.get_by_role("button", name="Gör till ODI-utfall").count() == 0
    # search (htmx refreshes the results): a word of the quote, other case, with å/ä/ö
    page.fill("#ob-q", "TILLBAKA I MORGON")
    page.press("#ob-q", "Enter")
    page.wait_for_url(re.compile(r"q=TILLBAKA"))
    page.wait_for_function("document.querySelectorAll('.ob-list > li').length === 1")
    assert page.locator(f"#obs-{added}").count() == 1
    page.fill("#ob-q", "")
    page.fill("#ob-f-step", "Betala")
    page.press("#ob-f-step", "Enter")
    page.wait_for_url(re.compile(r"step=Betala"))
    page.wait_for_function("document.querySelectorAll('.ob-list > li').length === 1")
    assert page.locator(f"#obs-{added}").count() == 0
    assert "invoice twice" in page.locator(".ob-list").inner_text()
    page.goto(f"{live.url}/observations?q=väntetiden")
    assert "Strömavbrott" in page.locator(".ob-list").inner_text()  # the taxonomy's name
    assert page.locator(".ob-list > li").count() == 1
    _fits(page, "observations sv phone")
    axe(page, "observations, reviewer, sv, phone (results)")
    page.goto(f"{live.url}/observations")
    _fits(page, "observations sv phone")
    _shoot(page, shots, "observations-sv-phone")
    page.goto(f"{live.url}/observations/{added}")
    assert page.locator("img.ob-photo").count() == 1
    axe(page, "observation detail, reviewer, sv, phone")
    _fits(page, "observation detail sv phone")
    _shoot(page, shots, "observation-detail-sv-phone")
    assert problems == [], problems
    context.close()

    # an analyst on a phone, in English: turns it into an ODI outcome
    context, page, problems = _sign_in(browser, live, "analyst", lang="en", size="phone")
    page.goto(f"{live.url}/observations?q=twenty")
    assert page.locator(".ob-list > li").count() == 0  # the note is in Swedish
    page.goto(f"{live.url}/observations?q=tjugo")
    page.locator(f"#ob-h-{added} a").click()
    page.wait_for_url(re.compile(rf"/observations/{added}$"))
    axe(page, "observation detail, analyst, en, phone")
    page.fill("#ob-text", "know how long the wait will be")
    page.click("#ob-turn-odi")
    page.wait_for_url(re.compile(rf"/observations/{added}\?turned=odi&survey=\d+"))
    assert "ODI outcome statement was added" in page.locator("#ob-turned").inner_text()
    assert "an ODI outcome in survey" in page.locator(".ob-turned").inner_text()
    axe(page, "observation detail after turning, analyst, en, phone")
    _fits(page, "observation detail en phone")
    _shoot(page, shots, "observation-detail-en-phone")
    page.get_by_role("link", name="See the survey").click()
    page.wait_for_url(re.compile(r"/surveys/\d+$"))
    body = page.locator("main").inner_text()
    assert "Minimize the time it takes to know how long the wait will be" in body
    assert "draft" in body
    # from the list: a Kano feature goes to the Kano draft of the step
    page.goto(f"{live.url}/observations")
    page.locator(f"#obs-{added}").get_by_role("button", name="Turn into Kano feature").click()
    page.wait_for_url(re.compile(r"/observations\?turned=kano&survey=\d+"))
    assert "Kano feature" in page.locator("#ob-turned").inner_text()
    turned = page.locator(f"#obs-{added} .ob-turned").inner_text()
    assert "an ODI outcome in survey" in turned and "a Kano feature in survey" in turned
    axe(page, "observations, analyst, en, phone")
    _fits(page, "observations en phone")
    _shoot(page, shots, "observations-en-phone")
    assert problems == [], problems
    context.close()

    # laptop width, both languages
    for lang in ("sv", "en"):
        context, page, problems = _sign_in(browser, live, "analyst", lang=lang, size="laptop")
        page.goto(f"{live.url}/observations")
        axe(page, f"observations, analyst, {lang}, laptop")
        _fits(page, f"observations {lang} laptop")
        _shoot(page, shots, f"observations-{lang}-laptop")
        page.goto(f"{live.url}/observations/{added}")
        axe(page, f"observation detail, analyst, {lang}, laptop")
        _shoot(page, shots, f"observation-detail-{lang}-laptop")
        assert problems == [], problems
        context.close()


def test_a_viewer_reads_but_does_not_record(browser, live_sqlite, axe):
    context, page, problems = _sign_in(browser, live_sqlite, "viewer", lang="en", size="phone")
    page.goto(f"{live_sqlite.url}/observations")
    assert page.locator("#ob-form").count() == 0
    assert page.locator("#ob-q").count() == 1
    axe(page, "observations, viewer, en, phone")
    assert problems == [], problems
    context.close()
