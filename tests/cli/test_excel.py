"""The .xlsx writer (issue 11): numbers and dates keep their types, formula-like text is text,
sheet names are Excel-safe and unique, the write is atomic and never replaces an input."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from kundfokus.cli._common import emit_tables
from kundfokus.errors import InputError
from kundfokus.io import read_table, tracking_inputs
from kundfokus.io.excel import sheet_names, write_xlsx


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x","klicka")', "+46", "@SUM(A1)", "hej"],
            "n": [1, 2, 3, 4],
            "share": [0.5, 0.25, None, 1.0],
            "day": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]),
        }
    )


def test_a_table_round_trips_with_its_types(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", _frame())
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == ["text", "n", "share", "day"]
    assert ws["B2"].value == 1 and ws["B2"].data_type == "n"
    assert isinstance(ws["D2"].value, dt.datetime)
    assert ws["C4"].value is None
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    back = read_table(path)
    assert back["text"].to_list() == _frame()["text"].to_list()


def test_formula_like_text_is_never_a_formula(tmp_path):
    ws = openpyxl.load_workbook(write_xlsx(tmp_path / "t.xlsx", _frame())).active
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert ws["A2"].value.startswith("=HYPERLINK")


def test_the_switch_off_leaves_formulas(tmp_path):
    ws = openpyxl.load_workbook(write_xlsx(tmp_path / "t.xlsx", _frame(), safe=False)).active
    assert ws["A2"].data_type == "f"


def test_several_tables_become_several_sheets(tmp_path):
    tables = {"Översikt": _frame(), "översikt": _frame(), "x" * 40: _frame(), "a/b": _frame()}
    wb = openpyxl.load_workbook(write_xlsx(tmp_path / "t.xlsx", tables))
    assert wb.sheetnames == ["Översikt", "översikt (2)", "x" * 31, "a_b"]
    assert all(len(n) <= 31 for n in sheet_names(["y" * 50] * 30))
    assert len(set(sheet_names(["y" * 50] * 30))) == 30


def test_an_input_is_not_overwritten_and_no_temporary_file_is_left(tmp_path):
    src = tmp_path / "in.xlsx"
    write_xlsx(src, _frame())
    before = src.read_bytes()
    with tracking_inputs():
        read_table(src)
        with pytest.raises(InputError, match="overwrite an input"):
            write_xlsx(src, pd.DataFrame({"a": [1]}))
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_emit_tables_needs_an_output_file(tmp_path):
    with pytest.raises(InputError, match="needs -o FILE"):
        emit_tables(_frame(), None)
    emit_tables(_frame(), tmp_path / "o.xlsx")
    assert (tmp_path / "o.xlsx").is_file()
