"""Kano model analysis: which features customers take for granted, which ones drive satisfaction
and which ones delight.

Public API: :data:`WORDINGS` (answer texts in Swedish and English), the evaluation tables
:data:`STANDARD_TABLE` and :data:`POULIOT_TABLE`, and the analysis functions.
"""

from __future__ import annotations

from kundfokus.kano.answers import ANSWER_KEYS, RECOGNISED, WORDINGS, answer_code, importance_value
from kundfokus.kano.tables import (
    CATEGORIES,
    EVALUATION_TABLES,
    POULIOT_TABLE,
    STANDARD_TABLE,
    classify,
)

__all__ = [
    "ANSWER_KEYS",
    "CATEGORIES",
    "EVALUATION_TABLES",
    "POULIOT_TABLE",
    "RECOGNISED",
    "STANDARD_TABLE",
    "WORDINGS",
    "answer_code",
    "classify",
    "importance_value",
]
