"""Opportunity landscape spec and the bilingual report."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from kundfokus.io import read_table
from kundfokus.jtbd import (
    jtbd_sections,
    opportunity,
    read_inventory,
    summary_sentences,
    write_jtbd_report,
)
from kundfokus.jtbd.charts import landscape_lines, opportunity_landscape
from kundfokus.reports import render_svg

ANSWERS = pd.DataFrame(
    {
        # importance 8.0, satisfaction 3.0 -> opportunity 13.0, under-served
        "wait_importance": [5, 5, 4, 4, 5, 4, 5, 4, 2, 3],
        "wait_satisfaction": [1, 2, 2, 3, 4, 5, 4, 2, 1, 3],
        # importance 6.0, satisfaction 8.0 -> 6.0, over-served
        "tone_importance": [4, 4, 5, 5, 4, 4, 3, 2, 1, 3],
        "tone_satisfaction": [4, 5, 4, 5, 4, 5, 4, 5, 3, 2],
        "channel": ["phone"] * 5 + ["chat"] * 5,
    }
)


def _dataset(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


def test_landscape_lines_coordinates():
    lines = landscape_lines()
    got = {
        name: sorted(zip(part["importance"], part["satisfaction"], strict=True))
        for name, part in lines.groupby("line")
    }
    assert got == {
        "diagonal": [(0.0, 0.0), (10.0, 10.0)],
        # satisfaction = 2 * importance - k, from the x axis to the right edge
        "opportunity_10": [(5.0, 0.0), (10.0, 10.0)],
        "opportunity_12": [(6.0, 0.0), (10.0, 8.0)],
        "opportunity_15": [(7.5, 0.0), (10.0, 5.0)],
    }
    # every point on an opportunity line scores exactly k
    for row in lines[lines["line"] != "diagonal"].itertuples():
        k = int(row.line.split("_")[1])
        assert row.importance + max(row.importance - row.satisfaction, 0) == pytest.approx(k)


def test_landscape_spec_axes_points_and_lines():
    res = opportunity(ANSWERS)
    spec = opportunity_landscape(res)
    layers = spec["layer"]
    points = next(la for la in layers if la["mark"]["type"] == "circle")
    enc = points["encoding"]
    assert enc["x"]["field"] == "importance" and enc["y"]["field"] == "satisfaction"
    assert enc["x"]["scale"]["domain"] == [0, 10] and enc["y"]["scale"]["domain"] == [0, 10]
    assert enc["color"]["field"] == "served_text"
    assert enc["color"]["scale"]["domain"] == [
        "under-served",
        "appropriately served",
        "over-served",
    ]
    assert {t["field"] for t in enc["tooltip"]} >= {"outcome", "opportunity", "served_text"}
    labels = [la for la in layers if la["mark"]["type"] == "text"]
    assert any(la["encoding"]["text"]["field"] == "outcome" for la in labels)
    rows = _dataset(spec)
    pts = {r["outcome"]: r for r in rows if r["kind"] == "point"}
    assert pts["wait"]["importance"] == 8.0 and pts["wait"]["satisfaction"] == 3.0
    assert pts["wait"]["served_text"] == "under-served"
    assert pts["tone"]["served_text"] == "over-served"
    line_pts = {
        (r["line"], r["importance"], r["satisfaction"]) for r in rows if r["kind"] == "line"
    }
    assert ("opportunity_15", 7.5, 0.0) in line_pts and ("opportunity_15", 10.0, 5.0) in line_pts
    assert ("diagonal", 10.0, 10.0) in line_pts
    assert "<svg" in render_svg(spec)


def test_landscape_swedish_and_facets():
    res = opportunity(ANSWERS, by="channel")
    spec = opportunity_landscape(res, lang="sv")
    assert spec["title"]["text"] == "Möjlighetslandskap"
    assert spec["facet"]["field"] == "group"
    inner = spec["spec"]["layer"]
    points = next(la for la in inner if la["mark"]["type"] == "circle")
    assert points["encoding"]["x"]["title"] == "Vikt (0-10)"
    assert points["encoding"]["y"]["title"] == "Nöjdhet (0-10)"
    assert "undertillgodosett" in points["encoding"]["color"]["scale"]["domain"]
    rows = _dataset(spec)
    # the reference lines are drawn in every panel
    per_panel = {
        g: sum(1 for r in rows if r["kind"] == "line" and r["group"] == g)
        for g in ("chat", "phone")
    }
    assert per_panel == {"chat": 8, "phone": 8}
    assert "<svg" in render_svg(spec)


def test_summary_sentences_numbers_and_languages():
    res = opportunity(ANSWERS)
    under, over = summary_sentences(res, "en")
    assert len(under) == 1 and len(over) == 1
    assert "80% of customers rate it important but only 30% are satisfied" in under[0]
    assert "opportunity 13.0, high" in under[0]
    assert "Only 10 respondents" in under[0]  # small sample caution
    assert over[0].startswith("tone: 80% are satisfied but only 60% find it important")
    under_sv, over_sv = summary_sentences(res, "sv")
    assert "80 % av kunderna" in under_sv[0] and "möjlighet 13,0, hög" in under_sv[0]
    assert "övertillgodosett" not in under_sv[0]
    assert over_sv[0].startswith("tone: 80 % är nöjda")


def test_sections_with_groups_and_inventory(examples_dir):
    inv = read_inventory(examples_dir / "jtbd_inventory.yaml")
    answers = read_table(examples_dir / "odi_answers.csv")
    res = opportunity(answers, inventory=inv, by="channel")
    sections = jtbd_sections(res, inv, lang="sv")
    titles = [s.title for s in sections]
    assert titles == [
        "Sammanfattning",
        "Möjlighetslandskap",
        "Alla utfall",
        "Så läser du rapporten",
        "Jobbinventering",
    ]
    summary = sections[0]
    assert summary.bullets and all(b.startswith("I ") for b in summary.bullets)
    # Swedish statements come from the inventory even though the result was scored in English
    assert any("Minimera" in b for b in summary.bullets)
    table = sections[2].tables[0].frame
    assert {"channel", "utfall", "vikt", "nöjdhet", "möjlighet", "tillgodosett"} <= set(
        table.columns
    )
    assert set(table["tillgodosett"]) <= {
        "undertillgodosett",
        "lagom tillgodosett",
        "övertillgodosett",
    }
    inv_section = sections[4]
    assert "3 jobb (1 funktionellt, 1 emotionellt, 1 socialt) med 12 önskade utfall." in (
        inv_section.paragraphs
    )


def test_write_report_english(tmp_path, examples_dir):
    inv = read_inventory(examples_dir / "jtbd_inventory.yaml")
    res = opportunity(read_table(examples_dir / "odi_answers.csv"), inventory=inv)
    path = write_jtbd_report(tmp_path / "out" / "jtbd.html", res, inv, lang="en")
    html = path.read_text(encoding="utf-8")
    assert "<svg" in html and "Work on these first" in html
    assert "Minimize the uncertainty about whether I will get my money back" in html
    specs = re.findall(
        r"<script type='application/vnd.vegalite\+json'>(.*?)</script>", html, flags=re.S
    )
    assert len(specs) == 1
    spec = json.loads(specs[0].replace("<\\/", "</"))
    assert spec["title"]["text"] == "Opportunity landscape"
    assert not (tmp_path / "out" / "jtbd.html.tmp").exists()


def test_example_data_tells_the_intended_story(examples_dir):
    """The seeded example: a few outcomes clearly under-served, one over-served."""
    inv = read_inventory(examples_dir / "jtbd_inventory.yaml")
    res = opportunity(read_table(examples_dir / "odi_answers.csv"), inventory=inv)
    rows = res.set_index("outcome")
    assert len(rows) == 12 and rows["n"].between(270, 300).all()
    assert list(res["outcome"][:3]) == ["refund_clarity", "reach_time", "repeat"]
    assert rows.loc["refund_clarity", "opportunity_level"] == "extreme"
    assert (rows["opportunity_level"] == "high").sum() >= 1
    assert list(rows.index[rows["served"] == "over-served"]) == ["opening_hours"]
    assert rows.loc["reach_time", "job_type"] == "functional"
    by_channel = opportunity(
        read_table(examples_dir / "odi_answers.csv"), inventory=inv, by="channel"
    ).set_index(["channel", "outcome"])
    # phone customers wait longer than chat customers
    assert (
        by_channel.loc[("phone", "reach_time"), "satisfaction"]
        < by_channel.loc[("chat", "reach_time"), "satisfaction"] - 2
    )


def test_generator_reproduces_the_committed_file(tmp_path, examples_dir):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_odi_example", examples_dir / "make_odi_example.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "odi.csv"
    module.main(["--out", str(out)])
    assert out.read_bytes() == (examples_dir / "odi_answers.csv").read_bytes()
