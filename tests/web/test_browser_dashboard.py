"""A viewer in a real browser (Debian's chromium through Playwright) on the demo organisation:
open the leadership dashboard in Swedish, filter it by situation, download a chart and its data,
with axe-core finding no WCAG A/AA violation, in Swedish and English, at a laptop's and a phone's
width, and a large screen's. Screenshots go to ``$KUNDFOKUS_SCREENSHOTS`` (default: the test's
temporary folder) and to /tmp/shots_dashboard/.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kundfokus.services.demo_org import LOGINS, build_demo_org
from kundfokus.settings import Settings

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LARGE = {"width": 1920, "height": 1080}
SHOTS = Path("/tmp/shots_dashboard")


def _conftest(request):
    here = Path(__file__).with_name("conftest.py").resolve()
    for plugin in request.config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == here:
            return plugin
    raise AssertionError("tests/web/conftest.py is not loaded")


@pytest.fixture(scope="module")
def demo_server(request, tmp_path_factory) -> Iterator[str]:
    from kundfokus.web.app import create_app

    org = build_demo_org(str(tmp_path_factory.mktemp("dash") / "demo.db"))
    app = create_app(org.url, settings=Settings(db=org.url, secret_key="k"), start_jobs=False)
    server = _conftest(request).LiveServer(app).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def axe(request):
    run_axe = _conftest(request).run_axe

    def check(page, where: str) -> None:
        violations = run_axe(page)
        assert violations == [], f"{where}: {violations}"

    return check


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("KUNDFOKUS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _watch(page, problems: list[str]) -> None:
    def console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def response(r) -> None:
        if r.status >= 400 and not r.url.endswith("/favicon.ico"):
            problems.append(f"{r.status} {r.url}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", response)


def _charts_loaded(page) -> int:
    page.wait_for_function(
        "[...document.querySelectorAll('img.chart')].every(i => i.complete && i.naturalWidth > 0)",
        timeout=60000,
    )
    return page.evaluate("document.querySelectorAll('img.chart').length")


def _fits(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{where}: the page is {width}px wide in a {inner}px window"


def _shoot(page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _drawn_for(page, size: str, width: int) -> None:
    """Every chart is the variant drawn for this screen (not a larger one scaled down)."""
    ready = (
        f"[...document.querySelectorAll('img.chart')].every(i => i.complete && "
        f"i.currentSrc.includes('size={size}') && i.naturalWidth > 0)"
    )
    deadline = time.monotonic() + 60
    while not page.evaluate(ready):  # polled from here: the page's CSP forbids eval in it
        assert time.monotonic() < deadline, f"the {size} charts did not load"
        page.wait_for_timeout(200)
    widths = page.evaluate(
        "[...document.querySelectorAll('img.chart')].map(i => [i.naturalWidth, i.clientWidth])"
    )
    assert widths and all(natural == width for natural, _ in widths), widths
    assert all(shown >= 0.9 * natural for natural, shown in widths), widths


def test_a_viewer_reads_filters_and_downloads_the_dashboard(browser, demo_server, shots, axe):
    url = demo_server
    viewer = next(x for x in LOGINS if x.role == "viewer")
    problems: list[str] = []
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    _watch(page, problems)

    page.goto(f"{url}/login?lang=sv")
    page.fill("#email", viewer.email)
    page.fill("#password", viewer.password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")

    page.click("header nav >> text=Översikt för ledningen")
    page.wait_for_url(f"{url}/dashboard")
    assert page.locator("h1").inner_text() == "Översikt för ledningen"
    assert _charts_loaded(page) >= 8
    everything = page.locator("#contacts .kpi-value .big").inner_text()
    # churn, retention, CLV and the value at risk of the demo's contracts and purchases
    assert page.locator("#churn .kpi-value .big").inner_text().endswith("%")
    assert "under 50 %" in page.locator("#risk").inner_text()
    assert page.locator("#chart-retention img.chart").is_visible()
    assert page.locator("#recommendations .dash-note").count() >= 1
    axe(page, "dashboard sv")
    _fits(page, "dashboard sv laptop")
    _shoot(page, shots, "dashboard-sv-laptop")

    # filter the whole page by situation
    page.select_option("#f-situation", "power_outage")
    page.click(".dash-filters button[type=submit]")
    page.wait_for_url("**situation=power_outage**")
    assert "situation=power_outage" in page.url
    assert "power_outage" in page.locator("#dash-active").inner_text()
    assert page.locator("#f-situation").input_value() == "power_outage"
    filtered = page.locator("#contacts .kpi-value .big").inner_text()
    assert int(filtered) < int(everything)
    assert _charts_loaded(page) >= 4
    axe(page, "dashboard sv filtered")

    # download a chart and its data: the files of the filtered view
    with page.expect_download() as info:
        page.click("[data-download='svg-nps']")
    download = info.value
    assert download.suggested_filename == "dashboard-nps-month-power_outage.svg"
    target = shots / download.suggested_filename
    download.save_as(str(target))
    assert target.read_text(encoding="utf-8").lstrip().startswith("<svg")
    with page.expect_download() as info:
        page.click("[data-download='png-kano']")
    assert info.value.suggested_filename.endswith(".png")
    with page.expect_download() as info:
        page.click("[data-download='csv-nps']")
    csv_path = shots / info.value.suggested_filename
    info.value.save_as(str(csv_path))
    assert csv_path.read_text(encoding="utf-8").startswith("period,")

    page.set_viewport_size(PHONE)
    _drawn_for(page, "narrow", 320)
    _fits(page, "dashboard sv phone")
    _shoot(page, shots, "dashboard-sv-phone")
    page.set_viewport_size(LARGE)
    _drawn_for(page, "wide", 500)
    _fits(page, "dashboard sv large")
    _shoot(page, shots, "dashboard-sv-large")

    # English, both widths
    page.set_viewport_size(LAPTOP)
    page.goto(f"{url}/dashboard?lang=en")
    assert page.locator("h1").inner_text() == "Leadership dashboard"
    _charts_loaded(page)
    axe(page, "dashboard en")
    _fits(page, "dashboard en laptop")
    _shoot(page, shots, "dashboard-en-laptop")
    page.locator("#customers").screenshot(path=str(shots / "dashboard-en-laptop-customers.png"))
    page.set_viewport_size(PHONE)
    _drawn_for(page, "narrow", 320)
    _fits(page, "dashboard en phone")
    axe(page, "dashboard en phone")
    _shoot(page, shots, "dashboard-en-phone")
    page.locator("#customers").screenshot(path=str(shots / "dashboard-en-phone-customers.png"))
    page.set_viewport_size(LARGE)
    _drawn_for(page, "wide", 500)
    _fits(page, "dashboard en large")
    axe(page, "dashboard en large")
    _shoot(page, shots, "dashboard-en-large")
    for path in shots.glob("dashboard-en-*-customers.png"):
        shutil.copy(path, SHOTS / path.name)
    context.close()
    assert problems == []
