"""One call for the CLI, the web and reports: which drivers move a KPI, per group.

:func:`driver_analysis` reads the outcome and driver columns of a frame of any engine (pandas,
Polars, DuckDB, PySpark, through narwhals), leaves out rows with a missing value, one-hot encodes
text drivers and decomposes the model's R² (numeric outcome: ordinary least squares; binary
outcome: logistic regression with McFadden's pseudo-R²) over the drivers with exact Shapley
values (LMG) and Johnson's relative weights, with bootstrap intervals.

Where the work runs
-------------------
For a numeric outcome the point estimates need only n, the means and the cross-products of the
design columns: those sums are computed inside the engine (grouped by ``by``), and only the
(p + 1)² numbers per group come back. The bootstrap needs rows: the numeric design columns of the
kept rows are collected, sorted into a canonical order (so every engine gives the same resamples)
and, above 2,000 rows, summed into 2,000 random blocks of rows; the blocks are resampled. The cost
of a resample is then independent of the number of rows. A binary outcome needs the rows for
the logistic fits too; identical rows are fitted once, with their count as a weight.

This shows association, not cause.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.base import Result
from kundfokus.drivers.logistic import (
    MAX_LOGISTIC_DRIVERS,
    compress,
    logistic_relative_weights,
    subset_mcfadden,
)
from kundfokus.drivers.shapley import (
    MAX_EXACT_DRIVERS,
    relative_weights_from_cov,
    shapley_from_cov,
    shapley_from_values,
)
from kundfokus.errors import InputError
from kundfokus.frames import (
    as_frame,
    first_row,
    is_numeric,
    plain_value,
    require_columns,
    text_expr,
    to_pandas,
)
from kundfokus.i18n import tr

__all__ = ["MAX_LEVELS", "DriverReport", "DriverResult", "driver_analysis"]

#: Most distinct values of a text (categorical) driver.
MAX_LEVELS = 50
#: Above this many kept rows the bootstrap resamples random blocks of rows (see the module doc).
BOOT_BLOCKS = 2_000
#: A binary outcome's bootstrap refits the logistic models; above this many distinct rows it
#: resamples a random subsample of this size and rescales the interval (m-out-of-n bootstrap).
LOGISTIC_BOOT_ROWS = 20_000

_Y = "_kf_y"
_BY = "_kf_by"

NOTE = {
    "en": "This shows association, not cause: a driver can share variation with the outcome "
    "because both follow something else.",
    "sv": "Det här visar samband, inte orsak: en drivkraft kan samvariera med utfallet för att "
    "båda följer något annat.",
}

_W = {
    "dropped": {
        "en": "{n} rows with a missing value in the outcome or a driver were left out",
        "sv": "{n} rader med ett saknat värde i utfallet eller en drivkraft lämnades utanför",
    },
    "by_dropped": {
        "en": "{n} rows with no value in {by} were left out",
        "sv": "{n} rader utan värde i {by} lämnades utanför",
    },
    "skipped": {
        "en": "group {group} was left out: {reason}",
        "sv": "gruppen {group} lämnades utanför: {reason}",
    },
    "converge": {
        "en": "{where}the logistic model did not converge; a driver may separate the outcome "
        "perfectly, and its share is then unreliable",
        "sv": "{where}den logistiska modellen konvergerade inte; en drivkraft kan skilja utfallen "
        "åt helt, och dess andel är då osäker",
    },
    "small": {
        "en": "{where}only {n} rows for {p} model terms; the shares are very uncertain",
        "sv": "{where}bara {n} rader för {p} termer i modellen; andelarna är mycket osäkra",
    },
}


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


@dataclass
class DriverResult(Result):
    """The decomposition for one group (or for all rows).

    ``table`` has one row per driver: ``driver``, ``kind`` (numeric/categorical), ``shapley``
    (the R² it adds, averaged over all orders of entry), ``share`` (= shapley / r2), ``ci_low``,
    ``ci_high`` (bootstrap percentile interval of ``shapley``), ``relative_weight`` (Johnson's raw
    weight), ``relative_share`` and ``sign`` (``"+"``/``"-"``: the coefficient's sign in the full
    model; ``None`` for a categorical driver).
    """

    group: Any
    n: int
    n_dropped: int
    r2: float
    r2_ci_low: float | None
    r2_ci_high: float | None
    r2_adjusted: float | None
    r2_kind: str
    event: Any
    converged: bool
    table: pd.DataFrame
    notes: list[dict[str, Any]] = field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        """The JSON object of one result (see docs/drivers.md)."""
        from kundfokus.serialize import json_safe, records

        out: dict[str, Any] = {
            "r2": self.r2,
            "n": self.n,
            "drivers": records(self.table),
            "r2_kind": self.r2_kind,
            "r2_ci_low": self.r2_ci_low,
            "r2_ci_high": self.r2_ci_high,
            "r2_adjusted": self.r2_adjusted,
            "n_dropped": self.n_dropped,
        }
        if self.r2_kind == "mcfadden":
            out["event"] = self.event
            out["converged"] = self.converged
        return json_safe(out)


@dataclass
class DriverReport(Result):
    """What :func:`driver_analysis` returns: one :class:`DriverResult` per group.

    ``to_dict()`` is the JSON contract of ``kundfokus drivers``: without ``by`` one object
    ``{"r2", "n", "drivers": [...], ...}``; with ``by`` an object whose ``groups`` holds one such
    object per group, each with a ``group`` key.
    """

    outcome: str
    drivers: list[str]
    by: str | None
    r2_kind: str
    level: float
    n_boot: int
    seed: int | None
    n_dropped: int
    results: list[DriverResult]
    skipped: list[tuple[Any, str]] = field(default_factory=list)
    by_dropped: int = 0

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"table": self.table}

    @property
    def table(self) -> pd.DataFrame:
        """One tidy table: a row per group and driver, with the group's r2, interval and n."""
        parts = []
        for r in self.results:
            t = r.table.copy()
            t.insert(0, "group", r.group)
            t["r2"], t["r2_ci_low"], t["r2_ci_high"], t["n"] = (
                r.r2,
                r.r2_ci_low,
                r.r2_ci_high,
                r.n,
            )
            parts.append(t)
        table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        if self.by is None and len(table):
            table = table.drop(columns="group")
        return table

    def warnings(self, lang: str = "en") -> list[str]:
        out = []
        if self.by_dropped:
            out.append(tr(_W["by_dropped"], lang, n=self.by_dropped, by=self.by))
        dropped = self.n_dropped - self.by_dropped
        if dropped:
            out.append(tr(_W["dropped"], lang, n=dropped))
        for group, reason in self.skipped:
            out.append(tr(_W["skipped"], lang, group=group, reason=reason))
        for r in self.results:
            where = f"{r.group}: " if self.by is not None else ""
            for note in r.notes:
                out.append(tr(_W[note["kind"]], lang, where=where, **note.get("args", {})))
        return out

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        common = {
            "outcome": self.outcome,
            "r2_kind": self.r2_kind,
            "level": self.level,
            "n_boot": self.n_boot,
            "note": tr(NOTE, lang),
            "warnings": self.warnings(lang),
        }
        if self.by is None:
            return {**self.results[0].contract(), **common}
        groups = [{"group": r.group, **r.contract()} for r in self.results]
        return {"by": self.by, "groups": groups, "n_dropped": self.n_dropped, **common}


