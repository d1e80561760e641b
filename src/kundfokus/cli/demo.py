"""`kundfokus demo`: the main job on the bundled example data."""

from __future__ import annotations

from pathlib import Path

import typer

from kundfokus.cli._common import Lang


def demo(
    out_dir: Path = typer.Option(
        Path("kundfokus-report"), "--out", "-o", help="Folder for report.html."
    ),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text and the report."),
    examples: Path | None = typer.Option(
        None,
        "--examples",
        help="Folder with the example data (default: examples/ of the repository checkout, or "
        "$KUNDFOKUS_EXAMPLES).",
    ),
) -> None:
    """Run the Kano and jobs-to-be-done analyses on the example data: print priorities, write a report.

    Kör Kano- och JTBD-analyserna på exempeldata: skriv ut prioriteringarna och en HTML-rapport.
    """
    from kundfokus.services.demo import demo_text, run_demo

    result = run_demo(out_dir, lang=lang.value, examples=examples)
    typer.echo(demo_text(result, lang.value))


def register(root: typer.Typer) -> None:
    """Add ``kundfokus demo`` to the root app."""
    root.command("demo")(demo)
