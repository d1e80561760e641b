"""kundfokus.io: readers take paths or bytes; the writer is atomic and leaves nothing behind."""

from __future__ import annotations

import os

import pytest

from kundfokus.errors import InputError
from kundfokus.io import atomic_path, atomic_write, read_table, read_yaml


def test_bytes_and_path_read_the_same(tmp_path):
    data = "id;svar\n1;3 - Ganska viktigt\n2;åäö\n".encode()
    p = tmp_path / "a.csv"
    p.write_bytes(b"\xef\xbb\xbf" + data)  # with a BOM, as Excel writes it
    assert read_table(p).to_dicts() == read_table(data, name="upload.csv").to_dicts()
    assert read_table(data, name="upload.csv")["svar"].to_list() == ["3 - Ganska viktigt", "åäö"]


def test_errors_name_the_upload(tmp_path):
    with pytest.raises(InputError, match=r"upload\.csv.*not UTF-8"):
        read_table(b"a,b\n\xff,1\n", name="upload.csv")
    with pytest.raises(InputError, match=r"c\.yaml, row 3: invalid YAML"):
        read_yaml(b"a: 1\nb: [\n", name="c.yaml")
    with pytest.raises(ValueError, match="name="):
        read_table(b"a,b\n")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = atomic_write(tmp_path / "out.csv", "old\n")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="folder"):
        atomic_write(tmp_path, "x")
    assert list(tmp_path.iterdir()) == []


def test_a_special_file_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic_write(fifo, "through the pipe\n")
        assert os.read(r, 100) == b"through the pipe\n"
    finally:
        os.close(r)
    assert not fifo.is_file() and fifo.exists()  # still a FIFO
    atomic_write("/dev/null", "gone")
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    p = atomic_write(tmp_path / "n.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert p.stat().st_mode & 0o777 == 0o666 & ~mask


def _workbook(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["id", "nps", "datum"])
    ws.append(["007", 9, "2024-01-02"])
    ws.append([2, 10, None])
    other = wb.create_sheet("Kanaler")
    other.append(["kanal"])
    other.append(["chatt"])
    wb.create_sheet("Tom")
    path = tmp_path / "svar.xlsx"
    wb.save(path)
    return path


def test_excel_first_sheet_as_text_and_a_chosen_sheet(tmp_path):
    path = _workbook(tmp_path)
    df = read_table(path)
    assert df.columns == ["id", "nps", "datum"]
    assert df["id"].to_list() == ["007", "2"] and df["nps"].to_list() == ["9", "10"]
    assert read_table(path, sheet="Kanaler")["kanal"].to_list() == ["chatt"]
    assert read_table(path, sheet=1).to_dicts() == read_table(path, sheet="Kanaler").to_dicts()
    assert read_table(path.read_bytes(), name="upload.xlsx").to_dicts() == df.to_dicts()


def test_excel_errors_name_the_file_and_the_sheets(tmp_path):
    path = _workbook(tmp_path)
    with pytest.raises(InputError, match=r"no such sheet.*Svar, Kanaler, Tom") as e:
        read_table(path, sheet="Answers")
    assert "svar.xlsx" in str(e.value)
    with pytest.raises(InputError, match="3 sheet"):
        read_table(path, sheet=5)
    with pytest.raises(InputError, match="empty"):
        read_table(path, sheet="Tom")
    with pytest.raises(InputError, match=r"fake\.xlsx.*cannot read the workbook"):
        read_table(b"not a workbook", name="fake.xlsx")
    with pytest.raises(InputError, match="only be chosen in an Excel"):
        read_table(b"a\n1\n", name="a.csv", sheet="x")
