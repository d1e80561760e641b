"""The two contracts of kundfokus.base: every fitted model and every Result subclass follow them."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.utils.validation import check_is_fitted

from classifier_data import TRAIN
from kundfokus.base import Estimator, NotFittedError, Result, check_fitted
from kundfokus.clv import BetaGeo, GammaGamma, ParetoNBD
from kundfokus.contacts.classifier import ContactClassifier
from kundfokus.contacts.rules import RuleModel
from kundfokus.errors import InputError
from kundfokus.retention import SBGFit, ShiftedBetaGeometric, sbg_fit

HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1]  # Fader & Hardie (2007), % alive


@pytest.fixture(scope="module")
def cdnow(test_data) -> pd.DataFrame:
    return pd.read_csv(test_data / "cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def cdnow_spend(test_data) -> pd.DataFrame:
    return pd.read_csv(test_data / "cdnow_customers_summary_with_transactions.csv")


# ---- fitted models -------------------------------------------------------------------------------


def _fit_args(name: str, cdnow: pd.DataFrame, cdnow_spend: pd.DataFrame) -> tuple[tuple, dict]:
    if name in ("BetaGeo", "ParetoNBD"):
        return (cdnow["frequency"], cdnow["recency"], cdnow["T"]), {}
    if name == "GammaGamma":
        return (cdnow_spend["x"], cdnow_spend["zbar"]), {}
    if name == "ShiftedBetaGeometric":
        return (HIGH_END,), {}
    if name == "ContactClassifier":
        return ([t for t, _, _ in TRAIN], [p for _, p, _ in TRAIN]), {}
    if name == "RuleModel":
        return (["Spärra kortet nu", "How do I change my PIN?"], ["now", "no_rush"]), {}
    raise AssertionError(name)


def _use(model) -> object:
    """Use a model the way its callers do (something that needs the fit)."""
    if isinstance(model, (BetaGeo, ParetoNBD)):
        return model.probability_alive(2, 30.43, 38.86)
    if isinstance(model, GammaGamma):
        return model.expected_spend(2, 22.35)
    if isinstance(model, ShiftedBetaGeometric):
        return model.survival([1, 2])
    return model.predict(["Mitt kort är stulet"])


MODELS = {
    "BetaGeo": lambda: BetaGeo(),
    "ParetoNBD": lambda: ParetoNBD(),
    "GammaGamma": lambda: GammaGamma(),
    "ShiftedBetaGeometric": lambda: ShiftedBetaGeometric(),
    "ContactClassifier": lambda: ContactClassifier(axis="purpose_type", calibration_folds=0),
    "RuleModel": lambda: RuleModel("urgency", lang=None),
}


@pytest.fixture(params=list(MODELS))
def name(request) -> str:
    return request.param


def test_get_params_round_trips_through_set_params(name):
    model = MODELS[name]()
    params = model.get_params()
    # the parameters are exactly the __init__ arguments, stored under their own names
    init = inspect.signature(type(model).__init__).parameters.values()
    named = {p.name for p in init if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    assert set(params) == named - {"self"}
    for key, value in params.items():
        assert getattr(model, key) is value
    other = MODELS[name]().set_params(**params)
    assert other.get_params() == params
    with pytest.raises(ValueError, match="parameter"):
        model.set_params(no_such_parameter=1)


def test_set_params_changes_one_parameter():
    assert BetaGeo().set_params(max_iter=10).get_params() == {"max_iter": 10, "tol": 1e-9}
    assert ParetoNBD(tol=1e-6).get_params()["tol"] == 1e-6
    assert RuleModel().set_params(axis="mood").axis == "mood"


def test_clone_gives_an_unfitted_copy_with_the_same_parameters(name, cdnow, cdnow_spend):
    args, kwargs = _fit_args(name, cdnow, cdnow_spend)
    model = MODELS[name]().fit(*args, **kwargs)
    copy = clone(model)
    assert copy is not model and type(copy) is type(model)
    assert copy.get_params() == model.get_params()
    if name != "RuleModel":  # the rules have nothing to learn: always "fitted"
        learned = [k for k in vars(model) if k.endswith("_") and not k.startswith("_")]
        assert learned and all(getattr(copy, k, None) is None for k in learned)


def test_use_before_fit_raises_not_fitted(name):
    model = MODELS[name]()
    if name == "RuleModel":
        # fixed rules: fitted from the start, and scikit-learn agrees
        check_is_fitted(model)
        assert list(_use(model)) == ["now"]
        return
    expected = SklearnNotFittedError if name == "ContactClassifier" else NotFittedError
    with pytest.raises(expected):
        _use(model)
    if expected is NotFittedError:  # still the RuntimeError of kundfokus 0.1
        with pytest.raises(RuntimeError, match="not fitted"):
            _use(model)


def test_fit_returns_self_and_learned_attributes_end_in_underscore(name, cdnow, cdnow_spend):
    model = MODELS[name]()
    before = set(vars(model))
    assert before == set(model.get_params())  # __init__ only stores the parameters
    args, kwargs = _fit_args(name, cdnow, cdnow_spend)
    assert model.fit(*args, **kwargs) is model
    added = {k for k in vars(model) if not k.startswith("_")} - before
    assert all(k.endswith("_") for k in added), sorted(added)
    if name != "RuleModel":
        assert added
    _use(model)  # usable after fit


def test_kundfokus_models_are_estimators(name):
    model = MODELS[name]()
    if name != "ContactClassifier":
        assert isinstance(model, Estimator)


def test_refit_of_a_clone_reproduces_the_fit(cdnow):
    bg = BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    again = clone(bg).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert again.params_ == bg.params_
    # the published BG/NBD figures (Fader, Hardie & Lee 2005) with the default settings
    assert bg.params_ == pytest.approx(
        {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}, abs=5e-4
    )


def test_settings_are_checked_when_fitting_not_when_constructing(cdnow):
    model = BetaGeo(tol=0.0)  # scikit-learn style: __init__ stores, fit validates
    with pytest.raises(InputError) as info:
        model.fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert info.value.column == "tol"
    with pytest.raises(InputError) as info:
        GammaGamma(max_iter=0).fit([1, 2], [10.0, 20.0])
    assert info.value.column == "max_iter"


def test_repr_shows_changed_parameters_or_the_fit(cdnow):
    assert repr(BetaGeo()) == "BetaGeo()"
    assert repr(ParetoNBD(max_iter=50)) == "ParetoNBD(max_iter=50)"
    fitted = BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert repr(fitted).startswith("<BetaGeo: r=0.2426")


def test_check_fitted_message_names_the_class():
    with pytest.raises(NotFittedError, match="this ShiftedBetaGeometric is not fitted"):
        check_fitted(ShiftedBetaGeometric(), "fit_")


# ---- the sBG estimator -----------------------------------------------------------------------------


def test_sbg_estimator_reproduces_fader_hardie_high_end():
    model = ShiftedBetaGeometric().fit(HIGH_END)
    assert model.alpha_ == pytest.approx(0.66809, abs=1e-5)
    assert model.beta_ == pytest.approx(3.80610, abs=1e-5)
    assert model.converged_
    # one implementation: the estimator holds exactly what the function returns
    fit = sbg_fit(HIGH_END)
    assert isinstance(model.fit_, SBGFit)
    assert (model.alpha_, model.beta_, model.log_likelihood_) == (fit.alpha, fit.beta, fit.loglik)
    assert model.standard_errors_ == {"alpha": fit.se_alpha, "beta": fit.se_beta}
    t = np.arange(0, 13)
    np.testing.assert_array_equal(model.survival(t), fit.survival(t))
    np.testing.assert_array_equal(model.retention_rate(t[1:]), fit.retention_rate(t[1:]))
    assert model.derl(0.1, renewals=2) == fit.derl(0.1, 2)
    # S(t) = prod of r(1..t): the survival and retention curves agree
    assert model.survival(6) == pytest.approx(np.prod(model.retention_rate(np.arange(1, 7))))


def test_sbg_estimator_inputs():
    size = ShiftedBetaGeometric().fit(HIGH_END, cohort_size=1000)
    plain = ShiftedBetaGeometric().fit(HIGH_END)
    assert size.alpha_ == pytest.approx(plain.alpha_, rel=1e-5)
    assert plain.standard_errors_["alpha"] / size.standard_errors_["alpha"] == pytest.approx(
        np.sqrt(10), rel=1e-3
    )
    cohorts = pd.DataFrame(
        {"cohort": ["a"] * 3 + ["b"] * 2, "age": [0, 1, 2, 0, 1], "alive": [100, 80, 70, 50, 41]}
    )
    by_table = ShiftedBetaGeometric().fit(cohorts=cohorts)
    by_curves = ShiftedBetaGeometric().fit(curves=[[100, 80, 70], [50, 41]])
    assert by_table.alpha_ == pytest.approx(by_curves.alpha_, rel=1e-9)
    assert len(by_table.fit_.curves) == 2
    with pytest.raises(InputError, match="exactly one"):
        ShiftedBetaGeometric().fit()
    with pytest.raises(InputError, match="exactly one"):
        ShiftedBetaGeometric().fit(HIGH_END, curves=[HIGH_END])
    with pytest.raises(InputError, match="cohort_size"):
        ShiftedBetaGeometric().fit(curves=[HIGH_END], cohort_size=1000)


# ---- results -------------------------------------------------------------------------------------


def _strict_json(d: dict) -> dict:
    return json.loads(json.dumps(d, allow_nan=False, ensure_ascii=False))


def test_sbg_fit_is_a_result():
    fit = sbg_fit(HIGH_END)
    assert isinstance(fit, Result)
    d = _strict_json(fit.to_dict())
    assert d["alpha"] == pytest.approx(fit.alpha) and d["converged"] is True
    proj = d["projection"]
    assert len(proj) == 2 * (len(HIGH_END) - 1) + 1
    assert proj[0]["retention_rate"] is None  # NaN at t = 0 becomes null
    observed = [r["observed"] for r in proj[: len(HIGH_END)]]
    assert observed == pytest.approx([v / 100 for v in HIGH_END], abs=1e-12)
    assert all(r["observed"] is None for r in proj[len(HIGH_END) :])
    assert d["warnings"] == []
    flat = sbg_fit([1000, 900, 810, 729])
    en, sv = flat.warnings("en"), flat.warnings("sv")
    assert len(en) == len(sv) == 1 and en != sv and "10.0%" in en[0] and "10.0%" in sv[0]
    assert _strict_json(flat.to_dict("sv"))["warnings"] == sv


def test_transaction_fit_result():
    from kundfokus.clv.workflow import fit_transactions

    tx = pd.DataFrame(
        {
            "id": [1, 1, 2, 3, 3, 3, 4, 5, 5],
            "day": ["2024-01-01", "2024-02-01", "2024-01-10", "2024-01-05", "2024-01-20",
                    "2024-03-01", "2024-02-15", "2024-01-02", "2024-03-20"],
            "amount": [10.0, 12.0, 5.0, 30.0, 25.0, 20.0, 8.0, 14.0, 16.0],
        }
    )  # fmt: skip
    fit = fit_transactions(tx, "id", "day", "amount", calibration_end="2024-03-31")
    assert isinstance(fit, Result)
    d = _strict_json(fit.to_dict())
    assert d["n_customers"] == 5 and d["n_repeat_customers"] == 3
    assert d["bgnbd"]["r"] == pytest.approx(fit.transaction_model.params_["r"])
    assert d["gamma_gamma"]["n_customers"] == 3
    assert d["warnings"] == fit.warnings("en")
    assert set(fit.tables()) == {"summary", "parameters"}
    assert len(fit.tables()["parameters"]) == 4 + 3
    meta = fit.meta()
    assert meta["calibration_end"] == "2024-03-31" and meta["model"] == "bgnbd"
    json.dumps(meta, allow_nan=False)


def test_transaction_fit_warnings_in_both_languages():
    from kundfokus.clv.workflow import TransactionFit

    bg = BetaGeo()
    bg.params_ = {"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}
    bg.standard_errors_ = {"r": 0.01, "alpha": float("nan"), "a": 0.1, "b": 0.2}
    bg.converged_ = False
    bg.log_likelihood_, bg.n_unique_rows_ = -10.0, 3
    summary = pd.DataFrame(
        {"id": [1, 2], "frequency": [1, 0], "recency": [3.0, 0.0], "T": [5.0, 4]}
    )
    fit = TransactionFit(
        summary, bg, None, "bgnbd", "week", pd.Timestamp("2024-03-31").date(), "id"
    )
    en, sv = fit.warnings("en"), fit.warnings("sv")
    assert en == [
        "the purchase model did not converge: the estimates may be unreliable",
        "some standard errors of the purchase model could not be computed: the data may be too "
        "few or the estimate at a boundary",
    ]
    assert len(sv) == 2 and all("köpmodellen" in w for w in sv)
    d = _strict_json(fit.to_dict("sv"))
    assert d["warnings"] == sv and d["bgnbd"]["std_errors"]["alpha"] is None
    with pytest.raises(ValueError, match="language"):
        fit.warnings("de")


def test_score_report_result():
    from kundfokus.scores import analyze

    df = pd.DataFrame({"s": [10, 9, 3, 8, 7, 0] * 6, "g": ["x", "y", "x"] * 12})
    rep = analyze("nps", df, "s", by="g", min_n=10)
    assert isinstance(rep, Result)
    d = _strict_json(rep.to_dict())
    assert d["kind"] == "nps" and [r["group"] for r in d["table"]] == ["x", "y"]
    assert len(d["comparison"]) == 1
    assert d["warnings"] == rep.warnings("en") == []
    small = analyze("nps", df, "s", by="g", min_n=30)
    assert len(small.to_dict("sv")["warnings"]) == 2 and small.warnings("sv") != small.warnings()


def test_kano_result():
    from kundfokus.kano import analyze

    frame = pd.DataFrame(
        {
            "respondent": ["a", "b", "c", "d", "e"],
            "X_functional": [1, 1, 1, 2, 1],
            "X_dysfunctional": ["1", "5", "5", "maybe", "4"],
            "Y_functional": [1, 2, 1, 2, 4],
            "Y_dysfunctional": [1, 5, 5, 5, 2],
        }
    )
    res = analyze(frame, exclude="Q", on_invalid="missing")
    assert isinstance(res, Result)
    d = _strict_json(res.to_dict())
    assert {f["feature"] for f in d["features"]} == {"X", "Y"}
    assert d["exclude"] == "Q" and d["removed"][0]["respondent"] == "a"
    assert d["invalid"] == [{"column": "X_dysfunctional", "count": 1, "examples": ["maybe"]}]
    en, sv = res.warnings("en"), res.warnings("sv")
    assert len(en) == len(sv) == 2 and en != sv
    assert "X_dysfunctional" in en[0] and "'maybe'" in sv[0]
    assert "questionable" in en[1] and "tveksam" in sv[1]
    clean = analyze(frame.drop(columns=["X_functional", "X_dysfunctional"]))
    assert clean.warnings() == [] and clean.to_dict()["warnings"] == []


def test_situation_result_keeps_its_own_to_dict():
    from kundfokus.contacts.situations import situations

    rows = []
    for i in range(60):
        spec = [
            ("now", "personal", "negative", "bereavement", "phone", "need"),
            ("no_rush", "self_service", "neutral", "moving_house", "email", "question"),
        ][i % 2]
        rows.append(
            dict(
                zip(
                    ("urgency", "treatment", "mood", "tags", "channel", "purpose"),
                    spec,
                    strict=True,
                )
            )
            | {
                "reason": f"r{i % 3}",
                "timestamp": pd.Timestamp("2024-01-01") + pd.Timedelta(days=i),
            }
        )
    res = situations(pd.DataFrame(rows), k=2)
    assert isinstance(res, Result)
    d = _strict_json(res.to_dict())
    assert d == _strict_json(res.to_dict("sv"))
    assert list(d) == ["k", "chosen_by", "silhouette", "period", "scan", "summary", "needs",
                       "reasons", "volumes", "channels", "profiles"]  # fmt: skip
    assert d["k"] == 2 and sum(r["n"] for r in d["summary"]) == 60
    assert set(res.tables()) >= {"scan", "summary", "needs", "reasons", "volumes", "channels"}
    assert res.meta()["k"] == 2


def test_service_results(tmp_path):
    from kundfokus.services.contacts_import import ImportResult, import_contacts
    from kundfokus.services.review import CorrectionResult, RetrainResult, correct, retrain
    from kundfokus.store import db
    from kundfokus.store.testing import temporary_store

    df = pd.DataFrame(
        {
            "id": [f"k{i:03d}" for i in range(len(TRAIN))],
            "customer_id": "c1",
            "timestamp": "2024-04-01",
            "channel": "chat",
            "text": [t for t, _, _ in TRAIN],
            "purpose": [p for _, p, _ in TRAIN],
        }
    )
    with temporary_store("sqlite", tmp_path) as url, db.session_scope(url) as s:
        imported = import_contacts(s, df, source="t.csv", label_columns={"purpose": "purpose"})
        corrected = correct(s, "k000", "purpose", "question", by="anna")
        retrained = retrain(s, "purpose", n_splits=3)
    for res, cls in ((imported, ImportResult), (corrected, CorrectionResult),
                     (retrained, RetrainResult)):  # fmt: skip
        assert isinstance(res, cls) and isinstance(res, Result)
        d = _strict_json(res.to_dict())
        assert d == _strict_json(res.to_dict("sv"))  # nothing in them is text for a reader
    assert imported.to_dict()["n_rows"] == len(TRAIN) == imported.n_labels
    assert corrected.to_dict()["before"] == "problem" and corrected.to_dict()["after"] == "question"
    d = retrained.to_dict()
    assert d["n_train"] == len(TRAIN) and "per_class" not in d["evaluation"]
    assert sorted(d["classes"]) == ["intent", "need", "problem", "question"]
    per_class = retrained.tables().get("per_class")
    assert per_class is None or len(per_class) == 4


def test_demo_result():
    from kundfokus.services.demo import DemoResult, run_demo

    res = run_demo(None, lang="sv")
    assert isinstance(res, DemoResult) and isinstance(res, Result)
    d = _strict_json(res.to_dict("sv"))
    assert d["respondents"] == res.respondents > 0 and d["report"] is None
    assert len(d["kano"]) == len(res.kano.features) and len(d["jtbd"]) == len(res.jtbd)
    assert d["warnings"] == res.warnings("sv")
