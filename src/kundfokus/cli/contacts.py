"""`kundfokus contacts` commands and the top-level `kundfokus redact`."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="contacts")


def register_top_level(root: typer.Typer) -> None:
    """Add commands that live at the top level (``kundfokus redact``)."""
