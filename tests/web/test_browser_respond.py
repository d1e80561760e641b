"""The respondent side in a real browser (Debian's chromium through Playwright): a Kano survey in
Swedish and English (partly by keyboard), the embedded NPS widget on a page of another origin, the
iframe variant, axe-core's WCAG A/AA checks, and screenshots at laptop and phone sizes.

Screenshots go to ``$KUNDFOKUS_SCREENSHOTS`` (default: the test's temporary folder).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest


def _helpers():
    """``free_port`` and ``run_axe`` from this folder's conftest (the folder is not a package, so
    take the module pytest has loaded already, or load it by path)."""
    path = Path(__file__).with_name("conftest.py").resolve()
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) and Path(module.__file__).resolve() == path:
            return module.free_port, module.run_axe
    name = "kundfokus_web_test_conftest"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module.free_port, module.run_axe


free_port, run_axe = _helpers()

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LOCALES = {"sv": "sv-SE", "en": "en-GB"}
KANO = {
    "kind": "kano",
    "title": {"sv": "Appen", "en": "The app"},
    "importance": "1-9",
    "items": [
        {"id": "chat", "label_sv": "chatt med en människa", "label_en": "chat with a person"},
        {"id": "bankid", "label_sv": "inloggning med BankID", "label_en": "BankID sign-in"},
        {
            "id": "callback",
            "label_sv": "att bli uppringd när det är min tur i kön",
            "label_en": "a call back when it is my turn in the queue",
        },
    ],
}
NPS = {"kind": "nps", "title": {"sv": "Efter köpet", "en": "After your purchase"}}


def _create(live, spec):
    with live.client("analyst") as c:
        r = c.post("/api/v1/surveys", json=spec)
    assert r.status_code == 201, r.text
    return r.json()


def _csv(live, survey) -> pd.DataFrame:
    with live.client("analyst") as c:
        r = c.get(f"/api/v1/surveys/{survey['id']}/responses.csv")
    assert r.status_code == 200
    return pd.read_csv(io.StringIO(r.text), dtype=str) if r.text.strip() else pd.DataFrame()


def _no_violations(page, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{where}: {violations}"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """A second web server, on another port (another origin), serving host pages from a folder."""
    folder = tmp_path_factory.mktemp("host")
    port = free_port()
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("KUNDFOKUS_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _host_page(folder: Path, name: str, lang: str, body: str, live_url: str) -> str:
    """A shop page with a strict CSP of its own: the widget must work without inline styles."""
    csp = (
        f"default-src 'self'; script-src 'self' {live_url}; style-src 'self' {live_url}; "
        f"connect-src {live_url}; frame-src {live_url}"
    )
    title = "Kassan" if lang == "sv" else "Checkout"
    (folder / name).write_text(
        f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title} · Shop</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{"Tack för din beställning." if lang == "sv" else "Thank you for your order."}</p>
{body}
</main>
</body>
</html>
""",
        encoding="utf-8",
    )
    return name


def _widget_tag(live_url: str, survey: dict, **attrs: str) -> str:
    extra = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    return (
        f'<script src="{live_url}/embed.js" data-survey="{survey["public_id"]}" '
        f'data-journey-step="checkout" data-channel="web" {extra} async></script>'
    )


def _answer_kano(page, lang: str, n_features: int, where: str) -> None:
    """Go through every step; the first step by keyboard only."""
    texts = {
        "sv": ("Steg {k} av {n}", "Nästa", "Skicka", "Tack!"),
        "en": ("Step {k} of {n}", "Next", "Send", "Thank you!"),
    }[lang]
    for k in range(1, n_features + 1):
        page.wait_for_selector(".progress-text")
        assert page.locator(".progress-text").inner_text() == texts[0].format(k=k, n=n_features)
        _no_violations(page, f"{where} step {k}")
        fid = KANO["items"][k - 1]["id"]
        if k == 1:
            # keyboard: Tab into the first group, arrows and space choose, Enter goes on
            page.locator(".intro").click()
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.name") == f"{fid}_functional"
            page.keyboard.press("ArrowDown")  # the second option: must-be
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.name") == f"{fid}_dysfunctional"
            page.keyboard.press("ArrowUp")  # from the first option up wraps to the last: dislike
            page.keyboard.press("Tab")
            page.keyboard.press("Space")  # importance 1 ...
            for _ in range(6):
                page.keyboard.press("ArrowRight")  # ... to 7
            assert page.is_checked(f"#{fid}_functional-2")
            assert page.is_checked(f"#{fid}_dysfunctional-5")
            assert page.is_checked(f"#{fid}_importance-7")
            with page.expect_navigation():
                page.keyboard.press("Enter")
        else:
            page.locator(f"label[for={fid}_functional-1]").click()
            page.locator(f"label[for={fid}_dysfunctional-4]").click()
            page.locator(f"label[for={fid}_importance-{k + 3}]").click()
            button = texts[2] if k == n_features else texts[1]
            with page.expect_navigation():
                page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == texts[3]
    _no_violations(page, f"{where} thanks")


