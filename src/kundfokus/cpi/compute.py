"""Computing CPIs from journey events: per journey in the engine, then statistics per CPI x group.

:func:`compute_cpis` returns a :class:`CpiReport` whose ``table`` has one tidy row per CPI x group
(x period): ``n`` journeys, the ``value`` (median, mean or share, as the kind says), its confidence
interval, the share of journeys meeting the target and the trend against the previous period.
:func:`cpis_per_journey` gives each journey's (or customer's) own value of every CPI, and
:func:`join_kpis` puts them beside the customers' KPIs (NPS/CSAT/CES answers, churn, CLV).

How each kind is read per journey, and summarised:

- ``duration``: from the first ``from`` event to the first ``to`` event at or after it. A journey with
  a ``from`` but no such ``to`` is *open*: censored at the end of the data (the latest timestamp in
  all events). ``value`` is the Kaplan-Meier median in the CPI's unit, with a Brookmeyer-Crowley
  interval (Greenwood, log-log); ``n_open`` counts the open journeys; ``share_meeting_target`` is
  ``1 - S(target)`` from the curve (``S(target)`` when higher is better).
- ``count``, ``changes``, ``sum``: a number per journey; ``value`` is the mean with a t interval, or
  with ``stat: median`` the median with a bootstrap interval.
- ``share``: 1 when the journey reached ``reach`` and never hit ``without`` (anywhere in the
  journey); ``value`` is the share with a Wilson interval; ``n_open`` counts the journeys that have
  done neither yet (counted as not successful).
- ``answer``: the field's value at the first ``at`` event that has a value; mean with a t interval.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({
...     "customer_id": [1, 1, 2, 2, 3],
...     "journey_id": [1, 1, 2, 2, 3],
...     "step": ["contact_opened", "resolved", "contact_opened", "resolved", "contact_opened"],
...     "timestamp": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 10:00", "2024-01-01 09:00",
...                                  "2024-01-01 13:00", "2024-01-01 08:30"]),
... })
>>> defs = [{"id": "ttr", "kind": "duration", "from": {"step": "contact_opened"},
...          "to": {"step": "resolved"}, "unit": "hours", "target": 3}]
>>> row = compute_cpis(events, defs).table.iloc[0]
>>> int(row["n"]), int(row["n_open"]), float(row["value"]), round(float(row["share_meeting_target"]), 3)
(3, 1, 4.0, 0.333)

The open journey (from 08:30, censored at 13:00, the end of the data) counts as still running at
2 and 4 hours: the median is 4 hours; dropping it would give 3 hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as st

from kundfokus.cpi.definitions import (
    DURATION_UNITS,
    Cpi,
    CpiDefinitions,
    default_definitions,
    load_definitions,
    parse_definitions,
)
from kundfokus.cpi.engine import KEYS, journey_values
from kundfokus.cpi.km import kaplan_meier, km_median, km_median_interval, survival_at
from kundfokus.errors import InputError
from kundfokus.frames import as_frame, period_of, to_pandas
from kundfokus.i18n import tr
from kundfokus.journeys.columnar import SortedEvents
from kundfokus.stats import wilson_interval, z_value

__all__ = [
    "COLUMNS",
    "CpiReport",
    "compute_cpis",
    "cpis_per_journey",
    "join_kpis",
    "median_interval",
    "resolve_definitions",
]

#: The columns of :attr:`CpiReport.table`, in order (``period`` and ``period_start`` only with a
#: period).
COLUMNS = [
    "cpi",
    "name_en",
    "name_sv",
    "kind",
    "group",
    "period",
    "period_start",
    "stat",
    "n",
    "n_open",
    "value",
    "ci_low",
    "ci_high",
    "ci_method",
    "level",
    "unit",
    "better",
    "target",
    "meets_target",
    "share_meeting_target",
    "trend",
]

#: Above this many journeys with more distinct values than this, the median's interval is the
#: distribution-free order-statistic one instead of a bootstrap (see :func:`median_interval`).
BOOTSTRAP_MAX_N = 20_000
BOOTSTRAP_MAX_DISTINCT = 2_000


def resolve_definitions(definitions: Any) -> CpiDefinitions:
    """``None`` (the bundled set), a :class:`CpiDefinitions`, a path to a YAML file, a mapping with
    ``cpis`` or a list of CPI mappings / :class:`Cpi` objects."""
    if definitions is None:
        return default_definitions()
    if isinstance(definitions, CpiDefinitions):
        return definitions
    if isinstance(definitions, (str, Path)):
        return load_definitions(definitions)
    if isinstance(definitions, list) and all(isinstance(c, Cpi) for c in definitions):
        return CpiDefinitions(cpis=definitions)
    return parse_definitions(definitions)


@dataclass
class CpiReport:
    """The result of :func:`compute_cpis`."""

    table: pd.DataFrame
    cpis: list[Cpi]
    by: str | None = None
    period: str | None = None
    level: float = 0.95
    n_journeys: int = 0
    n_events: int = 0
    end_of_data: pd.Timestamp | None = None
    notes: list[dict[str, str]] = field(default_factory=list)

    def warnings(self, lang: str = "en") -> list[str]:
        return [tr(n, lang) for n in self.notes]


_W = {
    "skipped": {
        "en": "CPI {id} left out: the events have no column {cols}",
        "sv": "CPI {id} utelämnad: händelserna saknar kolumnen {cols}",
    },
    "no_match": {
        "en": "CPI {id}: no event matches {key} {cond} (check the step and column values)",
        "sv": "CPI {id}: ingen händelse matchar {key} {cond} (kontrollera steg och värden)",
    },
    "not_reached": {
        "en": "CPI {id}, group {group}{period}: more than half of the journeys are still open, "
        "so the median is not reached yet",
        "sv": "CPI {id}, grupp {group}{period}: mer än hälften av resorna är fortfarande öppna, "
        "så medianen är inte nådd än",
    },
}


def _cond_text(cond: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in cond.items()) + "}"


def _select(
    defs: CpiDefinitions, columns: list[str], step: str | None
) -> tuple[list[Cpi], list[dict[str, str]]]:
    chosen: list[Cpi] = []
    notes: list[dict[str, str]] = []
    for c in defs.cpis:
        if step is not None and step not in c.steps():
            continue
        missing = [col for col in c.columns() if col not in columns]
        if missing and not c.required:
            notes.append({k: v.format(id=c.id, cols=", ".join(missing)) for k, v in
                          _W["skipped"].items()})  # fmt: skip
            continue
        if missing:
            raise InputError(
                f"cpi {c.id!r} reads a column the events do not have",
                column=missing[0],
                hint=f"the columns are: {', '.join(map(str, columns))}",
            )
        chosen.append(c)
    if step is not None and not chosen:
        raise InputError(
            "no CPI has a condition on this step", column="step", value=step,
            hint="--step keeps the CPIs whose conditions name the step",
        )  # fmt: skip
    return chosen, notes


@dataclass
class _Values:
    """One CPI's per-journey values (aligned with the per-journey table)."""

    member: np.ndarray  # journeys this CPI covers
    value: np.ndarray  # float; for a duration, the time in the CPI's unit (censored when open)
    observed: np.ndarray  # bool; False for open (censored) journeys
    n_open_mask: np.ndarray  # journeys counted in n_open


