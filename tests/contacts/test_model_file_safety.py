"""Loading a model file, or a model version from the store, runs no code from it."""

from __future__ import annotations

import json
import os
import pickle

import joblib
import pytest
import sklearn
import skops.io as sio

from kundfokus.contacts import persistence
from kundfokus.contacts.classifier import ContactClassifier
from kundfokus.contacts.persistence import (
    MAGIC,
    UntrustedModelError,
    load_model,
    read_metadata,
    save_model,
)
from kundfokus.errors import InputError

TEXTS = ["lost card", "card stolen", "new loan", "loan rate", "card blocked", "loan offer"]
LABELS = ["card", "card", "loan", "loan", "card", "loan"]


class _RunsCode:
    """Unpickling this writes the marker file: what a crafted pickle does."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _header(**kw) -> dict:
    return {
        "format": "kundfokus-model",
        "format_version": 1,
        "kundfokus_version": "0.1.0",
        "sklearn_version": sklearn.__version__,
        "estimator": "ContactClassifier",
        "metadata": {},
        **kw,
    }


@pytest.fixture(scope="module")
def model():
    return ContactClassifier(calibration_folds=0).fit(TEXTS, LABELS)


def test_a_crafted_pickle_header_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.kfmodel"
    path.write_bytes(MAGIC + pickle.dumps(_RunsCode(str(marker))))
    with pytest.raises(UntrustedModelError, match="pickle") as e:
        load_model(path)
    assert "--trust" in str(e.value) and "evil.kfmodel" in str(e.value)
    with pytest.raises(UntrustedModelError):
        read_metadata(path)
    assert not marker.exists()


def test_a_crafted_pickle_after_a_valid_old_header_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.kfmodel"
    path.write_bytes(MAGIC + pickle.dumps(_header()) + pickle.dumps(_RunsCode(str(marker))))
    with pytest.raises(UntrustedModelError):
        load_model(path)
    assert not marker.exists()


def test_a_skops_archive_asking_for_an_untrusted_type_is_refused_before_loading(tmp_path):
    marker = tmp_path / "pwned"
    header = {**_header(), "format_version": persistence.FORMAT_VERSION}
    # a function reference to os.system inside the archive: skops lists it as untrusted
    body = sio.dumps({"f": os.system, "arg": f"touch {marker}"})
    path = tmp_path / "evil.kfmodel"
    path.write_bytes(MAGIC + json.dumps(header).encode() + b"\n" + body)
    with pytest.raises(UntrustedModelError, match="system"):
        load_model(path)
    assert not marker.exists()


def test_a_file_written_now_has_no_pickle_in_it(model, tmp_path):
    path = save_model(model, tmp_path / "m.kfmodel")
    data = path.read_bytes()
    assert data.startswith(MAGIC)
    header_line = data[len(MAGIC) :].split(b"\n", 1)[0]
    assert json.loads(header_line)["format_version"] == 2
    back = load_model(path)
    assert back.predict(TEXTS).tolist() == model.predict(TEXTS).tolist()


def test_an_old_pickle_file_loads_only_when_trusted(model, tmp_path):
    path = tmp_path / "old.kfmodel"
    with open(path, "wb") as fh:  # exactly what kundfokus 0.1 wrote
        fh.write(MAGIC)
        fh.write(pickle.dumps(_header(metadata={"version": 1}), protocol=5))
        joblib.dump(model, fh, compress=3)
    with pytest.raises(UntrustedModelError):
        load_model(path)
    back = load_model(path, trust=True)
    assert back.predict(TEXTS).tolist() == model.predict(TEXTS).tolist()
    assert read_metadata(path, trust=True)["version"] == 1
    # re-saving gives a safe file
    new = save_model(back, tmp_path / "new.kfmodel")
    assert load_model(new).predict(TEXTS).tolist() == model.predict(TEXTS).tolist()


def test_a_crafted_model_version_in_the_store_runs_nothing(tmp_path):
    from kundfokus.services.review import load_version
    from kundfokus.store.models import ModelVersion

    marker = tmp_path / "pwned"
    mv = ModelVersion(blob=MAGIC + pickle.dumps(_RunsCode(str(marker))))
    with pytest.raises(UntrustedModelError):
        load_version(mv)
    assert not marker.exists()
    assert isinstance(UntrustedModelError("x"), InputError)  # the CLI exits 2 on it


def test_the_cli_refuses_an_old_pickle_without_trust(model, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "old.kfmodel"
    with open(path, "wb") as fh:
        fh.write(MAGIC)
        fh.write(pickle.dumps(_header(), protocol=5))
        joblib.dump(model, fh, compress=3)
    data = tmp_path / "c.csv"
    data.write_text("text,label\nlost card,card\nnew loan,loan\n", encoding="utf-8")
    exe = Path(sys.executable).parent / "kundfokus"
    args = [
        str(exe),
        "contacts",
        "evaluate",
        str(data),
        "--model",
        str(path),
        "--label-col",
        "label",
    ]
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "--trust" in res.stderr and "Traceback" not in res.stderr
    res = subprocess.run([*args, "--trust"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
