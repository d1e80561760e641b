"""Writing tables as an Excel workbook (.xlsx), atomically and safely.

One table becomes one sheet; several tables (a report with several parts) become several sheets,
named from the tables' names, at most 31 characters and unique. Numbers stay numbers, dates stay
dates, the header row is bold and frozen and the columns are as wide as their contents.

Text that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is stored
as a text cell, never as a formula, unless the setting ``safe_csv`` is off
(``KUNDFOKUS_SAFE_CSV=false``), the same switch as for CSV.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kundfokus.io.writers import atomic_path

_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_MAX_WIDTH = 60


def sheet_names(names: list[str]) -> list[str]:
    """Excel-safe, unique sheet names (at most 31 characters, none of ``[]:*?/\\``).

    >>> sheet_names(["Tabell", "tabell", "a" * 40, ""])
    ['Tabell', 'tabell (2)', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Sheet4']
    """
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names, start=1):
        base = str(raw).translate(_BAD_SHEET_CHARS).strip().strip("'")[:31] or f"Sheet{i}"
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        seen.add(name.lower())
        out.append(name)
    return out


def _pandas(frame: Any) -> Any:
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        return frame
    if hasattr(frame, "to_pandas"):  # polars
        return frame.to_pandas()
    return pd.DataFrame(frame)


def _cell(value: Any) -> Any:
    """A value openpyxl can store: missing values empty, numpy scalars as Python, times naive."""
    if value is None:
        return None
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, str | bytes) and pd.isna(value) is True):
            return None
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, bool | int | float | str | dt.date | dt.time | dt.timedelta):
        return value
    return str(value)


def write_xlsx(
    path: str | Path, tables: Any | Mapping[str, Any], *, safe: bool | None = None
) -> Path:
    """Write ``tables`` (one frame, or a mapping name -> frame) to ``path`` as .xlsx, atomically.

    Refuses (:class:`~kundfokus.errors.InputError`) to write over a file the command read.

    >>> import tempfile, pathlib, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> _ = write_xlsx(p, {"Svar": pd.DataFrame({"text": ["=1+1"], "n": [3]})})
    >>> import openpyxl
    >>> ws = openpyxl.load_workbook(p).active
    >>> ws.title, ws["A2"].value, ws["A2"].data_type, ws["B2"].value
    ('Svar', '=1+1', 's', 3)
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if safe is None:
        from kundfokus.settings import get_settings

        safe = get_settings().safe_csv
    items = list(tables.items()) if isinstance(tables, Mapping) else [("Sheet1", tables)]
    names = sheet_names([name for name, _ in items])
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for name, (_, table) in zip(names, items, strict=True):
        frame = _pandas(table)
        ws = wb.create_sheet(title=name)
        widths: list[int] = []
        header = [str(c) for c in frame.columns]
        ws.append(header)
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
        for col_cells in ws.iter_cols():
            width = 0
            for cell in col_cells:
                if isinstance(cell.value, str):
                    if safe and cell.data_type == "f":
                        cell.data_type = "s"  # a text cell: Excel shows it, never runs it
                    longest = max((len(x) for x in cell.value.split("\n")), default=0)
                elif isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                    longest = 19
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                    longest = 10
                else:
                    longest = len(str(cell.value)) if cell.value is not None else 0
                width = max(width, longest)
            widths.append(width)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, max(8, width + 2))
    if not names:
        wb.create_sheet(title="Sheet1")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)
