"""The guided start in a real browser (Debian's chromium through Playwright), from an EMPTY store:
an admin signs in, follows "Kom igång" on the overview, chooses the demo organisation, sees the
plan with one reason per choice, sets it up, lands on the page that lists what was set up, and the
dashboard then shows data. Then, in English on a phone's width, an analyst's own answers (win
customers, features, outcomes) give a plan and a drafted Kano survey. axe-core finds no WCAG A/AA
violation on any page; screenshots at 1280 and 390 px in Swedish and English go to
/tmp/shots_start/ (and ``$KUNDFOKUS_SCREENSHOTS``). The API (``/api/v1/start/plan|apply``) is
checked on the same server afterwards.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kundfokus.services.accounts import add_user, create_token
from kundfokus.settings import Settings
from kundfokus.store.db import session_scope
from kundfokus.store.testing import temporary_store

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots_start")
PASSWORD = "a long enough password 2026"
ADMIN = "owner@example.se"
ANALYST = "analyst@example.se"


def _conftest(request):
    here = Path(__file__).with_name("conftest.py").resolve()
    for plugin in request.config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == here:
            return plugin
    raise AssertionError("tests/web/conftest.py is not loaded")


@pytest.fixture(scope="module")
def empty_server(request, tmp_path_factory) -> Iterator[dict]:
    """A server on a store that holds nothing but an admin and an analyst."""
    from kundfokus.web.app import create_app

    with temporary_store("sqlite", tmp_path_factory.mktemp("start")) as url:
        with session_scope(url) as s:
            add_user(s, ADMIN, role="admin", password=PASSWORD, lang="sv")
            add_user(s, ANALYST, role="analyst", password=PASSWORD, lang="en")
            s.flush()
            token, _ = create_token(s, ANALYST, "tests")
        app = create_app(url, settings=Settings(db=url, secret_key="k"), start_jobs=False)
        server = _conftest(request).LiveServer(app).start()
        try:
            yield {"url": server.url, "db": url, "token": token}
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
def snap(tmp_path, axe):
    """``snap(page, name)``: axe and a screenshot at the laptop's and the phone's width."""
    folder = Path(os.environ.get("KUNDFOKUS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        for label, size in (("1280", LAPTOP), ("390", PHONE)):
            page.set_viewport_size(size)
            axe(page, f"{name} at {label}")
            path = folder / f"{name}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            shutil.copy(path, SHOTS / path.name)
            # nothing is wider than the window (no sideways scrolling on a phone)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{name} at {label} scrolls sideways by {overflow}px"
        page.set_viewport_size(LAPTOP)

    return take


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def test_an_admin_sets_up_the_demo_from_an_empty_store(browser, empty_server, snap):
    base = empty_server["url"]
    context = browser.new_context(viewport=LAPTOP, locale="sv-SE")
    page = context.new_page()
    try:
        _sign_in(page, base, ADMIN)
        link = page.locator("#get-started")
        assert link.inner_text() == "Kom igång"
        snap(page, "home-sv")
        link.click()
        page.wait_for_url(f"{base}/start")
        assert page.locator("h1").inner_text() == "Kom igång"
        assert page.locator("#demo-heading").inner_text() == "Prova med demoorganisationen"
        snap(page, "start-sv")

        page.locator("#try-demo").click()
        page.wait_for_selector("#plan")
        assert page.locator("#plan-heading").inner_text() == "Planen för demoorganisationen"
        steps = page.locator("li.plan-step")
        keys = [steps.nth(i).get_attribute("data-step") for i in range(steps.count())]
        assert keys[:4] == ["kano", "odi", "nps", "ces"] and keys[-2:] == ["cpis", "panels"]
        kano = page.locator('li.plan-step[data-step="kano"]').inner_text()
        assert "Kano visar vilka egenskaper som är baskrav" in kano
        assert "nämnde 7 egenskaper" in kano
        snap(page, "plan-demo-sv")

        page.locator("#set-up").click()
        page.wait_for_url(f"{base}/start/done", timeout=180_000)
        assert page.locator("h1").inner_text() == "Uppsatt"
        rows = page.locator("table.done-surveys tbody tr")
        kinds = {rows.nth(i).get_attribute("data-survey") for i in range(rows.count())}
        assert kinds == {"kano", "odi", "nps", "ces"}
        assert page.locator("ul.done-cpis li").count() == 9
        assert page.locator('ul.done-panels li[data-panel="needs"]').count() == 1
        snap(page, "done-demo-sv")

        # the survey links lead to the surveys
        page.locator('tr[data-survey="kano"] td a').first.click()
        page.wait_for_url(f"{base}/surveys/*")
        page.go_back()
        page.locator("#open-dashboard").click()
        page.wait_for_url(f"{base}/dashboard")
        assert page.locator("#kpis article.kpi").count() >= 3
        assert page.locator("#contacts .kpi-value .big").inner_text().strip() == "320"

        # the store is no longer fresh: the overview no longer pushes the guided start
        page.goto(f"{base}/")
        assert page.locator("#get-started").count() == 0
        page.goto(f"{base}/start")
        assert page.locator("#try-demo").count() == 0
        assert page.locator('input[name="data"][value="contacts"]').is_checked()
    finally:
        context.close()


def test_an_analyst_plans_their_own_in_english_on_a_phone(browser, empty_server, snap):
    base = empty_server["url"]
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        _sign_in(page, base, ANALYST)
        page.goto(f"{base}/start?lang=en")
        assert page.locator("h1").inner_text() == "Get started"
        # no challenge chosen: the error is shown and named
        page.locator("#show-plan").click()
        assert page.locator(".error-summary").inner_text().count("Choose a challenge.") == 1
        assert page.locator("#challenge-error").is_visible()
        snap(page, "start-error-en")

        page.get_by_label("Win more customers").check()
        page.fill(
            "#features",
            "Chat on the web\n\nA call back instead of the queue\nSMS during an outage\n",
        )
        page.fill("#outcomes", "Minimize the time it takes to get an answer")
        page.locator("#show-plan").click()
        page.wait_for_selector("#plan")
        kano = page.locator('li.plan-step[data-step="kano"]').inner_text()
        assert "Kano shows which features are must-be before you promise more" in kano
        assert "named 3 features" in kano
        assert page.locator("#features").input_value().splitlines() == [
            "Chat on the web",
            "A call back instead of the queue",
            "SMS during an outage",
        ]
        snap(page, "plan-own-en")

        page.locator("#set-up").click()
        page.wait_for_url(f"{base}/start/done")
        kano_row = page.locator('tr[data-survey="kano"]')
        assert "created" in kano_row.inner_text()
        # the demo's NPS survey is reused, not sent twice
        assert "already there" in page.locator('tr[data-survey="nps"]').inner_text()
        snap(page, "done-own-en")
        kano_row.locator("td a").first.click()
        page.wait_for_url(f"{base}/surveys/*")
        assert "Chat on the web" in page.locator("main").inner_text()
    finally:
        context.close()


def test_the_api_plans_and_sets_up(empty_server):
    headers = {"Authorization": f"Bearer {empty_server['token']}"}
    with httpx.Client(base_url=empty_server["url"], headers=headers, timeout=60) as c:
        body = {"challenge": "keep", "data": ["contacts"], "lang": "en"}
        r = c.post("/api/v1/start/plan", json=body)
        assert r.status_code == 200, r.text
        plan = r.json()
        assert [s["key"] for s in plan["steps"]][:2] == ["ces", "import:contracts"]
        assert plan["steps"][1]["reason"].startswith("Churn and CLV need contracts or purchases")
        first = c.post("/api/v1/start/apply", json=body)
        assert first.status_code == 201, first.text
        second = c.post("/api/v1/start/apply", json=body)
        assert [s["id"] for s in second.json()["surveys"]] == [
            s["id"] for s in first.json()["surveys"]
        ]
        assert second.json()["panels"][0] == "kpis"
        bad = c.post("/api/v1/start/plan", json={"challenge": "win", "features": ["a", " "]})
        assert bad.status_code == 422 and bad.json()["field"] == "features"
        missing = c.post("/api/v1/start/apply", json={})
        assert missing.status_code == 422
        demo_again = c.post("/api/v1/start/apply", json={"demo": True})
        assert demo_again.status_code == 201  # the demo is there: built once, plan reused
    with httpx.Client(base_url=empty_server["url"], timeout=60) as anonymous:
        assert anonymous.post("/api/v1/start/plan", json={}).status_code == 401
