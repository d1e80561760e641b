"""The labels of each axis (the taxonomy): read it, or add and update labels from a mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.store.repositories import set_taxonomy, taxonomy


def update_taxonomy(session: Session, data: Any, *, who: str | None = None) -> int:
    """Add or update labels from ``{axis: [label, or {label, name_en, name_sv, description}]}``.

    Returns the number of labels given. Nothing is written when any entry is wrong (the caller's
    transaction is rolled back by the error).
    """
    if not isinstance(data, Mapping):
        raise InputError("expected a mapping of axis -> list of labels")
    n = 0
    for ax, entries in data.items():
        if not isinstance(entries, list):
            raise InputError("expected a list of labels", column=str(ax))
        items = [e if isinstance(e, dict) else {"label": e} for e in entries]
        set_taxonomy(session, str(ax), items, who=who)
        n += len(items)
    return n


def show_taxonomy(session: Session, axis: str | None = None) -> pd.DataFrame:
    """The taxonomy as a table (one row per label), for one axis or all."""
    return taxonomy(session, axis)
