"""Header-only, infinite and empty inputs end in one clear line and exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

KUNDFOKUS = Path(sys.executable).parent / "kundfokus"


def _run(args, cwd):
    return subprocess.run(
        [str(KUNDFOKUS), *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("nps\n", "no answers"),
        ("nps\n9\ninf\n", "not a number"),
        ("nps\n9\n-inf\n", "not a number"),
    ],
)
def test_scores_nps_on_bad_files(tmp_path, content, expected):
    (tmp_path / "a.csv").write_text(content, encoding="utf-8")
    res = _run(["scores", "nps", "a.csv", "--score", "nps"], tmp_path)
    assert res.returncode == 2, res.stderr
    assert expected in res.stderr and "a.csv" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_contacts_classify_and_evaluate_on_a_header_only_file(tmp_path):
    train = tmp_path / "t.csv"
    train.write_text(
        "text,label\nlost card,card\ncard stolen,card\nnew loan,loan\nloan rate,loan\n"
    )
    assert (
        _run(
            ["contacts", "train", "t.csv", "--label-col", "label", "--model", "m.kfm"], tmp_path
        ).returncode
        == 0
    )
    (tmp_path / "h.csv").write_text("text,label\n", encoding="utf-8")
    for args in (
        ["contacts", "classify", "h.csv", "--model", "m.kfm", "-o", "out.csv"],
        ["contacts", "evaluate", "h.csv", "--model", "m.kfm", "--label-col", "label"],
    ):
        res = _run(args, tmp_path)
        assert res.returncode == 2, res.stderr
        assert (
            "no contacts" in res.stderr and "h.csv" in res.stderr and "Traceback" not in res.stderr
        )
    assert not (tmp_path / "out.csv").exists()
