"""Reading tables and small config files from disk, with errors that name the file.

Methods never read files themselves (they take frames); the CLI and services use these helpers.
CSV files are read with every column as text, so that answers like ``"3 - Somewhat important"`` or
leading zeros survive untouched; the method that uses a column decides how to parse it and reports
the exact row and value it could not read. Semicolon-separated files (Excel in Swedish locale) and a
UTF-8 byte-order mark are handled.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl

from kundfokus.errors import InputError

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".json", ".jsonl", ".ndjson")


def sniff_delimiter(path: Path) -> str:
    """Guess the delimiter of a delimited text file from its first lines (``,``, ``;``, tab or ``|``)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        sample = fh.read(64_000)
    if not sample.strip():
        raise InputError("the file is empty", file=str(path))
    first_line = sample.splitlines()[0] if sample.splitlines() else sample
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(path: str | Path, *, as_text: bool = True) -> pl.DataFrame:
    """Read a CSV/TSV, Parquet or JSON-lines file into a Polars frame.

    Parameters
    ----------
    path:
        The file. The format follows the suffix: ``.csv``/``.tsv``/``.txt`` (delimiter sniffed),
        ``.parquet``/``.pq``, ``.json``/``.jsonl``/``.ndjson`` (one JSON object per line).
    as_text:
        Read every column of a delimited file as text (default). Parquet and JSON keep their types.

    Raises
    ------
    InputError
        When the file does not exist, is empty, or cannot be parsed; the message names the file.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if p.is_dir():
        raise InputError("expected a file, found a folder", file=str(p))
    suffix = p.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return pl.read_parquet(p)
        if suffix in (".json", ".jsonl", ".ndjson"):
            return _read_json_lines(p)
        delimiter = "\t" if suffix == ".tsv" else sniff_delimiter(p)
        _check_utf8(p)
        return pl.read_csv(
            p,
            separator=delimiter,
            infer_schema=not as_text,
            encoding="utf8",
            truncate_ragged_lines=False,
        )
    except InputError:
        raise
    except pl.exceptions.PolarsError as exc:  # malformed CSV/Parquet: name the file
        raise InputError(f"cannot read the file: {_first_line(exc)}", file=str(p)) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", file=str(p)) from exc


def _check_utf8(path: Path) -> None:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"the file is not UTF-8 text (byte {data[exc.start]:#04x} on line {line})",
            file=str(path),
            hint="save it as UTF-8, for example 'CSV UTF-8' in Excel",
        ) from exc


def _read_json_lines(path: Path) -> pl.DataFrame:
    import json

    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"invalid JSON: {exc.msg} (line {exc.lineno})", file=str(path)
            ) from exc
        if not all(isinstance(r, dict) for r in data):
            raise InputError("a JSON array must hold one object per row", file=str(path))
        rows = data
    else:
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg}", file=str(path), row=i) from exc
            if not isinstance(obj, dict):
                raise InputError("each line must hold one JSON object", file=str(path), row=i)
            rows.append(obj)
    if not rows:
        raise InputError("the file holds no rows", file=str(path))
    return pl.DataFrame(rows, infer_schema_length=None)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file, with an :class:`InputError` naming the file and line on a syntax error."""
    import yaml

    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    try:
        with open(p, encoding="utf-8-sig") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}", file=str(p), row=row
        ) from exc
