"""Ulwick's opportunity scores, checked on answer rows written out by hand."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import duckdb
import narwhals as nw
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kundfokus.errors import InputError
from kundfokus.io import read_table
from kundfokus.jtbd import (
    JobInventory,
    opportunity,
    opportunity_level,
    parse_rating,
    served_label,
    wilson_interval,
)

# Ten respondents. Count the 4s and 5s to check each share by eye.
HAND = pd.DataFrame(
    {
        # 8 of 10 rate importance 4-5 -> 8.0; 3 of 10 satisfied -> 3.0; opportunity 8 + 5 = 13.0
        "wait_importance": [5, 5, 4, 4, 5, 4, 5, 4, 2, 3],
        "wait_satisfaction": [1, 2, 2, 3, 4, 5, 4, 2, 1, 3],
        # 6 of 10 important -> 6.0; 8 of 10 satisfied -> 8.0; opportunity 6 + 0 = 6.0, over-served
        "tone_importance": [4, 4, 5, 5, 4, 4, 3, 2, 1, 3],
        "tone_satisfaction": [4, 5, 4, 5, 4, 5, 4, 5, 3, 2],
        # 5 of 10 -> 5.0; 0 satisfied -> 0.0; opportunity 5 + 5 = 10.0 exactly (solid)
        "ten_importance": [4, 4, 4, 4, 4, 3, 3, 3, 3, 3],
        "ten_satisfaction": [1, 1, 1, 1, 1, 2, 2, 2, 3, 3],
        # 8 -> 8.0; 4 -> 4.0; opportunity 8 + 4 = 12.0 exactly (high)
        "twelve_importance": [5, 5, 5, 5, 5, 5, 5, 5, 1, 1],
        "twelve_satisfaction": [5, 5, 5, 5, 3, 3, 3, 3, 3, 3],
        # 10 -> 10.0; 5 -> 5.0; opportunity 10 + 5 = 15.0 exactly (high, not extreme)
        "fifteen_importance": [5, 5, 5, 5, 5, 4, 4, 4, 4, 4],
        "fifteen_satisfaction": [4, 4, 4, 4, 4, 1, 1, 1, 1, 1],
        # 8 -> 8.0; 0 -> 0.0; opportunity 16.0 (extreme)
        "sixteen_importance": [4, 4, 4, 4, 4, 4, 4, 4, 3, 3],
        "sixteen_satisfaction": [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        # 6 -> 6.0; 3 -> 3.0; opportunity 9.0: low, and not under-served despite the gap
        "nine_importance": [5, 5, 5, 5, 5, 5, 1, 1, 1, 1],
        "nine_satisfaction": [5, 5, 5, 1, 1, 1, 1, 1, 1, 1],
    }
)

EXPECTED = {
    # outcome: (importance, satisfaction, opportunity, level, served)
    "wait": (8.0, 3.0, 13.0, "high", "under-served"),
    "tone": (6.0, 8.0, 6.0, "low", "over-served"),
    "ten": (5.0, 0.0, 10.0, "solid", "under-served"),
    "twelve": (8.0, 4.0, 12.0, "high", "under-served"),
    "fifteen": (10.0, 5.0, 15.0, "high", "under-served"),
    "sixteen": (8.0, 0.0, 16.0, "extreme", "under-served"),
    "nine": (6.0, 3.0, 9.0, "low", "appropriately served"),
}


def _by_outcome(res: pd.DataFrame) -> dict[str, dict]:
    return {r["outcome"]: r for r in res.to_dict(orient="records")}


def test_hand_checked_scores_levels_and_labels():
    res = opportunity(HAND)
    got = _by_outcome(res)
    assert set(got) == set(EXPECTED)
    for outcome, (imp, sat, opp, level, served) in EXPECTED.items():
        row = got[outcome]
        assert row["n"] == 10 and row["n_importance"] == 10 and row["n_satisfaction"] == 10
        assert row["importance"] == pytest.approx(imp, abs=1e-12), outcome
        assert row["satisfaction"] == pytest.approx(sat, abs=1e-12), outcome
        assert row["opportunity"] == pytest.approx(opp, abs=1e-12), outcome
        assert row["opportunity_level"] == level, outcome
        assert row["served"] == served, outcome
        assert row["job"] is None and row["job_type"] is None


def test_sorted_by_opportunity_descending():
    res = opportunity(HAND)
    assert list(res["outcome"]) == ["sixteen", "fifteen", "wait", "twelve", "ten", "nine", "tone"]
    assert res["opportunity"].is_monotonic_decreasing


def test_scalar_rules_at_the_boundaries():
    assert opportunity_level(15.0) == "high"
    assert opportunity_level(15.0000001) == "extreme"
    assert opportunity_level(12.0) == "high"
    assert opportunity_level(11.999) == "solid"
    assert opportunity_level(10.0) == "solid"
    assert opportunity_level(9.999) == "low"
    # floating-point noise at a boundary does not flip the level
    assert opportunity_level(0.1 * 3 * 40) == "high"  # 12.000000000000002
    assert opportunity_level(12 - 1e-13) == "high"
    assert served_label(5.0, 5.0) == "appropriately served"
    assert served_label(5.0, 5.5) == "over-served"
    assert served_label(float("nan"), 3.0) is None


def test_wilson_interval_known_values():
    # Wilson 95% for 8/10 is (0.4902, 0.9433); for 0/10 it is (0, 0.2775)
    lo, hi = wilson_interval(8, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and round(hi, 4) == 0.2775
    res = _by_outcome(opportunity(HAND))
    assert res["wait"]["importance_low"] == pytest.approx(4.902, abs=1e-3)
    assert res["wait"]["importance_high"] == pytest.approx(9.433, abs=1e-3)
    assert res["wait"]["importance_low"] < 8.0 < res["wait"]["importance_high"]
    # the same shares from twice the respondents give a narrower interval
    big = _by_outcome(opportunity(pd.concat([HAND, HAND], ignore_index=True)))
    assert big["wait"]["importance"] == res["wait"]["importance"]
    width_big = big["wait"]["importance_high"] - big["wait"]["importance_low"]
    width = res["wait"]["importance_high"] - res["wait"]["importance_low"]
    assert width_big < width


def test_text_answers_and_missing_answers():
    df = pd.DataFrame(
        {
            "speed_importance": ["5 - Very important", "4 – Viktigt", "2", "", None, "3.0"],
            "speed_satisfaction": ["1", "4", "", "5 - Very satisfied", "2", "NA"],
            "other_column": ["x"] * 6,
        }
    )
    row = _by_outcome(opportunity(df))["speed"]
    # importance answered by rows 1,2,3,6 (2 of 4 top) -> 5.0
    assert row["n_importance"] == 4 and row["importance"] == pytest.approx(5.0)
    # satisfaction answered by rows 1,2,4,5 (2 of 4 top) -> 5.0
    assert row["n_satisfaction"] == 4 and row["satisfaction"] == pytest.approx(5.0)
    # both answered: rows 1 and 2 only
    assert row["n"] == 2
    assert row["n_invalid"] == 0


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("4 - Important", 4),
        ("  5  ", 5),
        ("1.", 1),
        (3.0, 3),
        ("3,0", 3),
        ("0", None),
        ("6", None),
        ("4.5", None),
        ("4.5 stars", None),
        ("45", None),
        ("high", None),
        ("x4", None),
        (True, None),
    ],
)
def test_parse_rating(value, ok):
    if ok is None:
        with pytest.raises(ValueError):
            parse_rating(value)
    else:
        assert parse_rating(value) == ok


def test_invalid_answer_names_row_column_value():
    df = HAND.astype(str)
    df.loc[6, "tone_satisfaction"] = "very"  # data row 7
    df.loc[8, "wait_importance"] = "9"  # data row 9: later, so not the first
    with pytest.raises(InputError) as info:
        opportunity(df)
    err = info.value
    assert (err.row, err.column, err.value) == (7, "tone_satisfaction", "very")


def test_invalid_as_missing_is_counted():
    df = HAND.astype(str)
    df.loc[6, "tone_satisfaction"] = "very"
    df.loc[8, "wait_importance"] = "9"
    res = _by_outcome(opportunity(df, on_invalid="missing"))
    assert res["tone"]["n_invalid"] == 1 and res["tone"]["n_satisfaction"] == 9
    assert res["tone"]["n"] == 9
    # tone satisfaction without row 7 (a 4): 7 of 9 satisfied
    assert res["tone"]["satisfaction"] == pytest.approx(70 / 9)
    assert res["wait"]["n_invalid"] == 1 and res["wait"]["n_importance"] == 9
    assert res["sixteen"]["n_invalid"] == 0


def _long(df: pd.DataFrame) -> pd.DataFrame:
    rows = []
    outcomes = [c[: -len("_importance")] for c in df.columns if c.endswith("_importance")]
    for i, r in df.iterrows():
        for o in outcomes:
            rows.append(
                {
                    "respondent": f"r{i}",
                    "outcome": o,
                    "satisfaction": r[f"{o}_satisfaction"],
                    "importance": r[f"{o}_importance"],
                }
            )
    return pd.DataFrame(rows)


def test_long_and_wide_agree():
    wide = opportunity(HAND)
    long = opportunity(_long(HAND))
    pd.testing.assert_frame_equal(wide, long)


def test_long_table_errors():
    long = _long(HAND)
    long.loc[3, "outcome"] = None
    with pytest.raises(InputError) as info:
        opportunity(long)
    assert (info.value.row, info.value.column) == (4, "outcome")
    long = _long(HAND).astype({"importance": object})
    long.loc[12, "importance"] = "7"
    with pytest.raises(InputError) as info:
        opportunity(long)
    assert (info.value.row, info.value.column, info.value.value) == (13, "importance", "7")
    dup = pd.concat([_long(HAND), _long(HAND).iloc[[5]]], ignore_index=True)
    with pytest.raises(InputError, match="more than once") as info:
        opportunity(dup)
    assert info.value.row == len(dup)


def test_by_group():
    df = HAND.copy()
    df["channel"] = ["phone"] * 5 + ["chat"] * 5
    res = opportunity(df, by="channel")
    assert list(res.columns[:2]) == ["channel", "outcome"]
    assert list(res["channel"].unique()) == ["chat", "phone"]
    for _, part in res.groupby("channel"):
        assert part["opportunity"].is_monotonic_decreasing
        assert len(part) == len(EXPECTED)
    phone = res[res["channel"] == "phone"].set_index("outcome")
    chat = res[res["channel"] == "chat"].set_index("outcome")
    # wait: importance 5,5,4,4,5 -> 10.0 on the phone; 4,5,4,2,3 -> 6.0 in chat
    assert phone.loc["wait", "importance"] == pytest.approx(10.0)
    assert chat.loc["wait", "importance"] == pytest.approx(6.0)
    # satisfaction 1,2,2,3,4 -> 2.0 on the phone, opportunity 18.0 (extreme)
    assert phone.loc["wait", "satisfaction"] == pytest.approx(2.0)
    assert phone.loc["wait", "opportunity_level"] == "extreme"
    assert phone.loc["wait", "n"] == 5


def test_by_unknown_column():
    with pytest.raises(InputError) as info:
        opportunity(HAND, by="segment")
    assert info.value.column == "segment"


def test_unpaired_and_missing_columns():
    with pytest.raises(InputError) as info:
        opportunity(HAND.drop(columns=["tone_satisfaction"]))
    assert info.value.column == "tone_importance"
    with pytest.raises(InputError, match="no answer columns"):
        opportunity(pd.DataFrame({"a": [1]}))


def _inventory() -> JobInventory:
    rows = []
    for o in EXPECTED:
        job = "fast" if o in ("wait", "ten", "twelve") else "calm"
        rows.append(
            {
                "job_id": job,
                "job_type": "functional" if job == "fast" else "emotional",
                "job_statement": {"fast": "Get it done quickly", "calm": "Feel calm"}[job],
                "situation": "",
                "outcome_id": o,
                "outcome_statement_en": f"Minimize the trouble with {o}",
                "outcome_statement_sv": f"Minimera besväret med {o}",
            }
        )
    return JobInventory.from_records(rows)


def test_inventory_join():
    inv = _inventory()
    res = _by_outcome(opportunity(HAND, inventory=inv, lang="sv"))
    assert res["wait"]["job"] == "fast" and res["wait"]["job_type"] == "functional"
    assert res["tone"]["job"] == "calm" and res["tone"]["job_type"] == "emotional"
    assert res["wait"]["statement"] == "Minimera besväret med wait"
    # inventory outcomes that nobody was asked about are listed, not invented
    extra = JobInventory.from_records(
        [
            *[
                {
                    "job_id": "x",
                    "job_type": "social",
                    "job_statement": "Look good",
                    "outcome_id": o,
                    "outcome_statement": "Minimize it",
                }
                for o in [*EXPECTED, "unasked"]
            ]
        ]
    )
    out = opportunity(HAND, inventory=extra)
    assert "unasked" not in set(out["outcome"])
    assert out.attrs["unsurveyed_outcomes"] == ["unasked"]


def test_outcome_not_in_inventory():
    inv = _inventory()
    df = HAND.assign(extra_importance=4, extra_satisfaction=4)
    with pytest.raises(InputError) as info:
        opportunity(df, inventory=inv)
    assert info.value.column == "extra_importance" and info.value.value == "extra"
    long = _long(df)
    with pytest.raises(InputError) as info:
        opportunity(long, inventory=inv)
    assert info.value.column == "outcome" and info.value.value == "extra"
    assert info.value.row == 8  # respondent 0's eighth outcome


def test_engines_agree_pandas_polars_duckdb():
    df = HAND.copy()
    df["channel"] = ["phone", "chat"] * 5
    df.loc[2, "wait_satisfaction"] = None
    ref = opportunity(df, by="channel")
    for native in (pl.from_pandas(df), duckdb.from_df(df), pl.from_pandas(df).lazy()):
        got = opportunity(native, by="channel")
        pd.testing.assert_frame_equal(got, ref, check_dtype=False)
    # also through an explicit narwhals frame
    pd.testing.assert_frame_equal(opportunity(nw.from_native(df), by="channel"), ref)


def test_lazy_engine_error_without_row():
    df = HAND.astype(str)
    df.loc[4, "ten_importance"] = "seven"
    with pytest.raises(InputError) as info:
        opportunity(duckdb.from_df(df))
    assert info.value.row is None
    assert (info.value.column, info.value.value) == ("ten_importance", "seven")


# ---------------------------------------------------------------------- properties
VALID = st.one_of(
    st.integers(1, 5).map(str),
    st.integers(1, 5).map(lambda v: f"{v} - text"),
    st.just(""),
)


def _rejected(text: str) -> bool:
    try:
        parse_rating(text)
    except ValueError:
        return True
    return False


INVALID = st.one_of(
    st.sampled_from(["0", "6", "4.5", "high", "x", "-1", "45", "4.5 stars", "five", "?", "1e3"]),
    st.integers(6, 10_000).map(str),
    st.integers(-100, 0).map(str),
    # arbitrary short text (quotes, commas, non-ASCII) that is not an answer
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=8,
    ).filter(_rejected),
)


@st.composite
def answers_with_one_bad_cell(draw):
    n_rows = draw(st.integers(1, 12))
    outcomes = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, unique=True))
    columns = [f"{o}_{k}" for o in outcomes for k in ("importance", "satisfaction")]
    data = {c: draw(st.lists(VALID, min_size=n_rows, max_size=n_rows)) for c in columns}
    row = draw(st.integers(0, n_rows - 1))
    column = draw(st.sampled_from(columns))
    bad = draw(INVALID)
    data[column][row] = bad
    return pl.DataFrame(data), row + 1, column, bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_with_one_bad_cell())
def test_property_bad_answer_is_located(case):
    frame, row, column, bad = case
    with tempfile.TemporaryDirectory() as tmp:  # through a real CSV file, as the CLI reads it
        path = Path(tmp) / "answers.csv"
        frame.write_csv(path)
        from_file = read_table(path)
    for data in (frame, from_file):
        with pytest.raises(InputError) as info:
            opportunity(data)
        assert (info.value.row, info.value.column, info.value.value) == (row, column, bad)
    res = opportunity(from_file, on_invalid="missing")
    assert int(res["n_invalid"].sum()) == 1


@st.composite
def valid_answers(draw):
    n_rows = draw(st.integers(1, 15))
    cells = st.one_of(st.integers(1, 5), st.none())
    imp = draw(st.lists(cells, min_size=n_rows, max_size=n_rows))
    sat = draw(st.lists(cells, min_size=n_rows, max_size=n_rows))
    return imp, sat


@settings(max_examples=60, deadline=None)
@given(valid_answers())
def test_property_scores_match_direct_count(case):
    imp, sat = case
    res = opportunity(pl.DataFrame({"o_importance": imp, "o_satisfaction": sat})).iloc[0]
    ni = sum(v is not None for v in imp)
    ns = sum(v is not None for v in sat)
    both = sum(a is not None and b is not None for a, b in zip(imp, sat, strict=True))
    assert (res["n_importance"], res["n_satisfaction"], res["n"]) == (ni, ns, both)
    if ni:
        assert res["importance"] == pytest.approx(
            10 * sum(v is not None and v >= 4 for v in imp) / ni
        )
    else:
        assert math.isnan(res["importance"])
    if ni and ns:
        i, s = res["importance"], res["satisfaction"]
        assert res["opportunity"] == pytest.approx(i + max(i - s, 0))
    else:
        assert math.isnan(res["opportunity"]) and res["served"] is None


def test_on_invalid_error_is_a_deprecated_spelling_of_raise():
    df = HAND.astype(str)
    df.loc[6, "tone_satisfaction"] = "very"
    with (
        pytest.warns(DeprecationWarning, match="on_invalid='raise'"),
        pytest.raises(InputError) as old,
    ):
        opportunity(df, on_invalid="error")
    with pytest.raises(InputError) as new:
        opportunity(df, on_invalid="raise")
    assert (
        (old.value.row, old.value.column)
        == (new.value.row, new.value.column)
        == (7, "tone_satisfaction")
    )
    with pytest.raises(InputError, match="on_invalid must be"):
        opportunity(HAND, on_invalid="skip")
