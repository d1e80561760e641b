"""The job queue on both back ends: atomic claims, retries with a pause, stale jobs queued again,
and `kundfokus worker` processes on PostgreSQL sharing the work without running a job twice."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from kundfokus.services import jobs, surveys
from kundfokus.store.db import session_scope
from kundfokus.store.models import Job, utcnow
from kundfokus.store.testing import BACKENDS, temporary_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def _survey(url: str, n: int = 5) -> int:
    with session_scope(url) as s:
        sv = surveys.create_survey(s, {"kind": "nps", "title": "Jobs"}, created_by="t")
        for i in range(n):
            surveys.submit(s, sv, client_token=f"t{i}", answers={"score": i + 5})
        return sv.id


def test_a_job_is_claimed_once(store):
    sid = _survey(store)
    with session_scope(store) as s:
        job_id = jobs.enqueue(s, "survey_results", {"survey_id": sid}).id
    assert jobs.claim(store, "w1") == job_id
    assert jobs.claim(store, "w2") is None
    assert jobs.run_job(store, job_id) == "done"
    with session_scope(store) as s:
        job = s.get(Job, job_id)
        assert job.result["results"]["groups"][0]["n"] == 5 and job.worker == "w1"


def test_an_unknown_kind_is_refused_and_errors_are_retried_with_a_pause(store):
    with session_scope(store) as s, pytest.raises(ValueError, match="unknown job kind"):
        jobs.enqueue(s, "bake_cake")
    calls = []

    @jobs.handler("flaky_test_kind")
    def flaky(ctx):
        calls.append(ctx.job_id)
        ctx.progress(0.5, "half way")
        if len(calls) == 1:
            raise RuntimeError("the network went away")
        return {"ok": True}

    with session_scope(store) as s:
        job_id = jobs.enqueue(s, "flaky_test_kind", max_attempts=3).id
    assert jobs.run_pending(store) == 1
    with session_scope(store) as s:
        job = s.get(Job, job_id)
        assert job.status == "queued" and "network" in job.error
        assert job.run_after > utcnow()  # waits before the next attempt
        job.run_after = utcnow()
    assert jobs.run_pending(store) == 1
    with session_scope(store) as s:
        job = s.get(Job, job_id)
        assert job.status == "done" and job.attempts == 2 and job.result == {"ok": True}
        assert job.error is None


def test_a_stale_job_out_of_attempts_is_failed_not_run_again(store):
    with session_scope(store) as s:
        job = jobs.enqueue(s, "survey_results", {"survey_id": 1}, max_attempts=1)
        job.status, job.attempts = "running", 1
        job.heartbeat_at = utcnow() - jobs.STALE - timedelta(seconds=1)
        job_id = job.id
    assert jobs.requeue_stale(store) == 0
    with session_scope(store) as s:
        job = s.get(Job, job_id)
        assert job.status == "failed" and "stopped" in job.error


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(x) for x in text]
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.split(")")[-1].split()[0] != "Z"


def test_worker_processes_on_postgresql_share_the_jobs(tmp_path):
    with temporary_store("postgresql", tmp_path) as url:
        sid = _survey(url, 3)
        with session_scope(url) as s:
            ids = [jobs.enqueue(s, "survey_results", {"survey_id": sid}).id for _ in range(8)]
        exe = str(Path(sys.executable).with_name("kundfokus"))
        proc = subprocess.Popen([exe, "worker", "--processes", "2", "--db", url],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with session_scope(url) as s:
                    done = [s.get(Job, i) for i in ids]
                    if all(j.status == "done" for j in done):
                        break
                time.sleep(0.3)
            else:
                raise AssertionError([j.status for j in done])
            children = _children(proc.pid)
            assert len(children) >= 2
        finally:
            proc.terminate()
            proc.wait(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(Path(f"/proc/{c}").exists() for c in children):
            time.sleep(0.2)
        assert not [c for c in children if _alive(c)], "worker processes outlived their parent"
        assert all(j.attempts == 1 for j in done)  # no job ran twice
        assert len({j.worker for j in done}) >= 1
