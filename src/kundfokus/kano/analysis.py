"""Kano analysis: from raw answers (or an already tallied table) to one tidy row per feature.

The heavy part runs inside the engine the frame lives in (pandas, Polars, DuckDB, PySpark, through
narwhals): for each feature it counts how often each (functional, dysfunctional[, importance])
combination of raw values occurs. Only that small tally comes to Python, where the few distinct
values are read as answer codes, classified with the evaluation table and summarised.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.base import Result
from kundfokus.errors import InputError, check_on_invalid
from kundfokus.frames import to_pandas, warn_duplicates
from kundfokus.kano.answers import answer_code, importance_value, is_missing
from kundfokus.kano.tables import CATEGORIES, EVALUATION_TABLES

__all__ = [
    "AKANO_DYSFUNCTIONAL",
    "AKANO_FUNCTIONAL",
    "DUMOUCHEL_DYSFUNCTIONAL",
    "DUMOUCHEL_FUNCTIONAL",
    "FEATURE_COLUMNS",
    "RULES",
    "KanoResult",
    "analyze",
    "analyze_counts",
    "labels_from_frame",
]

RULES: tuple[str, str, str] = ("mode", "moai", "oam")

#: Tie order and the Matzler et al. (1996) hierarchy M > O > A > I (R and Q last).
PRIORITY: tuple[str, ...] = ("M", "O", "A", "I", "R", "Q")

#: Continuous scores per answer code 1-5 (like, must-be, neutral, live-with, dislike).
DUMOUCHEL_FUNCTIONAL: tuple[float, ...] = (4.0, 2.0, 0.0, -1.0, -2.0)
DUMOUCHEL_DYSFUNCTIONAL: tuple[float, ...] = (-2.0, -1.0, 0.0, 2.0, 4.0)
AKANO_FUNCTIONAL: tuple[float, ...] = (1.0, 0.5, 0.0, -0.25, -0.5)
AKANO_DYSFUNCTIONAL: tuple[float, ...] = (-0.5, -0.25, 0.0, 0.5, 1.0)

#: Columns of :attr:`KanoResult.features` after the group columns, in order.
FEATURE_COLUMNS: tuple[str, ...] = (
    "feature",
    "label",
    "n",
    *CATEGORIES,
    *(f"share_{c}" for c in CATEGORIES),
    "category",
    "category_mode",
    "category_moai",
    "category_oam",
    "rule",
    "runner_up",
    "better",
    "worse",
    "category_strength",
    "total_strength",
    "fong_difference",
    "fong_critical",
    "fong_significant",
    "dumouchel_functional",
    "dumouchel_functional_se",
    "dumouchel_dysfunctional",
    "dumouchel_dysfunctional_se",
    "akano_functional",
    "akano_functional_se",
    "akano_dysfunctional",
    "akano_dysfunctional_se",
    "akano_n",
    "importance",
    "importance_se",
    "importance_n",
    "table",
)

_FLOAT_COLUMNS = (
    *(f"share_{c}" for c in CATEGORIES),
    "better",
    "worse",
    "category_strength",
    "total_strength",
    "fong_difference",
    "fong_critical",
    "dumouchel_functional",
    "dumouchel_functional_se",
    "dumouchel_dysfunctional",
    "dumouchel_dysfunctional_se",
    "akano_functional",
    "akano_functional_se",
    "akano_dysfunctional",
    "akano_dysfunctional_se",
    "importance",
    "importance_se",
)

_WIDE = re.compile(r"^(?P<feature>.+?)_+(?P<kind>functional|dysfunctional|importance)$", re.I)
_ID_NAMES = ("id", "respondent", "respondent_id", "respondentid")
_F, _D, _I, _N, _FEAT = "__kano_f", "__kano_d", "__kano_i", "__kano_n", "__kano_feature"


# --------------------------------------------------------------------------------------------
# result


@dataclass
class KanoResult(Result):
    """What :func:`analyze` returns.

    A :class:`kundfokus.base.Result`: the tables are ``features``, ``group_tests`` (with ``by``),
    ``invalid`` and ``removed``; the metadata ``table``, ``rule``, ``by`` and ``exclude``; and
    :meth:`warnings` names, in English or Swedish, the unreadable answers and the respondents
    left out.

    Attributes
    ----------
    features:
        One row per feature (and group): counts, shares, categories by each rule, Better/Worse,
        strengths, Fong's test, continuous scores and importance. See ``docs/kano.md``.
    group_tests:
        With ``by``: one row per feature testing whether the category distribution differs between
        groups; otherwise ``None``.
    invalid:
        Answers that could not be read and were treated as missing (``on_invalid="missing"``):
        columns ``column, count, examples``. Empty when there were none.
    removed:
        Respondents left out by ``exclude``: columns ``respondent, answered, flagged, share``.
    """

    features: pd.DataFrame
    group_tests: pd.DataFrame | None = None
    invalid: pd.DataFrame = field(default_factory=lambda: _empty_invalid())
    removed: pd.DataFrame = field(default_factory=lambda: _empty_removed())
    table: str | None = "standard"
    rule: str = "mode"
    by: tuple[str, ...] = ()
    exclude: str | None = None

    _WARN: ClassVar[dict[str, dict[str, str]]] = {
        "invalid": {
            "en": "column {column}: {count} answers could not be read and were treated as missing "
            "(for example {examples})",
            "sv": "kolumnen {column}: {count} svar gick inte att läsa och räknades som saknade "
            "(till exempel {examples})",
        },
        "invalid_one": {
            "en": "column {column}: 1 answer could not be read and was treated as missing "
            "({examples})",
            "sv": "kolumnen {column}: 1 svar gick inte att läsa och räknades som saknat ({examples})",
        },
        "removed": {
            "en": "{n} respondents were left out for giving too many {category} answers",
            "sv": "{n} svarande togs bort för att de gav för många svar i kategorin {category}",
        },
        "removed_one": {
            "en": "1 respondent was left out for giving too many {category} answers",
            "sv": "1 svarande togs bort för att hen gav för många svar i kategorin {category}",
        },
    }

    def warnings(self, lang: str = "en") -> list[str]:
        """Unreadable answers treated as missing (per column) and respondents left out by
        ``exclude``, in ``lang`` (``"en"`` or ``"sv"``).

        Examples
        --------
        >>> frame = pd.DataFrame({"respondent": ["a", "b", "c"], "X_functional": [1, 1, 2],
        ...                       "X_dysfunctional": ["1", "5", "maybe"]})
        >>> for w in analyze(frame, exclude="Q", on_invalid="missing").warnings("sv"):
        ...     print(w)
        kolumnen X_dysfunctional: 1 svar gick inte att läsa och räknades som saknat ('maybe')
        1 svarande togs bort för att hen gav för många svar i kategorin tveksam
        """
        from kundfokus.i18n import check_lang, tr
        from kundfokus.kano.priorities import CATEGORY_NAMES

        check_lang(lang)
        out = []
        if self.invalid is not None:
            for rec in self.invalid.to_dict(orient="records"):
                one = int(rec["count"]) == 1
                out.append(
                    tr(
                        self._WARN["invalid_one" if one else "invalid"],
                        lang,
                        column=rec["column"],
                        count=int(rec["count"]),
                        examples=", ".join(repr(str(e)) for e in rec["examples"]),
                    )
                )
        if self.removed is not None and len(self.removed):
            code = str(self.exclude)
            name = tr(CATEGORY_NAMES[code], lang) if code in CATEGORY_NAMES else code
            key = "removed_one" if len(self.removed) == 1 else "removed"
            out.append(tr(self._WARN[key], lang, n=len(self.removed), category=name))
        return out

    def priorities(self, lang: str = "en") -> pd.DataFrame:
        """The features in the order to act on, with a sentence a manager can act on; see
        :func:`kundfokus.kano.priorities.priorities`."""
        from kundfokus.kano.priorities import priorities

        return priorities(self.features, lang=lang, by=list(self.by))

    @property
    def changed_features(self) -> list[str]:
        """Features whose category differs between groups and significantly so (with ``by``)."""
        if self.group_tests is None:
            return []
        return [str(f) for f in self.group_tests.loc[self.group_tests["changed"], "feature"]]


def _empty_invalid() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "column": pd.Series(dtype=object),
            "count": pd.Series(dtype="int64"),
            "examples": pd.Series(dtype=object),
        }
    )


def _empty_removed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent": pd.Series(dtype=object),
            "answered": pd.Series(dtype="int64"),
            "flagged": pd.Series(dtype="int64"),
            "share": pd.Series(dtype="float64"),
        }
    )


# --------------------------------------------------------------------------------------------
# input layout


@dataclass(frozen=True)
class _Spec:
    """Where the answers of one feature are."""

    feature: str
    functional: str
    dysfunctional: str
    importance: str | None


def _warn_repeated_respondents(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any], layout: _Layout, by: Sequence[str]
) -> None:
    """Warn when a respondent id is on more than one row (wide table) or answers one feature more
    than once (long table); the answers are counted as they are."""
    if layout.kind == "long":
        if layout.respondent_col is not None and layout.feature_col is not None:
            warn_duplicates(frame, layout.respondent_col, keys=[layout.feature_col], stacklevel=5)
        return
    ci = _columns_ci(list(frame.collect_schema().names()))
    rid = next((ci[n] for n in _ID_NAMES if n in ci), None)
    if rid is not None and rid not in by:
        warn_duplicates(frame, rid, stacklevel=5)


def _columns_ci(columns: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in columns:
        out.setdefault(c.strip().lower(), c)
    return out


def _wide_specs(columns: Sequence[str], by: Sequence[str]) -> list[_Spec]:
    found: dict[str, dict[str, str]] = {}
    order: list[str] = []
    keys: dict[str, str] = {}
    for col in columns:
        if col in by:
            continue
        m = _WIDE.match(col.strip())
        if not m:
            continue
        feature = m.group("feature").strip()
        kind = m.group("kind").lower()
        key = feature.lower()
        if key not in keys:
            keys[key] = feature
            order.append(feature)
        feature = keys[key]
        slot = found.setdefault(feature, {})
        if kind in slot:
            raise InputError(
                f"two columns hold the {kind} answers of feature {feature!r} "
                f"({slot[kind]!r} and {col!r})",
                column=col,
            )
        slot[kind] = col
    specs: list[_Spec] = []
    for feature in order:
        slot = found[feature]
        for need, other in (("functional", "dysfunctional"), ("dysfunctional", "functional")):
            if need not in slot:
                have = slot.get(other) or slot["importance"]
                raise InputError(
                    f"feature {feature!r} has no {need} column (expected '{feature}_{need}' "
                    f"next to {have!r})",
                    column=have,
                )
        specs.append(
            _Spec(feature, slot["functional"], slot["dysfunctional"], slot.get("importance"))
        )
    return specs


def _natural_key(text: str) -> list[Any]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text)]


def _as_frame(frame: Any) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    if isinstance(frame, (nw.DataFrame, nw.LazyFrame)):
        return frame
    try:
        return nw.from_native(frame)
    except TypeError as exc:
        raise InputError(
            f"cannot analyse a {type(frame).__name__}: pass a pandas, Polars, DuckDB or "
            "PySpark frame"
        ) from exc


def _as_text(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], col: str) -> nw.Expr:
    dtype = frame.collect_schema()[col]
    expr = nw.col(col)
    return expr if dtype == nw.String else expr.cast(nw.String)


# --------------------------------------------------------------------------------------------
# the engine part: counting combinations of raw values


@dataclass
class _Layout:
    kind: Literal["wide", "long"]
    specs: list[_Spec]  # wide
    feature_col: str | None = None  # long
    functional_col: str | None = None
    dysfunctional_col: str | None = None
    importance_col: str | None = None
    respondent_col: str | None = None


def _layout(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
    by: Sequence[str],
    features: Sequence[str] | None,
) -> _Layout:
    columns = list(frame.collect_schema().names())
    ci = _columns_ci(columns)
    for b in by:
        if b not in columns:
            raise InputError(f"no column {b!r} to group by", column=b)
    specs = _wide_specs(columns, by)
    if specs:
        if features is not None:
            lookup = {s.feature.lower(): s for s in specs}
            chosen = []
            for f in features:
                key = str(f).strip().lower()
                spec = lookup.get(key) or lookup.get(key.rstrip("_"))
                if spec is None:
                    raise InputError(
                        f"no answer columns for feature {f!r} ('{f}_functional', "
                        f"'{f}_dysfunctional')",
                        column=f"{f}_functional",
                    )
                chosen.append(spec)
            specs = chosen
        return _Layout("wide", specs)
    if all(k in ci for k in ("feature", "functional", "dysfunctional")):
        return _Layout(
            "long",
            [],
            feature_col=ci["feature"],
            functional_col=ci["functional"],
            dysfunctional_col=ci["dysfunctional"],
            importance_col=ci.get("importance"),
            respondent_col=ci.get("respondent"),
        )
    raise InputError(
        "no Kano answer columns found: expected pairs like 'F1_functional' and "
        "'F1_dysfunctional' (one row per respondent), or the columns 'respondent, feature, "
        "functional, dysfunctional' (one row per answer pair)"
    )


def _tally(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
    layout: _Layout,
    by: Sequence[str],
) -> pd.DataFrame:
    """Count (feature, functional, dysfunctional, importance) raw-value combinations per group."""
    keys = [*by, _FEAT, _F, _D, _I]
    null_text = nw.lit(None, dtype=nw.String)
    if layout.kind == "wide":
        parts = []
        for spec in layout.specs:
            imp = _as_text(frame, spec.importance) if spec.importance else null_text
            part = (
                frame.select(
                    *[nw.col(b) for b in by],
                    nw.lit(spec.feature, dtype=nw.String).alias(_FEAT),
                    _as_text(frame, spec.functional).alias(_F),
                    _as_text(frame, spec.dysfunctional).alias(_D),
                    imp.alias(_I),
                )
                .group_by(keys)
                .agg(nw.len().alias(_N))
            )
            parts.append(part)
        tally = nw.concat(parts, how="vertical") if len(parts) > 1 else parts[0]
    else:
        assert layout.feature_col and layout.functional_col and layout.dysfunctional_col
        imp = _as_text(frame, layout.importance_col) if layout.importance_col else null_text
        tally = (
            frame.select(
                *[nw.col(b) for b in by],
                _as_text(frame, layout.feature_col).alias(_FEAT),
                _as_text(frame, layout.functional_col).alias(_F),
                _as_text(frame, layout.dysfunctional_col).alias(_D),
                imp.alias(_I),
            )
            .group_by(keys)
            .agg(nw.len().alias(_N))
        )
    out = to_pandas(tally)
    out[_N] = out[_N].astype("int64")
    return out


# --------------------------------------------------------------------------------------------
# reading the distinct values


@dataclass
class _Reader:
    """Reads the distinct raw values of the tally; remembers what it could not read."""

    on_invalid: str
    importance_scale: tuple[float, float] | None
    bad: dict[str, dict[str, int]] = field(default_factory=dict)  # column -> value -> count

    def codes(self, values: pd.Series, counts: pd.Series, columns: pd.Series) -> pd.Series:
        out: list[int | None] = []
        cache: dict[Any, int | None] = {}
        for value, n, col in zip(values, counts, columns, strict=True):
            if is_missing(value):
                out.append(None)
                continue
            if value not in cache:
                try:
                    cache[value] = answer_code(value)
                except ValueError:
                    cache[value] = -1
            code = cache[value]
            if code == -1:
                self.bad.setdefault(col, {}).setdefault(str(value), 0)
                self.bad[col][str(value)] += int(n)
                out.append(None)
            else:
                out.append(code)
        return pd.Series(out, index=values.index, dtype="Int64")

    def importance(self, values: pd.Series, counts: pd.Series, columns: pd.Series) -> pd.Series:
        out: list[float | None] = []
        for value, n, col in zip(values, counts, columns, strict=True):
            if is_missing(value):
                out.append(None)
                continue
            try:
                x = importance_value(value)
                if self.importance_scale is not None and x is not None:
                    lo, hi = self.importance_scale
                    if not lo <= x <= hi:
                        raise ValueError("outside the importance scale")
            except ValueError:
                self.bad.setdefault(col, {}).setdefault(str(value), 0)
                self.bad[col][str(value)] += int(n)
                out.append(None)
                continue
            out.append(x)
        return pd.Series(out, index=values.index, dtype="Float64")


def _column_names(tally: pd.DataFrame, layout: _Layout, kind: str) -> pd.Series:
    if layout.kind == "long":
        col = {
            "f": layout.functional_col,
            "d": layout.dysfunctional_col,
            "i": layout.importance_col,
        }[kind]
        return pd.Series([col] * len(tally), index=tally.index, dtype=object)
    attr = {"f": "functional", "d": "dysfunctional", "i": "importance"}[kind]
    mapping = {s.feature: getattr(s, attr) for s in layout.specs}
    return tally[_FEAT].map(mapping)


def _read_tally(tally: pd.DataFrame, layout: _Layout, reader: _Reader) -> tuple[pd.DataFrame, bool]:
    t = tally.copy()
    t["fc"] = reader.codes(t[_F], t[_N], _column_names(t, layout, "f"))
    t["dc"] = reader.codes(t[_D], t[_N], _column_names(t, layout, "d"))
    has_importance = (
        layout.importance_col is not None
        if layout.kind == "long"
        else any(s.importance for s in layout.specs)
    )
    if has_importance:
        t["imp"] = reader.importance(t[_I], t[_N], _column_names(t, layout, "i"))
    else:
        t["imp"] = pd.Series([pd.NA] * len(t), index=t.index, dtype="Float64")
    return t, has_importance


def _locate_first_bad(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
    layout: _Layout,
    bad: dict[str, dict[str, int]],
    scale: tuple[float, float] | None = None,
) -> InputError:
    """Find the first row holding a value that could not be read (only on the error path)."""
    names = list(frame.collect_schema().names())
    cols = sorted(bad, key=names.index)
    data = to_pandas(frame.select(*[_as_text(frame, c).alias(c) for c in cols]))
    best: tuple[int, int, str, str] | None = None
    for order, col in enumerate(cols):
        mask = data[col].isin(list(bad[col]))
        if mask.any():
            pos = int(np.flatnonzero(mask.to_numpy())[0])
            cand = (pos, order, col, str(data[col].iloc[pos]))
            if best is None or cand[:2] < best[:2]:
                best = cand
    assert best is not None
    pos, _, col, value = best
    kind = "importance" if _is_importance_column(col, layout) else "Kano answer"
    if kind == "importance" and scale is not None:
        try:
            readable = importance_value(value) is not None
        except ValueError:
            readable = False
        if readable:
            return InputError(
                f"importance outside the scale {scale[0]:g}-{scale[1]:g}",
                row=pos + 1,
                column=col,
                value=value,
            )
    hint = (
        "use numbers or a text that starts with a number"
        if kind == "importance"
        else "use 1-5 or a supported wording; or treat such answers as missing "
        "(on_invalid='missing', --invalid-as-missing)"
    )
    return InputError(f"cannot read this {kind}", row=pos + 1, column=col, value=value, hint=hint)


def _is_importance_column(col: str, layout: _Layout) -> bool:
    if layout.kind == "long":
        return col == layout.importance_col
    return any(s.importance == col for s in layout.specs)


def _invalid_report(bad: dict[str, dict[str, int]]) -> pd.DataFrame:
    if not bad:
        return _empty_invalid()
    rows = []
    for col, values in bad.items():
        examples = sorted(values, key=lambda v: (-values[v], v))[:3]
        rows.append({"column": col, "count": sum(values.values()), "examples": examples})
    out = pd.DataFrame(rows)
    out["count"] = out["count"].astype("int64")
    return out


# --------------------------------------------------------------------------------------------
# removing respondents whose answers are mostly Q (or I)


def _target_condition(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
    spec_cols: tuple[str, str],
    pairs: pd.DataFrame,
    target: str,
) -> tuple[nw.Expr, nw.Expr]:
    """Engine expressions: is this row's pair in the target category / a readable pair."""
    fcol, dcol = spec_cols
    f_text, d_text = _as_text(frame, fcol), _as_text(frame, dcol)
    readable = pairs[pairs["fc"].notna() & pairs["dc"].notna()]
    f_ok = sorted({str(v) for v in readable[_F]})
    d_ok = sorted({str(v) for v in readable[_D]})
    answered = f_text.is_in(f_ok) & d_text.is_in(d_ok) if f_ok and d_ok else nw.lit(False)
    hits = readable[readable["category"] == target][[_F, _D]].drop_duplicates()
    cond: nw.Expr | None = None
    for fv, dv in zip(hits[_F], hits[_D], strict=True):
        c = (f_text == str(fv)) & (d_text == str(dv))
        cond = c if cond is None else (cond | c)
    if cond is None:
        cond = nw.lit(False)
    return cond, answered


