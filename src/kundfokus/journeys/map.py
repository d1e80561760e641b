"""The journey map: steps, transitions with times, variants (paths), drop-off and repeat contacts.

:func:`journey_map` computes everything inside an engine with SQL window functions (``LEAD`` per
journey ordered by time): pandas and Polars inputs run in DuckDB over their Arrow data (no copy for
Polars), DuckDB relations in DuckDB, PySpark frames in Spark SQL. Only the aggregates (one row per
step, transition, variant and reason, per group) come back to Python.

Definitions (see docs/journeys.md):

- A *journey* is the pair (``customer_id``, ``journey_id``); its events are ordered by
  ``timestamp``. Ties (two events at the same moment) are broken by file order for pandas and
  Polars, by the ``order=`` column when given, else by step name.
- ``group`` (with ``by=``): the ``by`` column's value at the journey's first event; every table is
  then per group.
- ``steps``: per step ``n_events``, ``n_journeys`` (journeys with the step at least once), and where
  journeys stopped: ``n_ended`` (the journey's last step is this end step), ``n_open`` (still open,
  below), ``n_dropped`` (the rest) and ``drop_off = n_dropped / n_journeys``: the share of the
  journeys that reached the step and stopped there. Without ``end_steps`` every journey's last
  step counts as where it stopped (drop-off then includes normal endings).
- *Open* journeys: with ``end_steps`` given, a journey whose last step is not an end step is open
  (censored: it may still go on), not a drop-off. With ``open_days`` too, only those whose last
  event is within ``open_days`` of the end of the data (the latest timestamp of all events) are
  open; older ones are drop-offs at their last step.
- ``transitions``: each pair of consecutive events in a journey (``from_step`` -> ``to_step``), with
  ``n`` and the median and 90th percentile of the hours between them (linear interpolation between
  order statistics, as ``numpy.quantile``). Open journeys' last waits are not in it (no next event).
- ``variants``: the path of a journey, its steps joined by ``" > "``; the ``top_variants`` most
  common per group with ``n`` journeys and their ``share`` of the group's journeys; ``rank`` 1 is the
  most common (ties by path).
- ``repeats``: a journey is a *repeat* when the same customer started another journey with the same
  reason at most ``repeat_days`` days before it (start = first event). The reason is the ``reason``
  column's value at the journey's first event, or the journey's first step when ``reason`` is
  ``None``; journeys without a reason are never repeats. Per group and reason: ``n_journeys``,
  ``n_customers``, ``n_repeats``, ``repeat_share = n_repeats / n_journeys`` and
  ``n_customers_repeating`` (customers with at least one repeat).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.frames import as_frame
from kundfokus.journeys.columnar import (
    SortedEvents,
    _columns_of,
    in_process,
    load_events,
    map_tables,
)
from kundfokus.journeys.events import check_events

CUSTOMER, JOURNEY, STEP, TS = "customer_id", "journey_id", "step", "timestamp"
REQUIRED = (CUSTOMER, JOURNEY, STEP, TS)

_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 86_400_000_000
_names = itertools.count()


@dataclass
class JourneyMap:
    """The journey map: four tables (pandas) and totals. With ``by``, every table has a ``group``
    column first."""

    steps: pd.DataFrame
    transitions: pd.DataFrame
    variants: pd.DataFrame
    repeats: pd.DataFrame
    n_events: int
    n_journeys: int
    n_open: int
    n_ended: int
    n_dropped: int
    data_end: pd.Timestamp | None = None
    by: str | None = None
    reason: str | None = None
    repeat_days: float = 30
    end_steps: list[str] | None = None
    open_days: float | None = None
    top_variants: int = 10
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready object: ``steps``, ``transitions``, ``variants``, ``repeats`` (lists of
        rows) and the totals."""
        from kundfokus.serialize import records

        return {
            "steps": records(self.steps),
            "transitions": records(self.transitions),
            "variants": records(self.variants),
            "repeats": records(self.repeats),
            "n_events": self.n_events,
            "n_journeys": self.n_journeys,
            "n_open": self.n_open,
            "n_ended": self.n_ended,
            "n_dropped": self.n_dropped,
            "data_end": None if self.data_end is None else self.data_end.isoformat(sep=" "),
            "by": self.by,
            "reason": self.reason,
            "repeat_days": self.repeat_days,
            "end_steps": self.end_steps,
            "open_days": self.open_days,
        }