def _values(cpi: Cpi, i: int, t: pd.DataFrame, end: pd.Timestamp | None) -> _Values:
    p = f"c{i}_"
    n = len(t)
    member = np.ones(n, bool)
    if p + "among" in t:
        member = t[p + "among"].fillna(0).to_numpy() > 0
    observed = np.ones(n, bool)
    open_mask = np.zeros(n, bool)
    if cpi.kind == "duration":
        start = t[p + "from"]
        stop = t[p + "to"]
        has_from = start.notna().to_numpy()
        closed = stop.notna().to_numpy()
        end_ts = end if end is not None else pd.Timestamp(0)
        finish = stop.where(stop.notna(), end_ts)
        seconds = (finish - start).dt.total_seconds().to_numpy(dtype=float)
        value = seconds / DURATION_UNITS[cpi.unit_name]
        member &= has_from
        observed = closed
        open_mask = member & ~closed
    elif cpi.kind == "count":
        value = t[p + "count"].fillna(0).to_numpy(dtype=float)
    elif cpi.kind == "changes":
        value = t[p + "changes"].fillna(0).to_numpy(dtype=float)
        member &= t[p + "nvalid"].fillna(0).to_numpy() > 0
    elif cpi.kind == "share":
        reach = t[p + "reach"].fillna(0).to_numpy() > 0
        hit = t[p + "without"].fillna(0).to_numpy() > 0 if p + "without" in t else np.zeros(n, bool)
        value = (reach & ~hit).astype(float)
        open_mask = member & ~reach & ~hit
    elif cpi.kind == "sum":
        value = t[p + "sum"].fillna(0).to_numpy(dtype=float)
    else:  # answer
        value = t[p + "answer"].to_numpy(dtype=float)
        member &= ~np.isnan(value)
    return _Values(member, value, observed, open_mask)


