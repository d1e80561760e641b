"""Exact Shapley (LMG) decomposition of R² and Johnson's relative weights, from a covariance matrix.

Both work on the covariance (or correlation) matrix of the design columns and the outcome alone:
R² of the regression on any subset S of columns is ``r_Sy' R_SS^-1 r_Sy`` (correlations), so the
2^k subsets of k drivers cost one small linear solve each and never touch the rows again.

A *driver* may own several design columns (the one-hot dummies of a categorical driver): it is
the unit that enters and leaves the model, so its Shapley value is that of the whole group.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> x = rng.normal(size=(500, 3))
>>> y = x @ [1.0, 0.5, 0.0] + rng.normal(size=500)
>>> res = shapley_r2(x, y)
>>> bool(np.isclose(res.shapley.sum(), res.r2))
True
>>> rw = relative_weights(x, y)
>>> bool(np.isclose(rw.weights.sum(), rw.r2)), bool(np.isclose(rw.r2, res.r2))
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from math import factorial
from typing import Any, NamedTuple

import numpy as np

#: Most drivers for which the exact Shapley decomposition is computed (2^20 subsets).
MAX_EXACT_DRIVERS = 20

__all__ = [
    "MAX_EXACT_DRIVERS",
    "RelativeWeights",
    "ShapleyResult",
    "relative_weights",
    "relative_weights_from_cov",
    "shapley_from_cov",
    "shapley_from_values",
    "shapley_r2",
    "subset_r2",
]


class ShapleyResult(NamedTuple):
    """R² of the full model and each driver's Shapley value (they sum to ``r2``)."""

    r2: float
    shapley: np.ndarray


class RelativeWeights(NamedTuple):
    """R² of the full model and each driver's raw relative weight (they sum to ``r2``)."""

    r2: float
    weights: np.ndarray


def _groups(groups: Sequence[Sequence[int]] | None, p: int) -> list[list[int]]:
    if groups is None:
        return [[j] for j in range(p)]
    out = [list(map(int, g)) for g in groups]
    flat = [c for g in out for c in g]
    if sorted(flat) != list(range(p)) or any(not g for g in out):
        raise ValueError("groups must split the design columns 0..p-1, each column in one group")
    return out


def _correlation(cov: np.ndarray) -> np.ndarray:
    """Covariance (..., q, q) to correlation. A zero-variance column (a rare dummy missing from
    one bootstrap resample) gets a zero row and column and a 1 on the diagonal: it then adds
    nothing to any R² and the solves stay regular."""
    var = np.clip(np.diagonal(cov, axis1=-2, axis2=-1), 0, None)
    d = np.sqrt(var)
    zero = ~(d > 0)
    d = np.where(zero, np.inf, d)
    corr = cov / d[..., :, None] / d[..., None, :]
    i = np.arange(cov.shape[-1])
    corr[..., i, i] = np.where(zero, 1.0, corr[..., i, i])
    return corr


def _cov(x: Any, y: Any) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.shape[0] != y.shape[0]:
        raise ValueError("x and y must have the same number of rows")
    return np.cov(np.hstack([x, y]), rowvar=False).reshape(x.shape[1] + 1, x.shape[1] + 1)