@dataclass
class _Dialect:
    name: str
    quote: Callable[[str], str]
    micros: Callable[[str], str]
    quantile: Callable[[str, float], str]
    path: str  # the ordered path aggregate over (ts, seq, step)


def _dq(c: str) -> str:
    return '"' + c.replace('"', '""') + '"'


def _bq(c: str) -> str:
    return "`" + c.replace("`", "``") + "`"


DUCKDB = _Dialect(
    "duckdb",
    _dq,
    lambda x: f"epoch_us({x})",
    lambda x, q: f"quantile_cont({x}, {q})",
    "string_agg(step, ' > ' ORDER BY ts, seq)",
)
SPARK = _Dialect(
    "spark",
    _bq,
    lambda x: f"unix_micros({x})",
    lambda x, q: f"percentile({x}, {q})",
    "array_join(transform(array_sort(collect_list(struct(ts, seq, step))), x -> x.step), ' > ')",
)


def _ordered_sql(d: _Dialect, src: str, seq: str, group: str, reason: str) -> str:
    q = d.quote
    return f"""
SELECT c, j, step, ts, seq,
  LEAD(step) OVER w AS next_step,
  LEAD(ts) OVER w AS next_ts,
  FIRST_VALUE(g0) OVER w AS g,
  FIRST_VALUE(r0) OVER w AS r
FROM (
  SELECT CAST({q(CUSTOMER)} AS STRING) AS c, CAST({q(JOURNEY)} AS STRING) AS j,
    CAST({q(STEP)} AS STRING) AS step, {q(TS)} AS ts, {seq} AS seq,
    {group} AS g0, {reason} AS r0
  FROM {src}
) e
WINDOW w AS (PARTITION BY c, j ORDER BY ts, seq)
"""


def _queries(d: _Dialect, o: str, jt: str, top: int, repeat_days: float) -> dict[str, str]:
    us = d.micros
    hours = f"(({us('next_ts')} - {us('ts')}) / {float(_US_PER_HOUR)})"
    window = round(repeat_days * _US_PER_DAY)
    return {
        "journeys": f"""
SELECT c, j, MIN(g) AS g, MIN(r) AS r, MIN(ts) AS start, MAX(ts) AS last_ts,
  MAX(CASE WHEN next_step IS NULL THEN step END) AS last_step, {d.path} AS path
FROM {o} GROUP BY c, j""",
        "steps": f"""
SELECT g, step, SUM(k) AS n_events, COUNT(*) AS n_journeys
FROM (SELECT g, c, j, step, COUNT(*) AS k FROM {o} GROUP BY g, c, j, step) s
GROUP BY g, step""",
        "transitions": f"""
SELECT g, step AS from_step, next_step AS to_step, COUNT(*) AS n,
  {d.quantile(hours, 0.5)} AS median_hours, {d.quantile(hours, 0.9)} AS p90_hours
FROM {o} WHERE next_step IS NOT NULL GROUP BY g, step, next_step""",
        "variants": f"""
SELECT g, path, n, rank FROM (
  SELECT g, path, n, ROW_NUMBER() OVER (PARTITION BY g ORDER BY n DESC, path) AS rank
  FROM (SELECT g, path, COUNT(*) AS n FROM {jt} GROUP BY g, path) v
) w WHERE rank <= {int(top)}""",
        "repeats": f"""
SELECT g, r AS reason, COUNT(*) AS n_journeys, COUNT(DISTINCT c) AS n_customers,
  SUM(CASE WHEN rep THEN 1 ELSE 0 END) AS n_repeats,
  COUNT(DISTINCT CASE WHEN rep THEN c END) AS n_customers_repeating
FROM (
  SELECT g, c, r, COALESCE(r IS NOT NULL AND ({us("start")} - {us("prev")}) <= {window}, FALSE)
    AS rep
  FROM (SELECT g, c, r, start,
      LAG(start) OVER (PARTITION BY c, r ORDER BY start, j) AS prev FROM {jt}) p
) x GROUP BY g, r""",
        "totals": f"SELECT SUM(CASE WHEN next_step IS NULL THEN 1 ELSE 0 END) AS n_journeys, "
        f"COUNT(*) AS n_events, MAX(ts) AS data_end FROM {o}",
    }