# --------------------------------------------------------------------------------------------------
# Reading the frame
# --------------------------------------------------------------------------------------------------


@dataclass
class _Design:
    names: list[str]  # driver names, in order
    kinds: list[str]  # "numeric" / "categorical"
    columns: list[tuple[int, str, nw.Expr]]  # (driver index, label, expression) per design column
    outcome: nw.Expr
    binary: bool
    event: Any


def _missing(f: Any, column: str) -> nw.Expr:
    dtype = f.collect_schema()[column]
    if is_numeric(dtype):
        m = nw.col(column).is_null()
        if dtype.is_float():
            m = m | nw.col(column).is_nan().fill_null(False)
        return m
    if dtype == nw.Boolean:
        return nw.col(column).is_null()
    t = text_expr(column)
    return (t.is_null() | (t == "")).fill_null(True)


def _is_text(dtype: Any) -> bool:
    return not is_numeric(dtype) and dtype != nw.Boolean


def _distinct(f: Any, expr: nw.Expr, limit: int) -> list[Any]:
    got = to_pandas(f.select(expr.alias("_kf_v")).unique().head(limit))["_kf_v"].tolist()
    return sorted((plain_value(v) for v in got), key=lambda v: (str(type(v)), v))


def _design(f: Any, kept: Any, outcome: str, drivers: list[str], binary: bool | None) -> _Design:
    schema = f.collect_schema()
    columns: list[tuple[int, str, nw.Expr]] = []
    kinds = []
    for i, d in enumerate(drivers):
        dtype = schema[d]
        if not _is_text(dtype) or _first_text(kept, d) is None:
            kinds.append("numeric")
            columns.append((i, d, _number(f, d)))
            continue
        kinds.append("categorical")
        levels = _distinct(kept, text_expr(d), MAX_LEVELS + 1)
        if len(levels) > MAX_LEVELS:
            row, value = first_row(f, _not_number(d), d)
            raise InputError(
                f"more than {MAX_LEVELS} distinct values for a categorical (text) driver; if it "
                "holds numbers, this value is not one",
                row=row,
                column=d,
                value=value,
                hint="a text driver is one-hot encoded, one column per value",
            )
        if len(levels) < 2:
            raise InputError(
                "the driver is constant: every kept row has the same value",
                column=d,
                value=levels[0] if levels else None,
            )
        for lvl in levels[1:]:  # the first level is the reference
            columns.append((i, f"{d}={lvl}", (text_expr(d) == lvl).cast(nw.Float64)))
    ydtype = schema[outcome]
    event: Any = None
    if _is_text(ydtype) and _first_text(kept, outcome) is None:
        ydtype = nw.Float64  # numbers written as text (a CSV read as text)
    if _is_text(ydtype):
        values = _distinct(kept, text_expr(outcome), 3)
        if len(values) != 2 or binary is False:
            row, bad = first_row(f, _not_number(outcome), outcome)
            if bad is not None or binary is False:
                raise InputError(
                    "the outcome must be a number (or a binary outcome with two values)",
                    row=row,
                    column=outcome,
                    value=bad,
                )
            raise InputError(
                f"a text outcome must have exactly two values (found {len(values)})",
                column=outcome,
                value=values[0] if values else None,
            )
        event = values[1]
        return _Design(drivers, kinds, columns, (text_expr(outcome) == event).cast(nw.Float64),
                       True, event)  # fmt: skip
    if ydtype == nw.Boolean:
        if binary is False:
            return _Design(drivers, kinds, columns, nw.col(outcome).cast(nw.Float64), False, None)
        return _Design(drivers, kinds, columns, nw.col(outcome).cast(nw.Float64), True, True)
    yexpr = _number(f, outcome)
    values = _distinct(kept, yexpr, 3)
    is_binary = binary
    if binary is None:
        is_binary = len(values) == 2 and set(values) <= {0.0, 1.0}
    if is_binary:
        if len(values) != 2:
            raise InputError(
                f"a binary outcome needs exactly two distinct values (found {len(values)}"
                f"{' or more' if len(values) > 2 else ''})",
                column=outcome,
                value=values[-1] if values else None,
            )
        event = values[1]
        event = int(event) if float(event).is_integer() else event
        y = (yexpr == values[1]).cast(nw.Float64)
        return _Design(drivers, kinds, columns, y, True, event)
    return _Design(drivers, kinds, columns, yexpr, False, None)


