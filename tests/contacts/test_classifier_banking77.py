"""A small real sample of BANKING77 (10 intents; 20 training and 10 test queries each).

The accuracy floors were measured with this sample and the default model (see the comments)
and sit a little below the measured values, so a real regression fails the test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kundfokus.contacts.classifier import ContactClassifier
from kundfokus.contacts.evaluation import evaluate
from kundfokus.contacts.taxonomies import banking77_purpose

# measured with the default model (LR C=30, word block 0.5) on this sample: accuracy 0.83,
# macro F1 0.825, purpose-type accuracy 0.92
ACCURACY_FLOOR = 0.80
MACRO_F1_FLOOR = 0.79
PURPOSE_FLOOR = 0.88


@pytest.fixture(scope="module")
def sample(test_data) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = pd.read_csv(test_data / "banking77_sample.csv")
    return df[df["split"] == "train"], df[df["split"] == "test"]


def test_sample_shape(sample):
    train, test = sample
    assert len(train) == 200 and len(test) == 100
    assert train["category"].value_counts().eq(20).all()
    assert test["category"].value_counts().eq(10).all()


def test_intent_accuracy_floor(sample):
    train, test = sample
    clf = ContactClassifier(axis="reason").fit(train["text"], train["category"])
    pred = clf.predict(test["text"])
    ev = evaluate(
        test["category"], pred, proba=clf.predict_proba(test["text"]), classes=clf.classes_
    )
    assert ev.accuracy >= ACCURACY_FLOOR
    assert ev.macro_f1 >= MACRO_F1_FLOOR
    assert ev.ece < 0.25


def test_purpose_type_through_mapping(sample):
    train, test = sample
    mapping = banking77_purpose()
    clf = ContactClassifier(axis="purpose_type").fit(train["text"], train["category"].map(mapping))
    acc = clf.score(test["text"], test["category"].map(mapping))
    assert acc >= PURPOSE_FLOOR
