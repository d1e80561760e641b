"""Deprecated: the review loop is a service now, :mod:`kundfokus.services.review`; the pure queue
scoring is :mod:`kundfokus.contacts.active_learning`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.contacts.active_learning import (  # noqa: F401
    MEASURES,
    TOP_K,
    QueueWeights,
    rank_for_review,
    uncertainty,
)
from kundfokus.services.review import *  # noqa: F403
from kundfokus.services.review import load_version  # noqa: F401

moved("kundfokus.contacts.review", "kundfokus.services.review")