_NUMBER = r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$"


def _first_text(f: Any, column: str) -> Any:
    """The first value of a text column that is not a number (None when all are numbers)."""
    _, value = first_row(f, _not_number(column), column)
    return value


def _not_number(column: str) -> nw.Expr:
    t = text_expr(column)
    return (~t.str.contains(_NUMBER)).fill_null(False) & (t != "").fill_null(False)


def _number(f: Any, column: str) -> nw.Expr:
    """The column as Float64; text is read as a number (a decimal comma is accepted)."""
    if _is_text(f.collect_schema()[column]):
        return text_expr(column).str.replace_all(",", ".", literal=True).cast(nw.Float64)
    return nw.col(column).cast(nw.Float64)


def _check_args(outcome: str, drivers: list[str], by: str | None, level: float, n_boot: int):
    if not drivers:
        raise InputError("name at least one driver", hint="--drivers a,b,c")
    seen = set()
    for d in drivers:
        if d in seen:
            raise InputError("a driver is named twice", column=d)
        seen.add(d)
    if outcome in seen:
        raise InputError("the outcome cannot also be a driver", column=outcome)
    if by is not None and (by in seen or by == outcome):
        raise InputError("the --by column cannot also be the outcome or a driver", column=by)
    if not 0 < level < 1:
        raise InputError(f"the level must be between 0 and 1, not {level}", value=level)
    if n_boot < 0:
        raise InputError("the number of bootstrap resamples cannot be negative", value=n_boot)


