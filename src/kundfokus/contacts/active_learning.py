"""Which contacts a person should look at first: uncertainty, rules/model disagreement and
diversity, scored on plain frames (no store). The store-backed queue is
:func:`kundfokus.services.review.review_queue`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kundfokus.errors import InputError

MEASURES = ("margin", "least_confident", "entropy")
TOP_K = 5


@dataclass(frozen=True)
class QueueWeights:
    """Weights of the review-queue score (see the module docstring).

    Examples
    --------
    >>> QueueWeights(diversity=0.0)
    QueueWeights(uncertainty=1.0, disagreement=0.5, diversity=0.0)
    """

    uncertainty: float = 1.0
    disagreement: float = 0.5
    diversity: float = 0.5


# ---------------------------------------------------------------------------------------------
# pure scoring


def uncertainty(
    scores: Mapping[str, float] | None,
    confidence: float | None,
    *,
    measure: str = "margin",
    n_classes: int | None = None,
) -> float:
    """Uncertainty (0 = sure, 1 = no idea) of one guess.

    Parameters
    ----------
    scores:
        The top class probabilities of a model guess (label -> probability), possibly only the
        top few; ``None`` or empty for a rule guess.
    confidence:
        The confidence of the guess (used when there are no ``scores``); ``None`` when there is
        no guess at all (uncertainty 1).
    measure:
        ``margin`` (1 - (p1 - p2)), ``least_confident`` (1 - p1) or ``entropy`` (entropy divided
        by its maximum, log of the number of classes; probability mass not in ``scores`` is
        treated as one more outcome).
    n_classes:
        Number of classes of the model (for ``entropy``); defaults to the number of scores.

    Returns
    -------
    float

    Examples
    --------
    >>> uncertainty({"a": 0.5, "b": 0.4, "c": 0.1}, 0.5)
    0.9
    >>> uncertainty({"a": 0.5, "b": 0.4, "c": 0.1}, 0.5, measure="least_confident")
    0.5
    >>> round(uncertainty({"a": 0.5, "b": 0.5}, 0.5, measure="entropy"), 6)
    1.0
    >>> uncertainty(None, 0.8)
    0.2
    >>> uncertainty(None, None)
    1.0
    """
    if measure not in MEASURES:
        raise InputError("unknown uncertainty measure", value=measure, hint=", ".join(MEASURES))
    if not scores:
        return 1.0 if confidence is None else round(min(1.0, max(0.0, 1.0 - confidence)), 12)
    p = sorted((float(v) for v in scores.values()), reverse=True)
    if measure == "least_confident":
        return round(1.0 - p[0], 12)
    if measure == "margin":
        second = p[1] if len(p) > 1 else max(0.0, 1.0 - p[0])
        return round(1.0 - (p[0] - second), 12)
    rest = max(0.0, 1.0 - sum(p))
    probs = [x for x in [*p, rest] if x > 0]
    k = max(n_classes or len(p), 2)
    return float(-sum(x * math.log(x) for x in probs) / math.log(k))


def rank_for_review(
    candidates: pd.DataFrame,
    *,
    limit: int = 20,
    weights: QueueWeights = QueueWeights(),
    pool: int = 1000,
) -> pd.DataFrame:
    """Pick ``limit`` contacts greedily by score, penalising similarity to those already picked.

    Parameters
    ----------
    candidates:
        One row per contact with ``contact_id``, ``text``, ``uncertainty`` and ``disagreement``
        (both 0..1); other columns are carried along.
    limit:
        How many to pick.
    weights:
        The score weights.
    pool:
        Only the ``pool`` best by uncertainty and disagreement are considered for the diversity
        step (keeps the TF-IDF step small on big stores).

    Returns
    -------
    pandas.DataFrame
        The picked rows in queue order with ``rank`` (1 = first), ``base_score`` (without the
        diversity term), ``similarity`` (to the most similar contact picked before it) and
        ``score``.

    Examples
    --------
    >>> c = pd.DataFrame({"contact_id": [1, 2, 3],
    ...                   "text": ["my card was stolen", "my card was stolen!", "I moved house"],
    ...                   "uncertainty": [0.9, 0.9, 0.6], "disagreement": [0.0, 0.0, 0.0]})
    >>> rank_for_review(c, limit=2, weights=QueueWeights(diversity=1.0))["contact_id"].tolist()
    [1, 3]
    >>> rank_for_review(c, limit=2, weights=QueueWeights(diversity=0.0))["contact_id"].tolist()
    [1, 2]
    """
    if limit < 1:
        raise InputError("the queue limit must be at least 1", column="limit", value=limit)
    cols = [*candidates.columns, "base_score", "similarity", "score", "rank"]
    if candidates.empty:
        return pd.DataFrame(columns=cols)
    df = candidates.copy()
    df["base_score"] = weights.uncertainty * df["uncertainty"].astype(
        float
    ) + weights.disagreement * df["disagreement"].astype(float)
    df = df.sort_values(["base_score", "contact_id"], ascending=[False, True], kind="stable")
    df = df.head(max(pool, limit)).reset_index(drop=True)
    n = len(df)
    sims = _similarity_matrix(df["text"].astype(str).tolist()) if weights.diversity else None
    base = df["base_score"].to_numpy(dtype=float)
    max_sim = np.zeros(n)
    chosen: list[int] = []
    chosen_sim: list[float] = []
    available = np.ones(n, dtype=bool)
    for _ in range(min(limit, n)):
        score = base - weights.diversity * max_sim
        score = np.where(available, score, -np.inf)
        best = int(np.argmax(score))  # ties: the earlier (already sorted) row wins
        chosen.append(best)
        chosen_sim.append(float(max_sim[best]))
        available[best] = False
        if sims is not None:
            max_sim = np.maximum(max_sim, sims[best])
    out = df.iloc[chosen].copy()
    out["similarity"] = chosen_sim
    out["score"] = out["base_score"] - weights.diversity * out["similarity"]
    out["rank"] = range(1, len(out) + 1)
    return out.reset_index(drop=True)[cols]


def _similarity_matrix(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
    try:
        x = vec.fit_transform(texts)
    except ValueError:  # only empty texts
        return np.zeros((len(texts), len(texts)))
    sims = (x @ x.T).toarray()
    return np.clip(sims, 0.0, 1.0)


_WHY = {
    "none": {"en": "{axis}: no guess yet", "sv": "{axis}: ingen gissning än"},
    "unsure_model": {
        "en": "{axis}: model unsure about '{label}' (confidence {conf:.2f}, margin {margin:.2f})",
        "sv": "{axis}: modellen är osäker på '{label}' (säkerhet {conf:.2f}, marginal {margin:.2f})",
    },
    "unsure_tags": {
        "en": "{axis}: model unsure about '{label}' (confidence {conf:.2f})",
        "sv": "{axis}: modellen är osäker på '{label}' (säkerhet {conf:.2f})",
    },
    "unsure_rules": {
        "en": "{axis}: rules unsure about '{label}' (confidence {conf:.2f})",
        "sv": "{axis}: reglerna är osäkra på '{label}' (säkerhet {conf:.2f})",
    },
    "disagree": {
        "en": "{axis}: rules say '{rules}', model says '{model}'",
        "sv": "{axis}: reglerna säger '{rules}', modellen säger '{model}'",
    },
    "similar": {
        "en": "similar to a contact higher in the queue ({sim:.2f})",
        "sv": "liknar en kontakt högre upp i kön ({sim:.2f})",
    },
}
