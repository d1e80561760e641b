"""Every route of the app against the role matrix in docs/web-roles.md, on the real server.

The table in the doc is the contract: the test fails when the app has a route the table does not
list (or the reverse), and for every route and every role (anonymous, viewer, reviewer, analyst,
admin) it asserts the status: public routes never ask for a sign-in; without a sign-in an API
route answers 401 and a page redirects to /login; a role below the route's minimum gets 403; the
minimum role and those above get neither (and no 5xx).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from fastapi.routing import APIRoute
from starlette.routing import Route

from kundfokus.services import jobs
from kundfokus.services.accounts import add_user
from kundfokus.store.db import session_scope

DOC = Path(__file__).resolve().parents[2] / "docs" / "web-roles.md"
LEVELS = ("viewer", "reviewer", "analyst", "admin")
ROW = re.compile(r"^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|\s*(\w+)\s*\|")


def matrix() -> dict[tuple[str, str], str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            method, path, who = m.groups()
            assert who in ("public", *LEVELS), line
            assert (method, path) not in rows, f"listed twice: {method} {path}"
            rows[(method, path)] = who
    assert len(rows) > 20, "the role table in docs/web-roles.md was not found"
    return rows


def app_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route, also inside included routers (FastAPI >= 0.16x keeps them
    nested; older releases flatten them into ``app.routes``)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI
        items = [(r.path, r.methods) for r in app.routes if isinstance(r, APIRoute | Route)]
    else:
        items = [(c.path, getattr(c, "methods", None)) for c in iter_route_contexts(app.routes)]
    return {(m, path) for path, methods in items for m in (methods or ()) if m != "HEAD"}


def test_the_doc_lists_exactly_the_routes_of_the_app(live_sqlite):
    doc, app = set(matrix()), app_routes(live_sqlite.app)
    assert not app - doc, f"routes missing from docs/web-roles.md: {sorted(app - doc)}"
    assert not doc - app, f"routes in docs/web-roles.md the app does not have: {sorted(doc - app)}"


def _csrf(client: httpx.Client) -> str:
    page = client.get("/")
    m = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert m, "no CSRF token on the overview page"
    return m.group(1)


def _values(live) -> dict[str, str]:
    with live.client("admin") as c:
        s = c.post("/api/v1/surveys", json={"kind": "nps", "title": "Roles"}).json()
        c.post(f"/api/v1/surveys/{s['id']}/responses",
               json={"client_token": "r1", "answers": {"score": 8}})  # fmt: skip
        r = c.post("/api/v1/contacts", json={"contacts": [{
            "id": "R-1", "customer_id": "K1", "timestamp": "2026-11-30T10:00:00",
            "channel": "chat", "text": "Hej, min faktura är fel"}]})  # fmt: skip
        assert r.status_code == 201, r.text
        g = c.post("/api/v1/goals", json={
            "name": "Roles", "owner": "cx", "teams": ["cs"], "metric": "nps",
            "baseline": 0, "target": 20, "due": "2027-06-30"})  # fmt: skip
        assert g.status_code == 201, g.text
        o = c.post("/api/v1/observations", json={"note": "Roles", "step": "Betala"})
        assert o.status_code == 201, o.text
    with session_scope(live.db) as db:
        job_id = jobs.enqueue(db, "survey_results", {"survey_id": s["id"]}).id
        user_id = add_user(db, "throwaway@example.se", role="viewer", password="x" * 12).id
    return {"survey_id": str(s["id"]), "public_id": s["public_id"], "contact_id": "R-1",
            "job_id": str(job_id), "user_id": str(user_id), "axis": "reason",
            "goal_id": str(g.json()["id"]), "name": "nps", "schedule_id": "1",
            "observation_id": str(o.json()["id"])}  # fmt: skip


def test_every_route_answers_every_role_as_the_matrix_says(live):
    values = _values(live)
    problems: list[str] = []
    for (method, template), minimum in sorted(matrix().items()):
        try:
            path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        except KeyError as exc:
            problems.append(f"{method} {template}: no test value for {exc}")
            continue
        api = path.startswith("/api/")
        for who in (None, *LEVELS):
            if api or who is None:
                client = live.client(who) if who else live.client()
                headers = {}
            else:
                client = live.login(who)
                headers = {"X-CSRF-Token": _csrf(client)} if method != "GET" else {}
            kwargs = {} if method == "GET" else ({"json": {}} if api else {"data": {}})
            try:
                r = client.request(method, path, headers=headers, follow_redirects=False, **kwargs)
            finally:
                client.close()
            got = r.status_code
            # the sign-in redirect always says where to go back to (a sign-out goes to /login too)
            login = got in (302, 303) and "/login?next=" in r.headers.get("location", "")
            label = f"{method} {path} as {who or 'anonymous'}: {got}"
            if got >= 500:
                problems.append(f"{label} (server error)")
            elif minimum == "public" and method != "GET" and not api:
                # a public form without its form token (CSRF) is refused, never sent to sign in
                if got == 401 or login:
                    problems.append(f"{label}, expected no sign-in ({minimum})")
            elif minimum == "public" or (who and LEVELS.index(who) >= LEVELS.index(minimum)):
                if got in (401, 403) or login:
                    problems.append(f"{label}, expected access ({minimum})")
            elif who is None:
                if api and got != 401:
                    problems.append(f"{label}, expected 401")
                if not api and not login:
                    problems.append(f"{label}, expected a redirect to /login")
            elif got != 403:
                problems.append(f"{label}, expected 403 (needs {minimum})")
    assert not problems, "\n".join(problems)
