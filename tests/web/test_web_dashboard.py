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

KEYS = {"meta", "kpis", "needs", "contacts", "cpis", "goals", "voice"}


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
