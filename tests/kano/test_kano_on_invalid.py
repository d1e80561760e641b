"""``on_invalid="raise" | "missing"`` is the one spelling; ``"error"`` (before 0.2) still works."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from kundfokus.errors import InputError
from kundfokus.kano import analyze


def _answers(bad: str | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "F1_functional": ["I like it", "I expect it", "I like it", "I am neutral"],
            "F1_dysfunctional": ["I dislike it", "I dislike it", "I am neutral", "I dislike it"],
        }
    )
    if bad is not None:
        frame.loc[2, "F1_dysfunctional"] = bad
    return frame


def test_raise_is_the_default_and_names_the_value() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the new spelling does not warn
        with pytest.raises(InputError) as default:
            analyze(_answers("maybe"))
        with pytest.raises(InputError) as explicit:
            analyze(_answers("maybe"), on_invalid="raise")
    for err in (default.value, explicit.value):
        assert (err.row, err.column, err.value) == (3, "F1_dysfunctional", "maybe")


def test_old_value_error_warns_and_still_raises() -> None:
    deprecated = pytest.warns(DeprecationWarning, match="on_invalid='error' is deprecated")
    with deprecated as record, pytest.raises(InputError) as old:
        analyze(_answers("maybe"), on_invalid="error")
    assert (old.value.row, old.value.column, old.value.value) == (3, "F1_dysfunctional", "maybe")
    assert record[0].filename == __file__  # the warning points at the caller


def test_old_value_error_gives_the_same_result_on_clean_answers() -> None:
    new = analyze(_answers(), on_invalid="raise")
    with pytest.warns(DeprecationWarning):
        old = analyze(_answers(), on_invalid="error")
    pd.testing.assert_frame_equal(old.features, new.features)


def test_missing_and_unknown_values() -> None:
    res = analyze(_answers("maybe"), on_invalid="missing")
    assert res.invalid.set_index("column").loc["F1_dysfunctional", "count"] == 1
    assert int(res.features.loc[0, "n"]) == 3
    with pytest.raises(InputError, match="'raise' or 'missing'"):
        analyze(_answers(), on_invalid="ignore")  # type: ignore[arg-type]