def _ends_sql(d: _Dialect, jt: str, cutoff_us: int | None) -> str:
    recent = "TRUE" if cutoff_us is None else f"({d.micros('last_ts')} >= {cutoff_us})"
    return f"SELECT g, last_step, {recent} AS recent, COUNT(*) AS n FROM {jt} GROUP BY g, 3, 2"


class _Runner:
    """Runs the map's queries in one engine: ``o`` (events with window columns) and ``jt`` (one row
    per journey) are materialised once."""

    def __init__(self, f: nw.DataFrame[Any] | nw.LazyFrame[Any], columns: dict[str, str | None]):
        native = f.to_native()
        self.kind = _engine(native)
        self.columns = columns
        self._cleanup: list[Callable[[], None]] = []
        if self.kind == "spark":
            self.dialect = SPARK
            self._spark_setup(native)
        else:
            self.dialect = DUCKDB
            self._duckdb_setup(f, native)

    # --- set-up -------------------------------------------------------------------------------
    def _expr(self, seq_default: str) -> tuple[str, str, str]:
        q = self.dialect.quote
        cols = self.columns
        seq = q(cols["order"]) if cols["order"] else seq_default
        group = f"CAST({q(cols['by'])} AS STRING)" if cols["by"] else "CAST(NULL AS STRING)"
        reason = f"CAST({q(cols['reason'])} AS STRING)" if cols["reason"] else "step0"
        return seq, group, reason

    def _ordered(self, src: str, seq_default: str) -> str:
        seq, group, reason = self._expr(seq_default)
        if reason == "step0":
            reason = f"CAST({self.dialect.quote(STEP)} AS STRING)"
        return _ordered_sql(self.dialect, src, seq, group, reason)

    def _duckdb_setup(self, f: Any, native: Any) -> None:
        import duckdb

        needed = [
            c
            for c in dict.fromkeys(
                [CUSTOMER, JOURNEY, STEP, TS, *(v for v in self.columns.values() if v)]
            )
        ]
        self.con = duckdb.connect(config={"preserve_insertion_order": False})
        self._cleanup.append(self.con.close)
        if self.kind == "duckdb":
            # only the needed columns stream (Arrow batches) from the relation's connection into
            # this private one, where the window pass runs; nothing is left in the caller's
            # database. A relation has no row order: ties are broken by step (or order=).
            rel = native.select(*[_dq(c) for c in needed])
            self.con.register("src", rel.to_arrow_reader())
            self.con.execute(f"CREATE TEMP TABLE o AS {self._ordered('src', _dq(STEP))}")
            self.con.unregister("src")
        else:
            g = f.select(*needed)
            if isinstance(g, nw.LazyFrame):
                g = g.collect()
            g = g.with_row_index("_kf_seq")
            try:
                table = g.to_arrow()
            except Exception as exc:  # mixed object columns in pandas and the like
                raise InputError(
                    f"cannot read the events frame: {exc}",
                    hint="give each column one type (text, number or timestamp)",
                ) from None
            self.con.register("src", table)
            self.con.execute(f"CREATE TEMP TABLE o AS {self._ordered('src', _dq('_kf_seq'))}")
            self.con.unregister("src")
        self.con.execute(f"CREATE TEMP TABLE jt AS {self._q()['journeys']}")

    def _spark_setup(self, native: Any) -> None:
        self.spark = native.sparkSession
        n = next(_names)
        src, self._o, self._jt = f"kf_src_{n}", f"kf_o_{n}", f"kf_jt_{n}"
        native.createOrReplaceTempView(src)
        o = self.spark.sql(self._ordered(src, _bq(STEP))).persist()
        o.createOrReplaceTempView(self._o)
        jt = self.spark.sql(self._q()["journeys"]).persist()
        jt.createOrReplaceTempView(self._jt)
        catalog = self.spark.catalog

        def drop() -> None:
            for view in (src, self._o, self._jt):
                catalog.dropTempView(view)
            o.unpersist()
            jt.unpersist()

        self._cleanup.append(drop)

    # --- queries ------------------------------------------------------------------------------
    def _q(self, top: int = 10, repeat_days: float = 30) -> dict[str, str]:
        if self.kind == "spark":
            return _queries(self.dialect, self._o, self._jt, top, repeat_days)
        return _queries(self.dialect, "o", "jt", top, repeat_days)

    @property
    def jt(self) -> str:
        return self._jt if self.kind == "spark" else "jt"

    def run(self, sql: str) -> pd.DataFrame:
        if self.kind == "spark":
            return self.spark.sql(sql).toPandas()
        return self.con.execute(sql).df()

    def close(self) -> None:
        for fn in reversed(self._cleanup):
            fn()


