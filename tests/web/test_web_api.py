"""The REST API against the real server, on SQLite and PostgreSQL: surveys, idempotent and
all-or-nothing submissions, redaction, exports, results, contacts, security headers."""

from __future__ import annotations

import io
import uuid

import pandas as pd
import pytest

NPS = {"kind": "nps", "title": {"sv": "Efter samtalet", "en": "After the call"}}
KANO = {
    "kind": "kano",
    "title": "Appen",
    "importance": "1-9",
    "items": [
        {"id": "chat", "label_sv": "chatt med en människa", "label_en": "chat with a person"},
        {"id": "bankid", "label_sv": "inloggning med BankID", "label_en": "BankID sign-in"},
    ],
}


def _create(live, spec):
    with live.client("analyst") as c:
        r = c.post("/api/v1/surveys", json=spec)
    assert r.status_code == 201, r.text
    return r.json()


def test_healthz_answers_ok_when_the_database_answers(live):
    with live.client() as c:
        r = c.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_creating_a_survey_needs_analyst_and_answers_the_contract(live):
    with live.client("viewer") as c:
        assert c.post("/api/v1/surveys", json=NPS).status_code == 403
    with live.client() as c:
        assert c.post("/api/v1/surveys", json=NPS).status_code == 401
    body = _create(live, NPS)
    assert set(body) >= {"id", "public_id", "public_url", "embed"}
    assert body["public_url"].endswith(f"/s/{body['public_id']}")
    assert len(body["public_id"]) >= 16
    with live.client("viewer") as c:
        got = c.get(f"/api/v1/surveys/{body['id']}").json()
        listed = c.get("/api/v1/surveys").json()
    assert got["kind"] == "nps" and got["title"]["sv"] == "Efter samtalet"
    assert body["id"] in [s["id"] for s in listed]


def test_a_bad_survey_definition_is_a_422_naming_the_field(live):
    bad = {**KANO, "items": [{"id": "chat", "label_en": "chat"}]}  # no Swedish label
    with live.client("analyst") as c:
        r = c.post("/api/v1/surveys", json=bad)
        r2 = c.post("/api/v1/surveys", json={"kind": "survey", "title": "x"})
    assert r.status_code == 422 and r.json()["field"] == "items[0].label_sv"
    assert r2.status_code == 422 and r2.json()["field"] == "kind"
    assert r2.json()["value"] == "survey"


def test_submissions_are_idempotent_and_a_bad_answer_stores_nothing(live):
    s = _create(live, NPS)
    token = uuid.uuid4().hex
    url = f"/api/v1/surveys/{s['id']}/responses"
    with live.client() as c:  # public: no token
        first = c.post(
            url,
            json={
                "client_token": token,
                "answers": {"score": 9},
                "context": {"journey_step": "after_call", "channel": "phone"},
            },
        )
        again = c.post(url, json={"client_token": token, "answers": {"score": 3}})
        bad = c.post(url, json={"client_token": "t2", "answers": {"score": 11}})
        bad2 = c.post(url, json={"client_token": "t3", "answers": {"score": 5, "nope": 1}})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert bad.status_code == 422 and bad.json()["field"] == "answers.score"
    assert bad.json()["value"] == 11
    assert bad2.status_code == 422 and bad2.json()["field"] == "answers.nope"
    with live.client("analyst") as c:
        csv = c.get(f"/api/v1/surveys/{s['id']}/responses.csv")
    assert csv.status_code == 200
    df = pd.read_csv(io.StringIO(csv.text))
    assert len(df) == 1 and df.loc[0, "score"] == 9  # the retry did not change the answer
    assert df.loc[0, "client_token"] == token
    assert df.loc[0, "journey_step"] == "after_call" and df.loc[0, "channel"] == "phone"
    assert list(df.columns[:5]) == ["id", "client_token", "submitted_at", "lang", "complete"]


def test_free_text_is_redacted_before_it_is_stored(live):
    s = _create(live, NPS)
    with live.client() as c:
        r = c.post(
            f"/api/v1/surveys/{s['public_id']}/responses",
            json={
                "client_token": "r1",
                "lang": "sv",
                "answers": {
                    "score": "2",
                    "comment": "Ring mig på 070-123 45 67 eller anna@example.se",
                },
            },
        )
    assert r.status_code == 201
    with live.client("analyst") as c:
        text = c.get(f"/api/v1/surveys/{s['id']}/responses.csv").text
    assert "070-123" not in text and "anna@example.se" not in text
    assert "[PHONE]" in text and "[EMAIL]" in text


