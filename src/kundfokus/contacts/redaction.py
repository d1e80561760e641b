"""Personal data out of free text: typed placeholders for identity numbers, phones, e-mail, cards, IBANs.

Contacts (call transcripts, chats, e-mails, social messages) are redacted before they are stored or
shown. Each kind of personal data has a candidate pattern and a validator; only candidates that pass
the validator are replaced:

==================  =====================  ==========================================================
kind                placeholder            validated by
==================  =====================  ==========================================================
``email``           ``[EMAIL]``            shape ``local@domain.tld``
``iban``            ``[IBAN]``             country code, the country's IBAN length, ISO 7064 mod 97
``card``            ``[CARD]``             13-19 digits, card grouping, issuer prefix, Luhn
``personnummer``    ``[PERSONNUMMER]``     plausible date (day + 60 for samordningsnummer), Luhn
``phone``           ``[PHONE]``            Swedish area code / mobile prefix and length, or ``+``/``00``
                                           with 8-15 digits, or North American ``(555) 123-4567``
==================  =====================  ==========================================================

Kinds are tried in that order and matches never overlap: a span taken by an earlier kind is not
looked at again. Numbers that follow an identifier word (``order``, ``ordernummer``, ``ärende``,
``OCR``, ``faktura``, ``case``, ``invoice`` ...) are kept, so that order and case numbers survive even
when they happen to pass a check digit. Dates, amounts, times and postcodes do not match any pattern.

Names and street addresses are **not** redacted: that needs a named-entity model.

Examples
--------
>>> redact("Ring mig på 070-123 45 67 eller mejla anna.s@example.se")
'Ring mig på [PHONE] eller mejla [EMAIL]'
>>> redact("Mitt personnummer är 811218-9876, order 123456 kom 1 maj")
'Mitt personnummer är [PERSONNUMMER], order 123456 kom 1 maj'
>>> [m.kind for m in find_pii("kort 4111 1111 1111 1111, IBAN SE45 5000 0000 0583 9825 7466")]
['card', 'iban']
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kundfokus.errors import InputError

__all__ = [
    "ALL",
    "KINDS",
    "PLACEHOLDERS",
    "Match",
    "Redactor",
    "find_pii",
    "iban_valid",
    "luhn_valid",
    "personnummer_valid",
    "redact",
    "redact_frame",
    "redact_many",
]

#: Every kind of personal data, in the order they are tried.
KINDS: tuple[str, ...] = ("email", "iban", "card", "personnummer", "phone")
#: Default for ``kinds=``: all of them.
ALL: tuple[str, ...] = KINDS
#: The typed placeholder that replaces each kind.
PLACEHOLDERS: dict[str, str] = {
    "email": "[EMAIL]",
    "iban": "[IBAN]",
    "card": "[CARD]",
    "personnummer": "[PERSONNUMMER]",
    "phone": "[PHONE]",
}


@dataclass(frozen=True, slots=True)
class Match:
    """One piece of personal data found in a text: ``text[start:end] == match.text``."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.kind]


# --------------------------------------------------------------------------------------------------
# check digits


