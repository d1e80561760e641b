"""A Vega-Lite flow chart of the journey map: steps as nodes, transitions as weighted links.

A layered node-link chart (a Sankey substitute that also shows loops): each step sits in a column
given by how many transitions it is, at the fewest, from a first step (the steps that journeys
start with); steps in the same column are stacked. A link's width is the number of journeys making
that transition, its tooltip gives the count and the median and 90th-percentile hours. Links
going back (to an earlier or the same column, like ``reopened -> resolved``) are drawn dashed.
A node's size is the number of journeys reaching the step; its tooltip gives the drop-off.
With groups (``by``), one panel per group.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import pandas as pd

from kundfokus.i18n import tr
from kundfokus.reports.charts import VEGA_LITE_SCHEMA

_T = {
    "title": {"en": "Journey map", "sv": "Kundresekarta"},
    "n": {"en": "journeys", "sv": "kundresor"},
    "median": {"en": "median hours", "sv": "median timmar"},
    "p90": {"en": "90th percentile hours", "sv": "90:e percentil timmar"},
    "drop": {"en": "drop-off", "sv": "avhopp"},
    "step": {"en": "step", "sv": "steg"},
    "from": {"en": "from", "sv": "från"},
    "to": {"en": "to", "sv": "till"},
    "group": {"en": "group", "sv": "grupp"},
}


def _layers(steps: pd.DataFrame, trans: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """(column, row) of each step."""
    names = list(steps["step"])
    incoming = trans.groupby("to_step")["n"].sum() if len(trans) else pd.Series(dtype=float)
    reached = steps.set_index("step")["n_journeys"]
    # first steps: more journeys reach them than arrive by a transition (journeys start there)
    starts = [s for s in names if reached.get(s, 0) > incoming.get(s, 0)] or names[:1]
    nxt: dict[str, list[str]] = {}
    for r in trans.sort_values("n", ascending=False).itertuples(index=False):
        nxt.setdefault(r.from_step, []).append(r.to_step)
    depth = {s: 0 for s in starts}
    queue = deque(starts)
    while queue:
        s = queue.popleft()
        for t in nxt.get(s, []):
            if t not in depth:
                depth[t] = depth[s] + 1
                queue.append(t)
    top = max(depth.values(), default=0)
    for s in names:
        depth.setdefault(s, top + 1)
    pos: dict[str, tuple[int, int]] = {}
    rows: dict[int, int] = {}
    for s in sorted(names, key=lambda s: (depth[s], -int(reached.get(s, 0)), s)):
        rows[depth[s]] = rows.get(depth[s], -1) + 1
        pos[s] = (depth[s], rows[depth[s]])
    return pos


def map_chart(journey_map: Any, *, lang: str = "en", min_share: float = 0.0) -> dict[str, Any]:
    """The flow chart of a :class:`~kundfokus.journeys.JourneyMap` as a Vega-Lite dict.

    ``min_share`` leaves out links carried by fewer than this share of the (group's) transitions.
    """
    steps, trans = journey_map.steps, journey_map.transitions
    grouped = "group" in steps.columns
    groups = list(dict.fromkeys(steps["group"])) if grouped else [None]
    data: list[dict[str, Any]] = []
    for g in groups:
        s = steps[steps["group"].isna()] if grouped and g is None else steps
        t = trans
        if grouped:
            s = steps[steps["group"] == g] if g is not None else s
            t = trans[trans["group"] == g] if g is not None else trans[trans["group"].isna()]
        if len(t) and min_share > 0:
            t = t[t["n"] >= min_share * t["n"].sum()]
        pos = _layers(s, t)
        label = "–" if g is None and grouped else g
        for r in s.itertuples(index=False):
            x, y = pos[r.step]
            data.append(
                {"kind": "node", "group": label, "step": r.step, "x": x, "y": y,
                 "n": int(r.n_journeys), "drop_off": round(float(r.drop_off), 4)}
            )  # fmt: skip
        for r in t.itertuples(index=False):
            (x, y), (x2, y2) = pos[r.from_step], pos[r.to_step]
            data.append(
                {"kind": "link", "group": label, "from": r.from_step, "to": r.to_step,
                 "x": x, "y": y, "x2": x2, "y2": y2, "n": int(r.n),
                 "back": bool(x2 <= x),
                 "median_hours": _num(r.median_hours), "p90_hours": _num(r.p90_hours)}
            )  # fmt: skip
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"padding": 40}}
    y = {"field": "y", "type": "quantitative", "axis": None, "scale": {"reverse": True,
                                                                        "padding": 30}}  # fmt: skip
    links = {
        "transform": [{"filter": "datum.kind === 'link'"}],
        "mark": {"type": "rule", "opacity": 0.55, "color": "#4c78a8"},
        "encoding": {
            "x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"},
            "strokeWidth": {"field": "n", "type": "quantitative", "title": tr(_T["n"], lang),
                            "scale": {"range": [1, 14]}},
            "strokeDash": {"field": "back", "type": "nominal", "legend": None,
                           "scale": {"domain": [False, True], "range": [[1, 0], [4, 3]]}},
            "tooltip": [
                {"field": "from", "title": tr(_T["from"], lang)},
                {"field": "to", "title": tr(_T["to"], lang)},
                {"field": "n", "title": tr(_T["n"], lang)},
                {"field": "median_hours", "title": tr(_T["median"], lang), "format": ".1f"},
                {"field": "p90_hours", "title": tr(_T["p90"], lang), "format": ".1f"},
            ],
        },
    }  # fmt: skip
    nodes = {
        "transform": [{"filter": "datum.kind === 'node'"}],
        "mark": {"type": "circle", "color": "#f58518", "opacity": 0.9},
        "encoding": {
            "x": x, "y": y,
            "size": {"field": "n", "type": "quantitative", "legend": None,
                     "scale": {"range": [60, 1200]}},
            "tooltip": [
                {"field": "step", "title": tr(_T["step"], lang)},
                {"field": "n", "title": tr(_T["n"], lang)},
                {"field": "drop_off", "title": tr(_T["drop"], lang), "format": ".0%"},
            ],
        },
    }  # fmt: skip
    labels = {
        "transform": [{"filter": "datum.kind === 'node'"}],
        "mark": {"type": "text", "dy": -16, "fontSize": 11},
        "encoding": {"x": x, "y": y, "text": {"field": "step"}},
    }
    layer = {"layer": [links, nodes, labels], "width": 560, "height": 260}
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "title": tr(_T["title"], lang),
        "data": {"values": data},
    }
    if grouped:
        spec["facet"] = {"row": {"field": "group", "type": "nominal",
                                 "title": tr(_T["group"], lang)}}  # fmt: skip
        spec["spec"] = layer
        spec["resolve"] = {"scale": {"x": "independent", "y": "independent"}}
    else:
        spec.update(layer)
    return spec


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else round(f, 4)
