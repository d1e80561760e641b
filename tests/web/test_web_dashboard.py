"""The leadership dashboard over HTTP on the real server: the JSON of every panel, who may see it,
the chart and CSV downloads, on an empty store (both back ends) and on the demo organisation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kundfokus.services.accounts import create_token
from kundfokus.services.demo_org import LOGINS, build_demo_org
from kundfokus.settings import Settings
from kundfokus.store.db import session_scope

KEYS = {
    "meta", "kpis", "customers", "drivers", "recommendations", "needs", "contacts", "cpis",
    "goals", "voice",
}  # fmt: skip


def _conftest(request):
    here = Path(__file__).with_name("conftest.py").resolve()
    for plugin in request.config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == here:
            return plugin
    raise AssertionError("tests/web/conftest.py is not loaded")


@pytest.fixture(scope="module")
def demo(request, tmp_path_factory) -> Iterator[tuple[str, str, str]]:
    """The demo organisation served: (address, viewer token, store URL)."""
    from kundfokus.web.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'demo.db'}"
    org = build_demo_org(url)
    viewer = next(x for x in LOGINS if x.role == "viewer")
    with session_scope(org.url) as s:
        token, _ = create_token(s, viewer.email, "dashboard tests")
    app = create_app(org.url, settings=Settings(db=org.url, secret_key="k"), start_jobs=False)
    server = _conftest(request).LiveServer(app).start()
    try:
        yield server.url, token, org.url
    finally:
        server.stop()


def _client(demo) -> httpx.Client:
    address, token, _ = demo
    return httpx.Client(base_url=address, headers={"Authorization": f"Bearer {token}"}, timeout=120)


def test_anonymous_gets_401_on_the_api_and_a_login_redirect_on_the_page(live):
    with live.client() as c:
        r = c.get("/api/v1/dashboard")
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
        page = c.get("/dashboard?lang=sv", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login?next=")
        assert c.get("/dashboard/data/kpis.csv", follow_redirects=False).status_code == 303


def test_an_empty_store_gives_empty_panels_with_notes(live):
    with live.client("viewer") as c:
        r = c.get("/api/v1/dashboard", params={"lang": "sv", "channel": "chat"})
        assert r.status_code == 200, r.text
        data = r.json()
        assert set(data) >= KEYS
        assert data["meta"]["filters"] == {"channel": "chat"}
        assert [s["n"] for s in data["kpis"]["scores"]] == [0, 0, 0]
        assert all(s["notes"] for s in data["kpis"]["scores"])
        assert data["contacts"]["n"] == 0 and data["contacts"]["notes"]
        assert data["cpis"]["rows"] == [] and data["cpis"]["notes"]
        assert data["needs"]["kano"]["features"] == [] and data["needs"]["kano"]["notes"]
        customers = data["customers"]
        assert customers["churn"] is None and customers["clv"] is None
        assert any("kundfokus customers import contracts" in n for n in customers["notes"])
        assert any("kundfokus customers import purchases" in n for n in customers["notes"])
        assert any("channel" in n for n in customers["notes"])  # not a field of contracts
        assert data["drivers"]["nps"] is None and data["drivers"]["notes"]
        assert data["recommendations"]["rows"] == []
        assert any("kundfokus recommend" in n for n in data["recommendations"]["notes"])
        assert data["meta"]["chosen_panels"] is None
        page = c.get("/dashboard?lang=sv")
        assert page.status_code == 200
        assert "Översikt för ledningen" in page.text
        assert c.get("/dashboard/chart/nps.svg").status_code == 404  # no data, no chart
        assert c.get("/api/v1/dashboard", params={"period": "decade"}).status_code == 422


def test_the_viewer_gets_every_panel_of_the_demo(demo):
    with _client(demo) as c:
        r = c.get("/api/v1/dashboard", params={"period": "month", "lang": "en"})
        assert r.status_code == 200, r.text
        data = r.json()
    assert set(data) >= KEYS
    nps = next(s for s in data["kpis"]["scores"] if s["kind"] == "nps")
    assert nps["n"] > 100
    assert nps["ci_low"] < nps["value"] < nps["ci_high"]
    assert sum(p["n"] for p in nps["periods"]) == nps["n"]
    assert nps["change"]["p_value"] > 0 and nps["change"]["sentence"]
    assert data["needs"]["kano"]["features"][0]["category"] == "M"
    assert data["contacts"]["n"] == sum(r["n"] for r in data["contacts"]["by_channel"])
    assert data["voice"]["groups"]


def test_filters_narrow_every_panel(demo):
    with _client(demo) as c:
        everything = c.get("/api/v1/dashboard").json()
        outage = c.get("/api/v1/dashboard", params={"situation": "power_outage"}).json()
        chat = c.get("/api/v1/dashboard", params={"channel": "chat"}).json()
    n_all = {s["kind"]: s["n"] for s in everything["kpis"]["scores"]}
    n_out = {s["kind"]: s["n"] for s in outage["kpis"]["scores"]}
    assert all(0 < n_out[k] < n_all[k] for k in n_all)
    assert 0 < outage["contacts"]["n"] < everything["contacts"]["n"]
    assert [r["label"] for r in chat["contacts"]["by_channel"]] == ["chat"]
    assert outage["needs"]["kano"]["n"] < everything["needs"]["kano"]["n"]


def test_charts_and_csv_download(demo):
    with _client(demo) as c:
        svg = c.get("/dashboard/chart/nps.svg", params={"lang": "sv", "download": "1"})
        assert svg.status_code == 200
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert svg.headers["content-disposition"].startswith("attachment")
        assert "<svg" in svg.text
        png = c.get("/dashboard/chart/kano.png")
        assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
        r = c.get("/dashboard/data/nps.csv", params={"situation": "power_outage"})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        api = c.get("/api/v1/dashboard", params={"situation": "power_outage"}).json()
        nps = next(s for s in api["kpis"]["scores"] if s["kind"] == "nps")
        assert [int(x["n"]) for x in rows] == [p["n"] for p in nps["periods"]]
        assert c.get("/dashboard/chart/nope.svg").status_code == 404
        assert c.get("/dashboard/data/nope.csv").status_code == 404


def test_csv_cells_are_formula_safe(demo):
    """A contact text starting with '=' reaches a spreadsheet as text."""
    from kundfokus.serialize import to_csv
    from kundfokus.web.dashboard_pages import data_frame

    data = {
        "kpis": {"scores": []},
        "voice": {"groups": [{"axis": "reason", "name": "x", "texts": ["=HYPERLINK(1)"]}]},
    }
    assert "'=HYPERLINK(1)" in to_csv(data_frame(data, "voice"))


# --------------------------------------------------------------------------------------------------
# Customers, drivers, recommendations, segment and team, the chosen panels: a store with journey
# events, NPS answers that name the customer, contracts, purchases and a service history.


@pytest.fixture(scope="module")
def rich(live_sqlite):
    """``live_sqlite`` with every kind of data the new panels read; returns the live server."""
    from datetime import date, datetime, timedelta

    import numpy as np
    import pandas as pd

    from kundfokus.cpi.compute import cpis_per_journey
    from kundfokus.services import surveys as survey_service
    from kundfokus.services.customers_import import import_contracts, import_purchases
    from kundfokus.services.demo_journeys import STEPS, generate_journeys, generate_service_history
    from kundfokus.services.demo_org import generate_purchases, survey_specs
    from kundfokus.services.journeys_import import import_events
    from kundfokus.services.recommend_log import log_outcome, log_recommendations
    from kundfokus.store.repositories import put_setting

    rng = np.random.default_rng(5)
    now = datetime(2026, 6, 1)
    events = generate_journeys(0, now, n=400)
    events["team"] = np.where(events["journey_id"].str[-1].isin(list("01234")), "north", "south")
    per = cpis_per_journey(events, per="customer").set_index("customer_id")
    with session_scope(live_sqlite.db) as s:
        import_events(s, events, source="test", by="analyst@example.se", steps=STEPS)
        survey = survey_service.create_survey(s, survey_specs("en")["nps"], created_by=None)
        for i, (customer, row) in enumerate(per.iterrows()):
            hours = float(row["time_to_resolution"]) if pd.notna(row["time_to_resolution"]) else 5
            score = int(np.clip(round(9 - 0.15 * hours + rng.normal(0, 1)), 0, 10))
            survey_service.submit(
                s, survey, client_token=f"t{i}", lang="en", answers={"score": score},
                context={"customer_id": customer, "segment": ["private", "business"][i % 2]},
            )  # fmt: skip
        contracts = []
        for i, (customer, row) in enumerate(per.iterrows()):
            start = date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 400)))
            p_leave = min(0.9, 0.15 + 0.2 * float(row["contacts_per_errand"] or 0))
            end = (
                start + timedelta(days=int(rng.integers(30, 700)))
                if rng.random() < p_leave
                else None
            )
            contracts.append({"customer": customer, "start": start.isoformat(),
                              "end": end.isoformat() if end and end < date(2026, 6, 1) else None,
                              "plan": "variable", "segment": ["private", "business"][i % 2]})  # fmt: skip
        import_contracts(s, pd.DataFrame(contracts))
        import_purchases(s, generate_purchases(0, date(2026, 6, 1)))
        history = generate_service_history(0, n=600)
        log_recommendations(
            s,
            history.rename(columns={"mode": "recommended"}).to_dict("records"),
            situation=["reason", "urgency"],
        )
        for case, outcome in zip(
            history["case_id"], history["resolved_first_contact"], strict=True
        ):
            log_outcome(s, case, outcome)
        put_setting(s, "dashboard_panels", ["customers", "kpis", "drivers"])
    return live_sqlite


def _get(live, **params):
    with live.client("viewer") as c:
        r = c.get("/api/v1/dashboard", params={"lang": "en", **params})
        assert r.status_code == 200, r.text
        return r.json()


def test_churn_retention_and_clv_equal_the_methods_on_the_stored_data(rich):
    from kundfokus.retention import churn, churn_summary, cohorts, sbg_fit_cohorts
    from kundfokus.services.customers_import import load_contracts, load_purchases
    from kundfokus.services.dashboard import AT_RISK_BELOW, customer_values
    from kundfokus.stats import wilson_interval

    data = _get(rich)
    assert set(data) >= KEYS
    panel = data["customers"]
    with session_scope(rich.db) as s:
        contracts, purchases = load_contracts(s), load_purchases(s)
    assert panel["n_contracts"] == len(contracts) and panel["n_purchases"] == len(purchases)
    table = churn(contracts, "customer", start="start", end="end", period="month")
    last = table[table["complete"] & (table["active_start"] > 0)].tail(12)
    window = table.loc[last.index]
    window.attrs.update(table.attrs)
    summary = churn_summary(window)
    assert panel["churn"]["annual_churn"] == pytest.approx(summary["annual_churn"], rel=1e-12)
    lo, _hi = wilson_interval(summary["lost"], summary["at_risk"])
    assert panel["churn"]["ci_low"] == pytest.approx(1 - (1 - lo) ** 12)
    assert panel["churn"]["ci_low"] < panel["churn"]["annual_churn"] < panel["churn"]["ci_high"]
    assert panel["churn"]["lost"] == summary["lost"]
    assert data["kpis"]["churn"]["annual_churn"] == panel["churn"]["annual_churn"]
    fit = sbg_fit_cohorts(
        cohorts(contracts, "customer", start="start", end="end", period="month", clock="tenure")
    )
    assert panel["retention"]["alpha"] == pytest.approx(fit.alpha)
    assert panel["retention"]["survival_12"] == pytest.approx(float(fit.survival(12)))
    assert "12 months" in panel["retention"]["sentence"]
    _, values = customer_values(purchases)
    assert panel["clv"]["total"] == pytest.approx(values["clv"].sum())
    assert sum(b["n"] for b in panel["clv"]["histogram"]) == len(values)
    risky = values[values["probability_alive"] < AT_RISK_BELOW]
    risk = panel["value_at_risk"]
    assert risk["customers"] == len(risky) > 0
    assert risk["value"] == pytest.approx(risky["clv"].sum())
    assert f"below {round(100 * AT_RISK_BELOW)} %" in risk["sentence"]
    with rich.client("viewer") as c:
        rows = list(csv.DictReader(io.StringIO(c.get("/dashboard/data/value_at_risk.csv").text)))
        assert len(rows) == min(200, len(risky))
        assert float(rows[0]["if_active"]) >= float(rows[-1]["if_active"])
        for name in ("churn", "retention", "clv"):
            svg = c.get(f"/dashboard/chart/{name}.svg", params={"size": "narrow"})
            assert svg.status_code == 200 and 'width="320"' in svg.text[:400], name
        assert c.get("/dashboard/chart/churn.svg", params={"size": "huge"}).status_code == 404
        churn_csv = list(csv.DictReader(io.StringIO(c.get("/dashboard/data/churn.csv").text)))
        assert [int(r["lost"]) for r in churn_csv] == [p["lost"] for p in panel["churn"]["periods"]]


def test_drivers_equal_the_driver_analysis_of_the_joined_cpis(rich):
    from kundfokus.cpi.compute import cpis_per_journey, join_kpis
    from kundfokus.drivers import driver_analysis
    from kundfokus.services.dashboard import DRIVERS_BOOT
    from kundfokus.services.journeys_import import load_events

    data = _get(rich)
    nps, churned = data["drivers"]["nps"], data["drivers"]["churn"]
    assert nps and churned, data["drivers"]["notes"]
    assert nps["drivers"][0]["driver"] == "time_to_resolution"  # how the answers were made
    assert nps["drivers"][0]["sign"] == "-"
    with session_scope(rich.db) as s:
        events = load_events(s)
        answers = survey_frames(s)
    per = cpis_per_journey(events, per="customer")
    per["customer_id"] = per["customer_id"].astype(str)
    joined = join_kpis(per, answers, on="customer_id")
    columns = [d["driver"] for d in nps["drivers"]]
    direct = driver_analysis(
        joined[["score", *columns]].dropna(), "score", columns, binary=False,
        n_boot=DRIVERS_BOOT, seed=0,
    ).results[0]  # fmt: skip
    assert nps["r2"] == pytest.approx(direct.r2)
    shap = dict(zip(direct.table["driver"], direct.table["shapley"], strict=True))
    assert {d["driver"]: d["shapley"] for d in nps["drivers"]} == pytest.approx(shap)
    assert churned["r2_kind"] == "mcfadden" and churned["n"] == data["customers"]["n_contracts"]
    with rich.client("viewer") as c:
        rows = list(csv.DictReader(io.StringIO(c.get("/dashboard/data/drivers.csv").text)))
        assert {r["outcome"] for r in rows} == {"nps", "churn"}
        assert c.get("/dashboard/chart/drivers_nps.png").content[:4] == b"\x89PNG"


def survey_frames(session):
    from kundfokus.services.surveys import export_frame, list_surveys

    survey = next(s for s in list_surveys(session) if s.kind == "nps")
    frame = export_frame(session, survey)
    frame["score"] = frame["score"].astype(float)
    return frame.groupby("customer_id", as_index=False)["score"].mean()


def test_recommendations_equal_the_recommender_fitted_on_the_log(rich):
    from kundfokus.recommend import fit_recommender
    from kundfokus.services.recommend_log import load_log

    data = _get(rich)
    recs = data["recommendations"]
    assert recs["rows"] and recs["situation"] == ["reason", "urgency"]
    with session_scope(rich.db) as s:
        log = load_log(s)
    model = fit_recommender(
        log[["reason", "urgency", "action", "outcome", "propensity"]],
        ["reason", "urgency"], "action", "outcome", propensity="propensity",
    )  # fmt: skip
    assert recs["n_cases"] == model.n_rows == 600
    cells = model.cells.set_index(["reason", "urgency", "action"])
    for row in recs["rows"]:
        cell = cells.loc[(row["reason"], row["urgency"], row["best"])]
        assert row["expected"] == pytest.approx(cell["expected"])
        assert row["ci_low"] <= row["expected"] <= row["ci_high"]
        assert row["n"] == cell["evidence"]
        same = cells.loc[(row["reason"], row["urgency"])]
        best = same[same["enough"]]["expected"].max()
        assert row["expected"] == pytest.approx(best)
        assert row["sentence"].startswith(f"When reason = {row['reason']}")
    outage = _get(rich, situation="x")["recommendations"]
    assert any("situation" in n for n in outage["notes"])


def test_segment_and_team_filters(rich):
    everything = _get(rich)
    private = _get(rich, segment="private")
    north = _get(rich, team="north")
    assert everything["meta"]["options"]["segment"] == ["business", "private"]
    assert everything["meta"]["options"]["team"] == ["north", "south"]
    nps = {s["kind"]: s for s in everything["kpis"]["scores"]}["nps"]
    nps_private = {s["kind"]: s for s in private["kpis"]["scores"]}["nps"]
    assert 0 < nps_private["n"] < nps["n"]
    assert 0 < private["customers"]["n_contracts"] < everything["customers"]["n_contracts"]
    assert 0 < north["cpis"]["n_journeys"] < everything["cpis"]["n_journeys"]
    # a filter a panel cannot apply is named in its notes
    assert any("segment" in n for n in private["contacts"]["notes"])
    assert any("team" in n for n in north["customers"]["notes"])


def test_the_chosen_panels_come_first_and_the_others_under_more(rich):
    data = _get(rich)
    assert data["meta"]["chosen_panels"] == ["customers", "kpis", "drivers"]
    assert set(data) >= KEYS  # the API still returns every panel
    with rich.client("viewer") as c:
        page = c.get("/dashboard", params={"lang": "sv"}).text
    more = page.index('<details class="dash-more"')
    assert page.index('id="customers"') < page.index('id="kpis"') < page.index('id="drivers"')
    assert page.index('id="drivers"') < more < page.index('id="needs"')
    assert page.index('id="recommendations"') > more
    assert "Fler paneler" in page
    assert 'media="(max-width: 600px)"' in page and "size=narrow" in page
