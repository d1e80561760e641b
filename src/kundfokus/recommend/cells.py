"""Validation and per-situation aggregates, computed in the frame's own engine.

Everything the recommender needs from a history is a small table with one row per situation cell
and service mode (action): the number of cases and sums of the outcome and of the inverse logging
propensities (:data:`SUMS`). The cells are the distinct combinations of the situation and feature
columns, as text; numeric feature columns with many values are cut into quartile bins first
(:func:`numeric_bins`). Only these aggregates (and a few distinct values) leave the engine, so a
history in DuckDB or Spark is never collected row by row.

:func:`derive_history` adds the customer's own earlier behaviour (earlier contacts, the mode of the
previous contact, the share of earlier contacts with a good outcome), with window functions in the
engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.frames import as_frame, first_row, is_numeric, require_columns, to_pandas

__all__ = [
    "MISSING",
    "SUMS",
    "cell_expressions",
    "cell_table",
    "check_history",
    "derive_history",
    "numeric_bins",
]

MISSING = "(missing)"
#: The sums kept per cell and action: n, Σy, Σy², Σ1/p, Σy/p, Σ1/p², Σy/p², Σy²/p².
SUMS = ("n", "sy", "sy2", "s1", "syp", "s2", "syp2", "sy2p2")
MAX_CATEGORIES = 8
HISTORY_FEATURES = ("prior_contacts", "prior_action", "prior_good_share")


def numeric_bins(frame: Any, columns: Sequence[str]) -> dict[str, list[float]]:
    """Quartile cut points of the numeric ``columns`` that have more than eight distinct values.

    Only the value counts of each column leave the engine. Columns with eight or fewer values (a
    count of earlier contacts, a 1-5 score) are kept as categories and get no entry.
    """
    f = as_frame(frame)
    schema = f.collect_schema()
    edges: dict[str, list[float]] = {}
    for c in columns:
        if not is_numeric(schema[c]):
            continue
        vc = to_pandas(
            f.filter(~nw.col(c).is_null()).group_by(c).agg(nw.len().alias("_kf_n"))
        ).sort_values(c)
        if len(vc) <= MAX_CATEGORIES:
            continue
        values = vc[c].to_numpy(dtype=float)
        cum = np.cumsum(vc["_kf_n"].to_numpy(dtype=float))
        cum /= cum[-1]
        cuts = sorted({float(values[np.searchsorted(cum, q)]) for q in (0.25, 0.5, 0.75)})
        cuts = [x for x in cuts if x < values[-1]]
        edges[c] = cuts
    return edges


def _bin_label(edges: list[float], i: int) -> str:
    def fmt(x: float) -> str:
        return f"{x:g}"

    if i == 0:
        return f"<={fmt(edges[0])}"
    if i == len(edges):
        return f">{fmt(edges[-1])}"
    return f"{fmt(edges[i - 1])}-{fmt(edges[i])}"


def cell_expressions(columns: Sequence[str], bins: dict[str, list[float]]) -> list[nw.Expr]:
    """Expressions turning each situation/feature column into its text level (binned if numeric)."""
    out = []
    for c in columns:
        if bins.get(c):
            expr = _when_chain(bins[c], c)
            expr = nw.when(nw.col(c).is_null()).then(nw.lit(MISSING)).otherwise(expr)
        else:
            txt = nw.col(c).cast(nw.String).str.strip_chars()
            expr = nw.when(txt.is_null() | (txt == "")).then(nw.lit(MISSING)).otherwise(txt)
        out.append(expr.alias(c))
    return out


def _when_chain(edges: list[float], c: str) -> nw.Expr:
    expr: Any = nw.lit(_bin_label(edges, len(edges)))
    for i in reversed(range(len(edges))):
        expr = nw.when(nw.col(c) <= edges[i]).then(nw.lit(_bin_label(edges, i))).otherwise(expr)
    return expr


def check_history(
    frame: Any,
    columns: Sequence[str],
    action: str,
    outcome: str | None,
    propensity: str | None = None,
    *,
    numeric_features: Sequence[str] = (),
) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    """Check the columns of a history and return it as a narwhals frame.

    Text columns that hold numbers (a CSV is read as text) become numbers: the outcome and the
    propensity always (a value that is not a number is an error), ``numeric_features`` when every
    value is a number.

    Raises an :class:`InputError` naming the column (and the first bad row and value) when a column
    is missing, the outcome is not a number or missing, the action is missing, or a propensity is
    not in (0, 1].
    """
    f = as_frame(frame)
    require_columns(f, [*columns, action, outcome, propensity])
    if len(set(columns)) != len(columns) or action in columns or outcome in columns:
        raise InputError(
            "the situation/feature columns, the action and the outcome must be different columns",
            value=", ".join(columns),
        )
    f = _numbers_from_text(f, [c for c in (outcome, propensity) if c is not None], strict=True)
    f = _numbers_from_text(f, list(numeric_features), strict=False)
    schema = f.collect_schema()
    a_txt = nw.col(action).cast(nw.String).str.strip_chars()
    bad = a_txt.is_null() | (a_txt == "")
    if _any(f, bad):
        row, value = first_row(f, bad.fill_null(True), action)
        raise InputError(
            "the service mode (action) is missing", row=row, column=action, value=value
        )
    if outcome is not None:
        if not is_numeric(schema[outcome]):
            _not_number(f, outcome, "the outcome must be a number (a CPI, a KPI, a 0/1 result)")
        miss = nw.col(outcome).is_null() | nw.col(outcome).is_nan()
        if _any(f, miss):
            row, value = first_row(f, miss.fill_null(True), outcome)
            raise InputError(
                "the outcome is missing",
                row=row,
                column=outcome,
                value=value,
                hint="leave out cases whose outcome is not known yet",
            )
    if propensity is not None:
        if not is_numeric(schema[propensity]):
            _not_number(f, propensity, "the propensity must be a probability between 0 and 1")
        p = nw.col(propensity)
        bad_p = ~p.is_null() & ((p <= 0) | (p > 1) | p.is_nan())
        if _any(f, bad_p):
            row, value = first_row(f, bad_p.fill_null(False), propensity)
            raise InputError(
                "the propensity must be above 0 and at most 1",
                row=row,
                column=propensity,
                value=value,
                hint="it is the probability with which the logged mode was chosen",
            )
    return f


NUMBER = r"^[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?$"


def _numbers_from_text(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any], columns: Sequence[str], *, strict: bool
) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    schema = f.collect_schema()
    for c in columns:
        if schema[c] != nw.String:
            continue
        txt = nw.col(c).str.strip_chars()
        bad = ~txt.is_null() & (txt != "") & ~txt.str.contains(NUMBER)
        if _any(f, bad.fill_null(False)):
            if not strict:
                continue
            row, value = first_row(f, bad.fill_null(False), c)
            raise InputError("not a number", row=row, column=c, value=value)
        f = f.with_columns(nw.when(txt == "").then(None).otherwise(txt).cast(nw.Float64).alias(c))
    return f


def _any(f: nw.DataFrame[Any] | nw.LazyFrame[Any], mask: nw.Expr) -> bool:
    got = to_pandas(f.select(mask.fill_null(True).cast(nw.Int64).sum().alias("_kf_bad")))
    return bool(got["_kf_bad"].iloc[0] or 0)


def _not_number(f: nw.DataFrame[Any] | nw.LazyFrame[Any], column: str, message: str) -> None:
    cast = nw.col(column).cast(nw.String).str.strip_chars()
    row, value = first_row(
        f, ~cast.str.contains(r"^-?[0-9.]+(e-?[0-9]+)?$").fill_null(True), column
    )
    raise InputError(message, row=row, column=column, value=value)


def cell_table(
    f: nw.DataFrame[Any] | nw.LazyFrame[Any],
    columns: Sequence[str],
    action: str,
    outcome: str | None,
    bins: dict[str, list[float]],
    *,
    propensity: str | None = None,
) -> pd.DataFrame:
    """One row per situation cell and action with the counts and sums of :data:`SUMS`.

    Without ``propensity`` (or where it is missing) the propensity sums count the rows only
    (``s1`` etc. are filled in later from the estimated propensities: see ``n_known``).
    """
    exprs = [*cell_expressions(columns, bins)]
    exprs.append(nw.col(action).cast(nw.String).str.strip_chars().alias("_kf_action"))
    if outcome is not None:
        exprs.append(nw.col(outcome).cast(nw.Float64).alias("_kf_y"))
    else:
        exprs.append(nw.lit(0.0).alias("_kf_y"))
    if propensity is not None:
        exprs.append(nw.col(propensity).cast(nw.Float64).alias("_kf_p"))
    g = f.select(*exprs)
    y = nw.col("_kf_y")
    derived = [nw.lit(1).alias("n"), y.alias("sy"), (y * y).alias("sy2")]
    names = ["n", "sy", "sy2"]
    if propensity is not None:
        known = ~nw.col("_kf_p").is_null()
        inv = nw.when(known).then(1.0 / nw.col("_kf_p")).otherwise(nw.lit(0.0))
        yk = nw.when(known).then(y).otherwise(nw.lit(0.0))
        derived += [
            known.cast(nw.Int64).alias("n_known"),
            yk.alias("sy_known"),
            (yk * yk).alias("sy2_known"),
            inv.alias("s1"),
            (y * inv).alias("syp"),
            (inv * inv).alias("s2"),
            (y * inv * inv).alias("syp2"),
            (y * y * inv * inv).alias("sy2p2"),
        ]
        names += ["n_known", "sy_known", "sy2_known", "s1", "syp", "s2", "syp2", "sy2p2"]
    g = g.select(*columns, "_kf_action", *derived)
    aggs = [nw.col(c).sum() for c in names]
    keys = [*columns, "_kf_action"]
    out = to_pandas(g.group_by(keys).agg(*aggs))
    out = out.rename(columns={"_kf_action": "action"})
    for c in out.columns:
        if c not in (*columns, "action"):
            out[c] = out[c].astype(float)
    if propensity is None:
        for c in ("n_known", "sy_known", "sy2_known", "s1", "syp", "s2", "syp2", "sy2p2"):
            out[c] = 0.0
    for c in columns:
        out[c] = out[c].astype(str)
    return out.sort_values([*columns, "action"]).reset_index(drop=True)


def derive_history(
    frame: Any,
    *,
    customer: str,
    time: str,
    action: str,
    outcome: str | None = None,
    good: float | None = None,
    better: str = "higher",
) -> Any:
    """Add the customer's own earlier behaviour to each row, computed in the frame's engine.

    New columns: ``prior_contacts`` (0, 1, 2, 3+ earlier rows of the same customer, as text),
    ``prior_action`` (the mode of the customer's previous contact, ``(none)`` for the first) and,
    with ``outcome`` and ``good``, ``prior_good_share``: ``none`` (no earlier contact), ``high``
    (at least half of the earlier contacts had an outcome of at least ``good``, or at most it with
    ``better="lower"``) or ``low``.

    Returns a frame of the same engine (native), with the rows in any order.
    """
    f = as_frame(frame)
    require_columns(f, [customer, time, action, outcome])
    order = nw.col(time).cast(nw.String)
    f = f.with_columns(order.alias("_kf_t"))
    if isinstance(f, nw.DataFrame):  # eager: sort first (pandas' ordered windows misalign)
        f = f.sort(customer, "_kf_t")
    n_prior = nw.col("_kf_t").cum_count().over(customer, order_by="_kf_t") - 1
    prev = nw.col(action).cast(nw.String).shift(1).over(customer, order_by="_kf_t")
    exprs = [
        nw.when(n_prior >= 3)
        .then(nw.lit("3+"))
        .otherwise(n_prior.cast(nw.String))
        .alias("prior_contacts"),
        nw.when(prev.is_null()).then(nw.lit("(none)")).otherwise(prev).alias("prior_action"),
    ]
    if outcome is not None and good is not None:
        ok = (nw.col(outcome) >= good) if better == "higher" else (nw.col(outcome) <= good)
        cum_ok = ok.cast(nw.Int64).cum_sum().over(customer, order_by="_kf_t") - ok.cast(nw.Int64)
        share = cum_ok / n_prior
        exprs.append(
            nw.when(n_prior == 0)
            .then(nw.lit("none"))
            .otherwise(nw.when(share >= 0.5).then(nw.lit("high")).otherwise(nw.lit("low")))
            .alias("prior_good_share")
        )
    return f.with_columns(*exprs).drop("_kf_t").to_native()
