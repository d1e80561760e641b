"""Journey events sorted once, as columns: the fast kernel behind the journey map and the CPIs.

For events that live in this process (pandas, Polars eager or lazy, a DuckDB relation) the map and
the CPIs do not need an engine's window functions: the events are read once into Arrow memory
(Polars, no copy where the engine allows), checked as :func:`~kundfokus.journeys.events.check_events`
checks them (the same errors, with row numbers for eager frames only), and sorted once by journey
(``customer_id``, ``journey_id`` in text order) and time, with integer codes instead of text. Every
per-journey figure is then a segmented reduction over the sorted arrays (``numpy.ufunc.reduceat``):
one pass, no hash tables, no per-journey Python.

PySpark frames keep the engine path (Spark SQL / narwhals): their data may not fit in this process.
The tests check that both paths give equal results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.errors import InputError

CUSTOMER, JOURNEY, STEP, TS = "customer_id", "journey_id", "step", "timestamp"
REQUIRED = (CUSTOMER, JOURNEY, STEP, TS)
TEXT_COLUMNS = ("customer_id", "journey_id", "step", "channel", "event_id", "contact_id")
_INT64_MAX = np.iinfo(np.int64).max


def _native(events: Any) -> Any:
    if isinstance(events, (nw.DataFrame, nw.LazyFrame)):
        return events.to_native()
    return events


def in_process(events: Any) -> bool:
    """Whether ``events`` is a frame the columnar kernel reads (pandas, Polars, DuckDB)."""
    native = _native(events)
    mod = type(native).__module__
    if isinstance(native, (pd.DataFrame, SortedEvents)):
        return True
    return mod.startswith("polars") or mod.startswith("duckdb") or mod.startswith("_duckdb")


def _is_lazy(native: Any) -> bool:
    """Lazy engines have no row order to name a bad row by."""
    import polars as pl

    return not isinstance(native, (pd.DataFrame, pl.DataFrame))


def to_polars(events: Any, columns: Sequence[str] | None = None) -> Any:
    """The events (the given columns only) as an eager Polars frame, in the source's row order."""
    import polars as pl

    native = _native(events)
    try:
        if isinstance(native, pd.DataFrame):
            frame = native if columns is None else native[list(columns)]
            return pl.from_pandas(frame)
        if isinstance(native, pl.LazyFrame):
            return (native if columns is None else native.select(list(columns))).collect()
        if isinstance(native, pl.DataFrame):
            return native if columns is None else native.select(list(columns))
        rel = native if columns is None else native.select(*[_dq(c) for c in columns])
        return rel.pl()
    except InputError:
        raise
    except Exception as exc:  # mixed object columns in pandas and the like
        raise InputError(
            f"cannot read the events frame: {str(exc).splitlines()[0]}",
            hint="give each column one type (text, number or timestamp)",
        ) from None


def _dq(c: str) -> str:
    return '"' + c.replace('"', '""') + '"'


def _columns_of(native: Any) -> list[str]:
    if isinstance(native, pd.DataFrame):
        return [str(c) for c in native.columns]
    if hasattr(native, "collect_schema"):
        return list(native.collect_schema().names())
    return list(native.columns)


