"""The real server for web tests: uvicorn in a thread, on a free loopback port, over a fresh store
(an SQLite file or a PostgreSQL schema), with one user and one API token per role.

``live`` is parametrised over both back ends; ``live_sqlite`` is SQLite only (browser tests, which
do not depend on the database). Both are module-scoped: one server per test module and back end.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from kundfokus.services.accounts import add_user, create_token
from kundfokus.settings import Settings
from kundfokus.store.db import session_scope
from kundfokus.store.testing import BACKENDS, temporary_store

ROLES = ("admin", "analyst", "reviewer", "viewer")
PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving ``app`` in a background thread until :meth:`stop`."""

    def __init__(self, app, port: int | None = None) -> None:
        import uvicorn

        self.port = port or free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.started:
                return self
            if not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        raise RuntimeError("the server did not start within 30 s")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@dataclass
class Live:
    """A running server: its address, store URL, and per role an e-mail and an API token."""

    backend: str
    url: str
    db: str
    app: object
    tokens: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    password: str = PASSWORD

    def client(self, role: str | None = None, **kw) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kw)

    def login(self, role: str) -> httpx.Client:
        """A client signed in through the login form (session cookie), like a browser."""
        c = httpx.Client(base_url=self.url, timeout=60, follow_redirects=False)
        page = c.get("/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        r = c.post(
            "/login",
            data={"email": self.emails[role], "password": PASSWORD, "csrf_token": token},
        )
        assert r.status_code == 303, r.text
        return c


def seed_users(url: str) -> tuple[dict[str, str], dict[str, str]]:
    tokens, emails = {}, {}
    with session_scope(url) as s:
        for role in ROLES:
            email = f"{role}@example.se"
            add_user(s, email, role=role, password=PASSWORD)
            emails[role] = email
        s.flush()
        for role in ROLES:
            tokens[role], _ = create_token(s, emails[role], f"tests {role}")
    return tokens, emails


def _serve(backend: str, folder: Path) -> Iterator[Live]:
    from kundfokus.web.app import create_app

    with temporary_store(backend, folder) as url:
        tokens, emails = seed_users(url)
        settings = Settings(db=url, secret_key="test-secret-key")
        app = create_app(url, settings=settings, start_jobs=True)
        server = LiveServer(app).start()
        try:
            yield Live(backend, server.url, url, app, tokens, emails)
        finally:
            server.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def live(request, tmp_path_factory) -> Iterator[Live]:
    yield from _serve(request.param, tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def live_sqlite(tmp_path_factory) -> Iterator[Live]:
    yield from _serve("sqlite", tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def run_axe(page) -> list[dict]:
    """axe-core's violations on the current page (WCAG 2.x A and AA rules)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def axe():
    """``axe(page, where)``: assert that axe-core finds no WCAG A/AA violation on the page."""

    def check(page, where: str) -> None:
        violations = run_axe(page)
        assert violations == [], f"{where}: {violations}"

    return check


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: ``$KUNDFOKUS_SCREENSHOTS`` or the test's temporary folder."""
    import os

    folder = Path(os.environ.get("KUNDFOKUS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
