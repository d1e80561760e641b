"""The review pages over HTTP on the real server (SQLite and PostgreSQL): who may open them, CSRF,
saving an axis with its audit trail, an unknown label refused with "did you mean", undo, bulk,
retraining as a job, agreement."""

from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from kundfokus.services.taxonomy import update_taxonomy
from kundfokus.store.db import session_scope

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REASONS = [
    {"label": "card_lost", "name_en": "Lost or stolen card", "name_sv": "Borttappat kort"},
    {"label": "double_charge", "name_en": "Charged twice", "name_sv": "Dubbeldragning"},
    {"label": "close_account", "name_en": "Close account", "name_sv": "Avsluta konto"},
    {"label": "moving", "name_en": "Moving", "name_sv": "Flytt"},
]


def seed(live, prefix: str) -> list[str]:
    rows = pd.read_csv(EXAMPLES / "contacts.csv", dtype=str).to_dict(orient="records")
    for r in rows:
        r["id"] = prefix + r["id"]
    with live.client("analyst") as c:
        r = c.post("/api/v1/contacts", json={"contacts": rows})
        assert r.status_code == 201, r.text
    with session_scope(live.db) as s:
        update_taxonomy(s, {"reason": REASONS}, who="test")
    return [r["id"] for r in rows]


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


@pytest.fixture(scope="module")
def seeded(live):
    return live, seed(live, "W")


def test_only_reviewers_and_up_open_the_review_pages(seeded):
    live, ids = seeded
    with closing(live.login("viewer")) as c:
        for path in ("/review", "/review/bulk", "/review/models", "/review/agreement",
                     f"/review/contacts/{ids[0]}"):  # fmt: skip
            assert c.get(path).status_code == 403, path
    with closing(live.login("reviewer")) as c:
        page = c.get("/review")
        assert page.status_code == 200
        assert 'href="/review"' in page.text  # the nav link
        assert "Save and next" in page.text and 'id="rv-form"' in page.text
        # the queue's first contact is shown, with why it is there and both panels
        assert "Why here:" in page.text and "Need" in page.text and "Situation" in page.text
        sv = c.get("/review?lang=sv")
        assert "Spara och nästa" in sv.text and "Granska" in sv.text
        assert c.get("/review/contacts/NOPE").status_code == 404
    with live.client() as anon:
        r = anon.get("/review", follow_redirects=False)
        assert r.status_code == 303 and "/login?next=" in r.headers["location"]


def test_a_post_without_csrf_is_refused_and_nothing_changes(seeded):
    live, ids = seeded
    with closing(live.login("reviewer")) as c:
        r = c.post(f"/review/{ids[3]}", data={"purpose": "question", "shown_purpose": "problem"})
        assert r.status_code == 403
        hist = c.get(f"/review/contacts/{ids[3]}")
        assert "No correction yet." in hist.text


def test_an_unknown_label_is_refused_with_did_you_mean_and_nothing_is_saved(seeded):
    live, ids = seeded
    target = ids[5]
    with closing(live.login("reviewer")) as c:
        token = csrf_of(c.get("/review").text)
        r = c.post(f"/review/{target}", data={"csrf_token": token, "other_reason": "card_lots",
                                              "purpose": "question", "shown_purpose": "problem"})  # fmt: skip
        assert r.status_code == 422
        assert (
            "Unknown label &#39;card_lots&#39;" in r.text or "Unknown label 'card_lots'" in r.text
        )
        assert "Did you mean: card_lost" in r.text
        # all or nothing: the purpose was not saved either
        assert "No correction yet." in c.get(f"/review/contacts/{target}").text
        sv = c.post(f"/review/{target}?lang=sv", data={"csrf_token": token,
                                                        "other_reason": "card_lots"})  # fmt: skip
        assert sv.status_code == 422 and "Menade du: card_lost" in sv.text


