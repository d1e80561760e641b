"""The journey map: known answers (hand-built and against a plain-Python reference), censoring,
variants, repeats, groups, and equal results on pandas, Polars, DuckDB and Spark."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import duckdb
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from journeys_gen import random_events, reference_map

from kundfokus.errors import InputError
from kundfokus.journeys import journey_map

T0 = datetime(2024, 5, 1, 9, 0, 0)


def _build(spec: list[tuple[str, list[tuple[str, float]]]]) -> pd.DataFrame:
    """Journeys from (customer, [(step, hours after the journey's start), ...])."""
    rows = []
    for n, (customer, events) in enumerate(spec, 1):
        start = T0 + timedelta(days=n)
        for step, h in events:
            rows.append(
                {
                    "customer_id": customer,
                    "journey_id": f"J{n}",
                    "step": step,
                    "timestamp": (start + timedelta(hours=h)).strftime("%Y-%m-%d %H:%M:%S"),
                }
            )
    return pd.DataFrame(rows)


def test_hand_built_durations_counts_and_variants() -> None:
    # five journeys a > b > c with a->b = 1,2,3,4,5 h and b->c = 2 h; two a > b (stopped at b)
    spec = [(f"c{i}", [("a", 0), ("b", i), ("c", i + 2)]) for i in range(1, 6)]
    spec += [("c6", [("a", 0), ("b", 0.5)]), ("c7", [("a", 0), ("b", 1.5)])]
    m = journey_map(_build(spec))
    t = m.transitions.set_index(["from_step", "to_step"])
    assert t.loc[("a", "b"), "n"] == 7
    # a->b gaps: 0.5, 1, 1.5, 2, 3, 4, 5 -> median 2, p90 = 4 + 0.4 * (5 - 4)
    assert t.loc[("a", "b"), "median_hours"] == pytest.approx(2.0)
    assert t.loc[("a", "b"), "p90_hours"] == pytest.approx(4.4)
    assert t.loc[("b", "c"), "n"] == 5
    assert t.loc[("b", "c"), "median_hours"] == pytest.approx(2.0)
    assert list(m.variants["path"]) == ["a > b > c", "a > b"]
    assert list(m.variants["n"]) == [5, 2]
    assert m.variants["share"].tolist() == pytest.approx([5 / 7, 2 / 7])
    s = m.steps.set_index("step")
    assert s.loc["b", "n_journeys"] == 7 and s.loc["c", "n_journeys"] == 5
    assert s.loc["b", "drop_off"] == pytest.approx(2 / 7)  # no end steps: stopping is dropping
    assert s.loc["a", "drop_off"] == 0
    assert (m.n_events, m.n_journeys, m.n_open) == (19, 7, 0)


def test_censored_journeys_are_open_not_dropped() -> None:
    spec = [(f"c{i}", [("a", 0), ("b", 1), ("end", 2)]) for i in range(3)]
    spec += [("x", [("a", 0), ("b", 3)])]  # journey 4 stops at b, early in the data
    spec += [("y", [("a", 0), ("b", 5 * 24)])]  # journey 5 is the last one: still open
    df = _build(spec)
    # all unfinished journeys are open when only end_steps is given
    m = journey_map(df, end_steps=["end"])
    s = m.steps.set_index("step")
    assert (m.n_ended, m.n_open, m.n_dropped) == (3, 2, 0)
    assert s.loc["b", "drop_off"] == 0 and s.loc["b", "n_open"] == 2
    # with open_days, an unfinished journey idle for longer is a drop-off
    m = journey_map(df, end_steps=["end"], open_days=2)
    s = m.steps.set_index("step")
    assert (m.n_ended, m.n_open, m.n_dropped) == (3, 1, 1)
    assert s.loc["b", "n_dropped"] == 1 and s.loc["b", "drop_off"] == pytest.approx(1 / 5)
    assert s.loc["end", "n_ended"] == 3 and s.loc["end", "drop_off"] == 0
    assert m.data_end == pd.Timestamp(T0 + timedelta(days=5, hours=120))


def test_repeats_same_reason_within_days() -> None:
    rows = []
    days = {"k1": [0, 10, 50], "k2": [0, 31], "k3": [0]}
    for c, ds in days.items():
        for i, d in enumerate(ds):
            t = T0 + timedelta(days=d)
            rows.append(
                {"customer_id": c, "journey_id": f"{c}-{i}", "step": "opened", "timestamp": t,
                 "reason": "billing"}
            )  # fmt: skip
    rows.append(
        {"customer_id": "k3", "journey_id": "k3-x", "step": "opened",
         "timestamp": T0 + timedelta(days=1), "reason": "tech"}
    )  # fmt: skip
    df = pd.DataFrame(rows).sort_values("timestamp")
    r = journey_map(df, reason="reason", repeat_days=30).repeats.set_index("reason")
    # only k1's day-10 journey repeats billing within 30 days (day 50 is 40 days after day 10)
    assert r.loc["billing", "n_journeys"] == 6 and r.loc["billing", "n_repeats"] == 1
    assert r.loc["billing", "n_customers_repeating"] == 1
    assert r.loc["billing", "repeat_share"] == pytest.approx(1 / 6)
    assert r.loc["tech", "n_repeats"] == 0
    r = journey_map(df, reason="reason", repeat_days=40).repeats.set_index("reason")
    assert r.loc["billing", "n_repeats"] == 3 and r.loc["billing", "n_customers_repeating"] == 2


def _compare(m, ref, by: bool) -> None:
    def key(row, *cols):
        g = (row["group"],) if by else (None,)
        return g + tuple(row[c] for c in cols)

    got = {key(r, "step"): r for r in m.steps.to_dict("records")}
    assert set(got) == set(ref["steps"])
    for k, exp in ref["steps"].items():
        for c, v in exp.items():
            assert got[k][c] == pytest.approx(v), (k, c)
    got = {key(r, "from_step", "to_step"): r for r in m.transitions.to_dict("records")}
    assert set(got) == set(ref["transitions"])
    for k, exp in ref["transitions"].items():
        for c, v in exp.items():
            assert got[k][c] == pytest.approx(v), (k, c)
    got = {key(r, "rank"): r for r in m.variants.to_dict("records")}
    assert set(got) == set(ref["variants"])
    for k, exp in ref["variants"].items():
        for c, v in exp.items():
            assert got[k][c] == pytest.approx(v) if c != "path" else got[k][c] == v, (k, c)
    got = {key(r, "reason"): r for r in m.repeats.to_dict("records")}
    assert set(got) == set(ref["repeats"])
    for k, exp in ref["repeats"].items():
        for c, v in exp.items():
            assert got[k][c] == pytest.approx(v), (k, c)
    assert (m.n_journeys, m.n_events) == (ref["n_journeys"], ref["n_events"])


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"by": "segment", "reason": "reason", "end_steps": ["resolved"], "open_days": 3},
        {"by": "channel", "end_steps": ["resolved", "reopened"], "repeat_days": 10, "top": 3},
    ],
)
def test_matches_plain_python_reference(seed: int, options: dict) -> None:
    rows = random_events(seed, ties=True)
    opts = dict(options)
    top = opts.pop("top", 10)
    m = journey_map(pd.DataFrame(rows), top_variants=top, **opts)
    _compare(m, reference_map(rows, top=top, **opts), by="by" in opts)