def _t_interval(x: np.ndarray, level: float) -> tuple[float, float, float]:
    n = x.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    m = float(x.mean())
    if n < 2:
        return (m, math.nan, math.nan)
    se = float(x.std(ddof=1)) / math.sqrt(n)
    q = float(st.t.ppf(1 - (1 - level) / 2, n - 1))
    return (m, m - q * se, m + q * se)


def median_interval(
    x: np.ndarray, level: float = 0.95, *, n_boot: int = 2000, seed: int = 0
) -> tuple[float, float, float, str]:
    """Median of ``x`` and its interval: ``(median, low, high, method)``.

    - few distinct values (at most 2,000, like counts): an exact percentile bootstrap that draws
      the resampled counts of each distinct value from a multinomial (cost independent of ``n``);
    - otherwise up to 20,000 values: a percentile bootstrap resampling the values;
    - beyond that: the distribution-free order-statistic interval (binomial ranks around n/2),
      which the bootstrap approximates anyway and which costs one sort.

    >>> import numpy as np
    >>> m, lo, hi, how = median_interval(np.array([1, 2, 2, 3, 3, 3, 4, 9] * 10))
    >>> m, how, lo <= m <= hi
    (3.0, 'bootstrap', True)
    """
    x = np.asarray(x, dtype=float)
    n = x.size
    if n == 0:
        return (math.nan, math.nan, math.nan, "bootstrap")
    med = float(np.median(x))
    if n < 2:
        return (med, math.nan, math.nan, "bootstrap")
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    x = np.sort(x)  # the interval depends on the values, not on the order they come in
    values, counts = np.unique(x, return_counts=True)
    if values.size <= BOOTSTRAP_MAX_DISTINCT:
        draws = rng.multinomial(n, counts / n, size=n_boot)
        cum = np.cumsum(draws, axis=1)
        lo_rank = (n - 1) // 2 + 1  # 1-based ranks of the middle value(s)
        hi_rank = n // 2 + 1
        a = values[(cum >= lo_rank).argmax(axis=1)]
        b = values[(cum >= hi_rank).argmax(axis=1)]
        meds = (a + b) / 2
        method = "bootstrap"
    elif n <= BOOTSTRAP_MAX_N:
        chunk = max(1, 4_000_000 // n)
        meds = np.concatenate(
            [
                np.median(x[rng.integers(0, n, size=(min(chunk, n_boot - s), n))], axis=1)
                for s in range(0, n_boot, chunk)
            ]
        )
        method = "bootstrap"
    else:
        xs = np.sort(x)
        z = z_value(level)
        half = z * math.sqrt(n) / 2
        lo_i = max(0, math.floor(n / 2 - half) - 1)
        hi_i = min(n - 1, math.ceil(n / 2 + half))
        return (med, float(xs[lo_i]), float(xs[hi_i]), "order-statistic")
    lo, hi = np.quantile(meds, [alpha, 1 - alpha])
    return (med, float(lo), float(hi), method)


def _meets(value: float, target: float | None, better: str) -> Any:
    if target is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return pd.NA
    return bool(value <= target) if better == "lower" else bool(value >= target)


def _summarise(
    cpi: Cpi, v: _Values, idx: np.ndarray, level: float, n_boot: int, seed: int
) -> dict[str, Any]:
    sel = idx[v.member[idx]]
    x = v.value[sel]
    n = int(sel.size)
    target = cpi.target
    better = cpi.direction
    out: dict[str, Any] = {"n": n, "n_open": pd.NA}
    share_target = math.nan
    if cpi.kind == "duration":
        obs = v.observed[sel]
        km = kaplan_meier(x, obs)
        value = km_median(km)
        lo, hi = km_median_interval(km, level)
        method = "km-brookmeyer-crowley"
        out["n_open"] = int((~obs).sum())
        if target is not None and n:
            s = float(survival_at(km, target))
            share_target = 1 - s if better == "lower" else s
    elif cpi.kind == "share":
        k = float(x.sum())
        value = k / n if n else math.nan
        lo, hi = wilson_interval(k, n, level) if n else (math.nan, math.nan)
        method = "wilson"
        out["n_open"] = int(v.n_open_mask[sel].sum())
    else:
        if cpi.statistic == "median":
            value, lo, hi, method = median_interval(x, level, n_boot=n_boot, seed=seed)
        else:
            value, lo, hi = _t_interval(x, level)
            method = "t"
        if target is not None and n:
            ok = x <= target if better == "lower" else x >= target
            share_target = float(ok.mean())
    out.update(
        value=value,
        ci_low=lo,
        ci_high=hi,
        ci_method=method,
        meets_target=_meets(value, target, better),
        share_meeting_target=share_target,
    )
    return out


def _labels(table: pd.DataFrame, by: str | None, period: str | None) -> tuple[pd.Series, ...]:
    group = (
        table["_group"].fillna("(missing)").astype(str)
        if by is not None
        else pd.Series("all", index=table.index)
    )
    if period is None:
        return (group,)
    days = table["_start"].dt.normalize()
    lookup = {d: period_of(d.date(), period) for d in map(pd.Timestamp, days.dropna().unique())}
    label = days.map(lambda d: lookup[d][0])
    start = days.map(lambda d: pd.Timestamp(lookup[d][1]))
    return group, label, start


def _event_columns(events: Any) -> list[str]:
    if isinstance(events, SortedEvents):
        return events.columns
    return list(as_frame(events).collect_schema().names())


def compute_cpis(
    events: Any,
    definitions: Any = None,
    *,
    by: str | None = None,
    step: str | None = None,
    period: Literal["week", "month"] | None = None,
    level: float = 0.95,
    seed: int = 0,
    n_boot: int = 2000,
) -> CpiReport:
    """Compute every CPI of ``definitions`` (default: the bundled set) from journey events.

    Parameters
    ----------
    events:
        One row per event, any engine (pandas, Polars, DuckDB, PySpark): ``customer_id``,
        ``journey_id``, ``step``, ``timestamp`` and the columns the CPIs use. A journey is a
        ``(customer_id, journey_id)`` pair.
    definitions:
        See :func:`resolve_definitions`.
    by:
        Group journeys by this column's value at the journey's first event.
    step:
        Keep only the CPIs whose conditions name this step.
    period:
        ``week`` (ISO) or ``month`` of the journey's first event; ``trend`` is then the change of
        ``value`` against the previous period of the same CPI and group.
    level, seed, n_boot:
        Confidence level; random seed and resamples of the bootstrap (medians of ``stat: median``).
    """
    z_value(level)  # validates the level
    if period not in (None, "week", "month"):
        raise InputError(f"unknown period {period!r}: use week or month", value=period)
    defs = resolve_definitions(definitions)
    columns = _event_columns(events)
    if by is not None and by not in columns:
        raise InputError(
            "no such column (--by)", column=by, hint=f"the columns are: {', '.join(columns)}"
        )
    cpis, notes = _select(defs, columns, step)
    jv = journey_values(events, cpis, by=by)
    t = jv.table
    labels = _labels(t, by, period)
    keys = pd.DataFrame({"group": labels[0]})
    if period is not None:
        keys["period"], keys["period_start"] = labels[1], labels[2]
    grouped = keys.groupby(list(keys.columns), sort=True).indices
    rows: list[dict[str, Any]] = []
    for i, cpi in enumerate(cpis):
        v = _values(cpi, i, t, jv.end)
        notes += _match_notes(cpi, i, t)
        for key, idx in grouped.items():
            key = key if isinstance(key, tuple) else (key,)
            row: dict[str, Any] = {
                "cpi": cpi.id,
                "name_en": cpi.label.en,
                "name_sv": cpi.label.sv,
                "kind": cpi.kind,
                "group": key[0],
            }
            if period is not None:
                row["period"], row["period_start"] = key[1], key[2]
            row["stat"] = cpi.statistic
            row.update(_summarise(cpi, v, np.asarray(idx), level, n_boot, seed))
            row.update(
                level=level, unit=cpi.unit_name, better=cpi.direction,
                target=cpi.target if cpi.target is not None else math.nan,
            )  # fmt: skip
            if cpi.kind == "duration" and row["n"] and math.isnan(row["value"]):
                where = f", {key[1]}" if period is not None else ""
                notes.append({k: s.format(id=cpi.id, group=key[0], period=where)
                              for k, s in _W["not_reached"].items()})  # fmt: skip
            rows.append(row)
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "trend"])
    if period is None:
        table = table.drop(columns=["period", "period_start"])
        table["trend"] = math.nan
    else:
        table = table.sort_values(["cpi", "group", "period"], kind="stable")
        table["trend"] = table.groupby(["cpi", "group"])["value"].diff()
        order = {c.id: j for j, c in enumerate(cpis)}
        table = table.sort_values(
            ["cpi", "group", "period"], key=lambda s: s.map(order) if s.name == "cpi" else s
        )
    table = table.reset_index(drop=True)
    table["n"] = table["n"].astype("int64")
    table["n_open"] = table["n_open"].astype("Int64")
    table["meets_target"] = table["meets_target"].astype("boolean")
    for c in ("value", "ci_low", "ci_high", "share_meeting_target", "target", "trend", "level"):
        table[c] = table[c].astype(float)
    return CpiReport(
        table=table,
        cpis=cpis,
        by=by,
        period=period,
        level=level,
        n_journeys=len(t),
        n_events=jv.n_events,
        end_of_data=jv.end,
        notes=notes,
    )


