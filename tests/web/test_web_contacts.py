"""Contacts over the API on the real server: import a batch all or nothing (redacted), read one
contact with its inferences, the review queue, corrections with their audit trail."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _rows(n: int | None = None) -> list[dict]:
    df = pd.read_csv(EXAMPLES / "contacts.csv", dtype=str)
    return df.head(n).to_dict(orient="records") if n else df.to_dict(orient="records")


def test_a_batch_is_imported_redacted_and_all_or_nothing(live):
    rows = _rows(12)
    bad = [*rows[:5], {**rows[5], "timestamp": "igår"}]
    for r in bad:
        r["id"] = "X" + r["id"]
    with live.client("analyst") as c:
        refused = c.post("/api/v1/contacts", json={"contacts": bad})
        assert refused.status_code == 422, refused.text
        assert refused.json()["value"] == "igår"
        assert c.get("/api/v1/contacts/" + bad[0]["id"]).status_code == 404  # nothing stored
        done = c.post("/api/v1/contacts", json={"contacts": rows, "source": "crm"})
    assert done.status_code == 201, done.text
    assert done.json()["n_rows"] == len(rows) and done.json()["redacted"] is True
    with live.client("viewer") as c:
        assert c.get(f"/api/v1/contacts/{rows[1]['id']}").status_code == 403
    with live.client("reviewer") as c:
        one = c.get(f"/api/v1/contacts/{rows[1]['id']}").json()
    assert "070-123 45 67" not in one["text"] and "[PHONE]" in one["text"]
    assert one["language"] == "sv"
    assert {"purpose", "urgency", "mood"} <= set(one["inferences"])
    assert one["inferences"]["purpose"]["rules"]["label"]


def test_review_queue_and_corrections_are_audited(live):
    rows = _rows()
    for r in rows:
        r["id"] = "Q" + r["id"]
    with live.client("analyst") as c:
        assert c.post("/api/v1/contacts", json={"contacts": rows}).status_code == 201
    with live.client("reviewer") as c:
        queue = c.get("/api/v1/review/queue", params={"axis": "purpose", "limit": 5})
        assert queue.status_code == 200, queue.text
        items = queue.json()
        assert 1 <= len(items) <= 5
        target = rows[0]["id"]
        fix = c.post(f"/api/v1/contacts/{target}/corrections",
                     json={"axis": "purpose", "label": "question", "reason": "asks"})  # fmt: skip
        assert fix.status_code == 201, fix.text
        assert fix.json()["after"] == "question" and fix.json()["who"] == "reviewer@example.se"
        missing = c.post("/api/v1/contacts/NOPE/corrections",
                         json={"axis": "purpose", "label": "question"})  # fmt: skip
        assert missing.status_code == 404
        bad_axis = c.post(f"/api/v1/contacts/{target}/corrections",
                          json={"axis": "colour", "label": "red"})  # fmt: skip
        assert bad_axis.status_code == 422 and bad_axis.json()["value"] == "colour"
        one = c.get(f"/api/v1/contacts/{target}").json()
    assert one["labels"]["purpose"]["label"] == "question"
    assert one["history"][-1]["after"] == "question"
    assert one["history"][-1]["who"] == "reviewer@example.se"
    with live.client("viewer") as c:
        assert c.post(f"/api/v1/contacts/{target}/corrections",
                      json={"axis": "purpose", "label": "need"}).status_code == 403  # fmt: skip
