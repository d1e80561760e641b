"""`kundfokus demo`: the demo organisation (Nordström Energi), its reports, and the server on it."""

from __future__ import annotations

from pathlib import Path

import typer

from kundfokus.cli._common import Lang

DEFAULT_DB = "kundfokus-demo.db"


def demo(
    db: str = typer.Option(
        DEFAULT_DB,
        "--db",
        help="Store for the demo: an SQLite file or a database URL that holds nothing else "
        "(KUNDFOKUS_DB is not used, so the demo never lands in a real store).",
    ),
    serve: bool = typer.Option(
        True,
        "--serve/--no-serve",
        help="Start the server on the demo store (--no-serve: stop after writing the reports).",
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address the server listens on."),
    port: int = typer.Option(8000, "--port", help="Port the server listens on."),
    out_dir: Path = typer.Option(
        Path("kundfokus-report"), "--out", "-o", help="Folder for the reports and data files."
    ),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text and the reports."),
    examples: Path | None = typer.Option(
        None,
        "--examples",
        help="Also run the classic Kano and jobs-to-be-done analysis of the example survey in "
        "this folder (a bank's, as in examples/), printed and written to examples.html.",
    ),
) -> None:
    """Build the demo organisation (a Swedish electricity company's contact centre), write its
    reports, print the logins and start the server on it.

    Bygg demoorganisationen (ett svenskt elbolags kundservice), skriv rapporterna, visa
    inloggningarna och starta servern.
    """
    from kundfokus.services.demo import find_examples
    from kundfokus.services.demo_org import build_demo_org, demo_org_text, write_demo_reports

    folder = find_examples(examples) if examples is not None else None  # fails before writing
    lg = lang.value
    from kundfokus.cli._progress import working

    with working("building the demo / bygger demon"):
        org = build_demo_org(db, lang=lg)
        reports = write_demo_reports(org.url, out_dir, lang=lg)
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{port}/"
    typer.echo(demo_org_text(org, reports, lang=lg, address=address, serving=serve, db=db))
    if folder is not None:
        from kundfokus.services.demo import demo_text, run_demo

        result = run_demo(out_dir, lang=lg, examples=folder, filename="examples.html")
        head = "The example survey / Exempelenkäten (" + str(folder) + ")"
        typer.echo("\n" + head + "\n" + "=" * len(head))
        typer.echo(demo_text(result, lg))
    if serve:
        from kundfokus.cli.server import serve as run_server

        run_server(db=org.url, host=host, port=port, workers=1, jobs=True, proxy=False)


def register(root: typer.Typer) -> None:
    """Add ``kundfokus demo`` to the root app."""
    root.command("demo")(demo)
