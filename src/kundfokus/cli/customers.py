"""`kundfokus customers import contracts|purchases FILE --db URL`: store customers' contracts and
purchases (all or nothing), for the churn, retention and CLV panels of the dashboard."""

from __future__ import annotations

from pathlib import Path

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, to_json
from kundfokus.i18n import tr

app = typer.Typer(
    no_args_is_help=True,
    help="Customers: import contracts and purchases into the store. / Kunder: importera avtal "
    "och köp till lagringen.",
)
imports = typer.Typer(
    no_args_is_help=True,
    help="Import contracts or purchases (CSV, Excel, Parquet or JSON lines). / Importera avtal "
    "eller köp.",
)
app.add_typer(imports, name="import")

DB_HELP = "SQLite file or database URL (default: $KUNDFOKUS_DB, else kundfokus.db)."

_MSG = {
    "contracts": {
        "en": "imported {n} contracts of {c} customers (started {first} to {last})",
        "sv": "importerade {n} avtal för {c} kunder (startade {first} till {last})",
    },
    "purchases": {
        "en": "imported {n} purchases of {c} customers ({first} to {last})",
        "sv": "importerade {n} köp för {c} kunder ({first} till {last})",
    },
}


def _run(kind: str, file: Path, db: str | None, fmt: Format, lang: Lang) -> None:
    from kundfokus.io import read_table
    from kundfokus.services import customers_import as service
    from kundfokus.store.db import new_store_undone_on_error, session_scope

    with naming(file):
        frame = read_table(file)
        with new_store_undone_on_error(db) as url, session_scope(url) as session:
            fn = service.import_contracts if kind == "contracts" else service.import_purchases
            result = fn(session, frame)
    if fmt is Format.json:
        emit(to_json(result.to_dict()), None)
        return
    typer.echo(
        tr(_MSG[kind], lang.value, n=result.n_rows, c=result.n_customers, first=result.first,
           last=result.last)
    )  # fmt: skip


@imports.command("contracts")
def contracts_cmd(
    file: Path = typer.Argument(..., help="Contracts: customer, start, end, plan (, segment)."),
    db: str | None = typer.Option(
        None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB", show_envvar=False
    ),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Store contracts, one row per customer (all or nothing). / Spara avtal (allt eller inget)."""
    _run("contracts", file, db, fmt, lang)


@imports.command("purchases")
def purchases_cmd(
    file: Path = typer.Argument(..., help="Purchases: customer, date, amount (, segment)."),
    db: str | None = typer.Option(
        None, "--db", help=DB_HELP, envvar="KUNDFOKUS_DB", show_envvar=False
    ),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the text."),
) -> None:
    """Store purchases (all or nothing). / Spara köp (allt eller inget)."""
    _run("purchases", file, db, fmt, lang)
