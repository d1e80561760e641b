"""Driver analysis: the exact Shapley decomposition of R² on scikit-learn's diabetes data,
relative weights, the binary (logistic) case, categorical drivers, engines and bad input."""

from __future__ import annotations

import itertools
import math

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes

from kundfokus.drivers import (
    driver_analysis,
    relative_weights,
    shapley_r2,
)
from kundfokus.errors import InputError

# ---- an independent reference: fit every subset with lstsq and apply the Shapley formula ---------


def _r2_lstsq(x: np.ndarray, y: np.ndarray, cols: tuple[int, ...]) -> float:
    design = np.column_stack([np.ones(len(y)), x[:, list(cols)]])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ beta
    return 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())


def _exact_shapley(x: np.ndarray, y: np.ndarray, units: list[list[int]]) -> np.ndarray:
    """phi_j = sum over S not holding j of |S|!(k-|S|-1)!/k! [R2(S u j) - R2(S)]."""
    k = len(units)
    r2: dict[frozenset[int], float] = {}
    for size in range(k + 1):
        for subset in itertools.combinations(range(k), size):
            cols = tuple(c for u in subset for c in units[u])
            r2[frozenset(subset)] = _r2_lstsq(x, y, cols) if cols else 0.0
    phi = np.zeros(k)
    for j in range(k):
        others = [u for u in range(k) if u != j]
        for size in range(k):
            w = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for subset in itertools.combinations(others, size):
                s = frozenset(subset)
                phi[j] += w * (r2[s | {j}] - r2[s])
    return phi


@pytest.fixture(scope="module")
def diabetes() -> pd.DataFrame:
    data = load_diabetes(as_frame=True)
    return data.frame  # ten features and "target"


@pytest.fixture(scope="module")
def diabetes_reference(diabetes):
    x = diabetes.drop(columns="target").to_numpy()
    y = diabetes["target"].to_numpy()
    return _exact_shapley(x, y, [[j] for j in range(10)]), _r2_lstsq(x, y, tuple(range(10)))


def test_diabetes_shapley_equals_exact_enumeration_over_all_subsets(diabetes, diabetes_reference):
    phi_ref, r2_ref = diabetes_reference
    features = [c for c in diabetes.columns if c != "target"]
    assert len(features) == 10
    res = shapley_r2(diabetes[features].to_numpy(), diabetes["target"].to_numpy())
    np.testing.assert_allclose(res.shapley, phi_ref, rtol=0, atol=1e-10)
    assert res.r2 == pytest.approx(r2_ref, abs=1e-12)
    assert res.shapley.sum() == pytest.approx(r2_ref, abs=1e-12)
    # the full analysis (frame in, report out) gives the same numbers
    rep = driver_analysis(diabetes, "target", features, n_boot=0).to_dict()
    assert [d["driver"] for d in rep["drivers"]] == features
    np.testing.assert_allclose([d["shapley"] for d in rep["drivers"]], phi_ref, atol=1e-10)
    assert sum(d["shapley"] for d in rep["drivers"]) == pytest.approx(rep["r2"], abs=1e-12)
    assert rep["r2"] == pytest.approx(r2_ref, abs=1e-12)
    assert rep["n"] == 442 and rep["r2_kind"] == "r2"
    assert sum(d["share"] for d in rep["drivers"]) == pytest.approx(1.0)


def test_diabetes_relative_weights_sum_to_r2_and_are_close_to_shapley(diabetes, diabetes_reference):
    phi_ref, r2_ref = diabetes_reference
    x = diabetes.drop(columns="target").to_numpy()
    rw = relative_weights(x, diabetes["target"].to_numpy())
    assert rw.weights.sum() == pytest.approx(r2_ref, abs=1e-10)
    assert rw.r2 == pytest.approx(r2_ref, abs=1e-10)
    assert np.all(rw.weights >= 0)
    # close to LMG (Johnson 2000): within 0.02 of R² for each driver; the same top two drivers
    assert np.max(np.abs(rw.weights - phi_ref)) < 0.02
    assert set(np.argsort(rw.weights)[-2:]) == set(np.argsort(phi_ref)[-2:])


