"""Agreement between people who label the same contacts: Cohen's kappa for two raters,
Krippendorff's alpha (nominal) for any number of raters with missing values, and agreement per
label. Pure: no store, plain Python values or a frame of any engine in, numbers out.

Definitions
-----------
Cohen's kappa (Cohen 1960), two raters, units both rated:
``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the share of units on which they agree and
``p_e = sum_c p1(c) * p2(c)`` the agreement expected from each rater's own label shares.

Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
every unit with ``m_u >= 2`` values adds ``1 / (m_u - 1)`` to the coincidence ``o[c, k]`` for each
ordered pair of its values (``c`` from one rater, ``k`` from another). With ``n_c`` the row sums
and ``n`` the number of pairable values,
``alpha = 1 - (n - 1) * (n - sum_c o[c, c]) / (n^2 - sum_c n_c^2)``. Units with one value are not
pairable and do not count; raters may miss any unit.

Per label (``per_label``): for label ``c`` the *specific agreement* (Uebersax 1982; for two raters
``2 a / (2 a + b + d)``, the Dice coefficient) generalised to any number of raters per unit:
``sum_u n_uc (n_uc - 1) / sum_u n_uc (m_u - 1)``: of the pairs in which one rater said ``c``, the
share in which the other said ``c`` too. Also Cohen's kappa of ``c`` against "not ``c``" on the
first two labels of each unit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from kundfokus.errors import InputError
from kundfokus.frames import as_frame, require_columns, to_pandas

__all__ = [
    "cohen_kappa",
    "krippendorff_alpha",
    "per_label",
    "reliability",
]


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two raters' labels of the same units (pairs with a missing value are
    left out). ``nan`` when no pair is left or both raters used one and the same label only.

    Examples
    --------
    >>> round(cohen_kappa(list("aabbc"), list("abbbc")), 4)
    0.6875
    >>> cohen_kappa(["x", "x"], ["x", "x"])
    nan
    """
    if len(a) != len(b):
        raise InputError("the two raters must label the same units", value=(len(a), len(b)))
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not _missing(x) and not _missing(y)]
    n = len(pairs)
    if n == 0:
        return float("nan")
    po = sum(x == y for x, y in pairs) / n
    c1, c2 = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum(c1[c] * c2.get(c, 0) for c in c1) / (n * n)
    if pe >= 1.0:
        return float("nan")
    return float((po - pe) / (1.0 - pe))


def _units(units: Iterable[Iterable[Hashable]]) -> list[list[Hashable]]:
    return [[v for v in u if not _missing(v)] for u in units]


def coincidences(units: Iterable[Iterable[Hashable]]) -> tuple[list[Hashable], np.ndarray]:
    """The coincidence matrix of Krippendorff's alpha: the sorted values and ``o[c, k]``.

    ``units`` holds, per unit, the values the raters gave it (missing ones left out or ``None``).
    """
    data = [u for u in _units(units) if len(u) >= 2]
    values = sorted({v for u in data for v in u}, key=str)
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for u in data:
        m = len(u)
        counts = Counter(u)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                o[index[c], index[k]] += pairs / (m - 1)
    return values, o


def krippendorff_alpha(units: Iterable[Iterable[Hashable]]) -> float:
    """Krippendorff's alpha for nominal labels, any number of raters, missing values allowed.

    Parameters
    ----------
    units:
        Per unit, the labels the raters gave it (a rater who did not label the unit is simply
        absent, or ``None``).

    Returns
    -------
    float
        ``1`` perfect agreement, ``0`` what chance gives, below ``0`` systematic disagreement;
        ``nan`` when fewer than two pairable values exist or only one label occurs.

    Examples
    --------
    >>> round(krippendorff_alpha([["a", "a"], ["b", "b"], ["a", "b"]]), 4)
    0.4444
    """
    _, o = coincidences(units)
    n = o.sum()
    if n < 2:
        return float("nan")
    nc = o.sum(axis=1)
    denom = n * n - float((nc**2).sum())
    if denom <= 0:
        return float("nan")
    return float(1.0 - (n - 1) * (n - float(np.trace(o))) / denom)


def per_label(units: Iterable[Iterable[Hashable]]) -> list[dict[str, Any]]:
    """Agreement per label: ``label``, ``n`` (units where at least one rater gave it),
    ``agreement`` (specific agreement, see the module docstring; ``None`` when the label was
    never given on a unit with two raters) and ``kappa`` (label vs not label on the first two
    labels of each unit; ``None`` when undefined). Sorted by label.

    Examples
    --------
    >>> [(r["label"], r["n"], r["agreement"]) for r in per_label([["a", "a"], ["a", "b"]])]
    [('a', 2, 0.6667), ('b', 1, 0.0)]
    """
    data = [u for u in _units(units) if len(u) >= 2]
    labels = sorted({v for u in data for v in u}, key=str)
    out = []
    for c in labels:
        num = den = 0.0
        n = 0
        for u in data:
            k = sum(v == c for v in u)
            if k:
                n += 1
            num += k * (k - 1)
            den += k * (len(u) - 1)
        first = [u[0] == c for u in data]
        second = [u[1] == c for u in data]
        kappa = cohen_kappa(first, second)
        out.append(
            {
                "label": c,
                "n": n,
                "agreement": round(num / den, 4) if den else None,
                "kappa": None if np.isnan(kappa) else round(kappa, 4),
            }
        )
    return out


def reliability(frame: Any, *, unit: str, rater: str, label: str) -> dict[str, Any]:
    """Agreement of a long frame of labels (one row per unit, rater and label), of any engine.

    The frame is reduced in its own engine to one row per unit, rater (the rater's latest row
    is not known in a lazy frame, so a rater should appear once per unit; duplicates count as
    separate values). Returns ``n_units`` (units with two or more labels), ``alpha``, ``kappa``
    (first two raters of each unit, in rater order), ``per_label``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"u": [1, 1, 2, 2, 3], "r": ["x", "y", "x", "y", "x"],
    ...                    "l": ["a", "a", "b", "a", "b"]})
    >>> reliability(df, unit="u", rater="r", label="l")["n_units"]
    2
    """
    import narwhals as nw

    f = as_frame(frame)
    require_columns(f, [unit, rater, label])
    small = to_pandas(
        f.select(nw.col(unit), nw.col(rater).cast(nw.String), nw.col(label).cast(nw.String))
        .filter(~nw.col(label).is_null())
        .group_by(unit, rater, label)
        .agg(nw.len().alias("_n"))
    )
    small = small.sort_values([unit, rater, label], key=lambda s: s.astype(str), kind="stable")
    units: list[list[str]] = []
    for _, g in small.groupby(unit, sort=True):
        vals: list[str] = []
        for v, k in zip(g[label], g["_n"], strict=True):
            vals.extend([str(v)] * int(k))
        units.append(vals)
    pairable = [u for u in units if len(u) >= 2]
    kappa = cohen_kappa([u[0] for u in pairable], [u[1] for u in pairable])
    alpha = krippendorff_alpha(units)
    return {
        "n_units": len(pairable),
        "alpha": None if np.isnan(alpha) else alpha,
        "kappa": None if np.isnan(kappa) else kappa,
        "per_label": per_label(units),
    }