def test_exports_need_analyst_and_parquet_matches_csv(live):
    s = _create(live, KANO)
    with live.client() as c:
        for i, (f, d) in enumerate([("I like it that way", "I dislike it that way"), (1, 5)]):
            r = c.post(
                f"/api/v1/surveys/{s['id']}/responses",
                json={
                    "client_token": f"k{i}",
                    "lang": "en",
                    "answers": {
                        "chat_functional": f,
                        "chat_dysfunctional": d,
                        "chat_importance": "7",
                        "bankid_functional": "2",
                    },
                },
            )
            assert r.status_code == 201, r.text
    with live.client("viewer") as c:
        assert c.get(f"/api/v1/surveys/{s['id']}/responses.csv").status_code == 403
    with live.client("analyst") as c:
        csv = pd.read_csv(io.StringIO(c.get(f"/api/v1/surveys/{s['id']}/responses.csv").text))
        pq = pd.read_parquet(
            io.BytesIO(c.get(f"/api/v1/surveys/{s['id']}/responses.parquet").content)
        )
    assert list(csv.columns) == list(pq.columns)
    assert list(csv["chat_functional"].astype(str)) == list(pq["chat_functional"].astype(str))
    assert "bankid_importance" in csv.columns


def test_kano_answers_are_checked_with_the_cli_reader(live):
    s = _create(live, KANO)
    with live.client() as c:
        bad = c.post(
            f"/api/v1/surveys/{s['id']}/responses",
            json={"client_token": "x", "answers": {"chat_functional": "maybe"}},
        )
        imp = c.post(
            f"/api/v1/surveys/{s['id']}/responses",
            json={"client_token": "y", "answers": {"chat_functional": 1, "chat_importance": 10}},
        )
    assert bad.status_code == 422 and bad.json()["field"] == "answers.chat_functional"
    assert bad.json()["value"] == "maybe"
    assert imp.status_code == 422 and imp.json()["field"] == "answers.chat_importance"


def test_results_take_the_cli_options_and_refuse_unknown_ones(live):
    s = _create(live, NPS)
    with live.client() as c:
        for i, (score, ch) in enumerate([(10, "phone"), (9, "chat"), (3, "phone"), (8, "chat")]):
            c.post(
                f"/api/v1/surveys/{s['id']}/responses",
                json={
                    "client_token": f"n{i}",
                    "answers": {"score": score},
                    "context": {"channel": ch},
                },
            )
    with live.client("viewer") as c:
        all_ = c.get(f"/api/v1/surveys/{s['id']}/results").json()
        by = c.get(f"/api/v1/surveys/{s['id']}/results", params={"by": "channel"}).json()
        bad = c.get(f"/api/v1/surveys/{s['id']}/results", params={"tabel": "x"})
    assert all_["score"] == "nps" and all_["groups"][0]["n"] == 4
    assert all_["groups"][0]["nps"] == pytest.approx(25.0)
    assert {g["group"] for g in by["groups"]} == {"phone", "chat"}
    assert by["comparison"] is not None
    assert bad.status_code == 422 and bad.json()["field"] == "tabel"


def test_security_headers_and_no_framing_except_the_survey_routes(live):
    s = _create(live, NPS)
    with live.client() as c:
        api = c.get("/healthz")
        page = c.get(f"/s/{s['public_id']}")
    assert api.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in api.headers["content-security-policy"]
    assert "'unsafe-inline'" not in api.headers["content-security-policy"]
    assert api.headers["x-content-type-options"] == "nosniff"
    assert "x-frame-options" not in page.headers
    assert "frame-ancestors *" in page.headers["content-security-policy"]


def test_openapi_document_is_public_and_lists_the_contract(live):
    with live.client() as c:
        doc = c.get("/api/openapi.json").json()
    paths = doc["paths"]
    for p in [
        "/api/v1/surveys",
        "/api/v1/surveys/{survey_id}",
        "/api/v1/surveys/{survey_id}/responses",
        "/api/v1/surveys/{survey_id}/results",
        "/api/v1/surveys/{survey_id}/responses.csv",
        "/api/v1/surveys/{survey_id}/responses.parquet",
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/review/queue",
        "/api/v1/contacts/{contact_id}/corrections",
        "/healthz",
    ]:
        assert p in paths, p


def test_a_nul_character_in_a_query_parameter_is_a_422_not_a_server_error(live):
    # PostgreSQL refuses NUL in text; found by schemathesis on GET /api/v1/contacts?q=...
    with live.client("reviewer") as c:
        for url in (
            "/api/v1/contacts?q=a%00b",
            "/api/v1/review/queue?channel=%00",
            "/review?q=%00",
        ):
            r = c.get(url)
            assert r.status_code == 422, (url, r.status_code, r.text)
            assert "NUL" in r.json()["message"]
        assert c.get("/api/v1/contacts?q=ab").status_code == 200
