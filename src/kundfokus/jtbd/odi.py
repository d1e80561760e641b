"""Outcome-driven innovation (Ulwick): where are customers under-served, and where over-served?

Respondents rate each desired outcome twice on a 1-5 scale: how important it is, and how satisfied
they are with how well it gets done today. Per outcome:

* importance = share of respondents rating importance 4 or 5, times 10 (0-10);
* satisfaction = share rating satisfaction 4 or 5, times 10 (0-10);
* opportunity = importance + max(importance - satisfaction, 0) (0-20).

Ulwick reads an opportunity above 15 as extreme, 12-15 as high, 10-12 as solid and below 10 as
unattractive; an outcome whose satisfaction is above its importance is over-served.

Counting happens in the engine that holds the answers (pandas, Polars, DuckDB, PySpark through
narwhals): only the number of respondents per outcome, group and pair of answers comes back to
Python, so the same call works on a laptop file and a Spark table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.errors import InputError, check_on_invalid
from kundfokus.frames import respondent_column, warn_duplicates
from kundfokus.i18n import check_lang
from kundfokus.stats import wilson_interval

if TYPE_CHECKING:  # pragma: no cover
    from kundfokus.jtbd.inventory import JobInventory

SERVED_LABELS: tuple[str, ...] = ("under-served", "appropriately served", "over-served")
OPPORTUNITY_LEVELS: tuple[str, ...] = ("extreme", "high", "solid", "low")

#: Text answers read as "no answer" (compared case-insensitively, after trimming spaces).
MISSING_TOKENS = frozenset({"", "nan", "na", "n/a", "null", "none"})

LONG_COLUMNS = ("outcome", "importance", "satisfaction")

_OUT = "__kf_outcome"
_IMP = "__kf_importance"
_SAT = "__kf_satisfaction"
_CNT = "__kf_count"
_ROW = "__kf_row"

_NUMBER = re.compile(r"^\s*[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?\s*$")
_LEADING = re.compile(r"^\s*([1-5])(?=$|\s|[-–—:;.)/])")
_LEADING_DECIMAL = re.compile(r"^\s*\d+[.,]\d")
_EPS = 1e-9

_INVALID = object()


# ---------------------------------------------------------------------- scalar rules
def parse_rating(value: Any) -> int | None:
    """Read one 1-5 answer: an integer, or text that starts with one ("4 - Important").

    Returns ``None`` for no answer (null, NaN, empty text, "NA", "N/A", "null", "none").

    Raises
    ------
    ValueError
        When the value is not an answer on the 1-5 scale (``0``, ``6``, ``4.5``, ``"high"``).

    Examples
    --------
    >>> parse_rating("4 - Important"), parse_rating(5), parse_rating("3.0"), parse_rating("")
    (4, 5, 3, None)
    >>> parse_rating("4.5")
    Traceback (most recent call last):
    ...
    ValueError: not an answer on the 1-5 scale: '4.5'
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not an answer on the 1-5 scale: {value!r}")
    if isinstance(value, (int, np.integer)):
        if 1 <= int(value) <= 5:
            return int(value)
        raise ValueError(f"not an answer on the 1-5 scale: {value!r}")
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise ValueError(f"not an answer on the 1-5 scale: {value!r}")
    text = str(value)
    if text.strip().lower() in MISSING_TOKENS:
        return None
    if _NUMBER.match(text):
        try:
            number = float(text.strip().replace(",", "."))
        except ValueError:  # pragma: no cover - the pattern only lets numbers through
            number = math.nan
        if number.is_integer() and 1 <= number <= 5:
            return int(number)
        raise ValueError(f"not an answer on the 1-5 scale: {value!r}")
    m = _LEADING.match(text)
    if m and not _LEADING_DECIMAL.match(text):
        return int(m.group(1))
    raise ValueError(f"not an answer on the 1-5 scale: {value!r}")


