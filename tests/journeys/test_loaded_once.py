"""Events read, checked and sorted once (``load_journeys``) give the same map and CPIs as the
frame itself; the kernel's fast paths (a hash of the key) and exact paths (text ranks) agree."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from journeys_gen import random_events

from kundfokus.cpi import compute_cpis, cpis_per_journey
from kundfokus.cpi.compute import median_interval
from kundfokus.errors import InputError
from kundfokus.journeys import columnar, journey_map, load_journeys

DEFS = [
    {"id": "ttr", "kind": "duration", "from": {"step": "opened"}, "to": {"step": "resolved"},
     "unit": "hours"},
    {"id": "n_open", "kind": "count", "where": {"step": ["opened", "reopened"]}},
    {"id": "switches", "kind": "changes", "field": "channel"},
    {"id": "fcr", "kind": "share", "reach": {"step": "resolved"}, "without": {"step": "transferred"}},
]  # fmt: skip
MAP_TABLES = ("steps", "transitions", "variants", "repeats")


def _frame(seed: int = 3) -> pd.DataFrame:
    return pd.DataFrame(random_events(seed, n_customers=60, ties=True))


def _same_map(a, b) -> None:
    for name in MAP_TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=False)
    assert (a.n_journeys, a.n_events) == (b.n_journeys, b.n_events)


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_loaded_once_equals_the_frame(engine: str) -> None:
    df = _frame()
    frame = {"pandas": df, "polars": pl.from_pandas(df),
             "duckdb": duckdb.connect().from_df(df)}[engine]  # fmt: skip
    se = load_journeys(frame)
    kw = {"by": "segment", "reason": "reason", "end_steps": ["resolved"]}
    _same_map(journey_map(se, **kw), journey_map(frame, **kw))
    a = compute_cpis(se, DEFS, by="channel").table
    b = compute_cpis(frame, DEFS, by="channel").table
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(cpis_per_journey(se, DEFS), cpis_per_journey(frame, DEFS))


def test_per_journey_rows_come_in_key_order() -> None:
    out = cpis_per_journey(_frame(), DEFS)
    keys = list(zip(out["customer_id"], out["journey_id"], strict=True))
    assert keys == sorted(keys)


def test_loaded_events_refuse_what_they_cannot_answer() -> None:
    se = load_journeys(_frame())
    with pytest.raises(InputError, match="loaded with order=None"):
        journey_map(se, order="channel")
    with pytest.raises(InputError, match="check_order"):
        journey_map(se, check_order=True)
    with pytest.raises(InputError, match="unknown step"):
        journey_map(se, steps=["opened", "answered"])
    with pytest.raises(InputError, match="no such column"):
        journey_map(se, by="nowhere")


def test_keys_with_spaces_take_the_exact_path_and_match_stripped_keys() -> None:
    df = _frame()
    padded = df.assign(customer_id=" " + df["customer_id"], journey_id=df["journey_id"] + "\t")
    padded.loc[::2, "customer_id"] = df.loc[::2, "customer_id"]  # half padded, half not
    _same_map(journey_map(padded, by="segment"), journey_map(df, by="segment"))
    pd.testing.assert_frame_equal(compute_cpis(padded, DEFS).table, compute_cpis(df, DEFS).table)


def test_hash_and_exact_sorts_agree(monkeypatch) -> None:
    df = _frame(seed=9)
    fast = journey_map(df, by="channel", reason="reason")
    monkeypatch.setattr(columnar, "_hash_sort", lambda pf, keys: None)  # as on a collision
    exact = journey_map(df, by="channel", reason="reason")
    _same_map(fast, exact)


def test_duplicate_event_ids_are_found_after_stripping() -> None:
    df = _frame().reset_index(drop=True)
    df["event_id"] = [f"e{i}" for i in range(len(df))]
    load_journeys(df)  # distinct ids pass
    df.loc[7, "event_id"] = " e3 "
    with pytest.raises(InputError, match="duplicate event id") as err:
        load_journeys(df)
    assert err.value.row == 8


def test_text_codes_are_in_text_order_and_merge_values_equal_after_stripping() -> None:
    s = pl.Series(["b", " a", None, "a", "c ", "b"] * 3)
    codes, uniques = columnar.text_codes(s)
    assert uniques == ["a", "b", "c"]
    assert codes[:6].tolist() == [1, 0, -1, 0, 2, 1]
    many = pl.Series([f"id{i:05d}" for i in range(5000)][::-1])  # the rank path
    codes, uniques = columnar.text_codes(many)
    assert uniques == sorted(uniques) and codes[0] == 4999


def test_median_interval_does_not_depend_on_the_order_of_values() -> None:
    rng = np.random.default_rng(4)
    x = rng.gamma(2, 3, 5000)  # many distinct values: the resampling bootstrap
    assert median_interval(x) == median_interval(rng.permutation(x))