def test_diabetes_bootstrap_interval_brackets_the_estimate(diabetes):
    rep = driver_analysis(diabetes, "target", list(diabetes.columns[:10]), n_boot=200, seed=3)
    d = rep.to_dict()
    assert d["r2_ci_low"] < d["r2"] < d["r2_ci_high"]
    for drv in d["drivers"]:
        assert drv["ci_low"] <= drv["ci_high"]
    bmi = next(x for x in d["drivers"] if x["driver"] == "bmi")
    assert bmi["ci_low"] < bmi["shapley"] < bmi["ci_high"] and bmi["sign"] == "+"
    again = driver_analysis(diabetes, "target", list(diabetes.columns[:10]), n_boot=200, seed=3)
    assert again.to_dict() == d  # the seed fixes the resamples


@given(
    st.integers(min_value=2, max_value=5),
    st.integers(min_value=0, max_value=10_000),
)
def test_shapley_matches_enumeration_and_sums_to_r2_on_random_data(k, seed):
    rng = np.random.default_rng(seed)
    n = 40
    x = rng.normal(size=(n, k)) @ rng.normal(size=(k, k))  # correlated drivers
    y = x @ rng.normal(size=k) + rng.normal(size=n) * 2
    res = shapley_r2(x, y)
    np.testing.assert_allclose(res.shapley, _exact_shapley(x, y, [[j] for j in range(k)]),
                               atol=1e-8)  # fmt: skip
    assert res.shapley.sum() == pytest.approx(res.r2, abs=1e-9)
    assert relative_weights(x, y).weights.sum() == pytest.approx(res.r2, abs=1e-9)


# ---- categorical drivers: one group of dummies ---------------------------------------------------


def _survey(n: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    channel = rng.choice(["chat", "email", "phone"], n, p=[0.3, 0.2, 0.5])
    wait = rng.gamma(2.0, 3.0, n) + np.where(channel == "email", 4.0, 0.0)
    fcr = (rng.random(n) < 0.7).astype(int)
    effect = pd.Series(channel).map({"chat": 0.4, "email": -0.8, "phone": 0.0}).to_numpy()
    nps = 8.5 - 0.15 * wait + 1.2 * fcr + effect + rng.normal(0, 1.3, n)
    return pd.DataFrame(
        {
            "wait": np.round(wait, 2),
            "fcr": fcr,
            "channel": channel,
            "nps": np.round(nps, 3),
            "detractor": (nps < 7).astype(int),
            "team": rng.choice(["north", "south"], n),
        }
    )


def test_categorical_driver_is_one_group_of_dummies():
    df = _survey()
    rep = driver_analysis(df, "nps", ["wait", "fcr", "channel"], n_boot=0).to_dict()
    dummies = pd.get_dummies(df["channel"], drop_first=True, dtype=float).to_numpy()
    x = np.column_stack([df["wait"], df["fcr"], dummies])
    ref = _exact_shapley(x, df["nps"].to_numpy(), [[0], [1], [2, 3]])
    got = {d["driver"]: d for d in rep["drivers"]}
    np.testing.assert_allclose([got[c]["shapley"] for c in ("wait", "fcr", "channel")], ref,
                               atol=1e-10)  # fmt: skip
    assert got["channel"]["kind"] == "categorical" and got["channel"]["sign"] is None
    assert got["wait"]["sign"] == "-" and got["fcr"]["sign"] == "+"
    # the group's value does not depend on which level is left out as the reference
    other = np.column_stack(
        [df["wait"], df["fcr"], pd.get_dummies(df["channel"], dtype=float).to_numpy()[:, :2]]
    )
    ref2 = _exact_shapley(other, df["nps"].to_numpy(), [[0], [1], [2, 3]])
    np.testing.assert_allclose(ref2, ref, atol=1e-10)


def test_missing_values_are_left_out_and_counted():
    df = _survey()
    df.loc[[3, 10], "wait"] = np.nan
    df.loc[20, "channel"] = None
    df.loc[30, "nps"] = np.nan
    rep = driver_analysis(df, "nps", ["wait", "channel"], n_boot=0)
    d = rep.to_dict()
    assert d["n"] == len(df) - 4 and d["n_dropped"] == 4
    assert "4 rows with a missing value" in d["warnings"][0]
    clean = df.dropna(subset=["wait", "channel", "nps"])
    assert d["r2"] == pytest.approx(driver_analysis(clean, "nps", ["wait", "channel"],
                                                    n_boot=0).to_dict()["r2"])  # fmt: skip


def test_numbers_written_as_text_are_read_as_numbers():
    df = _survey()
    text = pl.from_pandas(df).with_columns(pl.all().cast(pl.String))  # like read_table's CSV
    a = driver_analysis(text, "nps", ["wait", "fcr", "channel"], n_boot=0).to_dict()
    b = driver_analysis(df, "nps", ["wait", "fcr", "channel"], n_boot=0).to_dict()
    assert a["r2"] == pytest.approx(b["r2"], abs=1e-12)
    assert [d["kind"] for d in a["drivers"]] == ["numeric", "numeric", "categorical"]


# ---- binary outcome ------------------------------------------------------------------------------


def _mcfadden(x: np.ndarray, y: np.ndarray) -> float:
    from sklearn.linear_model import LogisticRegression

    ll0 = len(y) * (y.mean() * np.log(y.mean()) + (1 - y.mean()) * np.log(1 - y.mean()))
    if x.shape[1] == 0:
        return 0.0
    m = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x, y)
    p = m.predict_proba(x)[:, 1]
    ll = float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return 1 - ll / ll0


