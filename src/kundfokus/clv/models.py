"""BG/NBD, Pareto/NBD and Gamma-Gamma models of customer purchasing and spend.

The purchase models describe a non-contractual customer base (customers can leave without telling):
while "alive" a customer buys at a Poisson rate that varies across customers (gamma, shape ``r``,
rate ``alpha``); the models differ in how customers drop out. The Gamma-Gamma model describes how
much a customer spends per purchase occasion.

All three are fitted by maximum likelihood (see :mod:`kundfokus.clv.base`) on the per-customer
summary built by :func:`kundfokus.clv.summary_from_transactions`: ``frequency`` (number of repeat
purchase occasions), ``recency`` (time of the last purchase, counted from the first) and ``T`` (time
from the first purchase to the end of the calibration period), in one time unit (days or weeks).

Sources: Fader, Hardie & Lee (2005) "Counting your customers the easy way: an alternative to the
Pareto/NBD model", Marketing Science 24(2); Schmittlein, Morrison & Colombo (1987) "Counting your
customers: who are they and what will they do next?", Management Science 33(1); Fader & Hardie
(2005) note 008 "A note on deriving the Pareto/NBD model and related expressions"; Fader & Hardie
(2013) note 025 "The Gamma-Gamma model of monetary value".
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1, logsumexp

from kundfokus.clv._validate import (
    as_float_array,
    check_horizon,
    check_rfm,
    check_same_length,
    check_weights,
    first_bad,
)
from kundfokus.clv.base import FittedModel, scalar_or_array
from kundfokus.errors import InputError

__all__ = ["BetaGeo", "GammaGamma", "ParetoNBD"]


class _PurchaseModel(FittedModel):
    """Shared part of BG/NBD and Pareto/NBD: input checks and the fit signature."""

    def _check_data(self, *data: Any) -> tuple[np.ndarray, ...]:
        return check_rfm(*data)

    def fit(self, frequency: Any, recency: Any, T: Any, weights: Any = None) -> Self:
        """Fit the model by maximum likelihood.

        Parameters
        ----------
        frequency, recency, T : array-like
            The per-customer summary (number of repeat purchase occasions, time of the last
            purchase since the first, time from the first purchase to the end of the calibration
            period), all times in one unit.
        weights : array-like, optional
            How many customers each row stands for (for a summary already collapsed to unique
            rows). Defaults to 1 per row.

        Returns
        -------
        self
        """
        x, tx, t = check_rfm(frequency, recency, T)
        w = check_weights(weights, len(x))
        self._fit_arrays((x, tx, t), w)
        return self

    def _inputs(self, frequency: Any, recency: Any, T: Any) -> tuple[np.ndarray, ...]:
        self._require_fit()
        return check_rfm(frequency, recency, T)


class BetaGeo(_PurchaseModel):
    """The BG/NBD model (Fader, Hardie & Lee 2005).

    While alive, a customer buys at Poisson rate lambda ~ Gamma(r, alpha); after every purchase they
    drop out with probability p ~ Beta(a, b). Model parameters: ``r``, ``alpha``, ``a``, ``b``.

    Parameters
    ----------
    tol : float, default 1e-9
        Gradient tolerance of the BFGS optimiser (with the analytic gradient).
    max_iter : int, default 2000
        Maximum number of BFGS iterations.

    Attributes
    ----------
    params_, standard_errors_ : dict
        Estimates of ``r``, ``alpha``, ``a``, ``b`` and their standard errors (see
        :class:`~kundfokus.clv.base.FittedModel`); also ``log_likelihood_``, ``n_customers_``,
        ``n_unique_rows_`` and ``converged_``.

    Examples
    --------
    >>> model = BetaGeo().fit([2, 1, 0, 0, 5, 3], [30.4, 1.7, 0, 0, 35.0, 20.1], [38.9] * 6)
    >>> sorted(model.params_)
    ['a', 'alpha', 'b', 'r']
    >>> model.probability_alive(0, 0, 38.9)
    1.0
    >>> round(model.expected_purchases(39, 0, 0, 38.9), 3) == round(
    ...     model.expected_purchases(39, 0, 0, 38.9), 3)
    True
    """

    param_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    _start: ClassVar[tuple[float, ...]] = (1.0, 1.0, 1.0, 1.0)

    def _parts(self, params: np.ndarray, x: np.ndarray, tx: np.ndarray, t: np.ndarray) -> tuple:
        """Shared pieces of the likelihood and its gradient. Functions of one column are evaluated
        on that column's distinct values only (frequency, recency and T have few of them)."""
        r, alpha, a, b = params
        lx, ix = self._levels(x)
        lt, it = self._levels(t)
        ltx, itx = self._levels(tx)
        log_at = np.log(alpha + lt)[it]
        log_atx = np.log(alpha + ltx)[itx]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_bx1 = np.where(lx > 0, np.log(np.maximum(b + lx - 1, 1e-300)), 0.0)[ix]
            a3 = -(r + x) * log_at
            a4 = np.where(x > 0, np.log(a) - log_bx1 - (r + x) * log_atx, -np.inf)
        return lx, ix, log_at, log_atx, a3, a4

    def _loglik_rows(self, params: np.ndarray, *data: np.ndarray) -> np.ndarray:
        r, alpha, a, b = params
        x, tx, t = data
        lx, ix, _, _, a3, a4 = self._parts(params, x, tx, t)
        per_x = gammaln(r + lx) - gammaln(r) + r * np.log(alpha) + betaln(a, b + lx) - betaln(a, b)
        return per_x[ix] + np.logaddexp(a3, a4)

    def _grad_rows(self, params: np.ndarray, *data: np.ndarray) -> np.ndarray:
        r, alpha, a, b = params
        x, tx, t = data
        lx, ix, log_at, log_atx, a3, a4 = self._parts(params, x, tx, t)
        d = np.logaddexp(a3, a4)
        w3, w4 = np.exp(a3 - d), np.exp(a4 - d)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_bx1 = np.where(lx > 0, 1.0 / np.maximum(b + lx - 1, 1e-300), 0.0)[ix]
        dg_abx = digamma(a + b + lx)
        d_r = (digamma(r + lx) - digamma(r) + np.log(alpha))[ix] - w3 * log_at - w4 * log_atx
        t = np.asarray(t)
        d_alpha = r / alpha - (r + x) * (w3 / (alpha + t) + w4 / (alpha + tx))
        d_a = (digamma(a + b) - dg_abx)[ix] + w4 / a
        d_b = (digamma(b + lx) - dg_abx - digamma(b) + digamma(a + b))[ix] - w4 * inv_bx1
        return np.stack([d_r, d_alpha, d_a, d_b])

    def _log_odds_dead(self, x: np.ndarray, tx: np.ndarray, t: np.ndarray) -> np.ndarray:
        r, alpha, a, b = self._vector()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                x > 0,
                np.log(a)
                - np.log(np.maximum(b + x - 1, 1e-300))
                + (r + x) * (np.log(alpha + t) - np.log(alpha + tx)),
                -np.inf,
            )

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Probability that a customer with this history is still active at the end of the
        calibration period (1 for a customer without repeat purchases in the BG/NBD model, since
        drop-out can only happen right after a purchase).

        Examples
        --------
        >>> m = BetaGeo()
        >>> m.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> round(m.probability_alive(2, 30.43, 38.86), 3)
        0.727
        """
        x, tx, t = self._inputs(frequency, recency, T)
        return scalar_or_array(expit(-self._log_odds_dead(x, tx, t)), frequency, recency, T)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Expected number of purchases in the next ``t`` time units for a customer with this
        history (Fader, Hardie & Lee 2005, equation 10).

        Examples
        --------
        >>> m = BetaGeo()
        >>> m.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> round(m.expected_purchases(39, 2, 30.43, 38.86), 3)
        1.226
        """
        x, tx, T_ = self._inputs(frequency, recency, T)
        h = check_horizon(t)
        check_same_length(t=h, frequency=x)
        r, alpha, a, b = self._vector()
        with np.errstate(all="ignore"):
            z = h / (alpha + T_ + h)
            log_ratio = (r + x) * (np.log(alpha + T_) - np.log(alpha + T_ + h))
            term = 1.0 - np.exp(log_ratio) * hyp2f1(r + x, b + x, a + b + x - 1, z)
            value = (a + b + x - 1) / (a - 1) * term * expit(-self._log_odds_dead(x, tx, T_))
        return scalar_or_array(value, t, frequency, recency, T)

    def expected_purchases_new(self, t: Any) -> Any:
        """Expected number of repeat purchases in the first ``t`` time units after a randomly
        chosen customer's first purchase (unconditional; Fader, Hardie & Lee 2005, equation 9).

        Examples
        --------
        >>> m = BetaGeo()
        >>> m.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> round(m.expected_purchases_new(39.0), 3)
        1.197
        """
        h = check_horizon(t)
        r, alpha, a, b = self._vector()
        with np.errstate(all="ignore"):
            value = (
                (a + b - 1)
                / (a - 1)
                * (1.0 - (alpha / (alpha + h)) ** r * hyp2f1(r, b, a + b - 1, h / (alpha + h)))
            )
        return scalar_or_array(np.maximum(value, 0.0), t)


