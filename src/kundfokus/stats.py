"""Small statistical helpers shared by several methods."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.stats import norm

from kundfokus.errors import InputError


def z_value(level: float) -> float:
    """Two-sided normal quantile for a confidence level, e.g. 1.96 for 0.95.

    >>> round(z_value(0.95), 3)
    1.96
    """
    if not 0 < level < 1:
        raise InputError(f"the confidence level must be between 0 and 1, not {level}", value=level)
    return float(norm.ppf(1 - (1 - level) / 2))


def wilson_interval(k: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) score interval for a share ``k / n``, as fractions (NaNs when ``n`` is 0).

    The bounds are exact at the edges: 0 when ``k == 0`` and 1 when ``k == n``.

    >>> lo, hi = wilson_interval(8, 10)
    >>> round(lo, 4), round(hi, 4)
    (0.4902, 0.9433)
    >>> wilson_interval(0, 10)[0], wilson_interval(10, 10)[1]
    (0.0, 1.0)
    """
    if n <= 0:
        return (math.nan, math.nan)
    z = z_value(confidence)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def numerical_hessian(fun: Any, theta: np.ndarray, rel_step: float = 1e-4) -> np.ndarray:
    """Hessian of ``fun`` at ``theta`` by central differences with relative steps."""
    theta = np.asarray(theta, dtype=float)
    k = len(theta)
    h = rel_step * np.maximum(np.abs(theta), 1e-3)
    hess = np.empty((k, k))
    with np.errstate(all="ignore"):
        f0 = fun(theta)
        for i in range(k):
            ei = np.zeros(k)
            ei[i] = h[i]
            hess[i, i] = (fun(theta + ei) - 2 * f0 + fun(theta - ei)) / h[i] ** 2
            for j in range(i + 1, k):
                ej = np.zeros(k)
                ej[j] = h[j]
                v = (
                    fun(theta + ei + ej)
                    - fun(theta + ei - ej)
                    - fun(theta - ei + ej)
                    + fun(theta - ei - ej)
                ) / (4 * h[i] * h[j])
                hess[i, j] = hess[j, i] = v
    return hess


def hessian_from_gradient(grad: Any, theta: np.ndarray, rel_step: float = 1e-5) -> np.ndarray:
    """Hessian by central differences of an analytic gradient (symmetrised)."""
    theta = np.asarray(theta, dtype=float)
    k = len(theta)
    h = rel_step * np.maximum(np.abs(theta), 1e-3)
    hess = np.empty((k, k))
    with np.errstate(all="ignore"):
        for i in range(k):
            e = np.zeros(k)
            e[i] = h[i]
            hess[:, i] = (grad(theta + e) - grad(theta - e)) / (2 * h[i])
        return (hess + hess.T) / 2
