"""Helpers shared by CLI commands: output formats and writing results."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pandas as pd
import typer

from kundfokus.io import atomic_write
from kundfokus.serialize import clean as _clean  # noqa: F401  (old private name)
from kundfokus.serialize import records, to_json  # noqa: F401  (re-exported for the commands)


class Lang(StrEnum):
    """Language of what a command prints or writes."""

    en = "en"
    sv = "sv"


class Format(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"
    html = "html"


def emit(text: str, out: Path | None) -> None:
    """Print ``text`` or write it (whole, atomically) to ``out``."""
    if out is None:
        typer.echo(text)
        return
    atomic_write(out, text if text.endswith("\n") else text + "\n")
    typer.echo(f"wrote {out}", err=True)


def frame_text(df: pd.DataFrame, float_digits: int = 3) -> str:
    with pd.option_context(
        "display.max_rows", 500, "display.max_columns", 50, "display.width", 200
    ):
        return df.to_string(index=False, float_format=lambda v: f"{v:.{float_digits}f}")