# --------------------------------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------------------------------


def driver_analysis(
    frame: Any,
    outcome: str,
    drivers: list[str] | str,
    *,
    by: str | None = None,
    binary: bool | None = None,
    n_boot: int = 500,
    level: float = 0.95,
    seed: int | None = 0,
) -> DriverReport:
    """Decompose the R² of ``outcome`` on ``drivers`` into each driver's share, per ``by`` group.

    Parameters
    ----------
    frame:
        pandas, Polars (eager or lazy), DuckDB or PySpark frame.
    outcome:
        Numeric column (NPS answer, CLV, ...), or a binary one (0/1, True/False or two text
        values; the later value in sort order is the event): then a logistic model and McFadden's
        pseudo-R². ``binary`` forces the choice (``False`` fits a linear model even on 0/1).
    drivers:
        Column names (or one comma-separated string). Numeric and boolean columns enter as they
        are; text columns are one-hot encoded and their dummies enter together, as one driver.
    by:
        One result per value of this column.
    n_boot, level, seed:
        Bootstrap resamples (0: no intervals), interval level and random seed.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"wait": rng.exponential(5, 300), "channel": rng.choice(["a", "b"], 300)})
    >>> df["nps"] = 9 - 0.3 * df["wait"] + (df["channel"] == "b") + rng.normal(0, 1, 300)
    >>> rep = driver_analysis(df, "nps", ["wait", "channel"], n_boot=50)
    >>> d = rep.to_dict()
    >>> [x["driver"] for x in d["drivers"]], d["drivers"][0]["sign"], d["r2_kind"]
    (['wait', 'channel'], '-', 'r2')
    >>> bool(abs(sum(x["shapley"] for x in d["drivers"]) - d["r2"]) < 1e-9)
    True
    """
    if isinstance(drivers, str):
        drivers = [d.strip() for d in drivers.split(",") if d.strip()]
    drivers = list(drivers)
    _check_args(outcome, drivers, by, level, n_boot)
    f = as_frame(frame)
    require_columns(f, [outcome, *drivers, by])
    missing = _missing(f, outcome)
    for d in drivers:
        missing = missing | _missing(f, d)
    # without --by, "missing in by" is "missing in the outcome and never": a column expression
    # (a bare literal cannot be summed in every engine)
    by_missing = _missing(f, by) if by is not None else missing & ~missing
    counts = to_pandas(
        f.select(
            nw.len().alias("n_all"),
            (missing | by_missing).cast(nw.Int64).sum().alias("n_drop"),
            by_missing.cast(nw.Int64).sum().alias("n_by"),
        )
    ).iloc[0]
    kept = f.filter(~(missing | by_missing))
    n_drop, n_by = _int(counts["n_drop"]), _int(counts["n_by"])
    if int(counts["n_all"]) - n_drop == 0:
        raise InputError(
            "no row has a value in the outcome and every driver",
            column=outcome,
            hint=f"{n_drop} rows have a missing value",
        )
    design = _design(f, kept, outcome, drivers, binary)
    k = len(drivers)
    limit = MAX_LOGISTIC_DRIVERS if design.binary else MAX_EXACT_DRIVERS
    if k > limit:
        raise InputError(
            f"{k} drivers: the exact Shapley decomposition enumerates 2^k subsets and is limited "
            f"to {limit} drivers{' for a binary outcome' if design.binary else ''}",
            value=k,
            hint="name fewer drivers, or use kundfokus.drivers.relative_weights for many",
        )
    exprs = [e.alias(f"_kf_x{j}") for j, (_, _, e) in enumerate(design.columns)]
    group_expr = [text_expr(by).alias(_BY)] if by is not None else [nw.lit("all").alias(_BY)]
    data = kept.select(*group_expr, *exprs, design.outcome.alias(_Y))
    xcols = [f"_kf_x{j}" for j in range(len(design.columns))]
    if by is not None:
        dropped_by_group = to_pandas(
            f.filter(~by_missing)
            .select(text_expr(by).alias(_BY), missing.cast(nw.Int64).alias("_kf_m"))
            .group_by(_BY)
            .agg(nw.col("_kf_m").sum())
        )
        dropped = dict(zip(dropped_by_group[_BY], dropped_by_group["_kf_m"], strict=True))
    else:
        dropped = {"all": n_drop}
    stats = None if design.binary else _engine_stats(data, xcols)
    rows = None
    if design.binary or n_boot > 0:
        rows = to_pandas(data)
    groups = sorted(stats) if stats is not None else sorted(set(rows[_BY]))  # type: ignore[index]
    rng = np.random.default_rng(seed)
    results, skipped = [], []
    for g in groups:
        sub = None
        if rows is not None:
            sub = _canonical(rows.loc[rows[_BY] == g, [*xcols, _Y]].to_numpy(dtype=float))
        try:
            res = _analyse_group(
                design, g, stats[g] if stats is not None else None, sub, n_boot, level,
                np.random.default_rng(rng.integers(2**63)), int(dropped.get(g, 0) or 0),
            )  # fmt: skip
        except InputError as err:
            if by is None:
                raise
            skipped.append((g, err.message if err.column is None else f"{err}"))
            continue
        results.append(res)
    if not results:
        g, reason = skipped[0]
        raise InputError(f"no group could be analysed; the first, {g!r}: {reason}", column=by)
    return DriverReport(
        outcome=outcome,
        drivers=drivers,
        by=by,
        r2_kind="mcfadden" if design.binary else "r2",
        level=level,
        n_boot=n_boot,
        seed=seed,
        n_dropped=n_drop,
        results=results,
        skipped=skipped,
        by_dropped=n_by,
    )


