"""`kundfokus drivers`: what moves a KPI."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    """Add the top-level ``kundfokus drivers`` command."""
