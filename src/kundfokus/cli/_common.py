"""Helpers shared by CLI commands: output formats and writing results."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
import typer


class Lang(StrEnum):
    """Language of what a command prints or writes."""

    en = "en"
    sv = "sv"


class Format(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"
    html = "html"


def _clean(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):
        try:
            return _clean(v.item())
        except (ValueError, AttributeError):
            pass
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN/NA become null, numpy scalars become Python numbers."""
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_json(obj: Any) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, pd.DataFrame):
            return records(o)
        c = _clean(o)
        if c is o:
            return str(o)
        return c

    return json.dumps(obj, ensure_ascii=False, indent=2, default=default)


def emit(text: str, out: Path | None) -> None:
    """Print ``text`` or write it (whole, atomically) to ``out``."""
    if out is None:
        typer.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    tmp.replace(out)
    typer.echo(f"wrote {out}", err=True)


def frame_text(df: pd.DataFrame, float_digits: int = 3) -> str:
    with pd.option_context(
        "display.max_rows", 500, "display.max_columns", 50, "display.width", 200
    ):
        return df.to_string(index=False, float_format=lambda v: f"{v:.{float_digits}f}")
