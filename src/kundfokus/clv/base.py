"""Shared base for the customer-base models fitted by maximum likelihood.

Every model here is fitted the same way:

1. the per-customer inputs are checked (errors name the row, the column and the value);
2. identical customers are collapsed into unique rows with a weight (their count), so a million
   customers with a few thousand distinct (frequency, recency, T) combinations cost a few thousand
   likelihood evaluations per step;
3. the weighted negative log-likelihood (divided by the number of customers) is minimised over the
   logarithm of the parameters (all are positive) with SciPy's BFGS, using the model's analytic
   gradient where it has one (BG/NBD, Gamma-Gamma) and finite differences otherwise, with
   Nelder-Mead as a fallback when BFGS stops away from a stationary point;
4. standard errors come from the inverse of the Hessian of the negative log-likelihood at the
   optimum, computed numerically (central differences) on the natural parameter scale (r, alpha,
   ... themselves, not their logarithms).

The models follow the contract of :mod:`kundfokus.base` (the scikit-learn one): the optimiser
settings are parameters of ``__init__``, ``fit`` returns the model, what is learned ends in ``_``,
and using a model before ``fit`` raises :class:`kundfokus.base.NotFittedError`.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import optimize

from kundfokus.base import Estimator, check_fitted
from kundfokus.errors import InputError
from kundfokus.stats import hessian_from_gradient, numerical_hessian


def unique_rows(
    columns: tuple[np.ndarray, ...], weights: np.ndarray
) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Collapse identical rows of ``columns`` and add up their ``weights``.

    Examples
    --------
    >>> cols, w = unique_rows((np.array([1.0, 1.0, 0.0]), np.array([2.0, 2.0, 0.0])), np.ones(3))
    >>> [c.tolist() for c in cols], w.tolist()
    ([[0.0, 1.0], [0.0, 2.0]], [1.0, 2.0])
    """
    frame = pd.DataFrame({f"c{i}": c for i, c in enumerate(columns)})
    frame["w"] = weights
    grouped = frame.groupby([f"c{i}" for i in range(len(columns))], sort=True, as_index=False)[
        "w"
    ].sum()
    grouped = grouped[grouped["w"] > 0]
    return (
        tuple(grouped[f"c{i}"].to_numpy(dtype=float) for i in range(len(columns))),
        grouped["w"].to_numpy(dtype=float),
    )