def _exclude(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
    layout: _Layout,
    read: pd.DataFrame,
    target: str,
    threshold: float,
    respondent_column: str | None,
) -> tuple[nw.DataFrame[Any] | nw.LazyFrame[Any], pd.DataFrame]:
    columns = list(frame.collect_schema().names())
    if respondent_column is not None and respondent_column not in columns:
        raise InputError(f"no respondent id column {respondent_column!r}", column=respondent_column)
    if layout.kind == "long":
        rid = respondent_column or layout.respondent_col
        if rid is None:
            raise InputError(
                "removing respondents from a long table needs a respondent id column "
                "(name it 'respondent' or pass respondent_column)"
            )
        hits = read[read["category"] == target]
        readable = read[read["fc"].notna() & read["dc"].notna()]
        assert layout.feature_col and layout.functional_col and layout.dysfunctional_col
        ft = _as_text(frame, layout.feature_col)
        fx, dx = _as_text(frame, layout.functional_col), _as_text(frame, layout.dysfunctional_col)

        def any_of(rows: pd.DataFrame) -> nw.Expr:
            cond: nw.Expr | None = None
            for feat, fv, dv in rows[[_FEAT, _F, _D]].drop_duplicates().itertuples(index=False):
                c = (ft == str(feat)) & (fx == str(fv)) & (dx == str(dv))
                cond = c if cond is None else (cond | c)
            return cond if cond is not None else nw.lit(False)

        per = (
            frame.with_columns(
                any_of(hits).cast(nw.Int64).alias("__hit"),
                any_of(readable).cast(nw.Int64).alias("__ok"),
            )
            .group_by(rid)
            .agg(nw.col("__ok").sum().alias("answered"), nw.col("__hit").sum().alias("flagged"))
        )
        per_pd = to_pandas(per)
        per_pd = per_pd[per_pd["answered"] > 0]
        per_pd["share"] = per_pd["flagged"] / per_pd["answered"]
        removed = per_pd[per_pd["share"] > threshold]
        ids = removed[rid].tolist()
        kept = frame.filter(~nw.col(rid).is_in(ids)) if ids else frame
        removed = removed.rename(columns={rid: "respondent"})
        return kept, _removed_frame(removed)
    hits: list[nw.Expr] = []
    oks: list[nw.Expr] = []
    for spec in layout.specs:
        pairs = read[read[_FEAT] == spec.feature]
        h, ok = _target_condition(frame, (spec.functional, spec.dysfunctional), pairs, target)
        hits.append(h.cast(nw.Int64))
        oks.append(ok.cast(nw.Int64))
    hit_sum = nw.sum_horizontal(*hits).alias("__flagged")
    ok_sum = nw.sum_horizontal(*oks).alias("__answered")
    rid = respondent_column
    if rid is None:
        lowered = {c.strip().lower(): c for c in reversed(columns)}
        rid = next((lowered[n] for n in _ID_NAMES if n in lowered), None)
    marked = frame.with_columns(hit_sum, ok_sum)
    flag = (nw.col("__answered") > 0) & (nw.col("__flagged") > nw.col("__answered") * threshold)
    if rid is None:
        if isinstance(frame, nw.LazyFrame):
            raise InputError(
                "removing respondents from a lazy frame needs a respondent id column "
                "(a column named 'id' or 'respondent', or pass respondent_column)"
            )
        marked = marked.with_row_index("__row")
        marked = marked.with_columns((nw.col("__row") + 1).alias("__row"))
        rid_col = "__row"
    else:
        rid_col = rid
    removed = to_pandas(
        marked.filter(flag).select(
            nw.col(rid_col).alias("respondent"),
            nw.col("__answered").alias("answered"),
            nw.col("__flagged").alias("flagged"),
        )
    )
    removed["share"] = removed["flagged"] / removed["answered"]
    kept = marked.filter(~flag).drop("__flagged", "__answered", *([] if rid else ["__row"]))
    return kept, _removed_frame(removed)


