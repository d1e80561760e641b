"""`kundfokus contacts` commands and the top-level `kundfokus redact`.

The commands live in three modules, one per part of the contacts area:
``contacts_model`` (train, classify, evaluate), ``contacts_store`` (import, queue, correct,
situations) and ``redact`` (the top-level ``kundfokus redact`` filter).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    no_args_is_help=True,
    help="Contacts: need and situation per contact, learning from corrections. "
    "/ Kontakter: behov och situation per kontakt.",
)


def _register() -> None:
    from kundfokus.cli import contacts_model, contacts_store

    contacts_model.register(app)
    contacts_store.register(app)


def register_top_level(root: typer.Typer) -> None:
    """Add commands that live at the top level (``kundfokus redact``)."""
    from kundfokus.cli import redact

    redact.register(root)


_register()