class ParetoNBD(_PurchaseModel):
    """The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).

    While alive, a customer buys at Poisson rate lambda ~ Gamma(r, alpha); their lifetime is
    exponential with rate mu ~ Gamma(s, beta), independent of purchasing. Model parameters: ``r``,
    ``alpha``, ``s``, ``beta``. The likelihood uses the Gaussian hypergeometric form of Fader &
    Hardie's note 008 (with the alpha >= beta and alpha < beta cases), evaluated in logarithms.

    Parameters
    ----------
    tol : float, default 1e-8
        Gradient tolerance of the BFGS optimiser (on finite-difference gradients: this model has no analytic one).
    max_iter : int, default 2000
        Maximum number of BFGS iterations.

    Attributes
    ----------
    params_, standard_errors_ : dict
        Estimates of ``r``, ``alpha``, ``s``, ``beta`` and their standard errors (see
        :class:`~kundfokus.clv.base.FittedModel`); also ``log_likelihood_``, ``n_customers_``,
        ``n_unique_rows_`` and ``converged_``.

    Examples
    --------
    >>> m = ParetoNBD()
    >>> m.params_ = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    >>> 0 < m.probability_alive(2, 30.43, 38.86) < 1
    True
    """

    param_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")
    _start: ClassVar[tuple[float, ...]] = (1.0, 1.0, 1.0, 1.0)

    def __init__(self, *, tol: float = 1e-8, max_iter: int = 2000) -> None:
        # no analytic gradient: BFGS on finite differences, hence the looser default tolerance
        super().__init__(tol=tol, max_iter=max_iter)

    @staticmethod
    def _log_a0(params: np.ndarray, x: np.ndarray, tx: np.ndarray, t: np.ndarray) -> np.ndarray:
        """log A0 of note 008 (A0 = [F(tx) - F(T)], F(y) = 2F1(...; z(y)) / (max + y)^(r+s+x))."""
        r, alpha, s, beta = params
        if alpha >= beta:
            big, small, second = alpha, beta, s + 1.0
        else:
            big, small, second = beta, alpha, r + x
        rsx = r + s + x
        diff = big - small
        q1 = big + tx
        q2 = big + t
        f1 = hyp2f1(rsx, second, rsx + 1.0, diff / q1)
        f2 = hyp2f1(rsx, second, rsx + 1.0, diff / q2)
        # log(f1 / q1^rsx - f2 / q2^rsx) computed as log(f1 q2^rsx - f2 q1^rsx) - rsx log(q1 q2)
        stacked = np.stack(
            np.broadcast_arrays(np.log(f1) + rsx * np.log(q2), np.log(f2) + rsx * np.log(q1))
        )
        signs = np.stack([np.ones_like(stacked[0]), -np.ones_like(stacked[0])])
        return logsumexp(stacked, axis=0, b=signs) - rsx * (np.log(q1) + np.log(q2))

    def _loglik_rows(self, params: np.ndarray, *data: np.ndarray) -> np.ndarray:
        r, alpha, s, beta = params
        x, tx, t = data
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        log_a0 = self._log_a0(params, x, tx, t)
        a2 = np.logaddexp(
            -(r + x) * np.log(alpha + t) - s * np.log(beta + t),
            np.log(s) + log_a0 - np.log(r + s + x),
        )
        return a1 + a2

    def _log_odds_dead(self, x: np.ndarray, tx: np.ndarray, t: np.ndarray) -> np.ndarray:
        params = self._vector()
        r, alpha, s, beta = params
        with np.errstate(all="ignore"):
            log_a0 = self._log_a0(params, x, tx, t)
            return (
                np.log(s)
                - np.log(r + s + x)
                + (r + x) * np.log(alpha + t)
                + s * np.log(beta + t)
                + log_a0
            )

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Probability that a customer with this history is still active at the end of the
        calibration period (Fader & Hardie note 008, equation 19)."""
        x, tx, t = self._inputs(frequency, recency, T)
        return scalar_or_array(expit(-self._log_odds_dead(x, tx, t)), frequency, recency, T)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Expected number of purchases in the next ``t`` time units for a customer with this
        history (Schmittlein et al. 1987; Fader & Hardie note 008, equation 22)."""
        x, tx, T_ = self._inputs(frequency, recency, T)
        h = check_horizon(t)
        check_same_length(t=h, frequency=x)
        r, alpha, s, beta = self._vector()
        with np.errstate(all="ignore"):
            if abs(s - 1.0) < 1e-10:
                growth = np.log((beta + T_ + h) / (beta + T_))
            else:
                growth = (1.0 - ((beta + T_) / (beta + T_ + h)) ** (s - 1)) / (s - 1)
            value = (
                (r + x)
                * (beta + T_)
                / (alpha + T_)
                * growth
                * expit(-self._log_odds_dead(x, tx, T_))
            )
        return scalar_or_array(value, t, frequency, recency, T)

    def expected_purchases_new(self, t: Any) -> Any:
        """Expected number of repeat purchases in the first ``t`` time units after a randomly
        chosen customer's first purchase (unconditional)."""
        h = check_horizon(t)
        r, alpha, s, beta = self._vector()
        with np.errstate(all="ignore"):
            if abs(s - 1.0) < 1e-10:
                value = r * beta / alpha * np.log((beta + h) / beta)
            else:
                value = r * beta / (alpha * (s - 1)) * (1.0 - (beta / (beta + h)) ** (s - 1))
        return scalar_or_array(value, t)


