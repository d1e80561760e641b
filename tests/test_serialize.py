"""Strict JSON and injection-safe CSV (property tests with Hypothesis)."""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kundfokus.serialize import FORMULA_START, safe_cell, to_csv, to_json

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=1+1", "+46 70", "-5", "@x", "\t=A1", "\r=A1", '=HYPERLINK("u","k")']),
    st.integers(-1000, 1000),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.none(),
)


def _is_plain_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return not any(ch.isalpha() for ch in text.lower().replace("e", ""))


@given(
    st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=8), st.text(max_size=8)
)
def test_no_csv_cell_starts_like_a_formula(rows, header):
    frame = pd.DataFrame(rows, columns=[header or "a", "b"])
    text = to_csv(frame)
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell.startswith(FORMULA_START):
                assert _is_plain_number(cell), repr(cell)


@given(st.text(max_size=30))
def test_unsafe_output_is_the_plain_pandas_csv(t):
    frame = pd.DataFrame({"a": [t]})
    assert to_csv(frame, safe=False) == frame.to_csv(index=False)


@given(st.text(max_size=30))
def test_safe_cell_only_adds_one_quote(t):
    out = safe_cell(t)
    if "\r" in t:
        assert "\r" not in out
    else:
        assert out == t or out == "'" + t


@given(
    st.dictionaries(
        st.text(max_size=5), st.one_of(st.floats(), st.integers(), st.text(max_size=5)), max_size=5
    )
)
def test_json_is_strict(d):
    text = to_json(d)
    back = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    for k, v in d.items():
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            assert back[k] is None


def test_the_setting_turns_safe_csv_off(monkeypatch):
    frame = pd.DataFrame({"t": ["=1+1"]})
    assert to_csv(frame) == "t\n'=1+1\n"
    monkeypatch.setenv("KUNDFOKUS_SAFE_CSV", "false")
    assert to_csv(frame) == "t\n=1+1\n"


def test_classify_output_carries_no_formula(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "kundfokus"
    data = tmp_path / "c.csv"
    data.write_text(
        'text,label\n"=HYPERLINK(""http://x"",""klicka"") kortet",card\nlost card,card\n'
        "@SUM(1) lån,loan\nnew loan,loan\n",
        encoding="utf-8",
    )
    model, out = tmp_path / "m.kfm", tmp_path / "out.csv"
    for args in (
        ["contacts", "train", str(data), "--label-col", "label", "--model", str(model)],
        ["contacts", "classify", str(data), "--model", str(model), "-o", str(out)],
    ):
        res = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[1][0].startswith("'=HYPERLINK") and rows[3][0] == "'@SUM(1) lån"
    assert not any(c.startswith(FORMULA_START) for r in rows for c in r)


def test_every_cli_csv_goes_through_the_safe_writer():
    """No CLI module writes CSV with pandas or Polars directly (they would skip the quoting)."""
    from pathlib import Path

    cli = Path(__file__).resolve().parents[1] / "src" / "kundfokus" / "cli"
    for path in cli.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ".to_csv(" not in text and ".write_csv(" not in text, path.name
