from __future__ import annotations

import itertools

import pandas as pd
import polars as pl
import pytest

from kundfokus.kano.charts import (
    CATEGORY_COLOURS,
    CATEGORY_ORDER,
    category_bars,
    category_shares,
    kano_plot,
)
from kundfokus.reports import save_chart


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


def _points(layers):
    return next(layer for layer in layers if layer["mark"]["type"] == "circle")


def _layer_data(spec, layer):
    name = layer["data"]["name"]
    return spec["datasets"][name]


def test_kano_plot_spec_reads_right():
    spec = kano_plot(_frame())
    points = _points(spec["layer"])
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
    rules = [
        layer
        for layer in spec["layer"]
        if layer["mark"]["type"] == "rule" and "x2" not in layer["encoding"]
    ]
    assert len(rules) == 2
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
    enc = _points(spec["layer"])["encoding"]
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
    # point, label and leader layers read the facet's rows (no data of their own)
    layers = spec["spec"]["layer"]
    assert "data" not in _points(layers)
    assert all(
        "data" not in la
        for la in layers
        if la["encoding"].get("text", {}).get("field") == "display_label"
    )


def test_kano_plot_labels_do_not_overlap():
    # eight features in one tight cluster, labels of equal length
    n = 8
    df = pd.DataFrame(
        {
            "feature": [f"F{i}" for i in range(n)],
            "label": [f"feature number {i}" for i in range(n)],
            "category": ["O"] * n,
            "better": [0.70 + 0.004 * i for i in range(n)],
            "worse": [-0.30 - 0.004 * i for i in range(n)],
        }
    )
    spec = kano_plot(df)
    data = _layer_data(spec, _points(spec["layer"]))
    # every label is shown, inside the plot, and no two label boxes overlap (in pixels)
    from kundfokus.reports.labels import Placement, boxes_overlap, label_box

    assert all(d["label_side"] in ("right", "left", "above", "below") for d in data)
    align = {"right": "left", "left": "right", "above": "center", "below": "center"}
    boxes = [
        label_box(
            Placement(d["label_x"], d["label_y"], align[d["label_side"]], d["leader"], True),
            d["display_label"],
            width=460,
            height=400,
        )
        for d in data
    ]
    assert not any(boxes_overlap(a, b) for a, b in itertools.combinations(boxes, 2))
    assert all(b[0] >= -1 and b[2] <= 461 and b[1] >= -1 and b[3] <= 401 for b in boxes)
    # labels that moved get a leader line to their point
    leaders = next(
        la for la in spec["layer"] if la["mark"]["type"] == "rule" and "x2" in la["encoding"]
    )
    assert leaders["encoding"]["y2"]["field"] == "label_y"


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


# --------------------------------------------------------------------------------------------------
# the report


def _answers(n_per_group: int = 60) -> pd.DataFrame:
    """Raw answers in two situations: 'weekend' is must-be when the card is lost, indifferent
    otherwise; 'chat' is attractive everywhere."""
    rows = []
    for situation in ("lost card", "moving"):
        for i in range(n_per_group):
            weekend = (
                ("I expect it", "I dislike it")
                if situation == "lost card"
                else (
                    "I am neutral",
                    "I am neutral",
                )
            )
            if i % 10 == 0:  # a little noise
                weekend = ("I like it", "I dislike it")
            rows.append(
                {
                    "respondent": f"{situation[:1]}{i}",
                    "situation": situation,
                    "weekend_functional": weekend[0],
                    "weekend_dysfunctional": weekend[1],
                    "weekend_importance": "8" if situation == "lost card" else "3",
                    "chat_functional": "I like it",
                    "chat_dysfunctional": "I am neutral" if i % 4 else "I dislike it",
                    "chat_importance": "6",
                }
            )
    return pd.DataFrame(rows)


LABELS = {"weekend": "weekend opening hours", "chat": "chat with a person"}


def _section_titles(sections):
    return [s.title for s in sections]


def test_kano_sections_summary_priorities_and_notes():
    from kundfokus.kano import analyze
    from kundfokus.kano.report import kano_sections

    res = analyze(_answers(), labels=LABELS, importance_scale=(1, 9))
    sections = kano_sections(res)
    assert _section_titles(sections) == [
        "Summary",
        "Priorities",
        "Kano plot and category shares",
        "All figures",
        "Data quality",
    ]
    summary = sections[0]
    assert "120 customers" in summary.paragraphs[0]
    assert "standard evaluation table" in summary.paragraphs[1]
    assert "Attractive: chat with a person" in summary.bullets
    # 120 < 200 respondents: the report warns that categories are unstable
    assert any("Chapman 2022" in p for p in summary.paragraphs)
    pri = sections[1]
    assert pri.bullets[0].startswith("1. ") and "'" in pri.bullets[0]
    assert len(pri.bullets) == 2
    assert len(sections[2].charts) == 2
    table = sections[3].tables[0].frame
    assert list(table["feature"]) == ["weekend", "chat"]
    assert {"Better", "Worse", "category", "importance", "significant lead"} <= set(table.columns)
    assert set(table["significant lead"]) <= {"yes", "no"}
    assert sections[-1].paragraphs[0].startswith("Every answer could be read")


