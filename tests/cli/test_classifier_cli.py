"""`kundfokus contacts train | classify | evaluate` end to end, including the JSON contract."""

from __future__ import annotations

import json
import sys

import polars as pl
import pytest

from classifier_data import SWEDISH_TEST, TRAIN
from kundfokus.cli import main


def run(argv, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["kundfokus", *argv])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    rows = [
        {"id": i, "text": t, "purpose": p, "lang": lang} for i, (t, p, lang) in enumerate(TRAIN)
    ]
    # a few out-of-scope contacts so the model learns where "other" begins
    for j, t in enumerate(
        [
            "Vad blir det för väder i helgen?",
            "Who won the football match yesterday?",
            "Har ni något recept på kanelbullar?",
            "Recommend a good film to watch",
            "Vilken tid går tåget till Göteborg?",
            "What is the capital of Australia?",
        ]
    ):
        rows.append({"id": 100 + j, "text": t, "purpose": "other", "lang": "x"})
    train = d / "train.csv"
    pl.DataFrame(rows).write_csv(train)
    test = d / "test.csv"
    pl.DataFrame(
        [{"id": i, "text": t, "purpose": p} for i, (t, p) in enumerate(SWEDISH_TEST)]
    ).write_csv(test)
    return d, train, test


def test_train_classify_evaluate(files, capsys, monkeypatch):
    d, train, test = files
    model = d / "purpose.kfmodel"
    code, out, err = run(
        [
            "contacts",
            "train",
            str(train),
            "--text-col",
            "text",
            "--label-col",
            "purpose",
            "--axis",
            "purpose_type",
            "--model",
            str(model),
            "--format",
            "json",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    summary = json.loads(out)
    assert summary["training_size"] == len(TRAIN) + 6
    assert set(summary["classes"]) == {"intent", "need", "problem", "question", "other"}
    assert 0 <= summary["cv_accuracy"] <= 1
    assert model.exists()

    # text summary prints size, classes and a cross-validated accuracy
    code, out, _ = run(
        [
            "contacts",
            "train",
            str(train),
            "--label-col",
            "purpose",
            "--model",
            str(d / "m2.kfmodel"),
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0 and "training contacts: 70" in out and "cross-validated accuracy" in out

    # classify CSV -> CSV keeps the rows and adds the two columns
    out_csv = d / "pred.csv"
    code, _, err = run(
        ["contacts", "classify", str(test), "--model", str(model), "-o", str(out_csv)],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    pred = pl.read_csv(out_csv)
    assert pred.columns == ["id", "text", "purpose", "purpose_type", "purpose_type_confidence"]
    assert pred["purpose_type"].to_list() == [p for _, p in SWEDISH_TEST]
    assert pred["purpose_type_confidence"].is_between(0, 1).all()

    # JSON lines in -> JSON lines out; Parquet in -> Parquet out
    jl = d / "test.jsonl"
    pl.read_csv(test).write_ndjson(jl)
    code, _, _ = run(
        ["contacts", "classify", str(jl), "--model", str(model), "-o", str(d / "pred.jsonl")],
        capsys,
        monkeypatch,
    )
    assert code == 0
    assert pl.read_ndjson(d / "pred.jsonl").height == len(SWEDISH_TEST)
    pq = d / "test.parquet"
    pl.read_csv(test).write_parquet(pq)
    code, _, _ = run(
        ["contacts", "classify", str(pq), "--model", str(model), "-o", str(d / "pred.parquet")],
        capsys,
        monkeypatch,
    )
    assert code == 0
    assert "purpose_type_confidence" in pl.read_parquet(d / "pred.parquet").columns

    # evaluate --format json: the contract
    code, out, err = run(
        [
            "contacts",
            "evaluate",
            str(train),
            "--model",
            str(model),
            "--text-col",
            "text",
            "--label-col",
            "purpose",
            "--format",
            "json",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    ev = json.loads(out)
    for key in ("accuracy", "macro_f1", "n", "ece", "oos_recall", "oos_precision", "per_class"):
        assert key in ev
    assert ev["n"] == 70
    assert 0.9 <= ev["accuracy"] <= 1.0  # training data
    assert ev["oos_recall"] is not None
    labels = {r["label"] for r in ev["per_class"]}
    assert {"intent", "need", "problem", "question", "other"} <= labels
    assert {"precision", "recall", "f1", "support"} <= set(ev["per_class"][0])

    code, out, _ = run(
        ["contacts", "evaluate", str(test), "--model", str(model), "--label-col", "purpose"],
        capsys,
        monkeypatch,
    )
    assert code == 0 and "accuracy: 1.0000" in out


def test_bad_input_exit_2_and_names_place(files, capsys, monkeypatch, tmp_path):
    d, train, test = files
    model = d / "bad.kfmodel"
    # unknown file
    code, _, err = run(
        [
            "contacts",
            "train",
            str(tmp_path / "nope.csv"),
            "--label-col",
            "purpose",
            "--model",
            str(model),
        ],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "nope.csv" in err and "no such file" in err
    # missing column
    code, _, err = run(
        ["contacts", "train", str(train), "--label-col", "reason", "--model", str(model)],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "column 'reason'" in err and "train.csv" in err
    # empty text on data row 3
    bad = tmp_path / "bad.csv"
    bad.write_text("text,purpose\nhej,question\ncard lost,problem\n,problem\n", encoding="utf-8")
    code, _, err = run(
        ["contacts", "train", str(bad), "--label-col", "purpose", "--model", str(model)],
        capsys,
        monkeypatch,
    )
    assert code == 2
    assert "bad.csv" in err and "row 3" in err and "column 'text'" in err
    assert not model.exists()
    # classify with an empty text: error, and no output file
    m = d / "ok.kfmodel"
    run(
        ["contacts", "train", str(train), "--label-col", "purpose", "--model", str(m)],
        capsys,
        monkeypatch,
    )
    bad2 = tmp_path / "bad2.csv"
    bad2.write_text("text\nhej\n   \n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = run(
        ["contacts", "classify", str(bad2), "--model", str(m), "-o", str(out)], capsys, monkeypatch
    )
    assert code == 2 and "row 2" in err and "bad2.csv" in err
    assert not out.exists()
    # a file that is not a model
    code, _, err = run(
        ["contacts", "classify", str(test), "--model", str(train), "-o", str(out)],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "not a kundfokus model" in err


def test_classify_redact(files, capsys, monkeypatch, tmp_path):
    d, train, _ = files
    m = d / "r.kfmodel"
    run(
        ["contacts", "train", str(train), "--label-col", "purpose", "--model", str(m)],
        capsys,
        monkeypatch,
    )
    src = tmp_path / "in.csv"
    pl.DataFrame({"text": ["Mitt kort fungerar inte, ring mig på 070-123 45 67"]}).write_csv(src)
    out = tmp_path / "out.csv"
    code, _, err = run(
        ["contacts", "classify", str(src), "--model", str(m), "-o", str(out), "--redact"],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    got = pl.read_csv(out)
    assert "070-123 45 67" not in got["text"][0]
    assert got["purpose"][0] == "problem"  # axis defaults to the label column's name
