"""Kano model analysis: which features customers take for granted, which ones drive satisfaction
and which ones delight.

Public API: :data:`WORDINGS` (answer texts in Swedish and English), the evaluation tables
:data:`STANDARD_TABLE` and :data:`POULIOT_TABLE`, and the analysis functions.
"""

from __future__ import annotations

from kundfokus.kano.analysis import (
    FEATURE_COLUMNS,
    RULES,
    KanoResult,
    analyze,
    analyze_counts,
    labels_from_frame,
)
from kundfokus.kano.answers import ANSWER_KEYS, RECOGNISED, WORDINGS, answer_code, importance_value
from kundfokus.kano.priorities import CATEGORY_NAMES, priorities, sentence
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
    "CATEGORY_NAMES",
    "EVALUATION_TABLES",
    "FEATURE_COLUMNS",
    "POULIOT_TABLE",
    "RECOGNISED",
    "RULES",
    "STANDARD_TABLE",
    "WORDINGS",
    "KanoResult",
    "analyze",
    "analyze_counts",
    "answer_code",
    "classify",
    "importance_value",
    "labels_from_frame",
    "priorities",
    "sentence",
]