def test_kano_sections_group_comparison_and_swedish():
    from kundfokus.kano import analyze
    from kundfokus.kano.report import kano_sections

    answers = _answers()
    overall = analyze(answers, labels=LABELS)
    grouped = analyze(answers, labels=LABELS, by="situation")
    sections = kano_sections(overall, "sv", groups=grouped)
    titles = _section_titles(sections)
    assert titles[0] == "Sammanfattning" and "Beror kategorin på situation?" in titles
    comparison = sections[titles.index("Beror kategorin på situation?")]
    assert any(
        b.startswith("'weekend opening hours' byter kategori") and "lost card: baskrav" in b
        for b in comparison.bullets
    )
    assert not any("chat with a person" in b and "byter" in b for b in comparison.bullets)
    assert comparison.charts and comparison.charts[0].spec["facet"]["field"] == "situation"
    tests = comparison.tables[0].frame
    assert list(tests.columns[:3]) == ["egenskap", "benämning", "kategori per grupp"]
    assert set(tests["byter"]) == {"ja", "nej"}
    # a grouped result on its own: the summary lists the feature under 'depends on'
    own = kano_sections(grouped, "en")
    assert any(b.startswith("Depends on situation: weekend opening hours") for b in own[0].bullets)
    assert "Priorities" in _section_titles(own)
    assert [s.title for s in own[1].subsections] == ["situation: lost card", "situation: moving"]


def test_kano_sections_report_invalid_and_removed():
    from kundfokus.kano import analyze
    from kundfokus.kano.report import kano_sections

    answers = _answers(30)
    answers.loc[3, "chat_functional"] = "maybe"
    # two respondents whose answers are all questionable
    answers.loc[[5, 6], ["weekend_functional", "weekend_dysfunctional"]] = "I like it"
    answers.loc[[5, 6], ["chat_functional", "chat_dysfunctional"]] = "I like it"
    res = analyze(answers, on_invalid="missing", exclude="Q", respondent_column="respondent")
    notes = kano_sections(res)[-1]
    assert notes.paragraphs[0] == "1 answer could not be read and was treated as missing:"
    assert any("chat_functional" in b and "'maybe'" in b for b in notes.bullets)
    assert any("2 respondents were left out" in p for p in notes.paragraphs)
    assert set(notes.tables[0].frame["respondent"]) == {"l5", "l6"}


def test_write_kano_report_html(tmp_path):
    import json

    from kundfokus.kano import analyze
    from kundfokus.kano.report import write_kano_report

    answers = _answers()
    res = analyze(answers, labels=LABELS, by="situation")
    path = write_kano_report(res, tmp_path / "out" / "kano.html", lang="sv")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and 'lang="sv"' in page
    assert "<h1>Kano-analys</h1>" in page
    assert page.count("<svg") == 2
    assert "Prioriteringar" in page and "Beror kategorin på situation?" in page
    start = page.index("application/vnd.vegalite+json'>") + len("application/vnd.vegalite+json'>")
    spec = json.loads(page[start : page.index("</script>", start)])
    assert spec["facet"]["field"] == "situation"
    assert not list(tmp_path.glob("out/*.tmp"))


def test_cli_kano_analyze_html_uses_the_report(tmp_path):
    from typer.testing import CliRunner

    from kundfokus.cli import app

    src = tmp_path / "answers.csv"
    _answers().to_csv(src, index=False)
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["kano", "analyze", str(src), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Kano analysis" in out.read_text(encoding="utf-8")


def test_feature_without_answers_shows_dashes_not_none():
    from kundfokus.kano import analyze_counts
    from kundfokus.kano.report import kano_sections
    from kundfokus.reports import table_html

    tally = pd.DataFrame(
        {
            "feature": ["a", "b"],
            "M": [5, 0],
            "O": [3, 0],
            "A": [1, 0],
            "I": [1, 0],
            "R": [0, 0],
            "Q": [0, 0],
        }
    )
    sections = kano_sections(analyze_counts(tally), "sv")
    page = table_html(sections[3].tables[0])
    assert "None" not in page and "&lt;NA&gt;" not in page and "<NA>" not in page
    row_b = page[page.index("<td>b</td>") :]
    assert row_b.count("<td>–</td>") == 6  # category, Better, Worse, both strengths, Fong
    assert "<td>nej</td>" in page
    # no plot point for the feature without answers, but the plot still renders
    plot = sections[2].charts[0].spec
    points = _points(plot["layer"])
    assert [d["feature"] for d in plot["datasets"][points["data"]["name"]]] == ["a"]
