"""``kundfokus goals``: shared goals across silos in a store (add, list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kundfokus.cli._common import Format, Lang, emit
from kundfokus.errors import InputError
from kundfokus.i18n import tr

app = typer.Typer(
    help="Shared goals across silos: owner, teams, metric, baseline, target, due. / Delade mål.",
    no_args_is_help=True,
)

DB_HELP = "SQLite file or database URL (default: $KUNDFOKUS_DB, else kundfokus.db)."

_H = {
    "created": {"en": "goal {id} created: {name}", "sv": "mål {id} skapat: {name}"},
    "none": {"en": "no goals yet", "sv": "inga mål än"},
    "teams": {"en": "teams", "sv": "team"},
    "owner": {"en": "owner", "sv": "ägare"},
}

#: The CSV/--format csv columns of ``goals list`` (nested ``current`` flattened).
CSV_COLUMNS = [
    "id", "parent", "name", "owner", "teams", "metric", "baseline", "target", "due", "better",
    "value", "ci_low", "ci_high", "n", "expected", "progress", "progress_low", "progress_high",
    "on_track", "status", "status_text",
]  # fmt: skip


def _db_option() -> Any:
    return typer.Option(None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB", show_envvar=False)


@app.command("add")
def add(
    name: str = typer.Option(..., "--name", help="What the goal is, in a few words."),
    owner: str = typer.Option(..., "--owner", help="Who answers for the goal."),
    metric: str = typer.Option(..., "--metric", help="nps, csat, ces, churn or cpi:<id>."),
    baseline: float = typer.Option(..., "--baseline", help="Where the metric started."),
    target: float = typer.Option(..., "--target", help="Where it should be by --due."),
    due: str = typer.Option(..., "--due", help="The due date, like 2027-06-30."),
    teams: str | None = typer.Option(
        None, "--teams", help="The teams sharing it, comma-separated."
    ),
    parent: int | None = typer.Option(None, "--parent", help="The id of the goal this one serves."),
    better: str | None = typer.Option(None, "--better", help="higher or lower (default: derived)."),
    by: str | None = typer.Option(None, "--by", help="Who creates it (recorded)."),
    db: str | None = _db_option(),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format: text or json."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Add a goal to the store. / Lägg till ett mål."""
    from kundfokus.services import goals
    from kundfokus.store.db import open_store, session_scope

    team_list = [t.strip() for t in teams.split(",") if t.strip()] if teams else []
    if fmt not in (Format.text, Format.json):
        raise InputError("goals add prints text or json", value=fmt.value)
    url = open_store(db)
    with session_scope(url) as s:
        goal = goals.create_goal(
            s, name=name, owner=owner, teams=team_list, metric=metric, baseline=baseline,
            target=target, due=due, parent=parent, better=better, by=by,
        )  # fmt: skip
        s.commit()
        shown = goals.get_goal(s, goal.id, lang=lang.value)
    if fmt == Format.json:
        from kundfokus.serialize import to_json

        emit(to_json(shown), None)
    else:
        emit(tr(_H["created"], lang.value, id=shown["id"], name=shown["name"]), None)
        emit(shown["status_text"], None)


def _csv_rows(items: list[dict[str, Any]]) -> Any:
    import pandas as pd

    rows = []
    for g in items:
        cur = g["current"] or {}
        rows.append(
            {
                **{k: g.get(k) for k in CSV_COLUMNS if k in g},
                "teams": "|".join(g["teams"]),
                **{k: cur.get(k) for k in ("value", "ci_low", "ci_high", "n")},
            }
        )
    frame = pd.DataFrame.from_records(rows, columns=CSV_COLUMNS)
    return frame.astype({"id": "Int64", "parent": "Int64", "n": "Int64"})


def render_text(items: list[dict[str, Any]], lang: str) -> str:
    """The goals as an indented tree, each with its status in plain words."""
    if not items:
        return tr(_H["none"], lang)
    by_id = {g["id"]: g for g in items}
    lines: list[str] = []

    def walk(g: dict[str, Any], depth: int) -> None:
        pad = "  " * depth
        teams = ", ".join(g["teams"]) or "-"
        lines.append(f"{pad}[{g['id']}] {g['name']} ({g['metric']}; "
                     f"{tr(_H['owner'], lang)} {g['owner']}; {tr(_H['teams'], lang)}: {teams})")  # fmt: skip
        lines.append(f"{pad}    {g['status_text']}")
        for child in g["children"]:
            if child in by_id:
                walk(by_id[child], depth + 1)

    for g in items:
        if g["parent"] is None or g["parent"] not in by_id:
            walk(g, 0)
    return "\n".join(lines)


@app.command("list")
def list_(
    db: str | None = _db_option(),
    fmt: Format = typer.Option(Format.text, "--format", help="Output format: text, csv or json."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Every goal with its progress and whether it is on track. / Alla mål och hur de går."""
    from kundfokus.services import goals
    from kundfokus.store.db import open_store, session_scope

    if fmt == Format.html:
        raise InputError("goals list prints text, csv or json", value=fmt.value)
    url = open_store(db, create=False)
    with session_scope(url) as s:
        items = goals.list_goals(s, lang=lang.value)
    if fmt == Format.json:
        from kundfokus.serialize import to_json

        emit(to_json(items), out)
    elif fmt == Format.csv:
        from kundfokus.serialize import to_csv

        emit(to_csv(_csv_rows(items)), out)
    else:
        emit(render_text(items, lang.value), out)
