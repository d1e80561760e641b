"""Offline policy evaluation: the value of a new policy estimated from logs of an old one.

The estimators (Dudík, Langford & Li 2011; see docs/recommend.md):

* **IPS** (inverse propensity scoring): the mean of ``w_i * y_i`` with the weight
  ``w_i = pi(a_i | x_i) / p_i`` (target policy's probability over the logging propensity).
  Unbiased when the propensities are right; its variance grows with large weights.
* **SNIPS** (self-normalised IPS): ``sum(w y) / sum(w)``; a little biased, but always within the
  range of the outcomes and usually much less variable.
* **DM** (direct method): the mean of the outcome model's prediction for the target action.
  Low variance, biased when the model is wrong.
* **DR** (doubly robust): ``DM + mean(w_i (y_i - q(x_i, a_i)))``: unbiased when either the
  propensities or the outcome model are right, and less variable than IPS when the model is good.
* **ESS** (effective sample size): ``(sum w)^2 / sum w^2``, how many cases the reweighted logs are
  worth.

All of them work on per-cell sums (``n``, ``sy``, ``s1`` = Σ1/p, ``syp`` = Σy/p, ``s2`` = Σ1/p²,
``syp2`` = Σy/p², ``sy2p2`` = Σy²/p²) so that a history in DuckDB or Spark is summarised in its
engine first. :func:`row_stats` turns plain row arrays into such sums (one "cell" per row), which
is how the simulator tests call them. The intervals are normal intervals from the influence function
(the per-row terms' variance), at ``level``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import stats as st

__all__ = ["estimate_value", "row_stats"]


def row_stats(y: Any, p: Any) -> dict[str, np.ndarray]:
    """Per-row sums (one row = one cell) for :func:`estimate_value`.

    >>> s = row_stats([1.0, 0.0], [0.5, 0.25])
    >>> s["s1"].tolist(), s["syp"].tolist()
    ([2.0, 4.0], [2.0, 0.0])
    """
    y = np.asarray(y, dtype=float)
    inv = 1.0 / np.asarray(p, dtype=float)
    return {
        "n": np.ones_like(y),
        "sy": y,
        "sy2": y * y,
        "s1": inv,
        "syp": y * inv,
        "s2": inv * inv,
        "syp2": y * inv * inv,
        "sy2p2": y * y * inv * inv,
    }


def _interval(mean: float, sum_sq: float, n: float, z: float) -> tuple[float, float, float]:
    var = max(sum_sq / n - mean * mean, 0.0) * n / max(n - 1.0, 1.0)
    se = float(np.sqrt(var / n))
    return se, mean - z * se, mean + z * se


def estimate_value(
    stats: Mapping[str, Any],
    pi: Any,
    q: Any,
    v: Any,
    *,
    level: float = 0.95,
) -> dict[str, float]:
    """IPS, SNIPS, DM and DR estimates of a target policy's value, with intervals, and the ESS.

    Parameters
    ----------
    stats : mapping of arrays
        Per cell (situation × logged action): ``n, sy, sy2, s1, syp, s2, syp2, sy2p2``.
    pi : array
        The target policy's probability of the cell's logged action in the cell's situation.
    q : array
        The outcome model's prediction for the cell's situation and logged action.
    v : array
        The outcome model's value of the target policy in the cell's situation,
        ``sum_a pi(a|x) q(x, a)``.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    dict
        ``logged_value, dm, ips, snips, dr`` with ``*_se``, ``*_ci_low``, ``*_ci_high`` (for
        ``ips``, ``snips``, ``dr``, ``dm``, ``logged_value``), ``ess``, ``n``, ``max_weight``.

    Examples
    --------
    Uniform logs over two actions, a target policy that always takes the first: IPS doubles the
    outcomes of the first action's rows.

    >>> s = row_stats([1.0, 0.0, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5])
    >>> pi = np.array([1.0, 0.0, 1.0, 0.0])
    >>> out = estimate_value(s, pi, np.zeros(4), np.zeros(4))
    >>> out["ips"], out["snips"], out["ess"]
    (1.0, 1.0, 2.0)
    """
    g = {k: np.asarray(stats[k], dtype=float) for k in ("n", "sy", "sy2", "s1", "syp", "s2",
                                                        "syp2", "sy2p2")}  # fmt: skip
    pi = np.asarray(pi, dtype=float)
    q = np.asarray(q, dtype=float)
    v = np.asarray(v, dtype=float)
    n_total = float(g["n"].sum())
    z = float(st.norm.ppf(0.5 + level / 2))
    out: dict[str, float] = {"n": n_total}

    logged = float(g["sy"].sum() / n_total)
    se, lo, hi = _interval(logged, float(g["sy2"].sum()), n_total, z)
    out.update(logged_value=logged, logged_value_ci_low=lo, logged_value_ci_high=hi)

    dm = float((g["n"] * v).sum() / n_total)
    se, lo, hi = _interval(dm, float((g["n"] * v * v).sum()), n_total, z)
    out.update(dm=dm, dm_se=se, dm_ci_low=lo, dm_ci_high=hi)

    ips = float((pi * g["syp"]).sum() / n_total)
    se, lo, hi = _interval(ips, float((pi * pi * g["sy2p2"]).sum()), n_total, z)
    out.update(ips=ips, ips_se=se, ips_ci_low=lo, ips_ci_high=hi)

    # SNIPS and the ESS do not change when every weight is scaled: scale by the largest
    # probability so that tiny ones do not underflow when squared
    top = float(pi.max()) if len(pi) else 0.0
    ps = pi / top if top > 0 else pi
    sum_w = float((ps * g["s1"]).sum())
    sum_w2 = float((ps * ps * g["s2"]).sum())
    if sum_w > 0 and sum_w2 > 0:
        sn = float((ps * g["syp"]).sum() / sum_w)
        # delta method: the terms w_i (y_i - snips) / mean(w)
        resid2 = float((ps * ps * (g["sy2p2"] - 2 * sn * g["syp2"] + sn * sn * g["s2"])).sum())
        mean_w = sum_w / n_total
        se = float(np.sqrt(max(resid2, 0.0) / n_total / n_total) / mean_w)
        out.update(snips=sn, snips_se=se, snips_ci_low=sn - z * se, snips_ci_high=sn + z * se)
        out["ess"] = sum_w * sum_w / sum_w2
    else:
        nan = float("nan")
        out.update(snips=nan, snips_se=nan, snips_ci_low=nan, snips_ci_high=nan, ess=0.0)

    # DR terms phi_i = v + pi (y_i - q) / p_i
    corr = pi * (g["syp"] - q * g["s1"])
    sum_phi = float((g["n"] * v + corr).sum())
    sum_phi2 = float(
        (
            g["n"] * v * v
            + 2 * v * corr
            + pi * pi * (g["sy2p2"] - 2 * q * g["syp2"] + q * q * g["s2"])
        ).sum()
    )
    dr = sum_phi / n_total
    se, lo, hi = _interval(dr, sum_phi2, n_total, z)
    out.update(dr=dr, dr_se=se, dr_ci_low=lo, dr_ci_high=hi)
    # the largest single weight pi/p (s1/n is the mean 1/p of a cell; exact when p is constant)
    with np.errstate(divide="ignore", invalid="ignore"):
        w_cell = np.where(g["n"] > 0, pi * g["s1"] / g["n"], 0.0)
    out["max_weight"] = float(w_cell.max()) if len(w_cell) else 0.0
    return out


def cell_action_value(
    n_x: Any,
    s: Mapping[str, Any],
    q: Any,
    *,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Doubly robust estimate of the mean outcome if every case of a situation cell got action ``a``.

    ``n_x`` is the number of cases of the cell, ``s`` the sums of the cases that got ``a``
    (``n, s1, syp, s2, syp2, sy2p2``) and ``q`` the outcome model's prediction for the cell and
    ``a``. The terms are ``q + 1[a_i = a] (y_i - q) / p_i`` over the cell's cases. Returns the
    estimate and the interval bounds (arrays over cells).
    """
    n_x = np.asarray(n_x, dtype=float)
    q = np.asarray(q, dtype=float)
    s1, syp = np.asarray(s["s1"], float), np.asarray(s["syp"], float)
    s2, syp2, sy2p2 = (np.asarray(s[k], float) for k in ("s2", "syp2", "sy2p2"))
    z = float(st.norm.ppf(0.5 + level / 2))
    corr = syp - q * s1
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = q + corr / n_x
        sum_sq = n_x * q * q + 2 * q * corr + (sy2p2 - 2 * q * syp2 + q * q * s2)
        var = np.maximum(sum_sq / n_x - mean * mean, 0.0) * n_x / np.maximum(n_x - 1.0, 1.0)
        se = np.sqrt(var / n_x)
    return mean, mean - z * se, mean + z * se