def _engine_stats(data: Any, xcols: list[str]) -> dict[Any, tuple[int, np.ndarray]]:
    """n and the covariance matrix (design columns, outcome last) per group, summed in the engine.

    Two passes: the overall means, then sums and cross-products of the values shifted by those
    means (shifting keeps the sums of squares accurate for large values, like CLV in kronor).
    """
    cols = [*xcols, _Y]
    q = len(cols)
    means = to_pandas(data.select(*[nw.col(c).mean() for c in cols])).iloc[0]
    m = {c: float(means[c]) for c in cols}
    shifted = {c: nw.col(c) - m[c] for c in cols}
    # the products are columns first, so that the aggregation is plain sums (fast in pandas too)
    terms = [shifted[c].alias(f"_kf_s{i}") for i, c in enumerate(cols)]
    for i in range(q):
        for j in range(i, q):
            terms.append((shifted[cols[i]] * shifted[cols[j]]).alias(f"_kf_p{i}_{j}"))
    names = [f"_kf_s{i}" for i in range(q)]
    names += [f"_kf_p{i}_{j}" for i in range(q) for j in range(i, q)]
    table = to_pandas(
        data.select(nw.col(_BY), nw.lit(1).cast(nw.Int64).alias("_kf_n"), *terms)
        .group_by(_BY)
        .agg(*[nw.col(c).sum() for c in ["_kf_n", *names]])
    )
    out = {}
    for _, r in table.iterrows():
        n = int(r["_kf_n"])
        s = np.array([float(r[f"_kf_s{i}"]) for i in range(q)])
        sxx = np.empty((q, q))
        for i in range(q):
            for j in range(i, q):
                sxx[i, j] = sxx[j, i] = float(r[f"_kf_p{i}_{j}"])
        cov = (sxx - np.outer(s, s) / n) / max(n - 1, 1)
        out[plain_value(r[_BY])] = (n, cov)
    return out


