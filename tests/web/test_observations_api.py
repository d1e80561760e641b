"""The observations API on the real server (SQLite and PostgreSQL): roles, 201 with the object,
JSON and multipart (a small PNG), the attachment download, search, and turning one into a Kano
feature or an ODI outcome in a draft survey."""

from __future__ import annotations

import base64

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def test_roles_are_enforced(live):
    with live.client() as anon:
        assert anon.get("/api/v1/observations").status_code == 401
        assert anon.post("/api/v1/observations", json={"note": "x"}).status_code == 401
    with live.client("viewer") as c:
        r = c.post("/api/v1/observations", json={"note": "a viewer may not"})
        assert r.status_code == 403, r.text
        assert c.get("/api/v1/observations").status_code == 200
    with live.client("reviewer") as c:
        r = c.post("/api/v1/observations", json={"note": "a reviewer may"})
        assert r.status_code == 201, r.text
        oid = r.json()["id"]
        r = c.post(f"/api/v1/observations/{oid}/turn-into", json={"kind": "kano"})
        assert r.status_code == 403, r.text


def test_json_create_search_and_get(live):
    with live.client("reviewer") as c:
        r = c.post("/api/v1/observations", json={
            "note": "Kunden hittade inte ÅNGERRÄTTEN på sidan", "quote": "Var står det?",
            "step": "Köpa", "situation": "flytt", "need": "ångra köpet", "channel": "web",
            "observed_at": "2026-12-01T08:30:00Z"})  # fmt: skip
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["created_by"] == "reviewer@example.se"
        assert body["observed_at"] == "2026-12-01T08:30:00Z"
        assert body["has_attachment"] is False and body["attachment_url"] is None
        oid = body["id"]
    with live.client("viewer") as c:
        found = c.get("/api/v1/observations", params={"q": "ångerrätten"}).json()
        assert [o["id"] for o in found] == [oid]
        found = c.get("/api/v1/observations", params={"step": "köpa", "situation": "flytt"})
        assert [o["id"] for o in found.json()] == [oid]
        assert c.get("/api/v1/observations", params={"q": "ångerrätten", "step": "x"}).json() == []
        assert c.get(f"/api/v1/observations/{oid}").json()["quote"] == "Var står det?"
        assert c.get("/api/v1/observations/999999").status_code == 404
        assert c.get("/api/v1/observations/abc").status_code == 404
        assert c.get(f"/api/v1/observations/{oid}/attachment").status_code == 404
        assert c.get("/api/v1/observations", params={"limit": 0}).status_code == 422


