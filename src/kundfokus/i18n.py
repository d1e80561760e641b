"""Swedish and English text for everything a person reads.

Each piece of text is a small dict ``{"en": ..., "sv": ...}``; :func:`tr` picks the language. Keeping
both languages side by side in the module that uses them makes a missing translation easy to see in
review, and :func:`tr` refuses a language it does not know instead of silently falling back.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "sv"]
LANGUAGES: tuple[str, ...] = ("en", "sv")


def check_lang(lang: str) -> Lang:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang  # type: ignore[return-value]


def tr(text: dict[str, str], lang: str, **fmt: object) -> str:
    """Pick ``text[lang]`` and format it with ``fmt``.

    >>> tr({"en": "{n} answers", "sv": "{n} svar"}, "sv", n=3)
    '3 svar'
    """
    s = text[check_lang(lang)]
    return s.format(**fmt) if fmt else s