def _int(v: Any) -> int:
    v = plain_value(v)
    return 0 if v is None else int(v)


def _canonical(rows: np.ndarray) -> np.ndarray:
    """Rows in one fixed order whatever order the engine returned them in."""
    if len(rows) == 0:
        return rows
    return rows[np.lexsort(rows.T[::-1])]


def _cov_of(rows: np.ndarray) -> np.ndarray:
    return np.atleast_2d(np.cov(rows, rowvar=False))


def _used_columns(design: _Design, cov: np.ndarray, group: Any, by_mode: bool) -> list[int]:
    """Design columns with variance in this group; a driver left with none is constant."""
    var = np.diagonal(cov)[:-1]
    scale = np.maximum(1.0, np.abs(var).max() if len(var) else 1.0)
    keep = [j for j in range(len(design.columns)) if var[j] > 1e-12 * scale]
    for i, name in enumerate(design.names):
        if not any(design.columns[j][0] == i for j in keep):
            raise InputError("the driver is constant: every kept row has the same value",
                             column=name, value=group if by_mode else None)  # fmt: skip
    if cov[-1, -1] <= 0:
        raise InputError("the outcome is constant: every kept row has the same value",
                         value=group if by_mode else None)  # fmt: skip
    return keep


def _check_collinear(design: _Design, cov: np.ndarray, keep: list[int], groups: list[list[int]]):
    sub = cov[np.ix_(keep, keep)]
    d = np.sqrt(np.diagonal(sub))
    corr = sub / np.outer(d, d)
    evals, evecs = np.linalg.eigh(corr)
    if evals[0] < 1e-10:
        v = evecs[:, 0]
        involved = []
        for u, cols in enumerate(groups):
            if np.abs(v[cols]).max() > 0.05:
                involved.append(design.names[u])
        raise InputError(
            "the drivers are perfectly collinear (one is a combination of the others): "
            + ", ".join(involved),
            column=involved[0] if involved else None,
            hint="leave one of them out",
        )