def test_a_respondent_answers_a_kano_survey_in_swedish_and_english(browser, live_sqlite):
    live = live_sqlite
    s = _create(live, KANO)
    n = len(KANO["items"])
    for lang, viewport in (("sv", PHONE), ("en", LAPTOP)):
        context = browser.new_context(viewport=viewport, locale=LOCALES[lang])
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{live.url}/s/{s['public_id']}?step=app_start&channel=app")
        assert page.get_attribute("html", "lang") == lang  # from the browser's language
        _answer_kano(page, lang, n, f"kano {lang}")
        context.close()
    with live.client("viewer") as c:
        r = c.get(f"/api/v1/surveys/{s['id']}/results")
    assert r.status_code == 200, r.text
    features = {f["feature"]: f for f in r.json()}
    assert features["chat"]["n"] == 2 and features["chat"]["M"] == 2  # must-be + dislike
    assert features["callback"]["n"] == 2
    rows = _csv(live, s)
    assert sorted(rows["lang"]) == ["en", "sv"]
    assert set(rows["journey_step"]) == {"app_start"} and set(rows["channel"]) == {"app"}


def test_the_language_switch_and_the_nps_page_are_accessible(browser, live_sqlite):
    live = live_sqlite
    s = _create(live, NPS)
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live.url}/s/{s['public_id']}")
    assert page.locator("legend").inner_text().startswith("Hur troligt")
    _no_violations(page, "nps sv")
    page.get_by_role("link", name="In English").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("legend").inner_text().startswith("How likely")
    _no_violations(page, "nps en")
    # an error is shown next to the question and is accessible too
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(".field-error")
    assert page.locator("#err-score").inner_text() == "Please choose an answer."
    _no_violations(page, "nps en error")
    page.locator("label[for=score-8]").click()
    page.fill("#comment", "Quick and friendly")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(".thanks")
    context.close()
    rows = _csv(live, s)
    assert len(rows) == 1 and rows.loc[0, "score"] == "8" and rows.loc[0, "lang"] == "en"