def test_bad_input_is_a_clear_422(live):
    with live.client("reviewer") as c:
        r = c.post("/api/v1/observations", json={"note": "   "})
        assert r.status_code == 422 and r.json()["field"] == "note", r.text
        assert "must not be empty" in r.json()["message"]
        r = c.post("/api/v1/observations", json={"quote": "no note"})
        assert r.status_code == 422 and r.json()["field"] == "note", r.text
        r = c.post("/api/v1/observations", json={"note": "x", "attachment": "@@not base64@@",
                                                 "attachment_type": "image/png"})  # fmt: skip
        assert r.status_code == 422 and "base64" in r.json()["message"], r.text
        big = base64.b64encode(b"\0" * (5 * 1024 * 1024 + 10)).decode()
        r = c.post("/api/v1/observations", json={"note": "x", "attachment": big,
                                                 "attachment_type": "image/png"})  # fmt: skip
        assert r.status_code == 422 and "5 MB" in r.json()["message"], r.text
        r = c.post("/api/v1/observations", files={"attachment": ("a.exe", b"MZ", "application/x-msdownload")},
                   data={"note": "x"})  # fmt: skip
        assert r.status_code == 422 and r.json()["field"] == "attachment_type", r.text
        r = c.post(
            "/api/v1/observations",
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 400, r.text
        r = c.post("/api/v1/observations", content=b"note", headers={"content-type": "text/csv"})
        assert r.status_code == 415, r.text
        assert c.get("/api/v1/observations", params={"observed": "x"}).status_code == 200


def test_multipart_with_a_png_and_the_download(live):
    with live.client("reviewer") as c:
        r = c.post(
            "/api/v1/observations",
            data={"note": "Kön på skärmen var tom men kunden fick vänta", "step": "Vänta"},
            files={"attachment": ("skärm.png", PNG, "image/png")},
        )
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["has_attachment"] and body["attachment_size"] == len(PNG)
        assert body["attachment_name"] == "skärm.png" and body["attachment_type"] == "image/png"
        url = body["attachment_url"]
    with live.client("viewer") as c:
        got = c.get(url)
        assert got.status_code == 200 and got.content == PNG
        assert got.headers["content-type"] == "image/png"
        assert "filename*=UTF-8''sk%C3%A4rm.png" in got.headers["content-disposition"]
        assert "sandbox" in got.headers["content-security-policy"]
    with live.client() as anon:
        assert anon.get(url).status_code == 401
    # JSON with the same file base64-encoded
    with live.client("reviewer") as c:
        r = c.post("/api/v1/observations", json={
            "note": "base64", "attachment": base64.b64encode(PNG).decode(),
            "attachment_type": "image/png", "attachment_name": "a.png"})  # fmt: skip
        assert r.status_code == 201, r.text
        assert c.get(r.json()["attachment_url"]).content == PNG


def test_turn_into_kano_and_odi(live):
    with live.client("reviewer") as c:
        oid = c.post("/api/v1/observations", json={
            "note": "Kunden ville bli uppringd i stället för att vänta i kön",
            "step": "Kontakta oss", "need": "a call back instead of waiting"}).json()["id"]  # fmt: skip
    with live.client("analyst") as c:
        r = c.post(f"/api/v1/observations/{oid}/turn-into", json={"kind": "kano"})
        assert r.status_code == 201, r.text
        kano = r.json()
        assert kano["created_survey"] is True and kano["survey_status"] == "draft"
        assert kano["item"]["label"]["en"] == "a call back instead of waiting"
        assert kano["questions"]["functional"]["en"] == (
            "If the service has a call back instead of waiting, how do you feel?"
        )
        assert kano["turned_into"] == f"kano:obs{oid}@survey {kano['survey_id']}"
        survey = c.get(f"/api/v1/surveys/{kano['survey_id']}").json()
        assert survey["status"] == "draft" and survey["kind"] == "kano"
        assert [it["id"] for it in survey["items"]] == [f"obs{oid}"]
        r = c.post(f"/api/v1/observations/{oid}/turn-into",
                   json={"kind": "odi", "text": "get a call back"})  # fmt: skip
        assert r.status_code == 201, r.text
        odi = r.json()
        assert odi["item"]["statement"]["en"] == "Minimize the time it takes to get a call back"
        assert odi["item"]["statement"]["sv"] == "Minimera tiden det tar att get a call back"
        assert odi["survey_id"] != kano["survey_id"]
        # the draft survey cannot take answers yet
        pub = survey["public_id"]
        r = c.post(f"/api/v1/surveys/{pub}/responses",
                   json={"client_token": "t1", "answers": {f"obs{oid}_functional": 1}})  # fmt: skip
        assert r.status_code == 422 and "closed" in r.text
        # an open (published) survey is refused
        live_survey = c.post("/api/v1/surveys", json={
            "kind": "kano", "title": "Live", "items": [{"id": "a", "label": "x"}]}).json()  # fmt: skip
        r = c.post(f"/api/v1/observations/{oid}/turn-into",
                   json={"kind": "kano", "survey_id": live_survey["id"]})  # fmt: skip
        assert r.status_code == 422 and r.json()["field"] == "survey_id", r.text
        assert "only a draft survey" in r.json()["message"]
        r = c.post(f"/api/v1/observations/{oid}/turn-into", json={"kind": "nps"})
        assert r.status_code == 422, r.text
        r = c.post("/api/v1/observations/999999/turn-into", json={"kind": "kano"})
        assert r.status_code == 404, r.text
        assert c.get(f"/api/v1/observations/{oid}").json()["turned_into"].count("@survey") == 2
