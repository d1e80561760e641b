from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from kundfokus import __version__
from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.io import read_table
from kundfokus.reports import Chart, Section, Table, render_report


def test_input_error_names_everything():
    err = InputError("bad", file="a.csv", row=4, column="x", value="?")
    assert str(err) == "a.csv, row 4, column 'x', value '?': bad"
    assert err.with_file("b.csv").file == "a.csv"
    assert InputError("bad", row=1).with_file("b.csv").file == "b.csv"


def test_read_table_semicolon_and_bom(tmp_path):
    p = tmp_path / "semi.csv"
    p.write_bytes("\ufeffa;b\n01;Jag gillar det\n".encode())
    df = read_table(p)
    assert df.columns == ["a", "b"]
    assert df["a"][0] == "01"  # text stays text


def test_read_table_errors_name_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("a,b\n1,G\xf6ran\n".encode("latin-1") if False else b"a,b\n1,G\xf6ran\n")
    with pytest.raises(InputError, match="not UTF-8") as ei:
        read_table(bad)
    assert ei.value.file == str(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_table(empty)


def test_read_json_lines_reports_line(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"a": 1}\n{"a": \n')
    with pytest.raises(InputError) as ei:
        read_table(p)
    assert ei.value.row == 2


def test_report_embeds_svg_and_spec():
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"x": 1, "y": 2}]},
        "mark": "point",
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }
    html = render_report(
        "Rapport",
        [
            Section(
                "Del",
                paragraphs=["hej <b>"],
                tables=[Table(pd.DataFrame({"a": [1.23456]}))],
                charts=[Chart(spec)],
            )
        ],
        lang="sv",
    )
    assert "<svg" in html and "hej &lt;b&gt;" in html
    start = html.index("application/vnd.vegalite+json'>") + len("application/vnd.vegalite+json'>")
    embedded = json.loads(html[start : html.index("</script>", start)])
    assert embedded["data"]["values"] == [{"x": 1, "y": 2}]
    assert 'lang="sv"' in html
    assert "1,235" in html  # Swedish decimal comma
    english = render_report("Report", [Section("Part", tables=[Table(pd.DataFrame({"a": [0.5]}))])])
    assert "0.500" in english and "0,500" not in english


def test_cli_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
