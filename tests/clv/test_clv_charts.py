"""CLV charts: specs carry the data and the labels in both languages, and render offline."""

from __future__ import annotations

import pandas as pd
import pytest

from kundfokus.clv import BetaGeo, GammaGamma, history_matrix, predict_customers
from kundfokus.clv.charts import (
    clv_histogram,
    cumulative_curve,
    expected_purchases_matrix,
    holdout_bars,
    probability_alive_matrix,
)
from kundfokus.errors import InputError
from kundfokus.reports import render_svg


@pytest.fixture(scope="module")
def model():
    m = BetaGeo()
    m.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    return m


def _values(spec):
    return [row for rows in spec["datasets"].values() for row in rows]


def test_matrices(model):
    grid = history_matrix(model, 38.86, max_frequency=5, recency_steps=10, t=39)
    assert len(grid) == 1 + 5 * 10
    spec = probability_alive_matrix(grid)
    assert spec["mark"]["type"] == "rect"
    rows = _values(spec)
    assert {r["frequency"] for r in rows} == set(range(6))
    # the longer since the last purchase, the less likely alive (fixed frequency)
    f3 = sorted((r["recency"], r["probability_alive"]) for r in rows if r["frequency"] == 3)
    assert f3[0][1] < f3[-1][1]
    sv = expected_purchases_matrix(grid, 39, lang="sv")
    assert "Förväntade köp" in sv["title"] and "veckor" in sv["title"]
    assert render_svg(spec).startswith("<svg")


def test_histogram_and_holdout_charts(model):
    gg = GammaGamma()
    gg.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    summary = pd.DataFrame(
        {
            "frequency": [0, 1, 3],
            "recency": [0.0, 10.0, 30.0],
            "T": [38.0] * 3,
            "monetary_value": [0, 20.0, 30.0],
        }
    )
    pred = predict_customers(summary, model, gg)
    spec = clv_histogram(pred, lang="sv")
    assert spec["encoding"]["x"]["bin"] and spec["title"] == "Fördelning av kundlivstidsvärde"
    table = pd.DataFrame(
        {
            "frequency": ["0", "1", "2+"],
            "customers": [3, 2, 1],
            "actual_mean": [0.1, 0.5, 2.0],
            "predicted_mean": [0.2, 0.4, 1.8],
        }
    )
    bars = holdout_bars(table)
    assert {r["series"] for r in _values(bars)} == {"Actual", "Model"}
    curve = pd.DataFrame(
        {
            "period": [1, 2, 3, 4],
            "calibration": [True, True, False, False],
            "cumulative_actual": [0, 2, 5, 7.0],
            "cumulative_predicted": [0.5, 2.2, 4.6, 7.4],
        }
    )
    spec = cumulative_curve(curve, lang="sv")
    rule = spec["layer"][1]
    assert rule["mark"]["type"] == "rule"
    assert any(r.get("period") == 2.0 and "series" not in r for r in _values(spec))
    assert render_svg(spec).startswith("<svg")
    with pytest.raises(InputError):
        clv_histogram(pd.DataFrame({"value": [1.0]}))
    with pytest.raises(ValueError):
        clv_histogram(pred, lang="de")
