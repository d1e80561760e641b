"""`kundfokus demo`: the main job on the bundled example data."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    """Add ``kundfokus demo`` to the root app."""
