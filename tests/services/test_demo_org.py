"""The demo organisation: built on SQLite and PostgreSQL, realistic enough to show every part of
the platform, redacted, idempotent, and `kundfokus demo --no-serve` end to end."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.services import surveys as survey_service
from kundfokus.services.demo_org import (
    CONTACTS_N,
    KANO_N,
    LAUNCH_DAYS,
    LOGINS,
    ODI_N,
    SCORE_N,
    build_demo_org,
    find_demo_org,
    generate_contracts,
    generate_demo_data,
    generate_purchases,
)
from kundfokus.store.db import session_scope
from kundfokus.store.models import (
    Contact,
    Correction,
    JourneyEvent,
    Label,
    Survey,
    SurveyResponse,
    TaxonomyLabel,
    User,
)
from kundfokus.store.testing import BACKENDS, temporary_store

TABLES = (User, Survey, SurveyResponse, Contact, Label, Correction, TaxonomyLabel, JourneyEvent)


def _counts(url: str) -> dict[str, int]:
    with session_scope(url) as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, tmp_path_factory):
    with temporary_store(request.param, tmp_path_factory.mktemp("demo-org")) as url:
        org = build_demo_org(url, seed=0, lang="sv")
        yield url, org


def _results(url: str, org, kind: str, options=None):
    with session_scope(url) as s:
        return survey_service.results(
            s, survey_service.get_survey(s, org.surveys[kind].id), options
        )


def test_the_demo_holds_people_surveys_and_contacts(demo):
    url, org = demo
    assert org.created
    assert [(x.role, x.email) for x in org.logins] == [(x.role, x.email) for x in LOGINS]
    assert {x.role for x in org.logins} == {"admin", "analyst", "reviewer", "viewer"}
    expected = {"kano": KANO_N, "odi": ODI_N, **SCORE_N}
    assert {k: s.n_responses for k, s in org.surveys.items()} == expected
    assert org.n_contacts == CONTACTS_N
    assert 24 <= org.n_corrections <= 150
    assert set(org.contact_languages) == {"sv", "en"}
    assert org.contact_languages["sv"] > org.contact_languages["en"] > 30
    with session_scope(url) as s:
        users = {u.email: u for u in s.scalars(select(User))}
        assert {u.role for u in users.values()} == {"admin", "analyst", "reviewer", "viewer"}
        assert all(u.password_hash and u.lang == "sv" for u in users.values())
        # every demo password signs in
        from kundfokus.services.accounts import authenticate

        for login in LOGINS:
            assert authenticate(s, login.email, login.password).role == login.role
        # answers in both languages, spread over the last six months, tied to the journey
        for kind, survey in org.surveys.items():
            frame = survey_service.export_frame(s, survey_service.get_survey(s, survey.id))
            assert set(frame["lang"]) == {"sv", "en"}, kind
            assert {"journey_step", "situation", "channel"} <= set(frame.columns), kind
            assert frame["journey_step"].notna().all()
            when = frame["submitted_at"].str.slice(0, 19).astype("datetime64[s]")
            assert when.max() - when.min() > timedelta(days=100), kind
            if kind == "csat":  # each CSAT answer follows one of the demo contacts
                ids = set(s.scalars(select(Contact.external_id)))
                assert set(frame["contact_id"]) <= ids
            if kind in SCORE_N:
                comments = frame["comment"].dropna()
                assert len(comments) > 0.3 * len(frame)
        # corrections by the demo's reviewer (and analyst), with a reason, on need and situation
        corrections = s.scalars(select(Correction)).all()
        assert {c.who for c in corrections} <= {x.email for x in LOGINS}
        assert {c.axis for c in corrections} >= {"reason", "urgency"}
        assert all(c.reason for c in corrections)
        names = dict(
            s.execute(
                select(TaxonomyLabel.label, TaxonomyLabel.name_sv).where(
                    TaxonomyLabel.axis == "reason"
                )
            ).all()
        )
        assert names["outage"] == "strömavbrott"


def test_no_planted_personal_data_survives(demo):
    url, _ = demo
    planted = generate_demo_data(seed=0).personal_data
    assert len(planted) > 50
    kinds = {"personnummer": 0, "phone": 0, "email": 0}
    for p in planted:
        kinds["email" if "@" in p else "personnummer" if "-" in p[6:] else "phone"] += 1
    assert all(n > 5 for n in kinds.values()), kinds
    with session_scope(url) as s:
        texts = list(s.scalars(select(Contact.text)))
        responses = s.scalars(select(SurveyResponse)).all()
    stored = "\n".join(
        texts
        + [str(v) for r in responses for v in r.answers.values()]
        + [str(v) for r in responses for v in r.context.values()]
    )
    assert [p for p in planted if p in stored] == []
    joined = "\n".join(texts)
    assert "[PERSONNUMMER]" in joined and "[PHONE]" in joined and "[EMAIL]" in joined
    assert "[PHONE]" in stored.replace(joined, "")  # comments are redacted too


def test_kano_has_must_be_performance_and_attractive_features(demo):
    url, org = demo
    result = _results(url, org, "kano")
    cats = {r["feature"]: r["category"] for r in result}
    assert {"M", "O", "A"} <= set(cats.values())
    assert cats["bankid_login"] == "M" and cats["clear_invoice"] == "M"
    assert cats["callback"] == "O" and cats["price_alert"] == "A"
    assert cats["paper_invoice"] == "I"
    # the SMS during an outage is a must-be for the customers whose power is out
    by = _results(url, org, "kano", {"by": "situation"})
    sms = {r["situation"]: r["category"] for r in by if r["feature"] == "outage_sms"}
    assert sms["power_outage"] == "M" and sms["high_bill"] == "A"
    # the CLI's other options work on the demo too
    assert _results(url, org, "kano", {"table": "pouliot", "rule": "oam"})


def test_odi_has_under_served_outcomes(demo):
    url, org = demo
    result = _results(url, org, "odi")
    served = {r["outcome"]: r["served"] for r in result}
    under = [o for o, v in served.items() if v == "under-served"]
    assert {"outage_eta", "bill_why", "cost_ahead"} <= set(under)
    assert "over-served" in served.values()
    assert {r["job"] for r in result} == {"move", "bill", "outage"}
    top = max(result, key=lambda r: r["opportunity"])
    assert top["outcome"] == "outage_eta" and top["opportunity"] > 15


def test_scores_vary_by_journey_step_and_month(demo):
    url, org = demo
    nps = _results(url, org, "nps", {"by": "journey_step"})
    by_step = {g["group"]: g["nps"] for g in nps["groups"]}
    assert by_step["outage"] < by_step["billing"] < by_step["sign_up"]
    months = _results(url, org, "nps", {"period": "month"})["groups"]
    assert len(months) >= 6
    # the call-back service, launched LAUNCH_DAYS before the build, helped
    with session_scope(url) as s:
        frame = survey_service.export_frame(s, survey_service.get_survey(s, org.surveys["nps"].id))
    when = pd.to_datetime(frame["submitted_at"].str.rstrip("Z"))
    after = when >= org.built_at - timedelta(days=LAUNCH_DAYS)
    assert 0.3 < after.mean() < 0.7
    assert frame.loc[after, "score"].mean() > frame.loc[~after, "score"].mean() + 0.3
    for kind in ("csat", "ces"):
        out = _results(url, org, kind)
        assert out["score"] == kind and out["groups"][0]["n"] == SCORE_N[kind]


def test_building_again_adds_nothing(demo):
    url, org = demo
    before = _counts(url)
    again = build_demo_org(url, seed=0)
    assert not again.created
    assert _counts(url) == before
    assert {k: (s.id, s.public_id) for k, s in again.surveys.items()} == {
        k: (s.id, s.public_id) for k, s in org.surveys.items()
    }
    assert again.n_contacts == org.n_contacts and again.n_corrections == org.n_corrections
    assert again.built_at == org.built_at


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_store_with_other_data_is_refused(backend, tmp_path):
    from kundfokus.services.accounts import add_user

    with temporary_store(backend, tmp_path) as url:
        with session_scope(url) as s:
            add_user(s, "someone@example.com", role="admin", password="a real password 1")
        with pytest.raises(InputError, match="not the demo's"):
            build_demo_org(url)
        with session_scope(url) as s:
            assert find_demo_org(s) is None
            assert s.scalar(select(func.count()).select_from(User)) == 1


def test_generated_data_is_deterministic():
    a, b = generate_demo_data(seed=3), generate_demo_data(seed=3)
    assert a.personal_data == b.personal_data
    assert a.contacts["text"].tolist() == b.contacts["text"].tolist()
    assert a.responses["kano"][0]["answers"] == b.responses["kano"][0]["answers"]
    assert generate_demo_data(seed=4).contacts["text"].tolist() != a.contacts["text"].tolist()
    assert generate_contracts(3).equals(generate_contracts(3))
    assert generate_purchases(3).equals(generate_purchases(3))


def test_cli_demo_no_serve_builds_writes_and_prints_logins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db, out = tmp_path / "demo.db", tmp_path / "reports"
    res = CliRunner().invoke(app, ["demo", "--no-serve", "--db", str(db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = res.stdout
    assert text.startswith("Nordström Energi")
    for login in LOGINS:
        assert f"{login.email}" in text and login.password in text
    assert "http://127.0.0.1:8000/" in text and "kundfokus serve --db" in text
    assert "Kano priorities (240 customers, 7 features)" in text
    assert "Jobs to be done" in text and "NPS" in text
    names = {
        "report.html",
        "kano.html",
        "jtbd.html",
        "nps.html",
        "csat.html",
        "ces.html",
        "churn.html",
        "clv.html",
        "kano_answers.csv",
        "kano_features.csv",
        "odi_answers.csv",
        "odi_inventory.csv",
        "nps_answers.csv",
        "csat_answers.csv",
        "ces_answers.csv",
        "contracts.csv",
        "purchases.csv",
        "journeys.html",
        "cpi.html",
        "recommendations.txt",
        "journey_events.csv",
        "service_history.csv",
    }
    assert {p.name for p in out.iterdir()} == names
    for name in names:
        assert f"  {name}" in text
    assert f"Overview / Översikt: {out / 'report.html'}" in text
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Nordström Energi" in page and "Contacts: need and situation" in page
    assert "must-be" in (out / "kano.html").read_text(encoding="utf-8")
    assert "under-served" in (out / "jtbd.html").read_text(encoding="utf-8")
    assert "Net Promoter Score" in (out / "nps.html").read_text(encoding="utf-8")
    assert "sBG" in (out / "churn.html").read_text(encoding="utf-8") or "beta" in (
        out / "churn.html"
    ).read_text(encoding="utf-8")
    assert "Gamma-Gamma" in (out / "clv.html").read_text(encoding="utf-8") or "gamma" in (
        out / "clv.html"
    ).read_text(encoding="utf-8")
    # the exports are what the CLI reads: analyse one of them with the CLI itself
    again = CliRunner().invoke(
        app,
        [
            "kano",
            "analyze",
            str(out / "kano_answers.csv"),
            "--labels",
            str(out / "kano_features.csv"),
            "--format",
            "json",
        ],
    )
    assert again.exit_code == 0, again.output
    assert '"bankid_login"' in again.stdout
    # a second run reuses the store, in Swedish
    res = CliRunner().invoke(
        app, ["demo", "--no-serve", "--db", str(db), "--out", str(out), "--lang", "sv"]
    )
    assert res.exit_code == 0, res.output
    assert "fanns redan" in res.stdout and "Kano-prioriteringar (240 kunder" in res.stdout
    assert not (tmp_path / "kundfokus-demo.db").exists()  # --db was used, not the default


def test_cli_demo_starts_the_server_on_the_demo_store(tmp_path, monkeypatch):
    import kundfokus.cli.server as server

    calls = []
    monkeypatch.setattr(server, "serve", lambda **kw: calls.append(kw))
    db = tmp_path / "demo.db"
    res = CliRunner().invoke(
        app, ["demo", "--db", str(db), "--out", str(tmp_path / "r"), "--port", "8123"]
    )
    assert res.exit_code == 0, res.output
    assert "Open / Öppna: http://127.0.0.1:8123/" in res.stdout
    assert len(calls) == 1
    assert calls[0]["db"] == f"sqlite:///{db}" and calls[0]["port"] == 8123
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["workers"] == 1


def test_the_demo_has_journeys_cpis_and_recommendations(demo, tmp_path):
    """Issue 10 in the demo: stored errands give a journey map and the bundled CPIs, and the
    confounded service history gives adjusted recommendations."""
    from kundfokus.cpi import compute_cpis
    from kundfokus.journeys import journey_map
    from kundfokus.recommend import fit_recommender, recommend_for
    from kundfokus.services.demo_journeys import generate_service_history
    from kundfokus.services.journeys_import import load_events

    url, _ = demo
    events = load_events(url)
    assert events["journey_id"].nunique() > 800 and set(events["step"]) >= {"resolved", "reopened"}
    jmap = journey_map(events, reason="reason", end_steps=["resolved"])
    assert jmap.n_open > 0  # some errands are still open at the end of the data
    top = jmap.transitions.sort_values("n", ascending=False).iloc[0]
    assert (top["from_step"], top["to_step"]) == ("contact_opened", "first_answer")
    cpis = compute_cpis(events).table.set_index("cpi")
    assert {"time_to_resolution", "first_contact_resolution", "effort_at_resolution"} <= set(
        cpis.index
    )
    assert cpis.loc["time_to_resolution", "n_open"] > 0
    assert 0 < cpis.loc["first_contact_resolution", "value"] < 1
    # the history is confounded (agents sent hard cases to the specialist queue) ...
    history = generate_service_history(0)
    hard = history[(history["urgency"] == "urgent") & (history["mood"] == "upset")]
    model = fit_recommender(
        history, ["reason", "urgency", "mood"], "mode", "resolved_first_contact",
        propensity="propensity",
    )  # fmt: skip
    recs = recommend_for(model, hard.head(20), explore=0.0).table
    # ... while urgent, upset customers are best served by the specialist queue
    assert (recs["recommended"] == "specialist_queue").mean() >= 0.75
