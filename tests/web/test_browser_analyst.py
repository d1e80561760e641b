"""An analyst in a real browser (Debian's chromium through Playwright): sign in, build a Kano survey
by clicking and typing, look at its results split by channel (htmx), with axe-core finding no WCAG
A/AA violations on the pages, in Swedish and English, at a laptop's and a phone's width.

Screenshots of the builder and the results page go to ``$KUNDFOKUS_SCREENSHOTS`` (default: the
test's temporary folder).
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import httpx
import pytest

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ANSWERS = [  # (chat functional, chat dysfunctional, channel)
    (1, 4, "phone"),
    (1, 5, "phone"),
    (2, 4, "phone"),
    (3, 3, "chat"),
    (1, 3, "chat"),
    (4, 5, "chat"),
]


@pytest.fixture
def axe(request):
    """``run_axe`` of conftest.py as an assertion (tests/ is not a package, so the function is
    taken from the conftest module pytest loaded)."""
    here = Path(__file__).with_name("conftest.py").resolve()
    found = [
        plugin.run_axe
        for plugin in request.config.pluginmanager.get_plugins()
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == here
    ]
    assert found, "tests/web/conftest.py is not loaded"
    run_axe = found[0]

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
    """Collect CSP violations, script errors and failed requests of a page (a failed request is
    also a console error "Failed to load resource": that one is counted by its response)."""

    def console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def response(r) -> None:
        if r.status >= 400 and not r.url.endswith("/favicon.ico"):
            problems.append(f"{r.status} {r.url}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", response)


def _sign_in(page, live, role: str) -> None:
    page.goto(f"{live.url}/login?lang=en")
    page.fill("#email", live.emails[role])
    page.fill("#password", live.password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live.url}/")


def _fits(page, where: str) -> None:
    """Nothing is wider than the window (no sideways scrolling of the page itself)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{where}: the page is {width}px wide in a {inner}px window"


def _charts_loaded(page, *, narrow: bool = False) -> int:
    """How many charts are shown, once the images for the window's width have loaded (the narrow
    versions below 640 px)."""
    page.wait_for_function(
        """narrow => [...document.querySelectorAll('img.chart')].every(i => i.complete &&
           i.naturalWidth > 0 && i.currentSrc.includes('size=narrow') === narrow)""",
        arg=narrow,
        timeout=15000,
    )
    return page.evaluate(
        "[...document.querySelectorAll('img.chart')].filter(i => i.naturalWidth > 0).length"
    )


