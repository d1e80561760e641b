"""The respondent pages over HTTP against the real server, on SQLite and PostgreSQL: languages,
multi-step Kano and ODI surveys with partial answers kept, context from the link, idempotent final
posts, 422 for a bad answer (nothing stored), the form token, the embed routes."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pandas as pd

NPS = {"kind": "nps", "title": {"sv": "Efter samtalet", "en": "After the call"}}
KANO = {
    "kind": "kano",
    "title": {"sv": "Appen", "en": "The app"},
    "importance": "1-9",
    "items": [
        {"id": "chat", "label_sv": "chatt med en människa", "label_en": "chat with a person"},
        {"id": "bankid", "label_sv": "inloggning med BankID", "label_en": "BankID sign-in"},
    ],
}
ODI = {
    "kind": "odi",
    "title": "Betala",
    "items": [
        {"id": "o1", "job": "pay", "statement": "minimise the time it takes to pay"},
        {"id": "o2", "job": "pay", "statement": "minimise the errors when paying"},
        {"id": "o3", "job": "move", "statement": "minimise the hassle of moving"},
    ],
}


def _create(live, spec):
    with live.client("analyst") as c:
        r = c.post("/api/v1/surveys", json=spec)
    assert r.status_code == 201, r.text
    return r.json()


class _Form(HTMLParser):
    """The first form of a page: its action and hidden fields, and the checked radios."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.hidden: dict[str, str] = {}
        self.checked: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action")
        if tag == "input" and a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value", "")
        if tag == "input" and a.get("type") == "radio":
            self.radios.setdefault(a["name"], []).append(a["value"])
            if "checked" in a:
                self.checked[a["name"]] = a["value"]


def form_of(html: str) -> _Form:
    f = _Form()
    f.feed(html)
    assert f.action, "no form on the page"
    return f


def _csv(live, survey, *, partial=False) -> pd.DataFrame:
    with live.client("analyst") as c:
        r = c.get(
            f"/api/v1/surveys/{survey['id']}/responses.csv",
            params={"partial": "true"} if partial else {},
        )
    assert r.status_code == 200, r.text
    if not r.text.strip():
        return pd.DataFrame()
    return pd.read_csv(io.StringIO(r.text), dtype=str)


def _complete(df: pd.DataFrame) -> list[bool]:
    return [str(v).strip().lower() in ("true", "1") for v in df["complete"]]


