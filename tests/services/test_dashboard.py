"""The dashboard service on the demo organisation and on an empty store: every panel's figures
agree with the methods run directly, filters narrow them, and an empty store gives notes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kundfokus.errors import InputError
from kundfokus.services.dashboard import PANELS, dashboard, panel_frame, representative
from kundfokus.services.demo_org import build_demo_org
from kundfokus.store.db import open_store, session_scope


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    return build_demo_org(str(tmp_path_factory.mktemp("dash") / "demo.db")).url


@pytest.fixture(scope="module")
def demo(demo_url) -> dict:
    with session_scope(demo_url) as s:
        return dashboard(s, lang="en")


def _score(data: dict, kind: str) -> dict:
    return next(x for x in data["kpis"]["scores"] if x["kind"] == kind)


def test_every_panel_is_there_and_json_safe(demo):
    assert set(PANELS) <= set(demo)
    text = json.dumps(demo, allow_nan=False)  # raises on a bare NaN
    assert "NaN" not in text


def test_scores_agree_with_the_scores_method_on_the_exports(demo_url, demo):
    from kundfokus.scores import analyze
    from kundfokus.services import surveys as sv

    with session_scope(demo_url) as s:
        survey = next(x for x in sv.list_surveys(s) if x.kind == "nps")
        frame = sv.export_frame(s, survey)
    row = analyze("nps", frame, "score").table.iloc[0]
    nps = _score(demo, "nps")
    assert nps["value"] == pytest.approx(row["nps"])
    assert (nps["ci_low"], nps["ci_high"]) == pytest.approx((row["ci_low"], row["ci_high"]))
    assert nps["n"] == int(row["n"]) == sum(p["n"] for p in nps["periods"])
    for p in nps["periods"]:
        assert p["ci_low"] <= p["value"] <= p["ci_high"]
    change = nps["change"]
    assert change["to_value"] - change["from_value"] == pytest.approx(change["difference"])
    assert 0 < change["p_value"] <= 1
    assert change["significant"] == (change["p_value"] < 0.05)
    assert change["from_period"] in change["sentence"] and change["to_period"] in change["sentence"]
    ces = _score(demo, "ces")
    assert 1 <= ces["value"] <= 7


def test_needs_put_must_be_first_and_odi_by_opportunity(demo):
    feats = demo["needs"]["kano"]["features"]
    cats = [f["category"] for f in feats]
    assert cats[0] == "M"
    assert cats.index("M") < cats.index("O") < cats.index("A")
    assert all(f["sentence"] for f in feats)
    outs = demo["needs"]["odi"]["outcomes"]
    assert outs and all(o["sentence"] for o in outs)
    opp = [o["opportunity"] for o in outs]
    assert opp == sorted(opp, reverse=True)
    assert all(o["importance"] > o["satisfaction"] for o in outs)


def test_contact_volumes_add_up_and_the_change_is_tested(demo):
    c = demo["contacts"]
    for key in ("by_purpose", "by_reason", "by_channel"):
        assert sum(r["n"] for r in c[key]) == c["n"], key
    assert sum(r["n"] for r in c["over_time"]) == c["n"]
    ch = c["change"]
    assert ch["from_period"] < ch["to_period"]
    assert 0 < ch["volume_p_value"] <= 1 and 0 < ch["mix_test"]["p_value"] <= 1
    assert str(ch["from_n"]) in ch["sentence"]
    assert 0 <= c["repeat"]["share"] <= 1


def test_filters_apply_to_answers_and_contacts(demo_url, demo):
    with session_scope(demo_url) as s:
        out = dashboard(s, lang="sv", filters={"situation": "power_outage", "channel": ""})
        chat = dashboard(s, filters={"channel": "chat"}, period="quarter", by="journey_step")
    assert out["meta"]["filters"] == {"situation": "power_outage"}
    for kind in ("nps", "csat", "ces"):
        assert 0 < _score(out, kind)["n"] < _score(demo, kind)["n"]
    assert 0 < out["contacts"]["n"] < demo["contacts"]["n"]
    assert {r["label"] for r in out["contacts"]["by_situation"]} >= {"power_outage"}
    assert [r["label"] for r in chat["contacts"]["by_channel"]] == ["chat"]
    groups = _score(chat, "nps")["groups"]
    assert groups and sum(g["n"] for g in groups) == _score(chat, "nps")["n"]
    assert all(
        len(p["period"]) == 7 and "-Q" in p["period"] for p in _score(chat, "nps")["periods"]
    )


def test_voice_is_redacted_and_from_its_group(demo_url, demo):
    from kundfokus.store.repositories import contacts_frame, situations_frame

    with session_scope(demo_url) as s:
        stored = situations_frame(s).merge(contacts_frame(s)[["contact_id", "text"]])
    groups = demo["voice"]["groups"]
    assert groups
    for g in groups:
        own = set(stored.loc[stored[g["axis"]] == g["label"], "text"])
        assert g["texts"] and set(g["texts"]) <= own, g["label"]
        assert g["n"] == len(stored[stored[g["axis"]] == g["label"]])
    texts = [t for g in groups for t in g["texts"]]
    assert all("@" not in t for t in texts)  # e-mail addresses were redacted at import
    frame = panel_frame(demo, "voice")
    assert set(frame.columns) == {"axis", "label", "text"} and len(frame) >= len(texts)


def test_representative_picks_the_centre_not_the_longest():
    texts = [
        "the bill is too high",
        "my bill is too high this month",
        "the bill is far too high",
        "I have a long and unusual story about my solar panels, the roof and the neighbour's dog",
    ]
    picked = representative(texts, 2)
    assert len(picked) == 2
    assert texts[3] not in picked
    assert representative(["a", "a", ""], 3) == ["a"]


def test_an_empty_store_gives_empty_panels_with_notes(tmp_path):
    url = open_store(str(tmp_path / "empty.db"))
    with session_scope(url) as s:
        data = dashboard(s, lang="sv", filters={"team": "north"}, period="week")
    assert set(PANELS) <= set(data)
    assert all(x["n"] == 0 and x["notes"] for x in data["kpis"]["scores"])
    assert data["needs"]["kano"]["notes"] and data["needs"]["odi"]["notes"]
    assert data["contacts"]["n"] == 0 and data["contacts"]["notes"]
    assert data["cpis"]["rows"] == [] and data["cpis"]["notes"]
    assert data["goals"]["rows"] == []
    assert data["voice"]["groups"] == [] and data["voice"]["notes"]
    for panel in ("kpis", "kano", "odi", "contacts", "contacts_time", "cpis", "goals", "voice"):
        assert isinstance(panel_frame(data, panel), pd.DataFrame)


def test_bad_options_are_refused(tmp_path):
    url = open_store(str(tmp_path / "e.db"))
    with session_scope(url) as s:
        with pytest.raises(InputError, match="period"):
            dashboard(s, period="year")
        with pytest.raises(InputError):
            dashboard(s, filters={"bad key;": "x"})
        with pytest.raises(InputError):
            dashboard(s, by="x; drop")