def _analyse_group(
    design: _Design,
    group: Any,
    stats: tuple[int, np.ndarray] | None,
    rows: np.ndarray | None,
    n_boot: int,
    level: float,
    rng: np.random.Generator,
    n_dropped: int,
) -> DriverResult:
    if stats is not None:
        n, cov = stats
    else:
        assert rows is not None
        n = len(rows)
        cov = _cov_of(rows) if n > 1 else np.zeros((rows.shape[1], rows.shape[1]))
    by_mode = group != "all"
    p_all = len(design.columns)
    k = len(design.names)
    if n < k + 2 or n < 3:
        raise InputError(
            f"too few rows: {n} rows for {k} drivers (need at least drivers + 2)",
            value=group if by_mode else None,
        )
    keep = _used_columns(design, cov, group, by_mode)
    groups = [[keep.index(j) for j in keep if design.columns[j][0] == i] for i in range(k)]
    p = len(keep)
    if n < p + 2:
        raise InputError(
            f"too few rows: {n} rows for {p} model terms (categorical drivers count one term "
            "per value but one)",
            value=group if by_mode else None,
        )
    _check_collinear(design, cov, keep, groups)
    sel = [*keep, p_all]
    notes: list[dict[str, Any]] = []
    if n < 10 * (p + 1):
        notes.append({"kind": "small", "args": {"n": n, "p": p}})
    if design.binary:
        assert rows is not None
        return _binary_group(design, group, rows[:, sel], groups, n_boot, level, rng,
                             n_dropped, notes)  # fmt: skip
    c = cov[np.ix_(sel, sel)]
    point = shapley_from_cov(c, groups)
    rw = relative_weights_from_cov(c, groups)
    coef = np.linalg.solve(c[:p, :p], c[:p, p])
    r2 = float(point.r2)
    ci = r2_ci = (None, None)
    if rows is not None and n_boot > 0:
        boot_r2, boot_phi = _boot_linear(rows[:, sel], groups, n_boot, rng)
        a = (1 - level) / 2
        lo, hi = np.quantile(boot_phi, [a, 1 - a], axis=0)
        ci = (lo, hi)
        r2_ci = tuple(float(v) for v in np.quantile(boot_r2, [a, 1 - a]))
    table = _table(design, point.shapley, rw.weights, r2, coef, groups, ci)
    adj = 1 - (1 - r2) * (n - 1) / (n - p - 1) if n - p - 1 > 0 else None
    return DriverResult(
        group=group,
        n=n,
        n_dropped=n_dropped,
        r2=r2,
        r2_ci_low=r2_ci[0],
        r2_ci_high=r2_ci[1],
        r2_adjusted=adj,
        r2_kind="r2",
        event=None,
        converged=True,
        table=table,
        notes=notes,
    )