def opportunity_score(importance: float, satisfaction: float) -> float:
    """Ulwick's opportunity score: importance + max(importance - satisfaction, 0).

    >>> opportunity_score(8.0, 3.0)
    13.0
    >>> opportunity_score(6.0, 8.0)
    6.0
    """
    return importance + max(importance - satisfaction, 0.0)


def opportunity_level(score: float) -> str | None:
    """Ulwick's reading of an opportunity score: above 15 ``extreme``, 12-15 ``high`` (both ends
    included), 10 up to 12 ``solid``, below 10 ``low`` (unattractive). ``None`` for NaN.

    >>> [opportunity_level(s) for s in (15.01, 15.0, 12.0, 11.99, 10.0, 9.99)]
    ['extreme', 'high', 'high', 'solid', 'solid', 'low']
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    s = round(float(score), 9)
    if s > 15:
        return "extreme"
    if s >= 12:
        return "high"
    if s >= 10:
        return "solid"
    return "low"


def served_label(importance: float, satisfaction: float) -> str | None:
    """``under-served`` when opportunity >= 10 and importance > satisfaction; ``over-served`` when
    satisfaction > importance; otherwise ``appropriately served``. ``None`` without answers.

    >>> served_label(8.0, 3.0), served_label(6.0, 8.0), served_label(6.0, 5.0)
    ('under-served', 'over-served', 'appropriately served')
    """
    if any(
        v is None or (isinstance(v, float) and math.isnan(v)) for v in (importance, satisfaction)
    ):
        return None
    imp, sat = round(float(importance), 9), round(float(satisfaction), 9)
    opp = opportunity_score(imp, sat)
    if opp >= 10 - _EPS and imp > sat:
        return "under-served"
    if sat > imp:
        return "over-served"
    return "appropriately served"


# ---------------------------------------------------------------------- the method
def opportunity(
    frame: Any,
    *,
    inventory: JobInventory | None = None,
    by: str | Sequence[str] | None = None,
    on_invalid: Literal["raise", "missing"] = "raise",
    lang: str = "en",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Importance, satisfaction and opportunity per desired outcome (Ulwick's ODI scores).

    Parameters
    ----------
    frame:
        Survey answers as a pandas, Polars, DuckDB or PySpark frame, in one of two shapes:

        * wide: one row per respondent with columns ``<outcome>_importance`` and
          ``<outcome>_satisfaction`` (any order; other columns are ignored);
        * long: columns ``outcome``, ``importance``, ``satisfaction`` (and optionally
          ``respondent``, which must then be unique per outcome).

        Answers are integers 1-5 or text starting with one ("4 - Important"); empty means no answer.
    inventory:
        A :class:`~kundfokus.jtbd.inventory.JobInventory`; adds ``job``, ``job_type`` and the
        outcome ``statement``. Every surveyed outcome must then be in the inventory.
    by:
        Column(s) to score separately, e.g. ``"channel"`` or ``"situation"``.
    on_invalid:
        ``"raise"`` (default) raises :class:`~kundfokus.errors.InputError` on the first answer that
        is not on the 1-5 scale; ``"missing"`` treats such answers as no answer and counts them in
        ``n_invalid``. The old spelling ``"error"`` still works and warns (deprecated).
    lang:
        Language of the outcome statements taken from the inventory (``"en"`` or ``"sv"``).
    confidence:
        Level of the Wilson intervals around the two shares.

    Returns
    -------
    pandas.DataFrame
        One row per outcome (and group): the ``by`` columns, ``outcome, job, job_type, statement,
        n`` (respondents who rated both), ``n_importance, n_satisfaction, importance,
        importance_low, importance_high, satisfaction, satisfaction_low, satisfaction_high,
        opportunity, opportunity_level, served, n_invalid``. Scores are on Ulwick's 0-10 scale (the
        opportunity 0-20); ``*_low``/``*_high`` are the Wilson interval of the share, times 10.
        Sorted by opportunity, highest first (within each group).

    Raises
    ------
    InputError
        Naming the row (for pandas and Polars frames), the column and the value of a bad answer, a
        missing column, or an outcome that is not in the inventory.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({
    ...     "wait_importance":     [5, 5, 4, 4, 5, 4, 5, 4, 2, 3],
    ...     "wait_satisfaction":   [1, 2, 2, 3, 4, 5, 4, 2, 1, 3],
    ...     "polite_importance":   [3, 3, 4, 2, 5, 4, 3, 3, 3, 5],
    ...     "polite_satisfaction": [5, 5, 4, 5, 4, 4, 5, 3, 4, 4],
    ... })
    >>> res = opportunity(answers)
    >>> res[["outcome", "n", "importance", "satisfaction", "opportunity", "served"]]
      outcome   n  importance  satisfaction  opportunity        served
    0    wait  10         8.0           3.0         13.0  under-served
    1  polite  10         4.0           9.0          4.0   over-served
    """
    check_lang(lang)
    on_invalid = check_on_invalid(on_invalid)
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    try:
        nf = nw.from_native(frame)
    except TypeError as exc:
        raise TypeError(
            "opportunity() takes a pandas, Polars, DuckDB or PySpark frame of survey answers"
        ) from exc
    eager = isinstance(nf, nw.DataFrame)
    lf = nf.lazy() if eager else nf
    columns = list(lf.collect_schema().names())
    groups = _group_columns(by, columns)

    shape, specs = _answer_columns(columns, groups)
    n_rows = int(lf.select(nw.len().alias(_CNT)).collect()[_CNT][0])
    if n_rows == 0:
        raise InputError(
            "the table has a header but no answers (no data rows): nothing to score",
            hint="one row per respondent with <outcome>_importance and <outcome>_satisfaction",
        )
    if shape == "long":
        _check_long(nf, lf, eager, columns, groups)
    elif (rid := respondent_column(columns)) is not None:
        warn_duplicates(nf, rid, keys=[g for g in groups if g != rid])

    stacked = _stack(lf, shape, specs, groups)
    counts = (
        stacked.group_by([*groups, _OUT, _IMP, _SAT])
        .agg(nw.len().alias(_CNT))
        .collect()
        .to_pandas()
    )

    # Read every distinct answer once, in Python (there are only a handful of them). Plain lists:
    # pandas' string dtype would turn parsed numbers back into text.
    raw_imp = [None if _isnull(v) else v for v in counts[_IMP].tolist()]
    raw_sat = [None if _isnull(v) else v for v in counts[_SAT].tolist()]
    parsed: dict[Any, Any] = {}
    for raw in dict.fromkeys(raw_imp + raw_sat):
        try:
            parsed[raw] = parse_rating(raw)
        except ValueError:
            parsed[raw] = _INVALID
    imp = [parsed[v] for v in raw_imp]
    sat = [parsed[v] for v in raw_sat]
    imp_bad = pd.Series([v is _INVALID for v in imp], index=counts.index, dtype=bool)
    sat_bad = pd.Series([v is _INVALID for v in sat], index=counts.index, dtype=bool)

    if on_invalid == "raise" and (imp_bad.any() or sat_bad.any()):
        bad = pd.DataFrame(
            [(o, v, "i") for o, v, b in zip(counts[_OUT], raw_imp, imp_bad, strict=True) if b]
            + [(o, v, "s") for o, v, b in zip(counts[_OUT], raw_sat, sat_bad, strict=True) if b],
            columns=[_OUT, "value", "kind"],
        )
        raise _locate_invalid(nf, eager, shape, specs, bad)

    def numeric(values: list[Any]) -> pd.Series:
        return pd.Series(
            [float(v) if isinstance(v, int) else np.nan for v in values],
            index=counts.index,
            dtype=float,
        )

    imp_val, sat_val = numeric(imp), numeric(sat)
    cnt = counts[_CNT].astype("int64")
    work = counts[[*groups, _OUT]].copy()
    work["n_importance"] = cnt.where(imp_val.notna(), 0)
    work["n_satisfaction"] = cnt.where(sat_val.notna(), 0)
    work["n"] = cnt.where(imp_val.notna() & sat_val.notna(), 0)
    work["top_importance"] = cnt.where(imp_val >= 4, 0)
    work["top_satisfaction"] = cnt.where(sat_val >= 4, 0)
    work["n_invalid"] = cnt.where(imp_bad, 0) + cnt.where(sat_bad, 0)
    sums = [
        "n",
        "n_importance",
        "n_satisfaction",
        "top_importance",
        "top_satisfaction",
        "n_invalid",
    ]
    agg = work.groupby([*groups, _OUT], dropna=False, sort=False)[sums].sum().reset_index()

    # Every outcome in every group, even where nobody answered it.
    outcomes = [s[0] for s in specs] if shape == "wide" else _ordered_unique(agg[_OUT])
    agg[_OUT] = agg[_OUT].astype(object)
    all_outcomes = pd.DataFrame({_OUT: pd.Series(outcomes, dtype=object)})
    if groups:
        keys = agg[groups].drop_duplicates()
        grid = keys.merge(all_outcomes, how="cross")
        agg = grid.merge(agg, on=[*groups, _OUT], how="left")
    else:
        agg = all_outcomes.merge(agg, on=_OUT, how="left")
    for c in sums:
        agg[c] = agg[c].fillna(0).astype("int64")

    result = _scores(agg, groups, confidence)
    result = _join_inventory(result, inventory, lang, shape, nf, eager)
    result = _order(result, groups)
    result.attrs["shape"] = shape
    result.attrs["n_invalid"] = int(result["n_invalid"].sum())
    if inventory is not None:
        result.attrs["unsurveyed_outcomes"] = [
            o for o in inventory.outcome_ids if o not in set(outcomes)
        ]
    return result


