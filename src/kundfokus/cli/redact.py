"""CLI command: ``kundfokus redact`` (top level).

A filter: reads lines on standard input, writes each line redacted to standard output as soon as it
is read (streaming, UTF-8), so it works in pipes over large files::

    cat chats.txt | kundfokus redact --stats > chats.redacted.txt
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from typing import BinaryIO

import typer

from kundfokus.contacts.redaction import KINDS, Redactor
from kundfokus.errors import InputError


def _parse_kinds(kinds: str | None) -> tuple[str, ...]:
    if kinds is None or kinds.strip().lower() in ("", "all"):
        return KINDS
    chosen = tuple(k.strip().lower() for k in kinds.split(",") if k.strip())
    for k in chosen:
        if k not in KINDS:
            raise InputError(
                f"unknown kind of personal data; use some of {', '.join(KINDS)} (comma-separated)",
                column="--kinds",
                value=k,
            )
    return chosen


def redact_stream(
    lines: Iterable[bytes], out: BinaryIO, redactor: Redactor, source: str = "<stdin>"
) -> Counter[str]:
    """Redact UTF-8 ``lines`` (bytes, as read from a binary stream) into ``out`` line by line,
    flushing after each line; returns the counts per kind.

    A line that is not valid UTF-8 stops the run with an :class:`InputError` naming its row (the
    lines before it have been written already: this is a stream, not a file).
    """
    counts: Counter[str] = Counter()
    for row, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                "input is not valid UTF-8",
                file=source,
                row=row,
                value=raw[max(0, exc.start - 10) : exc.end + 10],
            ) from None
        body = line.rstrip("\r\n")
        text, c = redactor.redact_with_counts(body)
        counts.update(c)
        out.write((text + line[len(body) :]).encode("utf-8"))
        out.flush()
    return counts


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""

    @app.command("redact")
    def redact_cmd(
        kinds: str = typer.Option(
            "all",
            "--kinds",
            "-k",
            help=f"Kinds to redact, comma-separated: {', '.join(KINDS)} (default: all). "
            "/ Vilka slag som tas bort.",
        ),
        stats: bool = typer.Option(
            False, "--stats", help="Print counts per kind to stderr. / Skriv antal per slag."
        ),
    ) -> None:
        """Redact personal data in lines read from stdin. / Ta bort personuppgifter ur text.

        Personnummer, phone numbers, e-mail, card numbers and IBANs become [PERSONNUMMER],
        [PHONE], [EMAIL], [CARD] and [IBAN]. Names and addresses are NOT redacted.

        Personnummer, telefonnummer, e-post, kortnummer och IBAN ersätts med platshållare.
        Namn och adresser tas INTE bort.
        """
        redactor = Redactor(_parse_kinds(kinds))
        sys.stdout.flush()
        counts = redact_stream(sys.stdin.buffer, sys.stdout.buffer, redactor)
        if stats:
            for k in redactor.kinds:
                typer.echo(f"{k}\t{counts.get(k, 0)}", err=True)
