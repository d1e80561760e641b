"""Pages for signed-in people: sign-in and sign-out, the overview, surveys, jobs, users.

Forms post with the session's CSRF token (``csrf_token``); htmx requests send it as the
``X-CSRF-Token`` header (set once on ``<body>``). The sign-in form, which has no session yet, uses a
double-submit token: a random cookie that the form must repeat.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import unquote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from kundfokus.services import accounts
from kundfokus.web.deps import DB, SESSION_COOKIE, Viewer, current_principal
from kundfokus.web.render import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "kf_login_csrf"


def _safe_next(value: str | None) -> str:
    """Only a local path may be the target after sign-in (no open redirect).

    >>> _safe_next("/surveys?x=1"), _safe_next("https://evil.example"), _safe_next("//evil")
    ('/surveys?x=1', '/', '/')
    """
    value = unquote(value or "/")
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


@router.get("/login")
def login_page(request: Request, db: DB, next: str = "/"):
    if current_principal(request, db) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"next": _safe_next(next), "login_csrf": token})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), max_age=3600)  # fmt: skip
    return response


@router.post("/login")
def login(
    request: Request,
    db: DB,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
):
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    fresh = secrets.token_urlsafe(24)

    def again(error: str, status: int):
        response = render(
            request,
            "login.html",
            {"next": _safe_next(next), "login_csrf": fresh, "error": error, "email": email},
            status_code=status,
        )
        response.set_cookie(LOGIN_CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                            secure=_secure(request), max_age=3600)  # fmt: skip
        return response

    if not cookie or not csrf_token or not hmac.compare_digest(cookie, csrf_token):
        return again("forbidden", 403)
    client = request.client.host if request.client else ""
    try:
        user = accounts.authenticate(db, email, password, client=client)
    except accounts.SignInError as exc:
        db.commit()  # keep the failed attempt
        if exc.reason == "limited":
            return again("login_limited", 429)
        return again("login_invalid", 401)
    token, _ = accounts.start_session(db, user)
    db.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=accounts.SESSION_HOURS * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, db: DB, who: Viewer):
    accounts.end_session(db, request.cookies.get(SESSION_COOKIE))
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, who: Viewer):
    return render(request, "home.html", principal=who)
