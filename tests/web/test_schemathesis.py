"""schemathesis against the OpenAPI document of the real server (SQLite and PostgreSQL): no 5xx,
every status code documented, every response matching its schema and content type."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
])  # fmt: skip


def _schemathesis(live, token: str | None, tmp_path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("schemathesis")
    args = [str(exe), "run", f"{live.url}/api/openapi.json", "--checks", CHECKS,
            "--max-examples", "25", "--seed", "20261202", "--report-dir", str(tmp_path)]  # fmt: skip
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    return subprocess.run(args, capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)


def test_schemathesis_finds_no_server_error_and_no_schema_drift(live, tmp_path):
    with live.client("admin") as c:  # some data, so that not every lookup is a 404
        s = c.post("/api/v1/surveys", json={"kind": "nps", "title": "Fuzz"}).json()
        c.post(f"/api/v1/surveys/{s['id']}/responses",
               json={"client_token": "f1", "answers": {"score": 7}})  # fmt: skip
        r = c.post("/api/v1/contacts", json={"contacts": [{
            "id": "C-1", "customer_id": "K1", "timestamp": "2026-11-30T10:00:00",
            "channel": "chat", "text": "Jag vill byta elavtal"}]})  # fmt: skip
        assert r.status_code == 201, r.text
    for token in (live.tokens["admin"], None):
        run = _schemathesis(live, token, tmp_path)
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
        tested = re.search(r"Tested: (\d+)", run.stdout)
        assert tested and int(tested.group(1)) >= 10, run.stdout[-2000:]  # really exercised