class GammaGamma(FittedModel):
    """The Gamma-Gamma model of spend per purchase occasion (Fader & Hardie 2013, note 025).

    A customer's spends vary around their own mean; the spends are gamma(p, nu) and nu varies
    across customers as gamma(q, gamma). It is fitted on the customers with at least one repeat
    purchase (``frequency > 0``), using their number of repeat occasions and the mean spend of those
    occasions. It assumes spend is independent of purchase frequency: check the correlation.

    Parameters
    ----------
    tol : float, default 1e-9
        Gradient tolerance of the BFGS optimiser (with the analytic gradient).
    max_iter : int, default 2000
        Maximum number of BFGS iterations.

    Attributes
    ----------
    params_, standard_errors_ : dict
        Estimates of ``p``, ``q``, ``gamma`` and their standard errors (see
        :class:`~kundfokus.clv.base.FittedModel`); also ``log_likelihood_``, ``n_customers_``,
        ``n_unique_rows_`` and ``converged_``.

    Examples
    --------
    >>> m = GammaGamma()
    >>> m.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    >>> round(m.expected_spend(2, 22.35), 2)
    24.66
    """

    param_names: ClassVar[tuple[str, ...]] = ("p", "q", "gamma")
    _start: ClassVar[tuple[float, ...]] = (1.0, 1.0, 1.0)

    def _loglik_rows(self, params: np.ndarray, *data: np.ndarray) -> np.ndarray:
        p, q, g = params
        x, m = data
        lx, ix = self._levels(x)
        lpx = p * lx
        per_x = gammaln(lpx + q) - gammaln(lpx) - gammaln(q) + q * np.log(g) + lpx * np.log(lx)
        px = p * x
        return per_x[ix] + (px - 1) * np.log(m) - (px + q) * np.log(g + m * x)

    def _grad_rows(self, params: np.ndarray, *data: np.ndarray) -> np.ndarray:
        p, q, g = params
        x, m = data
        lx, ix = self._levels(x)
        lpx = p * lx
        dg_pxq = digamma(lpx + q)
        log_gmx = np.log(g + m * x)
        d_p = x * ((dg_pxq - digamma(lpx) + np.log(lx))[ix] + np.log(m) - log_gmx)
        d_q = (dg_pxq - digamma(q) + np.log(g))[ix] - log_gmx
        d_g = q / g - (p * x + q) / (g + m * x)
        return np.stack([d_p, d_q, d_g])

    def _check_data(self, *data: Any) -> tuple[np.ndarray, ...]:
        x, m, _ = self._check_spend(*data, keep_zero=False)
        return x, m

    @staticmethod
    def _check_spend(
        frequency: Any, monetary_value: Any, keep_zero: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = as_float_array(frequency, "frequency")
        m = as_float_array(monetary_value, "monetary_value")
        n = check_same_length(frequency=x, monetary_value=m)
        x, m = (np.broadcast_to(a, (n,)).astype(float) for a in (x, m))
        if (i := first_bad(x < 0)) is not None:
            raise InputError(
                "frequency cannot be negative", row=i + 1, column="frequency", value=x[i]
            )
        if (i := first_bad(np.abs(x - np.round(x)) > 1e-9)) is not None:
            raise InputError(
                "frequency must be a whole number", row=i + 1, column="frequency", value=x[i]
            )
        if (i := first_bad((x > 0) & (m <= 0))) is not None:
            raise InputError(
                "the mean spend of a repeat buyer must be above 0 (returns and free orders "
                "cannot be modelled by Gamma-Gamma)",
                row=i + 1,
                column="monetary_value",
                value=m[i],
            )
        keep = np.ones(n, dtype=bool) if keep_zero else x > 0
        if not keep.any():
            raise InputError("no customer with repeat purchases (frequency > 0): nothing to fit")
        return x[keep], m[keep], keep

    def fit(self, frequency: Any, monetary_value: Any, weights: Any = None) -> GammaGamma:
        """Fit on the repeat buyers.

        Parameters
        ----------
        frequency : array-like
            Number of repeat purchase occasions per customer; customers with 0 are left out.
        monetary_value : array-like
            Mean spend of the repeat occasions (the first purchase is not included).
        weights : array-like, optional
            How many customers each row stands for.

        Returns
        -------
        self
        """
        x_all = as_float_array(frequency, "frequency")
        w_all = check_weights(weights, len(x_all))
        x, m, keep = self._check_spend(frequency, monetary_value, keep_zero=False)
        self._fit_arrays((x, m), w_all[keep] if len(w_all) == len(keep) else w_all)
        return self

    def expected_spend(self, frequency: Any, monetary_value: Any) -> Any:
        """Expected mean spend per future occasion of a customer: a weighted average of the
        population mean ``p * gamma / (q - 1)`` and the customer's own repeat mean, the weight on
        the customer's own mean growing with the number of repeat occasions. For a customer with
        no repeat purchases it is the population mean.
        """
        self._require_fit()
        x = as_float_array(frequency, "frequency")
        m = as_float_array(monetary_value, "monetary_value")
        check_same_length(frequency=x, monetary_value=m)
        p, q, g = self._vector()
        value = p * (g + x * m) / (p * x + q - 1)
        return scalar_or_array(value, frequency, monetary_value)

    def population_mean_spend(self) -> float:
        """Mean spend per occasion across the customer base, ``p * gamma / (q - 1)`` (infinite when
        q <= 1)."""
        p, q, g = self._vector()
        return float(p * g / (q - 1)) if q > 1 else float("inf")
