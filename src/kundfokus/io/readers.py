"""Reading tables and small config files, from a path or from bytes, with errors that name the file.

Methods never read files themselves (they take frames); the CLI, the web app and services use these
helpers. Every reader takes a path, or the bytes of an upload together with its file name (the name
picks the format and is what error messages show), so a web upload is read by the same code as a
file on disk.

CSV files are read with every column as text, so that answers like ``"3 - Somewhat important"`` or
leading zeros survive untouched; the method that uses a column decides how to parse it and reports
the exact row and value it could not read. Semicolon-separated files (Excel in Swedish locale) and a
UTF-8 byte-order mark are handled.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

from kundfokus.errors import InputError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TABLE_SUFFIXES = (
    ".csv", ".tsv", ".txt", ".parquet", ".pq", ".json", ".jsonl", ".ndjson", *EXCEL_SUFFIXES,
)  # fmt: skip

Source = str | Path | bytes

# The files read while :func:`tracking_inputs` is active (one CLI command): the writer refuses to
# replace one of them with an output.
_INPUTS: ContextVar[set[Path] | None] = ContextVar("kundfokus_inputs", default=None)


@contextmanager
def tracking_inputs() -> Iterator[set[Path]]:
    """Remember every file read inside the block, so that an output cannot overwrite an input.

    >>> import tempfile, pathlib
    >>> from kundfokus.io import atomic_write
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "in.csv"
    >>> _ = p.write_text("a\\n1\\n")
    >>> with tracking_inputs():
    ...     _ = read_table(p)
    ...     atomic_write(p, "b\\n2\\n")
    Traceback (most recent call last):
    ...
    kundfokus.errors.InputError: ...in.csv: the output would overwrite an input file (write to another file)
    """
    token = _INPUTS.set(set())
    try:
        yield _INPUTS.get()  # type: ignore[misc]
    finally:
        _INPUTS.reset(token)


def is_input(path: str | Path) -> bool:
    """True when ``path`` is a file read while :func:`tracking_inputs` is active."""
    seen = _INPUTS.get()
    if not seen:
        return False
    try:
        return Path(path).resolve() in seen
    except OSError:
        return False


def _source(source: Source, name: str | None) -> tuple[Path | None, str]:
    """The path (``None`` for bytes) and the name error messages use."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        if not name:
            raise ValueError("reading bytes needs name=, the file name that picks the format")
        return None, name
    p = Path(source)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if p.is_dir():
        raise InputError("expected a file, found a folder", file=str(p))
    seen = _INPUTS.get()
    if seen is not None:
        seen.add(p.resolve())
    return p, str(p)


def _bytes(source: Source, path: Path | None, label: str) -> bytes:
    if path is None:
        return bytes(source)  # type: ignore[arg-type]
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", file=label) from exc


def _sniff(sample: str, label: str) -> str:
    if not sample.strip():
        raise InputError("the file is empty", file=label)
    first_line = sample.splitlines()[0] if sample.splitlines() else sample
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def sniff_delimiter(path: str | Path) -> str:
    """Guess the delimiter of a delimited text file from its first line (``,``, ``;``, tab or ``|``).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("id;score\\n1;9\\n", encoding="utf-8")
    >>> sniff_delimiter(p)
    ';'
    """
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        sample = fh.read(64_000)
    return _sniff(sample, str(path))


def read_table(
    source: Source,
    *,
    as_text: bool = True,
    name: str | None = None,
    sheet: str | int | None = None,
) -> pl.DataFrame:
    """Read a CSV/TSV, Excel, Parquet or JSON-lines table into a Polars frame.

    Parameters
    ----------
    source:
        The file's path, or its bytes (an upload) with ``name``. The format follows the suffix:
        ``.csv``/``.tsv``/``.txt`` (delimiter sniffed), ``.parquet``/``.pq``,
        ``.json``/``.jsonl``/``.ndjson`` (one JSON object per line, or one array of objects),
        ``.xlsx``/``.xlsm``/``.xlsb``/``.xls``/``.ods`` (the first row holds the column names).
    as_text:
        Read every column of a delimited or Excel file as text (default). Parquet and JSON keep
        their types.
    sheet:
        Excel only: the sheet's name or 0-based position; by default the first sheet.
    name:
        With bytes: the file name, which picks the format and appears in error messages.

    Raises
    ------
    InputError
        When the file does not exist, is empty, or cannot be parsed; the message names the file.

    Examples
    --------
    >>> read_table(b"id,score\\n1,9\\n2,10\\n", name="upload.csv")["score"].to_list()
    ['9', '10']
    """
    import polars as pl

    path, label = _source(source, name)
    suffix = Path(label).suffix.lower()
    if sheet is not None and suffix not in EXCEL_SUFFIXES:
        raise InputError("a sheet can only be chosen in an Excel file", file=label, value=sheet)
    try:
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(_bytes(source, path, label), label, sheet, as_text)
        if suffix in (".parquet", ".pq"):
            return pl.read_parquet(path if path is not None else io.BytesIO(bytes(source)))  # type: ignore[arg-type]
        data = _bytes(source, path, label)
        if suffix in (".json", ".jsonl", ".ndjson"):
            return _read_json_lines(_decode(data, label), label)
        text = _decode(data, label)
        delimiter = "\t" if suffix == ".tsv" else _sniff(text[:64_000], label)
        del text
        return pl.read_csv(
            io.BytesIO(data.removeprefix(b"\xef\xbb\xbf")),
            separator=delimiter,
            infer_schema=not as_text,
            encoding="utf8",
            truncate_ragged_lines=False,
        )
    except InputError:
        raise
    except pl.exceptions.PolarsError as exc:  # malformed CSV/Parquet: name the file
        raise InputError(f"cannot read the file: {_first_line(exc)}", file=label) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", file=label) from exc


