"""Observations (contextual design): stored with their checks, searched (case-insensitive, å/ä/ö
too), filtered, shown as the dashboard's recent list, and turned into a Kano feature or an ODI
outcome in a draft survey; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from kundfokus.errors import InputError
from kundfokus.services import observations as obs
from kundfokus.services import surveys as survey_service
from kundfokus.services.journeys_import import import_events
from kundfokus.services.taxonomy import update_taxonomy
from kundfokus.store.db import session_scope
from kundfokus.store.models import Observation, Survey
from kundfokus.store.testing import BACKENDS, temporary_store

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def _seed(s):
    t0 = datetime(2026, 11, 20, 9, 0)
    rows = [
        dict(note="Kunden letade efter fakturan i appen i fem minuter",
             quote="Var hittar jag ÅRETS fakturor?", step="Betala", situation="flytt",
             need="hitta fakturan", channel="app", observed_at=t0),
        dict(note="The agent asked for the customer number twice",
             quote="I already told you my number", step="Identify", situation="outage",
             need="not repeat myself", channel="phone", observed_at=t0 + timedelta(hours=1)),
        dict(note="Väntade i kön och gav upp", step="Betala", situation="outage",
             channel="phone", observed_at=t0 + timedelta(hours=2)),
        dict(note="Chat bot did not understand 'flyttanmälan'", step="Flytta",
             situation="flytt", channel="chat", observed_at=t0 + timedelta(hours=3)),
    ]  # fmt: skip
    return [obs.add_observation(s, created_by="a@x.se", **r).id for r in rows]


def test_add_and_get_keep_every_field(store):
    with session_scope(store) as s:
        row = obs.add_observation(
            s, note="  Kunden hittade inte knappen  ", quote="Var är den?", step="Betala",
            situation="flytt", need="betala räkningen", channel="app",
            observed_at="2026-11-30T10:15:00+01:00", attachment=PNG,
            attachment_name="C:\\photos\\skärm.png", attachment_type="image/png",
            created_by="obs@x.se",
        )  # fmt: skip
        oid = row.id
    with session_scope(store) as s:
        got = obs.get_observation(s, str(oid))
        assert got.note == "Kunden hittade inte knappen"
        assert got.observed_at == datetime(2026, 11, 30, 9, 15)  # stored as UTC
        assert got.attachment == PNG and got.attachment_name == "skärm.png"
        d = obs.observation_dict(got)
        assert d["has_attachment"] is True and d["attachment_size"] == len(PNG)
        assert d["observed_at"] == "2026-11-30T09:15:00Z"
        assert obs.attachment_of(s, oid) == (PNG, "skärm.png", "image/png")
        assert obs.get_observation(s, oid + 100) is None
        assert obs.get_observation(s, "abc") is None and obs.get_observation(s, -1) is None


def test_free_text_is_redacted_unless_turned_off(store):
    with session_scope(store) as s:
        a = obs.add_observation(s, note="Ring 070-123 45 67", quote="mejla anna.s@example.se")
        b = obs.add_observation(s, note="Ring 070-123 45 67", redact=False)
        assert a.note == "Ring [PHONE]" and a.quote == "mejla [EMAIL]"
        assert b.note == "Ring 070-123 45 67"


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"note": ""}, "note", "must not be empty"),
        ({"note": "   "}, "note", "must not be empty"),
        ({"note": "x" * 5001}, "note", "longer than 5000"),
        ({"note": "ok", "step": "s" * 201}, "step", "longer than 200"),
        ({"note": "ok", "observed_at": "yesterday"}, "observed_at", "ISO 8601"),
        ({"note": "ok", "observed_at": datetime(2099, 1, 1)}, "observed_at", "future"),
        ({"note": "ok", "attachment": b"x" * (5 * 1024 * 1024 + 1),
          "attachment_type": "image/png"}, "attachment", "larger than 5 MB"),
        ({"note": "ok", "attachment": b"MZ..", "attachment_type": "application/x-msdownload"},
         "attachment_type", "cannot be attached"),
        ({"note": "ok", "attachment": b"<svg/>", "attachment_type": "image/svg+xml"},
         "attachment_type", "cannot be attached"),
        ({"note": "ok", "attachment": b"hello", "attachment_type": "application/pdf"},
         "attachment", "not a PDF"),
        ({"note": "ok", "attachment": b"\xff\xfe\x00", "attachment_type": "text/plain"},
         "attachment", "UTF-8"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field(store, kw, field, words):
    with session_scope(store) as s:
        with pytest.raises(InputError) as info:
            obs.add_observation(s, **kw)
        assert info.value.field == field
        assert words in str(info.value)
        s.rollback()
        assert s.query(Observation).count() == 0


def test_a_pdf_and_a_text_file_may_be_attached(store):
    with session_scope(store) as s:
        a = obs.add_observation(
            s, note="a", attachment=b"%PDF-1.4 ...", attachment_type="application/pdf"
        )
        b = obs.add_observation(s, note="b", attachment="hej å".encode(), attachment_type="text/plain; charset=utf-8")  # fmt: skip
        assert (a.attachment_type, a.attachment_name) == ("application/pdf", "attachment.pdf")
        assert b.attachment_type == "text/plain"


def test_search_matches_note_and_quote_case_insensitively_with_swedish_letters(store):
    with session_scope(store) as s:
        ids = _seed(s)
    with session_scope(store) as s:

        def found(**kw):
            return [r.id for r in obs.search_observations(s, **kw)]

        assert found() == ids[::-1]  # newest first
        assert found(q="FAKTURAN") == [ids[0]]  # the note, other case
        assert found(q="årets") == [ids[0]]  # the quote, Å/å
        assert found(q="VÄNTADE") == [ids[2]]  # Ä/ä in the note
        assert found(q="väntade kön") == [ids[2]]  # every word
        assert found(q="väntade fakturan") == []
        assert found(q="customer number") == [ids[1]]
        assert found(q="100%") == [] and found(q="_") == []  # LIKE characters are literal
        assert found(q="flytt") == [ids[3], ids[0]]  # situation and note
        assert found(q="betala") == [ids[2], ids[0]]  # the step
        assert found(step="betala") == [ids[2], ids[0]]
        assert found(step="BETALA", situation="outage") == [ids[2]]
        assert found(situation="flytt", q="fakturan") == [ids[0]]
        assert found(need="Hitta fakturan") == [ids[0]]
        assert found(limit=2) == ids[::-1][:2]
        assert found(limit=2, offset=2) == ids[::-1][2:]
        assert found(q="å", limit=1, offset=1) == []  # only one with å/Å
        with pytest.raises(InputError, match="limit"):
            obs.search_observations(s, limit=0)
        with pytest.raises(InputError, match="offset"):
            obs.search_observations(s, offset=-1)


def test_search_with_swedish_letters_in_a_filter(store):
    with session_scope(store) as s:
        a = obs.add_observation(s, note="x", step="Återbetalning").id
        obs.add_observation(s, note="y", step="Avbetalning")
        assert [r.id for r in obs.search_observations(s, step="återbetalning")] == [a]
        assert [r.id for r in obs.search_observations(s, step="ÅTERBETALNING")] == [a]


def test_recent_observations_are_plain_dicts_for_the_dashboard(store):
    with session_scope(store) as s:
        ids = _seed(s)
        obs.add_observation(s, note="med bild", step="Betala", situation="outage",
                            attachment=PNG, attachment_type="image/png",
                            observed_at=datetime(2026, 11, 19))  # fmt: skip
    with session_scope(store) as s:
        rows = obs.recent_observations(s, step="Betala", situation="outage")
        assert rows[0]["id"] == ids[2]
        assert len(rows) == 2 and rows[1]["has_attachment"] is True
        assert set(rows[0]) == {"id", "note", "quote", "step", "situation", "need", "channel",
                                "observed_at", "created_by", "has_attachment"}  # fmt: skip
        assert rows[0]["observed_at"] == "2026-11-20T11:00:00Z"
        assert len(obs.recent_observations(s)) == 3  # the default limit
        assert obs.recent_observations(s, q="fakturan", limit=5)[0]["id"] == ids[0]
        assert obs.recent_observations(s, step="nowhere") == []


def test_choices_come_from_journey_events_the_taxonomy_and_earlier_observations(store):
    events = pd.DataFrame({
        "event_id": ["e1", "e2"], "customer_id": ["k1", "k1"], "journey_id": ["j1", "j1"],
        "step": ["Ansökan", "Betala"], "timestamp": ["2026-11-01T10:00", "2026-11-01T11:00"],
    })  # fmt: skip
    with session_scope(store) as s:
        import_events(s, events, source="events.csv")
        update_taxonomy(s, {"tags": [{"label": "outage", "name_en": "Power outage",
                                      "name_sv": "Strömavbrott"}],
                            "reason": ["invoice"]})  # fmt: skip
        obs.add_observation(s, note="x", step="Identify", situation="flytt", need="snabbt svar")
    with session_scope(store) as s:
        c = obs.choices(s, "sv")
        assert [x["value"] for x in c["steps"]] == ["Ansökan", "Betala", "Identify"]
        assert {"value": "outage", "name": "Strömavbrott"} in c["situations"]
        assert {"value": "flytt", "name": "flytt"} in c["situations"]
        assert "invoice" in [x["value"] for x in c["needs"]]
        assert "snabbt svar" in [x["value"] for x in c["needs"]]
        assert {"value": "outage", "name": "Power outage"} in obs.choices(s, "en")["situations"]


def test_turn_into_kano_adds_a_feature_to_a_new_draft_survey_named_after_the_step(store):
    with session_scope(store) as s:
        ids = _seed(s)
        done = obs.turn_into(s, ids[0], kind="kano", by="lead@x.se")
        survey_id, item_id = done.survey.id, done.item["id"]
        assert done.created_survey and done.survey.status == "draft"
        assert done.survey.title["en"] == "Kano features from observations: Betala"
        assert done.item == {"id": f"obs{ids[0]}", "label": {"sv": "hitta fakturan",
                                                             "en": "hitta fakturan"}}  # fmt: skip
        assert (
            done.questions["functional"]["en"]
            == "If the service has hitta fakturan, how do you feel?"
        )
        assert done.questions["dysfunctional"]["sv"].startswith(
            "Om tjänsten inte har hitta fakturan"
        )
        # a second observation at the same step goes to the same draft survey
        again = obs.turn_into(s, ids[2], kind="kano", text="a queue call-back")
        assert again.survey.id == survey_id and not again.created_survey
    with session_scope(store) as s:
        survey = s.get(Survey, survey_id)
        assert [it["id"] for it in survey.items] == [item_id, f"obs{ids[2]}"]
        assert survey.items[1]["label"]["en"] == "a queue call-back"
        assert s.get(Observation, ids[0]).turned_into == f"kano:{item_id}@survey {survey_id}"
        # the draft is not answerable yet
        with pytest.raises(InputError, match="closed"):
            survey_service.submit(s, survey, client_token="t1", lang="en",
                                  answers={f"{item_id}_functional": 1})  # fmt: skip


def test_turn_into_odi_writes_an_outcome_statement(store):
    with session_scope(store) as s:
        ids = _seed(s)
        done = obs.turn_into(s, ids[3], kind="odi")
        st = done.item["statement"]
        assert st["en"].startswith("Minimize the time it takes to chat bot did not understand")
        assert st["sv"].startswith("Minimera tiden det tar att chat bot")
        assert done.item["job"] == "flytta" and done.item["job_type"] == "functional"
        # a statement that already has a direction verb is kept as it is, in the given survey
        own = obs.turn_into(s, ids[1], kind="odi", survey_id=done.survey.id,
                            text="Minimize the number of times I repeat my number")  # fmt: skip
        assert own.survey.id == done.survey.id
        assert own.item["statement"]["en"] == "Minimize the number of times I repeat my number"
        # turning one observation twice keeps both and the item ids distinct
        twice = obs.turn_into(s, ids[3], kind="odi", survey_id=str(done.survey.id))
        assert twice.item["id"] == f"obs{ids[3]}_2"
        turned = s.get(Observation, ids[3]).turned_into
        assert turned == (f"odi:obs{ids[3]}@survey {done.survey.id}; "
                          f"odi:obs{ids[3]}_2@survey {done.survey.id}")  # fmt: skip
        assert len(s.get(Survey, done.survey.id).items) == 3


def test_turn_into_is_refused_on_a_published_or_closed_survey_and_on_bad_input(store):
    with session_scope(store) as s:
        ids = _seed(s)
        open_survey = survey_service.create_survey(
            s,
            {"kind": "kano", "title": "Live", "items": [{"id": "a", "label": "x"}]},
            created_by="a@x.se",
        )
        closed = survey_service.create_survey(
            s,
            {"kind": "odi", "title": "Old", "items": [{"id": "a", "statement": "Minimize x"}]},
            created_by="a@x.se",
        )
        closed.status = "closed"
        s.flush()
        cases = [
            (dict(kind="kano", survey_id=open_survey.id), "survey_id", "the survey is open"),
            (dict(kind="odi", survey_id=closed.id), "survey_id", "the survey is closed"),
            (dict(kind="odi", survey_id=open_survey.id), "survey_id", "not a odi survey"),
            (dict(kind="kano", survey_id=99999), "survey_id", "no survey"),
            (dict(kind="nps"), "kind", "unknown kind"),
            (dict(kind="kano", text="   "), "text", "must not be empty"),
        ]
        for kw, field, words in cases:
            with pytest.raises(InputError) as info:
                obs.turn_into(s, ids[0], **kw)
            assert info.value.field == field, kw
            assert words in str(info.value), (kw, str(info.value))
        with pytest.raises(InputError, match="no observation"):
            obs.turn_into(s, 424242, kind="kano")
        assert len(s.get(Survey, open_survey.id).items) == 1
        assert s.get(Observation, ids[0]).turned_into is None
