"""The application factory: one FastAPI app per store, with its middleware, routes and job worker.

>>> app = create_app("sqlite:///:memory:", start_jobs=False)
>>> app.openapi_url
'/api/openapi.json'
"""

from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from kundfokus import __version__
from kundfokus.errors import InputError
from kundfokus.services.surveys import AnswerError
from kundfokus.settings import Settings, get_settings
from kundfokus.web.deps import CSRFError, LoginRequired

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
log = logging.getLogger("kundfokus.web")


#: Paths framed by other sites (the embeddable survey) get no X-Frame-Options and a CSP that
#: lets any site frame them; everything else may not be framed.
def embeddable(path: str) -> bool:
    """Whether a path is one of the embeddable survey routes.

    >>> embeddable("/s/abc123/embed"), embeddable("/surveys/1")
    (True, False)
    """
    return path.startswith("/s/") or path == "/embed.js"


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)


async def _refuse_nul(send: Any) -> None:
    import json

    body = json.dumps(
        {
            "detail": [{"loc": ["query"], "msg": "a query parameter holds a NUL character"}],
            "field": "query",
            "value": None,
            "message": "a query parameter holds a NUL character (%00), which is not allowed",
        }
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 422, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Pure ASGI middleware: secure headers on every response; CORS on the public submission
    route and ``/embed.js`` (any origin, never credentials)."""

    def __init__(self, app: Any, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if b"%00" in scope.get("query_string", b""):
            # a NUL character in a query parameter: no store keeps it (PostgreSQL refuses it in
            # text), so it is refused here as invalid input rather than failing in a query
            await _refuse_nul(send)
            return
        public_post = path.startswith("/api/v1/surveys/") and path.endswith("/responses")
        cors = public_post or path == "/embed.js"
        if cors and scope["method"] == "OPTIONS":
            headers = [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", b"POST, OPTIONS"),
                (b"access-control-allow-headers", b"content-type"),
                (b"access-control-max-age", b"86400"),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        frame_ok = embeddable(path)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                if b"content-security-policy" not in names:
                    ancestors = "*" if frame_ok else "'none'"
                    extra.append(
                        (b"content-security-policy", CSP.format(ancestors=ancestors).encode())
                    )
                if not frame_ok:
                    extra.append((b"x-frame-options", b"DENY"))
                if cors:
                    extra.append((b"access-control-allow-origin", b"*"))
                if self.hsts:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                cacheable = path.startswith("/static/") or path == "/embed.js"
                if b"cache-control" not in names and not cacheable:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _field_errors(exc: AnswerError | InputError) -> dict[str, Any]:
    field = getattr(exc, "field", None) or exc.column or "body"
    return {
        "detail": [
            {
                "loc": ["body", *str(field).split(".")],
                "msg": exc.message,
                "type": "value_error",
                "input": exc.value,
            }
        ],
        "field": field,
        "value": exc.value,
        "message": str(exc),
    }


def create_app(
    db: str | None = None,
    *,
    settings: Settings | None = None,
    start_jobs: bool = True,
    migrate: bool = True,
) -> FastAPI:
    """Build the app for the store at ``db`` (a path or URL; default from the settings).

    ``start_jobs`` runs a job worker thread inside the server process (the default set-up);
    ``migrate`` brings the schema up to date when the app starts.
    """
    from kundfokus.store.db import open_store, resolve_url, sessionmaker_for

    settings = settings or get_settings(db=db)
    url = resolve_url(db if db is not None else settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if migrate:
            open_store(url)
        if app.state.secret is None:
            from kundfokus.services.accounts import installation_secret
            from kundfokus.store.db import session_scope

            with session_scope(url) as session:
                app.state.secret = installation_secret(session)
        # everything loaded at start-up (pandas, SQLAlchemy, FastAPI: a large heap) is kept out
        # of later full garbage collections, which otherwise pause the server for ~100 ms
        # (benchmarks/README.md: the p99 of survey submissions at 500 req/s)
        import gc

        gc.collect()
        gc.freeze()
        worker = None
        if start_jobs:
            from kundfokus.services.jobs import Worker

            worker = Worker(url, name=f"server-{os.getpid()}", settings=settings)
            worker.start()
        app.state.worker = worker
        # the weekly report e-mails: checked every minute, off when no SMTP server is set
        mailer = None
        if start_jobs and settings.smtp_host:
            from kundfokus.services.report_mail import ReportLoop

            mailer = ReportLoop(url, settings)
            mailer.start()
        app.state.report_mailer = mailer
        try:
            yield
        finally:
            if mailer is not None:
                mailer.stop()
            if worker is not None:
                worker.stop()

    app = FastAPI(
        title="kundfokus",
        version=__version__,
        description=(
            "Surveys, contacts and results of a kundfokus store. Sign in with a session cookie "
            "or send `Authorization: Bearer TOKEN` (create one with `kundfokus tokens create`). "
            "Public: `/healthz`, this document, survey pages and response submission."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.url = url
    app.state.sessionmaker = sessionmaker_for(url)
    # signs respondent form tokens: the configured key, else one kept in the store (see lifespan)
    app.state.secret = settings.secret_key.get_secret_value() if settings.secret_key else None

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or exc.status_code < 400:
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        from kundfokus.web.render import render

        message = {403: "forbidden", 404: "not_found"}.get(exc.status_code, str(exc.detail))
        if isinstance(exc, CSRFError):
            message = "csrf_failed"
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "message": message},
            principal=getattr(request.state, "principal", None),
            status_code=exc.status_code,
        )

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError):
        return JSONResponse(_field_errors(exc), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        from fastapi.encoders import jsonable_encoder

        errors = jsonable_encoder(exc.errors())
        first = errors[0] if errors else {}
        loc = [str(x) for x in first.get("loc", [])]
        return JSONResponse(
            {
                "detail": errors,
                "field": ".".join(loc[1:] if loc[:1] == ["body"] else loc) or None,
                "value": first.get("input"),
                "message": first.get("msg"),
            },
            status_code=422,
        )

    from kundfokus.web import api, dashboard_pages, pages, respond, review_pages
    from kundfokus.web.report_pages import router as report_router

    app.include_router(api.router)
    app.include_router(respond.router)
    app.include_router(pages.router)
    app.include_router(review_pages.router)
    app.include_router(dashboard_pages.router)
    from kundfokus.web import observation_pages

    app.include_router(observation_pages.router)
    app.include_router(report_router)
    from kundfokus.web import start_pages

    app.include_router(start_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
    return app