def _match_notes(cpi: Cpi, i: int, t: pd.DataFrame) -> list[dict[str, str]]:
    """A note for each condition that matched no event at all (a misspelt step, usually)."""
    p = f"c{i}_"
    checks: dict[str, str] = {
        "among": p + "among",
        "from": p + "from",
        "to": p + "anyto",
        "where": p + "count",
        "reach": p + "reach",
        "without": p + "without",
        "at": p + "anyat",
    }
    if cpi.kind != "count":
        checks.pop("where")
    notes = []
    for key, cond in cpi.conditions().items():
        col = checks.get(key)
        if col is None or col not in t or not len(t):
            continue
        s = t[col]
        hit = s.notna().any() if key == "from" else (s.fillna(0) > 0).any()
        if not hit:
            notes.append({lang: text.format(id=cpi.id, key=key, cond=_cond_text(cond))
                          for lang, text in _W["no_match"].items()})  # fmt: skip
    return notes


def cpis_per_journey(
    events: Any,
    definitions: Any = None,
    *,
    per: Literal["journey", "customer"] = "journey",
) -> pd.DataFrame:
    """Each journey's own value of every CPI: one row per journey (``per="journey"``) or customer.

    Columns: ``customer_id``, ``journey_id`` (journeys only), ``start`` (first event; per customer the
    first journey's), ``journeys`` (per customer), and one column per CPI id. A journey the CPI does
    not cover is NaN; a duration of an open journey is NaN too, with ``<id>_open`` True. Per
    customer, each CPI is the mean over the customer's covered journeys (a share becomes the
    customer's share of successful journeys, a duration the mean of the closed ones) and
    ``<id>_open`` the number of open journeys.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"customer_id": [1, 1, 1], "journey_id": [1, 1, 2],
    ...                    "step": ["contact_opened", "contact_opened", "contact_opened"],
    ...                    "timestamp": ["2024-01-01 08:00", "2024-01-01 09:00", "2024-01-02 08:00"]})
    >>> d = [{"id": "contacts", "kind": "count", "where": {"step": "contact_opened"}}]
    >>> cpis_per_journey(ev, d)["contacts"].tolist()
    [2.0, 1.0]
    >>> cpis_per_journey(ev, d, per="customer")[["customer_id", "journeys", "contacts"]]
      customer_id  journeys  contacts
    0           1         2       1.5
    """
    if per not in ("journey", "customer"):
        raise InputError(f"per must be journey or customer, not {per!r}", value=per)
    defs = resolve_definitions(definitions)
    columns = _event_columns(events)
    cpis, _ = _select(defs, columns, None)
    jv = journey_values(events, cpis)
    t = jv.table
    out = t[KEYS].copy()
    out["start"] = t["_start"]
    for i, cpi in enumerate(cpis):
        v = _values(cpi, i, t, jv.end)
        value = np.where(v.member & v.observed, v.value, np.nan)
        out[cpi.id] = value
        if cpi.kind == "duration":
            out[f"{cpi.id}_open"] = v.member & ~v.observed
    if per == "journey":  # in key order (the kernel numbers journeys in an order of its own)
        return out.sort_values(KEYS, kind="stable", ignore_index=True)
    agg: dict[str, Any] = {"start": ("start", "min"), "journeys": ("journey_id", "size")}
    for cpi in cpis:
        agg[cpi.id] = (cpi.id, "mean")
        if cpi.kind == "duration":
            agg[f"{cpi.id}_open"] = (f"{cpi.id}_open", "sum")
    return out.groupby("customer_id", sort=True, as_index=False).agg(**agg)