def _engine(native: Any) -> str:
    mod = type(native).__module__
    if mod.startswith("pyspark"):
        return "spark"
    if mod.startswith("duckdb") or mod.startswith("_duckdb"):
        return "duckdb"
    return "arrow"


def journey_map(
    frame: Any,
    *,
    by: str | None = None,
    top_variants: int = 10,
    repeat_days: float = 30,
    reason: str | None = None,
    end_steps: Sequence[str] | None = None,
    open_days: float | None = None,
    steps: Sequence[str] | None = None,
    order: str | None = None,
    check: bool = True,
    check_order: bool = False,
) -> JourneyMap:
    """The journey map of events from any engine (see the module docstring for the definitions).

    Parameters
    ----------
    frame:
        Journey events (pandas, Polars, DuckDB, PySpark): ``customer_id``, ``journey_id``, ``step``,
        ``timestamp`` and any other columns.
    by:
        A column to group journeys by (its value at the journey's first event).
    top_variants:
        How many of the most common paths to keep per group.
    repeat_days:
        A journey with the same reason as one the customer started at most this many days earlier
        is a repeat.
    reason:
        The column that holds the reason (its value at the journey's first event); ``None`` uses
        the journey's first step.
    end_steps:
        Steps that end a journey (``resolved``); a journey ending elsewhere is open.
    open_days:
        With ``end_steps``: only journeys idle for at most this many days at the end of the data
        are open; older unfinished journeys are drop-offs.
    steps:
        Known steps; passed to :func:`~kundfokus.journeys.check_events`.
    order:
        A column with the events' order (ties, and the time-order check in lazy engines).
    check:
        ``False`` skips :func:`check_events` (already checked; the timestamp must be a datetime).
    check_order:
        ``True`` makes time going backwards inside a journey (in file order) an error, as in the
        import. By default events may come in any order: the map orders them by time anyway.
    """
    if top_variants < 1:
        raise InputError("top_variants must be 1 or more", value=top_variants)
    if repeat_days < 0:
        raise InputError("repeat_days must be 0 or more", value=repeat_days)
    if open_days is not None and open_days < 0:
        raise InputError("open_days must be 0 or more", value=open_days)
    ends = [str(s) for s in end_steps] if end_steps else None
    if isinstance(frame, SortedEvents) and check_order:
        raise InputError(
            "check_order needs the events as they were written, not loaded ones",
            hint="give journey_map the frame itself",
        )
    if in_process(frame) and not check_order:
        raw = _columnar(frame, by, reason, order, steps, check, top_variants, repeat_days, ends,
                        open_days)  # fmt: skip
        return _assemble(raw, by, reason, repeat_days, ends, open_days, top_variants)
    if check:
        f = check_events(frame, steps=steps, order=order, check_order=check_order)
    else:
        f = frame if isinstance(frame, (nw.DataFrame, nw.LazyFrame)) else as_frame(frame)
    have = list(f.collect_schema().names())
    for c in (by, reason):
        if c is not None and c not in have:
            raise InputError(
                "no such column in the journey events",
                column=c,
                hint=f"the columns are: {', '.join(map(str, have))}",
            )
    runner = _Runner(f, {"by": by, "reason": reason, "order": order})
    try:
        q = runner._q(top_variants, repeat_days)
        totals = runner.run(q["totals"])
        n_journeys = int(totals["n_journeys"].iloc[0] or 0)
        n_events = int(totals["n_events"].iloc[0] or 0)
        data_end = totals["data_end"].iloc[0] if n_journeys else None
        if data_end is not None:
            data_end = pd.Timestamp(data_end)
            if data_end.tzinfo is not None:
                data_end = data_end.tz_convert("UTC").tz_localize(None)
        cutoff = None
        if ends is not None and open_days is not None and data_end is not None:
            end_us = (data_end - pd.Timestamp("1970-01-01")) // pd.Timedelta(microseconds=1)
            cutoff = int(end_us - round(open_days * _US_PER_DAY))
        steps_t = runner.run(q["steps"])
        last = runner.run(_ends_sql(runner.dialect, runner.jt, cutoff))
        transitions = runner.run(q["transitions"])
        variants = runner.run(q["variants"])
        repeats = runner.run(q["repeats"])
    finally:
        runner.close()
    raw = {
        "n_journeys": n_journeys, "n_events": n_events, "data_end": data_end, "steps": steps_t,
        "last": last, "transitions": transitions, "variants": variants, "repeats": repeats,
    }  # fmt: skip
    return _assemble(raw, by, reason, repeat_days, ends, open_days, top_variants)