def test_the_page_speaks_swedish_or_english_from_the_link_or_the_browser(live):
    s = _create(live, NPS)
    url = f"/s/{s['public_id']}"
    with live.client() as c:
        sv = c.get(url, params={"lang": "sv"})
        en = c.get(url, params={"lang": "en"})
        browser_sv = c.get(url, headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"})
        browser_en = c.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"})
    for r in (sv, en, browser_sv, browser_en):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert "<script>" not in r.text and 'style="' not in r.text and "onclick" not in r.text
    assert '<html lang="sv">' in sv.text and '<html lang="sv">' in browser_sv.text
    assert '<html lang="en">' in en.text and '<html lang="en">' in browser_en.text
    assert "Hur troligt är det" in sv.text and "Inte alls troligt" in sv.text
    assert "Efter samtalet" in sv.text and "Skicka" in sv.text
    assert "How likely is it" in en.text and "Extremely likely" in en.text
    assert "After the call" in en.text
    # the visible switch leads to the other language
    assert 'href="/s/{}?lang=en"'.format(s["public_id"]) in sv.text
    assert 'href="/s/{}?lang=sv"'.format(s["public_id"]) in en.text
    assert sv.text.count('type="radio" name="score"') == 11  # NPS 0-10
    assert "<legend>Hur troligt" in sv.text and 'for="comment"' in sv.text


def test_the_language_is_limited_to_the_survey_languages(live):
    s = _create(live, {**NPS, "title": "Only English", "languages": ["en"]})
    with live.client() as c:
        r = c.get(f"/s/{s['public_id']}", params={"lang": "sv"})
    assert r.status_code == 200 and '<html lang="en">' in r.text
    assert "?lang=sv" not in r.text  # no switch to a language the survey does not have


def test_an_unknown_link_is_a_404_in_both_languages_and_numbers_are_not_links(live):
    s = _create(live, NPS)
    with live.client() as c:
        r = c.get("/s/no-such-survey-link")
        by_number = c.get(f"/s/{s['id']}")
        definition = c.get("/s/no-such-survey-link/definition.json")
    assert r.status_code == 404
    assert "Survey not found" in r.text and "Enkäten hittades inte" in r.text
    assert by_number.status_code == 404
    assert definition.status_code == 404


def test_a_kano_survey_goes_step_by_step_keeps_partial_answers_and_counts_once(live):
    s = _create(live, KANO)
    pid = s["public_id"]
    with live.client(follow_redirects=False) as c:
        first = c.get(
            f"/s/{pid}",
            params={"step": "after_call", "contact": "C-17", "channel": "phone", "lang": "en"},
        )
        assert first.status_code == 200
        assert "Step 1 of 2" in first.text and "If the service has chat with a person" in first.text
        assert "I like it that way" in first.text and "Extremely important" in first.text
        form = form_of(first.text)
        assert form.hidden["ctx_journey_step"] == "after_call"
        assert form.hidden["ctx_contact_id"] == "C-17" and form.hidden["ctx_channel"] == "phone"
        assert set(form.radios) == {"chat_functional", "chat_dysfunctional", "chat_importance"}
        assert len(form.radios["chat_importance"]) == 9
        step1 = {**form.hidden, "chat_functional": "1", "chat_dysfunctional": "5",
                 "chat_importance": "8", "nav": "next"}  # fmt: skip
        r1 = c.post(form.action, data=step1)
        assert r1.status_code == 303
        target = urlsplit(r1.headers["location"])
        query = parse_qs(target.query)
        assert target.path == f"/s/{pid}" and query["q"] == ["1"]
        assert query["step"] == ["after_call"] and query["contact"] == ["C-17"]

        # the partial answers are stored already, and not counted as a complete response
        partial = _csv(live, s, partial=True)
        assert len(partial) == 1 and _complete(partial) == [False]
        assert partial.loc[0, "chat_functional"] == "1" and partial.loc[0, "chat_importance"] == "8"
        assert partial.loc[0, "journey_step"] == "after_call"
        assert len(_csv(live, s)) == 0

        second = c.get(r1.headers["location"])
        assert second.status_code == 200 and "Step 2 of 2" in second.text
        form2 = form_of(second.text)
        assert form2.hidden["client_token"] == form.hidden["client_token"]
        assert set(form2.radios) == {"bankid_functional", "bankid_dysfunctional",
                                     "bankid_importance"}  # fmt: skip

        # Back keeps what was answered on the way and shows it again
        back = c.post(form2.action, data={**form2.hidden, "bankid_functional": "2", "nav": "back"})
        assert back.status_code == 303 and parse_qs(urlsplit(back.headers["location"]).query)[
            "q"
        ] == ["0"]
        again = form_of(c.get(back.headers["location"]).text)
        assert again.checked == {
            "chat_functional": "1",
            "chat_dysfunctional": "5",
            "chat_importance": "8",
        }

        final = {**form2.hidden, "bankid_dysfunctional": "3", "bankid_importance": "4",
                 "nav": "next"}  # fmt: skip
        done = c.post(form2.action, data=final)
        assert done.status_code == 303
        assert urlsplit(done.headers["location"]).path == f"/s/{pid}/thanks"
        thanks = c.get(done.headers["location"])
        assert thanks.status_code == 200 and "Thank you" in thanks.text
        retry = c.post(form2.action, data={**final, "bankid_importance": "9"})
        assert retry.status_code == 303  # a repeated final post is acknowledged again ...
        resume = c.get(r1.headers["location"])
        assert "Thank you" in resume.text  # ... and the finished link says thanks

    rows = _csv(live, s)
    assert len(rows) == 1 and _complete(rows) == [True]  # ... but counted once
    row = rows.iloc[0]
    assert row["journey_step"] == "after_call" and row["contact_id"] == "C-17"
    assert row["channel"] == "phone" and row["lang"] == "en"
    assert row["client_token"] == form.hidden["client_token"]
    assert (row["chat_functional"], row["chat_dysfunctional"], row["chat_importance"]) == (
        "1",
        "5",
        "8",
    )
    assert (row["bankid_functional"], row["bankid_dysfunctional"]) == ("2", "3")
    assert row["bankid_importance"] == "4"  # the retry changed nothing
    assert len(_csv(live, s, partial=True)) == 1
    with live.client("viewer") as c:
        results = c.get(f"/api/v1/surveys/{s['id']}/results")
    assert results.status_code == 200, results.text


def test_an_odi_survey_asks_one_job_per_step(live):
    s = _create(live, ODI)
    with live.client(follow_redirects=True) as c:
        page = c.get(f"/s/{s['public_id']}", params={"lang": "sv", "situation": "moving"})
        assert "Steg 1 av 2" in page.text and "Hur viktigt är detta för dig?" in page.text
        f1 = form_of(page.text)
        assert set(f1.radios) == {"o1_importance", "o1_satisfaction", "o2_importance",
                                  "o2_satisfaction"}  # fmt: skip
        page2 = c.post(f1.action, data={**f1.hidden, "o1_importance": "5", "o1_satisfaction": "2",
                                        "o2_importance": "4", "nav": "next"})  # fmt: skip
        assert page2.status_code == 200 and "Steg 2 av 2" in page2.text
        f2 = form_of(page2.text)
        assert set(f2.radios) == {"o3_importance", "o3_satisfaction"}
        done = c.post(f2.action, data={**f2.hidden, "o3_importance": "3", "o3_satisfaction": "3"})
        assert done.status_code == 200 and "Tack!" in done.text
    rows = _csv(live, s)
    assert len(rows) == 1 and rows.loc[0, "situation"] == "moving"
    assert rows.loc[0, "o1_importance"] == "5" and rows.loc[0, "o3_satisfaction"] == "3"


def test_a_bad_answer_is_a_422_naming_the_field_and_the_value_and_stores_nothing(live):
    nps = _create(live, NPS)
    kano = _create(live, KANO)
    with live.client(follow_redirects=False) as c:
        f = form_of(c.get(f"/s/{nps['public_id']}", params={"lang": "en"}).text)
        bad = c.post(f.action, data={**f.hidden, "score": "11", "comment": "x"})
        missing = c.post(f.action, data={**f.hidden, "comment": "no score"})
        k = form_of(c.get(f"/s/{kano['public_id']}", params={"lang": "sv"}).text)
        bad_kano = c.post(
            k.action, data={**k.hidden, "chat_functional": "7", "chat_dysfunctional": "1"}
        )
    assert bad.status_code == 422
    assert 'id="err-score" data-field="score"' in bad.text and "“11”" in bad.text
    assert 'aria-describedby="err-score"' in bad.text and 'role="alert"' in bad.text
    assert form_of(bad.text).hidden["client_token"] == f.hidden["client_token"]
    assert missing.status_code == 422 and "Please choose an answer." in missing.text
    assert "no score" in missing.text  # what was typed is still there
    assert bad_kano.status_code == 422
    assert 'data-field="chat_functional"' in bad_kano.text and "“7”" in bad_kano.text
    assert form_of(bad_kano.text).checked == {"chat_dysfunctional": "1"}
    assert len(_csv(live, nps, partial=True)) == 0
    assert len(_csv(live, kano, partial=True)) == 0


def test_a_wrong_form_token_is_a_403_and_stores_nothing(live):
    s = _create(live, NPS)
    with live.client() as c:
        f = form_of(c.get(f"/s/{s['public_id']}").text)
        forged = c.post(f.action, data={**f.hidden, "form_token": "0" * 40, "score": "9"})
        other = c.post(f.action, data={**f.hidden, "client_token": "someone-else", "score": "9"})
        none = c.post(f.action, data={"client_token": "x", "score": "9"})
    assert forged.status_code == 403 and other.status_code == 403 and none.status_code == 403
    assert len(_csv(live, s, partial=True)) == 0


def test_an_nps_answer_on_the_page_is_stored_with_the_link_context_and_redacted(live):
    s = _create(live, NPS)
    with live.client() as c:
        f = form_of(
            c.get(f"/s/{s['public_id']}", params={"step": "after_call", "order_id": "A1"}).text
        )
        assert f.hidden["ctx_order_id"] == "A1"
        one_click = form_of(c.get(f"/s/{s['public_id']}", params={"score": "9"}).text)
        assert one_click.checked == {"score": "9"} and "ctx_score" not in one_click.hidden
        assert len(_csv(live, s, partial=True)) == 0  # chosen in the link, not stored yet
        r = c.post(
            f.action,
            data={**f.hidden, "score": "9", "comment": "Ring mig på 070-123 45 67"},
            follow_redirects=True,
        )
    assert r.status_code == 200 and "Thank you" in r.text
    rows = _csv(live, s)
    assert len(rows) == 1 and rows.loc[0, "score"] == "9"
    assert rows.loc[0, "journey_step"] == "after_call" and rows.loc[0, "order_id"] == "A1"
    assert "070-123" not in rows.loc[0, "comment"] and "[PHONE]" in rows.loc[0, "comment"]


def test_a_closed_survey_says_so_and_takes_no_answers(live):
    from kundfokus.store.db import session_scope
    from kundfokus.store.models import Survey

    s = _create(live, NPS)
    with live.client() as c:
        f = form_of(c.get(f"/s/{s['public_id']}").text)
        with session_scope(live.db) as session:
            session.get(Survey, s["id"]).status = "closed"
        page = c.get(f"/s/{s['public_id']}", params={"lang": "sv"})
        post = c.post(f.action, data={**f.hidden, "score": "9"})
    assert page.status_code == 200 and "Enkäten är stängd" in page.text
    assert post.status_code == 410
    assert len(_csv(live, s, partial=True)) == 0


def test_definition_json_is_public_and_has_both_languages(live):
    s = _create(live, NPS)
    csat = _create(live, {"kind": "csat", "title": "CSAT", "scale": [1, 7], "follow_up": False})
    kano = _create(live, KANO)
    with live.client() as c:
        d = c.get(f"/s/{s['public_id']}/definition.json")
        dc = c.get(f"/s/{csat['public_id']}/definition.json").json()
        dk = c.get(f"/s/{kano['public_id']}/definition.json").json()
    assert d.status_code == 200 and d.headers["access-control-allow-origin"] == "*"
    body = d.json()
    assert body["kind"] == "nps" and body["scale"] == [0, 10] and body["status"] == "open"
    assert body["question"]["sv"].startswith("Hur troligt") and body["question"]["en"]
    assert body["follow_up"]["en"] == "What is the main reason for your answer?"
    assert body["ends"]["sv"] == ["Inte alls troligt", "Extremt troligt"]
    assert body["ends"]["en"] == ["Not at all likely", "Extremely likely"]
    assert body["texts"]["sv"]["send"] == "Skicka" and body["texts"]["en"]["send"] == "Send"
    assert body["submit_url"] == f"/api/v1/surveys/{s['public_id']}/responses"
    assert body["title"] == {"sv": "Efter samtalet", "en": "After the call"}
    assert dc["scale"] == [1, 7] and dc["follow_up"] is None
    assert dc["ends"]["en"] == ["Very dissatisfied", "Very satisfied"]
    assert dk["kind"] == "kano" and "scale" not in dk and dk["page_url"].endswith(kano["public_id"])


def test_embed_js_is_served_as_cacheable_javascript(live):
    with live.client() as c:
        r = c.get("/embed.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert "public" in r.headers["cache-control"] and "no-store" not in r.headers["cache-control"]
    assert r.headers["access-control-allow-origin"] == "*"
    assert "definition.json" in r.text and "sessionStorage" in r.text
    assert "client_token" in r.text and ".style" not in r.text  # no inline styles


def test_the_iframe_variant_is_compact_frameable_and_stores_the_context(live):
    s = _create(live, NPS)
    kano = _create(live, KANO)
    with live.client(follow_redirects=False) as c:
        page = c.get(f"/s/{s['public_id']}/embed", params={"step": "checkout", "lang": "en"})
        k = c.get(f"/s/{kano['public_id']}/embed", params={"step": "checkout"})
        f = form_of(page.text)
        done = c.post(f.action, data={**f.hidden, "score": "10"})
        thanks = c.get(done.headers["location"])
    assert page.status_code == 200 and "x-frame-options" not in page.headers
    assert "frame-ancestors *" in page.headers["content-security-policy"]
    assert 'class="top' not in page.text  # no site header
    assert f.action == f"/s/{s['public_id']}/embed" and f.hidden["ctx_journey_step"] == "checkout"
    assert done.status_code == 303 and done.headers["location"].startswith(
        f"/s/{s['public_id']}/embed/thanks"
    )
    assert "Thank you! Your answer has been saved." in thanks.text
    assert k.status_code == 200 and f'href="/s/{kano["public_id"]}?lang=' in k.text
    assert "step=checkout" in k.text and 'target="_blank"' in k.text
    rows = _csv(live, s)
    assert len(rows) == 1 and rows.loc[0, "journey_step"] == "checkout"
