"""The ``kundfokus`` command.

Each area has its own module with a Typer sub-app (``kundfokus.cli.kano`` and so on); commands parse
input, call one method and render its result. No statistics here. Errors the user can fix
(:class:`kundfokus.errors.InputError`) are printed as one clear line and exit with status 2.
"""

from __future__ import annotations

import sys

import typer

from kundfokus import __version__
from kundfokus.errors import KundfokusError

app = typer.Typer(
    name="kundfokus",
    help="Understand what customers need, per situation. / Förstå vad kunderna behöver, per situation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kundfokus {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """kundfokus: needs, jobs, situations, CPIs and KPIs in one place."""
    # Remember the files this command reads, so that -o cannot overwrite one of them.
    from kundfokus.io.readers import _INPUTS

    token = _INPUTS.set(set())
    ctx.call_on_close(lambda: _INPUTS.reset(token))


def _register() -> None:
    from kundfokus.cli import (
        clv,
        contacts,
        cpi,
        demo,
        drivers,
        goals,
        journeys,
        jtbd,
        kano,
        recommend,
        retention,
        scores,
        server,
    )

    app.add_typer(kano.app, name="kano")
    app.add_typer(jtbd.app, name="jtbd")
    app.add_typer(scores.app, name="scores")
    app.add_typer(retention.app, name="retention")
    app.add_typer(clv.app, name="clv")
    app.add_typer(contacts.app, name="contacts")
    app.add_typer(journeys.app, name="journeys")
    app.add_typer(cpi.app, name="cpi")
    app.add_typer(recommend.app, name="recommend")
    app.add_typer(goals.app, name="goals")
    from kundfokus.cli import report_cmd

    app.add_typer(report_cmd.app, name="report")
    from kundfokus.cli import customers

    app.add_typer(customers.app, name="customers")
    contacts.register_top_level(app)
    drivers.register(app)
    demo.register(app)
    from kundfokus.cli import start

    start.register(app)
    server.register(app)


_register()


def main() -> None:
    """Entry point: run the app; usage errors and our own errors become one clean line on stderr
    and exit code 2.

    Usage errors (a missing or unknown option, a bad choice, an unknown command) are raised by
    Typer when it runs outside its standalone mode; they are recognised by what they carry
    (``format_message`` and ``exit_code``) rather than by class, because current Typer releases
    vendor click and an installed ``click`` package, if any, is not the one Typer raises. A group
    called without a command still shows its help.
    """
    sys.exit(run())


def run(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) as :func:`main` does and return
    its exit status instead of exiting (unexpected errors still raise)."""
    import warnings

    from kundfokus.cli._common import print_warnings

    try:
        with warnings.catch_warnings(), print_warnings():
            rv = app(args=argv, prog_name="kundfokus", standalone_mode=False)
    except KundfokusError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        return 2
    except Exception as exc:
        if type(exc).__name__ == "Abort":  # Ctrl+C at a prompt
            typer.echo("aborted", err=True)
            return 1
        if not (
            hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)
        ):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]
            return int(exc.exit_code)  # type: ignore[attr-defined]
        message = " ".join(str(exc.format_message()).split())  # type: ignore[attr-defined]
        ctx = getattr(exc, "ctx", None)
        where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        typer.secho(f"error: {message}{where}", err=True, fg=typer.colors.RED)
        return int(exc.exit_code)  # type: ignore[attr-defined]
    return rv if isinstance(rv, int) else 0
