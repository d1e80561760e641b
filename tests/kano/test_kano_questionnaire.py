from __future__ import annotations

import csv
import io
import json

import pandas as pd
import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.kano.answers import WORDINGS, answer_code, importance_value
from kundfokus.kano.questionnaire import (
    build_questionnaire,
    load_features,
    parse_features,
    to_csv_template,
    to_dict,
    to_html,
    to_text,
    to_yaml,
)

FEATURES = [
    {"id": "callback", "label_en": "a callback", "label_sv": "återuppringning"},
    {"id": "bankid", "label_en": "BankID login", "label_sv": "BankID-inloggning"},
    {"id": "chat", "label": "chat", "functional_sv": "Om du kan chatta med {label}?"},
]


def test_default_questions_and_wordings_both_languages():
    fs = parse_features(FEATURES)
    en = build_questionnaire(fs, lang="en", wording="classic")
    item = en.items[0]
    assert [q.column for q in item.questions] == [
        "callback_functional",
        "callback_dysfunctional",
        "callback_importance",
    ]
    assert item.questions[0].text == "If the service has a callback, how do you feel?"
    assert item.questions[1].text == "If the service does not have a callback, how do you feel?"
    assert item.questions[0].options == (
        "I like it that way",
        "It must be that way",
        "I am neutral",
        "I can live with it that way",
        "I dislike it that way",
    )
    sv = build_questionnaire(fs, lang="sv", wording="short", importance=False)
    assert (
        sv.items[0].questions[1].text == "Om tjänsten inte har återuppringning, vad tycker du då?"
    )
    assert sv.items[0].questions[0].options == WORDINGS["short"]["sv"]
    assert len(sv.items[0].questions) == 2
    # own text with {label}, language-neutral label as fallback
    assert sv.items[2].questions[0].text == "Om du kan chatta med chat?"
    assert sv.items[2].questions[1].text == "Om tjänsten inte har chat, vad tycker du då?"


def test_importance_scale_and_ends():
    fs = parse_features(FEATURES[:1])
    q9 = build_questionnaire(fs, importance_scale=9)
    opts = q9.items[0].questions[2].options
    assert len(opts) == 9 and opts[0] == "1 Not at all important" and opts[-1].startswith("9 ")
    q5 = build_questionnaire(fs, lang="sv", importance_scale=5)
    opts5 = q5.items[0].questions[2].options
    assert len(opts5) == 5 and opts5[-1] == "5 Extremt viktigt"
    assert [importance_value(o) for o in opts5] == [1.0, 2.0, 3.0, 4.0, 5.0]
    with pytest.raises(ValueError, match="importance scale"):
        build_questionnaire(fs, importance_scale=7)


