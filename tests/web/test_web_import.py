"""Importing contacts from the page: the upload becomes a job, the job imports all or nothing and
its error names the row; the page refuses what it cannot read; only analysts and admins may."""

from __future__ import annotations

import re
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _post(client, name: str, data: bytes):
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/contacts/import").text)
    return client.post("/contacts/import", data={"csrf_token": csrf.group(1)},
                       files={"file": (name, data, "text/csv")})  # fmt: skip


def _job(live, location: str) -> dict:
    job_id = int(location.rsplit("/", 1)[1])
    with live.client("viewer") as c:
        for _ in range(300):
            body = c.get(f"/api/v1/jobs/{job_id}").json()
            if body["status"] in ("done", "failed"):
                return body
            time.sleep(0.2)
    raise AssertionError(body)


def test_an_upload_is_imported_as_a_job_and_a_bad_row_imports_nothing(live):
    text = (EXAMPLES / "contacts.csv").read_bytes()
    analyst = live.login("analyst")
    try:
        ok = _post(analyst, "contacts.csv", text)
        assert ok.status_code == 303 and ok.headers["location"].startswith("/jobs/")
        done = _job(live, ok.headers["location"])
        assert done["status"] == "done", done
        n = text.decode().count("\n") - 1
        assert done["result"]["n_rows"] == n and done["result"]["redacted"] is True
        bad = text.replace(b"2026-09-02T07:55", b"not-a-date", 1).replace(b"K00", b"Z00")
        failed = _job(live, _post(analyst, "broken.csv", bad).headers["location"])
        assert failed["status"] == "failed"
        assert "broken.csv" in failed["error"] and "not-a-date" in failed["error"]
        with live.client("reviewer") as c:
            assert c.get("/api/v1/contacts/Z0024").status_code == 404  # nothing of it stored
        wrong = _post(analyst, "notes.docx", b"x")
        assert wrong.status_code == 422 and "CSV" in wrong.text
        assert _post(analyst, "empty.csv", b"  \n").status_code == 422
    finally:
        analyst.close()
    reviewer = live.login("reviewer")
    try:
        assert reviewer.get("/contacts/import").status_code == 403
    finally:
        reviewer.close()
