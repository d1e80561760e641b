"""Turning results into JSON: the one place that knows how NaN, numpy scalars and dates are written.

JSON has no NaN or infinity: they become ``null`` everywhere (CLI ``--format json``, the web API,
Vega-Lite specs embedded in reports), so strict parsers read every output.
"""

from __future__ import annotations

import json
import math
import re
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def _pandas() -> Any:
    """pandas if something has imported it (a value cannot be a pandas object otherwise)."""
    return sys.modules.get("pandas")


def clean(v: Any) -> Any:
    """One value as plain JSON data: NaN/NA/inf become ``None``, numpy scalars Python numbers.

    >>> import numpy as np
    >>> clean(np.float64("nan")), clean(np.int64(3)), clean(float("inf"))
    (None, 3, None)
    """
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):
        try:
            return clean(v.item())
        except (ValueError, AttributeError):
            pass
    pd = _pandas()
    if pd is not None:
        if v is pd.NA or v is pd.NaT:
            return None
        if isinstance(v, pd.Timestamp):
            return v.isoformat()
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN/NA become null, numpy scalars become Python numbers.

    >>> import pandas as pd
    >>> records(pd.DataFrame({"a": [1.0, float("nan")]}))
    [{'a': 1.0}, {'a': None}]
    """
    return [{k: clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def json_safe(obj: Any) -> Any:
    """``obj`` with every NaN or infinity, at any depth of dicts and lists, replaced by ``None``.

    >>> json_safe({"values": [1.5, float("nan")], "n": {"x": float("-inf")}})
    {'values': [1.5, None], 'n': {'x': None}}
    """
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    pd = _pandas()
    if pd is not None and isinstance(obj, pd.DataFrame):
        return records(obj)
    return clean(obj)


def _default(o: Any) -> Any:
    pd = _pandas()
    if pd is not None and isinstance(o, pd.DataFrame):
        return records(o)
    is_series = pd is not None and isinstance(o, pd.Series)
    if hasattr(o, "to_dict") and callable(o.to_dict) and not is_series:
        return json_safe(o.to_dict())
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    c = clean(o)
    if c is o:
        return str(o)
    return c


def to_json(obj: Any, *, indent: int | None = 2) -> str:
    """``obj`` as strict JSON text (no NaN), frames as lists of records.

    >>> to_json({"nps": float("nan"), "n": 3}, indent=None)
    '{"nps": null, "n": 3}'
    """
    return json.dumps(
        json_safe(obj), ensure_ascii=False, indent=indent, default=_default, allow_nan=False
    )


# --------------------------------------------------------------------------------------------------
# CSV that a spreadsheet opens safely
# --------------------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet will not run it: text that starts like a formula gets a ``'``.

    Following OWASP's advice on CSV injection, a text cell that begins with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return is prefixed with a single quote, which Excel and LibreOffice
    show but do not evaluate. A carriage return inside a cell becomes a line feed (which the CSV
    writer quotes), so it cannot start a new row. Numbers, and text that is just a number (``"-5"``, ``"+46"``), are
    left as they are: they are not formulas.

    >>> safe_cell('=HYPERLINK("http://x","klicka")'), safe_cell("-5"), safe_cell(-5), safe_cell("hej")
    ('\\'=HYPERLINK("http://x","klicka")', '-5', -5, 'hej')
    >>> safe_cell("@SUM(A1)"), safe_cell("\\t=1")
    ("'@SUM(A1)", "'\\t=1")
    """
    if isinstance(value, str) and "\r" in value:
        # a bare carriage return is not quoted by the CSV writer, and a spreadsheet starts a new
        # row at it: the rest of the cell would arrive as a cell of its own
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return safe_cell(value) if not value.startswith("\n") else "'" + value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if _PLAIN_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame, *, safe: bool | None = None, sep: str = ",") -> str:
    """``frame`` as CSV text; when ``safe`` every text cell and header goes through
    :func:`safe_cell`, so a customer's ``=HYPERLINK(...)`` reaches Excel as text, not a formula.

    ``safe`` defaults to the setting ``safe_csv`` (on; ``KUNDFOKUS_SAFE_CSV=false`` turns it off
    for a pipeline that must get the cells exactly as stored).

    >>> import pandas as pd
    >>> print(to_csv(pd.DataFrame({"text": ["=1+1", "ok"], "n": [-1, 2]})), end="")
    text,n
    '=1+1,-1
    ok,2
    """
    import pandas as pd

    if safe is None:
        from kundfokus.settings import get_settings

        safe = get_settings().safe_csv
    if safe:
        frame = frame.rename(columns=lambda c: safe_cell(str(c)))
        text_cols = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        if text_cols:
            frame = frame.copy()
            for c in text_cols:
                frame[c] = frame[c].map(safe_cell)
    return frame.to_csv(index=False, sep=sep)