def _columnar(
    frame: Any,
    by: str | None,
    reason: str | None,
    order: str | None,
    steps: Sequence[str] | None,
    check: bool,
    top: int,
    repeat_days: float,
    ends: list[str] | None,
    open_days: float | None,
) -> dict[str, Any]:
    """The raw tables from the columnar kernel (events in this process)."""
    native = frame.to_native() if isinstance(frame, (nw.DataFrame, nw.LazyFrame)) else frame
    have = _columns_of(native)
    for c in REQUIRED:
        if c not in have:
            raise InputError("no such column", column=c, hint=f"the columns are: {', '.join(have)}")
    for c in (by, reason):
        if c is not None and c not in have:
            raise InputError(
                "no such column in the journey events",
                column=c,
                hint=f"the columns are: {', '.join(map(str, have))}",
            )
    extra = [c for c in (by, reason) if c is not None]
    se = load_events(native, extra, tiebreak=order, steps=steps, check=check)
    data_end = pd.Timestamp(int(se.ts.max()), unit="us")
    cutoff = None
    if ends is not None and open_days is not None:
        end_us = (data_end - pd.Timestamp("1970-01-01")) // pd.Timedelta(microseconds=1)
        cutoff = int(end_us - round(open_days * _US_PER_DAY))
    t = map_tables(se, by=by, reason=reason, top=top, repeat_days=repeat_days, cutoff_us=cutoff)
    return {
        "n_journeys": se.n_journeys, "n_events": se.n_events, "data_end": data_end,
        "steps": t["steps"], "last": t["last"], "transitions": t["transitions"],
        "variants": t["variants"], "repeats": t["repeats"],
    }  # fmt: skip


def _assemble(
    raw: dict[str, Any],
    by: str | None,
    reason: str | None,
    repeat_days: float,
    ends: list[str] | None,
    open_days: float | None,
    top_variants: int,
) -> JourneyMap:
    n_journeys, n_events, data_end = raw["n_journeys"], raw["n_events"], raw["data_end"]
    steps_t, last, transitions, variants, repeats = (
        _gkey(raw[t]) for t in ("steps", "last", "transitions", "variants", "repeats")
    )
    steps_t, n_open, n_ended, n_dropped = _steps_table(steps_t, last, ends)
    jn = _journeys_per_group(last)
    variants = variants.merge(jn, on="g", how="left")
    variants["share"] = variants["n"] / variants["n_group"]
    variants = variants.drop(columns="n_group")
    repeats["repeat_share"] = repeats["n_repeats"] / repeats["n_journeys"]
    tables = {
        "steps": (steps_t, ["step"], ["n_journeys", "step"], [False, True]),
        "transitions": (
            transitions, ["from_step", "to_step"], ["n", "from_step", "to_step"],
            [False, True, True],
        ),
        "variants": (variants, ["rank"], ["rank"], [True]),
        "repeats": (repeats, ["reason"], ["n_journeys", "reason"], [False, True]),
    }  # fmt: skip
    out: dict[str, pd.DataFrame] = {}
    for name, (t, _keys, sort, asc) in tables.items():
        out[name] = _finish(t, by, sort, asc, _COLUMNS[name])
    return JourneyMap(
        steps=out["steps"],
        transitions=out["transitions"],
        variants=out["variants"],
        repeats=out["repeats"],
        n_events=n_events,
        n_journeys=n_journeys,
        n_open=n_open,
        n_ended=n_ended,
        n_dropped=n_dropped,
        data_end=data_end,
        by=by,
        reason=reason,
        repeat_days=repeat_days,
        end_steps=ends,
        open_days=open_days,
        top_variants=top_variants,
    )


