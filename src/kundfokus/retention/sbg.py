"""The shifted-beta-geometric (sBG) retention model: fit, projection and DERL.

Two ways in, one implementation: the functions :func:`sbg_fit`, :func:`sbg_fit_curves` and
:func:`sbg_fit_cohorts` return an :class:`SBGFit` (a :class:`kundfokus.base.Result`), and
:class:`ShiftedBetaGeometric` wraps them as a scikit-learn style estimator (``fit`` returns the
model, learned attributes end in ``_``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from kundfokus.base import Estimator, Result, check_fitted
from kundfokus.errors import InputError
from kundfokus.i18n import check_lang, tr
from kundfokus.stats import numerical_hessian

__all__ = [
    "SBGFit",
    "ShiftedBetaGeometric",
    "sbg_derl",
    "sbg_fit",
    "sbg_fit_cohorts",
    "sbg_fit_curves",
    "sbg_retention_rate",
    "sbg_survival",
]

# --------------------------------------------------------------------------------------------------
# The shifted-beta-geometric model
# --------------------------------------------------------------------------------------------------


def sbg_survival(t: Any, alpha: float, beta: float) -> np.ndarray:
    """S(t) = B(alpha, beta + t) / B(alpha, beta): the share of a cohort still active after t periods.

    Examples
    --------
    >>> [round(float(x), 4) for x in sbg_survival([0, 1, 2], 1.0, 1.0)]
    [1.0, 0.5, 0.3333]
    """
    t = np.asarray(t, dtype=float)
    return np.exp(special.betaln(alpha, beta + t) - special.betaln(alpha, beta))


def sbg_retention_rate(t: Any, alpha: float, beta: float) -> np.ndarray:
    """r(t) = (beta + t - 1) / (alpha + beta + t - 1), the share of those active in period t - 1
    who renew into period t (t >= 1).

    Examples
    --------
    >>> [round(float(x), 3) for x in sbg_retention_rate([1, 2, 10], 0.668, 3.806)]
    [0.851, 0.878, 0.95]
    """
    t = np.asarray(t, dtype=float)
    return (beta + t - 1) / (alpha + beta + t - 1)


def sbg_derl(discount: float, alpha: float, beta: float, renewals: int = 0) -> float:
    """Discounted expected residual lifetime (Fader & Hardie 2010).

    DERL(d | alpha, beta, n - 1 renewals) = (beta + n - 1) / (alpha + beta + n - 1)
    * 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d)), with n - 1 = ``renewals``. It is the
    expected number of future payments of a customer who has renewed n - 1 times and now faces the
    next renewal decision, each payment discounted by (1 + d) per period and the imminent one
    undiscounted: the sum over t >= n of S(t) / S(n - 1) / (1 + d)^(t - n). Multiply by the margin
    per period to get the residual value.

    Examples
    --------
    >>> round(sbg_derl(0.1, 0.668, 3.806), 3)
    5.415
    """
    if discount <= 0:
        raise InputError("the discount rate must be above 0", value=discount)
    if renewals < 0:
        raise InputError("renewals cannot be negative", value=renewals)
    n = renewals + 1
    z = 1.0 / (1.0 + discount)
    f = float(special.hyp2f1(1.0, beta + n, alpha + beta + n, z))
    if not math.isfinite(f):  # scipy's hyp2f1 fails for very large parameters: sum the series
        f = _hyp2f1_series(beta + n, alpha + beta + n, z)
    return float((beta + n - 1) / (alpha + beta + n - 1) * f)


def _hyp2f1_series(b: float, c: float, z: float) -> float:
    """2F1(1, b; c; z) = sum_k prod_{j<k} (b + j) / (c + j) * z, for 0 < z < 1 and 0 < b < c."""
    total, term, k = 1.0, 1.0, 0
    while term > 1e-17 * total and k < 1_000_000:
        term *= (b + k) / (c + k) * z
        total += term
        k += 1
    return total


def _loglik(alpha: float, beta: float, curves: list[np.ndarray]) -> float:
    ll = 0.0
    base = special.betaln(alpha, beta)
    for alive in curves:
        k = len(alive) - 1
        t = np.arange(1, k + 1, dtype=float)
        lost = alive[:-1] - alive[1:]
        log_p = special.betaln(alpha + 1, beta + t - 1) - base
        log_s = special.betaln(alpha, beta + k) - base
        ll += float(np.sum(lost * log_p) + alive[-1] * log_s)
    return ll


def _check_curve(values: Sequence[Any], name: str) -> np.ndarray:
    out = []
    for i, v in enumerate(values, start=1):
        try:
            x = float(v)
        except (TypeError, ValueError) as exc:
            raise InputError("not a number", column=name, row=i, value=v) from exc
        if not math.isfinite(x) or x < 0:
            raise InputError("must be a number of at least 0", column=name, row=i, value=v)
        out.append(x)
    arr = np.array(out)
    if len(arr) < 2:
        raise InputError(
            "a survival curve needs at least two values (the start and one later period)",
            column=name,
        )
    if arr[0] <= 0:
        raise InputError(
            "the first value (the cohort at the start) must be above 0",
            column=name,
            row=1,
            value=values[0],
        )
    for i in range(1, len(arr)):
        if arr[i] > arr[i - 1]:
            raise InputError(
                f"survival cannot rise: {arr[i]:g} follows {arr[i - 1]:g} (values must not increase)",
                column=name,
                row=i + 1,
                value=values[i],
            )
    return arr


_WARN = {
    "flat": {
        "en": "the fit did not settle: alpha and beta grow without bound, so the data show no sign "
        "that customers differ in their churn propensity and a constant churn rate of {m:.1%} a "
        "period describes them as well; alpha and beta themselves are not meaningful",
        "sv": "skattningen stannade inte: alfa och beta växer utan gräns, så datan visar inte att "
        "kunderna skiljer sig i benägenhet att lämna och en konstant bortfallstakt på {m:.1%} per "
        "period beskriver dem lika bra; alfa och beta i sig är inte meningsfulla",
    },
    "no_se": {
        "en": "the standard errors could not be computed (the information matrix is not positive "
        "definite at the estimate)",
        "sv": "standardfelen kunde inte beräknas (informationsmatrisen är inte positivt definit "
        "vid skattningen)",
    },
}


@dataclass
class SBGFit(Result):
    """A fitted shifted-beta-geometric model.

    A :class:`kundfokus.base.Result`: :meth:`meta` is :meth:`summary`, :meth:`tables` holds the
    ``projection`` (twice the data's length) and :meth:`warnings` says, in English or Swedish,
    when the fit did not settle or the standard errors are undetermined.

    Attributes
    ----------
    alpha, beta:
        Parameters of the beta distribution of churn probabilities across customers; the mean
        churn probability of a new customer is alpha / (alpha + beta), and small alpha + beta means
        customers differ a lot.
    se_alpha, se_beta:
        Standard errors from the inverse of the observed information (the Hessian of the negative
        log-likelihood in alpha and beta, by central finite differences, at the optimum). They
        assume the curves are counts of customers: scale percentages with ``cohort_size``.
    loglik:
        Log-likelihood at the optimum.
    curves:
        The data fitted, as counts alive at the start of periods 0, 1, ... per cohort.
    converged:
        False when the optimiser failed or alpha + beta ran past 10,000: the data then show no
        sign that customers differ in churn propensity, and a constant churn rate (the mean
        alpha / (alpha + beta)) describes them as well; alpha and beta themselves are not
        meaningful then.
    """

    alpha: float
    beta: float
    se_alpha: float
    se_beta: float
    loglik: float
    curves: list[np.ndarray]
    converged: bool = True

    def survival(self, t: Any) -> np.ndarray:
        """S(t) under the fitted parameters; see :func:`sbg_survival`."""
        return sbg_survival(t, self.alpha, self.beta)

    def retention_rate(self, t: Any) -> np.ndarray:
        """r(t) under the fitted parameters; see :func:`sbg_retention_rate`."""
        return sbg_retention_rate(t, self.alpha, self.beta)

    def derl(self, discount: float, renewals: int = 0) -> float:
        """DERL under the fitted parameters; see :func:`sbg_derl`."""
        return sbg_derl(discount, self.alpha, self.beta, renewals)

    def observed(self) -> np.ndarray:
        """Observed survival pooled over cohorts (product of pooled period-to-period retention)."""
        k = max(len(c) for c in self.curves)
        surv = [1.0]
        for t in range(1, k):
            prev = sum(c[t - 1] for c in self.curves if len(c) > t)
            now = sum(c[t] for c in self.curves if len(c) > t)
            surv.append(surv[-1] * (now / prev if prev else math.nan))
        return np.array(surv)

    def projection(self, periods: int | None = None) -> pd.DataFrame:
        """Survival and retention rates for t = 0..periods (default: twice the data's length).

        Returns a frame with ``t``, ``survival`` (share of the cohort active after t periods),
        ``retention_rate`` (r(t), empty at t = 0), ``observed`` (pooled observed survival, empty
        beyond the data) and ``projected`` (True beyond the data).
        """
        obs = self.observed()
        k = len(obs) - 1
        periods = 2 * k if periods is None else int(periods)
        if periods < 1:
            raise InputError("the projection needs at least one period", value=periods)
        t = np.arange(0, periods + 1)
        rate = self.retention_rate(t).astype(float)
        rate[0] = math.nan
        return pd.DataFrame(
            {
                "t": t,
                "survival": self.survival(t),
                "retention_rate": rate,
                "observed": [float(obs[i]) if i <= k else math.nan for i in t],
                "projected": t > k,
            }
        )

    def summary(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "beta": self.beta,
            "se_alpha": self.se_alpha,
            "se_beta": self.se_beta,
            "loglik": self.loglik,
            "mean_churn": self.alpha / (self.alpha + self.beta),
            "cohorts": len(self.curves),
            "customers": float(sum(c[0] for c in self.curves)),
            "converged": self.converged,
        }

    def meta(self) -> dict[str, Any]:
        """The :meth:`summary` (the fitted curves themselves are not repeated)."""
        return self.summary()

    def tables(self) -> dict[str, pd.DataFrame]:
        """``projection``: :meth:`projection` with its default length."""
        return {"projection": self.projection()}

    def warnings(self, lang: str = "en") -> list[str]:
        """What to know before reading alpha and beta, in ``lang`` (``"en"`` or ``"sv"``).

        Examples
        --------
        >>> sbg_fit([1000, 900, 810, 729]).warnings("sv")[0][:28]
        'skattningen stannade inte: a'
        >>> sbg_fit([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1]).warnings()
        []
        """
        check_lang(lang)
        out = []
        if not self.converged:
            out.append(tr(_WARN["flat"], lang, m=self.alpha / (self.alpha + self.beta)))
        if self.converged and not (math.isfinite(self.se_alpha) and math.isfinite(self.se_beta)):
            out.append(tr(_WARN["no_se"], lang))
        return out


# Above this alpha + beta the beta distribution is a spike (sd of churn probabilities below about
# 0.005): the data show no heterogeneity and the likelihood keeps creeping up as both grow.
_FLAT = 1e4


def sbg_fit_curves(curves: Sequence[Sequence[Any]]) -> SBGFit:
    """Fit the sBG model by maximum likelihood to one or more cohorts' counts alive per period.

    Parameters
    ----------
    curves:
        One sequence per cohort: customers alive at the start of periods 0, 1, ..., k (cohorts may
        be of different ages, so of different lengths).

    Returns
    -------
    SBGFit

    Notes
    -----
    With n_t alive at the start of period t, the n_{t-1} - n_t lost in period t contribute
    log P(T = t) = log B(alpha + 1, beta + t - 1) - log B(alpha, beta), and the n_k still alive
    log S(k) = log B(alpha, beta + k) - log B(alpha, beta). The sum is maximised over
    (log alpha, log beta) with BFGS and then Nelder-Mead polishing, so both stay positive.

    Examples
    --------
    >>> fit = sbg_fit_curves([[1000, 631, 468, 382, 326, 289, 262, 241]])
    >>> round(fit.alpha, 3), round(fit.beta, 3)
    (0.704, 1.182)
    """
    checked = [_check_curve(c, f"cohort {i}") for i, c in enumerate(curves, start=1)]
    if not checked:
        raise InputError("no survival data to fit")

    def neg(theta: np.ndarray) -> float:
        a, b = np.exp(np.clip(theta, -30, 30))
        v = -_loglik(float(a), float(b), checked)
        return v if math.isfinite(v) else 1e300

    best = None
    for start in ([0.0, 0.0], [-1.0, 1.0], [1.0, 2.0]):
        res = optimize.minimize(neg, np.array(start), method="BFGS")
        res = optimize.minimize(
            neg, res.x, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}
        )
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    alpha, beta = (float(v) for v in np.exp(best.x))

    def neg_ab(p: np.ndarray) -> float:
        return -_loglik(float(p[0]), float(p[1]), checked)

    try:
        cov = np.linalg.inv(numerical_hessian(neg_ab, np.array([alpha, beta])))
        se = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
    except np.linalg.LinAlgError:
        se = np.array([math.nan, math.nan])
    return SBGFit(
        alpha=alpha,
        beta=beta,
        se_alpha=float(se[0]),
        se_beta=float(se[1]),
        loglik=-float(best.fun),
        curves=checked,
        converged=bool(best.success) and alpha + beta < _FLAT,
    )


def sbg_fit(survival: Sequence[Any], *, cohort_size: float | None = None) -> SBGFit:
    """Fit the sBG model to one survival curve (Fader & Hardie 2007).

    Parameters
    ----------
    survival:
        Customers (or percent of the cohort) still active at the start of periods 0, 1, ..., k;
        must not increase, the first value above 0.
    cohort_size:
        Number of customers at the start. The curve is scaled so that its first value equals it.
        It does not change alpha and beta, only the standard errors and the log-likelihood.
        Default: the values are taken as counts as given (``100, 86.9, ...`` is then a cohort of
        100 customers).

    Returns
    -------
    SBGFit

    Examples
    --------
    >>> fit = sbg_fit([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1], cohort_size=1000)
    >>> round(fit.alpha, 3), round(fit.beta, 3), round(fit.loglik, 1)
    (0.668, 3.806, -1611.2)
    >>> [round(float(x), 3) for x in fit.survival([8, 12])]
    [0.46, 0.378]
    """
    arr = _check_curve(survival, "survival")
    if cohort_size is not None:
        if cohort_size <= 0:
            raise InputError("the cohort size must be above 0", value=cohort_size)
        arr = arr / arr[0] * float(cohort_size)
    return sbg_fit_curves([arr])


def sbg_fit_cohorts(table: pd.DataFrame) -> SBGFit:
    """Fit the sBG model to a :func:`cohorts` table (counts alive per cohort and age).

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["a"] * 3 + ["b"] * 2, "age": [0, 1, 2, 0, 1],
    ...                   "alive": [100, 80, 70, 50, 41]})
    >>> fit = sbg_fit_cohorts(t)
    >>> len(fit.curves), fit.alpha > 0
    (2, True)
    """
    curves = [
        part.sort_values("age")["alive"].to_numpy(float) for _, part in table.groupby("cohort")
    ]
    curves = [c for c in curves if len(c) >= 2]
    if not curves:
        raise InputError("no cohort has been observed for more than one period")
    return sbg_fit_curves(curves)


class ShiftedBetaGeometric(Estimator):
    """The sBG retention model as an estimator (Fader & Hardie 2007).

    ``fit`` takes one of: one survival curve (``survival``, with an optional ``cohort_size``, as
    :func:`sbg_fit`), several cohorts' counts alive per period (``curves``, as
    :func:`sbg_fit_curves`) or a :func:`~kundfokus.retention.cohorts` table (``cohorts``, as
    :func:`sbg_fit_cohorts`). The fitting is done by those functions; the estimator keeps their
    :class:`SBGFit` in ``fit_``. The model has no settings, so ``get_params()`` is empty.

    Attributes
    ----------
    alpha_, beta_ : float
        Parameters of the beta distribution of churn probabilities across customers.
    standard_errors_ : dict
        ``{"alpha": ..., "beta": ...}`` from the inverse observed information.
    log_likelihood_ : float
        Log-likelihood at the optimum.
    converged_ : bool
        See :class:`SBGFit` (``converged``).
    fit_ : SBGFit
        The full result (projection, observed survival, summary, warnings, ``to_dict``).

    All learned attributes read ``None`` until ``fit``; the methods raise
    :class:`kundfokus.base.NotFittedError` before it.

    Examples
    --------
    >>> model = ShiftedBetaGeometric().fit([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1])
    >>> round(model.alpha_, 3), round(model.beta_, 3)
    (0.668, 3.806)
    >>> [round(float(x), 3) for x in model.survival([8, 12])]
    [0.46, 0.378]
    >>> round(model.derl(0.1), 3)
    5.414
    >>> ShiftedBetaGeometric().survival(1)
    Traceback (most recent call last):
    ...
    kundfokus.base.NotFittedError: this ShiftedBetaGeometric is not fitted yet: call fit() first
    """

    alpha_: float | None = None
    beta_: float | None = None
    standard_errors_: dict[str, float] | None = None
    log_likelihood_: float | None = None
    converged_: bool | None = None
    fit_: SBGFit | None = None

    def fit(
        self,
        survival: Sequence[Any] | None = None,
        *,
        curves: Sequence[Sequence[Any]] | None = None,
        cohorts: pd.DataFrame | None = None,
        cohort_size: float | None = None,
    ) -> ShiftedBetaGeometric:
        """Fit by maximum likelihood.

        Parameters
        ----------
        survival : sequence of numbers, optional
            One cohort: customers (or percent) still active at the start of periods 0, 1, ...
        curves : sequence of sequences, optional
            Several cohorts' counts alive at the start of periods 0, 1, ... (any lengths).
        cohorts : pandas.DataFrame, optional
            A :func:`~kundfokus.retention.cohorts` table (``cohort``, ``age``, ``alive``).
        cohort_size : float, optional
            With ``survival`` only: the number of customers at the start (see :func:`sbg_fit`).

        Returns
        -------
        self

        Raises
        ------
        InputError
            Unless exactly one of ``survival``, ``curves`` and ``cohorts`` is given, or when the
            data are not valid survival counts.
        """
        given = [
            name
            for name, value in (("survival", survival), ("curves", curves), ("cohorts", cohorts))
            if value is not None
        ]
        if len(given) != 1:
            raise InputError(
                "give exactly one of survival, curves or cohorts"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if cohort_size is not None and survival is None:
            raise InputError(
                "cohort_size goes with one survival curve; curves and cohorts are counts already",
                column="cohort_size",
                value=cohort_size,
            )
        if survival is not None:
            result = sbg_fit(survival, cohort_size=cohort_size)
        elif curves is not None:
            result = sbg_fit_curves(curves)
        else:
            result = sbg_fit_cohorts(cohorts)
        self.fit_ = result
        self.alpha_ = result.alpha
        self.beta_ = result.beta
        self.standard_errors_ = {"alpha": result.se_alpha, "beta": result.se_beta}
        self.log_likelihood_ = result.loglik
        self.converged_ = result.converged
        return self

    def _result(self) -> SBGFit:
        check_fitted(self, "fit_")
        assert self.fit_ is not None
        return self.fit_

    def survival(self, t: Any) -> np.ndarray:
        """Share of a new cohort still active after ``t`` periods; see :func:`sbg_survival`."""
        return self._result().survival(t)

    def retention_rate(self, t: Any) -> np.ndarray:
        """Share of those active in period ``t - 1`` who renew into period ``t`` (t >= 1); see
        :func:`sbg_retention_rate`."""
        return self._result().retention_rate(t)

    def derl(self, discount: float, renewals: int = 0) -> float:
        """Discounted expected residual lifetime after ``renewals`` renewals; see
        :func:`sbg_derl`."""
        return self._result().derl(discount, renewals)

    def projection(self, periods: int | None = None) -> pd.DataFrame:
        """Survival and retention rates for t = 0..periods; see :meth:`SBGFit.projection`."""
        return self._result().projection(periods)

    def summary(self) -> dict[str, Any]:
        """Estimates, standard errors, log-likelihood, mean churn; see :meth:`SBGFit.summary`."""
        return self._result().summary()
