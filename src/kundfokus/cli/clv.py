"""`kundfokus clv` commands: fit purchase and spend models to a transaction log, predict per
customer, and write a holdout report.

The transaction file is a CSV/TSV/Parquet/JSON-lines table with a header (any column names, given
with ``--customer``, ``--date`` and ``--amount``), or a whitespace-separated text file without a
header such as CDNOW's ``CDNOW_sample.txt`` (``--format-in cdnow``, or ``--columns`` to name the
columns of another such file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kundfokus.cli._common import Format, Lang, emit, naming, to_json
from kundfokus.errors import InputError
from kundfokus.io import read_table
from kundfokus.serialize import to_csv

if TYPE_CHECKING:
    from kundfokus.clv.workflow import TransactionFit

app = typer.Typer(
    no_args_is_help=True,
    help="Customer lifetime value: BG/NBD, Pareto/NBD, Gamma-Gamma. / Kundlivstidsvärde.",
)

#: Columns of the CDNOW text files (customer id, sample id, date YYYYMMDD, CDs, dollars).
CDNOW_COLUMNS = ("customer", "sample", "date", "cds", "amount")


class Unit(StrEnum):
    week = "week"
    day = "day"


class Model(StrEnum):
    bgnbd = "bgnbd"
    pareto = "pareto"


class InFormat(StrEnum):
    auto = "auto"
    table = "table"
    cdnow = "cdnow"


def read_whitespace(path: Path, columns: tuple[str, ...]) -> pl.DataFrame:
    """Read a whitespace-separated text file without a header, every column as text.

    Raises :class:`InputError` naming the file and the row with the wrong number of fields.
    """
    if not path.exists():
        raise InputError("no such file", file=str(path))
    rows: list[list[str]] = []
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for i, line in enumerate(fh, start=1):
                fields = line.split()
                if not fields:
                    continue
                if len(fields) != len(columns):
                    raise InputError(
                        f"expected {len(columns)} fields ({', '.join(columns)}), found {len(fields)}",
                        file=str(path),
                        row=i,
                        value=line.strip(),
                    )
                rows.append(fields)
    except UnicodeDecodeError as exc:
        raise InputError("the file is not UTF-8 text", file=str(path)) from exc
    if not rows:
        raise InputError("the file holds no rows", file=str(path))
    import polars as pl

    return pl.DataFrame(rows, schema=list(columns), orient="row")


def _read(path: Path, format_in: InFormat, columns: str | None) -> pl.DataFrame:
    names = tuple(c.strip() for c in columns.split(",")) if columns else None
    if format_in == InFormat.cdnow or (format_in == InFormat.auto and names):
        return read_whitespace(path, names or CDNOW_COLUMNS)
    return read_table(path)


def _fit(
    file: Path,
    customer: str,
    date: str,
    amount: str | None,
    calibration_end: str,
    observation_end: str | None,
    unit: Unit,
    model: Model,
    format_in: InFormat,
    columns: str | None,
    date_format: str | None,
) -> tuple[pl.DataFrame, TransactionFit]:
    """Read the transaction log once and fit the models to it: ``(transactions, fit)``."""
    from kundfokus.cli._progress import working
    from kundfokus.clv.workflow import fit_transactions

    with naming(file):
        frame = _read(file, format_in, columns)
        with working("fitting the models / anpassar modellerna"):
            fit = fit_transactions(
                frame,
                customer,
                date,
                amount,
                calibration_end=calibration_end,
                observation_end=observation_end,
                unit=unit.value,
                model=model.value,
                date_format=date_format,
            )
    return frame, fit


_CUSTOMER = typer.Option(..., "--customer", help="Customer id column.")
_DATE = typer.Option(..., "--date", help="Purchase date column (YYYYMMDD or YYYY-MM-DD).")
_AMOUNT = typer.Option(None, "--amount", help="Purchase amount column (enables spend and CLV).")
_CAL = typer.Option(..., "--calibration-end", help="Last day of the calibration period.")
_UNIT = typer.Option(Unit.week, "--unit", help="Time unit: week (days / 7) or day.")
_MODEL = typer.Option(Model.bgnbd, "--model", help="Purchase model.")
_FORMAT_IN = typer.Option(
    InFormat.auto,
    "--format-in",
    help="table (CSV/Parquet/JSON with a header) or cdnow (whitespace-separated, no header).",
)
_COLUMNS = typer.Option(
    None,
    "--columns",
    help="Column names of a whitespace-separated file without a header, e.g. customer,sample,date,cds,amount.",
)
_DATE_FORMAT = typer.Option(None, "--date-format", help="Explicit strptime format of the dates.")


@app.command()
def fit(
    file: Path = typer.Argument(..., help="Transaction log."),
    customer: str = _CUSTOMER,
    date: str = _DATE,
    amount: str | None = _AMOUNT,
    calibration_end: str = _CAL,
    unit: Unit = _UNIT,
    model: Model = _MODEL,
    fmt: Format = typer.Option(Format.text, "--format", help="text, json or csv."),
    format_in: InFormat = _FORMAT_IN,
    columns: str | None = _COLUMNS,
    date_format: str | None = _DATE_FORMAT,
    out: Path | None = typer.Option(None, "-o", "--out", help="Write here instead of printing."),
) -> None:
    """Fit the purchase model (and Gamma-Gamma with --amount) and print the parameters."""
    from kundfokus.clv.report import fit_text

    if fmt == Format.html:
        raise InputError("use 'kundfokus clv report' for HTML", column="--format", value="html")

    _, result = _fit(file, customer, date, amount, calibration_end, None, unit, model, format_in,
                     columns, date_format)  # fmt: skip
    if fmt == Format.json:
        emit(to_json(result.to_dict()), out)
    elif fmt == Format.csv:
        emit(to_csv(result.parameters()), out)
    else:
        emit(fit_text(result), out)


@app.command()
def predict(
    file: Path = typer.Argument(..., help="Transaction log."),
    customer: str = _CUSTOMER,
    date: str = _DATE,
    amount: str | None = _AMOUNT,
    calibration_end: str = _CAL,
    horizon: int = typer.Option(12, "--horizon", min=1, help="Forecast horizon in months."),
    margin: float = typer.Option(1.0, "--margin", min=0.0, max=1.0, help="Profit margin (0-1)."),
    discount: float = typer.Option(0.01, "--discount", min=0.0, help="Discount rate per month."),
    unit: Unit = _UNIT,
    model: Model = _MODEL,
    format_in: InFormat = _FORMAT_IN,
    columns: str | None = _COLUMNS,
    date_format: str | None = _DATE_FORMAT,
    out: Path | None = typer.Option(None, "-o", "--out", help="CSV file to write."),
) -> None:
    """Per customer: P(alive), expected purchases over the horizon and (with --amount) CLV."""
    from kundfokus.clv.value import predict_customers

    _, result = _fit(file, customer, date, amount, calibration_end, None, unit, model, format_in,
                     columns, date_format)  # fmt: skip
    table = predict_customers(
        result.summary,
        result.transaction_model,
        result.spend_model,
        months=horizon,
        discount_rate=discount,
        margin=margin,
        unit=unit.value,
        customer=customer,
    )
    emit(to_csv(table), out)


@app.command()
def report(
    file: Path = typer.Argument(..., help="Transaction log."),
    customer: str = _CUSTOMER,
    date: str = _DATE,
    amount: str | None = _AMOUNT,
    calibration_end: str = _CAL,
    observation_end: str = typer.Option(
        ..., "--observation-end", help="Last day of the holdout period."
    ),
    unit: Unit = _UNIT,
    model: Model = _MODEL,
    format_in: InFormat = _FORMAT_IN,
    columns: str | None = _COLUMNS,
    date_format: str | None = _DATE_FORMAT,
    lang: Lang = typer.Option(Lang.en, "--lang", help="Report language."),
    out: Path = typer.Option(..., "-o", "--out", help="HTML file to write."),
) -> None:
    """Fit on the calibration period and write an HTML report checking the holdout period."""
    from kundfokus.clv.report import clv_sections
    from kundfokus.clv.summary import repeat_transactions_by_day
    from kundfokus.reports import write_report

    frame, result = _fit(file, customer, date, amount, calibration_end, observation_end, unit,
                         model, format_in, columns, date_format)  # fmt: skip
    with naming(file):
        repeats, cohorts = repeat_transactions_by_day(
            frame,
            customer,
            date,
            calibration_end=calibration_end,
            observation_end=observation_end,
            date_format=date_format,
        )
    title, sections = clv_sections(
        result, repeats, cohorts, observation_end=observation_end, lang=lang.value
    )
    write_report(out, title, sections, lang=lang.value)
    typer.echo(f"wrote {out}", err=True)
