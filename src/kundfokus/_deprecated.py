"""Old import paths kept for one release (0.2): each warns once and points to the new place."""

from __future__ import annotations

import warnings


def moved(old: str, new: str) -> None:
    """Warn that module ``old`` moved to ``new`` (a :class:`DeprecationWarning`)."""
    warnings.warn(
        f"{old} is deprecated and will be removed after 0.2; import {new} instead",
        DeprecationWarning,
        stacklevel=3,
    )