# ---------------------------------------------------------------------- steps
def _isnull(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _ordered_unique(values: pd.Series) -> list[Any]:
    return list(dict.fromkeys(v for v in values if not _isnull(v)))


def _group_columns(by: str | Sequence[str] | None, columns: list[str]) -> list[str]:
    if by is None:
        return []
    groups = [by] if isinstance(by, str) else list(by)
    twice = sorted({g for g in groups if groups.count(g) > 1})
    if twice:
        raise InputError(
            "a column to group by is named twice", column=twice[0], hint="name each column once"
        )
    for g in groups:
        if g not in columns:
            raise InputError(
                "no such column to group by", column=g, hint=f"columns: {', '.join(columns)}"
            )
        if g in LONG_COLUMNS or g.startswith("__kf_"):
            raise InputError(
                "cannot group by an answer column",
                column=g,
                hint="group by segment, channel or situation",
            )
    return groups


def _answer_columns(
    columns: list[str], groups: list[str]
) -> tuple[str, list[tuple[str, str, str]]]:
    """Decide long or wide; for wide, pair ``<outcome>_importance`` with ``<outcome>_satisfaction``."""
    if all(c in columns for c in LONG_COLUMNS):
        return "long", [("outcome", "importance", "satisfaction")]
    imp: dict[str, str] = {}
    sat: dict[str, str] = {}
    for c in columns:
        if c in groups:
            continue
        m = re.match(r"^(.+?)_(importance|satisfaction)$", str(c), flags=re.IGNORECASE)
        if m:
            (imp if m.group(2).lower() == "importance" else sat)[m.group(1)] = c
    if not imp and not sat:
        raise InputError(
            "no answer columns found",
            hint="use columns <outcome>_importance and <outcome>_satisfaction, or a long table "
            "with columns outcome, importance, satisfaction",
        )
    for name, col in imp.items():
        if name not in sat:
            raise InputError(
                f"no matching column {name}_satisfaction for this importance column", column=col
            )
    for name, col in sat.items():
        if name not in imp:
            raise InputError(
                f"no matching column {name}_importance for this satisfaction column", column=col
            )
    return "wide", [(name, imp[name], sat[name]) for name in imp]


def _as_text(col: str, dtype: Any) -> nw.Expr:
    expr = nw.col(col)
    return expr if dtype == nw.String else expr.cast(nw.String)


def _stack(lf: Any, shape: str, specs: list[tuple[str, str, str]], groups: list[str]) -> Any:
    schema = lf.collect_schema()
    if shape == "long":
        return lf.select(
            *[nw.col(g) for g in groups],
            _as_text("outcome", schema["outcome"]).alias(_OUT),
            _as_text("importance", schema["importance"]).alias(_IMP),
            _as_text("satisfaction", schema["satisfaction"]).alias(_SAT),
        )
    parts = [
        lf.select(
            *[nw.col(g) for g in groups],
            nw.lit(name, dtype=nw.String).alias(_OUT),
            _as_text(ic, schema[ic]).alias(_IMP),
            _as_text(sc, schema[sc]).alias(_SAT),
        )
        for name, ic, sc in specs
    ]
    return parts[0] if len(parts) == 1 else nw.concat(parts, how="vertical")


def _check_long(nf: Any, lf: Any, eager: bool, columns: list[str], groups: list[str]) -> None:
    """A long table needs an outcome on every row and, with a respondent column, one row per
    respondent and outcome."""
    schema = lf.collect_schema()
    out_text = _as_text("outcome", schema["outcome"])
    nulls = lf.select(
        (out_text.is_null() | (out_text.str.strip_chars() == "")).sum().alias("n")
    ).collect()
    if int(nulls["n"][0] or 0) > 0:
        row = None
        if eager:
            idx = nf.with_row_index(_ROW).filter(
                out_text.is_null() | (out_text.str.strip_chars() == "")
            )
            row = int(idx[_ROW][0]) + 1
        raise InputError("missing outcome name", row=row, column="outcome", value="")
    if "respondent" in columns:
        keys = ["respondent", "outcome", *groups]
        dup = lf.group_by(keys).agg(nw.len().alias(_CNT)).filter(nw.col(_CNT) > 1).head(1).collect()
        if len(dup):
            resp, outc = dup["respondent"][0], dup["outcome"][0]
            row = None
            if eager:
                idx = nf.with_row_index(_ROW).filter(
                    (nw.col("respondent") == resp) & (nw.col("outcome") == outc)
                )
                row = int(idx[_ROW][1]) + 1
            raise InputError(
                f"respondent {resp!r} answered outcome {outc!r} more than once",
                row=row,
                column="outcome",
                value=outc,
            )


def _locate_invalid(
    nf: Any, eager: bool, shape: str, specs: list[tuple[str, str, str]], bad: pd.DataFrame
) -> InputError:
    """The InputError for the first bad answer: its row (eager frames), column and value."""
    cols = {name: (ic, sc) for name, ic, sc in specs}
    if shape == "long":
        cols = None
    order = {c: i for i, c in enumerate(nf.columns)}
    candidates: list[tuple[float, int, str, Any]] = []
    for out_name, value, kind in bad[[_OUT, "value", "kind"]].itertuples(index=False):
        if cols is None:
            column = "importance" if kind == "i" else "satisfaction"
        else:
            column = cols[out_name][0 if kind == "i" else 1]
        row: float = math.inf
        if eager:
            schema = nf.schema
            cond = _as_text(column, schema[column]) == value
            if shape == "long":
                cond = cond & (_as_text("outcome", schema["outcome"]) == out_name)
            hit = nf.with_row_index(_ROW).filter(cond).select(nw.col(_ROW).min())
            if len(hit) and hit[_ROW][0] is not None:
                row = int(hit[_ROW][0]) + 1
        candidates.append((row, order.get(column, 0), column, value))
    row, _, column, value = min(candidates, key=lambda c: (c[0], c[1], str(c[3])))
    return InputError(
        "not an answer on the 1-5 scale",
        row=None if row == math.inf else int(row),
        column=column,
        value=value,
        hint="use 1-5 or text that starts with one, such as '4 - Important'; "
        "or treat such answers as missing",
    )


def _scores(agg: pd.DataFrame, groups: list[str], confidence: float) -> pd.DataFrame:
    out = agg.rename(columns={_OUT: "outcome"}).copy()

    def share(top: pd.Series, n: pd.Series) -> pd.Series:
        return (10.0 * top / n.where(n > 0)).astype(float)

    out["importance"] = share(out["top_importance"], out["n_importance"])
    out["satisfaction"] = share(out["top_satisfaction"], out["n_satisfaction"])
    for col, top, n in (
        ("importance", "top_importance", "n_importance"),
        ("satisfaction", "top_satisfaction", "n_satisfaction"),
    ):
        bounds = [wilson_interval(k, m, confidence) for k, m in zip(out[top], out[n], strict=True)]
        out[f"{col}_low"] = [10.0 * lo for lo, _ in bounds]
        out[f"{col}_high"] = [10.0 * hi for _, hi in bounds]
    gap = (out["importance"] - out["satisfaction"]).clip(lower=0)
    out["opportunity"] = out["importance"] + gap
    out["opportunity_level"] = [opportunity_level(v) for v in out["opportunity"]]
    out["served"] = [
        served_label(i, s) for i, s in zip(out["importance"], out["satisfaction"], strict=True)
    ]
    return out.drop(columns=["top_importance", "top_satisfaction"])


def _join_inventory(
    result: pd.DataFrame,
    inventory: JobInventory | None,
    lang: str,
    shape: str,
    nf: Any,
    eager: bool,
) -> pd.DataFrame:
    if inventory is None:
        result["job"] = None
        result["job_type"] = None
        result["statement"] = None
        return result
    known = inventory.outcomes_frame(lang)
    missing = [o for o in _ordered_unique(result["outcome"]) if o not in set(known["outcome"])]
    if missing:
        o = missing[0]
        if shape == "wide":
            raise InputError(
                "outcome is not in the job inventory",
                column=f"{o}_importance",
                value=o,
                hint=f"inventory outcomes: {', '.join(known['outcome'])}",
            )
        row = None
        if eager:
            schema = nf.schema
            hit = nf.with_row_index(_ROW).filter(_as_text("outcome", schema["outcome"]) == o)
            row = int(hit[_ROW][0]) + 1 if len(hit) else None
        raise InputError(
            "outcome is not in the job inventory",
            row=row,
            column="outcome",
            value=o,
            hint=f"inventory outcomes: {', '.join(known['outcome'])}",
        )
    info = known.set_index("outcome")
    result["job"] = result["outcome"].map(info["job"])
    result["job_type"] = result["outcome"].map(info["job_type"])
    result["statement"] = result["outcome"].map(info["statement"])
    return result


RESULT_COLUMNS: tuple[str, ...] = (
    "outcome",
    "job",
    "job_type",
    "statement",
    "n",
    "n_importance",
    "n_satisfaction",
    "importance",
    "importance_low",
    "importance_high",
    "satisfaction",
    "satisfaction_low",
    "satisfaction_high",
    "opportunity",
    "opportunity_level",
    "served",
    "n_invalid",
)


def _order(result: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    result = result[[*groups, *RESULT_COLUMNS]]
    result = result.sort_values(
        [*groups, "opportunity", "outcome"],
        ascending=[True] * len(groups) + [False, True],
        na_position="last",
        kind="stable",
    )
    result = result.reset_index(drop=True)
    for c in ("job", "job_type", "statement", "opportunity_level", "served"):
        result[c] = result[c].astype(object).where(result[c].notna(), None)
    return result