def luhn_valid(digits: str) -> bool:
    """True when the string of digits passes the Luhn (mod 10) check.

    >>> luhn_valid("8112189876"), luhn_valid("8112189875"), luhn_valid("4111111111111111")
    (True, False, True)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


#: IBAN length per country (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def iban_valid(iban: str) -> bool:
    """True when ``iban`` (spaces allowed) has a known country, its length and mod 97 == 1.

    >>> iban_valid("SE45 5000 0000 0583 9825 7466"), iban_valid("SE45 5000 0000 0583 9825 7467")
    (True, False)
    """
    s = re.sub(r"\s+", "", iban).upper()
    if IBAN_LENGTHS.get(s[:2]) != len(s) or not s[2:4].isdigit() or not s.isalnum():
        return False
    moved = s[4:] + s[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _plausible_date(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    if day > 60:  # samordningsnummer: day of birth + 60
        day -= 60
    if day < 1:
        return False
    if year is None:  # century unknown: accept 29 February
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return day <= calendar.monthrange(year, month)[1]


def personnummer_valid(number: str) -> bool:
    """True when ``number`` is a plausible Swedish personnummer or samordningsnummer.

    Accepts ``YYMMDD-NNNN``, ``YYMMDD+NNNN``, ``YYMMDDNNNN``, ``YYYYMMDD-NNNN`` and
    ``YYYYMMDDNNNN``: the date must exist (day + 60 for a samordningsnummer) and the last digit must
    be the Luhn check digit of the ten-digit form.

    >>> personnummer_valid("19811218-9876"), personnummer_valid("811278-9873")
    (True, True)
    >>> personnummer_valid("811218-9875"), personnummer_valid("811318-9876")
    (False, False)
    """
    digits = re.sub(r"\D", "", number)
    year: int | None = None
    if len(digits) == 12:
        if digits[:2] not in ("18", "19", "20"):
            return False
        year = int(digits[:4])
        if year > date.today().year:  # nobody is born in the future
            return False
        digits = digits[2:]
    if len(digits) != 10:
        return False
    if not _plausible_date(year, int(digits[2:4]), int(digits[4:6])):
        return False
    return luhn_valid(digits)


# --------------------------------------------------------------------------------------------------
# patterns

_B = r"(?<![\w+])(?<!\d[-/.])"  # not glued to a word, a "+" or a preceding number
_E = r"(?![\w])(?![-/.:,]\d)"  # not glued to a word or followed by more number
# phones may be listed with "/" between them ("070-123 45 67/08-123 456 78"); dates with "/" never
# make a valid phone (no two-digit area code but 08, too few digits)
_BP = r"(?<![\w+])(?<!\d[-.])"
_EP = r"(?![\w])(?![-.:,]\d)"

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
_IBAN = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){10,30}", re.ASCII)
_CARD = re.compile(
    _B
    + r"(?:\d{4}(?:([ -])\d{4}){2,3}(?:[ -]\d{1,3})?"  # 4-4-4-4 (+1..3), 4-4-4 (+1..3)
    + r"|\d{4}[ -]\d{6}[ -]\d{4,5}"  # American Express 4-6-5, Diners 4-6-4
    + r"|\d{13,19})"
    + _E
)
_DASH = r"\-\u2010\u2011\u2013\u2212"  # hyphen, non-breaking hyphen, en dash, minus
_PNR = re.compile(_B + r"(?:(?:18|19|20)\d{6}|\d{6})(?: ?[+" + _DASH + r"] ?| )?\d{4}" + _E)
_PHONE_SE = re.compile(
    _BP
    + r"(?:\(0\d{1,3}\)|0\d{1,3})(?: ?[/."
    + _DASH
    + r"] ?| )?\d{2,8}(?:[ "
    + _DASH
    + r"]\d{2,4}){0,5}"  # bounded: at most 10 digits, and no quadratic trimming
    + _EP
)
_PHONE_INTL = re.compile(
    r"(?<![\w+])(?:\+ ?|\b00)[1-9]\d{0,2}(?: ?\(0\))?(?:[ .-]?\(?\d{1,5}\)?){1,7}" + _EP
)
# Swedish mobile in E.164 without the "+": 46 7X XXX XX XX (exactly eleven digits)
_PHONE_SE_BARE = re.compile(_BP + r"46 ?7[02369](?: ?\d){7}" + _EP)
_PHONE_NANP = re.compile(_BP + r"(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}" + _EP)

# identifier words: a number right after one of these is an order/case/invoice number, not PII
_ID_CONTEXT = re.compile(
    r"(?:\b(?:order|ordernr|ordernummer|orderid|beställning|beställningsnummer|ärende|ärendet|"
    r"ärendenr|ärendenummer|case|ticket|ocr|ocr-nummer|ocr-nr|faktura|fakturan|fakturanr|"
    r"fakturanummer|invoice|referens|referensnummer|ref|reference|booking|bokning|bokningsnummer|"
    r"bokningsnr|tracking|kolli|kollinummer|sändningsnummer|sändnings-id|spårningsnummer|"
    r"avi|avinummer|artikel|artikelnummer|article|item|kundnummer|kundnr|customer number|"
    r"account number|konto|kontonummer|avtal|avtalsnummer|contract|serial|serienummer|"
    r"imei)\s*(?:nr\.?|nummer|number|no\.?|id|#)?\s*[:#.]?\s*(?:är|is)?\s*)$",
    re.IGNORECASE,
)
_PNR_CONTEXT = re.compile(
    r"\b(?:personnummer|personnumret|personnr|pnr|p-nr|samordningsnummer|födelsenummer|"
    r"personal identity number|personal number|id number)\b",
    re.IGNORECASE,
)
_SE_AREA_2 = {"08"}  # the only two-digit Swedish area code
_SE_PREFIX_07 = ("070", "071", "072", "073", "074", "076", "077", "078", "079")  # 075: none
_QUICK = re.compile(r"[\d@]")
_DIGITS = re.compile(r"\d+")


def _id_context(text: str, start: int) -> bool:
    return _ID_CONTEXT.search(text[max(0, start - 40) : start]) is not None


def _pnr_context(text: str, start: int) -> bool:
    return _PNR_CONTEXT.search(text[max(0, start - 60) : start]) is not None


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _longest_valid_prefix(
    text: str, start: int, end: int, ok, min_groups: int = 1
) -> tuple[int, int] | None:
    """Try the candidate ``text[start:end]`` and then shorter versions of it that end at the end of
    an earlier digit group (a phone number followed by another number, say); return the longest
    that ``ok`` accepts."""
    cand = text[start:end]
    ends = [m.end() for m in _DIGITS.finditer(cand)]
    for k in range(len(ends), min_groups - 1, -1):
        sub = cand[: ends[k - 1]]
        if k < len(ends) and sub[-1:].isdigit() and cand[ends[k - 1] : ends[k - 1] + 1] == ")":
            continue
        if ok(sub):
            return start, start + len(sub)
    return None


def _card_prefix(d: str) -> bool:
    """Issuer prefixes in use (ISO/IEC 7812): 3 (Amex, Diners, JCB), 4 (Visa), 5 (Mastercard,
    Maestro), 6 (Discover, Maestro, UnionPay) and 2221-2720 (Mastercard). A 14-digit timestamp
    such as 20240501123045 is no card."""
    return d[0] in "3456" or (d[0] == "2" and 2221 <= int(d[:4]) <= 2720)


_PNR_SHAPE = re.compile(r"(?:\d{2})?\d{6} ?[+" + _DASH + r"] ?\d{4}")


def _ok_phone_se(s: str) -> bool:
    if _PNR_SHAPE.fullmatch(s):  # 050610-7121: a personnummer with a wrong check digit, no phone
        return False
    if re.search(r"/ ?\d{1,2}(?!\d)", s):  # 08/12 2024 is a date; 08/123 45 67 a phone
        return False
    d = _digits(s)
    if not 8 <= len(d) <= 10 or d[1] == "0":
        return False
    area = re.match(r"\(?(0\d{1,3})", s).group(1)  # type: ignore[union-attr]
    if len(area) == 2 and area not in _SE_AREA_2:
        return False
    if d.startswith("07"):  # mobile numbers have ten digits
        return len(d) == 10 and d[:3] in _SE_PREFIX_07
    return True


def _ok_phone_intl(s: str) -> bool:
    if _PNR_SHAPE.fullmatch(s):  # 001125-1728
        return False
    d = _digits(s.replace("(0)", ""))
    if s.startswith("00"):
        d = d[2:]
    if d.startswith("46"):  # Sweden: 7-9 digit national significant number
        return 9 <= len(d) <= 11 and d[2] != "0"
    return 8 <= len(d) <= 15


class Redactor:
    """Find and replace personal data; the patterns are compiled once at import.

    Parameters
    ----------
    kinds:
        Which kinds to look for, from :data:`KINDS` (default: all).
    keep_context:
        Keep numbers that follow an identifier word (order, ärende, OCR, faktura, case ...).
        Default ``True``.

    Examples
    --------
    >>> r = Redactor(kinds=("email",))
    >>> r.redact("mejla a@b.se eller ring 0701234567")
    'mejla [EMAIL] eller ring 0701234567'
    >>> r.counts(["a@b.se", "c@d.com och e@f.org"])
    {'email': 3}
    """

    def __init__(self, kinds: Iterable[str] = ALL, *, keep_context: bool = True) -> None:
        if isinstance(kinds, str):
            kinds = [k.strip() for k in kinds.split(",") if k.strip()]
        kinds = tuple(kinds)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise InputError(
                f"unknown kind of personal data; use some of {', '.join(KINDS)}",
                column="kinds",
                value=unknown[0],
            )
        self.kinds = tuple(k for k in KINDS if k in kinds)
        self.keep_context = keep_context

    # candidates per kind, each yielding (start, end) spans that passed validation
    def _email(self, text: str):
        for m in _EMAIL.finditer(text):
            yield m.start(), m.end()

    def _iban(self, text: str):
        for m in _IBAN.finditer(text):
            cand = m.group(0)
            want = IBAN_LENGTHS.get(cand[:2].upper())
            if want is None:
                continue
            # take exactly `want` alphanumerics (the pattern may run into a following word)
            n = 0
            for i, ch in enumerate(cand):
                if ch != " ":
                    n += 1
                if n == want:
                    sub = cand[: i + 1]
                    rest = cand[i + 1 :]
                    if (not rest or rest[0] == " ") and iban_valid(sub):
                        yield m.start(), m.start() + len(sub)
                    break

    def _card(self, text: str):
        for m in _CARD.finditer(text):
            d = _digits(m.group(0))
            if (
                13 <= len(d) <= 19
                and _card_prefix(d)
                and luhn_valid(d)
                and not (self.keep_context and _id_context(text, m.start()))
            ):
                yield m.start(), m.end()

    def _personnummer(self, text: str):
        for m in _PNR.finditer(text):
            s = m.group(0)
            if not personnummer_valid(s):
                continue
            d = _digits(s)
            if self.keep_context and _id_context(text, m.start()):
                continue
            # ten bare digits starting with 0 are far more often a phone number (070..., 08...)
            # than a personnummer of someone born 2000-2009, unless the text says personnummer
            if len(d) == 10 and s.isdigit() and d[0] == "0" and not _pnr_context(text, m.start()):
                continue
            yield m.start(), m.end()

    def _phone(self, text: str):
        for pattern, ok in (
            (_PHONE_INTL, _ok_phone_intl),
            (_PHONE_SE, _ok_phone_se),
            (_PHONE_SE_BARE, lambda s: True),
            (_PHONE_NANP, lambda s: True),
        ):
            for m in pattern.finditer(text):
                span = _longest_valid_prefix(text, m.start(), m.end(), ok)
                if span and not (self.keep_context and _id_context(text, span[0])):
                    yield span

    def find(self, text: str) -> list[Match]:
        """All personal data in ``text``, sorted by position, without overlaps."""
        if not isinstance(text, str):
            raise InputError("text to redact must be a string", value=text)
        if not _QUICK.search(text):
            return []
        taken: list[tuple[int, int]] = []
        found: list[Match] = []
        for kind in self.kinds:
            for start, end in getattr(self, "_" + kind)(text):
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                found.append(Match(kind, start, end, text[start:end]))
        found.sort(key=lambda m: m.start)
        return found

    def redact(self, text: str) -> str:
        """``text`` with every match replaced by its placeholder."""
        return self._apply(text, self.find(text))

    @staticmethod
    def _apply(text: str, matches: Sequence[Match]) -> str:
        if not matches:
            return text
        out, pos = [], 0
        for m in matches:
            out.append(text[pos : m.start])
            out.append(m.placeholder)
            pos = m.end
        out.append(text[pos:])
        return "".join(out)

    def redact_with_counts(self, text: str) -> tuple[str, Counter[str]]:
        """The redacted text and how many of each kind were replaced."""
        matches = self.find(text)
        return self._apply(text, matches), Counter(m.kind for m in matches)

    def counts(self, texts: Iterable[str]) -> dict[str, int]:
        """How many matches of each kind the texts hold (kinds with none are left out)."""
        c: Counter[str] = Counter()
        for t in texts:
            c.update(m.kind for m in self.find(t))
        return {k: c[k] for k in self.kinds if c[k]}


_DEFAULT = Redactor()


def _redactor(kinds: Iterable[str]) -> Redactor:
    if kinds is ALL:
        return _DEFAULT
    kinds = [k.strip() for k in kinds.split(",")] if isinstance(kinds, str) else list(kinds)
    return _DEFAULT if tuple(kinds) == ALL else Redactor(kinds)


def find_pii(text: str, *, kinds: Iterable[str] = ALL) -> list[Match]:
    """Personal data in ``text`` as :class:`Match` objects (kind, start, end, text), by position.

    Parameters
    ----------
    text:
        Any free text.
    kinds:
        Kinds to look for (default: all of :data:`KINDS`).

    Returns
    -------
    list of Match

    Examples
    --------
    >>> find_pii("pnr 19811218-9876")
    [Match(kind='personnummer', start=4, end=17, text='19811218-9876')]
    """
    return _redactor(kinds).find(text)


def redact(text: str, *, kinds: Iterable[str] = ALL) -> str:
    """Replace personal data in ``text`` by typed placeholders (``[PHONE]``, ``[EMAIL]`` ...).

    Parameters
    ----------
    text:
        Any free text.
    kinds:
        Kinds to redact (default: all of :data:`KINDS`).

    Returns
    -------
    str
        The text with each match replaced by its placeholder; everything else unchanged.

    Examples
    --------
    >>> redact("Call +44 20 7946 0958 about case 2024-12345 (£1,299.00 on 12/3)")
    'Call [PHONE] about case 2024-12345 (£1,299.00 on 12/3)'
    >>> redact("Kort 5555 5555 5555 4444, ring 08-123 456 78", kinds=["card"])
    'Kort [CARD], ring 08-123 456 78'
    """
    return _redactor(kinds).redact(text)


def redact_many(texts: Iterable[str], *, kinds: Iterable[str] = ALL) -> list[str]:
    """:func:`redact` over many texts (``None`` stays ``None``); errors name the 1-based row.

    Examples
    --------
    >>> redact_many(["a@b.se", None, "ok"])
    ['[EMAIL]', None, 'ok']
    """
    r = _redactor(kinds)
    out: list[str] = []
    for i, t in enumerate(texts, start=1):
        if t is None:
            out.append(None)  # type: ignore[arg-type]
            continue
        if not isinstance(t, str):
            raise InputError("text to redact must be a string", row=i, value=t)
        out.append(r.redact(t))
    return out


def redact_frame(frame: Any, columns: str | Sequence[str] = "text", *, kinds: Iterable[str] = ALL):
    """Redact text columns of a data frame; returns a frame of the same kind.

    Works on pandas, Polars (eager and lazy) and PyArrow tables through narwhals, on a PySpark
    DataFrame (a pandas UDF, so the work runs on the executors and stays lazy) and on a DuckDB
    relation (streamed through Arrow record batches; the result is a relation on DuckDB's default
    connection). Other columns are left as they are; missing values stay missing.

    Parameters
    ----------
    frame:
        pandas.DataFrame, polars.DataFrame / LazyFrame, pyarrow.Table, duckdb relation or
        pyspark.sql.DataFrame.
    columns:
        The text column or columns to redact (default ``"text"``).
    kinds:
        Kinds to redact (default: all of :data:`KINDS`).

    Returns
    -------
    The same kind of frame, with the columns redacted.

    Raises
    ------
    InputError
        A column is missing or not a text column (names the column and its type), or, for eager
        frames, a value is not a string (names the 1-based row).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": [1, 2], "text": ["ring 070-123 45 67", None]})
    >>> out = redact_frame(df)
    >>> out["text"][0], bool(out["text"].isna()[1]), out["id"].tolist()
    ('ring [PHONE]', True, [1, 2])
    """
    import narwhals as nw

    cols = [columns] if isinstance(columns, str) else list(columns)
    r = _redactor(kinds)
    nw_frame = nw.from_native(frame)
    schema = nw_frame.collect_schema()
    for c in cols:
        if c not in schema:
            raise InputError(
                f"no such column; the frame has {', '.join(map(str, schema.names()))}", column=c
            )
        if schema[c] not in (nw.String, nw.Unknown, nw.Object):
            raise InputError("not a text column", column=c, value=str(schema[c]))

    def one(t: Any) -> Any:
        return None if t is None else r.redact(t) if isinstance(t, str) else t

    module = type(frame).__module__
    if module.startswith("pyspark"):
        import pandas as pd
        from pyspark.sql import functions as F

        def _redact_series(s):
            return s.map(one)

        # real types, not the strings `from __future__ import annotations` would leave
        _redact_series.__annotations__ = {"s": pd.Series, "return": pd.Series}
        _udf = F.pandas_udf(_redact_series, "string")  # type: ignore[call-overload]
        for c in cols:
            frame = frame.withColumn(c, _udf(F.col(c)))
        return frame
    if module.startswith("duckdb"):
        import duckdb
        import pyarrow as pa

        batches = [
            redact_frame(pa.Table.from_batches([b]), cols, kinds=kinds)
            for b in frame.arrow()  # a RecordBatchReader: one batch at a time
        ]
        table = pa.concat_tables(batches) if batches else frame.arrow().read_all()
        return duckdb.from_arrow(table)
    if isinstance(nw_frame, nw.LazyFrame):
        if nw_frame.implementation is nw.Implementation.POLARS:
            import polars as pl

            def batch(s: pl.Series) -> pl.Series:
                return pl.Series(s.name, [one(t) for t in s.to_list()], dtype=pl.String)

            return frame.with_columns(
                [pl.col(c).map_batches(batch, return_dtype=pl.String) for c in cols]
            )
        raise InputError(
            "redact_frame supports pandas, Polars, PyArrow, DuckDB and PySpark frames",
            value=type(frame).__name__,
        )
    new = []
    for c in cols:
        values = nw_frame[c].to_list()
        for i, t in enumerate(values, start=1):
            if t is not None and not isinstance(t, str) and t == t:  # NaN is missing too
                raise InputError("text to redact must be a string", row=i, column=c, value=t)
        out = [None if (t is None or t != t) else r.redact(t) for t in values]
        new.append(nw.new_series(c, out, nw.String, backend=nw_frame.implementation))
    return nw_frame.with_columns(*new).to_native()