def test_a_save_is_audited_visible_in_the_history_and_can_be_undone(seeded):
    live, ids = seeded
    target = ids[7]
    with live.client("reviewer") as api:
        guess = api.get(f"/api/v1/contacts/{target}").json()["inferences"]["purpose"]["rules"]
    was = guess["label"]
    new = next(p for p in ("question", "problem", "need") if p != was)
    with closing(live.login("reviewer")) as c:
        token = csrf_of(c.get("/review").text)
        r = c.post(f"/review/{target}", data={"csrf_token": token, "axis": "need",
                   "purpose": new, "shown_purpose": was, "reason": "moving",
                   "shown_reason": "", "mood": "negative", "shown_mood": "negative"})  # fmt: skip
        assert r.status_code == 303, r.text
        where = r.headers["location"]
        assert f"last={target}" in where and "saved=purpose%2Creason" in where
        assert "mood" not in where  # outside the need and unchanged: not recorded
        after = c.get(where)
        assert "Undo the last save" in after.text
        hist = c.get(f"/review/contacts/{target}").text
        assert "reviewer@example.se" in hist and new in hist and "moving" in hist
        undo = c.post("/review/undo", data={"csrf_token": token, "contact": target,
                                             "axes": "purpose,reason"})  # fmt: skip
        assert undo.status_code == 303 and "note=undone" in undo.headers["location"]
    with live.client("reviewer") as api:
        detail = api.get(f"/api/v1/contacts/{target}").json()
    purpose = [h for h in detail["history"] if h["axis"] == "purpose"]
    assert [h["after"] for h in purpose] == [new, was]  # honest: both steps kept
    assert purpose[-1]["reason"] == "undo" and purpose[0]["before"] == was
    assert detail["labels"]["purpose"]["label"] == was


def test_bulk_sets_one_axis_for_a_slice_after_a_confirm_step(seeded):
    live, _ = seeded
    with closing(live.login("reviewer")) as c:
        token = csrf_of(c.get("/review/bulk").text)
        base = {"csrf_token": token, "target": "reason", "q": "stolen", "label": "card_lost"}
        ask = c.post("/review/bulk", data=base)
        assert ask.status_code == 200 and "Yes, set it on" in ask.text
        chosen = re.findall(r'name="ids" value="([^"]+)"', ask.text)
        assert chosen and all(i.startswith("W") for i in chosen)
        bad = c.post("/review/bulk", data={**base, "label": "card_lst"})
        assert bad.status_code == 422 and "card_lost" in bad.text
        done = c.post("/review/bulk", data={**base, "confirm": "yes", "ids": chosen})
        assert done.status_code == 303 and f"done={len(chosen)}" in done.headers["location"]
    with live.client("reviewer") as api:
        for i in chosen:
            assert api.get(f"/api/v1/contacts/{i}").json()["labels"]["reason"]["label"] == (
                "card_lost"
            )


def test_models_and_agreement_pages_and_a_retrain_job(seeded):
    live, _ = seeded
    with closing(live.login("reviewer")) as c:
        page = c.get("/review/models?axis=purpose")
        assert page.status_code == 200 and "Retrain Purpose type" in page.text
        token = csrf_of(page.text)
        r = c.post("/review/models/purpose/retrain", data={"csrf_token": token})
        assert r.status_code == 303 and re.match(r"^/jobs/\d+$", r.headers["location"])
        assert c.post("/review/models/nope/retrain", data={"csrf_token": token}).status_code == 404
        ag = c.get("/review/agreement?axis=reason")
        assert ag.status_code == 200 and "Krippendorff" in ag.text
        assert 'action="/review/overlap"' not in ag.text  # only admins set the share
        assert c.post("/review/overlap", data={"csrf_token": token, "share": "20"}).status_code == (
            403
        )
    with closing(live.login("admin")) as c:
        token = csrf_of(c.get("/review/agreement").text)
        bad = c.post("/review/overlap", data={"csrf_token": token, "share": "150"})
        assert bad.status_code == 422 and "0 to 100" in bad.text
        ok = c.post("/review/overlap", data={"csrf_token": token, "share": "0"})
        assert ok.status_code == 303
