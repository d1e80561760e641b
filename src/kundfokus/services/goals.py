"""Shared goals across silos: an owner, the teams that share the goal, the metric it targets, a
baseline, a target and a due date. Goals form a tree (a company goal on NPS, team goals on the
CPIs that drive it).

:func:`create_goal` validates and stores a goal; :func:`list_goals` answers every goal with the
metric's current value (and its confidence interval), the progress from baseline to target (with
the interval carried through), whether it is on track and a sentence in plain words (en/sv).

The current value of a metric comes from a small registry of resolvers (:func:`register_metric`):
``nps``, ``csat`` and ``ces`` from the stored survey responses of that kind (every stored survey
of the kind, pooled; CSAT/CES only from the surveys on the newest survey's scale), ``cpi:<id>``
from the stored journey events (:func:`kundfokus.cpi.compute_cpis` with the bundled definitions)
and ``churn`` (no churn data is stored yet: always "no data yet" unless a resolver is registered).

On track (the rule, see docs/goals.md): let ``expected`` be the share of the time from the goal's
creation to its due date that has passed (0 to 1) and ``progress`` the share of the way from
baseline to target the current value has come, with ``progress_low``/``progress_high`` from the
value's interval. A goal is

* ``reached`` when the current value is at or past the target (on track);
* ``overdue`` when the due date has passed and it is not reached (off track);
* ``off_track`` when even the optimistic bound ``progress_high`` is behind ``expected``;
* ``at_risk`` when the estimate is behind ``expected`` but the optimistic bound is not (still on
  track: the data cannot tell it is behind);
* ``on_track`` when the estimate is at or ahead of ``expected``;
* ``no_data`` when the metric has no current value (``on_track`` is then ``None``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.i18n import check_lang, tr
from kundfokus.store.models import Goal, utcnow

__all__ = [
    "GoalError",
    "MetricValue",
    "create_goal",
    "get_goal",
    "goal_dict",
    "known_metrics",
    "list_goals",
    "metric_value",
    "register_metric",
    "set_parent",
    "unregister_metric",
]

#: The keys of every goal dict :func:`list_goals` answers, in order.
KEYS = (
    "id",
    "name",
    "owner",
    "teams",
    "metric",
    "metric_name",
    "baseline",
    "target",
    "due",
    "better",
    "parent",
    "children",
    "created_at",
    "created_by",
    "current",
    "expected",
    "expected_value",
    "progress",
    "progress_low",
    "progress_high",
    "on_track",
    "status",
    "status_text",
)


#: The largest baseline or target (in absolute value) a goal takes.
LIMIT = 1e12


class GoalError(InputError):
    """A goal that is not valid: names the field (``column``) and the value."""

    def __init__(self, message: str, *, field: str, value: Any = None, hint: str | None = None):
        self.field = field
        super().__init__(message, column=field, value=value, hint=hint)


@dataclass(frozen=True)
class MetricValue:
    """The current value of a metric with its confidence interval and the number behind it."""

    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    unit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n": self.n,
            "unit": self.unit,
        }


Resolver = Callable[[Session], "MetricValue | None"]

# --------------------------------------------------------------------------------------------------
# Metric resolvers

_RESOLVERS: dict[str, Resolver] = {}
_NAMES: dict[str, dict[str, str]] = {}


def register_metric(name: str, fn: Resolver, *, label: Mapping[str, str] | None = None) -> None:
    """Register (or replace) the resolver of metric ``name``: ``fn(session)`` answers a
    :class:`MetricValue` or ``None`` (no data yet). ``label`` is the name people read
    (``{"en": ..., "sv": ...}``; default: the metric id)."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("a metric needs a name", value=name)
    _RESOLVERS[name] = fn
    _NAMES[name] = dict(label) if label else {"en": name, "sv": name}


def unregister_metric(name: str) -> None:
    """Remove a registered metric (tests; a no-op for an unknown name)."""
    _RESOLVERS.pop(name, None)
    _NAMES.pop(name, None)


def _cpi_definitions() -> dict[str, Any]:
    from kundfokus.cpi import default_definitions

    return {c.id: c for c in default_definitions().cpis}


