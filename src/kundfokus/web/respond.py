"""Public respondent pages (``/s/{public_id}``), the embeddable micro-survey (``/embed.js`` and
the iframe ``/s/{public_id}/embed``)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