def _read_excel(data: bytes, label: str, sheet: str | int | None, as_text: bool) -> pl.DataFrame:
    """One sheet of a workbook (python-calamine through fastexcel), every cell as text by default."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises its own CalamineError
        raise InputError(f"cannot read the workbook: {_first_line(exc)}", file=label) from exc
    names = list(reader.sheet_names)
    if not names:
        raise InputError("the workbook has no sheets", file=label)
    if sheet is None:
        idx: str | int = 0
    elif isinstance(sheet, int) or (
        isinstance(sheet, str) and sheet.isdigit() and sheet not in names
    ):
        idx = int(sheet)
        if not 0 <= idx < len(names):
            raise InputError(
                f"the workbook has {len(names)} sheet(s): {', '.join(names)}",
                file=label,
                value=sheet,
            )
    elif sheet in names:
        idx = sheet
    else:
        raise InputError(
            "no such sheet", file=label, value=sheet, hint=f"the sheets are: {', '.join(names)}"
        )
    try:
        frame = reader.load_sheet(idx, dtypes="string" if as_text else None).to_polars()
    except Exception as exc:
        raise InputError(f"cannot read the sheet: {_first_line(exc)}", file=label) from exc
    if frame.width == 0:
        raise InputError(
            "the sheet is empty", file=label, value=names[idx] if isinstance(idx, int) else idx
        )
    return frame


def _decode(data: bytes, label: str) -> str:
    """UTF-8 text without a byte-order mark, or an error naming the byte and the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"the file is not UTF-8 text (byte {data[exc.start]:#04x} on line {line})",
            file=label,
            hint="save it as UTF-8, for example 'CSV UTF-8' in Excel",
        ) from exc
    return text.removeprefix("\ufeff")


def _read_json_lines(text: str, label: str) -> pl.DataFrame:
    import polars as pl

    rows: list[dict[str, Any]] = []
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (line {exc.lineno})", file=label) from exc
        if not all(isinstance(r, dict) for r in data):
            raise InputError("a JSON array must hold one object per row", file=label)
        rows = data
    else:
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg}", file=label, row=i) from exc
            if not isinstance(obj, dict):
                raise InputError("each line must hold one JSON object", file=label, row=i)
            rows.append(obj)
    if not rows:
        raise InputError("the file holds no rows", file=label)
    return pl.DataFrame(rows, infer_schema_length=None)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def read_yaml(source: Source, *, name: str | None = None, lines: bool = False) -> Any:
    """Read YAML from a file or bytes, with an :class:`InputError` naming the file and line.

    With ``lines=True`` every mapping also carries the line it starts on (``"__line__"``) and the
    line of each of its values (``"__lines__"``), so that a method can name the line of a bad value.

    >>> read_yaml(b"a: 1\\nb: [x, y]\\n", name="c.yaml")
    {'a': 1, 'b': ['x', 'y']}
    >>> read_yaml(b"a: 1\\nb: 2\\n", name="c.yaml", lines=True)["__lines__"]
    {'a': 1, 'b': 2}
    """
    import yaml

    path, label = _source(source, name)
    text = _decode(_bytes(source, path, label), label)
    loader: Any = yaml.SafeLoader
    if lines:

        class _Loader(yaml.SafeLoader):
            pass

        def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
            mapping = dict(loader.construct_mapping(node, deep=True))
            mapping["__line__"] = node.start_mark.line + 1
            mapping["__lines__"] = {
                str(loader.construct_object(k)): v.start_mark.line + 1 for k, v in node.value
            }
            return mapping

        _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        loader = _Loader
    try:
        return yaml.load(text, Loader=loader)  # SafeLoader or a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}", file=label, row=row
        ) from exc
