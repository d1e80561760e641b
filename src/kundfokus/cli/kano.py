"""`kundfokus kano` commands."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="kano")


def _register_questionnaire() -> None:
    from kundfokus.cli import kano_questionnaire

    kano_questionnaire.register(app)


_register_questionnaire()
