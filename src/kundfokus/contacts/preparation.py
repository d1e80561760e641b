"""Checking and cleaning contacts before they are stored: any frame in, a clean pandas frame out.

:func:`prepare_contacts` is pure: it takes any data frame (pandas, Polars, DuckDB, PySpark through
narwhals), checks every row and returns a clean pandas frame, or raises an
:class:`~kundfokus.errors.InputError` naming the row, column and value of the first problem.
:func:`kundfokus.services.contacts_import.import_contacts` stores the result."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from kundfokus.contacts.axes import AXES
from kundfokus.errors import InputError, warn_input
from kundfokus.frames import to_pandas

DEFAULT_COLUMNS: dict[str, str] = {
    "id": "id",
    "customer_id": "customer_id",
    "timestamp": "timestamp",
    "channel": "channel",
    "text": "text",
}
"""Default column names of an import file (override any of them)."""

MAX_TEXT_CHARS = 20_000
"""The longest contact text kept: a longer one (a pasted log, a whole e-mail thread) is cut to
this many characters, with a warning naming the first such row."""

CHANNELS: tuple[str, ...] = ("phone", "chat", "email", "social", "letter", "web", "sms")
"""Channels kundfokus knows by name. Channels are only checked when the caller constrains them."""


def _to_pandas(frame: Any) -> pd.DataFrame:
    return to_pandas(frame).reset_index(drop=True)


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _json_value(v: Any) -> Any:
    if _is_missing(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):
            v = v.item()
    if isinstance(v, (datetime, date, pd.Timestamp)):
        return v.isoformat()
    if isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, Mapping):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    return str(v)


def parse_timestamp(value: Any) -> datetime | None:
    """Parse one timestamp to naive UTC; ``None`` when it cannot be read.

    Accepts ISO 8601 text (``2024-03-01``, ``2024-03-01 08:15``, ``2024-03-01T08:15:00+01:00``),
    Python/pandas datetimes and dates. Times with an offset are converted to UTC; times without
    one are taken as UTC.

    Examples
    --------
    >>> parse_timestamp("2024-03-01T09:15:00+01:00")
    datetime.datetime(2024, 3, 1, 8, 15)
    >>> parse_timestamp("1 mars") is None
    True
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            ts = pd.Timestamp(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return None
    elif isinstance(value, (datetime, date, pd.Timestamp)):
        ts = pd.Timestamp(value)
    else:
        return None
    if ts is pd.NaT:
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts.to_pydatetime()


def prepare_contacts(
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    channels: Sequence[str] | None = None,
    label_columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Validate contacts and return them clean, or raise at the first bad row.

    Parameters
    ----------
    frame:
        The contacts, one row each, as a pandas, Polars, DuckDB or PySpark frame.
    columns:
        Names of the columns holding ``id``, ``customer_id``, ``timestamp``, ``channel`` and
        ``text`` (defaults: those names). Every other column is kept as metadata.
    channels:
        When given, the only channels allowed (compared in lower case).
    label_columns:
        Axis -> column for files that already carry labels (for example ``{"reason":
        "category"}``); empty cells mean "no label".

    Returns
    -------
    pandas.DataFrame
        Columns ``row, external_id, customer_id, timestamp, channel, text, metadata`` and one
        ``label_<axis>`` column per labelled axis; ``row`` is the 1-based data row.

    Raises
    ------
    InputError
        Missing column, empty id or text, unreadable timestamp, duplicate id, unknown channel or
        unknown axis, naming row, column and value. A text longer than :data:`MAX_TEXT_CHARS` is
        not an error: it is cut, with an :class:`~kundfokus.errors.InputWarning`.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a1", "a2"], "customer_id": ["c1", "c1"],
    ...                    "timestamp": ["2024-03-01 08:00", "2024-03-02"],
    ...                    "channel": ["Chat", "email"], "text": ["Hej!", "Hello"],
    ...                    "queue": ["private", "private"]})
    >>> out = prepare_contacts(df)
    >>> out["channel"].tolist(), out["metadata"].tolist()
    (['chat', 'email'], [{'queue': 'private'}, {'queue': 'private'}])
    >>> bad = df.assign(timestamp=["2024-03-01", "yesterday"])
    >>> prepare_contacts(bad)
    Traceback (most recent call last):
    ...
    kundfokus.errors.InputError: row 2, column 'timestamp', value 'yesterday': cannot read the timestamp (use ISO 8601, for example 2024-03-01 or 2024-03-01T08:15:00+01:00)
    """
    cols = {**DEFAULT_COLUMNS, **(columns or {})}
    labels = dict(label_columns or {})
    df = _to_pandas(frame)
    for role in ("id", "customer_id", "timestamp", "channel", "text"):
        if cols[role] not in df.columns:
            raise InputError(
                f"missing column for the contact {role.replace('_', ' ')}",
                column=cols[role],
                hint=f"the file has: {', '.join(map(str, df.columns))}",
            )
    for axis, col in labels.items():
        if axis not in AXES:
            raise InputError(
                "unknown axis for a label column", column=col, value=axis,
                hint=f"use one of {', '.join(AXES)}",
            )  # fmt: skip
        if col not in df.columns:
            raise InputError(f"missing label column for the axis {axis!r}", column=col)
    if df.empty:
        raise InputError("the file holds no contacts")
    allowed = {c.strip().lower() for c in channels} if channels else None
    used = set(cols.values()) | set(labels.values())
    extra = [c for c in df.columns if c not in used]

    ids = df[cols["id"]].tolist()
    customers = df[cols["customer_id"]].tolist()
    times = df[cols["timestamp"]].tolist()
    chans = df[cols["channel"]].tolist()
    texts = df[cols["text"]].tolist()
    extras = df[extra].to_dict(orient="records") if extra else [{}] * len(df)
    seen: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for i in range(len(df)):
        row = i + 1
        raw_id = ids[i]
        if _is_missing(raw_id):
            raise InputError(
                "the contact id is empty", row=row, column=cols["id"], value=_shown(raw_id)
            )
        ext = _id_text(raw_id)
        if ext in seen:
            raise InputError(
                f"duplicate contact id (also on row {seen[ext]})",
                row=row,
                column=cols["id"],
                value=ext,
            )
        seen[ext] = row
        text = texts[i]
        if _is_missing(text) or not isinstance(text, str):
            raise InputError(
                "the contact text is empty", row=row, column=cols["text"], value=_shown(text)
            )
        ts = parse_timestamp(times[i])
        if ts is None:
            raise InputError(
                "cannot read the timestamp",
                row=row,
                column=cols["timestamp"],
                value=times[i],
                hint="use ISO 8601, for example 2024-03-01 or 2024-03-01T08:15:00+01:00",
            )
        ch = chans[i]
        if _is_missing(ch):
            raise InputError(
                "the channel is empty", row=row, column=cols["channel"], value=_shown(ch)
            )
        channel = str(ch).strip().lower()
        if allowed is not None and channel not in allowed:
            raise InputError(
                "unknown channel",
                row=row,
                column=cols["channel"],
                value=ch,
                hint=f"allowed: {', '.join(sorted(allowed))}",
            )
        cust = customers[i]
        rec: dict[str, Any] = {
            "row": row,
            "external_id": ext,
            "customer_id": None if _is_missing(cust) else _id_text(cust),
            "timestamp": ts,
            "channel": channel,
            "text": text.strip(),
            "metadata": {str(k): _json_value(v) for k, v in extras[i].items()},
        }
        for axis, col in labels.items():
            v = df[col].iat[i]
            rec[f"label_{axis}"] = None if _is_missing(v) else str(v).strip()
        out.append(rec)
    result = pd.DataFrame(out)
    result["text"] = cap_texts(
        result["text"].tolist(), column=cols["text"], rows=result["row"].tolist()
    )
    return result


def cap_texts(
    texts: Sequence[str],
    *,
    column: str = "text",
    file: str | None = None,
    rows: Sequence[int] | None = None,
    limit: int = MAX_TEXT_CHARS,
) -> list[str]:
    """``texts`` with each one cut to ``limit`` characters; when any is cut, one
    :class:`~kundfokus.errors.InputWarning` names the first such row (``rows[i]``, default
    ``i + 1``), its length and how many texts were cut.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     out = cap_texts(["ok", "x" * 30], limit=10)
    >>> [len(t) for t in out]
    [2, 10]
    >>> print(w[0].message)
    row 2, column 'text', value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': the text is longer than 10 characters and was cut to 10 (1 text cut)
    """
    long = [i for i, t in enumerate(texts) if len(t) > limit]
    if not long:
        return list(texts)
    i = long[0]
    warn_input(
        f"the text is longer than {limit:,} characters and was cut to {limit:,} "
        f"({len(long)} text{'s' if len(long) != 1 else ''} cut)".replace(",", " "),
        file=file,
        row=rows[i] if rows is not None else i + 1,
        column=column,
        value=texts[i],
        stacklevel=3,
    )
    return [t[:limit] if len(t) > limit else t for t in texts]


def _id_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _rule_guesses(text: str, language: str) -> dict[str, Any]:
    from kundfokus.contacts.rules import guess

    return guess(text, language if language in ("sv", "en") else None)


def _shown(v: Any) -> Any:
    """A missing value (None, NaN, NA) is reported as no value; text as it is."""
    return None if _is_missing(v) and not isinstance(v, str) else v
