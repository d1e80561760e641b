"""Texts of the pages pages in Swedish and English (merged into :data:`kundfokus.web.messages.MESSAGES`)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
