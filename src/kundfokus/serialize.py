"""Turning results into JSON: the one place that knows how NaN, numpy scalars and dates are written.

JSON has no NaN or infinity: they become ``null`` everywhere (CLI ``--format json``, the web API,
Vega-Lite specs embedded in reports), so strict parsers read every output.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

import pandas as pd


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
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN/NA become null, numpy scalars become Python numbers.

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
    if isinstance(obj, pd.DataFrame):
        return records(obj)
    return clean(obj)


def _default(o: Any) -> Any:
    if isinstance(o, pd.DataFrame):
        return records(o)
    if hasattr(o, "to_dict") and callable(o.to_dict) and not isinstance(o, pd.Series):
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