_COLUMNS = {
    "steps": ["step", "n_events", "n_journeys", "n_ended", "n_open", "n_dropped", "drop_off"],
    "transitions": ["from_step", "to_step", "n", "median_hours", "p90_hours"],
    "variants": ["rank", "path", "n", "share"],
    "repeats": [
        "reason", "n_journeys", "n_customers", "n_repeats", "repeat_share",
        "n_customers_repeating",
    ],
}  # fmt: skip


_NULL = "\x00"  # the group key of journeys whose group value is missing


def _gkey(t: pd.DataFrame) -> pd.DataFrame:
    t = t.copy()
    t["g"] = [_NULL if v is None or (isinstance(v, float) and v != v) else str(v) for v in t["g"]]
    return t


def _journeys_per_group(last: pd.DataFrame) -> pd.DataFrame:
    return last.groupby("g", as_index=False)["n"].sum().rename(columns={"n": "n_group"})


def _steps_table(
    steps_t: pd.DataFrame, last: pd.DataFrame, ends: list[str] | None
) -> tuple[pd.DataFrame, int, int, int]:
    last = last.copy()
    end_set = set(ends or [])
    status = []
    for s, r in zip(last["last_step"], last["recent"], strict=True):
        if ends is None:
            status.append("n_dropped")
        else:
            status.append("n_ended" if s in end_set else ("n_open" if bool(r) else "n_dropped"))
    last["status"] = status
    counts = last.groupby(["g", "last_step", "status"], as_index=False)["n"].sum()
    wide = counts.pivot(index=["g", "last_step"], columns="status", values="n")
    wide = wide.reindex(columns=["n_ended", "n_open", "n_dropped"]).fillna(0).astype("int64")
    wide = wide.reset_index().rename(columns={"last_step": "step"})
    merged = steps_t.merge(wide, on=["g", "step"], how="left")
    for c in ("n_ended", "n_open", "n_dropped"):
        merged[c] = merged[c].fillna(0).astype("int64")
    merged["drop_off"] = merged["n_dropped"] / merged["n_journeys"]
    return (
        merged,
        int(wide["n_open"].sum()),
        int(wide["n_ended"].sum()),
        int(wide["n_dropped"].sum()),
    )


def _finish(
    t: pd.DataFrame, by: str | None, sort: list[str], asc: list[bool], columns: list[str]
) -> pd.DataFrame:
    t = t.copy()
    for c in t.columns:
        if c in ("n", "n_events", "n_journeys", "n_customers", "n_repeats", "rank",
                 "n_customers_repeating"):  # fmt: skip
            t[c] = t[c].fillna(0).astype("int64")
        elif c in ("median_hours", "p90_hours", "share", "repeat_share", "drop_off"):
            t[c] = t[c].astype("float64")
        elif c == "reason":
            t[c] = pd.Series([None if pd.isna(v) else str(v) for v in t[c]], index=t.index,
                             dtype=object)  # fmt: skip
    if by is None:
        t = t.sort_values(sort, ascending=asc, kind="stable").reset_index(drop=True)
        return t[columns]
    t = t.assign(_null=t["g"] == _NULL)
    t = t.sort_values(["_null", "g", *sort], ascending=[True, True, *asc], kind="stable")
    t["group"] = pd.Series([None if g == _NULL else g for g in t["g"]], index=t.index, dtype=object)
    return t[["group", *columns]].reset_index(drop=True)
