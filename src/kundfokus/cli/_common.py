"""Helpers shared by CLI commands: output formats, reading input and writing results."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer

from kundfokus.errors import InputError
from kundfokus.io import atomic_write
from kundfokus.reports.text import frame_text  # noqa: F401  (re-exported for the commands)
from kundfokus.serialize import records, to_json  # noqa: F401  (re-exported for the commands)

N = TypeVar("N", int, float)


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
    replaced = out.is_file()
    atomic_write(out, text if text.endswith("\n") else text + "\n")
    typer.echo(wrote(out, replaced), err=True)


def emit_tables(tables: Any, out: Path | None) -> None:
    """Write one table, or a mapping name -> table (one sheet each), as .xlsx to ``out``.

    An .xlsx is binary, so ``out`` is required: without it the command stops with a usage error.
    """
    if out is None:
        raise InputError("--format xlsx needs -o FILE", column="--format", value="xlsx")
    from kundfokus.io.excel import write_xlsx

    replaced = out.is_file()
    write_xlsx(out, tables)
    typer.echo(wrote(out, replaced), err=True)


def wrote(path: Path, replaced: bool) -> str:
    """The line that says a file was written, and whether an earlier file was replaced.

    >>> wrote(Path("out.csv"), True)
    'wrote out.csv (replaced the earlier file)'
    """
    return f"wrote {path} (replaced the earlier file)" if replaced else f"wrote {path}"


@contextmanager
def naming(file: Path | str) -> Iterator[None]:
    """Name ``file`` in an :class:`~kundfokus.errors.InputError` raised inside the block.

    Examples
    --------
    >>> try:
    ...     with naming("answers.csv"):
    ...         raise InputError("no such column", column="nps")
    ... except InputError as err:
    ...     err.file
    'answers.csv'
    """
    import warnings

    from kundfokus.errors import InputWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            yield
        except InputError as err:
            raise err.with_file(str(file)) from None
        finally:
            held = list(caught)
    # Outside the recording block: warnings go on to the printer, now naming the file.
    for w in held:
        if isinstance(w.message, InputWarning):
            warnings.warn(w.message.with_file(str(file)), stacklevel=1)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


@contextmanager
def print_warnings() -> Iterator[None]:
    """Inside the block, every :class:`~kundfokus.errors.InputWarning` is printed on stderr as one
    line ``warning: <file>, row <r>, column '<c>', value '<v>': <what>`` (each one, not only the
    first from a place); the command goes on."""
    import warnings

    from kundfokus.errors import InputWarning

    previous = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if isinstance(message, InputWarning):
            typer.secho(f"warning: {message}", err=True, fg=typer.colors.YELLOW)
        else:
            previous(message, category, filename, lineno, file, line)

    warnings.simplefilter("always", InputWarning)
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = previous


def parse_range(text: str | None, cast: Callable[[str], N], message: str) -> tuple[N, N] | None:
    """``"1-5"`` (or ``1,5`` or ``1:5``) as ``(1, 5)``; ``None`` stays ``None``.

    ``message`` is the error shown when ``text`` is not two numbers.

    Examples
    --------
    >>> parse_range("1-7", int, "--scale takes two numbers"), parse_range("1:9", float, "")
    ((1, 7), (1.0, 9.0))
    """
    if text is None:
        return None
    parts = [p for p in text.replace(",", "-").replace(":", "-").split("-") if p.strip()]
    try:
        lo, hi = (cast(p) for p in parts)
    except ValueError:
        raise InputError(message, value=text) from None
    return lo, hi


def write_chart(spec: dict[str, Any], path: Path, note: str | None = None) -> None:
    """Save a Vega-Lite ``spec`` to ``path`` (format from the suffix) and say so on stderr."""
    from kundfokus.reports import save_chart

    replaced = Path(path).is_file()
    save_chart(spec, path)
    typer.echo(note if note is not None else wrote(path, replaced), err=True)
