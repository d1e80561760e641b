"""The examples in docs/kano.md run and print what the page says."""

from __future__ import annotations

import doctest
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "kano.md"


def test_docs_examples_run() -> None:
    result = doctest.testfile(
        str(DOC), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted >= 5
    assert result.failed == 0


def test_docs_cover_every_output_column() -> None:
    from kundfokus.kano import FEATURE_COLUMNS

    text = DOC.read_text(encoding="utf-8")
    for column in FEATURE_COLUMNS:
        stem = column.removesuffix("_se")
        assert f"`{column}`" in text or f"`{stem}`" in text or column.startswith("share_"), column
    assert "Svensk sammanfattning" in text
