"""Kaplan-Meier: hand computations, the plain median without censoring, honest censoring."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kundfokus.cpi import kaplan_meier, km_median, km_median_interval, survival_at


def test_curve_and_greenwood_match_a_hand_computation():
    # times 2, 3+, 4, 4, 6+, 7: at risk 6 at t=2 (1 event), 4 at t=4 (2 events), 1 at t=7 (1 event)
    km = kaplan_meier(np.array([2, 3, 4, 4, 6, 7.0]), np.array([1, 0, 1, 1, 0, 1], bool))
    assert km.times.tolist() == [2.0, 4.0, 7.0]
    assert km.at_risk.tolist() == [6, 4, 1]
    s1 = 5 / 6
    s2 = s1 * (2 / 4)
    assert np.allclose(km.survival, [s1, s2, 0.0])
    g2 = 1 / (6 * 5) + 2 / (4 * 2)
    assert math.isclose(km.greenwood[1], g2)
    assert math.isclose(km.se[1], s2 * math.sqrt(g2))
    assert km.n == 6 and km.n_censored == 2
    # S(4) = 0.4167 <= 0.5 first at t = 4
    assert km_median(km) == 4.0
    assert survival_at(km, 3.9) == s1 and survival_at(km, 1.0) == 1.0


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=60))
def test_without_censoring_the_km_median_is_the_plain_median(values):
    x = np.array(values, float)
    km = kaplan_meier(x, np.ones(x.size, bool))
    # "first time S falls to 0.5 or below" = the inverted-CDF median (the lower middle value)
    assert km_median(km) == float(np.quantile(x, 0.5, method="inverted_cdf"))
    if x.size % 2 == 1:
        assert km_median(km) == float(np.median(x))
    lo, hi = km_median_interval(km)
    assert math.isnan(hi) or lo <= km_median(km) <= hi


def test_long_open_journeys_make_the_median_larger_than_dropping_them():
    closed = np.array([1, 2, 3, 4, 5.0])
    open_ = np.array([20, 20, 20, 20.0])  # still open after 20 hours
    dropped = km_median(kaplan_meier(closed, np.ones(5, bool)))
    km = kaplan_meier(np.concatenate([closed, open_]), np.r_[np.ones(5, bool), np.zeros(4, bool)])
    honest = km_median(km)
    assert dropped == 3.0
    # at risk 9, 8, 7, 6, 5: S = 8/9, 7/9, 6/9, 5/9, 4/9 -> falls below 0.5 at t = 5
    assert honest == 5.0 > dropped
    # the share finished within 5 hours counts the open journeys in the denominator
    assert math.isclose(1 - survival_at(km, 5.0), 5 / 9)


def test_median_not_reached_when_most_journeys_are_open():
    km = kaplan_meier(np.array([1, 10, 10, 10.0]), np.array([1, 0, 0, 0], bool))
    assert math.isnan(km_median(km))
    assert math.isnan(km_median_interval(km)[1])


def test_interval_narrows_with_more_journeys_and_covers_the_median():
    rng = np.random.default_rng(3)
    widths = []
    for n in (50, 5000):
        x = rng.exponential(10, n)
        obs = rng.random(n) > 0.2
        km = kaplan_meier(x, obs)
        lo, hi = km_median_interval(km)
        assert lo <= km_median(km) <= hi
        widths.append(hi - lo)
    assert widths[1] < widths[0] / 4
