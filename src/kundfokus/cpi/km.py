"""Kaplan-Meier estimation for durations with open (right-censored) journeys, in vectorised numpy.

A journey that has started (its ``from`` event happened) but not finished (no ``to`` event yet) is
*open*: we know its duration is at least the time from its start to the end of the data, not the
duration itself. Dropping open journeys makes durations look shorter than they are; counting them as
finished at the end of the data does the same. The Kaplan-Meier estimator (Kaplan & Meier 1958)
uses them honestly: they count as "still running" up to their censoring time.

- :func:`kaplan_meier`: the survival curve ``S(t)`` (share of journeys still running after ``t``)
  with Greenwood's variance, at each distinct finishing time.
- :func:`km_median`: the first time ``S(t)`` falls to 0.5 or below (NaN when it never does).
- :func:`km_median_interval`: a Brookmeyer-Crowley interval for the median: the times where the
  Greenwood pointwise confidence band of ``S(t)``, on the log(-log) scale, contains 0.5.
- :func:`survival_at`: ``S(t)`` at any times (the share of journeys finishing within a target is
  ``1 - S(target)``).

Examples
--------
>>> import numpy as np
>>> km = kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([True] * 5))
>>> km.survival.round(12).tolist()
[0.8, 0.6, 0.4, 0.2, 0.0]
>>> km_median(km)
3.0
>>> km = kaplan_meier(np.array([1.0, 2.0, 3.0, 10.0]), np.array([True, True, False, False]))
>>> km_median(km)  # S stays at 0.5 after t = 2: the median is 2
2.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kundfokus.stats import z_value

__all__ = ["KaplanMeier", "kaplan_meier", "km_median", "km_median_interval", "survival_at"]


@dataclass(frozen=True)
class KaplanMeier:
    """The estimated curve at the distinct times where at least one journey finished."""

    times: np.ndarray
    survival: np.ndarray
    #: Greenwood's sum, ``sum d / (n (n - d))``; ``Var S(t) = S(t)^2 * greenwood``.
    greenwood: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    n: int
    n_censored: int

    @property
    def se(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.where(self.survival > 0, self.survival * np.sqrt(self.greenwood), 0.0)


def kaplan_meier(durations: np.ndarray, observed: np.ndarray) -> KaplanMeier:
    """Kaplan-Meier curve of ``durations``; ``observed`` is False for censored (open) journeys.

    A censored journey at the same time as a finished one still counts as at risk at that time
    (the usual convention: events happen before censorings at a tie).
    """
    d = np.asarray(durations, dtype=float)
    obs = np.asarray(observed, dtype=bool)
    if d.shape != obs.shape:
        raise ValueError("durations and observed must have the same length")
    n = int(d.size)
    if n == 0:
        empty = np.empty(0)
        return KaplanMeier(empty, empty, empty, empty, empty, 0, 0)
    times, inverse = np.unique(d, return_inverse=True)
    total = np.bincount(inverse, minlength=times.size)
    events = np.bincount(inverse, weights=obs.astype(float), minlength=times.size)
    # at risk at t_i: all journeys whose time is >= t_i
    at_risk = n - np.concatenate(([0], np.cumsum(total)[:-1]))
    keep = events > 0
    times, events, at_risk = times[keep], events[keep], at_risk[keep].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - events / at_risk)
        term = np.where(at_risk > events, events / (at_risk * (at_risk - events)), np.inf)
    greenwood = np.cumsum(term)
    return KaplanMeier(times, survival, greenwood, at_risk, events, n, int(n - obs.sum()))


def survival_at(km: KaplanMeier, t: float | np.ndarray) -> np.ndarray | float:
    """``S(t)``: the step function, 1 before the first finishing time.

    >>> import numpy as np
    >>> km = kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4, bool))
    >>> float(survival_at(km, 2.5)), float(survival_at(km, 0.5))
    (0.5, 1.0)
    """
    idx = np.searchsorted(km.times, np.asarray(t, dtype=float), side="right") - 1
    s = np.where(idx >= 0, km.survival[np.clip(idx, 0, None)] if km.times.size else 1.0, 1.0)
    return float(s) if np.ndim(s) == 0 else s


def _first_at_or_below(times: np.ndarray, curve: np.ndarray, level: float) -> float:
    hit = np.flatnonzero(curve <= level + 1e-12)
    return float(times[hit[0]]) if hit.size else float("nan")


def km_median(km: KaplanMeier) -> float:
    """The first time the survival estimate falls to 0.5 or below; NaN when it never does (more
    than half the journeys are still open at the end of the data).

    Without censoring this is the lower of the two middle values for an even count (the
    ``inverted_cdf`` quantile) and the middle value for an odd count.
    """
    return _first_at_or_below(km.times, km.survival, 0.5)


def km_median_interval(km: KaplanMeier, level: float = 0.95) -> tuple[float, float]:
    """Brookmeyer-Crowley interval for the median from the Greenwood band on the log(-log) scale.

    The pointwise band of ``S(t)`` is ``S^exp(+-z * se_loglog)`` with
    ``se_loglog = sqrt(greenwood) / |log S|``; the interval is from the first time the lower band
    falls to 0.5 or below to the first time the upper band does (NaN when it never does: the upper
    end is then beyond the data).
    """
    if km.times.size == 0:
        return (float("nan"), float("nan"))
    z = z_value(level)
    s = km.survival
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.log(s)
        se = np.sqrt(km.greenwood) / np.abs(log_s)
        hi = np.where(s > 0, s ** np.exp(-z * se), 0.0)
        lo = np.where(s > 0, s ** np.exp(z * se), 0.0)
    # Where S = 1 or the variance is infinite the band is degenerate: fall back to S itself.
    hi = np.where(np.isfinite(hi), hi, np.where(s > 0, 1.0, 0.0))
    lo = np.where(np.isfinite(lo), lo, 0.0)
    hi = np.where(s >= 1.0, 1.0, hi)
    # The lower band reaches 0.5 first: that is the low end of the median's interval.
    return (_first_at_or_below(km.times, lo, 0.5), _first_at_or_below(km.times, hi, 0.5))