def _removed_frame(removed: pd.DataFrame) -> pd.DataFrame:
    out = removed[["respondent", "answered", "flagged", "share"]].reset_index(drop=True)
    out["answered"] = out["answered"].astype("int64")
    out["flagged"] = out["flagged"].astype("int64")
    out["share"] = out["share"].astype("float64")
    return out


# --------------------------------------------------------------------------------------------
# summarising


def _moments(values: np.ndarray, weights: np.ndarray) -> tuple[float | None, float | None, int]:
    """Mean and standard error of values repeated ``weights`` times (sample SD, ddof=1)."""
    n = int(weights.sum())
    if n == 0:
        return None, None, 0
    mean = float((values * weights).sum() / n)
    if n < 2:
        return mean, None, n
    var = float((weights * (values - mean) ** 2).sum() / (n - 1))
    return mean, math.sqrt(max(var, 0.0) / n), n


def _continuous(
    read: pd.DataFrame, keys: list[str], has_importance: bool, weight_max: float | None
) -> pd.DataFrame:
    complete = read[read["fc"].notna() & read["dc"].notna()]
    rows = []
    groups = read.groupby(keys, sort=False, dropna=False)
    complete_groups = {
        (k if isinstance(k, tuple) else (k,)): g
        for k, g in complete.groupby(keys, sort=False, dropna=False)
    }
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        c = complete_groups.get(key)
        row: dict[str, Any] = dict(zip(keys, key, strict=True))
        if c is None or c.empty:
            c = read.iloc[0:0]
        fc = c["fc"].astype("int64").to_numpy() if len(c) else np.array([], dtype="int64")
        dc = c["dc"].astype("int64").to_numpy() if len(c) else np.array([], dtype="int64")
        w = c[_N].to_numpy(dtype=float)
        fd = np.asarray(DUMOUCHEL_FUNCTIONAL)[fc - 1] if len(c) else np.array([])
        dd = np.asarray(DUMOUCHEL_DYSFUNCTIONAL)[dc - 1] if len(c) else np.array([])
        row["dumouchel_functional"], row["dumouchel_functional_se"], _ = _moments(fd, w)
        row["dumouchel_dysfunctional"], row["dumouchel_dysfunctional_se"], _ = _moments(dd, w)
        fa = np.asarray(AKANO_FUNCTIONAL)[fc - 1] if len(c) else np.array([])
        da = np.asarray(AKANO_DYSFUNCTIONAL)[dc - 1] if len(c) else np.array([])
        if has_importance:
            imp = c["imp"].to_numpy(dtype=float, na_value=np.nan)
            known = ~np.isnan(imp)
            if weight_max is not None and weight_max > 0:
                scale = imp[known] / weight_max
                fa, da, wa = fa[known] * scale, da[known] * scale, w[known]
            else:
                fa, da, wa = np.array([]), np.array([]), np.array([])
        else:
            wa = w
        row["akano_functional"], row["akano_functional_se"], row["akano_n"] = _moments(fa, wa)
        row["akano_dysfunctional"], row["akano_dysfunctional_se"], _ = _moments(da, wa)
        imp_all = g["imp"].to_numpy(dtype=float, na_value=np.nan)
        known = ~np.isnan(imp_all)
        row["importance"], row["importance_se"], row["importance_n"] = _moments(
            imp_all[known], g[_N].to_numpy(dtype=float)[known]
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _ranked(counts: dict[str, int]) -> list[str]:
    """Categories by count, most first; ties in the order M, O, A, I, R, Q."""
    return sorted(PRIORITY, key=lambda c: (-counts[c], PRIORITY.index(c)))


def _rules(
    counts: dict[str, int], threshold: float
) -> tuple[str, str, str, str, str, float, float, float, bool]:
    """mode, moai, oam, (top, second), strength, Fong difference and critical value, significant."""
    n = sum(counts.values())
    ranked = _ranked(counts)
    top, second = ranked[0], ranked[1]
    a, b = counts[top], counts[second]
    strength = (a - b) / n
    mode = top
    close = [c for c in PRIORITY if (a - counts[c]) / n < threshold - 1e-12]
    moai = close[0] if close else top
    if counts["O"] + counts["A"] + counts["M"] > counts["I"] + counts["R"] + counts["Q"]:
        oam = max(("M", "O", "A"), key=lambda c: (counts[c], -PRIORITY.index(c)))
    else:
        oam = max(("I", "R", "Q"), key=lambda c: (counts[c], -PRIORITY.index(c)))
    critical = 1.65 * math.sqrt((a + b) * (2 * n - a - b) / (2 * n))
    significant = (a - b) >= critical
    return mode, moai, oam, top, second, strength, float(a - b), critical, significant


def _summarise(
    counts: pd.DataFrame,
    by: list[str],
    rule: str,
    threshold: float,
    labels: Mapping[str, str] | None,
    table: str | None,
    continuous: pd.DataFrame | None,
    feature_order: list[str],
) -> pd.DataFrame:
    rows = []
    for rec in counts.to_dict(orient="records"):
        c = {k: int(rec[k]) for k in CATEGORIES}
        n = sum(c.values())
        row: dict[str, Any] = {b: rec[b] for b in by}
        row["feature"] = rec["feature"]
        row["n"] = n
        row.update(c)
        for k in CATEGORIES:
            row[f"share_{k}"] = c[k] / n if n else None
        row["rule"] = rule
        denom = c["A"] + c["O"] + c["M"] + c["I"]
        row["better"] = (c["A"] + c["O"]) / denom if denom else None
        row["worse"] = 0.0 - (c["O"] + c["M"]) / denom if denom else None
        if n:
            mode, moai, oam, _, _, strength, diff, crit, sig = _rules(c, threshold)
            chosen = {"mode": mode, "moai": moai, "oam": oam}[rule]
            runner = next(k for k in _ranked(c) if k != chosen)
            mixed = (not sig) and c[runner] > 0
            row.update(
                category=f"{chosen}/{runner}" if mixed else chosen,
                category_mode=mode,
                category_moai=moai,
                category_oam=oam,
                runner_up=runner if c[runner] > 0 else None,
                category_strength=strength,
                total_strength=(c["A"] + c["O"] + c["M"]) / n,
                fong_difference=diff,
                fong_critical=crit,
                fong_significant=sig,
            )
        else:
            row.update(
                category=None,
                category_mode=None,
                category_moai=None,
                category_oam=None,
                runner_up=None,
                category_strength=None,
                total_strength=None,
                fong_difference=None,
                fong_critical=None,
                fong_significant=None,
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    if continuous is not None and not out.empty:
        out = out.merge(continuous, on=[*by, "feature"], how="left")
    labels = _label_lookup(labels, out["feature"].tolist() if not out.empty else [])
    out["label"] = [labels.get(f, f) for f in out["feature"]] if not out.empty else []
    out["table"] = table
    for col in FEATURE_COLUMNS:
        if col not in out.columns:
            out[col] = None
    for col in ("n", *CATEGORIES):
        out[col] = out[col].astype("int64")
    for col in ("importance_n", "akano_n"):
        out[col] = out[col].fillna(0).astype("int64")
    for col in _FLOAT_COLUMNS:
        out[col] = pd.array(
            [None if is_missing(v) else float(v) for v in out[col]], dtype="Float64"
        )
    out["fong_significant"] = pd.array(
        [None if is_missing(v) else bool(v) for v in out["fong_significant"]], dtype="boolean"
    )
    for col in ("category", "category_mode", "category_moai", "category_oam", "runner_up"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    # order: groups, then the features in their order of appearance
    rank = {f: i for i, f in enumerate(feature_order)}
    out["__order"] = out["feature"].map(rank)
    out = out.sort_values([*by, "__order"], kind="stable").drop(columns="__order")
    return out[[*by, *FEATURE_COLUMNS]].reset_index(drop=True)


def _label_lookup(labels: Mapping[str, str] | None, features: list[str]) -> dict[str, str]:
    if not labels:
        return {}
    known = {str(f): str(f) for f in features}
    lowered = {str(f).lower(): str(f) for f in features}
    out: dict[str, str] = {}
    for key, label in labels.items():
        if is_missing(label):
            continue
        k = str(key).strip()
        target = known.get(k) or lowered.get(k.lower()) or lowered.get(k.lower().rstrip("_"))
        if target is not None:
            out[target] = str(label)
    return out


def labels_from_frame(frame: Any, lang: str = "en") -> dict[str, str]:
    """Feature labels from a table with a feature id column (``feature`` or ``id``) and a
    label column, for example a ``features.csv`` listing the questions.

    The label column is ``label_<lang>`` when the table has one (bilingual feature lists such as
    ``examples/kano_features.csv`` carry ``label_en`` and ``label_sv``), else ``label``, else
    ``label_en``.

    Examples
    --------
    >>> import pandas as pd
    >>> labels_from_frame(pd.DataFrame({"ID": ["F1_", "F2_"], "Label": ["Hotline", "App"]}))
    {'F1_': 'Hotline', 'F2_': 'App'}
    >>> bilingual = pd.DataFrame({"id": ["bankid"], "label_en": ["BankID login"],
    ...                           "label_sv": ["Inloggning med BankID"]})
    >>> labels_from_frame(bilingual, lang="sv")
    {'bankid': 'Inloggning med BankID'}
    """
    df = to_pandas(_as_frame(frame))
    ci = _columns_ci([str(c) for c in df.columns])
    key = ci.get("feature") or ci.get("id")
    label = ci.get(f"label_{lang}") or ci.get("label") or ci.get("label_en")
    if key is None or label is None:
        raise InputError(
            "a feature-label table needs a 'feature' (or 'id') column and a 'label' "
            f"(or 'label_{lang}') column",
            column=None if key is None else label,
        )
    out: dict[str, str] = {}
    for i, (k, v) in enumerate(zip(df[key], df[label], strict=True), start=1):
        if is_missing(k):
            raise InputError("empty feature id", row=i, column=key, value="")
        if not is_missing(v):
            out[str(k).strip()] = str(v).strip()
    return out


# --------------------------------------------------------------------------------------------
# group tests


def _group_tests(result: pd.DataFrame, by: list[str], alpha: float, seed: int) -> pd.DataFrame:
    from scipy import stats

    rows = []
    for feature, g in result.groupby("feature", sort=False):
        g = g[g["n"] > 0]
        names = [
            " / ".join(str(v) for v in key) for key in g[by].itertuples(index=False, name=None)
        ]
        cats = [str(c).split("/")[0] for c in g["category"]]
        observed = g[list(CATEGORIES)].to_numpy(dtype=float)
        keep_cols = observed.sum(axis=0) > 0
        observed = observed[:, keep_cols]
        row: dict[str, Any] = {
            "feature": feature,
            "label": g["label"].iloc[0] if len(g) else feature,
            "groups": len(g),
            "n": int(observed.sum()),
            "categories": "; ".join(f"{n}: {c}" for n, c in zip(names, cats, strict=True)),
            "category_differs": len(set(cats)) > 1,
        }
        if observed.shape[0] < 2 or observed.shape[1] < 2:
            row.update(
                test="none",
                statistic=None,
                dof=None,
                p_value=None,
                min_expected=None,
                note="fewer than two groups or categories with answers: nothing to test",
            )
        else:
            expected = stats.contingency.expected_freq(observed)
            min_expected = float(expected.min())
            dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
            plain = stats.chi2_contingency(observed, correction=False)
            if min_expected >= 5:
                test, p = "chi-square", float(plain.pvalue)
                note = "Pearson chi-square test, all expected counts at least 5"
            elif observed.shape == (2, 2):
                test = "fisher"
                p = float(stats.fisher_exact(observed.astype(int)).pvalue)
                note = "expected counts below 5: Fisher's exact test"
            else:
                test = "monte-carlo chi-square"
                method = stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(seed))
                res = stats.chi2_contingency(observed, correction=False, method=method)
                p = float(res.pvalue)
                note = (
                    "expected counts below 5: chi-square p-value by Monte Carlo "
                    "(9,999 tables with the same margins)"
                )
            row.update(
                test=test,
                statistic=float(plain.statistic),
                dof=dof,
                p_value=p,
                min_expected=min_expected,
                note=note,
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    out["significant"] = [p is not None and not pd.isna(p) and p < alpha for p in out["p_value"]]
    out["changed"] = out["significant"] & out["category_differs"]
    out["alpha"] = alpha
    for col in ("statistic", "p_value", "min_expected"):
        out[col] = pd.array(
            [None if is_missing(v) else float(v) for v in out[col]], dtype="Float64"
        )
    out["dof"] = pd.array([None if is_missing(v) else int(v) for v in out["dof"]], dtype="Int64")
    cols = [
        "feature",
        "label",
        "groups",
        "n",
        "categories",
        "category_differs",
        "test",
        "statistic",
        "dof",
        "p_value",
        "alpha",
        "significant",
        "changed",
        "min_expected",
        "note",
    ]
    return out[cols]


# --------------------------------------------------------------------------------------------
# public functions


def _check_options(table: str | None, rule: str, threshold: float) -> None:
    if table is not None and table not in EVALUATION_TABLES:
        raise InputError(
            f"unknown evaluation table {table!r}; use one of {', '.join(EVALUATION_TABLES)}"
        )
    if rule not in RULES:
        raise InputError(f"unknown rule {rule!r}; use one of {', '.join(RULES)}")
    if not 0 <= threshold <= 1:
        raise InputError(f"strength_threshold must be between 0 and 1, got {threshold!r}")


def _check_on_invalid(on_invalid: str) -> Literal["raise", "missing"]:
    """``"raise"`` or ``"missing"``; the spelling ``"error"`` (before 0.2) warns and means raise.

    Called by the public function itself, so the warning points at its caller.
    """
    return check_on_invalid(on_invalid, stacklevel=4)  # type: ignore[return-value]


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def analyze(
    frame: Any,
    *,
    features: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    table: str = "standard",
    rule: str = "mode",
    strength_threshold: float = 0.06,
    by: str | Sequence[str] | None = None,
    on_invalid: Literal["raise", "missing"] = "raise",
    exclude: Literal["Q", "I"] | None = None,
    exclude_threshold: float = 0.5,
    respondent_column: str | None = None,
    importance_scale: tuple[float, float] | None = None,
    alpha: float = 0.05,
    seed: int = 0,
) -> KanoResult:
    """Analyse raw Kano answers: categories, Better/Worse, strengths, Fong's test, continuous
    scores and importance per feature (and group).

    Parameters
    ----------
    frame:
        pandas, Polars, DuckDB or PySpark frame. Either one row per respondent with columns
        ``<feature>_functional``, ``<feature>_dysfunctional`` and optional
        ``<feature>_importance`` (any order, any case), or one row per answer pair with columns
        ``feature, functional, dysfunctional`` (optional ``respondent``, ``importance``).
        Answers are codes 1-5 or texts in any wording of :data:`kundfokus.kano.WORDINGS` or
        :data:`kundfokus.kano.answers.RECOGNISED`; empty cells are missing.
    features:
        Only these features, in this order (default: all, in column order).
    labels:
        Feature -> readable label (keys may carry a trailing ``_``, as in ``F1_``).
    table:
        ``"standard"`` or ``"pouliot"`` evaluation table.
    rule:
        Rule that gives ``category``: ``"mode"``, ``"moai"`` (M > O > A > I among the categories
        within ``strength_threshold`` of the top) or ``"oam"`` ((O+A+M) vs (I+R+Q)).
    strength_threshold:
        Category strength below which the ``moai`` rule applies the hierarchy (0.06 = 6 points).
    by:
        Column(s) to analyse separately per group; adds :attr:`KanoResult.group_tests`.
    on_invalid:
        ``"raise"`` (default: an :class:`~kundfokus.errors.InputError` naming row, column and
        value) or ``"missing"`` (treat unreadable answers as missing and report them in
        ``.invalid``). ``"error"`` is the deprecated spelling of ``"raise"`` (warns; removed
        after 0.2).
    exclude:
        ``"Q"`` or ``"I"``: leave out respondents with more than ``exclude_threshold`` of their
        answered features in that category (reported in ``.removed``).
    respondent_column:
        Respondent id column for ``.removed`` (default: a column named id or respondent, else the
        row number).
    importance_scale:
        ``(lowest, highest)`` points of the importance scale: values outside are invalid, and the
        A-Kano weight is importance / highest. Default: the numbers as given, weight = importance
        / the highest importance seen.
    alpha:
        Significance level of the group tests.
    seed:
        Seed of the Monte Carlo group test.

    Returns
    -------
    KanoResult

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({
    ...     "Hotline_functional": ["I like it", "I expect it", "I like it", "I am neutral"],
    ...     "Hotline_dysfunctional": ["I dislike it", "I dislike it", "I dislike it",
    ...                               "I dislike it"],
    ... })
    >>> res = analyze(answers)
    >>> res.features[["feature", "n", "O", "M", "category", "better", "worse"]]
       feature  n  O  M category  better  worse
    0  Hotline  4  2  2      M/O     0.5   -1.0
    """
    _check_options(table, rule, strength_threshold)
    on_invalid = _check_on_invalid(on_invalid)
    if exclude is not None and exclude not in CATEGORIES:
        raise InputError(f"exclude must be one of {', '.join(CATEGORIES)}, got {exclude!r}")
    if importance_scale is not None:
        lo, hi = importance_scale
        if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo and hi > 0):
            raise InputError(
                f"importance_scale must be (lowest, highest), got {importance_scale!r}"
            )
    by_cols = _by_list(by)
    nwf = _as_frame(frame)
    layout = _layout(nwf, by_cols, features)
    tally = _tally(nwf, layout, by_cols)
    if tally.empty or int(tally[_N].sum()) == 0:
        raise InputError("the table has no answers (no data rows)")
    _warn_repeated_respondents(nwf, layout, by_cols)
    reader = _Reader(on_invalid, importance_scale)
    read, has_importance = _read_tally(tally, layout, reader)
    if reader.bad and on_invalid == "raise":
        raise _locate_first_bad(nwf, layout, reader.bad, importance_scale)
    if layout.kind == "long" and tally[_FEAT].map(is_missing).any():
        assert layout.feature_col is not None
        names = to_pandas(nwf.select(_as_text(nwf, layout.feature_col).alias("f")))["f"]
        pos = int(np.flatnonzero(names.map(is_missing).to_numpy())[0])
        raise InputError("empty feature name", row=pos + 1, column=layout.feature_col, value="")
    grid = EVALUATION_TABLES[table]
    read["category"] = [
        grid[f - 1][d - 1] if not (pd.isna(f) or pd.isna(d)) else None
        for f, d in zip(read["fc"], read["dc"], strict=True)
    ]
    invalid = _invalid_report(reader.bad)  # over all respondents, before any exclusion
    removed = _empty_removed()
    if exclude is not None:
        nwf, removed = _exclude(nwf, layout, read, exclude, exclude_threshold, respondent_column)
        tally = _tally(nwf, layout, by_cols)
        reader = _Reader(on_invalid, importance_scale)
        read, has_importance = _read_tally(tally, layout, reader)
        read["category"] = [
            grid[f - 1][d - 1] if not (pd.isna(f) or pd.isna(d)) else None
            for f, d in zip(read["fc"], read["dc"], strict=True)
        ]
    if layout.kind == "wide":
        order = [s.feature for s in layout.specs]
    else:
        present = sorted({str(f) for f in read[_FEAT] if not is_missing(f)}, key=_natural_key)
        order = present
        if features is not None:
            wanted = [str(f) for f in features]
            missing = [f for f in wanted if f not in present]
            if missing:
                raise InputError(
                    f"no answers for feature {missing[0]!r}",
                    column=layout.feature_col,
                    value=missing[0],
                )
            order = wanted
        read = read[read[_FEAT].isin(order)]
    read = read.rename(columns={_FEAT: "feature"})
    keys = [*by_cols, "feature"]
    complete = read[read["category"].notna()]
    counts = (
        complete.pivot_table(
            index=keys, columns="category", values=_N, aggfunc="sum", fill_value=0, dropna=False
        )
        if not complete.empty
        else pd.DataFrame(columns=list(CATEGORIES))
    )
    counts = counts.reindex(columns=list(CATEGORIES), fill_value=0)
    all_keys = read[keys].drop_duplicates()
    counts = (
        all_keys.merge(counts.reset_index(), on=keys, how="left")
        if not counts.empty
        else all_keys.assign(**{c: 0 for c in CATEGORIES})
    )
    counts[list(CATEGORIES)] = counts[list(CATEGORIES)].fillna(0).astype("int64")
    weight_max: float | None = None
    if has_importance:
        if importance_scale is not None:
            weight_max = float(importance_scale[1])
        else:
            known = read["imp"].dropna()
            weight_max = float(known.max()) if len(known) else None
    continuous = _continuous(read, keys, has_importance, weight_max)
    result = _summarise(counts, by_cols, rule, strength_threshold, labels, table, continuous, order)
    group_tests = _group_tests(result, by_cols, alpha, seed) if by_cols else None
    return KanoResult(
        features=result,
        group_tests=group_tests,
        invalid=invalid,
        removed=removed,
        table=table,
        rule=rule,
        by=tuple(by_cols),
        exclude=exclude,
    )


def _count_value(value: Any) -> int:
    if is_missing(value):
        raise ValueError("empty count")
    if isinstance(value, bool):
        raise ValueError("not a count")
    if isinstance(value, (int, np.integer)):
        n = int(value)
    else:
        try:
            x = float(str(value).strip())
        except ValueError:
            raise ValueError("not a number") from None
        if not math.isfinite(x) or not x.is_integer():
            raise ValueError("not a whole number")
        n = int(x)
    if n < 0:
        raise ValueError("negative count")
    return n


def analyze_counts(
    frame: Any,
    *,
    labels: Mapping[str, str] | None = None,
    rule: str = "mode",
    strength_threshold: float = 0.06,
    by: str | Sequence[str] | None = None,
    alpha: float = 0.05,
    seed: int = 0,
) -> KanoResult:
    """Analyse an already tallied table: one row per feature with columns ``feature, A, O, M, I,
    R, Q`` (names in any case). Continuous scores and importance are null (no raw answers).

    Examples
    --------
    >>> import pandas as pd
    >>> tally = pd.DataFrame({"feature": ["F1", "F2"], "M": [9, 9], "O": [10, 5],
    ...                       "A": [1, 4], "I": [2, 2], "R": [3, 4], "Q": [0, 1]})
    >>> res = analyze_counts(tally).features
    >>> res[["feature", "n", "category_mode", "category", "better", "worse"]].round(3)
      feature   n category_mode category  better  worse
    0      F1  25             O      O/M     0.5 -0.864
    1      F2  25             M      M/O    0.45   -0.7
    """
    _check_options(None, rule, strength_threshold)
    by_cols = _by_list(by)
    df = to_pandas(_as_frame(frame))
    ci = _columns_ci([str(c) for c in df.columns])
    needed = ["feature", *(c.lower() for c in CATEGORIES)]
    for name in needed:
        if name not in ci:
            raise InputError(
                f"a tallied table needs the columns feature, A, O, M, I, R, Q; "
                f"{name if name == 'feature' else name.upper()!r} is missing",
                column=name if name == "feature" else name.upper(),
            )
    for b in by_cols:
        if b not in df.columns:
            raise InputError(f"no column {b!r} to group by", column=b)
    if df.empty:
        raise InputError("the table has no rows")
    out: dict[str, list[Any]] = {b: df[b].tolist() for b in by_cols}
    fcol = ci["feature"]
    feats: list[str] = []
    seen: set[tuple[Any, ...]] = set()
    for i, v in enumerate(df[fcol], start=1):
        if is_missing(v):
            raise InputError("empty feature name", row=i, column=fcol, value="")
        key = (*[out[b][i - 1] for b in by_cols], str(v).strip())
        if key in seen:
            raise InputError("the feature appears twice", row=i, column=fcol, value=str(v))
        seen.add(key)
        feats.append(str(v).strip())
    out["feature"] = feats
    for cat in CATEGORIES:
        col = ci[cat.lower()]
        values = []
        for i, v in enumerate(df[col], start=1):
            try:
                values.append(_count_value(v))
            except ValueError as exc:
                raise InputError(
                    f"a count must be a whole number of at least 0 ({exc})",
                    row=i,
                    column=col,
                    value=v if not is_missing(v) else "",
                ) from None
        out[cat] = values
    counts = pd.DataFrame(out)
    result = _summarise(
        counts, by_cols, rule, strength_threshold, labels, None, None, list(dict.fromkeys(feats))
    )
    group_tests = _group_tests(result, by_cols, alpha, seed) if by_cols else None
    return KanoResult(
        features=result, group_tests=group_tests, table=None, rule=rule, by=tuple(by_cols)
    )
