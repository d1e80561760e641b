"""Kano analysis: published figures, evaluation tables, rules, continuous scores, groups."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kundfokus.errors import InputError
from kundfokus.kano import (
    CATEGORIES,
    POULIOT_TABLE,
    RECOGNISED,
    STANDARD_TABLE,
    WORDINGS,
    analyze,
    analyze_counts,
    answer_code,
    classify,
    importance_value,
    labels_from_frame,
    priorities,
)
from kundfokus.kano.analysis import FEATURE_COLUMNS

# --------------------------------------------------------------------------------------------
# REFERENCES.md: stp25kano README, n = 296 per row

STP25 = pd.DataFrame(
    {
        "feature": [
            "Service app",
            "Excellent service",
            "Hotline",
            "Loan machine",
            "Ready-to-use return",
        ],
        "M": [95, 101, 15, 65, 9],
        "O": [123, 54, 24, 87, 18],
        "A": [45, 54, 121, 93, 83],
        "I": [33, 81, 124, 51, 177],
        "R": [0, 3, 6, 0, 6],
        "Q": [0, 3, 6, 0, 3],
    }
)

# feature: mode, M>O>A>I, Better, Worse, cat. strength %, total strength %, Fong significant,
# Fong difference, Fong critical value (as printed: "28 vs 19.4")
STP25_EXPECTED = {
    "Service app": ("O", "O", 0.568, -0.736, 9, 89, True, 28, 19.4),
    "Excellent service": ("M", "M", 0.372, -0.534, 7, 71, True, 20, 18.5),
    "Hotline": ("I", "A", 0.511, -0.137, 1, 54, False, 3, 19.8),
    "Loan machine": ("A", "O", 0.608, -0.514, 2, 83, False, 6, 18.5),
    "Ready-to-use return": ("I", "I", 0.352, -0.094, 32, 37, True, 94, 19.9),
}


@pytest.mark.parametrize("feature", list(STP25_EXPECTED))
def test_stp25kano_reference_table(feature: str) -> None:
    res = analyze_counts(STP25, rule="moai").features.set_index("feature")
    row = res.loc[feature]
    mode, moai, better, worse, cs, ts, sig, diff, crit = STP25_EXPECTED[feature]
    assert row["n"] == 296
    assert row["category_mode"] == mode
    assert row["category_moai"] == moai
    assert row["better"] == pytest.approx(better, abs=5e-4)
    assert row["worse"] == pytest.approx(worse, abs=5e-4)
    assert round(row["category_strength"] * 100) == cs
    assert round(row["total_strength"] * 100) == ts
    assert bool(row["fong_significant"]) is sig
    assert row["fong_difference"] == diff
    assert round(row["fong_critical"], 1) == crit
    # the chosen rule (moai) gives `category`, mixed when Fong finds no significant lead
    assert row["category"] == (moai if sig else f"{moai}/{mode}")


def test_stp25kano_mode_rule_labels() -> None:
    res = analyze_counts(STP25).features.set_index("feature")
    assert res["category"].to_dict() == {
        "Service app": "O",
        "Excellent service": "M",
        "Hotline": "I/A",
        "Loan machine": "A/O",
        "Ready-to-use return": "I",
    }
    assert set(res["rule"]) == {"mode"}


def test_small_tally_proofofthepudding() -> None:
    tally = pd.DataFrame(
        {
            "Feature": ["F1", "F2"],
            "m": [9, 9],
            "o": [10, 5],
            "a": [1, 4],
            "i": [2, 2],
            "r": [3, 4],
            "q": [0, 1],
        }
    )
    res = analyze_counts(tally).features.set_index("feature")
    assert res.loc["F1", "category_mode"] == "O"
    assert res.loc["F2", "category_mode"] == "M"
    assert res.loc["F1", "n"] == 25 and res.loc["F2", "n"] == 25
    assert res["table"].isna().all()  # a tally has no evaluation table


# --------------------------------------------------------------------------------------------
# evaluation tables, cell by cell from REFERENCES.md

STANDARD_EXPECTED = [
    # dysfunctional: like, must-be, neutral, live-with, dislike
    ["Q", "A", "A", "A", "O"],  # functional like
    ["R", "I", "I", "I", "M"],  # must-be
    ["R", "I", "I", "I", "M"],  # neutral
    ["R", "I", "I", "I", "M"],  # live-with
    ["R", "R", "R", "R", "Q"],  # dislike
]
POULIOT_EXPECTED = [
    ["Q", "A", "A", "A", "O"],
    ["R", "Q", "I", "I", "M"],
    ["R", "I", "I", "I", "M"],
    ["R", "I", "I", "Q", "M"],
    ["R", "R", "R", "R", "Q"],
]


@pytest.mark.parametrize("f", range(1, 6))
@pytest.mark.parametrize("d", range(1, 6))
def test_evaluation_tables_cell_by_cell(f: int, d: int) -> None:
    assert STANDARD_TABLE[f - 1][d - 1] == STANDARD_EXPECTED[f - 1][d - 1]
    assert POULIOT_TABLE[f - 1][d - 1] == POULIOT_EXPECTED[f - 1][d - 1]
    assert classify(f, d) == STANDARD_EXPECTED[f - 1][d - 1]
    assert classify(f, d, table="pouliot") == POULIOT_EXPECTED[f - 1][d - 1]
    # and through the whole analysis, from raw answers
    frame = pd.DataFrame({"X_functional": [f], "X_dysfunctional": [d]})
    for table, expected in (("standard", STANDARD_EXPECTED), ("pouliot", POULIOT_EXPECTED)):
        row = analyze(frame, table=table).features.iloc[0]
        cat = expected[f - 1][d - 1]
        assert row[cat] == 1 and row["n"] == 1
        assert row["category_mode"] == cat


def test_pouliot_differs_only_in_two_cells() -> None:
    diff = [
        (f, d) for f in range(5) for d in range(5) if STANDARD_TABLE[f][d] != POULIOT_TABLE[f][d]
    ]
    assert diff == [(1, 1), (3, 3)]


# --------------------------------------------------------------------------------------------
# answers


def _variants(text: str) -> list[str]:
    return [
        text,
        text.upper(),
        f"  {text.lower()}  ",
        text.replace(" ", "   "),
        text.replace("'", "\u2019"),
        text + ".",
    ]


@pytest.mark.parametrize("name", list(WORDINGS))
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_printed_wording_is_read(name: str, lang: str) -> None:
    texts = WORDINGS[name][lang]
    assert len(texts) == 5
    for code, text in enumerate(texts, start=1):
        for v in _variants(text):
            assert answer_code(v) == code, v


@pytest.mark.parametrize("name", list(RECOGNISED))
def test_every_recognised_wording_is_read(name: str) -> None:
    for code, text in enumerate(RECOGNISED[name], start=1):
        for v in _variants(text):
            assert answer_code(v) == code, v


def test_required_wordings() -> None:
    assert WORDINGS["classic"]["en"] == (
        "I like it that way",
        "It must be that way",
        "I am neutral",
        "I can live with it that way",
        "I dislike it that way",
    )
    cases = {
        "I must be that way": 2,
        "I\u2019m neutral": 3,
        "I'm neutral": 3,
        "It is a basic necessity or I expect it that way": 2,
        "I dislike it, but I can live with it that way": 4,
        "I dislike it, and I can\u2019t accept it": 5,
        "This would be very helpful to me": 1,
        "This is a basic requirement for me": 2,
        "This would not affect me": 3,
        "This would be a minor inconvenience": 4,
        "This would be a major problem for me": 5,
        "Jag gillar det så": 1,
        "Det måste vara så": 2,
        "Jag är neutral": 3,
        "Jag kan leva med det så": 4,
        "Jag ogillar det så": 5,
        "Jag förväntar mig det": 2,
        "Jag kan tolerera det": 4,
        "JAG OGILLAR DET": 5,
        "1": 1,
        "5.0": 5,
        3: 3,
        2.0: 2,
        "4 - I can tolerate it": 4,
    }
    for text, code in cases.items():
        assert answer_code(text) == code, text
    for empty in (None, "", "   ", float("nan"), pd.NA):
        assert answer_code(empty) is None


@pytest.mark.parametrize("junk", ["6", "0", "maybe", "I like", "2.5", 7, True, "1 - I dislike it"])
def test_unreadable_answers(junk: object) -> None:
    with pytest.raises(ValueError):
        answer_code(junk)


def test_importance_values() -> None:
    assert importance_value("3 - Somewhat important") == 3.0
    assert importance_value("9 - Extremely important") == 9.0
    assert importance_value(" 7 ") == 7.0
    assert importance_value("4,5") == 4.5
    assert importance_value(None) is None
    with pytest.raises(ValueError):
        importance_value("very")


# --------------------------------------------------------------------------------------------
# raw answers: wide, long, traps of real data


def _hotline_frame() -> pd.DataFrame:
    # dysfunctional column first, as in the kano-reppl data; ids; mixed wordings
    return pd.DataFrame(
        {
            "ID": ["r1", "r2", "r3", "r4", "r5"],
            "F1_dysfunctional": [
                "I dislike it that way",
                "I dislike it",
                "I\u2019m neutral",
                "I am neutral",
                "",
            ],
            "F1_functional": [
                "I like it that way",
                "I must be that way",
                "I like it",
                "I can live with it that way",
                "I like it",
            ],
            "F1_importance": ["9 - Extremely important", "6", "3 - Somewhat important", "9", ""],
            "F2_functional": ["1", "2", "3", "4", "5"],
            "F2_dysfunctional": ["5", "5", "5", "5", "1"],
        }
    )


def test_wide_dysfunctional_first_and_missing() -> None:
    res = analyze(_hotline_frame()).features.set_index("feature")
    f1 = res.loc["F1"]
    # pairs: (1,5) O, (2,5) M, (1,3) A, (4,3) I; respondent 5 skipped the dysfunctional question
    assert (f1["n"], f1["O"], f1["M"], f1["A"], f1["I"], f1["R"], f1["Q"]) == (4, 1, 1, 1, 1, 0, 0)
    f2 = res.loc["F2"]
    assert (f2["n"], f2["O"], f2["M"], f2["R"]) == (5, 1, 3, 1)
    assert list(res.index) == ["F1", "F2"]


def test_output_columns_and_types() -> None:
    res = analyze(_hotline_frame()).features
    assert list(res.columns) == list(FEATURE_COLUMNS)
    for c in ("n", *CATEGORIES, "importance_n"):
        assert res[c].dtype == "int64"
    for c in CATEGORIES:
        assert ((res[f"share_{c}"] >= 0) & (res[f"share_{c}"] <= 1)).all()
    assert (res["worse"] <= 0).all()
    # F2 has no importance column: null importance, zero n
    f2 = res.set_index("feature").loc["F2"]
    assert f2["importance"] is pd.NA and f2["importance_n"] == 0


def test_continuous_scores_hand_checked() -> None:
    frame = pd.DataFrame(
        {
            "X_functional": [1, 2, 1, 3],
            "X_dysfunctional": [5, 5, 3, 3],
            "X_importance": [9, 6, 3, 9],
        }
    )
    row = analyze(frame, importance_scale=(1, 9)).features.iloc[0]
    # DuMouchel: functional scores 4, 2, 4, 0; dysfunctional 4, 4, 0, 0
    assert row["dumouchel_functional"] == pytest.approx(2.5)
    assert row["dumouchel_functional_se"] == pytest.approx(math.sqrt((11 / 3) / 4))
    assert row["dumouchel_dysfunctional"] == pytest.approx(2.0)
    assert row["dumouchel_dysfunctional_se"] == pytest.approx(math.sqrt((16 / 3) / 4))
    # A-Kano, weighted by importance / 9: weights 1, 2/3, 1/3, 1
    # functional 1, .5, 1, 0 -> 1, 1/3, 1/3, 0; dysfunctional 1, 1, 0, 0 -> 1, 2/3, 0, 0
    wf = np.array([1, 1 / 3, 1 / 3, 0])
    wd = np.array([1, 2 / 3, 0, 0])
    assert row["akano_functional"] == pytest.approx(5 / 12)
    assert row["akano_functional_se"] == pytest.approx(wf.std(ddof=1) / 2)
    assert row["akano_dysfunctional"] == pytest.approx(5 / 12)
    assert row["akano_dysfunctional_se"] == pytest.approx(wd.std(ddof=1) / 2)
    assert row["importance"] == pytest.approx(6.75)
    assert row["importance_se"] == pytest.approx(math.sqrt(8.25) / 2)
    assert row["importance_n"] == 4
    # without importance: unweighted A-Kano
    row = analyze(frame.drop(columns="X_importance")).features.iloc[0]
    assert row["akano_functional"] == pytest.approx(0.625)
    assert row["akano_functional_se"] == pytest.approx(math.sqrt(0.6875 / 3 / 4))
    assert row["akano_dysfunctional"] == pytest.approx(0.5)
    assert row["akano_dysfunctional_se"] == pytest.approx(math.sqrt(1 / 12))
    assert row["importance"] is pd.NA


def test_importance_scale_out_of_range_is_an_error() -> None:
    frame = pd.DataFrame(
        {"X_functional": [1, 2], "X_dysfunctional": [5, 5], "X_importance": [9, 12]}
    )
    with pytest.raises(InputError) as e:
        analyze(frame, importance_scale=(1, 9))
    assert (e.value.row, e.value.column, e.value.value) == (2, "X_importance", "12")
    assert "outside the scale 1-9" in str(e.value)


def test_better_worse_undefined_when_only_r_and_q() -> None:
    frame = pd.DataFrame({"X_functional": [5, 1], "X_dysfunctional": [1, 1]})  # R, Q
    row = analyze(frame).features.iloc[0]
    assert row["better"] is pd.NA and row["worse"] is pd.NA
    assert row["n"] == 2


def test_feature_without_answers_has_nulls() -> None:
    frame = pd.DataFrame(
        {
            "X_functional": [1, 2],
            "X_dysfunctional": [5, 5],
            "Y_functional": [None, None],
            "Y_dysfunctional": ["1", None],
        }
    )
    res = analyze(frame).features.set_index("feature")
    assert res.loc["Y", "n"] == 0
    assert res.loc["Y", "category"] is None
    assert res.loc["Y", "better"] is pd.NA
    assert res.loc["Y", "fong_significant"] is pd.NA


def test_long_and_wide_agree() -> None:
    wide = _hotline_frame()
    rows = []
    for rec in wide.to_dict(orient="records"):
        for f in ("F1", "F2"):
            rows.append(
                {
                    "Respondent": rec["ID"],
                    "Feature": f,
                    "Functional": rec[f"{f}_functional"],
                    "Dysfunctional": rec[f"{f}_dysfunctional"],
                    "importance": rec.get(f"{f}_importance", ""),
                }
            )
    long = pd.DataFrame(rows)
    a = analyze(wide).features
    b = analyze(long).features
    cols = [c for c in FEATURE_COLUMNS if not c.startswith("importance") and c != "akano_n"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    # importance: F2 has none in the wide frame, empty strings in the long one
    assert a["importance"].iloc[0] == b["importance"].iloc[0]


def test_rules_and_ties() -> None:
    # A and O tie: mode prefers O (M > O > A > I > R > Q), not significant -> mixed label
    tally = pd.DataFrame(
        {"feature": ["x"], "A": [10], "O": [10], "M": [0], "I": [0], "R": [0], "Q": [0]}
    )
    row = analyze_counts(tally).features.iloc[0]
    assert row["category_mode"] == "O" and row["category"] == "O/A"
    # oam: O+A+M = 12 vs I+R+Q = 13 -> largest of I, R, Q
    tally = pd.DataFrame(
        {"feature": ["x"], "A": [4], "O": [4], "M": [4], "I": [5], "R": [4], "Q": [4]}
    )
    row = analyze_counts(tally, rule="oam").features.iloc[0]
    assert row["category_oam"] == "I"
    tally.loc[0, "M"] = 8  # 16 vs 13: largest of O, A, M
    row = analyze_counts(tally, rule="oam").features.iloc[0]
    assert row["category_oam"] == "M" and row["category_mode"] == "M"


def test_moai_threshold_parameter() -> None:
    tally = pd.DataFrame(
        {"feature": ["x"], "A": [45], "O": [55], "M": [0], "I": [0], "R": [0], "Q": [0]}
    )
    # strength 10 points: above 6 -> mode, below 15 -> hierarchy
    assert analyze_counts(tally, rule="moai").features.iloc[0]["category_moai"] == "O"
    tally.loc[0, ["A", "O"]] = [52, 48]
    assert analyze_counts(tally, rule="moai").features.iloc[0]["category_moai"] == "O"
    assert (
        analyze_counts(tally, rule="moai", strength_threshold=0.02).features.iloc[0][
            "category_moai"
        ]
        == "A"
    )


def test_labels_from_features_table() -> None:
    labels = labels_from_frame(
        pd.DataFrame({"ID": ["F1_", "F2_"], "Label": ["Hotline", "App"], "Category": ["x", "y"]})
    )
    res = analyze(_hotline_frame(), labels=labels).features
    assert res["label"].tolist() == ["Hotline", "App"]


def test_features_parameter() -> None:
    res = analyze(_hotline_frame(), features=["F2"]).features
    assert res["feature"].tolist() == ["F2"]
    with pytest.raises(InputError) as e:
        analyze(_hotline_frame(), features=["F9"])
    assert e.value.column == "F9_functional"


# --------------------------------------------------------------------------------------------
# invalid answers, exclusion


def test_invalid_answer_names_row_column_value() -> None:
    frame = _hotline_frame()
    frame.loc[3, "F2_dysfunctional"] = "maybe"
    with pytest.raises(InputError) as e:
        analyze(frame)
    assert (e.value.row, e.value.column, e.value.value) == (4, "F2_dysfunctional", "maybe")


def test_invalid_as_missing_is_reported() -> None:
    frame = _hotline_frame()
    frame.loc[3, "F2_dysfunctional"] = "maybe"
    frame.loc[4, "F2_dysfunctional"] = "maybe"
    frame.loc[0, "F1_functional"] = "kanske"
    res = analyze(frame, on_invalid="missing")
    inv = res.invalid.set_index("column")
    assert inv.loc["F2_dysfunctional", "count"] == 2
    assert inv.loc["F2_dysfunctional", "examples"] == ["maybe"]
    assert inv.loc["F1_functional", "count"] == 1
    f = res.features.set_index("feature")
    assert f.loc["F2", "n"] == 3 and f.loc["F1", "n"] == 3


def test_exclude_mostly_questionable() -> None:
    frame = pd.DataFrame(
        {
            "respondent": ["a", "b", "c", "d"],
            "X_functional": [1, 1, 1, 1],
            "X_dysfunctional": [1, 5, 1, 5],  # Q, O, Q, O
            "Y_functional": [5, 2, 1, 2],
            "Y_dysfunctional": [5, 5, 5, 5],  # Q, M, O, M
        }
    )
    res = analyze(frame, exclude="Q")
    assert res.removed["respondent"].tolist() == ["a"]  # 2 of 2 are Q; c has 1 of 2 (not > 0.5)
    assert res.removed["share"].tolist() == [1.0]
    f = res.features.set_index("feature")
    assert f.loc["X", "n"] == 3 and f.loc["X", "Q"] == 1
    # no id column: the row number identifies the respondent
    res = analyze(frame.drop(columns="respondent"), exclude="Q")
    assert res.removed["respondent"].tolist() == [1]
    # long format needs the respondent column
    long = pd.DataFrame(
        {
            "respondent": ["a", "a", "b", "b"],
            "feature": ["X", "Y", "X", "Y"],
            "functional": [1, 5, 1, 2],
            "dysfunctional": [1, 5, 5, 5],
        }
    )
    res = analyze(long, exclude="Q")
    assert res.removed["respondent"].tolist() == ["a"]
    assert res.features.set_index("feature")["n"].to_dict() == {"X": 1, "Y": 1}


# --------------------------------------------------------------------------------------------
# groups


def _segments(b_o: int, b_m: int) -> pd.DataFrame:
    seg = ["a"] * 50 + ["b"] * 50
    func = [1] * 40 + [2] * 10 + [1] * b_o + [2] * b_m
    dys = [5] * 100
    return pd.DataFrame({"segment": seg, "X_functional": func, "X_dysfunctional": dys})


def test_by_category_changes() -> None:
    res = analyze(_segments(10, 40), by="segment")
    f = res.features
    assert f["segment"].tolist() == ["a", "b"]
    assert f["category"].tolist() == ["O", "M"]
    gt = res.group_tests.iloc[0]
    assert gt["test"] == "chi-square"
    assert gt["statistic"] == pytest.approx(36.0)  # 2x2 with 40/10 vs 10/40, expected 25
    assert gt["p_value"] < 1e-6
    assert bool(gt["changed"]) and res.changed_features == ["X"]


def test_by_category_does_not_change() -> None:
    res = analyze(_segments(40, 10), by="segment")
    gt = res.group_tests.iloc[0]
    assert gt["p_value"] == pytest.approx(1.0)
    assert not gt["category_differs"] and not gt["changed"]
    assert res.changed_features == []


def test_by_small_counts_uses_exact_or_monte_carlo() -> None:
    frame = pd.DataFrame(
        {
            "g": ["a"] * 6 + ["b"] * 6,
            "X_functional": [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 1],
            "X_dysfunctional": [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 3],
        }
    )
    gt = analyze(frame, by="g").group_tests.iloc[0]
    assert gt["test"] == "monte-carlo chi-square"
    assert "Monte Carlo" in gt["note"]
    assert 0 < gt["p_value"] <= 1
    # deterministic with the seed
    again = analyze(frame, by="g").group_tests.iloc[0]
    assert again["p_value"] == gt["p_value"]
    two = frame[frame["X_dysfunctional"] == 5].copy()
    gt2 = analyze(two, by="g").group_tests.iloc[0]
    assert gt2["test"] == "fisher"


# --------------------------------------------------------------------------------------------
# priorities


def test_priorities_order_and_sentences() -> None:
    pri = priorities(analyze_counts(STP25).features, lang="sv")
    assert pri["feature"].tolist() == [
        "Excellent service",
        "Service app",
        "Loan machine",
        "Hotline",
        "Ready-to-use return",
    ]
    assert pri["rank"].tolist() == [1, 2, 3, 4, 5]
    first = pri.iloc[0]
    assert first["sentence_en"].startswith("Keep 'Excellent service' working")
    assert "53%" in first["sentence_en"]
    assert first["sentence"] == first["sentence_sv"]
    assert "53 %" in first["sentence_sv"]
    # Hotline is I/A: the sentence says the category is uncertain
    hot = pri.set_index("feature").loc["Hotline"]
    assert "uncertain" in hot["sentence_en"] and "osäker" in hot["sentence_sv"]
    # n = 296 >= 200: no small-sample warning
    assert "Chapman" not in first["sentence_en"]


def test_priorities_small_n_and_within_class_order() -> None:
    tally = pd.DataFrame(
        {
            "feature": ["a", "b", "c", "d"],
            "A": [0, 0, 30, 40],
            "O": [0, 0, 0, 0],
            "M": [30, 40, 0, 0],
            "I": [10, 5, 5, 5],
            "R": [0, 0, 0, 0],
            "Q": [0, 0, 0, 0],
        }
    )
    res = analyze_counts(tally)
    pri = res.priorities("en")
    assert pri["feature"].tolist() == ["b", "a", "d", "c"]
    assert all("n = " in s and "Chapman 2022" in s for s in pri["sentence_en"])


def test_long_format_errors_name_the_long_row() -> None:
    long = pd.DataFrame(
        {
            "respondent": ["a", "a", "b", "b"],
            "feature": ["X", "Y", "X", None],
            "functional": ["I like it", "I like it", "I like it", "I like it"],
            "dysfunctional": ["I dislike it", "I dislike it", "what?", "I dislike it"],
        }
    )
    with pytest.raises(InputError) as e:
        analyze(long)
    assert (e.value.row, e.value.column, e.value.value) == (3, "dysfunctional", "what?")
    long.loc[2, "dysfunctional"] = "I dislike it"
    with pytest.raises(InputError) as e:
        analyze(long)
    assert (e.value.row, e.value.column) == (4, "feature")
    assert "empty feature" in e.value.message


def test_exclude_threshold_parameter() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "X_functional": [1, 1],
            "X_dysfunctional": [1, 5],  # Q, O
            "Y_functional": [1, 1],
            "Y_dysfunctional": [5, 5],  # O, O
        }
    )
    assert analyze(frame, exclude="Q").removed.empty  # 1 of 2 is not more than half
    removed = analyze(frame, exclude="Q", exclude_threshold=0.4).removed
    assert removed["respondent"].tolist() == [1]
    assert (removed["answered"].tolist(), removed["flagged"].tolist()) == ([2], [1])
