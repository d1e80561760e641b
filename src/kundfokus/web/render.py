"""Rendering pages: one Jinja2 environment (with jinja2-fragments for htmx partials), the texts
of the pages in Swedish and English, and the context every page gets (language, user, CSRF)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks

from kundfokus import __version__
from kundfokus.services.accounts import Principal
from kundfokus.web.deps import LANG_COOKIE, page_lang
from kundfokus.web.messages import MESSAGES

TEMPLATES = Path(__file__).resolve().parent / "templates"
templates = Jinja2Blocks(directory=str(TEMPLATES))
templates.env.globals["version"] = __version__


def translator(lang: str):
    """``t("key", n=3)``: the text of ``key`` in ``lang`` (the key itself when it is missing, so a
    missing text is visible and caught by the test that every key has both languages)."""

    def t(key: str, **fmt: Any) -> str:
        text = MESSAGES.get(key)
        if text is None:
            return key
        s = text[lang]
        return s.format(**fmt) if fmt else s

    return t


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
    block: str | None = None,
    lang: str | None = None,
):
    """Render ``template`` (or only ``block`` of it, for htmx) with the common context."""
    lang = lang or page_lang(request, principal)
    other = "en" if lang == "sv" else "sv"
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    ctx = {
        "request": request,
        # the language switch keeps the rest of the address (by=..., next=...)
        "switch_url": "?" + urlencode([*query, ("lang", other)]),
        "lang": lang,
        "other_lang": other,
        "t": translator(lang),
        "user": principal,
        "csrf": principal.csrf if principal is not None else "",
        **(context or {}),
    }
    if block is not None:
        response = templates.TemplateResponse(
            request, template, ctx, status_code=status_code, block_name=block
        )
    else:
        response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    q = request.query_params.get("lang")
    if q in ("sv", "en"):
        response.set_cookie(LANG_COOKIE, q, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
