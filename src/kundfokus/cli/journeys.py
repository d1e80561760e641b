"""`kundfokus journeys import|map`: store journey events; the journey map of a file or the store.

JSON of ``map`` is one object ``{"steps": [...], "transitions": [...], "variants": [...],
"repeats": [...], "n_events", "n_journeys", "n_open", "n_ended", "n_dropped", "data_end", ...}``;
with ``--by`` every row has a ``group`` key (see docs/journeys.md). CSV is the four tables in one
file, the first column ``table`` naming the table of the row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, to_json, write_chart
from kundfokus.errors import InputError
from kundfokus.i18n import tr

app = typer.Typer(
    no_args_is_help=True,
    help="Customer journeys: import events, the journey map (steps, transitions, paths, "
    "drop-off, repeat contacts). / Kundresor: importera händelser, kundresekartan (steg, "
    "övergångar, vägar, avhopp, återkommande kontakter).",
)

DB_HELP = "SQLite file or database URL (default: $KUNDFOKUS_DB, else kundfokus.db)."

_MSG = {
    "imported": {
        "en": "imported {n} events in {j} journeys of {c} customers (batch {b}{ids})",
        "sv": "importerade {n} händelser i {j} kundresor för {c} kunder (import {b}{ids})",
    },
    "ids": {"en": "; event ids generated", "sv": "; händelse-id skapade"},
    "steps": {"en": "steps: {s}", "sv": "steg: {s}"},
}


def _list(text: str | None) -> list[str] | None:
    if text is None:
        return None
    items = [s.strip() for s in text.split(",") if s.strip()]
    if not items:
        raise InputError("give a comma-separated list of steps", value=text)
    return items


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="Events: CSV, Parquet or JSON lines."),
    db: str | None = typer.Option(
        None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB", show_envvar=False
    ),
    steps: str | None = typer.Option(
        None, "--steps", help="The known steps, comma-separated; any other step is an error."
    ),
    by: str | None = typer.Option(None, "--by", help="Who imports (recorded on the batch)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Store journey events (all or nothing). / Spara kundresehändelser (allt eller inget)."""
    from kundfokus.io import read_table
    from kundfokus.services.journeys_import import import_events
    from kundfokus.store.db import new_store_undone_on_error, session_scope

    with naming(file):
        frame = read_table(file)
        with new_store_undone_on_error(db) as url, session_scope(url) as session:
            result = import_events(session, frame, source=file.name, by=by, steps=_list(steps))
    if fmt is Format.json:
        emit(to_json(result.to_dict()), None)
        return
    ids = tr(_MSG["ids"], lang.value) if result.generated_ids else ""
    typer.echo(
        tr(_MSG["imported"], lang.value, n=result.n_events, j=result.n_journeys,
           c=result.n_customers, b=result.batch_id, ids=ids)
    )  # fmt: skip
    typer.echo(
        tr(_MSG["steps"], lang.value, s=", ".join(f"{k} {v}" for k, v in result.steps.items()))
    )


def render(m: Any, fmt: Format, lang: str) -> str:
    """A :class:`kundfokus.journeys.JourneyMap` as text, CSV, JSON or HTML."""
    from kundfokus.journeys.report import map_dict, map_html, map_text

    if fmt is Format.json:
        return to_json(map_dict(m))
    if fmt is Format.csv:
        import pandas as pd

        from kundfokus.serialize import to_csv

        def nullable(t: pd.DataFrame) -> pd.DataFrame:
            ints = [c for c in t.columns if str(t[c].dtype) == "int64"]
            return t.astype({c: "Int64" for c in ints})

        parts = [
            nullable(t).assign(table=name)[["table", *t.columns]]
            for name, t in (("steps", m.steps), ("transitions", m.transitions),
                            ("variants", m.variants), ("repeats", m.repeats))
        ]  # fmt: skip
        return to_csv(pd.concat(parts, ignore_index=True))
    if fmt is Format.html:
        return map_html(m, lang)
    return map_text(m, lang)


@app.command("map")
def map_cmd(
    file: Path | None = typer.Argument(None, help="Events: CSV, Parquet or JSON lines."),
    db: str | None = typer.Option(
        None, "--db", help="Read the stored events of this store instead of a file."
    ),
    by: str | None = typer.Option(
        None, "--by", help="Per group: this column's value at a journey's first event."
    ),
    top: int = typer.Option(10, "--top", help="How many of the most common paths to show."),
    repeat_days: float = typer.Option(
        30, "--repeat-days", help="Same reason again within this many days is a repeat."
    ),
    reason: str | None = typer.Option(
        None, "--reason", help="Column with the reason (default: the journey's first step)."
    ),
    end_steps: str | None = typer.Option(
        None, "--end-steps", help="Steps that end a journey, comma-separated (e.g. resolved)."
    ),
    open_days: float | None = typer.Option(
        None,
        "--open-days",
        help="With --end-steps: unfinished journeys idle longer than this are drop-offs, not open.",
    ),
    steps: str | None = typer.Option(None, "--steps", help="The known steps, comma-separated."),
    any_order: bool = typer.Option(
        False, "--any-order", help="Accept events in any order (no time-order check)."
    ),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write the flow chart (.html, .svg, .png or .json)."
    ),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """The journey map: steps, transitions, paths, drop-off, repeats. / Kundresekartan."""
    from kundfokus.journeys import journey_map

    if (file is None) == (db is None):
        raise InputError("give either an events FILE or --db URL (the stored events)")
    if chart is not None and chart.suffix.lower() not in (".html", ".svg", ".png", ".json"):
        raise InputError("--chart writes .html, .svg, .png or .json", value=str(chart))
    options = {
        "by": by, "top_variants": top, "repeat_days": repeat_days, "reason": reason,
        "end_steps": _list(end_steps), "open_days": open_days, "steps": _list(steps),
        "check_order": not any_order,
    }  # fmt: skip
    source = str(file) if file is not None else str(db)
    with naming(source):
        if file is not None:
            from kundfokus.io import read_table

            frame: Any = read_table(file)
        else:
            from kundfokus.services.journeys_import import load_events
            from kundfokus.store.db import open_store

            frame = load_events(open_store(db, create=False), engine="polars")
            if frame.height == 0:
                raise InputError("the store holds no journey events",
                                 hint="import some with 'kundfokus journeys import FILE'")  # fmt: skip
        m = journey_map(frame, **options)
    emit(render(m, fmt, lang.value), out)
    if chart is not None:
        from kundfokus.journeys import map_chart

        write_chart(map_chart(m, lang=lang.value), chart)