def test_binary_outcome_decomposes_mcfadden_pseudo_r2():
    df = _survey(300)
    rep = driver_analysis(df, "detractor", ["wait", "fcr", "channel"], n_boot=40, seed=1)
    d = rep.to_dict()
    assert d["r2_kind"] == "mcfadden" and d["event"] == 1 and d["converged"]
    # an independent reference: scikit-learn's unpenalised logistic regression on every subset
    dummies = pd.get_dummies(df["channel"], drop_first=True, dtype=float).to_numpy()
    x = np.column_stack([df["wait"], df["fcr"], dummies])
    y = df["detractor"].to_numpy().astype(float)
    units = [[0], [1], [2, 3]]
    values = {}
    for size in range(4):
        for sub in itertools.combinations(range(3), size):
            cols = [c for u in sub for c in units[u]]
            values[frozenset(sub)] = _mcfadden(x[:, cols], y)
    phi = np.zeros(3)
    for j in range(3):
        others = [u for u in range(3) if u != j]
        for size in range(3):
            w = math.factorial(size) * math.factorial(3 - size - 1) / math.factorial(3)
            for sub in itertools.combinations(others, size):
                phi[j] += w * (values[frozenset(sub) | {j}] - values[frozenset(sub)])
    got = [x["shapley"] for x in d["drivers"]]
    np.testing.assert_allclose(got, phi, atol=1e-6)
    assert sum(got) == pytest.approx(d["r2"], abs=1e-12)
    assert d["r2"] == pytest.approx(values[frozenset({0, 1, 2})], abs=1e-6)
    assert sum(x["relative_weight"] for x in d["drivers"]) == pytest.approx(d["r2"], abs=1e-9)
    assert d["drivers"][0]["sign"] == "+" and d["drivers"][1]["sign"] == "-"
    assert d["r2_ci_low"] < d["r2"] < d["r2_ci_high"]