def test_the_embedded_widget_works_on_another_site_in_both_languages(browser, live_sqlite, host):
    live = live_sqlite
    folder, host_url = host
    s = _create(live, NPS)
    sv = _host_page(folder, "shop-sv.html", "sv", _widget_tag(live.url, s, **{"data-lang": "sv"}),
                    live.url)  # fmt: skip
    en = _host_page(folder, "shop-en.html", "en",
                    _widget_tag(live.url, s, **{"data-ctx-order-id": "A-1001"}), live.url)  # fmt: skip

    # Swedish, chosen by data-lang; the first Send without a score is the server's 422
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{host_url}/{sv}")
    page.wait_for_selector(".kf-widget fieldset")
    assert page.locator(".kf-legend").inner_text().startswith("Hur troligt")
    assert page.locator(".kf-widget").get_attribute("lang") == "sv"
    _no_violations(page, "widget sv")
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_selector(".kf-q .kf-error:not([hidden])")
    assert page.locator(".kf-q .kf-error").inner_text() == "Välj ett svar."
    page.locator(".kf-pt input[value='9']").check()
    page.fill(".kf-textarea", "Smidigt")
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_selector(".kf-thanks")
    assert page.locator(".kf-thanks").inner_text() == "Tack! Ditt svar är sparat."
    page.reload()  # the same tab remembers the answer: no second question, no second count
    page.wait_for_selector(".kf-thanks")
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()

    # English from the browser's language; the first attempt is lost on the network: the widget
    # tries again with the same client token
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    seen: list[str] = []

    def flaky(route):
        seen.append(route.request.post_data or "")
        if route.request.method == "POST" and len(seen) == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/surveys/*/responses", flaky)
    page.goto(f"{host_url}/{en}")
    page.wait_for_selector(".kf-widget fieldset")
    assert page.locator(".kf-legend").inner_text().startswith("How likely")
    _no_violations(page, "widget en")
    page.locator(".kf-pt input[value='3']").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # 4, by keyboard
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(".kf-thanks", timeout=15000)
    context.close()
    posts = [p for p in seen if p]
    assert len(posts) >= 2 and len({json.loads(p)["client_token"] for p in posts}) == 1

    rows = _csv(live, s)
    assert len(rows) == 2
    by_lang = {r["lang"]: r for _, r in rows.iterrows()}
    assert by_lang["sv"]["score"] == "9" and by_lang["sv"]["comment"] == "Smidigt"
    assert by_lang["en"]["score"] == "4" and by_lang["en"]["order_id"] == "A-1001"
    for r in by_lang.values():
        assert r["journey_step"] == "checkout" and r["channel"] == "web"


def test_the_iframe_variant_loads_inside_another_site(browser, live_sqlite, host):
    live = live_sqlite
    folder, host_url = host
    s = _create(live, NPS)
    frame = (
        f'<iframe src="{live.url}/s/{s["public_id"]}/embed?step=checkout&amp;channel=web&amp;'
        f'lang=sv" title="Återkoppling" width="420" height="300"></iframe>'
    )
    name = _host_page(folder, "iframe-sv.html", "sv", frame, live.url)
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{host_url}/{name}")
    inner = page.frame_locator("iframe")
    inner.locator("legend").wait_for()
    assert inner.locator("legend").inner_text().startswith("Hur troligt")
    _no_violations(page, "iframe host")
    inner.locator("label[for=score-10]").click()
    inner.get_by_role("button", name="Skicka").click()
    inner.locator(".thanks-short").wait_for()
    assert inner.locator(".thanks-short").inner_text() == "Tack! Ditt svar är sparat."
    # the compact page itself, on its own
    page.goto(f"{live.url}/s/{s['public_id']}/embed?lang=en")
    _no_violations(page, "iframe page en")
    context.close()
    rows = _csv(live, s)
    assert len(rows) == 1 and rows.loc[0, "journey_step"] == "checkout"
    assert rows.loc[0, "channel"] == "web" and rows.loc[0, "score"] == "10"


def test_screenshots_at_laptop_and_phone_size(browser, live_sqlite, host, shots):
    live = live_sqlite
    folder, host_url = host
    kano = _create(live, KANO)
    nps = _create(live, NPS)
    for lang in ("sv", "en"):
        page_name = _host_page(folder, f"shots-{lang}.html", lang,
                               _widget_tag(live.url, nps, **{"data-lang": lang}), live.url)  # fmt: skip
        for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport, locale=LOCALES[lang])
            context.set_default_timeout(10_000)
            page = context.new_page()
            page.goto(f"{live.url}/s/{kano['public_id']}?lang={lang}")
            page.locator("label[for=chat_functional-1]").click()
            page.locator("label[for=chat_importance-8]").click()
            page.screenshot(path=str(shots / f"kano-step-{lang}-{size}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            page.goto(f"{live.url}/s/{nps['public_id']}?lang={lang}")
            page.locator("#score-9").focus()
            page.keyboard.press("Space")
            page.screenshot(path=str(shots / f"nps-{lang}-{size}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            page.goto(f"{host_url}/{page_name}")
            page.wait_for_selector(".kf-widget fieldset")
            page.locator(".kf-pt input[value='8']").focus()
            page.keyboard.press("Space")  # chosen by keyboard: the focus ring shows
            page.screenshot(path=str(shots / f"widget-{lang}-{size}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            context.close()
    assert len(list(shots.glob("*.png"))) >= 12