@dataclass
class SortedEvents:
    """Checked events sorted by journey and time: what the journey map and the CPIs read.

    Build it once with :func:`load_journeys` and give it to both
    :func:`~kundfokus.journeys.journey_map` and :func:`~kundfokus.cpi.compute_cpis` to read and sort
    the events only once.

    ``frame`` keeps the source's row order (text as it came: every reader strips it);
    ``order[i]`` is the source row of sorted position ``i``; ``gid`` numbers the journeys 0..G-1
    and ``starts``/``ends`` delimit each journey's rows in the sorted arrays; ``ts`` is the sorted
    timestamp in microseconds since 1970 (naive UTC). Journeys are numbered in an order of their
    own (a hash of the key), not in text order: every figure computed from them is independent of
    that order.
    """

    frame: Any
    order: np.ndarray
    gid: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    ts: np.ndarray
    customers: Any  # len G, text (a Polars series: Arrow strings, not Python objects)
    journeys: Any
    lazy: bool
    tiebreak: str | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def n_events(self) -> int:
        return int(self.order.size)

    @property
    def n_journeys(self) -> int:
        return int(self.starts.size)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    @property
    def customer_code(self) -> np.ndarray:
        """Per journey, two independent 64-bit hashes of its customer's text, shape ``(2, G)``:
        journeys of one customer share both; two customers sharing both (about 1 in 10^25 for a
        million customers) would be taken for one."""
        if "customer_code" not in self._cache:
            s = self.customers
            self._cache["customer_code"] = np.stack(
                [s.hash(seed=0x6375).to_numpy(), s.hash(seed=0x7374).to_numpy()]
            )
        return self._cache["customer_code"]

    def values(self, column: str) -> np.ndarray:
        """A column's values in sorted order, as numpy (nulls as NaN / None)."""
        key = "v:" + column
        if key not in self._cache:
            s = self.frame.get_column(column)
            self._cache[key] = s.to_numpy()[self.order] if s.dtype.is_numeric() else (
                s.gather(self.order).to_numpy()
            )  # fmt: skip
        return self._cache[key]

    def source_codes(self, column: str) -> tuple[np.ndarray, list[Any]]:
        """:meth:`codes` in the source's row order."""
        key = "s:" + column
        if key not in self._cache:
            self._cache[key] = text_codes(self.frame.get_column(column))
        return self._cache[key]

    def codes(self, column: str) -> tuple[np.ndarray, list[Any]]:
        """A column as integer codes in sorted order: ``(codes, uniques)`` with ``codes == -1``
        for nulls and ``uniques`` in ascending order (text stripped, in text order)."""
        key = "c:" + column
        if key not in self._cache:
            codes, uniques = self.source_codes(column)
            self._cache[key] = (codes[self.order], uniques)
        return self._cache[key]

    def forget(self, columns: Sequence[str]) -> None:
        """Drop what was computed from ``columns`` (after the frame's columns were replaced)."""
        for c in columns:
            for p in ("v:", "s:", "c:"):
                self._cache.pop(p + c, None)

    def reduce_min(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Per journey, the minimum of int64 ``values`` where ``mask`` (INT64_MAX when none)."""
        v = values if mask is None else np.where(mask, values, _INT64_MAX)
        return np.minimum.reduceat(v, self.starts) if v.size else v

    def reduce_sum(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, self.starts) if values.size else values

    def reduce_any(self, mask: np.ndarray) -> np.ndarray:
        return np.logical_or.reduceat(mask, self.starts) if mask.size else mask


def _strip(s: Any) -> Any:
    import polars as pl

    return s.cast(pl.String).str.strip_chars()


def text_codes(s: Any) -> tuple[np.ndarray, list[Any]]:
    """A Polars column as integer codes: ``(codes, uniques)``, ``codes == -1`` for nulls, text
    stripped (values equal after stripping share a code), ``uniques`` ascending (text order for
    text). Few distinct values go through an ``Enum`` cast (a hash lookup), many through a rank."""
    import polars as pl

    n = s.len()
    numeric = s.dtype.is_numeric() or s.dtype == pl.Boolean
    if s.dtype == pl.Enum:
        raw = pl.Series(list(s.dtype.categories), dtype=pl.String)
        phys = s.to_physical()
    elif not numeric and s.approx_n_unique() <= max(1024, n // 16):
        s = s if s.dtype == pl.String else s.cast(pl.String)
        raw = s.drop_nulls().unique()
        phys = s.cast(pl.Enum(raw.to_list())).to_physical()
    else:
        if not numeric:
            s = _strip(s)
        ranks = s.rank("dense")
        uniques = s.drop_nulls().unique().sort().to_list()
        codes = ranks.fill_null(0).to_numpy().astype(np.int32) - 1
        return codes, uniques
    stripped = _strip(raw)
    uniques = stripped.unique().sort().to_list()
    lookup = pl.DataFrame(
        {"u": pl.Series(uniques, dtype=pl.String), "i": np.arange(len(uniques), dtype=np.int32)}
    )
    joined = pl.DataFrame({"u": stripped}).join(lookup, on="u", how="left", maintain_order="left")
    lut = joined.get_column("i").to_numpy()
    lut = np.append(lut, np.int32(-1))  # nulls (physical null -> index -1 -> last slot)
    idx = phys.fill_null(len(lut) - 1).to_numpy().astype(np.int64)
    return lut[idx].astype(np.int32), uniques


def load_journeys(events: Any, *, order: str | None = None, check: bool = True) -> SortedEvents:
    """Read, check and sort journey events once, for :func:`~kundfokus.journeys.journey_map` and
    :func:`~kundfokus.cpi.compute_cpis` both (pandas, Polars or DuckDB; every column is read).

    ``order`` orders events at the same moment within a journey, as ``journey_map(order=...)``.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"customer_id": ["a", "a"], "journey_id": ["1", "1"],
    ...                    "step": ["opened", "resolved"],
    ...                    "timestamp": ["2024-01-01 08:00", "2024-01-01 09:00"]})
    >>> se = load_journeys(ev)
    >>> se.n_journeys, se.n_events
    (1, 2)
    """
    if not in_process(events):
        raise InputError(
            "load_journeys reads pandas, Polars or DuckDB frames",
            hint="give a Spark frame to journey_map and compute_cpis directly",
        )
    return load_events(events, _columns_of(_native(events)), tiebreak=order, check=check)


def load_events(
    events: Any,
    columns: Sequence[str] = (),
    *,
    tiebreak: str | None = None,
    steps: Sequence[str] | None = None,
    check: bool = True,
) -> SortedEvents:
    """Read, check and sort journey events that live in this process (see :func:`in_process`).

    ``columns`` are the columns needed besides the required four. ``tiebreak`` orders events at
    the same moment within a journey: ``None`` keeps the source's row order (pandas, Polars) or,
    for a DuckDB relation (no row order), orders by step; a column name orders by that column.
    ``steps``: the known steps (any other is an error). Events already loaded (a
    :class:`SortedEvents`) are checked for the columns, the tie order and the steps, not read again.
    """
    import polars as pl

    from kundfokus.journeys.events import parse_timestamps

    if isinstance(events, SortedEvents):
        return _reuse(events, columns, tiebreak, steps)
    native = _native(events)
    lazy = _is_lazy(native)
    have = _columns_of(native)
    needed = list(dict.fromkeys([*REQUIRED, *columns, *([tiebreak] if tiebreak else [])]))
    for c in needed:
        if c not in have:
            raise InputError("no such column", column=c, hint=f"the columns are: {', '.join(have)}")
    pf = to_polars(native, needed)
    if pf.height == 0:
        raise InputError(
            "there are no events: the table has a header but no rows",
            hint="one row per event: customer_id, journey_id, step, timestamp",
        )
    for c in TEXT_COLUMNS:
        if c in pf.columns and pf.schema[c] != pl.String:
            pf = pf.with_columns(pl.col(c).cast(pl.String))
    if check:
        for c in (CUSTOMER, JOURNEY):
            if pf.get_column(c).null_count():
                _missing(pf, c, lazy)
    ts_frame = pf.select(TS)
    wrapped = nw.from_native(ts_frame.lazy() if lazy else ts_frame)
    parsed = parse_timestamps(wrapped, TS)
    if isinstance(parsed, nw.LazyFrame):
        parsed = parsed.collect()
    ts_col = parsed.to_native().get_column(TS)
    if ts_col.dtype != pl.Datetime("us"):
        ts_col = ts_col.cast(pl.Datetime("us"))
    pf = pf.with_columns(ts_col.alias(TS))
    cache: dict[str, Any] = {}
    step_codes, step_names = text_codes(pf.get_column(STEP))
    cache["s:" + STEP] = (step_codes, step_names)
    if check:
        if "" in step_names or (step_codes < 0).any():
            _missing(pf, STEP, lazy)
        if steps is not None:
            _check_steps(pf, step_names, steps, lazy)
        if "event_id" in pf.columns:
            _unique_event_ids(pf, lazy)
    ts = pf.get_column(TS).to_physical().to_numpy()
    keys: dict[str, Any] = {"t": ts}
    if tiebreak is not None:
        tb = pf.get_column(tiebreak)
        if tb.dtype.is_numeric() or tb.dtype.is_temporal():
            if tb.null_count():  # nulls last (a sort key of its own: faster than nulls_last)
                keys["bn"] = tb.is_null().to_numpy()
            keys["b"] = tb.to_physical().fill_null(0).to_numpy()
        else:
            keys["b"] = _nulls_last(text_codes(tb)[0])
    elif lazy:
        keys["b"] = step_codes
    sorted_keys = _hash_sort(pf, keys)
    if sorted_keys is None:  # text to strip in the keys, or a hash collision: the exact way
        sorted_keys = _exact_sort(pf, keys)
    order, starts = sorted_keys
    n = order.size
    boundary = np.zeros(n, bool)
    boundary[starts] = True
    gid = (np.cumsum(boundary) - 1).astype(np.int32 if starts.size < 2**31 else np.int64)
    ends = np.append(starts[1:], n)
    first_rows = order[starts]
    customers = _strip(pf.get_column(CUSTOMER).gather(first_rows))
    journeys = _strip(pf.get_column(JOURNEY).gather(first_rows))
    if check and ((customers == "").any() or (journeys == "").any()):
        _missing(pf, CUSTOMER if (customers == "").any() else JOURNEY, lazy)
    return SortedEvents(
        frame=pf,
        order=order,
        gid=gid,
        starts=starts,
        ends=ends,
        ts=ts[order],
        customers=customers,
        journeys=journeys,
        lazy=lazy,
        tiebreak=tiebreak,
        _cache=cache,
    )


def _nulls_last(codes: np.ndarray) -> np.ndarray:
    return np.where(codes < 0, np.iinfo(np.int32).max, codes)


def _argsort(keys: dict[str, Any]) -> np.ndarray:
    import polars as pl

    return (
        pl.DataFrame(keys)
        .select(pl.arg_sort_by(list(keys), maintain_order=True))  # keys hold no nulls
        .to_series()
        .to_numpy()
        .astype(np.int64)
    )


def _hash_sort(pf: Any, keys: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """Sort by a 64-bit hash of the (customer, journey) text, then time: ``(order, starts)``.

    ``None`` when that is not safe: a key with text to strip (``" a"`` is ``"a"``), or a second,
    independent hash that differs inside a run of equal first hashes (two keys sharing one hash).
    Two keys that share both hashes (about 1 in 10^19 for a million journeys) would be merged.
    """
    import polars as pl

    pair = pl.struct(CUSTOMER, JOURNEY)
    h = pf.select(pair.hash(seed=0x6B66).alias("h"), pair.hash(seed=0x4A4F).alias("h2"))
    h1 = h.get_column("h").to_numpy()
    order = _argsort({"k": h1, **keys})
    hs = h1[order]
    same = hs[1:] == hs[:-1]
    h2 = h.get_column("h2").to_numpy()[order]
    if np.any(same & (h2[1:] != h2[:-1])):
        return None
    starts = np.flatnonzero(np.concatenate([[True], ~same]))
    first_rows = order[starts]
    for c in (CUSTOMER, JOURNEY):
        s = pf.get_column(c).gather(first_rows)
        if (s.str.len_bytes() != _strip(s).str.len_bytes()).any():
            return None
    return order, starts


def _exact_sort(pf: Any, keys: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Sort by the ranks of the stripped (customer, journey) text, then time."""
    import polars as pl

    ranks = pf.select(
        (_strip(pl.col(CUSTOMER)).rank("dense") - 1).cast(pl.Int64).alias("c"),
        (_strip(pl.col(JOURNEY)).rank("dense") - 1).cast(pl.Int64).alias("j"),
    )
    c = ranks.get_column("c").to_numpy()
    j = ranks.get_column("j").to_numpy()
    k = c * (int(j.max()) + 1) + j
    order = _argsort({"k": k, **keys})
    ks = k[order]
    starts = np.flatnonzero(np.concatenate([[True], ks[1:] != ks[:-1]]))
    return order, starts


