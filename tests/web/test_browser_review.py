"""Reviewers in a real browser (Debian's chromium): one works through ten queued contacts with the
keyboard only, correcting the need on some and the situation on others; a retrain runs as a job;
the next queue and a contact's history show it; a second reviewer's overlapping labels give an
agreement figure. Every review page is checked with axe-core and photographed at laptop and
phone width in Swedish and English (copied to /tmp/review_shots/ too)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kundfokus.services.accounts import add_user
from kundfokus.services.taxonomy import update_taxonomy
from kundfokus.store.db import session_scope

SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
COPY = Path("/tmp/review_shots")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REASONS = [
    {"label": "card_lost", "name_en": "Lost or stolen card", "name_sv": "Borttappat kort"},
    {"label": "double_charge", "name_en": "Charged twice", "name_sv": "Dubbeldragning"},
    {"label": "close_account", "name_en": "Close account", "name_sv": "Avsluta konto"},
    {"label": "moving", "name_en": "Moving", "name_sv": "Flytt"},
]


def seed(live, prefix: str) -> list[str]:
    """The example contacts (ids prefixed) through the API, and a taxonomy for the reason."""
    rows = pd.read_csv(EXAMPLES / "contacts.csv", dtype=str).to_dict(orient="records")
    for r in rows:
        r["id"] = prefix + r["id"]
    with live.client("analyst") as c:
        r = c.post("/api/v1/contacts", json={"contacts": rows})
        assert r.status_code == 201, r.text
    with session_scope(live.db) as s:
        update_taxonomy(s, {"reason": REASONS}, who="test")
    return [r["id"] for r in rows]


def sign_in(browser, live, email, *, lang="en", size="laptop"):
    context = browser.new_context(viewport=SIZES[size], locale="sv-SE" if lang == "sv" else "en-GB")
    page = context.new_page()
    page.goto(f"{live.url}/login?lang={lang}")
    page.fill("#email", email)
    page.fill("#password", live.password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live.url}/")
    return context, page


def current_id(page) -> str:
    action = page.get_attribute("#rv-form", "action")
    return action.rsplit("/", 1)[1]


def other_choice(page, axis: str) -> tuple[int, str]:
    """The number (1-9) and value of a label of ``axis`` that is not the one selected now."""
    values = page.eval_on_selector_all(
        f"#axis-{axis} ul.rv-choices input", "els => els.map(e => [e.value, e.checked])"
    )
    for n, (value, checked) in enumerate(values[:9], start=1):
        if not checked:
            return n, value
    raise AssertionError(f"no other label on {axis}")


def checked(page, axis: str) -> str | None:
    return page.eval_on_selector_all(
        f"#axis-{axis} ul.rv-choices input:checked", "els => els.length ? els[0].value : null"
    )


@pytest.fixture(scope="module")
def store(live_sqlite):
    ids = seed(live_sqlite, "B")
    with session_scope(live_sqlite.db) as s:
        add_user(s, "second@example.se", role="reviewer", password=live_sqlite.password)
    return live_sqlite, ids


def test_reviewers_work_the_queue_with_the_keyboard_retrain_and_agree(browser, store, axe):
    live, _ = store
    # an admin has every contact reviewed by two people (the overlap share, on the page)
    context, page = sign_in(browser, live, live.emails["admin"])
    page.goto(f"{live.url}/review/agreement")
    page.fill("#a-share", "100")
    page.get_by_role("button", name="Save the share").click()
    page.wait_for_selector("text=The overlap share is saved.")
    assert page.inner_text("#rv-share").strip() == "100%"
    context.close()

    context, page = sign_in(browser, live, live.emails["reviewer"])
    page.goto(f"{live.url}/review")
    axe(page, "review queue")
    page.keyboard.press("?")
    assert page.get_attribute("#rv-keys", "open") is not None
    page.keyboard.press("?")
    first = current_id(page)
    page.keyboard.press("s")  # skip one
    page.wait_for_url(re.compile(r"skip="))
    assert current_id(page) != first
    done: list[tuple[str, str, str, str]] = []  # (contact, axis, before, after)
    undone = False
    while len(done) < 10:
        cid = current_id(page)
        axis, key = ("purpose", "p") if len(done) % 2 == 0 else ("mood", "m")
        before = checked(page, axis)
        n, value = other_choice(page, axis)
        page.keyboard.press(key)
        page.keyboard.press(str(n))
        assert checked(page, axis) == value
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"last={re.escape(cid)}"))
        assert "Saved " + cid in page.inner_text("main")
        if len(done) == 3 and not undone:  # undo once, then correct it again
            page.keyboard.press("u")
            page.wait_for_url(re.compile(r"note=undone"))
            assert current_id(page) == cid and checked(page, axis) == before
            undone = True
            continue
        done.append((cid, axis, before, value))
    assert {a for _, a, _, _ in done} == {"purpose", "mood"}
    assert len({c for c, _, _, _ in done}) == 10  # ten different contacts
    # an unknown label typed in the free field is refused with "did you mean"
    page.keyboard.press("/")
    page.keyboard.press("Escape")
    page.focus("#other_reason")
    page.keyboard.type("card_lots")
    page.keyboard.press("Enter")
    page.wait_for_selector("#rv-errors")
    assert "Did you mean: card_lost" in page.inner_text("#rv-errors")
    axe(page, "review queue with an error")

    # the history of a corrected contact: who, before, after
    cid, axis, before, after = done[0]
    page.goto(f"{live.url}/review/contacts/{cid}")
    axe(page, "contact history")
    history = page.inner_text("table.rv-history")
    assert "reviewer@example.se" in history and after in history and before in history

    # retrain the need's purpose as a job, from the page
    page.goto(f"{live.url}/review/models?axis=purpose")
    axe(page, "models before retraining")
    page.get_by_role("button", name="Retrain Purpose type").click()
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector(".status-done", timeout=120000)
    job_id = page.url.rsplit("/", 1)[1]
    with live.client("reviewer") as api:
        result = api.get(f"/api/v1/jobs/{job_id}").json()["result"]
    page.goto(f"{live.url}/review/models?axis=purpose")
    gate = page.inner_text(".rv-gate")
    version = result["version"]
    if result["promoted"]:
        assert f"Version {version}" in gate and "is in use" in gate
    else:
        assert f"Version {version}" in gate and "kept back" in gate
        assert result["reason"] in gate  # why it was kept back, in plain words
    assert page.locator("img.chart").count() == 1
    assert cid in page.inner_text("main")  # the last corrections
    axe(page, "models after retraining")
    # the next queue: a promoted version's guesses are what the queue shows
    page.goto(f"{live.url}/review")
    shown = page.inner_text("#axis-purpose .rv-guess")
    if result["promoted"]:
        assert f"model v{version}" in shown
    else:
        assert "rules" in shown and "model v" not in shown
    context.close()

    # a second reviewer sees the overlap contacts first and labels some of them
    context, page = sign_in(browser, live, "second@example.se")
    page.goto(f"{live.url}/review?axis=situation")
    seconds = 0
    for i in range(4):
        assert "second look" in page.inner_text(".rv-why")
        if i == 1:  # disagree once on the mood
            n, _ = other_choice(page, "mood")
            page.keyboard.press("m")
            page.keyboard.press(str(n))
        cid = current_id(page)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"last={re.escape(cid)}"))
        seconds += 1
    page.goto(f"{live.url}/review/agreement?axis=mood")
    axe(page, "agreement")
    n_overlap = int(page.inner_text("#rv-n-overlap"))
    assert n_overlap >= seconds
    alpha = page.inner_text("#rv-alpha").strip()
    assert re.fullmatch(r"-?\d\.\d\d", alpha), alpha
    assert page.locator("ul.rv-disagreements > li").count() >= 1
    context.close()


PAGES = (
    ("queue", "/review"),
    ("contact", None),
    ("bulk", "/review/bulk?q=card"),
    ("models", "/review/models?axis=purpose"),
    ("agreement", "/review/agreement?axis=mood"),
)


def test_every_review_page_at_laptop_and_phone_width_in_both_languages(browser, store, axe, shots):
    live, ids = store
    COPY.mkdir(parents=True, exist_ok=True)
    for lang, size in (("en", "laptop"), ("sv", "phone"), ("sv", "laptop"), ("en", "phone")):
        context, page = sign_in(browser, live, live.emails["analyst"], lang=lang, size=size)
        for name, path in PAGES:
            page.goto(f"{live.url}{path or '/review/contacts/' + ids[0]}")
            if name == "queue":
                page.keyboard.press("?")
            axe(page, f"{name} ({lang}, {size})")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= SIZES[size]["width"], f"{name} ({lang}, {size}) is {width} px wide"
            nav = "Granska" if lang == "sv" else "Review"
            assert page.get_by_role("link", name=nav, exact=True).count() == 1
            out = shots / f"review-{name}-{lang}-{size}.png"
            page.screenshot(path=str(out), full_page=True)
            shutil.copy(out, COPY / out.name)
        context.close()
