"""`kundfokus users`, `tokens`, `worker` and `serve` on a real store; `serve` as a real process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kundfokus.cli import app
from kundfokus.services import jobs
from kundfokus.services.accounts import principal_for_token
from kundfokus.store.db import session_scope

KF = str(Path(sys.executable).with_name("kundfokus"))


class _Result:
    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.exit_code = proc.returncode
        self.output = proc.stdout + proc.stderr


class _Runner:
    """The installed command in a process: our errors end as one line and exit status 2."""

    def invoke(self, _app, args: list[str], input: str | None = None) -> _Result:
        proc = subprocess.run([KF, *args], input=input, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        return _Result(proc)


runner = _Runner()


def test_users_add_reads_the_password_from_stdin_and_refuses_bad_input(tmp_path):
    db = str(tmp_path / "kf.db")
    ok = runner.invoke(app, ["users", "add", "Anna@Example.se", "--role", "analyst",
                             "--password-stdin", "--db", db], input="a long password\n")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "anna@example.se (analyst)" in ok.output
    again = runner.invoke(app, ["users", "add", "anna@example.se", "--role", "viewer", "--db", db])
    assert again.exit_code == 2 and "exists already" in again.output
    short = runner.invoke(app, ["users", "add", "b@example.se", "--role", "viewer",
                                "--password-stdin", "--db", db], input="short\n")  # fmt: skip
    assert short.exit_code == 2 and "too short" in short.output
    role = runner.invoke(app, ["users", "add", "c@example.se", "--role", "boss", "--db", db])
    assert role.exit_code == 2 and "boss" in role.output
    listed = runner.invoke(app, ["users", "list", "--db", db])
    assert "anna@example.se\tanalyst\tactive" in listed.output


def test_a_token_is_printed_once_stored_hashed_and_stops_when_the_user_is_disabled(tmp_path):
    db = str(tmp_path / "kf.db")
    runner.invoke(app, ["users", "add", "a@example.se", "--role", "admin", "--db", db])
    out = runner.invoke(app, ["tokens", "create", "--user", "a@example.se", "--name", "crm",
                              "--db", db])  # fmt: skip
    assert out.exit_code == 0, out.output
    token = out.output.strip()
    assert token.startswith("kf_") and len(token) > 40
    assert token.encode() not in Path(db).read_bytes()  # only the digest is stored
    url = f"sqlite:///{db}"
    with session_scope(url) as s:
        assert principal_for_token(s, token).role == "admin"
    dis = runner.invoke(app, ["users", "set", "a@example.se", "--disable", "--db", db])
    assert dis.exit_code == 0 and "disabled" in dis.output
    with session_scope(url) as s:
        assert principal_for_token(s, token) is None
    missing = runner.invoke(app, ["tokens", "create", "--user", "x@example.se", "--name", "n",
                                  "--db", db])  # fmt: skip
    assert missing.exit_code == 2 and "no such user" in missing.output
    nostore = runner.invoke(app, ["tokens", "create", "--user", "a@example.se", "--name", "n",
                                  "--db", str(tmp_path / "typo.db")])  # fmt: skip
    assert nostore.exit_code == 2 and "no kundfokus store" in nostore.output
    assert not (tmp_path / "typo.db").exists()


def test_worker_once_runs_the_queued_jobs(tmp_path):
    db = str(tmp_path / "kf.db")
    url = f"sqlite:///{db}"
    runner.invoke(app, ["users", "list", "--db", db])  # no store yet: refused
    from kundfokus.store.db import open_store

    open_store(url)
    with session_scope(url) as s:
        job_id = jobs.enqueue(s, "survey_results", {"survey_id": 12345}, max_attempts=1).id
    out = runner.invoke(app, ["worker", "--once", "--db", db])
    assert out.exit_code == 0, out.output
    with session_scope(url) as s:
        job = jobs.get(s, job_id)
        assert job.status == "failed" and "no survey" in job.error


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_the_server_on_the_store_from_the_environment(tmp_path):
    db = tmp_path / "served.db"
    port = _free_port()
    env = {**os.environ, "KUNDFOKUS_DB": str(db)}
    proc = subprocess.Popen([KF, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                status = r.status_code
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        assert status == 200, proc.stdout.read() if proc.poll() is not None else "no answer"
        assert r.json() == {"status": "ok"}
        assert db.is_file()  # migrations ran at start-up on the store named by KUNDFOKUS_DB
        login = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=False, timeout=5)
        assert login.status_code == 303 and login.headers["location"].startswith("/login")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode in (0, -signal.SIGTERM), proc.returncode