def _missing(pf: Any, column: str, lazy: bool) -> None:
    s = _strip(pf.get_column(column))
    bad = s.is_null() | (s == "")
    row = None if lazy else int(bad.arg_true()[0]) + 1
    raise InputError(f"the {column} is missing", row=row, column=column)


def _check_steps(pf: Any, step_names: list[Any], steps: Sequence[str], lazy: bool) -> None:
    known = [str(s).strip() for s in steps]
    if set(step_names) <= set(known):
        return
    unknown = ~_strip(pf.get_column(STEP)).is_in(known)
    i = int(unknown.arg_true()[0])
    raise InputError(
        "unknown step",
        row=None if lazy else i + 1,
        column="step",
        value=_strip(pf.get_column(STEP))[i],
        hint=f"the known steps are: {', '.join(known)}",
    )


def _reuse(
    se: SortedEvents, columns: Sequence[str], tiebreak: str | None, steps: Sequence[str] | None
) -> SortedEvents:
    have = se.columns
    for c in columns:
        if c not in have:
            raise InputError("no such column", column=c, hint=f"the columns are: {', '.join(have)}")
    if tiebreak != se.tiebreak:
        raise InputError(
            f"these events were loaded with order={se.tiebreak!r}, not {tiebreak!r}",
            hint="load them again with load_journeys(events, order=...)",
        )
    if steps is not None:
        _check_steps(se.frame, se.codes(STEP)[1], steps, se.lazy)
    return se


