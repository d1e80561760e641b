from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

from kundfokus.charts import save_chart
from kundfokus.charts.kano import (
    CATEGORY_COLOURS,
    CATEGORY_ORDER,
    category_bars,
    category_shares,
    kano_plot,
)


def _frame(group: bool = False) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "feature": ["F1", "F2", "F3", "F4"],
            "label": ["Callback", "BankID", "Weekend", "Video"],
            "n": [100, 100, 100, 100],
            "A": [10, 5, 60, 5],
            "O": [50, 20, 10, 5],
            "M": [30, 60, 5, 5],
            "I": [10, 15, 25, 80],
            "R": [0, 0, 0, 3],
            "Q": [0, 0, 0, 2],
            "category": ["O", "M", "A", "I"],
            "better": [0.6, 0.25, 0.7, None],
            "worse": [-0.8, -0.8, -0.15, None],
            "importance": [7.5, 8.1, 5.0, 3.0],
        }
    )
    if group:
        a = df.assign(situation="lost card")
        b = df.assign(situation="moving house", category=["O/M", "M", "A", "I"])
        df = pd.concat([a, b], ignore_index=True)[["situation", *df.columns]]
    return df


def _layer_data(spec, layer):
    name = layer["data"]["name"]
    return spec["datasets"][name]


def test_kano_plot_spec_reads_right():
    spec = kano_plot(_frame())
    points = spec["layer"][0]
    assert points["mark"]["type"] == "circle"
    enc = points["encoding"]
    assert enc["x"]["field"] == "abs_worse" and enc["y"]["field"] == "better"
    assert enc["x"]["scale"]["domain"] == [0, 1] and enc["y"]["scale"]["domain"] == [0, 1]
    assert enc["size"]["field"] == "size_value"
    assert enc["color"]["scale"]["range"] == [CATEGORY_COLOURS[c] for c in CATEGORY_ORDER]
    data = _layer_data(spec, points)
    # undefined Better/Worse (F4) is left out; |Worse| is positive
    assert [d["feature"] for d in data] == ["F1", "F2", "F3"]
    assert [d["abs_worse"] for d in data] == [0.8, 0.8, 0.15]
    assert [d["colour_category"] for d in data] == [
        "Performance (one-dimensional)",
        "Must-be",
        "Attractive",
    ]
    # reference lines at 0.5 in both directions
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert {next(iter(r["encoding"])) for r in rules} == {"x", "y"}
    assert all(_layer_data(spec, r)[0]["value"] == 0.5 for r in rules)
    texts = [
        _layer_data(spec, layer)[0]["text"]
        for layer in spec["layer"]
        if layer["mark"]["type"] == "text"
        and "data" in layer
        and "text" in _layer_data(spec, layer)[0]
    ]
    assert set(texts) == {"Must-be", "Performance", "Attractive", "Indifferent"}
    tooltips = {t["field"] for t in enc["tooltip"]}
    assert {"display_label", "category_label", "better", "abs_worse", "importance"} <= tooltips


def test_kano_plot_swedish_and_constant_size_without_importance():
    df = _frame().assign(importance=None)
    spec = kano_plot(df, lang="sv")
    enc = spec["layer"][0]["encoding"]
    assert enc["size"] == {"value": 160}
    assert enc["x"]["title"].startswith("Missnöje")
    assert spec["title"].startswith("Kano-diagram")
    quads = [
        spec["datasets"][layer["data"]["name"]][0].get("text")
        for layer in spec["layer"]
        if layer["mark"]["type"] == "text" and "data" in layer
    ]
    assert {"Baskrav", "Prestanda", "Attraktiv", "Likgiltig"} <= set(quads)


def test_kano_plot_facets_by_group_and_accepts_polars():
    spec = kano_plot(pl.from_pandas(_frame(group=True)))
    assert spec["facet"]["field"] == "situation"
    data = spec["datasets"][spec["data"]["name"]]
    assert len(data) == 6 and {d["situation"] for d in data} == {"lost card", "moving house"}
    mixed = next(d for d in data if d["category"] == "O/M")
    assert mixed["colour_category"] == "Performance (one-dimensional)"
    assert mixed["category_label"] == "Performance (one-dimensional) / Must-be"
    # point and label layers read the facet's rows (no data of their own)
    assert "data" not in spec["spec"]["layer"][0]


def test_category_bars_order_colours_and_shares():
    long = category_shares(_frame())
    f1 = long[long["feature"] == "F1"]
    assert list(f1["category"]) == list(CATEGORY_ORDER)
    assert f1["share"].tolist() == pytest.approx([0.1, 0.5, 0.3, 0.1, 0.0, 0.0])
    spec = category_bars(_frame())
    enc = spec["encoding"]
    assert enc["x"]["field"] == "share" and enc["x"]["stack"] == "zero"
    assert enc["color"]["scale"]["range"] == [CATEGORY_COLOURS[c] for c in CATEGORY_ORDER]
    assert enc["order"]["field"] == "category_order"
    assert enc["y"]["sort"] == ["Callback", "BankID", "Weekend", "Video"]
    values = spec["datasets"][spec["data"]["name"]]
    assert len(values) == 4 * 6
    grouped = category_bars(_frame(group=True), lang="sv")
    assert grouped["facet"]["row"]["field"] == "situation"


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="better"):
        kano_plot(pd.DataFrame({"feature": ["F1"], "category": ["A"], "worse": [-0.1]}))


def test_charts_render_to_svg_and_png(tmp_path):
    for name, spec in {
        "plot": kano_plot(_frame()),
        "plot_grouped": kano_plot(_frame(group=True), lang="sv"),
        "bars": category_bars(_frame(group=True)),
    }.items():
        svg = save_chart(spec, tmp_path / f"{name}.svg")
        png = save_chart(spec, tmp_path / f"{name}.png", scale=1)
        assert "<svg" in svg.read_text(encoding="utf-8")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
