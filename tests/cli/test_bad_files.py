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


_NEW_COMMANDS = [
    ["journeys", "map", "{f}"],
    ["journeys", "import", "{f}", "--db", "sqlite:///{d}/j.db"],
    ["cpi", "compute", "{f}"],
    ["cpi", "journeys", "{f}"],
    ["drivers", "{f}", "--outcome", "a", "--drivers", "b"],
    [
        "recommend",
        "fit",
        "{f}",
        "--situation",
        "a",
        "--action",
        "b",
        "--outcome",
        "c",
        "--model",
        "{d}/m.json",
    ],
]
_BAD = {
    "empty.csv": b"",
    "binary.csv": b"\x00\x01\x02\xff\xfe\x00binary",
    "binary.parquet": b"\x00\x01\x02\xff\xfe\x00binary",
    "header.csv": b"customer_id,journey_id,step,timestamp,channel,a,b,c\n",
}


@pytest.mark.parametrize("name", sorted(_BAD))
@pytest.mark.parametrize("command", _NEW_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_new_commands_on_empty_binary_and_header_only_files(tmp_path, name, command):
    (tmp_path / name).write_bytes(_BAD[name])
    args = [a.format(f=name, d=tmp_path) for a in command]
    res = _run(args, tmp_path)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr and name in res.stderr
    assert not (tmp_path / "m.json").exists()
