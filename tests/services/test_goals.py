"""Shared goals: validation naming the field, the tree, progress from stored survey responses and
journey events, on-track true/false/null, plain-word status en/sv; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from kundfokus.cpi import compute_cpis, default_definitions
from kundfokus.errors import InputError
from kundfokus.scores import analyze
from kundfokus.services import goals
from kundfokus.services import surveys as survey_service
from kundfokus.services.journeys_import import import_events
from kundfokus.store.db import session_scope
from kundfokus.store.models import Goal
from kundfokus.store.testing import BACKENDS, temporary_store

NOW = datetime(2026, 12, 1, 12, 0)
SCORES = [10, 9, 3, 8] * 10  # 20 promoters, 10 passives, 10 detractors: NPS 25


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def _nps_responses(s, scores=SCORES, title="After the call"):
    survey = survey_service.create_survey(
        s, {"kind": "nps", "title": title, "languages": ["en"]}, created_by="a@x.se"
    )
    for i, score in enumerate(scores):
        survey_service.submit(
            s,
            survey,
            client_token=f"{title.replace(' ', '_')}-{i}",
            lang="en",
            answers={"score": score},
        )
    return survey


def _goal(s, *, created=None, **kw):
    spec = dict(
        name="Company NPS", owner="cx@x.se", teams=["cs", "product"], metric="nps",
        baseline=0, target=50, due="2027-06-30", by="a@x.se",
    )  # fmt: skip
    spec.update(kw)
    g = goals.create_goal(s, **spec)
    if created is not None:
        g.created_at = created
        s.flush()
    return g


def _by_id(s, lang="en", now=NOW):
    return {g["id"]: g for g in goals.list_goals(s, lang=lang, now=now)}


def test_progress_and_interval_come_from_the_stored_nps_responses(store):
    with session_scope(store) as s:
        _nps_responses(s)
        g = _goal(s, created=datetime(2026, 6, 1), due=date(2027, 6, 1))
        gid = g.id
    with session_scope(store) as s:
        got = _by_id(s)[gid]
    ref = analyze("nps", pd.DataFrame({"score": SCORES}), "score").table.iloc[0]
    # 20 promoters and 10 detractors of 40
    assert got["current"]["value"] == pytest.approx(100 * (20 - 10) / 40)
    assert got["current"]["n"] == 40
    assert got["current"]["ci_low"] == pytest.approx(ref["ci_low"])
    assert got["current"]["ci_high"] == pytest.approx(ref["ci_high"])
    assert got["progress"] == pytest.approx(25 / 50)
    assert got["progress_low"] == pytest.approx(ref["ci_low"] / 50)
    assert got["progress_high"] == pytest.approx(ref["ci_high"] / 50)
    # 183.5 of 365 days have passed
    share = (NOW - datetime(2026, 6, 1)) / (datetime(2027, 6, 1) - datetime(2026, 6, 1))
    assert got["expected"] == pytest.approx(share)
    assert got["expected_value"] == pytest.approx(50 * share)
    assert got["progress"] < got["expected"] < got["progress_high"]
    assert got["status"] == "at_risk" and got["on_track"] is True
    assert set(goals.KEYS) == set(got)


def test_responses_of_every_nps_survey_are_pooled(store):
    with session_scope(store) as s:
        _nps_responses(s, [10] * 10, title="one")
        _nps_responses(s, [0] * 30, title="two")
        gid = _goal(s).id
    with session_scope(store) as s:
        got = _by_id(s)[gid]
    assert got["current"]["n"] == 40
    assert got["current"]["value"] == pytest.approx(100 * (10 - 30) / 40)


def test_on_track_true_false_and_null(store):
    with session_scope(store) as s:
        _nps_responses(s)
        early = _goal(s, name="early", created=NOW - timedelta(days=10)).id
        behind = _goal(
            s, name="behind", target=100, created=datetime(2026, 1, 1), due="2027-01-01"
        ).id
        reached = _goal(s, name="reached", target=20).id
        overdue = _goal(s, name="overdue", target=30, due="2026-11-01").id
        nodata = _goal(s, name="csat", metric="csat", baseline=70, target=80).id
        churn = _goal(s, name="churn", metric="churn", baseline=0.2, target=0.1).id
    with session_scope(store) as s:
        got = _by_id(s)
    assert got[early]["status"] == "on_track" and got[early]["on_track"] is True
    assert got[early]["progress"] > got[early]["expected"]
    # even the upper bound (about 48) is behind what the schedule asks (about 92)
    assert got[behind]["progress_high"] < got[behind]["expected"]
    assert got[behind]["status"] == "off_track" and got[behind]["on_track"] is False
    assert got[reached]["status"] == "reached" and got[reached]["on_track"] is True
    assert got[overdue]["status"] == "overdue" and got[overdue]["on_track"] is False
    for gid in (nodata, churn):
        assert got[gid]["current"] is None and got[gid]["on_track"] is None
        assert got[gid]["progress"] is None and got[gid]["status"] == "no_data"
    assert got[nodata]["status_text"].startswith("No data yet")
    text = got[behind]["status_text"]
    assert text.startswith("Off track: NPS is 25 (interval ")
    assert "to reach 100 by 2027-01-01 it should be about " in text
    with session_scope(store) as s:
        sv = _by_id(s, lang="sv")
    assert sv[behind]["status_text"].startswith("Ur kurs: NPS är 25 (intervall ")
    assert "," in sv[behind]["status_text"]  # decimal comma in the interval
    assert sv[nodata]["status_text"].startswith("Inga data än")


def _events(hours: list[float]) -> pd.DataFrame:
    rows = []
    for j, h in enumerate(hours):
        t0 = pd.Timestamp("2026-10-01 08:00") + pd.Timedelta(days=j)
        rows.append({"customer_id": f"c{j}", "journey_id": f"j{j}", "step": "contact_opened",
                     "timestamp": t0.isoformat(sep=" "), "channel": "chat"})  # fmt: skip
        rows.append({"customer_id": f"c{j}", "journey_id": f"j{j}", "step": "resolved",
                     "timestamp": (t0 + pd.Timedelta(hours=h)).isoformat(sep=" "),
                     "channel": "chat"})  # fmt: skip
    return pd.DataFrame(rows)


def test_a_cpi_goal_where_lower_is_better_reads_the_stored_journey_events(store):
    hours = [20, 30, 36, 40, 44, 30, 28, 33, 35, 38, 31]
    events = _events(hours)
    with session_scope(store) as s:
        gid = _goal(
            s, name="Faster", metric="cpi:time_to_resolution", baseline=48, target=24,
            created=datetime(2026, 9, 1), due="2027-03-01",
        ).id  # fmt: skip
        nodata = _goal(s, name="before events", metric="cpi:time_to_resolution",
                       baseline=48, target=24).id  # fmt: skip
        first = _by_id(s)
        assert first[nodata]["current"] is None and first[nodata]["on_track"] is None
        import_events(s, events, source="events.csv")
    cpi = next(c for c in default_definitions().cpis if c.id == "time_to_resolution")
    ref = compute_cpis(events, [cpi]).table.iloc[0]
    with session_scope(store) as s:
        got = _by_id(s)[gid]
    assert got["better"] == "lower" and got["metric_name"] == "Time to resolution"
    assert got["current"]["value"] == pytest.approx(ref["value"])
    assert got["current"]["value"] == pytest.approx(pd.Series(hours).median())
    assert got["current"]["n"] == len(hours)
    assert got["progress"] == pytest.approx((ref["value"] - 48) / (24 - 48))
    # lower is better: the optimistic progress comes from the interval's low end
    assert got["progress_high"] == pytest.approx((ref["ci_low"] - 48) / (24 - 48))
    assert got["progress_low"] == pytest.approx((ref["ci_high"] - 48) / (24 - 48))
    assert got["progress_low"] <= got["progress"] <= got["progress_high"]


def test_goals_form_a_tree_and_refuse_a_cycle(store):
    with session_scope(store) as s:
        root = _goal(s, name="Company NPS").id
        a = _goal(s, name="TTR", metric="cpi:time_to_resolution", baseline=48, target=24,
                  parent=root).id  # fmt: skip
        b = _goal(s, name="FCR", metric="cpi:first_contact_resolution", baseline=0.6,
                  target=0.75, parent=str(root)).id  # fmt: skip
        leaf = _goal(s, name="chat FCR", metric="cpi:first_contact_resolution", baseline=0.5,
                     target=0.7, parent=b).id  # fmt: skip
        got = _by_id(s)
        assert got[root]["children"] == [a, b] and got[root]["parent"] is None
        assert got[b]["children"] == [leaf] and got[leaf]["parent"] == b
        with pytest.raises(InputError) as exc:
            goals.set_parent(s, root, leaf)
        assert exc.value.column == "parent"
        with pytest.raises(InputError) as exc:
            goals.set_parent(s, b, b)
        assert exc.value.column == "parent"
        goals.set_parent(s, leaf, a)
        got = _by_id(s)
        assert got[a]["children"] == [leaf] and got[b]["children"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"metric": "happiness"}, "metric"),
        ({"metric": "cpi:no_such_cpi"}, "metric"),
        ({"parent": 999}, "parent"),
        ({"parent": "abc"}, "parent"),
        ({"name": "  "}, "name"),
        ({"owner": None}, "owner"),
        ({"teams": ["cs", 3]}, "teams.1"),
        ({"baseline": "high"}, "baseline"),
        ({"target": float("nan")}, "target"),
        ({"target": 0}, "target"),
        ({"target": 1e300}, "target"),
        ({"name": "a\x00b"}, "name"),
        ({"due": "next summer"}, "due"),
        ({"better": "lower"}, "better"),
        ({"better": "up"}, "better"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(tmp_path, change, field):
    with temporary_store("sqlite", tmp_path) as url, session_scope(url) as s:
        with pytest.raises(InputError) as exc:
            _goal(s, **change)
        assert exc.value.column == field
        assert s.query(Goal).count() == 0


def test_a_past_due_date_is_allowed_and_reads_overdue(tmp_path):
    with temporary_store("sqlite", tmp_path) as url, session_scope(url) as s:
        _nps_responses(s)
        gid = _goal(s, due="2020-01-01", target=60).id
        got = _by_id(s)[gid]
    assert got["expected"] == 1.0 and got["status"] == "overdue" and got["on_track"] is False
    assert got["status_text"].startswith("Overdue: NPS is 25")


def test_a_registered_metric_is_used_and_can_be_removed(tmp_path):
    goals.register_metric(
        "aht", lambda s: goals.MetricValue(300, 280, 320, n=50, unit="s"),
        label={"en": "handling time", "sv": "hanteringstid"},
    )  # fmt: skip
    try:
        assert "aht" in goals.known_metrics()
        with temporary_store("sqlite", tmp_path) as url, session_scope(url) as s:
            gid = _goal(s, metric="aht", baseline=400, target=200,
                        created=NOW - timedelta(days=50), due=NOW.date() + timedelta(days=50)).id  # fmt: skip
            got = _by_id(s, lang="sv")[gid]
    finally:
        goals.unregister_metric("aht")
    assert "aht" not in goals.known_metrics()
    assert got["progress"] == pytest.approx(0.5)
    assert got["progress_low"] == pytest.approx(0.4) and got["progress_high"] == pytest.approx(0.6)
    assert got["expected"] == pytest.approx(50 / 99.5)  # the due date counts from its start
    assert got["status_text"].startswith("I riskzonen: hanteringstid är 300 (intervall 280 till")
