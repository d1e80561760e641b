"""Rendering (text, HTML, JSON records, chart) and the CPI-KPI join."""

from __future__ import annotations

import json

import pandas as pd
import polars as pl
import pytest
from cpi_journeys import DEFS, generate

from kundfokus.cpi import compute_cpis, cpis_per_journey, join_kpis
from kundfokus.cpi.report import cpi_chart, cpi_html, cpi_records, cpi_text
from kundfokus.errors import InputError
from kundfokus.serialize import to_json


@pytest.fixture(scope="module")
def data():
    return generate(120, seed=5)


def test_text_in_both_languages_with_swedish_numbers(data):
    rep = compute_cpis(data[0], DEFS, by="segment")
    sv = cpi_text(rep, "sv")
    en = cpi_text(rep, "en")
    assert sv.startswith("Kundprestationsindikatorer") and en.startswith("Customer performance")
    fcr = rep.table[rep.table["cpi"] == "fcr"].iloc[0]
    pct = round(100 * fcr["value"])
    assert f"{pct} %" in sv and f"{pct}%" in en
    ttr = rep.table[rep.table["cpi"] == "ttr"].iloc[0]
    assert f"{ttr['value']:.1f}".replace(".", ",") + " h" in sv
    assert "öppna" in sv and "open" in en


def test_records_are_the_json_contract_without_nan(data):
    rep = compute_cpis(data[0], DEFS, period="month")
    rows = json.loads(to_json(cpi_records(rep)))
    assert len(rows) == len(rep.table)
    need = {"cpi", "group", "n", "value", "ci_low", "ci_high", "unit", "share_meeting_target",
            "n_open", "period", "trend"}  # fmt: skip
    assert need <= set(rows[0])
    ttr = [r for r in rows if r["cpi"] == "ttr"]
    assert all(r["unit"] == "hours" and isinstance(r["n_open"], int) for r in ttr)
    assert all(r["n_open"] is None for r in rows if r["cpi"] == "contacts")


def test_html_has_the_chart_and_no_bare_nan(data):
    rep = compute_cpis(data[0], DEFS, by="segment")
    spec = cpi_chart(rep, "sv")
    assert "NaN" not in json.dumps(spec, allow_nan=True)
    html = cpi_html(rep, "sv")
    assert "<svg" in html and "Resultat" in html and "Vad varje CPI mäter" in html
    assert 'lang="sv"' in html or "lang='sv'" in html


def test_per_customer_values_join_the_kpis(data):
    events, truth = data
    pc = cpis_per_journey(events, DEFS, per="customer")
    exp = truth.groupby("customer_id")["contacts"].mean()
    exp.index = exp.index.astype(str)  # ids are identifiers: the events check keeps them as text
    assert pc.set_index("customer_id")["contacts"].to_dict() == pytest.approx(exp.to_dict())
    assert (pc["journeys"] == 2).all()
    kpis = pl.DataFrame({"customer_id": [str(c) for c in exp.index[:10]],
                         "nps": list(range(10)), "churned": [True, False] * 5})  # fmt: skip
    joined = join_kpis(pc, kpis)
    assert len(joined) == len(pc)
    assert joined["nps"].notna().sum() == 10
    assert joined.set_index("customer_id").loc[exp.index[3], "nps"] == 3
    with pytest.raises(InputError) as e:
        join_kpis(pc, pd.DataFrame({"customer_id": [1, 1], "nps": [3, 4]}))
    assert e.value.column == "customer_id" and e.value.value == 1 and e.value.row == 1
    with pytest.raises(InputError) as e:
        join_kpis(pc, pd.DataFrame({"kund": [1]}))
    assert e.value.column == "customer_id"
