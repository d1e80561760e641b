"""Texts of the review pages in Swedish and English, merged into
:data:`kundfokus.web.messages.MESSAGES`.

>>> all(set(text) == {"en", "sv"} for text in MESSAGES.values())
True
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