def known_metrics() -> list[str]:
    """Every metric a goal may target: the registered ones and ``cpi:<id>`` of each bundled
    CPI definition."""
    return sorted({*_RESOLVERS, *(f"cpi:{i}" for i in _cpi_definitions())})


def _metric_name(metric: str, lang: str) -> str:
    if metric in _NAMES:
        return tr(_NAMES[metric], lang)
    if metric.startswith("cpi:"):
        cpi = _cpi_definitions().get(metric[4:])
        if cpi is not None:
            name = getattr(cpi, "name", None)
            text = getattr(name, lang, None) if name is not None else None
            if isinstance(text, str) and text:
                return text
        return metric[4:]
    return metric


def _finite(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _score_metric(kind: str) -> Resolver:
    """The resolver of ``nps``/``csat``/``ces``: the score on every stored complete response of
    every survey of that kind (CSAT/CES: the surveys on the newest survey's scale)."""

    def resolve(session: Session) -> MetricValue | None:
        import pandas as pd

        from kundfokus.scores import analyze
        from kundfokus.services.surveys import export_frame
        from kundfokus.store.models import Survey

        surveys = session.scalars(
            select(Survey).where(Survey.kind == kind).order_by(Survey.id.desc())
        ).all()
        if not surveys:
            return None
        scale = None
        if kind != "nps":
            scale = tuple(int(v) for v in surveys[0].options["scale"])
            surveys = [s for s in surveys if tuple(s.options.get("scale") or ()) == scale]
        scores = [export_frame(session, s)["score"] for s in surveys]
        values = pd.to_numeric(pd.concat(scores, ignore_index=True), errors="coerce").dropna()
        if values.empty:
            return None
        frame = pd.DataFrame({"score": values.astype("int64")})
        table = analyze(kind, frame, "score", scale=scale, on_invalid="missing").table  # type: ignore[arg-type]
        row = table.iloc[0]
        column = {"nps": "nps", "csat": "csat", "ces": "mean_score"}[kind]
        value = _finite(row[column])
        if value is None:
            return None
        unit = {"nps": "points", "csat": "%", "ces": f"mean {scale[0]}-{scale[1]}" if scale else ""}
        return MetricValue(
            value=value,
            ci_low=_finite(row.get("ci_low")),
            ci_high=_finite(row.get("ci_high")),
            n=int(row["n"]),
            unit=unit[kind],
        )

    return resolve


def _cpi_metric(session: Session, cpi_id: str) -> MetricValue | None:
    """The CPI over every stored journey event (all journeys, no period), or ``None`` when no
    events are stored or the events lack what the CPI needs."""
    from kundfokus.cpi import compute_cpis
    from kundfokus.services.journeys_import import load_events

    events = load_events(session)
    if len(events) == 0:
        return None
    defs = _cpi_definitions()
    if cpi_id not in defs:
        return None
    report = compute_cpis(events, [defs[cpi_id]])
    rows = report.table[report.table["cpi"] == cpi_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    value = _finite(row["value"])
    if value is None:
        return None
    return MetricValue(
        value=value,
        ci_low=_finite(row.get("ci_low")),
        ci_high=_finite(row.get("ci_high")),
        n=int(row["n"]) if _finite(row.get("n")) is not None else None,
        unit=str(row.get("unit") or ""),
    )


def _no_churn_data(session: Session) -> MetricValue | None:
    """No churn figures are stored yet (contracts are not in the store)."""
    return None


register_metric("nps", _score_metric("nps"), label={"en": "NPS", "sv": "NPS"})
register_metric("csat", _score_metric("csat"), label={"en": "CSAT", "sv": "CSAT"})
register_metric("ces", _score_metric("ces"), label={"en": "CES", "sv": "CES"})
register_metric("churn", _no_churn_data, label={"en": "churn", "sv": "churn"})


def metric_value(session: Session, metric: str) -> MetricValue | None:
    """The current value of ``metric`` (``None``: no data yet, or an unknown metric)."""
    if metric in _RESOLVERS:
        return _RESOLVERS[metric](session)
    if metric.startswith("cpi:"):
        return _cpi_metric(session, metric[4:])
    return None


# --------------------------------------------------------------------------------------------------
# Create and read


def _text(value: Any, field: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GoalError("must be a non-empty text", field=field, value=value)
    value = value.strip()
    if any(ord(ch) < 32 for ch in value):
        raise GoalError("must not contain control characters", field=field, value=value[:40])
    if len(value) > limit:
        raise GoalError(f"at most {limit} characters", field=field, value=value[:40] + "...")
    return value


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool):
        raise GoalError("must be a number", field=field, value=value)
    f = _finite(value)
    if f is None:
        raise GoalError("must be a finite number", field=field, value=value)
    if abs(f) > LIMIT:
        raise GoalError(f"must be between -{LIMIT:g} and {LIMIT:g}", field=field, value=value)
    return f


def _date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise GoalError("must be a date like 2027-06-30", field=field, value=value)


def _teams(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence):
        raise GoalError("must be a list of team names", field="teams", value=value)
    out: list[str] = []
    for i, team in enumerate(value):
        name = _text(team, f"teams.{i}", 200)
        if name not in out:
            out.append(name)
    return out


def _check_metric(metric: Any) -> str:
    metric = _text(metric, "metric", 200)
    known = known_metrics()
    if metric not in known:
        raise GoalError(
            "unknown metric",
            field="metric",
            value=metric,
            hint="use one of: " + ", ".join(known),
        )
    return metric


def _ancestors(session: Session, goal_id: int) -> list[int]:
    """The ids from ``goal_id`` up to its root (``goal_id`` first); raises on a cycle."""
    seen: list[int] = []
    current: int | None = goal_id
    while current is not None:
        if current in seen:
            raise GoalError("the goals' parents form a cycle", field="parent", value=current)
        seen.append(current)
        current = session.scalar(select(Goal.parent_id).where(Goal.id == current))
    return seen


def _check_parent(session: Session, parent: Any) -> int | None:
    if parent is None:
        return None
    if isinstance(parent, bool) or not isinstance(parent, (int, str)):
        raise GoalError("must be the id of a goal", field="parent", value=parent)
    try:
        pid = int(parent)
    except ValueError:
        raise GoalError("must be the id of a goal", field="parent", value=parent) from None
    if not (1 <= pid <= 2**31 - 1) or session.get(Goal, pid) is None:
        raise GoalError("no goal with this id", field="parent", value=parent)
    _ancestors(session, pid)
    return pid


def create_goal(
    session: Session,
    *,
    name: str,
    owner: str,
    teams: Sequence[str] | None,
    metric: str,
    baseline: float,
    target: float,
    due: date | str,
    parent: int | None = None,
    better: str | None = None,
    by: str | None,
) -> Goal:
    """Validate and store a goal (the caller commits). A due date in the past is allowed (the
    goal then reads as overdue until it is reached).

    Raises
    ------
    GoalError
        An :class:`InputError` naming the field (``column``) and the value: an empty name or
        owner, a team that is not a text, an unknown metric, a baseline or target that is not a
        finite number, a target equal to the baseline, ``better`` that is not ``higher``/``lower``
        or contradicts baseline and target, a due date that does not read, a parent that does not
        exist or a cycle of parents.
    """
    name = _text(name, "name", 300)
    owner = _text(owner, "owner", 320)
    team_list = _teams(teams)
    metric = _check_metric(metric)
    base = _number(baseline, "baseline")
    goal = _number(target, "target")
    if goal == base:
        raise GoalError("the target must differ from the baseline", field="target", value=target)
    derived = "higher" if goal > base else "lower"
    if better is not None:
        if better not in ("higher", "lower"):
            raise GoalError("must be 'higher' or 'lower'", field="better", value=better)
        if better != derived:
            raise GoalError(
                f"a target {'above' if goal > base else 'below'} the baseline means "
                f"{derived} is better",
                field="better",
                value=better,
            )
    due_date = _date(due, "due")
    parent_id = _check_parent(session, parent)
    row = Goal(
        name=name,
        owner=owner,
        teams=team_list,
        metric=metric,
        baseline=base,
        target=goal,
        due=due_date,
        better=derived,
        parent_id=parent_id,
        created_at=utcnow(),
        created_by=by,
    )
    session.add(row)
    session.flush()
    return row


def set_parent(session: Session, goal_id: int, parent: int | None) -> Goal:
    """Move a goal under another one (``None``: make it a root). Refuses a cycle (a goal under
    itself or under one of its own descendants). The caller commits."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise GoalError("no goal with this id", field="id", value=goal_id)
    pid = _check_parent(session, parent)
    if pid is not None and goal.id in _ancestors(session, pid):
        raise GoalError(
            "a goal cannot be under itself or one of its own sub-goals",
            field="parent",
            value=parent,
        )
    goal.parent_id = pid
    session.flush()
    return goal


def get_goal(session: Session, goal_id: int, *, lang: str = "en", now: datetime | None = None):
    """One goal as :func:`list_goals` answers it, or ``None``."""
    if session.get(Goal, goal_id) is None:
        return None
    return _listed(session, lang=lang, now=now, only=goal_id)[0]


# --------------------------------------------------------------------------------------------------
# Progress and status


def _num(x: float, lang: str) -> str:
    """A figure for a sentence: whole numbers as such, else one decimal (decimal comma in sv)."""
    text = f"{x:.0f}" if abs(x - round(x)) < 0.05 or abs(x) >= 100 else f"{x:.1f}"
    if text in ("-0", "-0.0"):
        text = text[1:]
    text = text.replace("-", "\u2212")
    return text.replace(".", ",") if lang == "sv" else text


_TEXT = {
    "no_data": {
        "en": "No data yet: {metric} has no current value.",
        "sv": "Inga data än: {metric} har inget aktuellt värde.",
    },
    "reached": {
        "en": "Reached: {metric} is {value}{interval}; the target was {target} by {due}.",
        "sv": "Uppnått: {metric} är {value}{interval}; målet var {target} senast {due}.",
    },
    "overdue": {
        "en": "Overdue: {metric} is {value}{interval}; the target was {target} by {due}.",
        "sv": "Försenat: {metric} är {value}{interval}; målet var {target} senast {due}.",
    },
    "off_track": {
        "en": "Off track: {metric} is {value}{interval}; to reach {target} by {due} it should be "
        "about {expected} by now.",
        "sv": "Ur kurs: {metric} är {value}{interval}; för att nå {target} senast {due} borde "
        "det vara ungefär {expected} nu.",
    },
    "at_risk": {
        "en": "At risk: {metric} is {value}{interval}; to reach {target} by {due} it should be "
        "about {expected} by now, which the interval still allows.",
        "sv": "I riskzonen: {metric} är {value}{interval}; för att nå {target} senast {due} "
        "borde det vara ungefär {expected} nu, vilket intervallet fortfarande tillåter.",
    },
    "on_track": {
        "en": "On track: {metric} is {value}{interval}; to reach {target} by {due} it should be "
        "about {expected} by now.",
        "sv": "I fas: {metric} är {value}{interval}; för att nå {target} senast {due} borde det "
        "vara ungefär {expected} nu.",
    },
    "interval": {"en": " (interval {low} to {high})", "sv": " (intervall {low} till {high})"},
}


def _elapsed(created_at: datetime, due: date, now: datetime) -> float:
    """The share of the time from creation to the start of the due date that has passed."""
    end = datetime(due.year, due.month, due.day)
    span = (end - created_at).total_seconds()
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (now - created_at).total_seconds() / span))


def _progress(x: float | None, baseline: float, target: float) -> float | None:
    return None if x is None else (x - baseline) / (target - baseline)


def assess(
    goal: Goal, current: MetricValue | None, *, now: datetime, lang: str = "en"
) -> dict[str, Any]:
    """Progress, on-track and the sentence of one goal given the metric's current value (pure:
    no store access; see the module docstring for the rule)."""
    lang = check_lang(lang)
    expected = _elapsed(goal.created_at, goal.due, now)
    expected_value = goal.baseline + expected * (goal.target - goal.baseline)
    out: dict[str, Any] = {
        "current": current.as_dict() if current else None,
        "expected": expected,
        "expected_value": expected_value,
        "progress": None,
        "progress_low": None,
        "progress_high": None,
        "on_track": None,
        "status": "no_data",
    }
    metric = _metric_name(goal.metric, lang)
    if current is None:
        out["status_text"] = tr(_TEXT["no_data"], lang, metric=metric)
        return out
    progress = _progress(current.value, goal.baseline, goal.target)
    bounds = [
        p
        for p in (
            _progress(current.ci_low, goal.baseline, goal.target),
            _progress(current.ci_high, goal.baseline, goal.target),
        )
        if p is not None
    ]
    low = min([progress, *bounds])  # type: ignore[type-var]
    high = max([progress, *bounds])  # type: ignore[type-var]
    overdue = now >= datetime(goal.due.year, goal.due.month, goal.due.day)
    if progress >= 1:
        status = "reached"
    elif overdue:
        status = "overdue"
    elif high < expected:
        status = "off_track"
    elif progress < expected:
        status = "at_risk"
    else:
        status = "on_track"
    interval = ""
    if current.ci_low is not None and current.ci_high is not None:
        interval = tr(
            _TEXT["interval"],
            lang,
            low=_num(current.ci_low, lang),
            high=_num(current.ci_high, lang),
        )
    out.update(
        progress=progress,
        progress_low=low,
        progress_high=high,
        on_track=status in ("reached", "on_track", "at_risk"),
        status=status,
        status_text=tr(
            _TEXT[status],
            lang,
            metric=metric,
            value=_num(current.value, lang),
            interval=interval,
            target=_num(goal.target, lang),
            due=goal.due.isoformat(),
            expected=_num(expected_value, lang),
        ),
    )
    return out


def goal_dict(goal: Goal, children: Sequence[int] = (), *, lang: str = "en") -> dict[str, Any]:
    """The stored fields of a goal (the input keys plus ``id``, ``children``, ``better``,
    ``created_at``/``created_by`` and ``metric_name``)."""
    return {
        "id": goal.id,
        "name": goal.name,
        "owner": goal.owner,
        "teams": list(goal.teams or []),
        "metric": goal.metric,
        "metric_name": _metric_name(goal.metric, lang),
        "baseline": goal.baseline,
        "target": goal.target,
        "due": goal.due.isoformat(),
        "better": goal.better or ("higher" if goal.target > goal.baseline else "lower"),
        "parent": goal.parent_id,
        "children": list(children),
        "created_at": goal.created_at.isoformat(timespec="seconds") + "Z",
        "created_by": goal.created_by,
    }


def list_goals(
    session: Session, *, lang: str = "en", now: datetime | None = None
) -> list[dict[str, Any]]:
    """Every goal (ordered by id) with its ``children`` ids, the metric's ``current`` value
    (``value, ci_low, ci_high, n, unit`` or ``None``), ``expected`` (share of time passed) and
    ``expected_value``, ``progress`` with ``progress_low``/``progress_high``, ``on_track`` (bool,
    ``None`` without data), ``status`` (``no_data, reached, overdue, off_track, at_risk,
    on_track``) and ``status_text`` in ``lang``. ``now`` (naive UTC) defaults to the clock.

    Each metric is resolved once per call; a resolver that fails on bad stored data counts as no
    data for its goals (the page still shows every goal)."""
    return _listed(session, lang=lang, now=now)


def _listed(
    session: Session, *, lang: str, now: datetime | None, only: int | None = None
) -> list[dict[str, Any]]:
    lang = check_lang(lang)
    now = now or utcnow()
    goals = session.scalars(select(Goal).order_by(Goal.id)).all()
    children: dict[int, list[int]] = {g.id: [] for g in goals}
    for g in goals:
        if g.parent_id is not None and g.parent_id in children:
            children[g.parent_id].append(g.id)
    values: dict[str, MetricValue | None] = {}
    out = []
    for g in goals:
        if only is not None and g.id != only:
            continue
        if g.metric not in values:
            try:
                values[g.metric] = metric_value(session, g.metric)
            except InputError:
                values[g.metric] = None
        item = goal_dict(g, children[g.id], lang=lang)
        item.update(assess(g, values[g.metric], now=now, lang=lang))
        out.append({k: item[k] for k in KEYS})
    return out
