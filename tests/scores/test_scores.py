"""Tests of kundfokus.scores: NPS, CSAT, CES, intervals, groups, periods, comparisons, CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats
from typer.testing import CliRunner

from kundfokus import scores
from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.reports import render_svg
from kundfokus.scores.charts import score_bars, score_trend

Z95 = 1.959963984540054


def _answers(promoters: int, passives: int, detractors: int) -> pd.DataFrame:
    vals = [10] * promoters + [8] * passives + [3] * detractors
    return pd.DataFrame({"s": vals})


# ---- NPS ------------------------------------------------------------------------------------------


def test_nps_counts_and_wald_se_follow_references():
    # REFERENCES.md: Var = pP + pD - (pP - pD)^2; SE = sqrt(Var / n)
    t = scores.nps(_answers(50, 30, 20), "s", ci="wald").iloc[0]
    assert (t["promoters"], t["passives"], t["detractors"], t["n"]) == (50, 30, 20, 100)
    assert t["nps"] == pytest.approx(30.0)
    var = 0.5 + 0.2 - (0.5 - 0.2) ** 2
    se = math.sqrt(var / 100)
    assert t["se"] == pytest.approx(100 * se)
    assert t["ci_low"] == pytest.approx(100 * (0.3 - Z95 * se))
    assert t["ci_high"] == pytest.approx(100 * (0.3 + Z95 * se))


def test_nps_scores_9_and_10_promote_7_and_8_pass_0_to_6_detract():
    df = pd.DataFrame({"s": list(range(11))})
    t = scores.nps(df, "s", min_n=1).iloc[0]
    assert (t["promoters"], t["passives"], t["detractors"]) == (2, 2, 7)
    assert t["nps"] == pytest.approx(100 * (2 - 7) / 11)


def test_adjusted_wald_adds_three_answers_and_three_quarters():
    t = scores.nps(_answers(12, 5, 3), "s").iloc[0]  # default is adjusted Wald
    assert t["ci_method"] == "adjusted-wald"
    n = 20 + 3
    p, d = (12 + 0.75) / n, (3 + 0.75) / n
    se = math.sqrt((p + d - (p - d) ** 2) / n)
    assert t["se"] == pytest.approx(100 * se)
    assert t["ci_low"] == pytest.approx(100 * ((p - d) - Z95 * se))
    assert t["ci_high"] == pytest.approx(100 * ((p - d) + Z95 * se))
    assert t["nps"] == pytest.approx(45.0)  # the point estimate stays the raw NPS


def test_intervals_are_clipped_and_level_matters():
    t = scores.nps(_answers(10, 0, 0), "s", ci="wald", min_n=1).iloc[0]
    assert t["ci_high"] == 100.0 and t["se"] == 0.0
    wide = scores.nps(_answers(30, 10, 20), "s", level=0.99).iloc[0]
    narrow = scores.nps(_answers(30, 10, 20), "s", level=0.80).iloc[0]
    assert wide["ci_high"] - wide["ci_low"] > narrow["ci_high"] - narrow["ci_low"]


def test_bootstrap_is_seeded_and_close_to_wald_for_large_n():
    df = _answers(400, 300, 300)
    a = scores.nps(df, "s", ci="bootstrap", seed=3, n_boot=4000).iloc[0]
    b = scores.nps(df, "s", ci="bootstrap", seed=3, n_boot=4000).iloc[0]
    c = scores.nps(df, "s", ci="bootstrap", seed=4, n_boot=4000).iloc[0]
    w = scores.nps(df, "s", ci="wald").iloc[0]
    assert (a["ci_low"], a["ci_high"]) == (b["ci_low"], b["ci_high"])
    assert (a["ci_low"], a["ci_high"]) != (c["ci_low"], c["ci_high"])
    assert a["se"] == pytest.approx(w["se"], rel=0.06)
    assert a["ci_low"] == pytest.approx(w["ci_low"], abs=1.0)
    assert a["ci_high"] == pytest.approx(w["ci_high"], abs=1.0)


def test_unknown_interval_is_an_input_error():
    with pytest.raises(InputError, match="unknown interval"):
        scores.nps(_answers(1, 1, 1), "s", ci="wilson")


# ---- CSAT and CES --------------------------------------------------------------------------------


def test_wilson_interval_reproduces_newcombe_1998():
    # Newcombe (1998), Stat Med 17:857, example 81/263: Wilson score interval 0.2553 to 0.3662.
    _, lo, hi = scores.proportion_interval(81, 263)
    assert lo == pytest.approx(25.53, abs=0.01)
    assert hi == pytest.approx(36.62, abs=0.01)
    _, lo0, hi0 = scores.proportion_interval(0, 10)
    assert lo0 == 0.0
    assert hi0 == pytest.approx(100 * Z95**2 / (10 + Z95**2))


def test_agresti_coull_adjusted_wald_for_a_share():
    _, lo, hi = scores.proportion_interval(81, 263, method="adjusted-wald")
    n = 263 + Z95**2
    p = (81 + Z95**2 / 2) / n
    half = Z95 * math.sqrt(p * (1 - p) / n)
    assert (lo, hi) == (pytest.approx(100 * (p - half)), pytest.approx(100 * (p + half)))


def test_csat_is_top_two_box_and_reports_the_mean_separately():
    df = pd.DataFrame({"s": ["5", "4", "4", "3", "2", "1", "5", "5"]})
    t = scores.csat(df, "s", min_n=1).iloc[0]
    assert t["satisfied"] == 5 and t["n"] == 8
    assert t["csat"] == pytest.approx(62.5)
    assert t["mean_score"] == pytest.approx(29 / 8)
    _, lo, hi = scores.proportion_interval(5, 8)
    assert (t["ci_low"], t["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))


def test_csat_scale_and_top_box_are_configurable():
    df = pd.DataFrame({"s": [7, 6, 5, 1]})
    t = scores.csat(df, "s", scale=(1, 7), min_n=1)
    assert t.iloc[0]["satisfied"] == 2
    t3 = scores.csat(df, "s", scale=(1, 7), top=3, min_n=1)
    assert t3.iloc[0]["satisfied"] == 3
    with pytest.raises(InputError, match="outside the scale 1 to 5") as ei:
        scores.csat(df, "s")
    assert ei.value.row == 1 and ei.value.value == 7


def test_ces_mean_t_interval_and_share_agreeing():
    vals = [7, 6, 6, 5, 4, 3, 2, 7, 5, 1]
    t = scores.ces(pd.DataFrame({"e": vals}), "e", min_n=1).iloc[0]
    arr = np.array(vals, dtype=float)
    lo, hi = stats.t.interval(0.95, len(arr) - 1, loc=arr.mean(), scale=stats.sem(arr))
    assert t["mean_score"] == pytest.approx(arr.mean())
    assert t["se"] == pytest.approx(stats.sem(arr))
    assert (t["ci_low"], t["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    assert t["agree"] == 6  # 5, 6, 7 on 1-7
    assert t["pct_agree"] == pytest.approx(60.0)
    five = scores.ces(pd.DataFrame({"e": [5, 4, 3, 2]}), "e", scale=(1, 5), min_n=1).iloc[0]
    assert five["agree"] == 2  # above the midpoint 3: 4 and 5


# ---- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [("11", "outside the scale 0 to 10"), ("abc", "not a number"), ("7.5", "not a whole number")],
)
def test_bad_scores_name_row_column_and_value(value, message):
    df = pd.DataFrame({"nps": ["9", "", value, "3"]})
    with pytest.raises(InputError, match=message) as ei:
        scores.nps(df, "nps")
    assert (ei.value.row, ei.value.column, ei.value.value) == (3, "nps", value)
    with pytest.raises(InputError) as ei2:
        scores.nps(pl.from_pandas(df), "nps")
    assert ei2.value.row == 3


def test_bad_scores_can_be_treated_as_missing_and_are_reported():
    df = pd.DataFrame({"nps": ["9", "", "x", "11", "3", None]})
    t = scores.nps(df, "nps", on_invalid="missing", min_n=1)
    row = t.iloc[0]
    assert (row["n"], row["n_missing"], row["n_invalid"]) == (2, 2, 2)
    assert any("2 answers were not valid" in w for w in t.attrs["warnings"])
    assert any("2 svar var inte giltiga" in w for w in scores.score_warnings(t, lang="sv"))


def test_missing_column_is_named():
    with pytest.raises(InputError, match="no such column") as ei:
        scores.nps(pd.DataFrame({"a": [1]}), "nps")
    assert ei.value.column == "nps"


def test_numeric_columns_with_nan_count_as_missing():
    df = pd.DataFrame({"s": [10.0, np.nan, 0.0]})
    row = scores.nps(df, "s", min_n=1).iloc[0]
    assert (row["n"], row["n_missing"], row["nps"]) == (2, 1, 0.0)


# ---- groups and periods --------------------------------------------------------------------------


def test_groups_and_small_sample_warning():
    df = pd.DataFrame({"s": [10] * 40 + [0] * 5, "ch": ["phone"] * 40 + ["chat"] * 5})
    t = scores.nps(df, "s", by="ch")
    assert list(t["group"]) == ["chat", "phone"]
    assert list(t["small_sample"]) == [True, False]
    assert t.attrs["warnings"] == [
        "chat: only 5 answers (fewer than 30); the score is too uncertain to read"
    ]
    sv = scores.score_warnings(t, lang="sv")
    assert sv == ["chat: bara 5 svar (färre än 30); värdet är för osäkert för att läsas"]
    assert not scores.nps(df, "s", by="ch", min_n=5)["small_sample"].any()


def test_iso_weeks_months_and_quarters():
    df = pd.DataFrame(
        {
            "s": [10, 0, 9, 8],
            "d": ["2021-01-03", "2021-01-04", "2021-03-31 10:22", "2021-04-01T08:00:00"],
        }
    )
    weeks = scores.nps(df, "s", period="week", date="d", min_n=1)
    assert list(weeks["period"]) == ["2020-W53", "2021-W01", "2021-W13"]
    months = scores.nps(df, "s", period="month", date="d", min_n=1)
    assert list(months["period"]) == ["2021-01", "2021-03", "2021-04"]
    quarters = scores.nps(df, "s", period="quarter", date="d", min_n=1)
    assert list(quarters["period"]) == ["2021-Q1", "2021-Q2"]
    assert list(quarters["n"]) == [3, 1]
    assert str(quarters["period_start"].iloc[1]) == "2021-04-01"


def test_bad_dates_name_row_and_value():
    df = pd.DataFrame({"s": [10, 9, 8], "d": ["2024-01-02", "2024-02-30", "2024-03-01"]})
    with pytest.raises(InputError, match="not a date") as ei:
        scores.nps(df, "s", period="month", date="d")
    assert (ei.value.row, ei.value.column, ei.value.value) == (2, "d", "2024-02-30")
    df2 = pd.DataFrame({"s": [10, 9], "d": ["2024-01-02", None]})
    with pytest.raises(InputError, match="missing") as ei2:
        scores.nps(df2, "s", period="month", date="d")
    assert ei2.value.row == 2
    with pytest.raises(InputError, match="needs a date column"):
        scores.nps(df, "s", period="month")
    with pytest.raises(InputError, match="unknown period"):
        scores.nps(df, "s", period="day", date="d")  # type: ignore[arg-type]


# ---- comparisons ---------------------------------------------------------------------------------


def test_independent_nps_z_test_follows_references():
    a = _answers(60, 20, 20).assign(g="a")
    b = _answers(40, 30, 30).assign(g="b")
    t = scores.nps(pd.concat([a, b]), "s", by="g")
    row = scores.compare_independent(t).iloc[0]
    var1 = 0.6 + 0.2 - 0.4**2
    var2 = 0.4 + 0.3 - 0.1**2
    z = (0.4 - 0.1) / math.sqrt(var1 / 100 + var2 / 100)
    assert row["z"] == pytest.approx(z)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    assert row["difference"] == pytest.approx(30.0)
    assert (row["group_1"], row["group_2"], row["statistic"]) == ("a", "b", "z")


def test_independent_csat_and_ces_tests():
    rng = np.random.default_rng(5)
    x = rng.integers(1, 6, 80)
    y = rng.integers(2, 6, 60)
    df = pd.DataFrame({"s": np.r_[x, y], "g": ["x"] * 80 + ["y"] * 60})
    c = scores.compare_independent(scores.csat(df, "s", by="g")).iloc[0]
    k1, k2 = (x >= 4).sum(), (y >= 4).sum()
    p = (k1 + k2) / 140
    z = (k1 / 80 - k2 / 60) / math.sqrt(p * (1 - p) * (1 / 80 + 1 / 60))
    assert c["z"] == pytest.approx(z)
    e = scores.compare_independent(scores.ces(df, "s", by="g", scale=(1, 7))).iloc[0]
    welch = stats.ttest_ind(x, y, equal_var=False)
    assert e["t"] == pytest.approx(welch.statistic)
    assert e["p_value"] == pytest.approx(welch.pvalue)


def test_paired_nps_test_is_a_t_test_on_per_respondent_differences():
    rng = np.random.default_rng(11)
    n = 120
    before = rng.integers(0, 11, n)
    after = np.clip(before + rng.integers(-2, 4, n), 0, 10)
    df = pd.DataFrame(
        {
            "id": np.r_[np.arange(n), np.arange(n)],
            "wave": ["2"] * n + ["1"] * n,
            "s": np.r_[after, before],
        }
    ).sample(frac=1, random_state=1)

    def cat(v):
        return np.where(v >= 9, 1, np.where(v <= 6, -1, 0))

    row = scores.compare_paired(df, "s", respondent="id", by="wave", groups=["2", "1"]).iloc[0]
    ref = stats.ttest_rel(cat(after), cat(before))
    assert row["t"] == pytest.approx(ref.statistic)
    assert row["p_value"] == pytest.approx(ref.pvalue)
    assert row["n_pairs"] == n and row["df"] == n - 1
    assert row["difference"] == pytest.approx(100 * (cat(after) - cat(before)).mean())
    ces_row = scores.compare_paired(
        df.assign(s=np.clip(df["s"], 1, 7)), "s", respondent="id", by="wave", kind="ces"
    ).iloc[0]
    ref2 = stats.ttest_rel(np.clip(before, 1, 7), np.clip(after, 1, 7))
    assert ces_row["t"] == pytest.approx(ref2.statistic)  # group order: "1" then "2"


def test_paired_rejects_duplicates_and_needs_pairs():
    df = pd.DataFrame({"id": [1, 1, 2], "g": ["a", "a", "b"], "s": [9, 8, 7]})
    with pytest.raises(InputError, match="more than once") as ei:
        scores.compare_paired(df, "s", respondent="id", by="g")
    assert ei.value.value == 1
    with pytest.raises(InputError, match="at least two respondents"):
        scores.compare_paired(
            pd.DataFrame({"id": [1, 2], "g": ["a", "b"], "s": [9, 7]}), "s", respondent="id", by="g"
        )


def test_analyse_compares_only_two_groups():
    df = pd.DataFrame({"s": [10, 3, 8] * 20, "g": ["a", "b", "c"] * 20})
    assert scores.analyze("nps", df, "s", by="g").comparison is None
    with pytest.raises(InputError, match="exactly two"):
        scores.analyze("nps", df, "s", by="g", paired=True, respondent="g")


# ---- engines -------------------------------------------------------------------------------------


def _survey(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    days = pd.date_range("2024-01-01", periods=120, freq="D").strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "s": rng.integers(0, 11, n).astype(str),
            "ch": rng.choice(["phone", "chat", "email"], n),
            "d": rng.choice(days, n),
        }
    )


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False
    )


def test_polars_and_duckdb_give_the_same_tables_as_pandas():
    df = _survey()
    ref = scores.nps(df, "s", by="ch", period="month", date="d")
    _same(scores.nps(pl.from_pandas(df), "s", by="ch", period="month", date="d"), ref)
    con = duckdb.connect()
    rel = con.from_df(df)
    _same(scores.nps(rel, "s", by="ch", period="month", date="d"), ref)
    _same(scores.ces(rel, "s", by="ch", scale=(0, 10)), scores.ces(df, "s", by="ch", scale=(0, 10)))
    with pytest.raises(InputError) as ei:  # lazy engines have no row order: value only
        scores.nps(con.from_df(pd.DataFrame({"s": ["1", "x"]})), "s")
    assert ei.value.value == "x" and ei.value.row is None


@pytest.mark.spark
def test_spark_gives_the_same_tables_as_pandas(spark):
    df = _survey(200)
    sdf = spark.createDataFrame(df)
    _same(
        scores.nps(sdf, "s", by="ch", period="week", date="d"),
        scores.nps(df, "s", by="ch", period="week", date="d"),
    )
    paired = pd.DataFrame({"id": [1, 2, 3, 1, 2, 3], "w": list("aaabbb"), "s": [9, 8, 3, 5, 9, 3]})
    _same(
        scores.compare_paired(spark.createDataFrame(paired), "s", respondent="id", by="w"),
        scores.compare_paired(paired, "s", respondent="id", by="w"),
    )


# ---- charts --------------------------------------------------------------------------------------


def test_trend_chart_has_interval_band_and_renders():
    df = _survey()
    t = scores.nps(df, "s", by="ch", period="month", date="d")
    spec = score_trend(t)
    band, line = spec["layer"]
    assert band["mark"]["type"] == "area" and band["encoding"]["y"]["field"] == "ci_low"
    assert band["encoding"]["y2"]["field"] == "ci_high"
    assert line["encoding"]["color"]["field"] == "group"
    data = next(iter(spec["datasets"].values()))
    assert len(data) == len(t) and {"value", "ci_low", "ci_high"} <= set(data[0])
    assert render_svg(spec).startswith("<svg")
    bars = score_bars(scores.csat(df.assign(s=(df["s"].astype(int) // 2).clip(1, 5)), "s", by="ch"))
    assert bars["layer"][1]["encoding"]["x2"]["field"] == "ci_high"
    assert "grupp" in json.dumps(score_trend(t, lang="sv")).lower()


# ---- CLI -----------------------------------------------------------------------------------------


@pytest.fixture
def survey_csv(tmp_path: Path) -> Path:
    p = tmp_path / "survey.csv"
    df = pd.DataFrame(
        {
            "id": list(range(40)) * 2,
            "wave": ["a"] * 40 + ["b"] * 40,
            "d": ["2024-01-15"] * 40 + ["2024-02-15"] * 40,
            "nps": [10, 9, 7, 3] * 10 + [10, 8, 3, 3] * 10,
        }
    )
    df.to_csv(p, index=False)
    return p


def test_cli_nps_json_has_groups_comparison_and_warnings(survey_csv):
    res = CliRunner().invoke(app, ["scores", "nps", str(survey_csv), "--score", "nps",
                                   "--by", "wave", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert set(payload) == {"score", "groups", "comparison", "warnings"}
    g = payload["groups"][0]
    for key in ("group", "n", "promoters", "passives", "detractors", "nps", "se", "ci_low",
                "ci_high"):  # fmt: skip
        assert key in g
    assert [x["group"] for x in payload["groups"]] == ["a", "b"]
    assert payload["comparison"]["z"] == pytest.approx(
        scores.analyze("nps", pd.read_csv(survey_csv), "nps", by="wave").comparison["z"].iloc[0]
    )
    assert set(payload["comparison"]) >= {"z", "p_value"}


def test_cli_nps_without_groups_and_paired_periods(survey_csv):
    res = CliRunner().invoke(app, ["scores", "nps", str(survey_csv), "--score", "nps", "--format",
                                   "json"])  # fmt: skip
    payload = json.loads(res.stdout)
    assert payload["groups"][0]["group"] == "all" and payload["comparison"] is None
    res2 = CliRunner().invoke(app, ["scores", "nps", str(survey_csv), "--score", "nps", "--period",
                                    "month", "--date", "d", "--paired", "--respondent", "id",
                                    "--format", "json"])  # fmt: skip
    comp = json.loads(res2.stdout)["comparison"]
    assert comp["n_pairs"] == 40 and comp["statistic"] == "t"
    assert comp["group_1"] == "2024-01" and comp["group_2"] == "2024-02"


def test_cli_text_csv_and_html(survey_csv, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["scores", "ces", str(survey_csv), "--score", "nps", "--scale", "0-10",
                              "--by", "wave", "--min-n", "50", "--lang", "sv"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Welch" in res.stdout and "bara 40 svar" in res.stdout
    out = tmp_path / "r.csv"
    runner.invoke(app, ["scores", "csat", str(survey_csv), "--score", "nps", "--scale", "0-10",
                        "--format", "csv", "-o", str(out)])  # fmt: skip
    assert pd.read_csv(out)["n"].iloc[0] == 80
    html = tmp_path / "r.html"
    res3 = runner.invoke(app, ["scores", "nps", str(survey_csv), "--score", "nps", "--period",
                               "month", "--date", "d", "--format", "html", "-o", str(html)])  # fmt: skip
    assert res3.exit_code == 0, res3.output
    text = html.read_text()
    assert "<svg" in text and "application/vnd.vegalite+json" in text and "ci_low" in text


def test_cli_bad_value_names_the_file_and_writes_nothing(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("nps\n9\n12\n")
    out = tmp_path / "out.json"
    res = CliRunner().invoke(app, ["scores", "nps", str(p), "--score", "nps", "--format", "json",
                                   "-o", str(out)])  # fmt: skip
    err = res.exception
    assert isinstance(err, InputError)
    assert (err.file, err.row, err.column, err.value) == (str(p), 2, "nps", "12")
    assert not out.exists()


def test_main_prints_one_line_and_exits_2(tmp_path, monkeypatch, capsys):
    import sys

    from kundfokus.cli import main

    p = tmp_path / "bad.csv"
    p.write_text("nps,ch\n9,a\nten,b\n")
    monkeypatch.setattr(sys, "argv", ["kundfokus", "scores", "nps", str(p), "--score", "nps"])
    with pytest.raises(SystemExit) as ei:
        main()
    assert ei.value.code == 2
    err = capsys.readouterr().err
    assert f"{p}, row 2, column 'nps', value 'ten': not a number" in err
    assert "Traceback" not in err


def test_polars_lazy_frames_work():
    df = _survey(100)
    lazy = pl.from_pandas(df).lazy()
    _same(scores.csat(lazy, "s", scale=(0, 10)), scores.csat(df, "s", scale=(0, 10)))


@pytest.mark.parametrize("seed", range(5))
def test_intervals_are_ordered_and_bounded_for_random_counts(seed):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        p, a, d = (int(x) for x in rng.integers(0, 40, 3))
        if p + a + d == 0:
            continue
        for method in ("adjusted-wald", "wald"):
            se, lo, hi = scores.nps_interval(p, a, d, method=method)
            assert -100 <= lo <= hi <= 100 and se >= 0
        _, lo, hi = scores.proportion_interval(p, p + a + d)
        share = 100 * p / (p + a + d)
        assert 0 <= lo <= share <= hi <= 100  # Wilson always contains the observed share


def test_analyse_is_a_deprecated_alias_of_analyze():
    df = _answers(30, 10, 20)
    with pytest.warns(DeprecationWarning, match="analyze"):
        old = scores.analyse("nps", df, "s")
    new = scores.analyze("nps", df, "s")
    pd.testing.assert_frame_equal(old.table, new.table)