def join_kpis(per_journey: Any, kpis_frame: Any, on: str = "customer_id") -> pd.DataFrame:
    """The per-journey (or per-customer) CPIs with the KPIs of the same customer beside them.

    ``kpis_frame`` (any engine) holds one row per ``on`` value: an NPS/CSAT/CES answer, churned or
    not, CLV. The join keeps every CPI row (a left join); KPI columns whose names clash with CPI
    columns get the suffix ``_kpi``. The key is compared as text when the two frames disagree on its
    type.

    >>> import pandas as pd
    >>> cpis = pd.DataFrame({"customer_id": [1, 2, 3], "contacts": [1.0, 3.0, 2.0]})
    >>> kpis = pd.DataFrame({"customer_id": ["1", "2"], "nps": [9, 3]})
    >>> join_kpis(cpis, kpis)["nps"].tolist()
    [9.0, 3.0, nan]
    """
    left = to_pandas(per_journey)
    right = to_pandas(as_frame(kpis_frame))
    for name, frame in (("the CPI table", left), ("the KPI table", right)):
        if on not in frame.columns:
            raise InputError(
                f"no such column in {name}",
                column=on,
                hint=f"the columns are: {', '.join(map(str, frame.columns))}",
            )
    dup = right[on].duplicated(keep=False)
    if dup.any():
        i = int(np.argmax(dup.to_numpy()))
        raise InputError(
            "the KPI table has more than one row for this customer",
            row=i + 1,
            column=on,
            value=right[on].iloc[i],
            hint="aggregate the KPIs to one row per customer first",
        )
    if left[on].dtype != right[on].dtype:
        left = left.assign(**{"_kf_key": left[on].astype(str)})
        right = right.assign(**{"_kf_key": right[on].astype(str)}).drop(columns=[on])
        joined = left.merge(right, on="_kf_key", how="left", suffixes=("", "_kpi"))
        return joined.drop(columns=["_kf_key"])
    return left.merge(right, on=on, how="left", suffixes=("", "_kpi"))
