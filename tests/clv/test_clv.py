"""CLV models against the published CDNOW figures (REFERENCES.md) and input checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kundfokus.clv import (
    BetaGeo,
    GammaGamma,
    ParetoNBD,
    aggregate_summary,
    customer_lifetime_value,
    predict_customers,
)
from kundfokus.errors import InputError

REL = 2e-3


@pytest.fixture(scope="module")
def cdnow(test_data):
    return pd.read_csv(test_data / "cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def cdnow_spend(test_data):
    return pd.read_csv(test_data / "cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def bgnbd(cdnow):
    return BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def pareto(cdnow):
    return ParetoNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def gamma_gamma(cdnow_spend):
    return GammaGamma().fit(cdnow_spend["x"], cdnow_spend["zbar"])


def test_bgnbd_reproduces_fader_hardie_lee_2005(bgnbd, cdnow):
    assert len(cdnow) == 2357
    expected = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for k, v in expected.items():
        assert bgnbd.params_[k] == pytest.approx(v, rel=REL), k
    assert bgnbd.log_likelihood_ == pytest.approx(-9582.4, abs=0.1)
    assert bgnbd.n_customers_ == 2357
    assert bgnbd.n_unique_rows_ < 2357


def test_bgnbd_conditional_expectation_of_published_customer(bgnbd):
    assert bgnbd.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-4)


def test_bgnbd_standard_errors_are_positive_and_match_lifetimes(bgnbd):
    se = bgnbd.standard_errors_
    # lifetimes' BetaGeoFitter.summary on the same data: 0.0126, 0.3782, 0.1857, 0.7053
    for k, v in {"r": 0.0126, "alpha": 0.3782, "a": 0.1857, "b": 0.7053}.items():
        assert se[k] == pytest.approx(v, rel=0.02), k
    table = bgnbd.summary()
    assert list(table.columns) == ["parameter", "estimate", "std_error", "lower_95", "upper_95"]
    assert (table["lower_95"] < table["estimate"]).all()


def test_bgnbd_probability_alive(bgnbd):
    assert bgnbd.probability_alive(0, 0, 38.86) == 1.0
    p = bgnbd.probability_alive([0, 2, 2], [0, 30.43, 5.0], [38.86] * 3)
    assert p[0] == 1.0
    assert 0 < p[2] < p[1] < 1  # long silence since the last purchase -> less likely alive


def test_pareto_nbd_reproduces_published_fit(pareto):
    expected = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    for k, v in expected.items():
        assert pareto.params_[k] == pytest.approx(v, rel=REL), k
    assert pareto.log_likelihood_ == pytest.approx(-9595.0, abs=0.1)
    assert all(np.isfinite(v) and v > 0 for v in pareto.standard_errors_.values())


def test_pareto_nbd_predictions_are_consistent(pareto):
    # P(alive) falls with the time since the last purchase; expectations grow with the horizon
    p = pareto.probability_alive([2, 2], [30.43, 5.0], [38.86, 38.86])
    assert 0 < p[1] < p[0] < 1
    e = pareto.expected_purchases([10, 39, 78], [2, 2, 2], [30.43] * 3, [38.86] * 3)
    assert np.all(np.diff(e) > 0)
    assert pareto.expected_purchases_new(0.0) == pytest.approx(0.0)
    # expected purchases of a new customer over 39 weeks ~ mean calibration frequency scale
    assert 0.5 < pareto.expected_purchases_new(39.0) < 2.0


def _pareto_likelihood_by_quadrature(r, alpha, s, beta, x, tx, T):
    """Pareto/NBD likelihood without the hypergeometric function: integrate lambda and mu out of
    the individual likelihood in closed form, leaving one integral over the death time tau."""
    from scipy import integrate
    from scipy.special import gammaln

    def g(c):  # E_lambda[lambda^x exp(-lambda c)]
        return np.exp(gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + c))

    alive = g(T) * (beta / (beta + T)) ** s
    dead, _ = integrate.quad(
        lambda tau: g(tau) * s * beta**s / (beta + tau) ** (s + 1), tx, T, epsabs=0, epsrel=1e-12
    )
    return alive + dead


@pytest.mark.parametrize(
    ("params", "data"),
    [
        ((0.8, 2.0, 1.3, 5.0), (1, 3.0, 7.0)),  # alpha < beta
        ((0.8, 5.0, 1.3, 2.0), (1, 3.0, 7.0)),  # alpha >= beta
        ((0.553, 10.578, 0.606, 11.669), (7, 30.0, 38.86)),
        ((0.553, 11.669, 0.606, 10.578), (0, 0.0, 38.86)),
        ((2.0, 3.0, 2.0, 3.0), (2, 10.0, 20.0)),  # alpha == beta
    ],
)
def test_pareto_likelihood_matches_quadrature(params, data):
    x, tx, T = data
    ll = ParetoNBD()._loglik_rows(np.array(params), np.array([x]), np.array([tx]), np.array([T]))
    assert ll[0] == pytest.approx(
        np.log(_pareto_likelihood_by_quadrature(*params, x, tx, T)), abs=1e-8
    )


def test_gamma_gamma_reproduces_note_025(gamma_gamma, cdnow_spend):
    assert int((cdnow_spend["x"] > 0).sum()) == 946
    assert gamma_gamma.n_customers_ == 946
    for k, v in {"p": 6.25, "q": 3.74, "gamma": 15.44}.items():
        assert gamma_gamma.params_[k] == pytest.approx(v, rel=REL), k
    assert gamma_gamma.log_likelihood_ == pytest.approx(-4055.92, abs=0.1)


def test_gamma_gamma_expected_spend_shrinks_to_population_mean(gamma_gamma):
    pop = gamma_gamma.population_mean_spend()
    assert gamma_gamma.expected_spend(0, 0) == pytest.approx(pop)
    few, many = gamma_gamma.expected_spend([1, 50], [100.0, 100.0])
    assert pop < few < many < 100.0


def test_weighted_fit_equals_fit_on_expanded_data(cdnow):
    agg = aggregate_summary(cdnow)
    assert agg["weight"].sum() == len(cdnow)
    weighted = BetaGeo().fit(agg["frequency"], agg["recency"], agg["T"], weights=agg["weight"])
    rows = agg.loc[agg.index.repeat(agg["weight"])]
    expanded = BetaGeo().fit(rows["frequency"], rows["recency"], rows["T"])
    for k in weighted.params_:
        assert weighted.params_[k] == pytest.approx(expanded.params_[k], rel=1e-6)
    assert weighted.log_likelihood_ == pytest.approx(expanded.log_likelihood_, rel=1e-9)


def test_weights_count_customers(cdnow):
    sub = cdnow.head(300)
    doubled = BetaGeo().fit(sub["frequency"], sub["recency"], sub["T"], weights=np.full(300, 2.0))
    concat = pd.concat([sub, sub])
    plain = BetaGeo().fit(concat["frequency"], concat["recency"], concat["T"])
    assert doubled.log_likelihood_ == pytest.approx(plain.log_likelihood_, rel=1e-9)


def test_log_likelihood_method_evaluates_other_parameters(bgnbd, cdnow):
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    ll = bgnbd.log_likelihood(published, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert ll <= bgnbd.log_likelihood_ + 1e-9
    assert ll == pytest.approx(-9582.4, abs=0.2)


@pytest.mark.parametrize(
    ("frequency", "recency", "T", "column", "row", "value"),
    [
        ([1, -1], [2.0, 0.0], [5.0, 5.0], "frequency", 2, -1.0),
        ([1, 1.5], [2.0, 2.0], [5.0, 5.0], "frequency", 2, 1.5),
        ([1, 2, 1], [2.0, 6.0, 1.0], [5.0, 5.0, 5.0], "recency", 2, 6.0),
        ([0, 3], [0.0, 0.0], [5.0, 5.0], "recency", 2, 0.0),
        ([0, 0], [0.0, 1.0], [5.0, 5.0], "recency", 2, 1.0),
        ([1, 1], [2.0, 2.0], [5.0, -1.0], "T", 2, -1.0),
        ([1, None], [2.0, 2.0], [5.0, 5.0], "frequency", 2, None),
        ([1, "x"], [2.0, 2.0], [5.0, 5.0], "frequency", 2, "x"),
    ],
)
def test_bad_summary_names_row_column_value(frequency, recency, T, column, row, value):
    with pytest.raises(InputError) as info:
        BetaGeo().fit(frequency, recency, T)
    err = info.value
    assert err.column == column
    assert err.row == row
    if value is not None:
        assert err.value == value
    with pytest.raises(InputError):
        ParetoNBD().fit(frequency, recency, T)


def test_bad_weights_and_spend():
    with pytest.raises(InputError) as info:
        BetaGeo().fit([1, 0], [2.0, 0.0], [5.0, 5.0], weights=[1, -2])
    assert (info.value.column, info.value.row, info.value.value) == ("weights", 2, -2.0)
    with pytest.raises(InputError) as info:
        GammaGamma().fit([1, 2, 0], [10.0, -5.0, 0.0])
    assert (info.value.column, info.value.row, info.value.value) == ("monetary_value", 2, -5.0)
    with pytest.raises(InputError, match="nothing to fit"):
        GammaGamma().fit([0, 0], [0.0, 0.0])


def test_predictions_need_a_fit():
    with pytest.raises(RuntimeError, match="not fitted"):
        BetaGeo().probability_alive(0, 0, 1)


def test_clv_discounting_and_margin(bgnbd, gamma_gamma):
    args = ([2, 0], [30.43, 0.0], [38.86, 38.86], [22.35, 0.0])
    base = customer_lifetime_value(bgnbd, gamma_gamma, *args, months=12, discount_rate=0.0)
    # without discounting CLV = expected purchases over 12 months x expected spend
    per = 365.25 / 12 / 7
    purchases = bgnbd.expected_purchases(12 * per, *args[:3])
    spend = gamma_gamma.expected_spend(args[0], args[3])
    np.testing.assert_allclose(base, purchases * spend, rtol=1e-12)
    margin = customer_lifetime_value(
        bgnbd, gamma_gamma, *args, months=12, discount_rate=0.0, margin=0.3
    )
    np.testing.assert_allclose(margin, 0.3 * base)
    discounted = customer_lifetime_value(bgnbd, gamma_gamma, *args, months=12, discount_rate=0.01)
    assert np.all(discounted < base) and np.all(discounted > base / 1.01**12)
    with pytest.raises(InputError):
        customer_lifetime_value(bgnbd, gamma_gamma, *args, margin=1.5)


def test_clv_matches_a_hand_computed_month_sum(bgnbd, gamma_gamma):
    per = 365.25 / 12 / 7
    x, tx, T, m = 3, 20.0, 38.0, 30.0
    spend = gamma_gamma.expected_spend(x, m)
    total = 0.0
    for i in range(1, 4):
        step = bgnbd.expected_purchases(i * per, x, tx, T) - bgnbd.expected_purchases(
            (i - 1) * per, x, tx, T
        )
        total += step * spend * 0.5 / 1.02**i
    got = customer_lifetime_value(
        bgnbd, gamma_gamma, [x], [tx], [T], [m], months=3, discount_rate=0.02, margin=0.5
    )
    assert got[0] == pytest.approx(total, rel=1e-12)


def test_predict_customers_frame(bgnbd, gamma_gamma, cdnow_spend):
    summary = cdnow_spend.rename(
        columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"}
    )
    out = predict_customers(
        summary.head(50), bgnbd, gamma_gamma, months=6, margin=0.3, customer="ID"
    )
    assert list(out.columns) == [
        "ID",
        "frequency",
        "recency",
        "T",
        "probability_alive",
        "expected_purchases",
        "monetary_value",
        "expected_spend",
        "clv",
    ]
    assert out["probability_alive"].between(0, 1).all()
    assert (out["clv"] > 0).all()
    assert (out.loc[out["frequency"] == 0, "probability_alive"] == 1.0).all()


@pytest.mark.parametrize(
    ("model", "params", "data"),
    [
        (
            BetaGeo(),
            np.array([0.3, 4.0, 0.8, 2.5]),
            (np.array([0.0, 1.0, 5.0]), np.array([0.0, 3.0, 20.0]), np.array([30.0, 30.0, 30.0])),
        ),
        (GammaGamma(), np.array([6.0, 3.5, 15.0]), (np.array([1.0, 4.0]), np.array([20.0, 35.5]))),
    ],
)
def test_analytic_gradients_match_finite_differences(model, params, data):
    grad = model._grad_rows(params, *data)
    for i in range(len(params)):
        h = 1e-6 * params[i]
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        numeric = (model._loglik_rows(up, *data) - model._loglik_rows(down, *data)) / (2 * h)
        np.testing.assert_allclose(grad[i], numeric, rtol=1e-6, atol=1e-8)