def _unique_event_ids(pf: Any, lazy: bool) -> None:
    """A duplicate ``event_id`` is an error. Distinct hashes prove distinct ids; only when two
    hashes are equal are the texts compared."""
    import polars as pl

    ids = pf.get_column("event_id")
    if ids.str.contains(r"^\s|\s$").any():
        ids = _strip(ids)
    ids = ids.filter(ids.is_not_null() & (ids != ""))
    if ids.hash(seed=0x6964).n_unique() == ids.len():
        return
    counts = (
        pl.DataFrame({"event_id": ids})
        .group_by("event_id")
        .agg(pl.len().alias("n"))
        .filter(pl.col("n") > 1)
        .sort("event_id")
        .head(1)
    )
    if counts.height:
        value = counts.get_column("event_id")[0]
        hits = (_strip(pf.get_column("event_id")) == value).fill_null(False).arg_true()
        row = None if lazy else int(hits[1 if hits.len() > 1 else 0]) + 1
        raise InputError("duplicate event id", row=row, column="event_id", value=value)


def condition_mask(se: SortedEvents, cond: dict[str, Any]) -> np.ndarray:
    """All of ``column == value`` (or one of a list) over the sorted events; nulls never match.

    The values were validated against the column types by the CPI definitions' checks
    (:func:`kundfokus.cpi.engine.condition_expr`): text compares as text (booleans as
    ``true``/``false``), numbers and booleans as themselves, anything else as text.
    """
    import polars as pl

    mask: np.ndarray | None = None
    for column, value in cond.items():
        values = value if isinstance(value, list) else [value]
        s = se.frame.get_column(column)
        dtype = s.dtype
        if dtype == pl.String or dtype == pl.Categorical or dtype == pl.Enum:
            wanted = {str(v).lower() if isinstance(v, bool) else str(v) for v in values}
            codes, uniques = se.codes(column)
            hit = np.array([u in wanted for u in uniques] + [False], bool)
            m = hit[codes]  # code -1 (null) reads the trailing False
        else:
            if dtype.is_numeric() or dtype == pl.Boolean:
                hit_s = s.is_in(values)
            else:
                hit_s = s.cast(pl.String).is_in([str(v) for v in values])
            m = hit_s.fill_null(False).to_numpy()[se.order]
        mask = m if mask is None else (mask & m)
    assert mask is not None
    return mask


