"""Jobs and webhooks against the real server: a job queued through the store is run by the
server's worker thread and shows its progress; a webhook delivery is signed (Standard Webhooks),
retried after a failure, and sent once per new response (not for a retried submission)."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import Webhook as Verifier

from kundfokus.services import jobs
from kundfokus.store.db import session_scope
from kundfokus.store.models import Job, utcnow


def _wait_job(live, job_id: int, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    with live.client("viewer") as c:
        while time.monotonic() < deadline:
            body = c.get(f"/api/v1/jobs/{job_id}").json()
            if body["status"] in ("done", "failed"):
                return body
            time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {body}")


def test_a_survey_results_job_runs_in_the_server_and_reports_done(live):
    with live.client("analyst") as c:
        s = c.post("/api/v1/surveys", json={"kind": "csat", "title": "CSAT"}).json()
    with live.client() as c:
        for i, v in enumerate([5, 4, 4, 2, 5]):
            c.post(f"/api/v1/surveys/{s['id']}/responses",
                   json={"client_token": f"c{i}", "answers": {"score": v}})  # fmt: skip
    with session_scope(live.db) as db:
        job_id = jobs.enqueue(db, "survey_results", {"survey_id": s["id"]}, created_by="t").id
    body = _wait_job(live, job_id)
    assert body["status"] == "done", body
    assert body["progress"] == 1.0
    assert body["result"]["results"]["groups"][0]["n"] == 5
    with live.client() as c:
        assert c.get(f"/api/v1/jobs/{job_id}").status_code == 401


class _Receiver:
    """A webhook endpoint that fails the first delivery, then accepts."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict, bytes, int]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                status = 500 if not outer.calls else 204
                outer.calls.append(({k.lower(): v for k, v in self.headers.items()}, body, status))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()


def test_webhooks_are_signed_retried_and_sent_once_per_new_response(live):
    receiver = _Receiver()
    try:
        with live.client("analyst") as c:
            s = c.post("/api/v1/surveys", json={"kind": "nps", "title": "Hook"}).json()
            assert c.post("/api/v1/webhooks", json={"url": receiver.url}).status_code == 403
        with live.client("admin") as c:
            r = c.post("/api/v1/webhooks", json={"url": receiver.url, "survey_id": s["id"]})
            assert r.status_code == 201, r.text
            secret = r.json()["secret"]
            assert secret.startswith("whsec_")
            assert "secret" not in c.get("/api/v1/webhooks").json()[0]
        with live.client() as c:
            body = {"client_token": "w1", "answers": {"score": 9},
                    "context": {"journey_step": "after_call"}}  # fmt: skip
            assert c.post(f"/api/v1/surveys/{s['id']}/responses", json=body).status_code == 201
            assert c.post(f"/api/v1/surveys/{s['id']}/responses", json=body).status_code == 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(st == 204 for _, _, st in receiver.calls):
            time.sleep(0.2)
        statuses = [st for _, _, st in receiver.calls]
        assert statuses == [500, 204], statuses  # retried once, delivered once
        headers, raw, _ = receiver.calls[-1]
        payload = Verifier(secret).verify(raw, headers)  # raises when the signature is wrong
        assert payload["type"] == "response.created"
        assert payload["data"]["answers"] == {"score": 9}
        assert payload["data"]["context"] == {"journey_step": "after_call"}
        assert receiver.calls[0][0]["webhook-id"] == headers["webhook-id"]  # same message id
        with pytest.raises(Exception):  # noqa: B017 - any verification error
            Verifier(secret).verify(raw.replace(b"9", b"8"), headers)
    finally:
        receiver.close()


def test_a_job_whose_worker_died_is_queued_again_and_finished(live):
    """A job left 'running' by a killed process (its heartbeat stopped) runs again."""
    with live.client("analyst") as c:
        s = c.post("/api/v1/surveys", json={"kind": "ces", "title": "CES"}).json()
    with live.client() as c:
        c.post(f"/api/v1/surveys/{s['id']}/responses",
               json={"client_token": "e1", "answers": {"score": 6}})  # fmt: skip
    with session_scope(live.db) as db:
        job = jobs.enqueue(db, "survey_results", {"survey_id": s["id"]})
        job.status = "queued"
        job.run_after = utcnow() + timedelta(days=1)  # keep the server's worker off it for now
        db.flush()
        job_id = job.id
    with session_scope(live.db) as db:  # a worker claims it and dies
        j = db.get(Job, job_id)
        j.status, j.attempts, j.worker = "running", 1, "dead-process"
        j.heartbeat_at = utcnow() - jobs.STALE - timedelta(seconds=5)
        j.run_after = utcnow()
    assert jobs.requeue_stale(live.db) >= 1
    body = _wait_job(live, job_id)
    assert body["status"] == "done" and body["attempts"] == 2, body


def test_a_failing_job_is_retried_then_marked_failed_with_its_error(live):
    with session_scope(live.db) as db:
        job_id = jobs.enqueue(db, "survey_results", {"survey_id": 999999}, max_attempts=1).id
    body = _wait_job(live, job_id)
    assert body["status"] == "failed"
    assert "no survey" in body["error"]
    assert json.dumps(body)  # plain JSON