def subset_r2(cov: np.ndarray, groups: Sequence[Sequence[int]] | None = None) -> np.ndarray:
    """R² of the regression of the outcome on every subset of the drivers.

    ``cov`` is the (q, q) covariance matrix of the design columns with the outcome *last*, or a
    stack (..., q, q) of them (bootstrap replicates). Subset ``S`` is the bit mask
    ``sum(1 << j for j in S)``; the result has shape (..., 2^k) and ``R²(empty) = 0``.

    >>> cov = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.3], [0.6, 0.3, 1.0]])
    >>> subset_r2(cov).round(2).tolist()
    [0.0, 0.36, 0.09, 0.45]
    """
    cov = np.asarray(cov, dtype=float)
    q = cov.shape[-1]
    p = q - 1
    batch = cov.shape[:-2]
    corr = _correlation(cov.reshape(-1, q, q))
    b = corr.shape[0]
    units = _groups(groups, p)
    k = len(units)
    member = np.zeros((k, p), dtype=np.int64)
    for u, cols in enumerate(units):
        member[u, cols] = 1
    masks = np.arange(2**k)
    bits = (masks[:, None] >> np.arange(k)) & 1
    colmask = (bits @ member) > 0
    counts = colmask.sum(axis=1)
    out = np.zeros((b, 2**k))
    for c in np.unique(counts):
        if c == 0:
            continue
        rows = np.nonzero(counts == c)[0]
        idx = np.nonzero(colmask[rows])[1].reshape(len(rows), c)
        step = max(1, int(4_000_000 // max(1, b * c * c)))
        for start in range(0, len(rows), step):
            ix = idx[start : start + step]
            rss = corr[:, ix[:, :, None], ix[:, None, :]]
            rsy = corr[:, ix, p]
            sol = np.linalg.solve(rss, rsy[..., None])[..., 0]
            out[:, rows[start : start + step]] = (rsy * sol).sum(axis=-1)
    return out.reshape((*batch, 2**k))


def shapley_from_values(values: np.ndarray, k: int) -> np.ndarray:
    """Shapley values of k players from the value of every coalition (indexed by bit mask).

    phi_j = sum over S not holding j of |S|! (k - |S| - 1)! / k! * (v(S + j) - v(S)).

    >>> shapley_from_values(np.array([0.0, 0.36, 0.09, 0.45]), 2).round(3).tolist()
    [0.36, 0.09]
    """
    values = np.asarray(values, dtype=float)
    masks = np.arange(2**k)
    size = np.zeros(2**k, dtype=np.int64)
    for j in range(k):
        size += (masks >> j) & 1
    weight = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    phi = np.empty((*values.shape[:-1], k))
    for j in range(k):
        without = masks[((masks >> j) & 1) == 0]
        gain = values[..., without | (1 << j)] - values[..., without]
        phi[..., j] = (gain * weight[size[without]]).sum(axis=-1)
    return phi


def shapley_from_cov(
    cov: np.ndarray, groups: Sequence[Sequence[int]] | None = None
) -> ShapleyResult:
    """The exact Shapley (LMG) decomposition of R² from the covariance matrix (outcome last).

    With stacked matrices (bootstrap) ``r2`` and ``shapley`` are arrays over the stack.
    """
    cov = np.asarray(cov, dtype=float)
    k = len(_groups(groups, cov.shape[-1] - 1))
    if k > MAX_EXACT_DRIVERS:
        raise ValueError(
            f"exact Shapley needs 2^k subsets; {k} drivers is more than {MAX_EXACT_DRIVERS}"
        )
    values = subset_r2(cov, groups)
    phi = shapley_from_values(values, k)
    r2 = values[..., -1]
    return ShapleyResult(r2=float(r2) if np.ndim(r2) == 0 else r2, shapley=phi)


def shapley_r2(x: Any, y: Any, groups: Sequence[Sequence[int]] | None = None) -> ShapleyResult:
    """Exact Shapley (LMG) decomposition of the R² of an ordinary least squares regression of ``y``
    on the columns of ``x`` (with an intercept).

    ``groups`` (a list of lists of column indices) makes a set of columns enter together, as one
    driver; by default every column is its own driver. The Shapley values sum to R².

    >>> x = [[1, 0, 2], [0, 1, 1], [1, 1, 0], [0, 0, 1], [2, 1, 3], [3, 1, 1], [1, 2, 2]]
    >>> res = shapley_r2(x, [1.0, 2.0, 3.0, 0.5, 4.0, 3.5, 2.0])
    >>> round(res.r2, 4), res.shapley.round(4).tolist()
    (0.6858, [0.4825, 0.1928, 0.0104])
    """
    return shapley_from_cov(_cov(x, y), groups)


def relative_weights_from_cov(
    cov: np.ndarray, groups: Sequence[Sequence[int]] | None = None
) -> RelativeWeights:
    """Johnson's (2000) raw relative weights from the covariance matrix (outcome last).

    The design columns are replaced by their closest orthogonal counterparts Z (R_xx = P D P',
    Lambda = P D^1/2 P'); the outcome is regressed on Z (beta = Lambda^-1 r_xy) and column j gets
    ``sum_k Lambda_jk^2 beta_k^2``. The weights sum to R²; a group's weight is the sum over its
    columns (with dummies this depends a little on which level is left out).
    """
    cov = np.asarray(cov, dtype=float)
    p = cov.shape[-1] - 1
    units = _groups(groups, p)
    corr = _correlation(cov)
    rxx, rxy = corr[:p, :p], corr[:p, p]
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 1e-15, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    beta = evecs @ np.diag(1 / np.sqrt(evals)) @ evecs.T @ rxy
    eps = (lam**2) @ (beta**2)
    weights = np.array([eps[g].sum() for g in units])
    return RelativeWeights(r2=float(beta @ beta), weights=weights)


def relative_weights(
    x: Any, y: Any, groups: Sequence[Sequence[int]] | None = None
) -> RelativeWeights:
    """Johnson's (2000) raw relative weights of the columns of ``x`` for ``y``; they sum to R².

    Close to the Shapley values and cheap for any number of drivers.

    >>> x = [[1, 0, 2], [0, 1, 1], [1, 1, 0], [0, 0, 1], [2, 1, 3], [3, 1, 1], [1, 2, 2]]
    >>> rw = relative_weights(x, [1.0, 2.0, 3.0, 0.5, 4.0, 3.5, 2.0])
    >>> round(rw.r2, 4), rw.weights.round(4).tolist()
    (0.6858, [0.4819, 0.1939, 0.01])
    """
    return relative_weights_from_cov(_cov(x, y), groups)
