"""Checks of model inputs that name the row, the column and the value of the first bad entry.

Rows are 1-based positions in the arrays the caller passed (for a frame read from a file with a
header, row ``r`` is data row ``r``, the same convention as :class:`kundfokus.errors.InputError`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kundfokus.errors import InputError


def as_float_array(values: Any, column: str) -> np.ndarray:
    """Turn a scalar, list, NumPy array, pandas/Polars series into a 1-D float array.

    Raises :class:`InputError` naming the first value that is not a finite number.
    """
    if hasattr(values, "to_numpy"):
        raw = values.to_numpy()
    else:
        raw = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    raw = np.atleast_1d(raw)
    if raw.ndim != 1:
        raise InputError(f"expected one value per customer, got an array of shape {raw.shape}")
    try:
        arr = raw.astype(float)
    except (TypeError, ValueError):
        arr = np.empty(len(raw), dtype=float)
        for i, v in enumerate(raw):
            try:
                arr[i] = float(v)
            except (TypeError, ValueError):
                raise InputError("not a number", row=i + 1, column=column, value=_py(v)) from None
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            "missing or not a finite number", row=i + 1, column=column, value=_py(raw[i])
        )
    return arr


def _py(v: Any) -> Any:
    if hasattr(v, "item"):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return v
    return v


def first_bad(mask: np.ndarray) -> int | None:
    """Index of the first ``True`` in ``mask`` or ``None``."""
    if mask.any():
        return int(np.argmax(mask))
    return None


def check_same_length(**arrays: np.ndarray) -> int:
    lengths = {k: len(v) for k, v in arrays.items()}
    n = max(lengths.values())
    for k, v in arrays.items():
        if len(v) not in (1, n):
            raise InputError(
                f"{k!r} has {len(v)} values but other inputs have {n}",
                column=k,
            )
    return n


def check_rfm(frequency: Any, recency: Any, T: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a per-customer summary (frequency, recency, T) and return float arrays.

    Rules: frequency is a whole number >= 0; 0 <= recency <= T; recency is 0 when frequency is 0
    and above 0 when frequency is above 0 (a repeat purchase happens after the first one).
    """
    x = as_float_array(frequency, "frequency")
    tx = as_float_array(recency, "recency")
    t = as_float_array(T, "T")
    n = check_same_length(frequency=x, recency=tx, T=t)
    x, tx, t = (np.broadcast_to(a, (n,)).astype(float) for a in (x, tx, t))
    tol = 1e-9
    if (i := first_bad(x < 0)) is not None:
        raise InputError(
            "frequency cannot be negative", row=i + 1, column="frequency", value=_py(x[i])
        )
    if (i := first_bad(np.abs(x - np.round(x)) > 1e-9)) is not None:
        raise InputError(
            "frequency must be a whole number of repeat purchases",
            row=i + 1,
            column="frequency",
            value=_py(x[i]),
        )
    if (i := first_bad(t < 0)) is not None:
        raise InputError("T cannot be negative", row=i + 1, column="T", value=_py(t[i]))
    if (i := first_bad(tx < 0)) is not None:
        raise InputError(
            "recency cannot be negative", row=i + 1, column="recency", value=_py(tx[i])
        )
    if (i := first_bad(tx > t * (1 + tol) + tol)) is not None:
        raise InputError(
            f"recency is larger than T ({t[i]:g}): the last purchase cannot come after the end "
            "of the calibration period",
            row=i + 1,
            column="recency",
            value=_py(tx[i]),
        )
    if (i := first_bad((x > 0) & (tx <= 0))) is not None:
        raise InputError(
            f"recency is 0 but frequency is {x[i]:g}: a repeat purchase must come after the first",
            row=i + 1,
            column="recency",
            value=_py(tx[i]),
        )
    if (i := first_bad((x == 0) & (tx != 0))) is not None:
        raise InputError(
            "recency must be 0 for a customer without repeat purchases (frequency 0)",
            row=i + 1,
            column="recency",
            value=_py(tx[i]),
        )
    return x, np.minimum(tx, t), t


def check_weights(weights: Any, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = as_float_array(weights, "weights")
    if len(w) == 1 and n != 1:
        w = np.full(n, w[0])
    if len(w) != n:
        raise InputError(
            f"weights has {len(w)} values but there are {n} customers", column="weights"
        )
    if (i := first_bad(w < 0)) is not None:
        raise InputError("weights cannot be negative", row=i + 1, column="weights", value=_py(w[i]))
    if w.sum() <= 0:
        raise InputError("the weights sum to 0: nothing to fit", column="weights")
    return w


def check_horizon(t: Any) -> np.ndarray:
    arr = as_float_array(t, "t")
    if (i := first_bad(arr < 0)) is not None:
        raise InputError(
            "the horizon t cannot be negative", row=i + 1, column="t", value=_py(arr[i])
        )
    return arr
