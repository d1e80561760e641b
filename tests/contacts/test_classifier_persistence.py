"""Model files: round trip, metadata, and clear errors for incompatible files."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn

from kundfokus.contacts import persistence
from kundfokus.contacts.classifier import ContactClassifier
from kundfokus.contacts.persistence import (
    IncompatibleModelError,
    build_metadata,
    load_model,
    read_metadata,
    save_model,
    training_fingerprint,
)
from kundfokus.errors import InputError

TEXTS = [
    "card lost",
    "lost my card",
    "card stolen",
    "kortet borta",
    "loan rate",
    "interest on loan",
    "lånets ränta",
    "ränta på lån",
]
LABELS = ["card"] * 4 + ["loan"] * 4


@pytest.fixture(scope="module")
def model():
    return ContactClassifier(axis="reason", calibration_folds=2).fit(TEXTS, LABELS)


def test_round_trip_same_predictions_and_metadata(model, tmp_path):
    meta = build_metadata(model, TEXTS, LABELS, version=7)
    path = save_model(model, tmp_path / "sub" / "reason.kfmodel", metadata=meta)
    assert path.exists() and not list(path.parent.glob("*.tmp*"))
    back = load_model(path)
    assert type(back) is ContactClassifier
    np.testing.assert_allclose(back.predict_proba(TEXTS), model.predict_proba(TEXTS))
    assert back.predict(["lost card"]).tolist() == ["card"]
    m = read_metadata(path)
    assert m["axis"] == "reason" and m["classes"] == ["card", "loan"]
    assert m["version"] == 7 and m["training_size"] == 8
    assert m["label_counts"] == {"card": 4, "loan": 4}
    assert m["training_fingerprint"] == training_fingerprint(TEXTS, LABELS)
    assert (
        m["sklearn_version"] == sklearn.__version__
        and m["format_version"] == persistence.FORMAT_VERSION == 2
    )
    assert "oof_accuracy" in m["evaluation"] and m["created_at"].endswith("+00:00")
    assert m["params"]["axis"] == "reason"


def test_fingerprint_depends_on_rows_not_order():
    a = training_fingerprint(TEXTS, LABELS)
    assert a == training_fingerprint(TEXTS[::-1], LABELS[::-1])
    assert a != training_fingerprint(TEXTS, LABELS[::-1])
    assert a != training_fingerprint(TEXTS[:-1], LABELS[:-1])


def test_other_sklearn_version_is_refused(model, tmp_path, monkeypatch):
    path = tmp_path / "old.kfmodel"
    monkeypatch.setattr(persistence.sklearn, "__version__", "1.2.0")
    save_model(model, path)
    monkeypatch.undo()
    with pytest.raises(IncompatibleModelError) as e:
        load_model(path)
    msg = str(e.value)
    assert "scikit-learn 1.2.0" in msg and sklearn.__version__ in msg and "old.kfmodel" in msg
    assert isinstance(e.value, InputError)  # the CLI turns it into exit status 2
    # metadata stays readable without unpickling the model
    assert read_metadata(path)["sklearn_version"] == "1.2.0"


def test_other_format_version_is_refused(model, tmp_path, monkeypatch):
    path = tmp_path / "future.kfmodel"
    monkeypatch.setattr(persistence, "FORMAT_VERSION", 99)
    save_model(model, path)
    monkeypatch.undo()
    with pytest.raises(IncompatibleModelError, match="format 99"):
        load_model(path)


def test_not_a_model_and_missing_file(tmp_path):
    junk = tmp_path / "junk.kfmodel"
    junk.write_bytes(b"hello world")
    with pytest.raises(IncompatibleModelError, match="not a kundfokus model"):
        load_model(junk)
    with pytest.raises(InputError, match="no such model file"):
        load_model(tmp_path / "missing.kfmodel")


def test_failed_save_leaves_no_file(model, tmp_path):
    path = tmp_path / "m.kfmodel"
    with pytest.raises(InputError):
        save_model(model, path, metadata={"bad": lambda x: x})
    assert not path.exists() and not list(tmp_path.iterdir())