class FittedModel(Estimator):
    """Base of :class:`BetaGeo`, :class:`ParetoNBD` and :class:`GammaGamma`.

    Subclasses set ``param_names`` and implement ``_loglik_rows(params, *data)``, the log-likelihood
    of every (unique) row for a parameter vector on the natural scale.

    Parameters
    ----------
    tol : float
        Gradient tolerance of the BFGS optimiser (``gtol`` of :func:`scipy.optimize.minimize`),
        on the mean log-likelihood per customer over the logarithms of the parameters.
    max_iter : int
        Maximum number of BFGS iterations.

    Attributes
    ----------
    params_ : dict
        The maximum-likelihood estimates.
    standard_errors_ : dict
        Standard errors from the inverse numerical Hessian of the negative log-likelihood at the
        optimum, on the natural parameter scale.
    log_likelihood_ : float
        The total (weighted) log-likelihood at the optimum.
    n_customers_ : float
        The number of customers fitted (the sum of the weights).
    n_unique_rows_ : int
        The number of distinct input rows the likelihood was evaluated on.
    converged_ : bool
        Whether the optimiser stopped at a stationary point.

    All learned attributes read ``None`` until ``fit`` is called (class-level defaults, so
    ``__init__`` only stores the parameters, as in scikit-learn); the methods that need a fit
    raise :class:`kundfokus.base.NotFittedError` (a ``RuntimeError``) before it.

    Examples
    --------
    >>> from kundfokus.clv import BetaGeo
    >>> model = BetaGeo(max_iter=500)
    >>> model
    BetaGeo(max_iter=500)
    >>> model.get_params()
    {'max_iter': 500, 'tol': 1e-09}
    >>> model.params_ is None
    True
    >>> model.summary()
    Traceback (most recent call last):
    ...
    kundfokus.base.NotFittedError: this BetaGeo is not fitted yet: call fit() first
    >>> model.fit([2, 1, 0], [30.4, 1.7, 0], [38.9, 38.9, 38.9]) is model
    True
    """

    param_names: ClassVar[tuple[str, ...]] = ()
    _start: ClassVar[tuple[float, ...]] = ()

    params_: dict[str, float] | None = None
    standard_errors_: dict[str, float] | None = None
    log_likelihood_: float | None = None
    n_customers_: float | None = None
    n_unique_rows_: int | None = None
    converged_: bool | None = None

    def __init__(self, *, tol: float = 1e-9, max_iter: int = 2000) -> None:
        self.tol = tol
        self.max_iter = max_iter

    # -- to be implemented by subclasses -------------------------------------------------------
    def _loglik_rows(self, params: np.ndarray, *data: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _grad_rows(self, params: np.ndarray, *data: np.ndarray) -> np.ndarray:
        """Optional analytic gradient of every row's log-likelihood, shape (n_params, n_rows)."""
        raise NotImplementedError

    # -- shared machinery ----------------------------------------------------------------------
    def _levels(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distinct values of a data column and the index of each row's value, cached for the
        arrays of the fit in progress (the optimiser passes the same arrays at every step)."""
        cache = self.__dict__.get("_level_cache")
        if cache is not None:
            hit = cache.get(id(values))
            if hit is not None and hit[0] is values:
                return hit[1], hit[2]
        levels, index = np.unique(values, return_inverse=True)
        if cache is not None and len(cache) < 8:
            cache[id(values)] = (values, levels, index)
        return levels, index

    def log_likelihood(
        self, params: dict[str, float] | np.ndarray, *data: Any, weights: Any = None
    ) -> float:
        """Total log-likelihood of ``data`` under ``params`` (a dict or a vector in
        ``param_names`` order); used to compare parameter sets under one likelihood."""
        theta = self._vector(params)
        arrays = self._check_data(*data)
        from kundfokus.clv._validate import check_weights

        w = check_weights(weights, len(arrays[0]))
        cols, w = unique_rows(arrays, w)
        with np.errstate(all="ignore"):
            return float(np.sum(w * self._loglik_rows(theta, *cols)))

    def _check_data(self, *data: Any) -> tuple[np.ndarray, ...]:
        raise NotImplementedError

    def _vector(self, params: dict[str, float] | np.ndarray | None = None) -> np.ndarray:
        if params is None:
            self._require_fit()
            params = self.params_
        if isinstance(params, dict):
            return np.array([float(params[k]) for k in self.param_names])
        return np.asarray(params, dtype=float)

    def _require_fit(self) -> None:
        """Raise :class:`kundfokus.base.NotFittedError` unless the model has ``params_``."""
        check_fitted(self, "params_")

    def _check_settings(self) -> tuple[float, int]:
        tol, max_iter = self.tol, self.max_iter
        if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 < tol < 1:
            raise InputError("tol must be a number between 0 and 1", column="tol", value=tol)
        if (
            isinstance(max_iter, bool)
            or not isinstance(max_iter, (int, np.integer))
            or max_iter < 1
        ):
            raise InputError(
                "max_iter must be a whole number of at least 1", column="max_iter", value=max_iter
            )
        return float(tol), int(max_iter)

    def _fit_arrays(self, data: tuple[np.ndarray, ...], weights: np.ndarray) -> None:
        self._level_cache: dict[int, Any] | None = {}
        try:
            self._fit_unique(data, weights)
        finally:
            del self._level_cache

    def _fit_unique(self, data: tuple[np.ndarray, ...], weights: np.ndarray) -> None:
        gtol, max_iter = self._check_settings()
        cols, w = unique_rows(data, weights)
        total = float(w.sum())

        def nll_log(log_theta: np.ndarray) -> float:
            with np.errstate(all="ignore"):
                ll = self._loglik_rows(np.exp(log_theta), *cols)
            value = -float(np.sum(w * ll)) / total
            return value if np.isfinite(value) else 1e300

        x0 = np.log(np.asarray(self._start, dtype=float))
        analytic = type(self)._grad_rows is not FittedModel._grad_rows
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if analytic:

                def nll_and_grad(log_theta: np.ndarray) -> tuple[float, np.ndarray]:
                    theta = np.exp(log_theta)
                    with np.errstate(all="ignore"):
                        ll = self._loglik_rows(theta, *cols)
                        value = -float(np.sum(w * ll)) / total
                        if not np.isfinite(value):
                            return 1e300, np.zeros_like(log_theta)
                        grad = -(self._grad_rows(theta, *cols) @ w) / total * theta
                    return value, grad

                first = optimize.minimize(
                    nll_and_grad,
                    x0,
                    jac=True,
                    method="BFGS",
                    options={"gtol": gtol, "maxiter": max_iter},
                )
                polish = first
                # "precision loss" at a point where the gradient of the mean log-likelihood is
                # tiny is convergence; otherwise fall back to the derivative-free method
                if not (first.success or np.max(np.abs(first.jac)) < 1e-6):
                    polish = optimize.minimize(
                        nll_log,
                        first.x,
                        method="Nelder-Mead",
                        options={"xatol": 1e-9, "fatol": 1e-14},
                    )
            else:
                # no analytic gradient: BFGS on finite differences, then Nelder-Mead only if BFGS
                # stopped away from a stationary point
                first = optimize.minimize(
                    nll_log, x0, method="BFGS", options={"gtol": gtol, "maxiter": max_iter}
                )
                polish = first
                if not (first.success or np.max(np.abs(first.jac)) < 1e-5):
                    polish = optimize.minimize(
                        nll_log,
                        first.x,
                        method="Nelder-Mead",
                        options={"xatol": 1e-7, "fatol": 1e-12, "maxiter": 4000, "maxfev": 8000},
                    )
        best = polish if polish.fun <= first.fun else first
        theta = np.exp(best.x)
        if not np.isfinite(best.fun) or best.fun >= 1e299:
            raise InputError(
                f"{type(self).__name__}: the likelihood could not be evaluated for these data"
            )

        def nll_total(t: np.ndarray) -> float:
            with np.errstate(all="ignore"):
                return -float(np.sum(w * self._loglik_rows(t, *cols)))

        if analytic:

            def grad_total(t: np.ndarray) -> np.ndarray:
                with np.errstate(all="ignore"):
                    return -(self._grad_rows(t, *cols) @ w)

            hess = hessian_from_gradient(grad_total, theta)
        else:
            hess = numerical_hessian(nll_total, theta)
        try:
            with np.errstate(all="ignore"):
                cov = np.linalg.inv(hess)
                se = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
        except (np.linalg.LinAlgError, ValueError):
            se = np.full(len(theta), np.nan)
        self.params_ = {k: float(v) for k, v in zip(self.param_names, theta, strict=True)}
        self.standard_errors_ = {k: float(v) for k, v in zip(self.param_names, se, strict=True)}
        self.log_likelihood_ = -nll_total(theta)
        self.n_customers_ = total
        self.n_unique_rows_ = len(w)
        self.converged_ = bool(
            first.success or polish.success or np.max(np.abs(getattr(best, "jac", [1.0]))) < 1e-6
        )

    def summary(self) -> pd.DataFrame:
        """The fitted parameters as a tidy frame: ``parameter``, ``estimate``, ``std_error``,
        ``lower_95`` and ``upper_95`` (estimate -/+ 1.96 standard errors, Wald interval)."""
        self._require_fit()
        assert self.params_ is not None and self.standard_errors_ is not None
        rows = []
        for k in self.param_names:
            est, se = self.params_[k], self.standard_errors_[k]
            rows.append(
                {
                    "parameter": k,
                    "estimate": est,
                    "std_error": se,
                    "lower_95": est - 1.96 * se,
                    "upper_95": est + 1.96 * se,
                }
            )
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        if self.params_ is None:
            # like scikit-learn: only the parameters that differ from their defaults
            defaults = {
                p.name: p.default
                for p in inspect.signature(type(self).__init__).parameters.values()
            }
            changed = {k: v for k, v in self.get_params().items() if v != defaults.get(k)}
            args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
            return f"{type(self).__name__}({args})"
        inner = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"<{type(self).__name__}: {inner}, log-likelihood {self.log_likelihood_:.2f}>"


def scalar_or_array(value: np.ndarray, *inputs: Any) -> Any:
    """Return a Python float when every input was a scalar, else the array."""
    if all(np.ndim(v) == 0 and not hasattr(v, "to_numpy") for v in inputs):
        return float(np.asarray(value).reshape(-1)[0])
    return value