def test_an_analyst_builds_a_kano_survey_and_reads_its_results(browser, live_sqlite, shots, axe):
    live = live_sqlite
    problems: list[str] = []
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    _watch(page, problems)

    page.goto(f"{live.url}/login?lang=en")
    axe(page, "login en")
    page.goto(f"{live.url}/login?lang=sv")
    axe(page, "login sv")
    _sign_in(page, live, "analyst")

    page.goto(f"{live.url}/surveys?lang=en")
    axe(page, "surveys en")
    page.click("text=New survey")
    page.wait_for_url(f"{live.url}/surveys/new")
    axe(page, "builder en")
    title = f"App {uuid.uuid4().hex[:6]}"
    page.select_option("#kind", "kano")
    page.fill("#title_sv", f"{title} (sv)")
    page.fill("#title_en", title)
    page.select_option("#importance", "1-9")
    page.fill("#row-0-item_id", "chat")
    page.fill("#row-0-label_sv", "chatt med en människa")
    page.fill("#row-0-label_en", "chat with a person")
    page.fill("#row-1-label_sv", "inloggning med BankID")
    page.fill("#row-1-label_en", "BankID sign-in")
    page.click("#add-row")  # htmx: one more row, and the button now adds the one after
    page.wait_for_selector("#row-4-label_en")
    assert "i=5" in page.get_attribute("#add-row", "hx-get")
    page.click("#add-row")
    page.wait_for_selector("#row-5-label_en")
    # switching the kind swaps the fields (htmx) and keeps the title; back to kano
    page.select_option("#kind", "nps")
    page.wait_for_selector("#question_sv")
    assert page.input_value("#title_en") == title
    page.select_option("#kind", "kano")
    page.wait_for_selector("#row-0-label_sv")
    page.fill("#row-0-item_id", "chat")
    page.fill("#row-0-label_sv", "chatt med en människa")
    page.fill("#row-0-label_en", "chat with a person")
    page.fill("#row-1-label_sv", "inloggning med BankID")
    page.fill("#row-1-label_en", "BankID sign-in")
    page.select_option("#importance", "1-9")
    for lang in ("en", "sv"):
        for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=str(shots / f"builder-{lang}-{name}.png"), full_page=True)
            _fits(page, f"builder {lang} {name}")
        if lang == "en":  # the Swedish builder (a fresh form), its axe run and screenshots
            page.goto(f"{live.url}/surveys/new?lang=sv")
            axe(page, "builder sv")
            page.fill("#title_sv", "Appen")
            page.fill("#row-0-label_sv", "chatt med en människa")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live.url}/surveys/new?lang=en")
    page.fill("#title_sv", f"{title} (sv)")
    page.fill("#title_en", title)
    page.select_option("#importance", "1-9")
    page.fill("#row-0-item_id", "chat")
    page.fill("#row-0-label_sv", "chatt med en människa")
    page.fill("#row-0-label_en", "chat with a person")
    page.fill("#row-1-item_id", "bankid")
    page.fill("#row-1-label_sv", "inloggning med BankID")
    # a missing English label: the form comes back with the message at the field
    page.click("text=Create the survey")
    page.wait_for_selector("#row-1-label_en-error")
    assert "A text in English is required" in page.inner_text("#row-1-label_en-error")
    assert page.get_attribute("#row-1-label_en", "aria-invalid") == "true"
    assert problems == [f"422 {live.url}/surveys/new"]  # that one was meant
    problems.clear()
    axe(page, "builder with an error")
    page.fill("#row-1-label_en", "BankID sign-in")
    page.click("text=Create the survey")
    page.wait_for_url(re.compile(r".*/surveys/\d+$"))
    survey_id = int(page.url.rsplit("/", 1)[1])
    assert page.inner_text("h1") == title
    axe(page, "survey page en")
    page.goto(f"{live.url}/surveys/{survey_id}?lang=sv")
    assert page.inner_text("h1") == f"{title} (sv)"
    axe(page, "survey page sv")
    assert "embed.js" in page.inner_text("pre.snippet >> nth=0")
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(shots / f"survey-sv-{name}.png"), full_page=True)
        _fits(page, f"survey page {name}")
    page.set_viewport_size(LAPTOP)

    # empty state, then answers posted through the public API
    page.goto(f"{live.url}/surveys/{survey_id}/results?lang=en")
    assert "No answers yet" in page.inner_text("#results")
    with httpx.Client(base_url=live.url, timeout=60) as c:
        for f, d, channel in ANSWERS:
            r = c.post(
                f"/api/v1/surveys/{survey_id}/responses",
                json={
                    "client_token": uuid.uuid4().hex,
                    "answers": {
                        "chat_functional": f,
                        "chat_dysfunctional": d,
                        "chat_importance": 7,
                        "bankid_functional": 1,
                        "bankid_dysfunctional": 5,
                    },
                    "context": {"channel": channel},
                },
            )
            assert r.status_code == 201, r.text

    page.goto(f"{live.url}/surveys/{survey_id}/results?lang=en")
    assert "6 complete answers" in page.inner_text("#results-count")
    assert _charts_loaded(page) == 2
    page.select_option("#by", "channel")  # htmx swaps the results block
    page.wait_for_function(
        "() => document.querySelector('#results-count').textContent.includes('channel')"
    )
    assert "by=channel" in page.url  # the address follows (hx-push-url)
    table = page.inner_text("#results table")
    assert "phone" in table and "chat with a person" in table and "BankID sign-in" in table
    assert _charts_loaded(page) == 2
    alts = page.eval_on_selector_all("img.chart", "els => els.map(e => e.alt)")
    assert all("chat with a person" in a for a in alts)
    axe(page, "results en")
    page.select_option("#rule", "moai")
    page.wait_for_url(re.compile(r".*rule=moai.*"))
    page.select_option("#rule", "mode")
    page.wait_for_url(re.compile(r".*rule=mode.*"))
    for lang in ("en", "sv"):
        page.set_viewport_size(LAPTOP)
        page.goto(f"{live.url}/surveys/{survey_id}/results?lang={lang}&by=channel")
        assert _charts_loaded(page) == 2
        if lang == "sv":
            assert "uppdelat efter channel" in page.inner_text("#results-count")
            axe(page, "results sv")
        for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            assert _charts_loaded(page, narrow=viewport is PHONE) == 2
            page.screenshot(path=str(shots / f"results-{lang}-{name}.png"), full_page=True)
            _fits(page, f"results {lang} {name}")

    # the results as a job: the job page polls until done and then shows the table
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live.url}/surveys/{survey_id}/results?lang=en&by=channel")
    page.click("text=Compute as a job")
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    page.wait_for_selector("#job-status .status-done", timeout=30000)
    assert "chat with a person" in page.inner_text("#job-status")
    axe(page, "job page")
    context.close()
    assert problems == [], problems


def test_the_admin_users_page_has_no_accessibility_violations(browser, live_sqlite, shots, axe):
    problems: list[str] = []
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    _watch(page, problems)
    _sign_in(page, live_sqlite, "admin")
    for lang in ("en", "sv"):
        page.goto(f"{live_sqlite.url}/admin/users?lang={lang}")
        axe(page, f"users {lang}")
        page.goto(f"{live_sqlite.url}/surveys?lang={lang}")
        axe(page, f"surveys {lang}")
        page.goto(f"{live_sqlite.url}/jobs?lang={lang}")
        axe(page, f"jobs {lang}")
        page.goto(f"{live_sqlite.url}/admin/users?lang={lang}")
        for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            _fits(page, f"users {lang} {name}")
            page.screenshot(path=str(shots / f"users-{lang}-{name}.png"), full_page=True)
        page.set_viewport_size(LAPTOP)
    # add a user by typing, then disable them
    email = f"browser-{uuid.uuid4().hex[:6]}@example.se"
    page.goto(f"{live_sqlite.url}/admin/users?lang=en")
    page.fill("#new-email", email)
    page.select_option("#new-role", "viewer")
    page.fill("#new-password", live_sqlite.password)
    page.click("text=Add the user")
    page.wait_for_selector("text=The user was added.")
    page.click(f"button[aria-label='Disable {email}']")
    page.wait_for_selector("text=The user was disabled and signed out.")
    assert page.is_visible(f"button[aria-label='Enable {email}']")
    axe(page, "users after changes")
    context.close()
    assert problems == [], problems