@given(seed=st.integers(0, 10_000), days=st.sampled_from([0, 5, 30]))
def test_reference_property(seed: int, days: int) -> None:
    rows = random_events(seed, n_customers=8, ties=True)
    m = journey_map(pl.DataFrame(rows), reason="reason", end_steps=["resolved"], repeat_days=days)
    _compare(m, reference_map(rows, reason="reason", end_steps=["resolved"], repeat_days=days),
             by=False)  # fmt: skip


def test_events_in_any_file_order_give_the_same_map() -> None:
    rows = random_events(5)
    a = journey_map(pd.DataFrame(rows), by="segment")
    shuffled = pd.DataFrame(random_events(5, shuffle=True))
    with pytest.raises(InputError, match="time goes backwards"):
        journey_map(shuffled, by="segment", check_order=True)
    b = journey_map(shuffled, by="segment")
    for name in ("steps", "transitions", "variants", "repeats"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_missing_group_values_form_their_own_group() -> None:
    df = _build([("a", [("x", 0), ("y", 1)]), ("b", [("x", 0)])])
    df["seg"] = ["s1", "s1", None]
    m = journey_map(df, by="seg")
    assert m.variants["group"].tolist() == ["s1", None]
    assert json_safe_rows(m)


def json_safe_rows(m) -> bool:
    from kundfokus.serialize import to_json

    text = to_json(m.to_dict())
    return "NaN" not in text and '"group": null' in text


def test_bad_options_and_columns() -> None:
    df = _build([("a", [("x", 0), ("y", 1)])])
    with pytest.raises(InputError, match="no such column") as err:
        journey_map(df, by="nope")
    assert err.value.column == "nope"
    with pytest.raises(InputError, match="top_variants"):
        journey_map(df, top_variants=0)
    with pytest.raises(InputError, match="unknown step"):
        journey_map(df, steps=["x"])


def _engines(df: pd.DataFrame, spark) -> dict:
    p = pl.from_pandas(df)
    return {
        "pandas": df,
        "polars": p,
        "polars-lazy": p.lazy(),
        "duckdb": duckdb.from_arrow(p.to_arrow()),
        "spark": spark.createDataFrame(df),
    }


@pytest.mark.spark
def test_every_engine_gives_equal_results(spark) -> None:
    rows = random_events(3, n_customers=60)
    df = pd.DataFrame(rows)
    df["timestamp"] = df["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")  # ISO text in every engine
    options = {"by": "segment", "reason": "reason", "end_steps": ["resolved"], "open_days": 5,
               "top_variants": 4, "repeat_days": 20}  # fmt: skip
    maps = {name: journey_map(f, **options) for name, f in _engines(df, spark).items()}
    ref = maps.pop("pandas")
    _compare(ref, reference_map(rows, top=4, **{k: v for k, v in options.items()
                                                if k != "top_variants"}), by=True)  # fmt: skip
    assert ref.n_open > 0 and ref.n_dropped > 0 and ref.n_ended > 0
    for name, m in maps.items():
        for table in ("steps", "transitions", "variants", "repeats"):
            pd.testing.assert_frame_equal(getattr(ref, table), getattr(m, table), obj=name)
        assert (m.n_events, m.n_journeys, m.n_open, m.n_ended, m.n_dropped) == (
            ref.n_events, ref.n_journeys, ref.n_open, ref.n_ended, ref.n_dropped,
        ), name  # fmt: skip
        assert m.data_end == ref.data_end, name
    assert not any(math.isnan(x) for x in ref.transitions["p90_hours"])