def text_at_first(se: SortedEvents, column: str) -> Any:
    """Per journey, ``column`` as text (null when missing) at its first event in sorted order
    (a Polars series)."""
    import polars as pl

    s = se.frame.get_column(column)
    if s.dtype != pl.String:
        s = s.cast(pl.String)
    return s.gather(se.order[se.starts]).str.strip_chars()


def _group_codes(s: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes of per-journey group values (a Polars text series; null its own code, listed as
    None)."""
    import polars as pl

    uniques = s.unique().sort(nulls_last=True).to_list()
    lookup = pl.Series(uniques, dtype=pl.String)
    codes = (
        pl.DataFrame({"v": s})
        .join(
            pl.DataFrame({"v": lookup, "i": np.arange(len(uniques))}),
            on="v",
            how="left",
            nulls_equal=True,
        )
        .get_column("i")
        .to_numpy()
    )
    return codes.astype(np.int64), uniques


def map_tables(
    se: SortedEvents,
    *,
    by: str | None,
    reason: str | None,
    top: int,
    repeat_days: float,
    cutoff_us: int | None,
) -> dict[str, pd.DataFrame]:
    """The journey map's raw tables from sorted events, the same as the engine path's queries:
    ``totals``, ``steps``, ``last``, ``transitions``, ``variants`` and ``repeats`` (``g`` the group
    text or None)."""
    import polars as pl
    import pyarrow as pa

    n_j = se.n_journeys
    sc, step_names = se.codes(STEP)
    n_steps = len(step_names)
    names = np.array(step_names, dtype=object)
    if by is not None:
        gcode, gnames = _group_codes(text_at_first(se, by))
    else:
        gcode, gnames = np.zeros(n_j, np.int64), [None]
    n_g = len(gnames)
    gtext = np.array(gnames, dtype=object)
    row_g = gcode[se.gid]
    ts = se.ts
    out: dict[str, pd.DataFrame] = {}
    out["totals"] = pd.DataFrame(
        {
            "n_journeys": [n_j],
            "n_events": [se.n_events],
            "data_end": [pd.Timestamp(int(ts.max()), unit="us")],
        }
    )
    # steps: events and journeys per group and step
    n_ev = np.bincount(row_g * n_steps + sc, minlength=n_g * n_steps)
    if n_steps <= 64:  # per step, which journeys have it: one segmented "any" each
        n_jr = np.zeros(n_g * n_steps, np.int64)
        for s in range(n_steps):
            has = se.reduce_any(sc == s)
            n_jr[s::n_steps] = np.bincount(gcode[has], minlength=n_g)
    else:
        pairs = pl.DataFrame({"j": se.gid, "s": sc}).unique()
        pj = pairs.get_column("j").to_numpy()
        ps = pairs.get_column("s").to_numpy()
        n_jr = np.bincount(gcode[pj] * n_steps + ps, minlength=n_g * n_steps)
    keep = np.flatnonzero(n_jr > 0)
    out["steps"] = pd.DataFrame(
        {
            "g": gtext[keep // n_steps],
            "step": names[keep % n_steps],
            "n_events": n_ev[keep],
            "n_journeys": n_jr[keep],
        }
    )
    # where journeys stopped
    last_ts = ts[se.ends - 1]
    recent = np.ones(n_j, bool) if cutoff_us is None else last_ts >= cutoff_us
    last_step = sc[se.ends - 1]
    code = (gcode * n_steps + last_step) * 2 + recent.astype(np.int64)
    counts = np.bincount(code, minlength=n_g * n_steps * 2)
    keep = np.flatnonzero(counts)
    out["last"] = pd.DataFrame(
        {
            "g": gtext[keep // 2 // n_steps],
            "last_step": names[(keep // 2) % n_steps],
            "recent": (keep % 2).astype(bool),
            "n": counts[keep],
        }
    )
    # transitions: consecutive events of a journey
    nxt = np.flatnonzero(se.gid[1:] == se.gid[:-1])
    hours = (ts[nxt + 1] - ts[nxt]) / 3_600_000_000.0
    tr = (
        pl.DataFrame({"g": row_g[nxt], "a": sc[nxt], "b": sc[nxt + 1], "h": hours})
        .group_by("g", "a", "b")
        .agg(
            pl.len().alias("n"),
            pl.col("h").quantile(0.5, interpolation="linear").alias("median_hours"),
            pl.col("h").quantile(0.9, interpolation="linear").alias("p90_hours"),
        )
    )
    out["transitions"] = pd.DataFrame(
        {
            "g": gtext[tr.get_column("g").to_numpy()],
            "from_step": names[tr.get_column("a").to_numpy()],
            "to_step": names[tr.get_column("b").to_numpy()],
            "n": tr.get_column("n").to_numpy().astype(np.int64),
            "median_hours": tr.get_column("median_hours").to_numpy(),
            "p90_hours": tr.get_column("p90_hours").to_numpy(),
        }
    )
    # variants: each journey's path of steps, as bytes (one or two per step) to group by
    width = 1 if n_steps <= 255 else 2
    data = sc.astype(np.uint8 if width == 1 else np.uint16)
    offsets = np.append(se.starts, se.n_events).astype(np.int64) * width
    paths = pl.from_arrow(
        pa.Array.from_buffers(
            pa.large_binary(), n_j, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )
    )
    vc = pl.DataFrame({"g": gcode, "p": paths}).group_by("g", "p").agg(pl.len().alias("n"))
    # only the variants that can make a group's top (ties at the edge included) become text
    vc = vc.filter(pl.col("n") >= pl.col("n").top_k(int(top)).min().over("g"))
    text = [
        " > ".join(names[np.frombuffer(p, dtype=data.dtype).astype(np.int64)])
        for p in vc.get_column("p").to_list()
    ]
    v = pd.DataFrame({"gc": vc.get_column("g").to_numpy(), "path": text,
                      "n": vc.get_column("n").to_numpy().astype(np.int64)})  # fmt: skip
    v = v.sort_values(["gc", "n", "path"], ascending=[True, False, True], kind="stable")
    v["rank"] = v.groupby("gc").cumcount() + 1
    v = v[v["rank"] <= int(top)]
    out["variants"] = pd.DataFrame(
        {
            "g": gtext[v["gc"].to_numpy()],
            "path": v["path"].to_numpy(),
            "n": v["n"].to_numpy(),
            "rank": v["rank"].to_numpy().astype(np.int64),
        }
    )
    # repeats: the same customer and reason again within repeat_days
    if reason is not None:
        r = text_at_first(se, reason)
    else:
        r = pl.Series(step_names, dtype=pl.String).gather(sc[se.starts])
    rcode, rnames = _group_codes(r)
    start = ts[se.starts]
    # the order of journeys that start at the same moment changes no count below
    cc = se.customer_code
    o = (
        pl.DataFrame({"c": cc[0], "c2": cc[1], "r": rcode, "t": start})
        .select(pl.arg_sort_by(["c", "c2", "r", "t"]))
        .to_series()
        .to_numpy()
    )
    c_o, c2_o, r_o, t_o = cc[0][o], cc[1][o], rcode[o], start[o]
    rep_o = np.zeros(n_j, bool)
    same = (c_o[1:] == c_o[:-1]) & (c2_o[1:] == c2_o[:-1]) & (r_o[1:] == r_o[:-1])
    window = round(repeat_days * 86_400_000_000)
    rep_o[1:] = same & ((t_o[1:] - t_o[:-1]) <= window)
    rnull = np.array([x is None for x in rnames], bool)
    rep_o &= ~rnull[r_o]
    rp = (
        pl.DataFrame({"g": gcode[o], "r": r_o, "c": c_o, "c2": c2_o, "rep": rep_o})
        .group_by("g", "r")
        .agg(
            pl.len().alias("n_journeys"),
            pl.struct("c", "c2").n_unique().alias("n_customers"),
            pl.col("rep").sum().alias("n_repeats"),
            pl.struct("c", "c2").filter(pl.col("rep")).n_unique().alias("n_customers_repeating"),
        )
    )
    rtext = np.array(rnames, dtype=object)
    out["repeats"] = pd.DataFrame(
        {
            "g": gtext[rp.get_column("g").to_numpy()],
            "reason": rtext[rp.get_column("r").to_numpy()],
            "n_journeys": rp.get_column("n_journeys").to_numpy().astype(np.int64),
            "n_customers": rp.get_column("n_customers").to_numpy().astype(np.int64),
            "n_repeats": rp.get_column("n_repeats").to_numpy().astype(np.int64),
            "n_customers_repeating": rp.get_column("n_customers_repeating")
            .to_numpy()
            .astype(np.int64),
        }
    )
    return out