@pytest.mark.parametrize("wording", ["classic", "short"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_printed_answer_reads_back(wording, lang):
    q = build_questionnaire(parse_features(FEATURES), lang=lang, wording=wording)
    for item in q.items:
        kano_q = [x for x in item.questions if x.kind != "importance"]
        for x in kano_q:
            assert [answer_code(o) for o in x.options] == [1, 2, 3, 4, 5]


def test_shuffle_is_seeded_and_keeps_pairs():
    fs = parse_features([{"id": f"F{i}", "label": f"feature {i}"} for i in range(12)])
    a = build_questionnaire(fs, shuffle=True, seed=7)
    b = build_questionnaire(fs, shuffle=True, seed=7)
    c = build_questionnaire(fs, shuffle=True, seed=8)
    order = [it.feature for it in a.items]
    assert order == [it.feature for it in b.items]
    assert order != [it.feature for it in c.items]
    assert sorted(order) == sorted(f.id for f in fs) and order != [f.id for f in fs]
    assert [it.position for it in a.items] == list(range(1, 13))
    for it in a.items:
        assert [x.kind for x in it.questions] == ["functional", "dysfunctional", "importance"]
    assert a.seed == 7
    assert build_questionnaire(fs, shuffle=True).seed is not None
    assert build_questionnaire(fs).seed is None


def test_csv_template_layout():
    q = build_questionnaire(parse_features(FEATURES), importance=False)
    text = to_csv_template(q, rows=3)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "respondent",
        "callback_functional",
        "callback_dysfunctional",
        "bankid_functional",
        "bankid_dysfunctional",
        "chat_functional",
        "chat_dysfunctional",
    ]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert all(v == "" for r in rows[1:] for v in r[1:])
    assert not text.startswith("#")


def test_html_has_one_block_per_feature_and_boxes():
    q = build_questionnaire(parse_features(FEATURES), lang="sv", wording="classic")
    page = to_html(q)
    assert page.count('<section class="feature"') == 3
    # 2 x 5 answer boxes + 9 importance boxes per feature
    assert page.count('type="checkbox"') == 3 * (10 + 9)
    assert "@media print" in page and "break-inside: avoid" in page
    assert "Jag kan leva med det så" in page and 'lang="sv"' in page
    assert "<script" not in page  # works offline, no JS
    evil = parse_features([{"id": "x", "label": "<b>bold</b>"}])
    assert "<b>bold" not in to_html(build_questionnaire(evil))


def test_json_yaml_and_text():
    q = build_questionnaire(parse_features(FEATURES), wording="short", shuffle=True, seed=3)
    d = to_dict(q)
    assert [o["text"] for o in d["answer_options"]] == list(WORDINGS["short"]["en"])
    assert d["importance_scale"] == {
        "min": 1,
        "max": 9,
        "min_label": "Not at all important",
        "max_label": "Extremely important",
    }
    assert d["shuffle_seed"] == 3
    assert d["columns"] == q.columns
    assert yaml.safe_load(to_yaml(q)) == json.loads(json.dumps(d))
    text = to_text(q)
    assert text.count("[ ] I expect it") == 6
    frame = q.to_frame()
    assert list(frame.columns) == [
        "position",
        "feature",
        "label",
        "kind",
        "column",
        "question",
        "options",
    ]
    assert len(frame) == 9


def test_parse_features_from_frames_and_yaml_shapes(tmp_path):
    pdf = pd.DataFrame(FEATURES[:2])
    assert [f.id for f in parse_features(pdf)] == ["callback", "bankid"]
    assert [f.id for f in parse_features(pl.from_pandas(pdf))] == ["callback", "bankid"]
    assert [f.id for f in parse_features(pl.from_pandas(pdf).lazy())] == ["callback", "bankid"]
    import duckdb

    rel = duckdb.sql("select 'a' as id, 'apple' as label union all select 'b', 'banana'")
    assert [f.id for f in parse_features(rel)] == ["a", "b"]
    nested = {"features": [{"id": "a", "label": {"en": "apple", "sv": "äpple"}}]}
    assert parse_features(nested)[0].text("label", "sv") == "äpple"
    assert parse_features({"a": "apple", "b": {"label_sv": "banan"}})[1].text("label", "sv") == (
        "banan"
    )
    y = tmp_path / "f.yaml"
    y.write_text("- id: a\n  label_en: apple\n  label_sv: äpple\n", encoding="utf-8")
    assert load_features(y)[0].text("label", "en") == "apple"


@pytest.mark.parametrize(
    ("body", "row", "column", "value", "message"),
    [
        ("id,label\nF1,x\n,y\n", 2, "id", "", "no id"),
        ("id,label\nF1,x\nf1,y\n", 2, "id", "f1", "duplicate"),
        ("id,label\nF1,x\nF 2,y\n", 2, "id", "F 2", "letters, digits"),
        ("id,label\nF1,x\nF.2,y\n", 2, "id", "F.2", "letters, digits"),
        ("id,name\nF1,x\n", None, "label", None, "no label column"),
        ("name,label\nx,y\n", None, "id", None, "no 'id' column"),
        ("id,label\nF1,x\nF2,\n", 2, "label", "", "no label"),
        ("id,label_de\nF1,x\n", None, "label_de", None, "unknown language"),
    ],
)
def test_bad_feature_files_name_file_row_column_value(tmp_path, body, row, column, value, message):
    p = tmp_path / "features.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as ei:
        load_features(p)
    err = ei.value
    assert (err.file, err.row, err.column, err.value) == (str(p), row, column, value)


def test_missing_label_in_requested_language():
    fs = parse_features([{"id": "a", "label_en": "apple"}, {"id": "b", "label_en": "pear"}])
    build_questionnaire(fs, lang="en")
    with pytest.raises(InputError, match="no label in Swedish") as ei:
        build_questionnaire(fs, lang="sv")
    assert (ei.value.row, ei.value.column) == (1, "label_sv")


def test_cli_questionnaire_formats(tmp_path):
    feats = tmp_path / "features.csv"
    pd.DataFrame(FEATURES).to_csv(feats, index=False)
    runner = CliRunner()
    out = tmp_path / "q.html"
    res = runner.invoke(
        app,
        [
            "kano",
            "questionnaire",
            str(feats),
            "--lang",
            "sv",
            "--shuffle",
            "--seed",
            "4",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Jag gillar det så" in out.read_text(encoding="utf-8")
    res = runner.invoke(
        app,
        ["kano", "questionnaire", str(feats), "--no-importance", "--format", "csv"],
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0] == (
        "respondent,callback_functional,callback_dysfunctional,bankid_functional,"
        "bankid_dysfunctional,chat_functional,chat_dysfunctional"
    )
    res = runner.invoke(
        app,
        [
            "kano",
            "questionnaire",
            str(feats),
            "--wording",
            "short",
            "--importance-scale",
            "5",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert (
        d["importance_scale"]["max"] == 5 and d["answer_options"][3]["text"] == "I can tolerate it"
    )
    res = runner.invoke(app, ["kano", "questionnaire", str(feats), "--importance-scale", "7"])
    assert res.exit_code != 0
    res = runner.invoke(app, ["kano", "questionnaire", str(feats), "--rows", "3"])
    assert res.exit_code != 0 and "--rows" in res.output
    res = runner.invoke(
        app, ["kano", "questionnaire", str(feats), "--rows", "2", "-o", str(tmp_path / "t.csv")]
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "1" + "," * 9,
        "2" + "," * 9,
    ]


def test_cli_bad_file_is_one_clear_error(tmp_path, capsys):
    import sys

    from kundfokus.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("id,label\nF1,x\nF1,y\n", encoding="utf-8")
    out = tmp_path / "out.html"
    argv = sys.argv
    sys.argv = ["kundfokus", "kano", "questionnaire", str(bad), "-o", str(out)]
    try:
        with pytest.raises(SystemExit) as ei:
            main()
    finally:
        sys.argv = argv
    assert ei.value.code == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "row 2" in err and "'F1'" in err and "duplicate" in err
    assert not out.exists()


@pytest.mark.parametrize(("lang", "wording"), [("en", "classic"), ("sv", "short")])
def test_template_filled_with_printed_answers_round_trips_through_analyze(tmp_path, lang, wording):
    from kundfokus.io import read_table
    from kundfokus.kano import analyze
    from kundfokus.kano.tables import classify

    q = build_questionnaire(parse_features(FEATURES), lang=lang, wording=wording)
    header = next(csv.reader(io.StringIO(to_csv_template(q))))
    # every (functional, dysfunctional) combination once per feature, importance as printed
    pairs = [(f, d) for f in range(1, 6) for d in range(1, 6)]
    rows = []
    for r, (f, d) in enumerate(pairs, start=1):
        row = {"respondent": str(r)}
        for item in q.items:
            fq, dq, iq = item.questions
            row[fq.column] = fq.options[f - 1]
            row[dq.column] = dq.options[d - 1]
            row[iq.column] = iq.options[(r - 1) % len(iq.options)]
        rows.append(row)
    path = tmp_path / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    res = analyze(read_table(path), importance_scale=(1, 9)).features
    assert list(res["feature"]) == ["callback", "bankid", "chat"]
    expected = {c: 0 for c in "AOMIRQ"}
    for f, d in pairs:
        expected[classify(f, d)] += 1
    for c, n in expected.items():
        assert (res[c] == n).all(), c
    assert (res["n"] == 25).all()
    assert res["importance"].tolist() == pytest.approx(
        [sum((r % 9) + 1 for r in range(25)) / 25] * 3
    )
    # and the command line reads the same file
    out = CliRunner().invoke(app, ["kano", "analyze", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert [r["O"] for r in json.loads(out.stdout)] == [expected["O"]] * 3


def test_example_feature_lists_agree(examples_dir):
    from_csv = load_features(examples_dir / "kano_features.csv")
    from_yaml = load_features(examples_dir / "kano_features.yaml")
    assert [f.id for f in from_csv] == [f.id for f in from_yaml]
    assert len(from_csv) == 10
    for a, b in zip(from_csv, from_yaml, strict=True):
        assert a.text("label", "en") == b.text("label", "en")
        assert a.text("label", "sv") == b.text("label", "sv")
    q = build_questionnaire(from_yaml, lang="sv")
    assert (
        q.items[0].questions[1].text == "Om du alltid måste vänta i telefonkön, vad tycker du då?"
    )
    assert (
        q.items[1].questions[0].text == "Om tjänsten har inloggning med BankID, vad tycker du då?"
    )
