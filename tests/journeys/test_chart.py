"""The flow chart: nodes for steps, links for transitions with their counts; renders to SVG."""

from __future__ import annotations

import json

import pandas as pd

from kundfokus.journeys import journey_map, map_chart
from kundfokus.reports import render_svg


def _events() -> pd.DataFrame:
    rows = []
    for j, path in enumerate([["a", "b", "c"], ["a", "b", "c"], ["a", "c", "b", "c"], ["a"]]):
        for k, step in enumerate(path):
            rows.append({"customer_id": f"c{j}", "journey_id": f"j{j}", "step": step,
                         "timestamp": pd.Timestamp("2024-01-01") + pd.Timedelta(hours=j * 10 + k),
                         "seg": "x" if j % 2 else "y"})  # fmt: skip
    return pd.DataFrame(rows)


def test_nodes_and_links_carry_the_map() -> None:
    m = journey_map(_events(), end_steps=["c"])
    spec = map_chart(m)
    values = spec["data"]["values"]
    nodes = {v["step"]: v for v in values if v["kind"] == "node"}
    links = {(v["from"], v["to"]): v for v in values if v["kind"] == "link"}
    assert set(nodes) == {"a", "b", "c"} and nodes["a"]["n"] == 4
    assert links[("a", "b")]["n"] == 2 and links[("c", "b")]["back"] is True
    assert links[("a", "b")]["back"] is False
    assert nodes["a"]["x"] == 0 and nodes["b"]["x"] == 1  # columns from the first step
    assert "NaN" not in json.dumps(spec)
    assert "<svg" in render_svg(spec)


def test_groups_get_one_panel_each_and_swedish_titles() -> None:
    spec = map_chart(journey_map(_events(), by="seg"), lang="sv")
    assert spec["facet"]["row"]["field"] == "group"
    assert {v["group"] for v in spec["data"]["values"]} == {"x", "y"}
    assert spec["title"] == "Kundresekarta"
    assert "<svg" in render_svg(spec)
