"""A viewer in a real browser (Debian's chromium through Playwright) on the demo organisation:
open the leadership dashboard, filter it, click "Ladda ner PDF" / "Download PDF" and get the PDF
report of what the page shows, in Swedish and English, with axe-core finding no WCAG A/AA
violation and the link fitting a laptop's and a phone's width. Screenshots go to
``$KUNDFOKUS_SCREENSHOTS`` (default: the test's temporary folder) and to /tmp/shots_report/."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kundfokus.services.demo_org import LOGINS, build_demo_org
from kundfokus.settings import Settings

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots_report")


def _conftest(request):
    here = Path(__file__).with_name("conftest.py").resolve()
    for plugin in request.config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == here:
            return plugin
    raise AssertionError("tests/web/conftest.py is not loaded")


@pytest.fixture(scope="module")
def demo_server(request, tmp_path_factory) -> Iterator[str]:
    from kundfokus.web.app import create_app

    org = build_demo_org(str(tmp_path_factory.mktemp("report") / "demo.db"))
    settings = Settings(db=org.url, secret_key="k", organisation="Nordström Energi")
    app = create_app(org.url, settings=settings, start_jobs=False)
    server = _conftest(request).LiveServer(app).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("KUNDFOKUS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shoot(page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _fits(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{where}: the page is {width}px wide in a {inner}px window"
    box = page.locator("a.dash-pdf").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner, where


def _download(page, shots: Path) -> tuple[str, str]:
    with page.expect_download(timeout=120000) as info:
        page.click("a.dash-pdf")
    download = info.value
    target = shots / download.suggested_filename
    download.save_as(str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 7
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    return download.suggested_filename, text


def test_a_viewer_downloads_the_dashboard_as_pdf(request, browser, demo_server, shots):
    axe_run = _conftest(request).run_axe
    url = demo_server
    viewer = next(x for x in LOGINS if x.role == "viewer")
    problems: list[str] = []
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{url}/login?lang=sv")
    page.fill("#email", viewer.email)
    page.fill("#password", viewer.password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/dashboard?lang=sv")
    link = page.locator("a.dash-pdf")
    assert link.inner_text() == "Ladda ner PDF"
    assert axe_run(page) == []
    _fits(page, "sv laptop")
    _shoot(page, shots, "report-link-sv-laptop")

    # the PDF of what the page shows: the filtered view, in Swedish
    page.select_option("#f-situation", "power_outage")
    page.click(".dash-filters button[type=submit]")
    page.wait_for_url("**situation=power_outage**")
    assert "situation=power_outage" in (link.get_attribute("href") or "")
    name, text = _download(page, shots)
    assert name.startswith("rapport-ledningen-") and name.endswith(".pdf")
    assert "Rapport för ledningen" in text and "Nordström Energi" in text
    assert "situation = power_outage" in text
    assert "Kano-prioriteringar" in text

    page.set_viewport_size(PHONE)
    _fits(page, "sv phone")
    _shoot(page, shots, "report-link-sv-phone")

    # English
    page.set_viewport_size(LAPTOP)
    page.goto(f"{url}/dashboard?lang=en")
    assert link.inner_text() == "Download PDF"
    assert axe_run(page) == []
    _fits(page, "en laptop")
    _shoot(page, shots, "report-link-en-laptop")
    name, text = _download(page, shots)
    assert name.startswith("leadership-report-")
    assert "Leadership report" in text and "Rapport för ledningen" not in text
    assert "none (everything)" in text
    page.set_viewport_size(PHONE)
    _fits(page, "en phone")
    _shoot(page, shots, "report-link-en-phone")
    context.close()
    assert problems == []
