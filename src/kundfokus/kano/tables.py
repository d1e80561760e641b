"""Kano evaluation tables: which category an answer pair falls into.

Rows are the answer to the functional question ("if the product has X"), columns the answer to the
dysfunctional question ("if it does not have X"), both in code order 1 like, 2 must-be, 3 neutral,
4 live-with, 5 dislike. Categories: A attractive, O one-dimensional (performance), M must-be,
I indifferent, R reverse, Q questionable.
"""

from __future__ import annotations

__all__ = [
    "CATEGORIES",
    "EVALUATION_TABLES",
    "POULIOT_TABLE",
    "STANDARD_TABLE",
    "classify",
]

#: The six Kano categories in output order.
CATEGORIES: tuple[str, str, str, str, str, str] = ("A", "O", "M", "I", "R", "Q")

Row = tuple[str, str, str, str, str]

#: The standard evaluation table (Berger et al. 1993): ``STANDARD_TABLE[f - 1][d - 1]``.
STANDARD_TABLE: tuple[Row, Row, Row, Row, Row] = (
    ("Q", "A", "A", "A", "O"),
    ("R", "I", "I", "I", "M"),
    ("R", "I", "I", "I", "M"),
    ("R", "I", "I", "I", "M"),
    ("R", "R", "R", "R", "Q"),
)

#: Pouliot's stricter table (Berger et al. 1993, p. 33): as the standard one, but also
#: must-be/must-be and live-with/live-with are questionable.
POULIOT_TABLE: tuple[Row, Row, Row, Row, Row] = (
    ("Q", "A", "A", "A", "O"),
    ("R", "Q", "I", "I", "M"),
    ("R", "I", "I", "I", "M"),
    ("R", "I", "I", "Q", "M"),
    ("R", "R", "R", "R", "Q"),
)

EVALUATION_TABLES: dict[str, tuple[Row, Row, Row, Row, Row]] = {
    "standard": STANDARD_TABLE,
    "pouliot": POULIOT_TABLE,
}


def classify(functional: int, dysfunctional: int, table: str = "standard") -> str:
    """The Kano category of one answer pair (codes 1-5).

    Examples
    --------
    >>> classify(1, 5), classify(2, 5), classify(1, 3), classify(2, 2)
    ('O', 'M', 'A', 'I')
    >>> classify(2, 2, table="pouliot")
    'Q'
    """
    try:
        grid = EVALUATION_TABLES[table]
    except KeyError:
        raise ValueError(
            f"unknown evaluation table {table!r}; use one of {', '.join(EVALUATION_TABLES)}"
        ) from None
    if not (1 <= functional <= 5 and 1 <= dysfunctional <= 5):
        raise ValueError(f"answer codes must be 1-5, got {functional!r}, {dysfunctional!r}")
    return grid[functional - 1][dysfunctional - 1]
