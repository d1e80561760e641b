"""Agreement statistics against published and independently computed values."""

from __future__ import annotations

import itertools

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.metrics import cohen_kappa_score

from kundfokus.contacts.agreement import (
    cohen_kappa,
    coincidences,
    krippendorff_alpha,
    per_label,
    reliability,
)
from kundfokus.errors import InputError

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, nominal values with missing data (None); the paper gives nominal alpha = 0.743.
K2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def _units(data: dict[str, list]) -> list[list]:
    n = len(next(iter(data.values())))
    return [[data[c][u] for c in data if data[c][u] is not None] for u in range(n)]


def _alpha_by_pairs(units: list[list]) -> float:
    """Independent computation: alpha = 1 - D_o / D_e with D_o the mean disagreement of the
    pairs within units (each unit's pairs weighted 1/(m_u - 1)) and D_e that of all pairs of
    pairable values regardless of unit (nominal: disagreement 1 when values differ)."""
    units = [u for u in units if len(u) >= 2]
    values = [v for u in units for v in u]
    n = len(values)
    d_o = (
        sum(sum(a != b for a, b in itertools.permutations(u, 2)) / (len(u) - 1) for u in units) / n
    )
    d_e = sum(a != b for a, b in itertools.permutations(values, 2)) / (n * (n - 1))
    return 1 - d_o / d_e


def test_krippendorff_2011_worked_example():
    units = _units(K2011)
    alpha = krippendorff_alpha(units)
    assert round(alpha, 3) == 0.743  # the published figure
    assert alpha == pytest.approx(_alpha_by_pairs(units), abs=1e-12)
    values, o = coincidences(units)
    assert values == [1, 2, 3, 4, 5]
    assert o.sum() == 40  # the paper's n: 40 pairable values (unit 12 has one value)
    assert np.allclose(o, o.T)
    assert o[0, 0] == pytest.approx(7.0) and o[1, 1] == pytest.approx(10.0)  # table in the paper


def test_alpha_edge_cases():
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) != krippendorff_alpha([["a", "b"]])
    assert np.isnan(krippendorff_alpha([["a", "a"], ["a", "a"]]))  # one label: undefined
    assert np.isnan(krippendorff_alpha([["a"], ["b"]]))  # nothing pairable
    assert krippendorff_alpha([["a", "a"], ["b", "b"]]) == pytest.approx(1.0)
    assert krippendorff_alpha([["a", "b"], ["b", "a"]]) < 0  # systematic disagreement


@pytest.mark.parametrize("seed", range(5))
def test_cohen_kappa_matches_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    a = rng.choice(list("xyz"), 60)
    b = np.where(rng.random(60) < 0.6, a, rng.choice(list("xyz"), 60))
    assert cohen_kappa(list(a), list(b)) == pytest.approx(cohen_kappa_score(a, b))


def test_cohen_kappa_leaves_out_missing_pairs_and_checks_lengths():
    assert cohen_kappa(["a", "b", None], ["a", "b", "a"]) == pytest.approx(1.0)
    with pytest.raises(InputError):
        cohen_kappa(["a"], ["a", "b"])


def test_per_label_specific_agreement_by_hand():
    # 2 raters; label a: both say a on 3 units, one says a on 2 -> 2*3 / (2*3 + 2) = 0.75
    units = [["a", "a"]] * 3 + [["a", "b"], ["b", "a"]] + [["b", "b"]] * 5
    rows = {r["label"]: r for r in per_label(units)}
    assert rows["a"]["agreement"] == pytest.approx(0.75)
    assert rows["b"]["agreement"] == pytest.approx(round(2 * 5 / (2 * 5 + 2), 4))
    assert rows["a"]["n"] == 5 and rows["b"]["n"] == 7
    first, second = [u[0] == "a" for u in units], [u[1] == "a" for u in units]
    assert rows["a"]["kappa"] == pytest.approx(round(cohen_kappa_score(first, second), 4))


def _long() -> pd.DataFrame:
    rows = [
        {"unit": u, "rater": c, "label": str(v)}
        for c, vals in K2011.items()
        for u, v in enumerate(vals)
        if v is not None
    ]
    return pd.DataFrame(rows)


def test_reliability_of_a_frame_from_every_engine(spark):
    df = _long()
    expected = reliability(df, unit="unit", rater="rater", label="label")
    assert round(expected["alpha"], 3) == 0.743 and expected["n_units"] == 11
    con = duckdb.connect()
    for frame in (pl.from_pandas(df), pl.from_pandas(df).lazy(), con.from_df(df),
                  spark.createDataFrame(df)):  # fmt: skip
        got = reliability(frame, unit="unit", rater="rater", label="label")
        assert got["n_units"] == expected["n_units"]
        assert got["alpha"] == pytest.approx(expected["alpha"])
        assert got["kappa"] == pytest.approx(expected["kappa"])
        assert got["per_label"] == expected["per_label"]
    with pytest.raises(InputError, match="no such column"):
        reliability(df, unit="unit", rater="coder", label="label")
