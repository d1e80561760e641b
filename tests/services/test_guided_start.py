"""The guided start: the plan per challenge and data (the right steps, one reason each in Swedish
and English, the imports named for missing data), and setting it up in a store (a draft Kano survey
with the named features, an ODI survey with the outcomes, the settings rows), idempotently; bad
input refused. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kundfokus.cpi import parse_definitions
from kundfokus.errors import InputError
from kundfokus.services import guided_start as gs
from kundfokus.services import surveys as survey_service
from kundfokus.services.accounts import add_user
from kundfokus.store.db import session_scope
from kundfokus.store.models import ReviewSetting, Survey, User
from kundfokus.store.repositories import get_setting
from kundfokus.store.testing import BACKENDS, temporary_store

FEATURES = ["Chatt på webben", "Bli uppringd i stället för kö", "Faktura i appen", "BankID"]
OUTCOMES = [
    "Minimera tiden det tar att få ett svar",
    "Minimera risken att behöva höra av sig igen",
]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def keys(plan: gs.Plan) -> list[str]:
    return [s.key for s in plan.steps]


# --------------------------------------------------------------------------------------------------
# Planning


def test_win_with_features_and_outcomes_drafts_kano_odi_and_nps():
    plan = gs.plan_start("win", {"journeys", "surveys"}, FEATURES, OUTCOMES, lang="en")
    assert keys(plan) == ["kano", "odi", "nps", "cpis", "panels"]
    assert [s.kind for s in plan.steps] == ["survey", "survey", "survey", "cpis", "panels"]
    kano = plan.step("kano")
    assert kano.reason == (
        "Kano shows which features are must-be before you promise more: you want to win "
        "customers and named 4 features."
    )
    items = kano.setup["survey"]["items"]
    assert [it["label_en"] for it in items] == FEATURES
    assert len({it["id"] for it in items}) == 4
    assert plan.step("odi").setup["survey"]["kind"] == "odi"
    assert "2 outcomes" in plan.step("odi").reason
    assert plan.cpis == list(gs.WIN_CPIS)
    assert "customers" not in plan.panels and "needs" in plan.panels
    # no import is asked for: the journeys are there and winning needs no contracts
    assert plan.imports == []
    assert any("POST /api/v1/surveys/ID/responses" in n for n in plan.notes)


def test_keep_without_data_names_the_imports_and_the_steps_that_use_them():
    plan = gs.plan_start("keep", set(), lang="en")
    assert keys(plan) == [
        "ces",
        "import:contacts",
        "import:contracts",
        "import:journeys",
        "cpis",
        "panels",
    ]
    contracts = plan.step("import:contracts")
    assert contracts.reason == (
        "Churn and CLV need contracts or purchases: import them with "
        "`kundfokus customers import contracts FILE`."
    )
    assert contracts.setup["used_by"] == ["customers", "drivers"]
    assert plan.step("import:contacts").setup["command"] == "kundfokus contacts import FILE"
    assert plan.step("import:journeys").setup["used_by"] == ["cpis"]
    assert plan.cpis == list(gs.KEEP_CPIS)
    assert {"customers", "drivers", "contacts"} <= set(plan.panels)
    assert "needs" not in plan.panels
    assert plan.step("kano") is None and plan.step("nps") is None


def test_keep_with_purchases_needs_no_contracts_import():
    plan = gs.plan_start("keep", "purchases,contacts,journeys", lang="sv")
    assert plan.imports == []
    assert plan.data == ("contacts", "purchases", "journeys")


def test_both_is_the_union_and_reasons_are_swedish():
    plan = gs.plan_start("both", {"contacts"}, FEATURES, (), lang="sv")
    assert keys(plan) == [
        "kano",
        "nps",
        "ces",
        "import:contracts",
        "import:journeys",
        "cpis",
        "panels",
    ]
    assert plan.step("kano").reason.startswith("Kano visar vilka egenskaper som är baskrav")
    assert "vinna och behålla kunder" in plan.step("kano").reason
    assert "nämnde 4 egenskaper" in plan.step("kano").reason
    assert "importera dem med `kundfokus customers import contracts FILE`" in (
        plan.step("import:contracts").reason
    )
    assert plan.cpis == [*gs.WIN_CPIS, *gs.KEEP_CPIS]
    assert plan.panels == list(gs.PANEL_KEYS)
    # no outcomes: the note says how to get an ODI questionnaire
    assert any("ODI-enkät" in n for n in plan.notes)
    # every step's reason is one sentence
    for step in plan.steps:
        assert step.reason.endswith(".") and step.reason.count(". ") == 0, step.reason


def test_the_same_answers_give_the_same_plan_in_either_language_apart_from_the_words():
    sv = gs.plan_start("both", set(), FEATURES, OUTCOMES, lang="sv")
    en = gs.plan_start("both", set(), FEATURES, OUTCOMES, lang="en")
    assert keys(sv) == keys(en)
    assert [s.reason for s in sv.steps] != [s.reason for s in en.steps]
    assert sv.step("kano").setup["survey"]["languages"] == ["sv"]
    assert en.step("kano").setup["survey"]["title"] == {
        "en": "What do you think of these features?"
    }


@pytest.mark.parametrize(
    "kwargs, column",
    [
        ({"challenge": "grow"}, "challenge"),
        ({"challenge": "win", "data": {"tweets"}}, "data"),
        ({"challenge": "win", "features": ["chat", "  "]}, "features"),
        ({"challenge": "win", "features": ["chat", "Chat"]}, "features"),
        ({"challenge": "win", "features": ["x" * 201]}, "features"),
        ({"challenge": "win", "features": [f"f{i}" for i in range(31)]}, "features"),
        ({"challenge": "win", "outcomes": [""]}, "outcomes"),
        ({"challenge": "win", "outcomes": ["a\x00b"]}, "outcomes"),
        ({"challenge": "win", "lang": "de"}, "lang"),
    ],
)
def test_bad_input_is_refused_naming_the_field(kwargs, column):
    with pytest.raises(InputError) as err:
        gs.plan_start(**kwargs)
    assert err.value.column == column


def test_one_feature_or_outcome_is_singular():
    plan = gs.plan_start("win", features=["chat"], outcomes=["Minimize the wait"], lang="en")
    assert plan.step("kano").reason.endswith("named 1 feature.")
    assert plan.step("odi").what == "ODI survey about 1 outcome"
    sv = gs.plan_start("win", features=["chatt"], lang="sv")
    assert sv.step("kano").reason.endswith("nämnde 1 egenskap.")


def test_an_empty_feature_names_its_line():
    with pytest.raises(InputError) as err:
        gs.plan_start("win", features=["chat", "", "app"])
    assert err.value.row == 2


def test_plan_from_dict_plans_again():
    plan = gs.plan_start("both", {"contacts"}, FEATURES, OUTCOMES, lang="en")
    again = gs.plan_from_dict(plan.to_dict())
    assert again == plan
    forged = plan.to_dict() | {"challenge": "everything"}
    with pytest.raises(InputError):
        gs.plan_from_dict(forged)


def test_item_ids_are_usable_column_names():
    plan = gs.plan_start("win", features=["Å ä ö!", "å-ä-ö", "???"], lang="sv")
    ids = [it["id"] for it in plan.step("kano").setup["survey"]["items"]]
    assert ids == ["a_a_o", "a_a_o_2", "f3"]


# --------------------------------------------------------------------------------------------------
# Setting it up


def _count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


def test_apply_creates_the_surveys_and_writes_the_settings(store):
    plan = gs.plan_start("both", {"contacts"}, FEATURES, OUTCOMES, lang="sv")
    with session_scope(store) as s:
        assert gs.store_is_fresh(s)
        applied = gs.apply_plan(s, plan, "analyst@example.se")
    assert [a.kind for a in applied.surveys] == ["kano", "odi", "nps", "ces"]
    assert all(a.created for a in applied.surveys)
    assert applied.imports == (
        "kundfokus customers import contracts FILE",
        "kundfokus journeys import FILE",
    )
    with session_scope(store) as s:
        kano = survey_service.get_survey(s, applied.surveys[0].id)
        assert kano.kind == "kano" and kano.languages == ["sv"]
        assert [it["label"]["sv"] for it in kano.items] == FEATURES
        assert kano.options["importance"] == "1-9"
        assert kano.created_by == "analyst@example.se"
        odi = survey_service.get_survey(s, applied.surveys[1].id)
        assert [it["statement"]["sv"] for it in odi.items] == OUTCOMES
        # the drafted questionnaires take answers the way the survey service checks them
        survey_service.check_answers(kano, {f"{kano.items[0]['id']}_functional": 1}, partial=True)
        cpis = get_setting(s, "cpi_definitions")
        defs = parse_definitions(cpis)
        assert [c.id for c in defs.cpis] == [*gs.WIN_CPIS, *gs.KEEP_CPIS]
        assert get_setting(s, "dashboard_panels") == list(gs.PANEL_KEYS)
        record = get_setting(s, "guided_start")
        assert record["challenge"] == "both"
        assert record["surveys"] == {a.key: a.id for a in applied.surveys}
        row = s.get(ReviewSetting, "dashboard_panels")
        assert row.updated_by == "analyst@example.se"
        assert not gs.store_is_fresh(s)
        last = gs.last_applied(s)
        assert [a.id for a in last.surveys] == [a.id for a in applied.surveys]
        assert last.cpis == applied.cpis


def test_apply_twice_creates_no_duplicate(store):
    plan = gs.plan_start("win", set(), FEATURES, OUTCOMES, lang="en")
    with session_scope(store) as s:
        first = gs.apply_plan(s, plan, "a@x.se")
    with session_scope(store) as s:
        second = gs.apply_plan(s, plan, "a@x.se")
        assert _count(s, Survey) == 3
        assert _count(s, ReviewSetting) == 3
    assert [a.id for a in second.surveys] == [a.id for a in first.surveys]
    assert not any(a.created for a in second.surveys)
    # a changed feature list is a different questionnaire: one new Kano survey, the rest reused
    changed = gs.plan_start("win", set(), [*FEATURES, "Sms vid avbrott"], OUTCOMES, lang="en")
    with session_scope(store) as s:
        third = gs.apply_plan(s, changed, "a@x.se")
        assert _count(s, Survey) == 4
    assert [a.created for a in third.surveys] == [True, False, False]


def test_apply_reuses_a_survey_that_asks_the_same_in_another_order(store):
    with session_scope(store) as s:
        existing = survey_service.create_survey(
            s,
            {
                "kind": "kano",
                "title": "Ours",
                "languages": ["sv", "en"],
                "items": [
                    {"id": f"x{i}", "label_sv": f, "label_en": f"en {f}"}
                    for i, f in enumerate(reversed(FEATURES))
                ],
            },
            created_by="someone",
        )
        applied = gs.apply_plan(s, gs.plan_start("win", set(), FEATURES, lang="sv"), "a@x.se")
        assert applied.surveys[0].id == existing.id and not applied.surveys[0].created


def test_the_demo_builds_into_a_store_with_only_a_user_and_its_plan_reuses_its_surveys(tmp_path):
    from kundfokus.services.demo_org import LOGINS

    with temporary_store("sqlite", tmp_path) as url:
        with session_scope(url) as s:
            add_user(s, "me@example.se", role="admin", password="a long password 1")
        built = gs.build_demo_here(url, lang="en")
        assert built.created and not built.logins_usable
        with session_scope(url) as s:
            held = gs.store_data(s)
            assert {"surveys", "contacts", "journeys"} <= held
            plan = gs.demo_plan("en", held)
            n_before = _count(s, Survey)
            applied = gs.apply_plan(s, plan, "me@example.se", demo=True)
            assert _count(s, Survey) == n_before  # the demo's Kano, ODI, NPS and CES are reused
            assert not any(a.created for a in applied.surveys)
            assert {a.kind for a in applied.surveys} == {"kano", "odi", "nps", "ces"}
            demo_people = s.scalars(select(User).where(User.email.in_([x.email for x in LOGINS])))
            assert all(not u.active and u.password_hash is None for u in demo_people)
        again = gs.build_demo_here(url, lang="en")
        assert not again.created


def test_the_demo_is_refused_in_a_store_with_data(store):
    with session_scope(store) as s:
        survey_service.create_survey(s, {"kind": "nps", "title": "Ours"}, created_by="x")
    with pytest.raises(InputError, match="fresh store"):
        gs.build_demo_here(store)
