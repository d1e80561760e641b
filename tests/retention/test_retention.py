"""Tests of kundfokus.retention: churn, cohorts, the sBG model, DERL, charts and CLI."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from typer.testing import CliRunner

from kundfokus import retention as rt
from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.reports import render_svg
from kundfokus.retention.charts import cohort_heatmap, retention_curves, sbg_chart

HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1]
REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]


# ---- annualising ---------------------------------------------------------------------------------


def test_three_percent_monthly_churn_is_69_4_percent_annual_retention():
    # REFERENCES.md: 0.97^12 = 69.4% annual retention
    assert 1 - rt.annualise(0.03, 12) == pytest.approx(0.694, abs=5e-4)
    assert rt.annualise(0.03, 12) == pytest.approx(1 - 0.97**12)
    with pytest.raises(InputError):
        rt.annualise(1.5)


# ---- sBG -----------------------------------------------------------------------------------------


def test_sbg_reproduces_fader_hardie_high_end():
    fit = rt.sbg_fit(HIGH_END)
    assert fit.alpha == pytest.approx(0.668, rel=2e-3)
    assert fit.beta == pytest.approx(3.806, rel=2e-3)
    assert fit.converged


def test_sbg_reproduces_fader_hardie_regular():
    fit = rt.sbg_fit(REGULAR)
    assert fit.alpha == pytest.approx(0.704, rel=2e-3)
    assert fit.beta == pytest.approx(1.182, rel=2e-3)


def test_cohort_size_changes_standard_errors_not_estimates():
    small = rt.sbg_fit(HIGH_END)  # counts as given: a cohort of 100
    big = rt.sbg_fit(HIGH_END, cohort_size=1000)
    assert big.alpha == pytest.approx(small.alpha, rel=1e-5)
    assert big.beta == pytest.approx(small.beta, rel=1e-5)
    assert small.se_alpha / big.se_alpha == pytest.approx(np.sqrt(10), rel=1e-3)
    assert big.loglik == pytest.approx(10 * small.loglik, rel=1e-6)


def test_standard_errors_match_an_independent_hessian():
    fit = rt.sbg_fit(HIGH_END, cohort_size=1000)
    curve = fit.curves[0]

    def ll(a: float, b: float) -> float:  # direct form: sum of log(S(t-1) - S(t)) terms
        s = rt.sbg_survival(np.arange(len(curve)), a, b)
        lost = curve[:-1] - curve[1:]
        return float(np.sum(lost * np.log(s[:-1] - s[1:])) + curve[-1] * np.log(s[-1]))

    assert ll(fit.alpha, fit.beta) == pytest.approx(fit.loglik, rel=1e-9)
    h = 1e-3
    a, b = fit.alpha, fit.beta
    haa = (ll(a + h, b) - 2 * ll(a, b) + ll(a - h, b)) / h**2
    hbb = (ll(a, b + h) - 2 * ll(a, b) + ll(a, b - h)) / h**2
    hab = (ll(a + h, b + h) - ll(a + h, b - h) - ll(a - h, b + h) + ll(a - h, b - h)) / (4 * h * h)
    cov = np.linalg.inv(-np.array([[haa, hab], [hab, hbb]]))
    assert fit.se_alpha == pytest.approx(np.sqrt(cov[0, 0]), rel=1e-3)
    assert fit.se_beta == pytest.approx(np.sqrt(cov[1, 1]), rel=1e-3)


def test_retention_rates_rise_and_match_survival_ratios():
    a, b = 0.668, 3.806
    t = np.arange(1, 20)
    r = rt.sbg_retention_rate(t, a, b)
    s = rt.sbg_survival(np.arange(0, 20), a, b)
    np.testing.assert_allclose(r, s[1:] / s[:-1], rtol=1e-12)
    assert np.all(np.diff(r) > 0)


def test_derl_equals_direct_summation():
    a, b = 0.668, 3.806
    for d in (0.05, 0.1, 0.3):
        for renewals in (0, 1, 4):
            n = renewals + 1
            t = np.arange(n, n + 800)
            direct = np.sum(
                rt.sbg_survival(t, a, b) / rt.sbg_survival(n - 1, a, b) / (1 + d) ** (t - n)
            )
            assert rt.sbg_derl(d, a, b, renewals) == pytest.approx(direct, rel=1e-9)
    # with no heterogeneity left it tends to the geometric value r / (1 - r / (1 + d))
    big = rt.sbg_derl(0.1, 1000.0, 9000.0)
    r = 0.9
    assert big == pytest.approx(r / (1 - r / 1.1), rel=1e-3)
    with pytest.raises(InputError):
        rt.sbg_derl(0.0, a, b)


def test_projection_holds_observed_and_projected_rows():
    fit = rt.sbg_fit(HIGH_END)
    proj = fit.projection(12)
    assert list(proj["t"]) == list(range(13))
    assert proj["observed"].iloc[:8].tolist() == pytest.approx([v / 100 for v in HIGH_END])
    assert proj["observed"].iloc[8:].isna().all() and proj["projected"].iloc[8:].all()
    assert np.isnan(proj["retention_rate"].iloc[0])


@pytest.mark.parametrize(
    ("curve", "message", "row"),
    [
        ([100, 86.9, 90], "cannot rise", 3),
        ([0, 0, 0], "above 0", 1),
        ([100, "x"], "not a number", 2),
        ([100, -1], "at least 0", 2),
        ([100], "at least two", None),
    ],
)
def test_invalid_survival_curves(curve, message, row):
    with pytest.raises(InputError, match=message) as ei:
        rt.sbg_fit(curve)
    assert ei.value.row == row


def test_fit_recovers_parameters_from_several_cohorts_of_different_ages():
    alpha, beta = 0.9, 2.5
    curves = []
    for size, age in ((20000, 10), (15000, 6), (10000, 3)):
        s = rt.sbg_survival(np.arange(age + 1), alpha, beta)
        curves.append(np.round(size * s))
    fit = rt.sbg_fit_curves(curves)
    assert fit.alpha == pytest.approx(alpha, rel=0.02)
    assert fit.beta == pytest.approx(beta, rel=0.02)
    assert len(fit.curves) == 3


def test_a_curve_without_heterogeneity_is_flagged():
    fit = rt.sbg_fit([1000, 900, 810, 729])  # exactly geometric: alpha, beta run off to infinity
    assert not fit.converged
    assert fit.alpha / (fit.alpha + fit.beta) == pytest.approx(0.1, rel=1e-3)


# ---- churn and cohorts ---------------------------------------------------------------------------


CONTRACTS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e", "f"],
        "start": [
            "2024-01-05",
            "2024-01-20",
            "2024-02-03",
            "2024-01-09",
            "2023-12-01",
            "2024-03-02",
        ],
        "end": ["2024-02-10", "", "2024-02-20", "2024-03-31", "2024-04-15", None],
    }
)


def test_contract_churn_per_month_excludes_new_customers():
    t = rt.churn(CONTRACTS, "id", start="start", end="end", as_of="2024-03-31")
    rows = t.set_index("period")
    # February: a, b, d, e active at the start; a lost; c joined and left (excluded from both)
    feb = rows.loc["2024-02"]
    assert (feb["active_start"], feb["lost"], feb["acquired"]) == (4, 1, 1)
    assert feb["churn_rate"] == pytest.approx(0.25)
    assert feb["annual_churn"] == pytest.approx(1 - 0.75**12)
    mar = rows.loc["2024-03"]
    assert (mar["active_start"], mar["lost"], mar["acquired"], mar["active_end"]) == (3, 1, 1, 3)
    assert list(t["period"]) == ["2023-12", "2024-01", "2024-02", "2024-03"]
    assert t["complete"].all()
    assert "end date" in t.attrs["rule"]["en"] and "slutdatum" in t.attrs["rule"]["sv"]
    # e ends on 2024-04-15, after as_of: still active in the table
    assert rows.loc["2024-03", "active_end"] == 3


def test_churn_summary_pools_complete_periods():
    t = rt.churn(CONTRACTS, "id", start="start", end="end", as_of="2024-03-31")
    s = rt.churn_summary(t)
    at_risk = int(t.loc[t["active_start"] > 0, "active_start"].sum())
    lost = int(t["lost"].sum())
    assert (s["at_risk"], s["lost"]) == (at_risk, lost)
    assert s["annual_retention"] == pytest.approx((1 - lost / at_risk) ** 12)


def test_purchase_log_uses_the_stated_window_rule():
    log = pd.DataFrame(
        {
            "c": ["x", "x", "y", "y", "z", "w"],
            "d": [
                "2024-01-03",
                "2024-02-01",
                "2024-01-10",
                "2024-05-20",
                "2024-02-15",
                "2024-06-25",
            ],
        }
    )
    t = rt.churn(log, "c", date="d", window=90, as_of="2024-06-30")
    rows = t.set_index("period")
    # x: last purchase 2024-02-01, lost 90 days later on 2024-05-01; y: last 05-20, still active
    # z: first and last purchase 02-15, lost on 2024-05-15; w joins in June
    assert rows.loc["2024-05", "lost"] == 2 and rows.loc["2024-05", "active_start"] == 3
    assert rows.loc["2024-06", "acquired"] == 1 and rows.loc["2024-06", "lost"] == 0
    assert rows["lost"].sum() == 2
    assert "90 days" in t.attrs["rule"]["en"] and "90 dagar" in t.attrs["rule"]["sv"]
    short = rt.churn(log, "c", date="d", window=30, as_of="2024-06-30").set_index("period")
    assert short.loc["2024-03", "lost"] == 2  # x lost 03-02, z lost 03-16


def test_cohort_matrix_counts_share_still_active():
    c = rt.cohorts(CONTRACTS, "id", start="start", end="end", as_of="2024-03-31")
    m = rt.cohort_matrix(c)
    jan = m.loc["2024-01"]
    # cohort January: a, b, d; a ends in Feb -> 2 of 3 active at the start of March
    assert jan[0] == 1.0 and jan[1] == 1.0 and jan[2] == pytest.approx(2 / 3)
    assert np.isnan(m.loc["2024-03", 1])
    assert c.loc[c["cohort"] == "2024-01", "customers"].iloc[0] == 3
    q = rt.cohorts(CONTRACTS, "id", start="start", end="end", period="quarter", as_of="2024-06-30")
    assert set(q["cohort"]) == {"2023-Q4", "2024-Q1"}


def test_fit_sbg_to_cohort_table():
    rng = np.random.default_rng(3)
    rows = []
    for i in range(3000):
        start = date(2022, 1 + i % 12, 1 + i % 28)
        p = rng.beta(1.0, 3.0)
        # lost during calendar period start + T - 1 (T = 1: ends in its start month): then the
        # share alive at the start of age k is P(T > k) = S(k), as the sBG model has it
        lost_in = min(int(rng.geometric(p)), 200) - 1
        y, m = divmod(start.month - 1 + lost_in, 12)
        end = date(start.year + y, m + 1, 28)
        rows.append(
            {
                "id": i,
                "s": start.isoformat(),
                "e": end.isoformat() if end <= date(2024, 12, 31) else "",
            }
        )
    c = rt.cohorts(pd.DataFrame(rows), "id", start="s", end="e", as_of="2024-12-31")
    fit = rt.sbg_fit_cohorts(c)
    assert fit.alpha == pytest.approx(1.0, rel=0.25)
    assert fit.beta == pytest.approx(3.0, rel=0.25)


def test_bad_contract_rows_are_named():
    bad = CONTRACTS.assign(end=["2024-01-01", "", "", "", "", ""])  # before start on row 1
    with pytest.raises(InputError, match="before the start") as ei:
        rt.churn(bad, "id", start="start", end="end")
    assert (ei.value.row, ei.value.column, ei.value.value) == (1, "end", "2024-01-01")
    dup = CONTRACTS.assign(id=["a", "b", "c", "a", "e", "f"])
    with pytest.raises(InputError, match="more than one row") as ei2:
        rt.churn(dup, "id", start="start", end="end")
    assert ei2.value.value == "a"
    baddate = CONTRACTS.assign(
        start=["2024-01-05", "5/1/2024", "2024-02-03", "2024-01-09", "2023-12-01", "2024-03-02"]
    )
    with pytest.raises(InputError, match="not a date") as ei3:
        rt.churn(baddate, "id", start="start", end="end")
    assert (ei3.value.row, ei3.value.value) == (2, "5/1/2024")
    with pytest.raises(InputError, match="either start and end"):
        rt.churn(CONTRACTS, "id")
    with pytest.raises(InputError, match="window"):
        rt.churn(CONTRACTS, "id", date="start")


def test_polars_and_duckdb_match_pandas():
    ref = rt.churn(CONTRACTS, "id", start="start", end="end")
    pd.testing.assert_frame_equal(
        rt.churn(pl.from_pandas(CONTRACTS), "id", start="start", end="end"), ref
    )
    con = duckdb.connect()
    pd.testing.assert_frame_equal(
        rt.churn(con.from_df(CONTRACTS), "id", start="start", end="end"), ref
    )
    log = pd.DataFrame(
        {"c": ["x", "x", "y", "z"], "d": ["2024-01-03", "2024-02-01", "2024-01-10", "2024-03-15"]}
    )
    pd.testing.assert_frame_equal(
        rt.cohorts(con.from_df(log), "c", date="d", window=20),
        rt.cohorts(log, "c", date="d", window=20),
    )


@pytest.mark.spark
def test_spark_matches_pandas(spark):
    sdf = spark.createDataFrame(CONTRACTS.fillna(""))
    ref = rt.churn(CONTRACTS.fillna(""), "id", start="start", end="end", period="quarter")
    pd.testing.assert_frame_equal(
        rt.churn(sdf, "id", start="start", end="end", period="quarter"), ref
    )


# ---- charts and CLI ------------------------------------------------------------------------------


def test_charts_render():
    c = rt.cohorts(CONTRACTS, "id", start="start", end="end")
    heat = cohort_heatmap(c, lang="sv")
    assert heat["layer"][0]["encoding"]["color"]["field"] == "retention"
    curves = retention_curves(c)
    assert curves["encoding"]["color"]["field"] == "cohort"
    spec = sbg_chart(rt.sbg_fit(HIGH_END), periods=12)
    observed = [v for v in next(iter(spec["datasets"].values()))]
    assert len(observed) in (8, 13)
    assert render_svg(spec).startswith("<svg")


def test_cli_sbg_json_and_bad_input():
    runner = CliRunner()
    res = runner.invoke(app, ["retention", "sbg", "--survival", ",".join(map(str, HIGH_END)),
                              "--periods", "12", "--discount", "0.1", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["alpha"] == pytest.approx(0.668, rel=2e-3)
    assert payload["beta"] == pytest.approx(3.806, rel=2e-3)
    assert "loglik" in payload and len(payload["survival_projection"]) == 13
    assert payload["derl"] == pytest.approx(rt.sbg_derl(0.1, payload["alpha"], payload["beta"]))
    bad = runner.invoke(app, ["retention", "sbg", "--survival", "100,90,95"])
    assert isinstance(bad.exception, InputError) and "cannot rise" in str(bad.exception)


def test_cli_churn_and_cohorts(tmp_path):
    p = tmp_path / "contracts.csv"
    CONTRACTS.to_csv(p, index=False)
    runner = CliRunner()
    res = runner.invoke(app, ["retention", "churn", str(p), "--customer", "id", "--start", "start",
                              "--end", "end", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert "end date" in payload["rule"] and len(payload["periods"]) == 5
    html = tmp_path / "c.html"
    res2 = runner.invoke(app, ["retention", "cohorts", str(p), "--customer", "id", "--start",
                               "start", "--end", "end", "--format", "html", "-o", str(html)])  # fmt: skip
    assert res2.exit_code == 0, res2.output
    assert html.read_text().count("<svg") >= 2
    res3 = runner.invoke(app, ["retention", "churn", str(p), "--customer", "nope", "--start",
                               "start", "--end", "end"])  # fmt: skip
    assert isinstance(res3.exception, InputError) and res3.exception.file == str(p)


def test_partial_last_period_is_marked_and_quarters_annualise_by_four():
    t = rt.churn(CONTRACTS, "id", start="start", end="end", period="quarter", as_of="2024-04-15")
    assert list(t["period"]) == ["2023-Q4", "2024-Q1", "2024-Q2"]
    assert list(t["complete"]) == [True, True, False]
    q1 = t.set_index("period").loc["2024-Q1"]
    assert q1["annual_churn"] == pytest.approx(1 - (1 - q1["churn_rate"]) ** 4)
    assert t.attrs["periods_per_year"] == 4


def test_typed_date_columns_and_missing_end_dates():
    typed = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "s": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03"]),
            "e": pd.to_datetime(["2024-02-10", None, "2024-03-20"]),
        }
    )
    expected = [
        ["2024-01", 0, 2],
        ["2024-01", 1, 2],
        ["2024-01", 2, 1],
        ["2024-02", 0, 1],
        ["2024-02", 1, 1],
    ]
    for frame in (
        typed,
        pl.from_pandas(typed).with_columns(pl.col("s").dt.date(), pl.col("e").dt.date()),
    ):
        c = rt.cohorts(frame, "id", start="s", end="e")
        assert c[["cohort", "age", "alive"]].values.tolist() == expected


def test_tenure_clock_counts_each_customers_own_renewals():
    df = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "s": ["2024-01-15", "2024-01-15", "2024-01-31", "2024-02-10"],
            "e": ["2024-02-15", "2024-02-16", "2024-02-29", ""],
        }
    )
    c = rt.cohorts(df, "id", start="s", end="e", clock="tenure", as_of="2024-05-31")
    jan = c[c["cohort"] == "2024-01"].set_index("age")["alive"]
    # 1 ends on its first anniversary (no renewal); 2 renewed once; 3 ends before "Feb 31"
    assert jan.tolist() == [3, 1, 0, 0, 0]
    feb = c[c["cohort"] == "2024-02"]
    assert feb["age"].max() == 3  # age 4 would need June, after as_of
    with pytest.raises(InputError, match="contract data"):
        rt.cohorts(df.rename(columns={"s": "d"}), "id", date="d", window=30, clock="tenure")


def test_sbg_on_tenure_cohorts_recovers_the_generating_parameters():
    rng = np.random.default_rng(8)
    alpha, beta = 0.8, 2.5
    rows = []
    for i in range(6000):
        start = date(2021 + (i % 3), 1 + i % 12, 1 + i % 28)
        months = min(int(rng.geometric(rng.beta(alpha, beta))), 300)  # lifetime T in months
        y, m = divmod(start.month - 1 + months, 12)
        end = date(start.year + y, m + 1, start.day)  # ends on its T-th anniversary
        rows.append(
            {
                "id": i,
                "s": start.isoformat(),
                "e": end.isoformat() if end <= date(2024, 12, 31) else "",
            }
        )
    c = rt.cohorts(pd.DataFrame(rows), "id", start="s", end="e", clock="tenure", as_of="2024-12-31")
    fit = rt.sbg_fit_cohorts(c)
    assert abs(fit.alpha - alpha) < 2.5 * fit.se_alpha
    assert abs(fit.beta - beta) < 2.5 * fit.se_beta
    calendar = rt.sbg_fit_cohorts(
        rt.cohorts(pd.DataFrame(rows), "id", start="s", end="e", as_of="2024-12-31")
    )
    assert abs(calendar.beta - beta) > abs(fit.beta - beta)  # the calendar clock is biased here
