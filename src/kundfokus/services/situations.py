"""Situations from the stored contacts: the store's situation features, clustered by the method."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kundfokus.contacts.situations import SituationResult, situations
from kundfokus.store.repositories import situations_frame


def stored_situations(session: Session, **options: Any) -> SituationResult:
    """Cluster the stored contacts into situations (options as :func:`~kundfokus.contacts.situations.situations`)."""
    return situations(situations_frame(session), **options)
