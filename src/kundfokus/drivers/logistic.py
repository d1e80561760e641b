"""Logistic regression for a binary outcome: McFadden's pseudo-R² of every subset of drivers, and
Tonidandel & LeBreton's (2010) relative weights for logistic regression.

The fits are plain (unpenalised) maximum likelihood by iteratively reweighted least squares
(Newton's method) in numpy, batched over the subsets: one pass of matrix products fits all 2^k
models at once. Rows carry a weight (how many times the row occurs), so identical rows are fitted
once and a bootstrap resample is just a new set of weights.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(3)
>>> x = rng.normal(size=(400, 2))
>>> y = (rng.random(400) < 1 / (1 + np.exp(-(x @ [1.5, 0.0])))).astype(float)
>>> values, _, _ = subset_mcfadden(x, y, np.ones(400), [[0], [1]])
>>> bool(values[1] > 0.1 > values[2] >= 0), bool(values[3] >= values[1])
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.special import expit

__all__ = ["fit_subsets", "logistic_relative_weights", "null_loglik", "subset_mcfadden"]

#: Most drivers for a binary outcome: 2^k logistic fits per bootstrap resample.
MAX_LOGISTIC_DRIVERS = 12

_MAX_ITER = 60
_TOL = 1e-9


def _loglik(eta: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    # log p = -log(1 + e^-eta), log(1 - p) = -log(1 + e^eta), stable for large |eta|
    ll = -(y[:, None] * np.logaddexp(0, -eta) + (1 - y[:, None]) * np.logaddexp(0, eta))
    return (w[:, None] * ll).sum(axis=0)


def null_loglik(y: np.ndarray, w: np.ndarray) -> float:
    """Log-likelihood of the intercept-only model."""
    ybar = float((w * y).sum() / w.sum())
    if ybar <= 0 or ybar >= 1:
        return 0.0
    return float(w.sum() * (ybar * np.log(ybar) + (1 - ybar) * np.log(1 - ybar)))


def fit_subsets(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    colmask: np.ndarray,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Fit one logistic model per row of ``colmask`` (S, p): the columns it allows, plus an
    intercept. Returns the coefficients (S, p + 1, intercept first; 0 for left-out columns), the
    log-likelihoods (S,) and whether every fit converged."""
    n, p = x.shape
    xi = np.hstack([np.ones((n, 1)), x])
    allow = np.hstack([np.ones((len(colmask), 1), dtype=bool), np.asarray(colmask, dtype=bool)])
    s_all = len(allow)
    ybar = float((w * y).sum() / w.sum())
    b0 = np.log(ybar / (1 - ybar)) if 0 < ybar < 1 else 0.0
    coef = np.zeros((s_all, p + 1))
    coef[:, 0] = b0
    if start is not None:
        coef = np.where(allow, start, 0.0)
    ll = np.empty(s_all)
    converged = True
    chunk = max(1, int(3_000_000 // max(1, n * (p + 1))))
    eye = np.eye(p + 1)
    outer = None
    if n * (p + 1) ** 2 <= 20_000_000:
        outer = (xi[:, :, None] * xi[:, None, :]).reshape(n, (p + 1) ** 2)
    for lo in range(0, s_all, chunk):
        a = allow[lo : lo + chunk]
        b = coef[lo : lo + chunk].copy()
        off = ~a
        done = False
        for _ in range(_MAX_ITER):
            eta = xi @ b.T
            mu = expit(eta)
            wt = w[:, None] * mu * (1 - mu)
            grad = (xi.T @ (w[:, None] * (y[:, None] - mu))).T  # (s, p+1)
            if outer is not None:  # every row's x x' once; then one matrix product
                hess = (wt.T @ outer).reshape(-1, p + 1, p + 1)
            else:
                hess = np.stack([(xi * wt[:, i, None]).T @ xi for i in range(wt.shape[1])])
            grad[off] = 0.0
            hess[off[:, :, None] | off[:, None, :]] = 0.0
            hess += eye[None] * off[:, None, :] + 1e-10 * eye[None]
            step = np.linalg.solve(hess, grad[..., None])[..., 0]
            b += step
            if np.max(np.abs(step)) < _TOL * max(1.0, float(np.max(np.abs(b)))):
                done = True
                break
        converged = converged and done
        coef[lo : lo + chunk] = b
        ll[lo : lo + chunk] = _loglik(xi @ b.T, y, w)
    return coef, ll, converged


def _colmask(groups: Sequence[Sequence[int]], p: int) -> np.ndarray:
    k = len(groups)
    member = np.zeros((k, p), dtype=np.int64)
    for u, cols in enumerate(groups):
        member[u, list(cols)] = 1
    bits = (np.arange(2**k)[:, None] >> np.arange(k)) & 1
    return (bits @ member) > 0


def subset_mcfadden(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    groups: Sequence[Sequence[int]],
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """McFadden's pseudo-R² ``1 - LL(S) / LL(null)`` of the logistic model on every subset S of
    the drivers (bit masks as in :func:`kundfokus.drivers.shapley.subset_r2`), with the fitted
    coefficients (for warm starts) and whether every fit converged."""
    x = np.asarray(x, dtype=float)
    mask = _colmask(groups, x.shape[1])
    coef, ll, ok = fit_subsets(x, y, w, mask, start)
    ll0 = null_loglik(y, w)
    values = 1 - ll / ll0 if ll0 < 0 else np.zeros(len(ll))
    values[0] = 0.0
    return values, coef, ok


def logistic_relative_weights(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, groups: Sequence[Sequence[int]], r2: float
) -> np.ndarray:
    """Relative weights for logistic regression (Tonidandel & LeBreton 2010), scaled to sum to the
    model's pseudo-R² ``r2``.

    The standardised design X is replaced by its closest orthogonal counterpart Z = X P D^-1/2 P';
    the outcome's logit is regressed on Z; the coefficients are standardised (b_k * R / SD of the
    fitted logit, R = sqrt(r2)) and column j gets ``sum_k Lambda_jk^2 beta_k^2``.
    """
    x = np.asarray(x, dtype=float)
    sw = w.sum()
    mean = (w[:, None] * x).sum(axis=0) / sw
    sd = np.sqrt((w[:, None] * (x - mean) ** 2).sum(axis=0) / sw)
    xs = (x - mean) / np.where(sd > 0, sd, 1.0)
    rxx = (w[:, None] * xs).T @ xs / sw
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 1e-15, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    z = xs @ evecs @ np.diag(1 / np.sqrt(evals)) @ evecs.T
    coef, _, _ = fit_subsets(z, y, w, np.ones((1, z.shape[1]), dtype=bool))
    b = coef[0, 1:]
    logit = z @ b
    sd_logit = float(np.sqrt((w * (logit - (w * logit).sum() / sw) ** 2).sum() / sw))
    if sd_logit <= 0:
        return np.zeros(len(groups))
    beta = b * np.sqrt(max(r2, 0.0)) / sd_logit
    eps = (lam**2) @ (beta**2)
    return np.array([eps[list(g)].sum() for g in groups])


def compress(rows: np.ndarray, weights: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Identical rows once, with how often they occur (or the sum of their weights)."""
    uniq, inverse = np.unique(rows, axis=0, return_inverse=True)
    w = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=float)
    return uniq, np.bincount(inverse.ravel(), weights=w, minlength=len(uniq))
