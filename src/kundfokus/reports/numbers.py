"""Numbers for people, one convention for every text and HTML output.

Swedish (``sv``): decimal comma, a plain space before the percent sign (``83 %``), and, when asked for,
a (no-break) space between thousands (``12 345``). English (``en``): decimal point, ``83%`` and a
comma between thousands (``12,345``). A missing value (``None``, ``NaN``, ``pd.NA``) is an en dash
``–`` in both languages.

Machine outputs (CSV, JSON, XLSX cells) keep plain numbers with ``.``; these helpers are only for
text a person reads. See ``docs/language.md``.
"""

from __future__ import annotations

import math
from typing import Any

from kundfokus.i18n import check_lang

#: What a missing number is shown as.
MISSING = "–"
#: Space between thousands in Swedish (no-break space, so ``12 345`` never wraps).
SV_THOUSANDS = "\u00a0"
#: Space between a number and ``%`` in Swedish (a plain space, as in ``83 %``).
SV_PERCENT_SPACE = " "


def is_missing(v: Any) -> bool:
    """True for ``None``, ``NaN`` and ``pd.NA`` (and anything else that is not a number).

    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("x")
    (True, True, False, True)
    """
    if v is None:
        return True
    try:
        f = float(v)
    except (TypeError, ValueError):
        return True
    return math.isnan(f)


def fmt_number(
    v: Any,
    digits: int = 1,
    lang: str = "en",
    *,
    group: bool = False,
    minus: bool = False,
    sign: bool = False,
) -> str:
    """``v`` with ``digits`` decimals in the convention of ``lang``.

    ``group`` puts a separator between thousands (no-break space in sv, comma in en); ``minus``
    writes a typographic minus ``−`` in Swedish; ``sign`` writes ``+`` before positive numbers.

    >>> fmt_number(1234.5, 1, "sv"), fmt_number(1234.5, 1, "en")
    ('1234,5', '1234.5')
    >>> fmt_number(12345.6, 0, "sv", group=True) == "12\\u00a0346"
    True
    >>> fmt_number(12345.6, 0, "en", group=True), fmt_number(float("nan")), fmt_number(None, 2, "sv")
    ('12,346', '–', '–')
    >>> fmt_number(-0.25, 2, "sv", minus=True), fmt_number(0.5, 1, "en", sign=True)
    ('−0,25', '+0.5')
    """
    lang = check_lang(lang)
    if is_missing(v):
        return MISSING
    f = float(v)
    text = f"{f:{'+' if sign else ''}{',' if group else ''}.{digits}f}"
    if lang == "sv":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", SV_THOUSANDS)
        if minus:
            text = text.replace("-", "−")
    return text


def fmt_int(v: Any, lang: str = "en") -> str:
    """A count with thousands separated.

    >>> fmt_int(1500, "en"), fmt_int(1500, "sv") == "1\\u00a0500", fmt_int(None, "sv")
    ('1,500', True, '–')
    """
    return fmt_number(v, 0, lang, group=True)


def fmt_percent(share: Any, digits: int = 0, lang: str = "en", *, sign: bool = False) -> str:
    """A share (0.83) as a percentage: ``83 %`` in Swedish, ``83%`` in English.

    >>> fmt_percent(0.834, 0, "sv"), fmt_percent(0.834, 1, "en")
    ('83 %', '83.4%')
    >>> fmt_percent(0.0534, 1, "sv"), fmt_percent(float("nan"), 0, "sv")
    ('5,3 %', '–')
    """
    if is_missing(share):
        return MISSING
    return fmt_points(100 * float(share), digits, lang, sign=sign)


def fmt_points(value: Any, digits: int = 0, lang: str = "en", *, sign: bool = False) -> str:
    """A number that already is in percent (83.4) with the percent sign of ``lang``.

    >>> fmt_points(83.4, 1, "sv"), fmt_points(83.4, 0, "en")
    ('83,4 %', '83%')
    """
    if is_missing(value):
        return MISSING
    text = fmt_number(value, digits, lang, sign=sign)
    return text + (SV_PERCENT_SPACE + "%" if lang == "sv" else "%")


def fmt_p(value: Any, lang: str = "en") -> str:
    """A p-value: ``p = 0.012`` / ``p < 0,001``.

    >>> fmt_p(0.01234), fmt_p(0.00001, "sv"), fmt_p(None)
    ('p = 0.012', 'p < 0,001', '–')
    """
    if is_missing(value):
        return MISSING
    v = float(value)
    return "p < " + fmt_number(0.001, 3, lang) if v < 0.001 else "p = " + fmt_number(v, 3, lang)
