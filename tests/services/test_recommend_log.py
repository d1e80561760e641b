"""The recommendation log on SQLite and PostgreSQL: propensities, overrides, outcomes."""

from __future__ import annotations

import pandas as pd
import pytest

from kundfokus.errors import InputError
from kundfokus.services.recommend_log import (
    combine_history,
    load_log,
    log_outcome,
    log_override,
    log_recommendations,
)
from kundfokus.store.db import session_scope
from kundfokus.store.testing import BACKENDS, temporary_store

PROBS = {"callback": 0.9, "chat": 0.05, "guide": 0.05}


def _rows():
    return [
        {"case_id": "K1", "customer_id": "C1", "urgency": "urgent", "recommended": "callback",
         "propensity": 0.9, "probabilities": PROBS},
        {"case_id": "K2", "customer_id": "C2", "urgency": "calm", "recommended": "chat",
         "propensity": 0.05, "probabilities": PROBS},
    ]  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
def test_log_override_outcome_and_load(backend, tmp_path):
    with temporary_store(backend, tmp_path) as url:
        with session_scope(url) as s:
            assert log_recommendations(s, _rows(), model="m.json", situation=["urgency"]) == 2
        with session_scope(url) as s:
            row = log_override(s, "K1", "guide", reason="customer prefers self-service", who="a7")
            assert row.override and row.chosen_propensity == pytest.approx(0.05)
            log_outcome(s, "K1", 1.0)
            log_outcome(s, "K2", 0.0)
        with session_scope(url) as s:
            log = load_log(s)
        assert log["case_id"].tolist() == ["K1", "K2"]
        k1, k2 = log.iloc[0], log.iloc[1]
        assert k1["action"] == "guide" and bool(k1["override"])
        assert pd.isna(k1["propensity"])  # a human choice: its probability is estimated later
        assert k1["override_reason"] == "customer prefers self-service"
        assert k2["action"] == "chat" and k2["propensity"] == pytest.approx(0.05)
        assert k1["urgency"] == "urgent" and "_policy" not in log.columns


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_log_calls(backend, tmp_path):
    with temporary_store(backend, tmp_path) as url:
        with pytest.raises(InputError, match="propensity") as err, session_scope(url) as s:
            log_recommendations(s, [{"recommended": "chat", "propensity": 0}])
        assert err.value.row == 1
        with session_scope(url) as s:
            log_recommendations(s, _rows(), situation=["urgency"])
        with pytest.raises(InputError, match="no recommendation") as err, session_scope(url) as s:
            log_override(s, "nope", "chat")
        assert err.value.value == "nope"
        with pytest.raises(InputError, match="does not know") as err, session_scope(url) as s:
            log_override(s, "K1", "fax")
        assert err.value.value == "fax"
        with pytest.raises(InputError, match="number"), session_scope(url) as s:
            log_outcome(s, "K1", "good")
        with session_scope(url) as s:
            assert load_log(s).empty  # nothing half-written, no outcomes yet


def test_combine_history_adds_logged_rows():
    hist = pd.DataFrame({"urgency": ["calm"], "mode": ["chat"], "solved": [1]})
    log = pd.DataFrame({"urgency": ["urgent"], "action": ["guide"], "outcome": [0.0],
                        "propensity": [0.05]})  # fmt: skip
    out, pcol = combine_history(hist, log, columns=["urgency"], action="mode", outcome="solved",
                                propensity=None)  # fmt: skip
    assert pcol == "_kf_propensity"
    assert out["mode"].tolist() == ["chat", "guide"]
    assert pd.isna(out[pcol].iloc[0]) and out[pcol].iloc[1] == pytest.approx(0.05)
    with pytest.raises(InputError, match="situation column") as err:
        combine_history(hist, log.drop(columns="urgency"), columns=["urgency"], action="mode",
                        outcome="solved", propensity=None)  # fmt: skip
    assert err.value.column == "urgency"