def test_binary_text_outcome_and_the_numeric_override():
    df = _survey(300)
    df["churned"] = np.where(df["detractor"] == 1, "yes", "no")
    a = driver_analysis(df, "churned", ["wait", "fcr"], n_boot=0).to_dict()
    b = driver_analysis(df, "detractor", ["wait", "fcr"], n_boot=0).to_dict()
    assert a["event"] == "yes" and a["r2"] == pytest.approx(b["r2"])
    linear = driver_analysis(df, "detractor", ["wait", "fcr"], binary=False, n_boot=0).to_dict()
    assert linear["r2_kind"] == "r2" and linear["r2"] != pytest.approx(b["r2"])


# ---- --by ----------------------------------------------------------------------------------------


def test_by_gives_one_result_per_group_equal_to_the_group_alone():
    df = _survey()
    rep = driver_analysis(df, "nps", ["wait", "fcr"], by="team", n_boot=50).to_dict()
    assert [g["group"] for g in rep["groups"]] == ["north", "south"]
    for g in rep["groups"]:
        alone = driver_analysis(df[df["team"] == g["group"]], "nps", ["wait", "fcr"], n_boot=0)
        assert g["r2"] == pytest.approx(alone.to_dict()["r2"], abs=1e-12)
        assert {"r2", "n", "drivers", "group"} <= set(g)


# ---- engines -------------------------------------------------------------------------------------


