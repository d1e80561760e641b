"""Signing in on the real server: session cookie flags, CSRF, sign-in limits, no open redirect,
tokens and disabled users."""

from __future__ import annotations

import re

import httpx

from kundfokus.services.accounts import add_user, get_user, update_user
from kundfokus.store.db import session_scope


def _form_token(client: httpx.Client, path: str = "/login") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_signing_in_sets_a_safe_session_cookie_and_ignores_foreign_next(live):
    with httpx.Client(base_url=live.url, follow_redirects=False) as c:
        token = _form_token(c)
        r = c.post("/login", data={"email": live.emails["viewer"], "password": live.password,
                                   "csrf_token": token, "next": "https://evil.example/x"})  # fmt: skip
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"].lower()
        assert "kf_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        assert c.get("/").status_code == 200
        assert c.post("/logout").status_code == 403  # no CSRF token
        csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', c.get("/").text).group(1)
        assert c.post("/logout", data={"csrf_token": csrf}).status_code == 303
        assert c.get("/").status_code == 303  # the session is over


def test_the_login_form_needs_its_token(live):
    with httpx.Client(base_url=live.url, follow_redirects=False) as c:
        c.get("/login")
        r = c.post("/login", data={"email": live.emails["viewer"], "password": live.password,
                                   "csrf_token": "forged"})  # fmt: skip
        assert r.status_code == 403


def test_sign_in_is_limited_after_five_failures_even_with_the_right_password(live):
    with session_scope(live.db) as s:
        add_user(s, "limited@example.se", role="viewer", password=live.password)
    with httpx.Client(base_url=live.url, follow_redirects=False) as c:
        for _ in range(5):
            r = c.post("/login", data={"email": "limited@example.se", "password": "wrong one!",
                                       "csrf_token": _form_token(c)})  # fmt: skip
            assert r.status_code == 401
            assert "wrong" in r.text.lower() or "fel" in r.text.lower()
        r = c.post("/login", data={"email": "limited@example.se", "password": live.password,
                                   "csrf_token": _form_token(c)})  # fmt: skip
        assert r.status_code == 429


def test_disabling_a_user_ends_their_sessions_and_tokens(live):
    with session_scope(live.db) as s:
        add_user(s, "leaver@example.se", role="analyst", password=live.password)
        from kundfokus.services.accounts import create_token

        token, _ = create_token(s, "leaver@example.se", "t")
    live.emails["leaver"] = "leaver@example.se"
    browser = live.login("leaver")
    api = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {token}"})
    assert browser.get("/").status_code == 200
    assert api.get("/api/v1/me").json()["role"] == "analyst"
    with session_scope(live.db) as s:
        update_user(s, get_user(s, "leaver@example.se").id, active=False)
    assert browser.get("/").status_code == 303
    assert api.get("/api/v1/me").status_code == 401
    with httpx.Client(base_url=live.url) as anon:
        assert (
            anon.get("/api/v1/me", headers={"Authorization": "Bearer kf_nope"}).status_code == 401
        )
    browser.close()
    api.close()
