"""The words of the Kano model for readers, in Swedish and English: one vocabulary for the charts,
the report, the priorities, the result's warnings and the command line.

:data:`CATEGORY_NAMES` holds the names as they stand inside a sentence (``"must-be"``,
``"baskrav"``); :func:`category_label` gives them as a label or heading (``"Must-be"``).
"""

from __future__ import annotations

from kundfokus.i18n import tr

__all__ = ["CATEGORY_NAMES", "category_label"]

#: Kano category names by code, in sentence case (Berger et al. 1993; O is also called
#: one-dimensional).
CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "A": {"en": "attractive", "sv": "attraktiv"},
    "O": {"en": "performance (one-dimensional)", "sv": "prestanda (endimensionell)"},
    "M": {"en": "must-be", "sv": "baskrav"},
    "I": {"en": "indifferent", "sv": "likgiltig"},
    "R": {"en": "reverse", "sv": "omvänd"},
    "Q": {"en": "questionable", "sv": "tveksam"},
}


def category_label(code: str, lang: str = "en") -> str:
    """The name of one category code as a label: first letter upper case.

    Examples
    --------
    >>> category_label("O"), category_label("M", "sv")
    ('Performance (one-dimensional)', 'Baskrav')
    """
    name = tr(CATEGORY_NAMES[code], lang)
    return name[:1].upper() + name[1:]
