"""Kano answer wordings and how to read an answer.

A Kano question pair asks how a customer feels if a feature is there (the *functional* question) and
if it is not there (the *dysfunctional* question). Each answer is one of five options, coded 1-5:

=====  ===========================  ===================================================
code   meaning                      classic English wording
=====  ===========================  ===================================================
1      like                         I like it that way
2      must-be / expect             It must be that way
3      neutral                      I am neutral
4      live-with / tolerate         I can live with it that way
5      dislike                      I dislike it that way
=====  ===========================  ===================================================

:data:`WORDINGS` holds the answer texts a questionnaire prints (by wording name and language);
:data:`RECOGNISED` holds further wordings met in real surveys that are read but not printed.
:func:`answer_code` reads one answer in any of these wordings (or as a code 1-5), tolerant of case,
spacing, curly apostrophes and a trailing full stop.
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = [
    "ANSWER_KEYS",
    "RECOGNISED",
    "WORDINGS",
    "answer_code",
    "importance_value",
    "normalise_text",
]

#: Short names of the five answer options, in code order 1-5.
ANSWER_KEYS: tuple[str, str, str, str, str] = (
    "like",
    "must-be",
    "neutral",
    "live-with",
    "dislike",
)

#: Answer texts a questionnaire can print: wording name -> language -> the five answers in code
#: order (like, must-be, neutral, live-with, dislike).
WORDINGS: dict[str, dict[str, tuple[str, str, str, str, str]]] = {
    "classic": {
        "en": (
            "I like it that way",
            "It must be that way",
            "I am neutral",
            "I can live with it that way",
            "I dislike it that way",
        ),
        "sv": (
            "Jag gillar det så",
            "Det måste vara så",
            "Jag är neutral",
            "Jag kan leva med det så",
            "Jag ogillar det så",
        ),
    },
    "short": {
        "en": (
            "I like it",
            "I expect it",
            "I am neutral",
            "I can tolerate it",
            "I dislike it",
        ),
        "sv": (
            "Jag gillar det",
            "Jag förväntar mig det",
            "Jag är neutral",
            "Jag kan tolerera det",
            "Jag ogillar det",
        ),
    },
}

#: Further wordings that are read (but not offered for printing): name -> the five answers in code
#: order. The ``reppl-*`` sets are the ones used by the cohorts in Reppel (2022).
RECOGNISED: dict[str, tuple[str, str, str, str, str]] = {
    "classic-variants": (
        "I like it this way",
        "I must be that way",  # a real typo in published data
        "I'm neutral",
        "I can live with it this way",
        "I dislike it this way",
    ),
    "short-variants": (
        "Like",
        "Expect",
        "Neutral",
        "Tolerate",
        "Dislike",
    ),
    "reppl-cohort2": (
        "I enjoy it that way",
        "It is a basic necessity or I expect it that way",
        "I am neutral",
        "I dislike it, but I can live with it that way",
        "I dislike it, and I can't accept it",
    ),
    "reppl-cohort3": (
        "This would be very helpful to me",
        "This is a basic requirement for me",
        "This would not affect me",
        "This would be a minor inconvenience",
        "This would be a major problem for me",
    ),
    "sv-variants": (
        "Jag tycker om det",
        "Det är ett måste",
        "Jag bryr mig inte",
        "Jag kan acceptera det",
        "Jag tycker inte om det",
    ),
    "sv-short-variants": (
        "Gillar",
        "Förväntar mig",
        "Neutral",
        "Kan tolerera",
        "Ogillar",
    ),
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_SPACES = re.compile(r"\s+")


def normalise_text(value: str) -> str:
    """Normalise an answer text for matching: case, spacing, curly apostrophes, final full stop.

    Examples
    --------
    >>> normalise_text("  I’M   Neutral. ")
    "i'm neutral"
    """
    text = _SPACES.sub(" ", value.translate(_APOSTROPHES)).strip().casefold()
    return text.rstrip(".!").rstrip()


def _build_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    sets: list[tuple[str, ...]] = [texts for langs in WORDINGS.values() for texts in langs.values()]
    sets.extend(RECOGNISED.values())
    for texts in sets:
        for code, text in enumerate(texts, start=1):
            key = normalise_text(text)
            if lookup.get(key, code) != code:  # pragma: no cover - guards the tables above
                raise RuntimeError(f"Kano wording {text!r} is used for two different answers")
            lookup[key] = code
    for code in range(1, 6):
        lookup[str(code)] = code
    return lookup


_LOOKUP: dict[str, int] = _build_lookup()
_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)")


def is_missing(value: Any) -> bool:
    """True for an empty answer: ``None``, NaN, NA or a blank string."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        return value is pd.NA or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def answer_code(value: Any) -> int | None:
    """Read one Kano answer as its code 1-5, or ``None`` when it is empty.

    Accepts the codes 1-5 (as numbers or text, also ``"2.0"``), any wording in :data:`WORDINGS` or
    :data:`RECOGNISED`, and a code followed by its text (``"1 - I like it"``).

    Raises
    ------
    ValueError
        When the answer cannot be read.

    Examples
    --------
    >>> answer_code("I dislike it, and I can’t accept it")
    5
    >>> answer_code("jag förväntar mig det")
    2
    >>> answer_code(4.0), answer_code("  "), answer_code("3 - I am neutral")
    (4, None, 3)
    """
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a Kano answer: {value!r}")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise ValueError(f"not a Kano answer: {value!r}")
    text = normalise_text(str(value))
    code = _LOOKUP.get(text)
    if code is not None:
        return code
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if number.is_integer() and 1 <= number <= 5:
            return int(number)
        raise ValueError(f"not a Kano answer: {value!r}")
    m = re.match(r"^([1-5])\s*[-–:.)]\s*(.+)$", text)
    if m:
        rest = _LOOKUP.get(normalise_text(m.group(2)))
        if rest == int(m.group(1)):
            return rest
    raise ValueError(f"not a Kano answer: {value!r}")


def importance_value(value: Any) -> float | None:
    """Read a self-stated importance: a number, or a text that starts with one.

    Examples
    --------
    >>> importance_value("3 - Somewhat important"), importance_value(7), importance_value("")
    (3.0, 7.0, None)
    """
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not an importance: {value!r}")
    if isinstance(value, (int, float)):
        if math.isinf(value):
            raise ValueError(f"not an importance: {value!r}")
        return float(value)
    m = _NUMBER.match(str(value))
    if not m:
        raise ValueError(f"not an importance: {value!r}")
    rest = str(value)[m.end() :].strip()
    if rest and rest[0].isdigit():  # pragma: no cover - the regex consumes all digits
        raise ValueError(f"not an importance: {value!r}")
    return float(m.group(1).replace(",", "."))
