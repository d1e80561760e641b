"""Confidence intervals for NPS, proportions (CSAT, CES agreement) and means."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from kundfokus.errors import InputError
from kundfokus.scores.counting import MEAN_CI, NPS_CI, PROPORTION_CI
from kundfokus.stats import wilson_interval, z_value

# --------------------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------------------


def nps_interval(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    method: str = "adjusted-wald",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> tuple[float, float, float]:
    """Standard error and confidence interval of an NPS, on the -100..100 scale.

    Parameters
    ----------
    promoters, passives, detractors:
        Counts of answers 9-10, 7-8 and 0-6.
    method:
        ``"adjusted-wald"`` (default; Rocks 2016, Lewis & Sauro: add 3 to n and 3/4 to both
        promoters and detractors, then use the Wald formula), ``"wald"`` (NPS +- z * SE with
        SE = sqrt((pP + pD - (pP - pD)^2) / n)) or ``"bootstrap"`` (percentile interval of
        ``n_boot`` resamples of the respondents, seeded).
    level:
        Confidence level.

    Returns
    -------
    (se, ci_low, ci_high)
        The standard error used for the interval (for the adjusted Wald, the adjusted one; for the
        bootstrap, the standard deviation of the resampled NPS) and the bounds, clipped to
        -100..100.

    Examples
    --------
    >>> se, lo, hi = nps_interval(50, 30, 20, method="wald")
    >>> round(se, 3), round(lo, 2), round(hi, 2)
    (7.81, 14.69, 45.31)
    >>> [round(x, 2) for x in nps_interval(50, 30, 20)]
    [7.69, 14.05, 44.2]
    """
    n = promoters + passives + detractors
    if n <= 0:
        return math.nan, math.nan, math.nan
    z = z_value(level)
    if method == "bootstrap":
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(n, [promoters / n, passives / n, detractors / n], size=n_boot)
        boot = 100.0 * (draws[:, 0] - draws[:, 2]) / n
        alpha = (1 - level) / 2
        lo, hi = np.quantile(boot, [alpha, 1 - alpha])
        return float(np.std(boot, ddof=1)), float(lo), float(hi)
    if method == "adjusted-wald":
        n_adj = n + 3.0
        p, d = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    elif method == "wald":
        n_adj = float(n)
        p, d = promoters / n, detractors / n
    else:
        raise InputError(f"unknown interval {method!r} for NPS: use {', '.join(NPS_CI)}")
    var = p + d - (p - d) ** 2
    se = math.sqrt(max(var, 0.0) / n_adj)
    centre = p - d
    return 100 * se, max(-100.0, 100 * (centre - z * se)), min(100.0, 100 * (centre + z * se))


def proportion_interval(
    k: int,
    n: int,
    *,
    method: str = "wilson",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> tuple[float, float, float]:
    """Standard error and interval of a share ``k / n``, in percent.

    ``"wilson"`` (Wilson 1927, the default), ``"adjusted-wald"`` (Agresti-Coull: add z^2/2 successes
    and z^2 trials; the adjusted Wald of Lewis & Sauro), ``"wald"`` or ``"bootstrap"``. The standard
    error is the plain sqrt(p(1-p)/n) except for the bootstrap (standard deviation of resamples).

    Examples
    --------
    >>> [round(x, 3) for x in proportion_interval(0, 10)]  # Wilson upper bound z^2/(n+z^2)
    [0.0, 0.0, 27.753]
    """
    if n <= 0:
        return math.nan, math.nan, math.nan
    z = z_value(level)
    p = k / n
    se = math.sqrt(p * (1 - p) / n)
    if method == "wilson":
        lo, hi = wilson_interval(k, n, level)
    elif method == "adjusted-wald":
        n_adj = n + z * z
        p_adj = (k + z * z / 2) / n_adj
        half = z * math.sqrt(p_adj * (1 - p_adj) / n_adj)
        lo, hi = p_adj - half, p_adj + half
    elif method == "wald":
        lo, hi = p - z * se, p + z * se
    elif method == "bootstrap":
        rng = np.random.default_rng(seed)
        boot = rng.binomial(n, p, size=n_boot) / n
        alpha = (1 - level) / 2
        lo, hi = np.quantile(boot, [alpha, 1 - alpha])
        se = float(np.std(boot, ddof=1))
    else:
        raise InputError(f"unknown interval {method!r} for a share: use {', '.join(PROPORTION_CI)}")
    return 100 * se, 100 * max(0.0, float(lo)), 100 * min(1.0, float(hi))


def _mean_stats(values: np.ndarray, counts: np.ndarray) -> tuple[int, float, float]:
    n = int(counts.sum())
    if n == 0:
        return 0, math.nan, math.nan
    mean = float((values * counts).sum() / n)
    sd = float(math.sqrt(((values - mean) ** 2 * counts).sum() / (n - 1))) if n > 1 else math.nan
    return n, mean, sd


def mean_interval(
    values: np.ndarray,
    counts: np.ndarray,
    *,
    method: str = "t",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> tuple[float, float, float]:
    """Standard error and interval of a mean answer from counts per scale value (t or bootstrap).

    Examples
    --------
    >>> se, lo, hi = mean_interval(np.array([1.0, 7.0]), np.array([2, 2]))
    >>> round(se, 3), round(lo, 3), round(hi, 3)
    (1.732, -1.512, 9.512)
    """
    values = np.asarray(values, dtype=float)
    counts = np.asarray(counts, dtype=np.int64)
    n, mean, sd = _mean_stats(values, counts)
    if n < 2:
        return math.nan, math.nan, math.nan
    z_value(level)
    if method == "t":
        se = sd / math.sqrt(n)
        t = float(stats.t.ppf(0.5 + level / 2, n - 1))
        return se, mean - t * se, mean + t * se
    if method == "bootstrap":
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(n, counts / n, size=n_boot)
        boot = draws @ values / n
        alpha = (1 - level) / 2
        lo, hi = np.quantile(boot, [alpha, 1 - alpha])
        return float(np.std(boot, ddof=1)), float(lo), float(hi)
    raise InputError(f"unknown interval {method!r} for a mean: use {', '.join(MEAN_CI)}")
