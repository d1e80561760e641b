"""`kundfokus recommend` end to end: fit, for (with the log), override, outcome, evaluate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from kundfokus.cli import main

SIT = ["--situation", "need,urgency,mood", "--action", "mode", "--outcome", "resolved"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["kundfokus", *argv]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def history(examples_dir):
    return examples_dir / "recommend_history.csv"


def test_fit_text_and_json(history, tmp_path, capsys):
    model = tmp_path / "m.json"
    code, out, err = run(["recommend", "fit", str(history), *SIT, "--model", str(model)], capsys)
    assert code == 0, err
    assert "History is confounded: these are adjusted estimates, not experiments." in out
    assert "estimated from the situation columns" in out
    assert "Too little overlap" in out or "enough overlap" in out
    assert model.is_file()
    code, out, _ = run(["recommend", "fit", str(history), *SIT, "--model", str(model),
                        "--propensity", "propensity", "--format", "json"], capsys)  # fmt: skip
    d = json.loads(out)
    assert d["propensity_estimated"] is False
    assert set(d["actions"]) == {"callback", "chat", "self_service_guide", "specialist_queue"}
    pol = {(p["need"], p["urgency"], p["mood"]): p["best"] for p in d["policy"]}
    # in the example the specialist queue is best for urgent cases, but worst by raw average
    raw = {m["action"]: m["raw_mean"] for m in d["modes"]}
    assert min(raw, key=raw.get) != "chat"
    assert pol[("card_lost", "urgent", "upset")] == "specialist_queue"
    code, out, _ = run(["recommend", "fit", str(history), *SIT, "--model", str(model),
                        "--lang", "sv"], capsys)  # fmt: skip
    assert "inte experiment" in out and "Bästa tjänst per situation" in out


def test_for_evaluate_override_outcome_and_refit(history, tmp_path, capsys):
    model = tmp_path / "m.json"
    db = tmp_path / "store.db"
    assert run(["recommend", "fit", str(history), *SIT, "--model", str(model),
                "--customer", "customer_id", "--time", "contacted_at"], capsys)[0] == 0  # fmt: skip
    cases = tmp_path / "cases.csv"
    # the customers' earlier contacts (with their mode) come along to derive their history
    pd.read_csv(history).head(40).drop(columns=["resolved", "minutes"]).to_csv(cases, index=False)
    nomode = tmp_path / "nomode.csv"
    pd.read_csv(cases).drop(columns=["mode"]).to_csv(nomode, index=False)
    code, _, err = run(["recommend", "for", str(nomode), "--model", str(model)], capsys)
    assert code == 2 and "earlier behaviour" in err and "'mode'" in err
    out_csv = tmp_path / "rec.csv"
    code, _, err = run(["recommend", "for", str(cases), "--model", str(model), "-o",
                        str(out_csv), "--db", str(db), "--case", "case_id", "--customer",
                        "customer_id", "--explore", "0.2"], capsys)  # fmt: skip
    assert code == 0, err
    assert "logged 40 recommendations" in err
    rec = pd.read_csv(out_csv)
    for c in ("recommended", "expected", "ci_low", "ci_high", "evidence", "propensity", "ranking"):
        assert c in rec.columns
    assert (rec["propensity"] > 0).all()
    first = rec["case_id"].iloc[0]
    other = next(m for m in ("chat", "callback") if m != rec["recommended"].iloc[0])
    code, out, err = run(["recommend", "override", "--db", str(db), "--case", first,
                          "--chosen", other, "--reason", "customer asked"], capsys)  # fmt: skip
    assert code == 0, err and "override" in out
    for i, case in enumerate(rec["case_id"]):
        assert run(["recommend", "outcome", "--db", str(db), "--case", case, "--value",
                    str(i % 2)], capsys)[0] == 0  # fmt: skip
    code, out, err = run(["recommend", "fit", str(history), *SIT, "--model", str(model),
                          "--db", str(db), "--format", "json"], capsys)  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["n"] == 2400 + 40
    code, out, err = run(["recommend", "evaluate", str(history), "--model", str(model),
                          "--format", "json"], capsys)  # fmt: skip
    assert code == 0, err
    d = json.loads(out)
    for k in ("logged_value", "ips", "snips", "dr", "dr_ci_low", "dr_ci_high", "ess"):
        assert isinstance(d[k], float)
    assert d["propensity_source"] == "estimated"
    assert "estimated from the situation columns" in d["propensity_note"]
    assert d["dr_ci_low"] <= d["dr"] <= d["dr_ci_high"]
    code, out, _ = run(["recommend", "evaluate", str(history), "--model", str(model),
                        "--propensity", "propensity", "--lang", "sv"], capsys)  # fmt: skip
    assert code == 0 and "Effektiv urvalsstorlek" in out and "dubbelt robust" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--outcome", "nope"], "'nope'"),
        (["--outcome", "need"], "different columns"),
        (["--outcome", "mood", "--situation", "need"], "'mood'"),
        (["--propensity", "minutes"], "'minutes'"),
    ],
)
def test_bad_input_exits_2_with_one_line(history, tmp_path, capsys, args, needle):
    opts = {"--situation": "need,urgency,mood", "--action": "mode", "--outcome": "resolved"}
    opts.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for kv in opts.items() for x in kv]
    code, _, err = run(
        ["recommend", "fit", str(history), *flat, "--model", str(tmp_path / "m.json")], capsys
    )
    assert code == 2
    assert needle in err and "recommend_history.csv" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2


def test_bad_model_file_and_unknown_case(history, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    code, _, err = run(["recommend", "evaluate", str(history), "--model", str(bad)], capsys)
    assert code == 2 and "not a kundfokus recommender model file" in err
    db = tmp_path / "s.db"
    code, _, err = run(["recommend", "outcome", "--db", str(db), "--case", "X", "--value",
                        "1"], capsys)  # fmt: skip
    assert code == 2 and "no kundfokus store" in err


def test_recommend_for_keeps_the_inputs_own_propensity_column(tmp_path):
    """A history file already has `propensity` (how the logged mode was chosen): the output keeps
    it as `input_propensity` beside the recommender's own `propensity`."""
    import csv

    from typer.testing import CliRunner

    from kundfokus.cli import app as root

    model = tmp_path / "m.json"
    hist = Path(__file__).resolve().parents[2] / "examples" / "recommend_history.csv"
    fit = CliRunner().invoke(root, ["recommend", "fit", str(hist), "--situation", "need,urgency",
                                    "--action", "mode", "--outcome", "resolved",
                                    "--model", str(model)])  # fmt: skip
    assert fit.exit_code == 0, fit.output
    out = tmp_path / "recs.csv"
    res = CliRunner().invoke(root, ["recommend", "for", str(hist), "--model", str(model),
                                    "-o", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(hist, encoding="utf-8") as fh:
        src = list(csv.DictReader(fh))
    assert [r["input_propensity"] for r in rows] == [r["propensity"] for r in src]
    assert all(0 < float(r["propensity"]) <= 1 for r in rows)
