"""``on_invalid="raise" | "missing"`` is the one spelling; the keyword ``invalid=`` (before 0.2)
still works, with a DeprecationWarning, and gives the same result."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from kundfokus import scores
from kundfokus.errors import InputError

ANSWERS = pd.DataFrame(
    {
        "s": ["9", "", "x", "11", "8", "10", "3", "10", "7", "2", "9", "6"],
        "wave": ["a"] * 6 + ["b"] * 6,
        "id": [1, 2, 3, 4, 5, 6] * 2,
    }
)


@pytest.mark.parametrize(
    ("call", "scale"),
    [
        (scores.nps, None),
        (scores.csat, (0, 11)),
        (scores.ces, (0, 11)),
    ],
)
def test_old_keyword_invalid_warns_and_gives_the_same_table(call, scale) -> None:
    extra = {} if scale is None else {"scale": scale}
    frame = ANSWERS.assign(s=ANSWERS["s"].replace("11", "12"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the new spelling does not warn
        new = call(frame, "s", on_invalid="missing", min_n=1, **extra)
    with pytest.warns(DeprecationWarning, match="invalid= is deprecated") as record:
        old = call(frame, "s", invalid="missing", min_n=1, **extra)
    assert record[0].filename == __file__  # the warning points at the caller
    pd.testing.assert_frame_equal(old, new)
    assert int(new.loc[0, "n_invalid"]) == 2


def test_old_keyword_invalid_raise_still_raises() -> None:
    with pytest.warns(DeprecationWarning), pytest.raises(InputError) as old:
        scores.nps(ANSWERS, "s", invalid="raise")
    with pytest.raises(InputError) as new:
        scores.nps(ANSWERS, "s", on_invalid="raise")
    assert (old.value.row, old.value.value) == (new.value.row, new.value.value) == (3, "x")
    assert "on_invalid='missing'" in str(new.value)


def test_analyze_and_compare_paired_take_both_spellings() -> None:
    new = scores.analyze("nps", ANSWERS, "s", by="wave", on_invalid="missing", min_n=1)
    with pytest.warns(DeprecationWarning):
        old = scores.analyze("nps", ANSWERS, "s", by="wave", invalid="missing", min_n=1)
    pd.testing.assert_frame_equal(old.table, new.table)
    assert new.comparison is not None and int(new.table["n_invalid"].sum()) == 2
    pd.testing.assert_frame_equal(old.comparison, new.comparison)

    kwargs = dict(respondent="id", by="wave")
    paired = scores.compare_paired(ANSWERS, "s", on_invalid="missing", **kwargs)
    with pytest.warns(DeprecationWarning):
        paired_old = scores.compare_paired(ANSWERS, "s", invalid="missing", **kwargs)
    pd.testing.assert_frame_equal(paired_old, paired)
    assert int(paired.loc[0, "n_pairs"]) == 3  # respondents 1, 5 and 6 answered validly twice


def test_conflicting_or_unknown_values_are_errors() -> None:
    with pytest.warns(DeprecationWarning), pytest.raises(InputError, match="disagree"):
        scores.nps(ANSWERS, "s", on_invalid="missing", invalid="raise")
    with pytest.raises(InputError, match="'raise' or 'missing'"):
        scores.nps(ANSWERS, "s", on_invalid="ignore")  # type: ignore[arg-type]