def _table(
    design: _Design,
    phi: np.ndarray,
    weights: np.ndarray,
    r2: float,
    coef: np.ndarray,
    groups: list[list[int]],
    ci: tuple[Any, Any],
) -> pd.DataFrame:
    rows = []
    for i, name in enumerate(design.names):
        kind = design.kinds[i]
        sign = None
        if kind == "numeric":
            b = float(coef[groups[i][0]])
            sign = "+" if b > 0 else "-" if b < 0 else None
        rows.append(
            {
                "driver": name,
                "kind": kind,
                "shapley": float(phi[i]),
                "share": float(phi[i] / r2) if r2 > 0 else math.nan,
                "relative_weight": float(weights[i]),
                "relative_share": float(weights[i] / weights.sum())
                if weights.sum() > 0
                else math.nan,
                "sign": sign,
                "ci_low": float(ci[0][i]) if ci[0] is not None else math.nan,
                "ci_high": float(ci[1][i]) if ci[1] is not None else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _boot_linear(
    rows: np.ndarray, groups: list[list[int]], n_boot: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap R² and Shapley values: resample rows (or, above BOOT_BLOCKS rows, random blocks
    of rows) through their sums and cross-products."""
    n, q = rows.shape
    z = rows - rows.mean(axis=0)
    if n > BOOT_BLOCKS:
        block = np.empty(n, dtype=np.int64)
        block[rng.permutation(n)] = np.arange(n) % BOOT_BLOCKS
        g = BOOT_BLOCKS
    else:
        block = np.arange(n)
        g = n
    s0 = np.bincount(block, minlength=g).astype(float)
    s1 = np.zeros((g, q))
    np.add.at(s1, block, z)
    s2 = np.zeros((g, q * q))
    outer = (z[:, :, None] * z[:, None, :]).reshape(n, q * q)
    np.add.at(s2, block, outer)
    r2s, phis = [], []
    chunk = max(1, min(n_boot, 200))
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        counts = rng.multinomial(g, np.full(g, 1 / g), size=b).astype(float)
        nn = counts @ s0
        m1 = counts @ s1
        m2 = (counts @ s2).reshape(b, q, q)
        cov = (m2 - m1[:, :, None] * m1[:, None, :] / nn[:, None, None]) / (nn - 1)[:, None, None]
        res = shapley_from_cov(cov, groups)
        r2s.append(np.asarray(res.r2))
        phis.append(res.shapley)
    return np.concatenate(r2s), np.concatenate(phis)


def _binary_group(
    design: _Design,
    group: Any,
    rows: np.ndarray,
    groups: list[list[int]],
    n_boot: int,
    level: float,
    rng: np.random.Generator,
    n_dropped: int,
    notes: list[dict[str, Any]],
) -> DriverResult:
    n = len(rows)
    uniq, w = compress(rows)
    x, y = uniq[:, :-1], uniq[:, -1]
    values, coef, ok = subset_mcfadden(x, y, w, groups)
    phi = shapley_from_values(values, len(groups))
    r2 = float(values[-1])
    weights = logistic_relative_weights(x, y, w, groups, r2)
    ci = r2_ci = (None, None)
    if n_boot > 0:
        a = (1 - level) / 2
        boot_r2, boot_phi, scale, sub_r2, sub_phi = _boot_logistic(rows, groups, n_boot, rng, coef)
        lo = phi + scale * (np.quantile(boot_phi, a, axis=0) - sub_phi)
        hi = phi + scale * (np.quantile(boot_phi, 1 - a, axis=0) - sub_phi)
        ci = (lo, hi)
        r2_ci = (
            float(r2 + scale * (np.quantile(boot_r2, a) - sub_r2)),
            float(r2 + scale * (np.quantile(boot_r2, 1 - a) - sub_r2)),
        )
    if not ok:
        notes.append({"kind": "converge"})
    table = _table(design, phi, weights, r2, coef[-1, 1:], groups, ci)
    return DriverResult(
        group=group,
        n=n,
        n_dropped=n_dropped,
        r2=r2,
        r2_ci_low=r2_ci[0],
        r2_ci_high=r2_ci[1],
        r2_adjusted=None,
        r2_kind="mcfadden",
        event=design.event,
        converged=ok,
        table=table,
        notes=notes,
    )


def _boot_logistic(
    rows: np.ndarray,
    groups: list[list[int]],
    n_boot: int,
    rng: np.random.Generator,
    start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float, float, np.ndarray]:
    """Bootstrap of the logistic decomposition by reweighting the distinct rows.

    Returns the resampled R² and Shapley values, the rescaling factor sqrt(m / n) and the
    estimates on the rows resampled (all rows: factor 1, the full-data estimates)."""
    n = len(rows)
    uniq, w = compress(rows)
    scale = 1.0
    if len(uniq) > LOGISTIC_BOOT_ROWS:
        m = LOGISTIC_BOOT_ROWS
        rows = rows[np.sort(rng.choice(n, size=m, replace=False))]
        uniq, w = compress(rows)
        scale = math.sqrt(m / n)
        sub_values, start, _ = subset_mcfadden(uniq[:, :-1], uniq[:, -1], w, groups)
    else:
        m = n
        sub_values, _, _ = subset_mcfadden(uniq[:, :-1], uniq[:, -1], w, groups, start)
    k = len(groups)
    sub_phi = shapley_from_values(sub_values, k)
    x, y = uniq[:, :-1], uniq[:, -1]
    prob = w / w.sum()
    r2s = np.empty(n_boot)
    phis = np.empty((n_boot, k))
    for b in range(n_boot):
        wb = rng.multinomial(m, prob).astype(float)
        live = wb > 0
        values, _, _ = subset_mcfadden(x[live], y[live], wb[live], groups, start)
        r2s[b] = values[-1]
        phis[b] = shapley_from_values(values, k)
    return r2s, phis, scale, float(sub_values[-1]), sub_phi
