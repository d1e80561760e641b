"""`kundfokus kano questionnaire`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the questionnaire command to the ``kano`` sub-app."""
