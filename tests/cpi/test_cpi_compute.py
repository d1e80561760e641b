"""compute_cpis on generated journeys whose answers are known from how they were generated."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from cpi_journeys import DEFS, generate

from kundfokus.cpi import compute_cpis, cpis_per_journey, kaplan_meier, km_median
from kundfokus.errors import InputError
from kundfokus.stats import wilson_interval


@pytest.fixture(scope="module")
def data():
    return generate(300, seed=7)


@pytest.fixture(scope="module")
def report(data):
    return compute_cpis(data[0], DEFS)


def _row(report, cpi, group="all"):
    t = report.table
    rows = t[(t["cpi"] == cpi) & (t["group"] == group)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_one_tidy_row_per_cpi(report):
    assert report.table["cpi"].tolist() == [c["id"] for c in DEFS["cpis"]]
    assert report.n_journeys == 300
    assert report.table["n"].le(300).all()


def test_duration_without_open_journeys_is_the_plain_median(data, report):
    _, truth = data
    r = _row(report, "tfa")
    assert r["n"] == 300 and r["n_open"] == 0
    assert r["value"] == float(np.quantile(truth["answer_minutes"], 0.5, method="inverted_cdf"))
    assert r["ci_low"] <= r["value"] <= r["ci_high"]
    assert r["share_meeting_target"] == pytest.approx((truth["answer_minutes"] <= 60).mean())


def test_duration_with_open_journeys_is_the_km_median_censored_at_the_end(data, report):
    _, truth = data
    r = _row(report, "ttr")
    end = truth["last"].max()
    is_open = truth["open"].to_numpy()
    assert r["n_open"] == int(is_open.sum()) > 0
    censor_h = (end - truth["start"]).dt.total_seconds().to_numpy() / 3600
    dur = np.where(is_open, censor_h, truth["resolve_hours"].to_numpy())
    km = kaplan_meier(dur, ~is_open)
    assert r["value"] == km_median(km)
    # dropping the open journeys would be a different (smaller or equal) answer
    dropped = float(np.quantile(truth.loc[~truth["open"], "resolve_hours"], 0.5,
                                method="inverted_cdf"))  # fmt: skip
    assert r["value"] >= dropped
    # share resolved within 24 h: closed ones within 24 h over all, from the KM curve
    within = ((~is_open) & (dur <= 24)).sum()
    assert r["share_meeting_target"] == pytest.approx(1 - np.prod(
        [1 - d / n for d, n in zip(km.events[km.times <= 24], km.at_risk[km.times <= 24],
                                   strict=True)]))  # fmt: skip
    assert within > 0


def test_counts_changes_sums_and_answers_are_the_known_means(data, report):
    _, truth = data
    assert _row(report, "contacts")["value"] == pytest.approx(truth["contacts"].mean())
    assert _row(report, "contacts")["share_meeting_target"] == pytest.approx(
        (truth["contacts"] <= 1).mean()
    )
    assert _row(report, "switches")["value"] == pytest.approx(truth["channel_switches"].mean())
    assert _row(report, "handovers")["value"] == pytest.approx(truth["handovers"].mean())
    assert _row(report, "saved")["value"] == pytest.approx(truth["saved"].mean())
    assert _row(report, "saved_median")["value"] == pytest.approx(truth["saved"].median())
    ces = truth["ces"].dropna()
    r = _row(report, "ces")
    assert r["n"] == len(ces) and r["value"] == pytest.approx(ces.mean())
    se = ces.std(ddof=1) / math.sqrt(len(ces))
    assert r["ci_high"] - r["value"] == pytest.approx(
        __import__("scipy").stats.t.ppf(0.975, len(ces) - 1) * se
    )
    assert r["share_meeting_target"] == pytest.approx((ces >= 5).mean())


def test_share_is_wilson(data, report):
    _, truth = data
    r = _row(report, "fcr")
    k = int(truth["fcr"].sum())
    assert r["value"] == pytest.approx(k / 300)
    lo, hi = wilson_interval(k, 300)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi))
    assert r["meets_target"] == (k / 300 >= 0.5)
    # not reached and not transferred: the open ones without a transfer
    assert r["n_open"] == int((truth["open"] & (truth["handovers"] == 0)).sum())


def test_groups_periods_and_trend(data):
    events, truth = data
    rep = compute_cpis(events, DEFS, by="segment", period="month")
    t = rep.table
    c = t[t["cpi"] == "contacts"]
    truth = truth.assign(period=truth["start"].dt.strftime("%Y-%m"))
    expected = truth.groupby(["segment", "period"])["contacts"].mean()
    for _, r in c.iterrows():
        assert r["value"] == pytest.approx(expected[(r["group"], r["period"])])
    a = c[c["group"] == "A"].sort_values("period")
    assert math.isnan(a["trend"].iloc[0])
    assert a["trend"].iloc[1] == pytest.approx(a["value"].iloc[1] - a["value"].iloc[0])
    assert set(t["period_start"].dt.day) == {1}


def test_step_keeps_the_cpis_naming_the_step(data):
    rep = compute_cpis(data[0], DEFS, step="transferred")
    assert rep.table["cpi"].tolist() == ["fcr"]
    with pytest.raises(InputError, match="no CPI"):
        compute_cpis(data[0], DEFS, step="nowhere")


def _events(rows):
    return pd.DataFrame(rows, columns=["customer_id", "journey_id", "step", "timestamp", "channel"])


def test_conditions_combine_columns_and_lists():
    ev = _events([
        (1, 1, "open", "2024-01-01 08:00", "chat"),
        (1, 1, "resolved", "2024-01-01 09:00", "chat"),
        (2, 2, "open", "2024-01-01 08:00", "phone"),
        (2, 2, "closed", "2024-01-01 10:00", "phone"),
        (3, 3, "open", "2024-01-01 08:00", "chat"),
    ])  # fmt: skip
    defs = [
        {"id": "chat_res", "kind": "share", "reach": {"step": "resolved", "channel": "chat"}},
        {"id": "done", "kind": "share", "reach": {"step": ["resolved", "closed"]}},
        {"id": "chat_only", "kind": "share", "among": {"channel": "chat"},
         "reach": {"step": "resolved"}},
        {"id": "ttd", "kind": "duration", "from": {"step": "open"},
         "to": {"step": ["resolved", "closed"]}, "unit": "minutes"},
    ]  # fmt: skip
    t = compute_cpis(ev, defs).table.set_index("cpi")
    assert t.loc["chat_res", "value"] == pytest.approx(1 / 3)
    assert t.loc["done", "value"] == pytest.approx(2 / 3)
    assert t.loc["chat_only", "n"] == 2 and t.loc["chat_only", "value"] == 0.5
    # 60 and 120 minutes closed; journey 3 open, censored at 120 minutes (end 10:00)
    assert t.loc["ttd", "n_open"] == 1
    assert t.loc["ttd", "value"] == 120.0


def test_duration_to_must_follow_from():
    ev = _events([
        (1, 1, "resolved", "2024-01-01 07:00", "chat"),  # an earlier errand's resolution
        (1, 1, "open", "2024-01-01 08:00", "chat"),
        (1, 1, "resolved", "2024-01-01 08:30", "chat"),
    ])  # fmt: skip
    d = [{"id": "t", "kind": "duration", "from": {"step": "open"}, "to": {"step": "resolved"},
          "unit": "minutes"}]  # fmt: skip
    assert compute_cpis(ev, d).table["value"].iloc[0] == 30.0


def test_changes_follow_time_order_and_skip_missing_values():
    ev = _events([
        (1, 1, "a", "2024-01-01 08:03", "chat"),
        (1, 1, "a", "2024-01-01 08:00", "phone"),
        (1, 1, "a", "2024-01-01 08:01", None),
        (1, 1, "a", "2024-01-01 08:02", "phone"),
        (1, 1, "a", "2024-01-01 08:04", "chat"),
    ])  # fmt: skip
    d = [{"id": "sw", "kind": "changes", "field": "channel"}]
    assert compute_cpis(ev, d).table["value"].iloc[0] == 1.0


def test_open_journeys_are_counted_not_dropped_in_per_journey_values():
    ev = _events([
        (1, 1, "open", "2024-01-01 08:00", "chat"),
        (1, 1, "resolved", "2024-01-01 09:00", "chat"),
        (2, 2, "open", "2024-01-01 08:00", "phone"),
    ])  # fmt: skip
    d = [{"id": "ttr", "kind": "duration", "from": {"step": "open"}, "to": {"step": "resolved"}}]
    pj = cpis_per_journey(ev, d)
    assert pj["ttr"].tolist()[0] == 1.0 and math.isnan(pj["ttr"].tolist()[1])
    assert pj["ttr_open"].tolist() == [False, True]


def test_warnings_for_conditions_that_match_nothing_and_skipped_cpis(data):
    defs = {"cpis": [
        {"id": "typo", "kind": "share", "reach": {"step": "resolvd"}},
        {"id": "goal", "kind": "answer", "field": "goal_achieved", "at": {"step": "resolved"},
         "required": False},
    ]}  # fmt: skip
    rep = compute_cpis(data[0], defs)
    text = " ".join(rep.warnings("en"))
    assert "resolvd" in text and "goal_achieved" in text
    assert any("resolvd" in w for w in rep.warnings("sv"))
    assert rep.table["cpi"].tolist() == ["typo"]


def test_bad_input_names_the_column_and_value():
    good = _events([(1, 1, "open", "2024-01-01 08:00", "chat")])
    d = [{"id": "n", "kind": "count", "where": {"step": "open"}}]
    with pytest.raises(InputError) as e:
        compute_cpis(good.drop(columns=["journey_id"]), d)
    assert e.value.column == "journey_id"
    bad = good.assign(timestamp=["yesterday"])
    with pytest.raises(InputError) as e:
        compute_cpis(bad, d)
    assert e.value.column == "timestamp" and e.value.value == "yesterday" and e.value.row == 1
    with pytest.raises(InputError) as e:
        compute_cpis(good, [{"id": "s", "kind": "sum", "field": "amount"}])
    assert e.value.column == "amount" and "'s'" in str(e.value)
    text_amount = good.assign(amount=["12 kr"])
    with pytest.raises(InputError) as e:
        compute_cpis(text_amount, [{"id": "s", "kind": "sum", "field": "amount"}])
    assert e.value.column == "amount" and e.value.value == "12 kr"
    comma = good.assign(amount=["12,5"])
    t = compute_cpis(comma, [{"id": "s", "kind": "sum", "field": "amount"}]).table
    assert t["value"].iloc[0] == 12.5
    with pytest.raises(InputError) as e:
        compute_cpis(good, d, by="segment")
    assert e.value.column == "segment"
    with pytest.raises(InputError):
        compute_cpis(good, d, level=1.5)
    with pytest.raises(InputError) as e:
        compute_cpis(good.assign(customer_id=[None]), d)
    assert e.value.column == "customer_id"


def test_median_stat_uses_a_bootstrap_that_depends_on_the_seed_only(data):
    d = [{"id": "m", "kind": "count", "where": {"step": "contact_opened"}, "stat": "median"}]
    a = compute_cpis(data[0], d, seed=1).table
    b = compute_cpis(data[0], d, seed=1).table
    pd.testing.assert_frame_equal(a, b)
    assert a["ci_method"].iloc[0] == "bootstrap"
    assert a["ci_low"].iloc[0] <= a["value"].iloc[0] <= a["ci_high"].iloc[0]