def _close(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _close(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _close(x, y)
    elif isinstance(a, float):
        assert a == pytest.approx(b, abs=1e-9)
    else:
        assert a == b


CASES = [
    dict(outcome="nps", drivers=["wait", "fcr", "channel"]),
    dict(outcome="detractor", drivers=["wait", "channel"]),
    dict(outcome="nps", drivers=["wait", "channel"], by="team"),
]


@pytest.mark.parametrize("case", CASES)
def test_polars_and_duckdb_give_the_same_results_as_pandas(case):
    df = _survey(250)
    df.loc[5, "wait"] = np.nan
    ref = driver_analysis(df, n_boot=30, **case).to_dict()
    _close(driver_analysis(pl.from_pandas(df), n_boot=30, **case).to_dict(), ref)
    _close(driver_analysis(pl.from_pandas(df).lazy(), n_boot=30, **case).to_dict(), ref)
    # DuckDB returns rows in any order: the rows are sorted before resampling
    rel = duckdb.connect().from_df(df.sample(frac=1.0, random_state=4))
    _close(driver_analysis(rel, n_boot=30, **case).to_dict(), ref)


@pytest.mark.spark
def test_spark_gives_the_same_results_as_pandas(spark):
    df = _survey(200)
    df.loc[5, "wait"] = np.nan
    sdf = spark.createDataFrame(df)
    for case in CASES:
        _close(driver_analysis(sdf, n_boot=20, **case).to_dict(),
               driver_analysis(df, n_boot=20, **case).to_dict())  # fmt: skip


# ---- the block bootstrap for many rows -----------------------------------------------------------


def test_block_bootstrap_matches_a_row_bootstrap_for_many_rows():
    from kundfokus.drivers.analysis import BOOT_BLOCKS

    rng = np.random.default_rng(5)
    n = 6000
    assert n > BOOT_BLOCKS
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    df["y"] = 0.4 * df["a"] + 0.2 * df["b"] + rng.normal(size=n)
    d = driver_analysis(df, "y", ["a", "b"], n_boot=400, seed=2).to_dict()
    # a plain row bootstrap of the same statistic, written here
    x, y = df[["a", "b"]].to_numpy(), df["y"].to_numpy()
    boot = []
    for _ in range(300):
        i = rng.integers(0, n, n)
        boot.append(shapley_r2(x[i], y[i]).shapley)
    lo, hi = np.quantile(np.array(boot), [0.025, 0.975], axis=0)
    for j, drv in enumerate(d["drivers"]):
        width, ref_width = drv["ci_high"] - drv["ci_low"], hi[j] - lo[j]
        assert width == pytest.approx(ref_width, rel=0.25)


# ---- bad input -----------------------------------------------------------------------------------


def test_constant_driver_is_an_error_naming_it():
    df = _survey(100)
    df["const"] = 3.0
    with pytest.raises(InputError, match="constant") as ei:
        driver_analysis(df, "nps", ["wait", "const"], n_boot=0)
    assert ei.value.column == "const"
    df["one"] = "x"
    with pytest.raises(InputError, match="constant") as ei:
        driver_analysis(df, "nps", ["wait", "one"], n_boot=0)
    assert ei.value.column == "one" and ei.value.value == "x"


def test_perfectly_collinear_drivers_are_an_error_naming_them():
    df = _survey(100)
    df["wait_seconds"] = df["wait"] * 60
    with pytest.raises(InputError, match="collinear") as ei:
        driver_analysis(df, "nps", ["wait", "fcr", "wait_seconds"], n_boot=0)
    assert "wait" in str(ei.value) and "wait_seconds" in str(ei.value)
    assert "fcr" not in str(ei.value).split("collinear")[1]


def test_too_few_rows_and_other_bad_calls():
    df = _survey(4)
    with pytest.raises(InputError, match="too few rows"):
        driver_analysis(df, "nps", ["wait", "fcr", "team"], n_boot=0)
    df = _survey(50)
    with pytest.raises(InputError, match="no such column") as ei:
        driver_analysis(df, "nps", ["wait", "nope"])
    assert ei.value.column == "nope"
    with pytest.raises(InputError, match="outcome cannot also be a driver"):
        driver_analysis(df, "nps", ["nps", "wait"])
    with pytest.raises(InputError, match="named twice"):
        driver_analysis(df, "nps", ["wait", "wait"])
    with pytest.raises(InputError, match="constant"):
        driver_analysis(df.assign(nps=5.0), "nps", ["wait"], n_boot=0)
    with pytest.raises(InputError, match="limited to 20 drivers"):
        wide = pd.DataFrame(np.random.default_rng(0).normal(size=(60, 22)),
                            columns=[f"x{i}" for i in range(22)])  # fmt: skip
        driver_analysis(wide, "x0", [f"x{i}" for i in range(1, 22)], n_boot=0)


def test_a_bad_value_in_a_numeric_text_column_is_named():
    df = _survey(120).astype(str)
    df.loc[7, "wait"] = "n/a"  # one typo among numbers: more than 50 "categories"
    with pytest.raises(InputError) as ei:
        driver_analysis(pl.from_pandas(df), "nps", ["wait"], n_boot=0)
    assert ei.value.column == "wait" and ei.value.value == "n/a" and ei.value.row == 8
    df = _survey(120).astype(str)
    df.loc[2, "nps"] = "abc"
    with pytest.raises(InputError, match="must be a number") as ei:
        driver_analysis(pl.from_pandas(df), "nps", ["wait"], n_boot=0)
    assert ei.value.column == "nps" and ei.value.value == "abc"


def test_a_group_that_cannot_be_analysed_is_left_out_with_a_warning():
    df = _survey(200)
    df.loc[:3, "team"] = "tiny"
    rep = driver_analysis(df, "nps", ["wait", "fcr", "channel"], by="team", n_boot=0)
    d = rep.to_dict()
    assert [g["group"] for g in d["groups"]] == ["north", "south"]
    assert any("tiny" in w for w in d["warnings"])


def test_text_report_says_association_not_cause_in_both_languages():
    from kundfokus.drivers.report import drivers_html, drivers_text

    rep = driver_analysis(_survey(), "nps", ["wait", "fcr", "channel"], n_boot=30)
    en, sv = drivers_text(rep, "en"), drivers_text(rep, "sv")
    assert "These drivers explain" in en and "association, not cause" in en
    assert "De här drivkrafterna förklarar" in sv and "samband, inte orsak" in sv
    top = max(rep.to_dict()["drivers"], key=lambda x: x["shapley"])["driver"]
    assert f"{top} explains most" in en
    r2_pct = round(100 * rep.to_dict()["r2"])
    assert f"{r2_pct}%" in en and f"{r2_pct} %" in sv
    html = drivers_html(rep, "sv")
    assert "<svg" in html and "application/vnd.vegalite+json" in html and "NaN" not in html
