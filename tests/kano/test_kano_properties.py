"""Property tests: malformed Kano input always gives an InputError at the right place (or a clean
exit 2), never a crash; valid input always gives the counts a plain row-by-row tally gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kundfokus.cli import main
from kundfokus.errors import InputError
from kundfokus.kano import (
    CATEGORIES,
    RECOGNISED,
    STANDARD_TABLE,
    WORDINGS,
    analyze,
    analyze_counts,
    answer_code,
)

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

ALL_TEXTS = [t for w in WORDINGS.values() for texts in w.values() for t in texts]
ALL_TEXTS += [t for texts in RECOGNISED.values() for t in texts]


def _code_of(text: str) -> int:
    code = answer_code(text)
    assert code is not None
    return code


def _is_junk(value: str) -> bool:
    try:
        answer_code(value)
    except ValueError:
        return True
    return False


answer = st.one_of(
    st.sampled_from(ALL_TEXTS),
    st.integers(1, 5).map(str),
    st.sampled_from(["", "  "]),
)
junk = st.text(min_size=1, max_size=12).filter(_is_junk)


@st.composite
def wide_frames(draw: st.DrawFn) -> pd.DataFrame:
    n_rows = draw(st.integers(1, 8))
    n_feat = draw(st.integers(1, 3))
    data: dict[str, list[str]] = {}
    for f in range(n_feat):
        first, second = ("functional", "dysfunctional")
        if draw(st.booleans()):
            first, second = second, first
        for kind in (first, second):
            data[f"F{f + 1}_{kind}"] = draw(st.lists(answer, min_size=n_rows, max_size=n_rows))
    return pd.DataFrame(data)


def _naive_counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """The row-by-row tally an analyst would write."""
    out: dict[str, dict[str, int]] = {}
    feats = sorted({c.rsplit("_", 1)[0] for c in frame.columns}, key=lambda c: int(c[1:]))
    for f in feats:
        counts = dict.fromkeys(CATEGORIES, 0)
        for _, row in frame.iterrows():
            fv, dv = row[f"{f}_functional"], row[f"{f}_dysfunctional"]
            if not str(fv).strip() or not str(dv).strip():
                continue
            counts[STANDARD_TABLE[_code_of(fv) - 1][_code_of(dv) - 1]] += 1
        out[f] = counts
    return out


@SETTINGS
@given(wide_frames())
def test_valid_answers_match_a_row_by_row_tally(frame: pd.DataFrame) -> None:
    expected = _naive_counts(frame)
    res = analyze(frame).features.set_index("feature")
    for f, counts in expected.items():
        for cat, n in counts.items():
            assert res.loc[f, cat] == n
        assert res.loc[f, "n"] == sum(counts.values())


@SETTINGS
@given(wide_frames(), st.data())
def test_junk_answer_is_reported_at_its_first_cell(
    frame: pd.DataFrame, data: st.DataObject
) -> None:
    cells = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(frame) - 1), st.integers(0, len(frame.columns) - 1), junk),
            min_size=1,
            max_size=3,
        )
    )
    for r, c, v in cells:
        frame.iat[r, c] = v
    first = min(cells, key=lambda t: (t[0], t[1]))
    # a later junk value in the same cell overwrites an earlier one
    value = frame.iat[first[0], first[1]]
    with pytest.raises(InputError) as e:
        analyze(frame)
    assert e.value.row == first[0] + 1
    assert e.value.column == frame.columns[first[1]]
    assert e.value.value == value
    # treated as missing instead: no error, and every junk cell is counted
    res = analyze(frame, on_invalid="missing")
    junk_cells = {(r, c) for r, c, _ in cells}
    assert int(res.invalid["count"].sum()) == len(junk_cells)


@SETTINGS
@given(wide_frames(), st.data())
def test_unpaired_columns_name_the_column(frame: pd.DataFrame, data: st.DataObject) -> None:
    col = data.draw(st.sampled_from(list(frame.columns)))
    feature = col.rsplit("_", 1)[0]
    partner = next(c for c in frame.columns if c.startswith(feature + "_") and c != col)
    with pytest.raises(InputError) as e:
        analyze(frame.drop(columns=col))
    assert e.value.column == partner
    assert feature in e.value.message


def test_no_kano_columns_or_no_rows() -> None:
    with pytest.raises(InputError, match="no Kano answer columns"):
        analyze(pd.DataFrame({"a": [1], "b": [2]}))
    with pytest.raises(InputError, match="no answers"):
        analyze(pd.DataFrame({"X_functional": [], "X_dysfunctional": []}, dtype=str))
    with pytest.raises(InputError) as e:
        analyze(pd.DataFrame({"X_functional": [1], "X_dysfunctional": [5]}), by="segment")
    assert e.value.column == "segment"


@SETTINGS
@given(st.data())
def test_bad_importance_is_reported(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 6))
    bad_row = data.draw(st.integers(0, n - 1))
    bad = data.draw(
        st.text(min_size=1, max_size=8).filter(
            lambda s: s.strip() and not s.strip()[0].isdigit() and s.strip()[0] not in "+-"
        )
    )
    imp = [str(data.draw(st.integers(1, 9))) for _ in range(n)]
    imp[bad_row] = bad
    frame = pd.DataFrame(
        {"X_functional": ["1"] * n, "X_dysfunctional": ["5"] * n, "X_importance": imp}
    )
    with pytest.raises(InputError) as e:
        analyze(frame)
    assert (e.value.row, e.value.column, e.value.value) == (bad_row + 1, "X_importance", bad)


bad_count = st.one_of(
    st.integers(-1000, -1).map(str),
    st.floats(0.1, 99.9).filter(lambda x: not float(x).is_integer()).map(str),
    st.text(min_size=1, max_size=6).filter(
        lambda s: s.strip() != "" and not s.strip().lstrip("+").replace(".", "", 1).isdigit()
    ),
    st.just(""),
)


@SETTINGS
@given(st.data())
def test_bad_counts_name_row_column_value(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 5))
    table = {"feature": [f"F{i}" for i in range(n)]}
    for c in CATEGORIES:
        table[c] = [str(data.draw(st.integers(0, 50))) for _ in range(n)]
    frame = pd.DataFrame(table)
    row = data.draw(st.integers(0, n - 1))
    col = data.draw(st.sampled_from(list(CATEGORIES)))
    value = data.draw(bad_count)
    frame.loc[row, col] = value
    with pytest.raises(InputError) as e:
        analyze_counts(frame)
    assert (e.value.row, e.value.column, e.value.value) == (row + 1, col, value)


def test_counts_missing_column_and_duplicates() -> None:
    frame = pd.DataFrame(
        {
            "feature": ["x", "x"],
            "A": [1, 2],
            "O": [1, 1],
            "M": [0, 0],
            "I": [0, 0],
            "R": [0, 0],
            "Q": [0, 0],
        }
    )
    with pytest.raises(InputError) as e:
        analyze_counts(frame.drop(columns="R"))
    assert e.value.column == "R"
    with pytest.raises(InputError) as e:
        analyze_counts(frame)
    assert (e.value.row, e.value.column, e.value.value) == (2, "feature", "x")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = sys.argv
    sys.argv = ["kundfokus", *argv]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    return code, capsys.readouterr().err


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.one_of(
        st.just(""),
        st.just("X_functional,X_dysfunctional\n"),
        st.just("a,b\n1,2\n"),
        st.just("X_functional\n1\n"),
        st.text(alphabet="abc,;\n\"'1 5", max_size=40),
        st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    ),
    counts=st.booleans(),
)
def test_cli_malformed_files_exit_2_with_one_line(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    content: str,
    counts: bool,
) -> None:
    path: Path = tmp_path_factory.mktemp("cli") / "answers.csv"
    path.write_bytes(content.encode("latin-1", errors="replace"))
    argv = ["kano", "analyze", str(path), "--format", "json"] + (["--counts"] if counts else [])
    code, err = _run(argv, capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert str(path) in lines[0]
