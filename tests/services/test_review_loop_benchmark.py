"""benchmarks/review_loop.py on a tiny BANKING77 slice: it runs, and its output has the promised
shape (a row per strategy and round, accuracies in [0, 1], the corrections really counted)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "review_loop.py"
STRATEGIES = ("queue", "random", "uncertainty")


def test_review_loop_benchmark_tiny_slice(tmp_path):
    sample = pd.read_csv(ROOT / "tests" / "data" / "banking77_sample.csv")
    data = tmp_path / "banking77"
    data.mkdir()
    for split in ("train", "test"):
        part = sample[sample["split"] == split][["text", "category"]]
        part.to_csv(data / f"{split}.csv", index=False)
    out = tmp_path / "loop.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--data", str(data), "--intents", "5", "--max", "60",
         "--step", "20", "--start", "3", "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]

    # the printed report: the table with every strategy, the comparison and the time
    text = proc.stdout
    assert "Accuracy on the BANKING77 test split" in text
    header = next(line for line in text.splitlines() if line.startswith("strategy"))
    assert header.split()[1:] == list(STRATEGIES)
    assert "random order at 60 corrections" in text
    for strategy in ("queue", "uncertainty"):
        assert any(line.startswith(f"{strategy}: ") for line in text.splitlines())
    assert "elapsed" in text

    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["n_intents"] == 5
    assert res["n_train"] == 100 and res["n_test"] == 50
    rows = pd.DataFrame(res["rows"])
    assert set(rows["strategy"]) == set(STRATEGIES)
    for strategy in STRATEGIES:
        mine = rows[rows["strategy"] == strategy].sort_values("corrections")
        assert mine["corrections"].tolist() == [0, 20, 40, 60]
        # every correction went into the label set: 3 imported labels per intent + corrections
        assert mine["n_train"].tolist() == [15 + c for c in mine["corrections"]]
        assert all(isinstance(a, float) and 0.0 <= a <= 1.0 for a in mine["accuracy"])
        # round i trains version i + 1; only a promoted one comes into force
        in_force = 1
        for i, r in enumerate(mine.itertuples(index=False)):
            if i and r.promoted:
                in_force = i + 1
            assert r.version == in_force
        assert mine["retrain_s"].iloc[1:].notna().all()
    # all strategies start from the same store and the same model
    start = rows[rows["corrections"] == 0]
    assert start["accuracy"].nunique() == 1 and start["version"].tolist() == [1, 1, 1]
    # the table is the mean over seeds of the rows (one seed here)
    for strategy in STRATEGIES:
        for c, a in res["table"][strategy].items():
            got = rows[(rows["strategy"] == strategy) & (rows["corrections"] == int(c))]
            assert math.isclose(got["accuracy"].mean(), a)
    summary = res["summary"]
    assert math.isclose(summary["target"], res["table"]["random"]["60"])
    for strategy in ("queue", "uncertainty"):
        r = summary["reached"][strategy]
        assert r["corrections"] is None or r["corrections"] in (0, 20, 40, 60)
        if r["corrections"] is not None:
            assert res["table"][strategy][str(r["corrections"])] >= summary["target"] - 1e-12
    assert res["elapsed_s"] > 0
