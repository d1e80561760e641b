"""What every route needs: a database session, who is asking (session cookie or API token), the
role check, CSRF, and the language of the page.

Rules (documented in docs/web-roles.md and checked by tests/web/test_roles.py):

- an API route (``/api/...``) without a valid session or token answers 401, a page redirects to
  ``/login``; with a role that may not do it, both answer 403;
- a request signed in with a cookie must send the session's CSRF token with every unsafe method
  (a form field ``csrf_token`` or the header ``X-CSRF-Token``); a bearer-token request need not;
- public routes (``/healthz``, the OpenAPI document, respondent pages, response submission,
  ``/embed.js``, static files) need nothing.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from kundfokus.services.accounts import (
    Principal,
    principal_for_session,
    principal_for_token,
)

SESSION_COOKIE = "kf_session"
LANG_COOKIE = "kf_lang"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LoginRequired(Exception):
    """A page needs a signed-in user: redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class CSRFError(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=403, detail="missing or wrong CSRF token")


def get_db(request: Request) -> Iterator[Session]:
    """One session per request; committed by the route (``db.commit()``) before it answers."""
    session = request.app.state.sessionmaker()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DB = Annotated[Session, Depends(get_db)]


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def current_principal(request: Request, db: DB) -> Principal | None:
    """The signed-in user of this request, or ``None`` (cached on the request)."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    token = _bearer(request)
    principal = None
    if token is not None:
        principal = principal_for_token(db, token)
        if principal is not None:
            db.commit()  # last_used_at
    else:
        principal = principal_for_session(db, request.cookies.get(SESSION_COOKIE))
    request.state.principal = principal
    return principal


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def check_csrf(request: Request, principal: Principal) -> None:
    """Unsafe requests from a browser session carry the session's CSRF token."""
    if request.method not in UNSAFE or principal.via != "session":
        return
    sent = request.headers.get("x-csrf-token")
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not sent or not principal.csrf or not hmac.compare_digest(sent, principal.csrf):
        raise CSRFError()


@dataclass(frozen=True)
class Require:
    """Dependency: the request is made by a user with at least ``role``."""

    role: str

    async def __call__(self, request: Request, db: DB) -> Principal:
        principal = current_principal(request, db)
        if principal is None:
            if is_api(request):
                raise HTTPException(
                    status_code=401,
                    detail="sign in or send Authorization: Bearer TOKEN",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(quote(target, safe=""))
        if not principal.may(self.role):
            raise HTTPException(
                status_code=403, detail=f"this needs the role {self.role} or higher"
            )
        await check_csrf(request, principal)
        return principal


def role(name: str) -> Callable[..., Principal]:
    return Depends(Require(name))


Viewer = Annotated[Principal, Depends(Require("viewer"))]
Reviewer = Annotated[Principal, Depends(Require("reviewer"))]
Analyst = Annotated[Principal, Depends(Require("analyst"))]
Admin = Annotated[Principal, Depends(Require("admin"))]


def page_lang(request: Request, principal: Principal | None = None) -> str:
    """The language of a page: ``?lang=``, then the language cookie, the user's setting, and the
    browser's Accept-Language; English when none says Swedish."""
    q = request.query_params.get("lang")
    if q in ("sv", "en"):
        return q
    c = request.cookies.get(LANG_COOKIE)
    if c in ("sv", "en"):
        return c
    if principal is not None and principal.lang in ("sv", "en"):
        return principal.lang
    return accept_language(request.headers.get("accept-language", ""))


def accept_language(header: str) -> str:
    """``sv`` when the browser prefers Swedish over English, else ``en``.

    >>> accept_language("sv-SE,sv;q=0.9,en;q=0.8"), accept_language("en-GB,en;q=0.9"), accept_language("")
    ('sv', 'en', 'en')
    """
    best, best_q = "en", -1.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower()[:2]
        if code not in ("sv", "en"):
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best_q:
            best, best_q = code, q
    return best
