"""The survey benchmark scripts run end to end in a tiny configuration (no timings asserted):
``benchmarks/survey_load.py`` and ``benchmarks/survey_crash.py`` start real servers as
subprocesses, and every acknowledged response must be stored exactly once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kundfokus.store.testing import BACKENDS

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"


def _run(script: str, *args: str, tmp_path: Path, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args, "--folder", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=timeout,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    return out


def _counts(out: str, name: str) -> list[int]:
    return [int(x) for x in re.findall(rf"\b{name}=(\d+)", out)]


def test_the_load_script_stores_every_acknowledged_response_once(tmp_path):
    args = ["--requests", "200", "--warmup", "20", "--rounds", "1", "--backend", "sqlite"]
    out = _run("survey_load.py", *args, tmp_path=tmp_path)
    assert "kundfokus/floor" in out
    acknowledged = _counts(out, "acknowledged")
    assert acknowledged == [200, 200]  # kundfokus, then the floor
    assert _counts(out, "lost") == [0, 0]
    assert _counts(out, "duplicated") == [0, 0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_crash_script_loses_and_duplicates_nothing(tmp_path, backend):
    args = ["--requests", "300", "--concurrency", "32", "--backend", backend, "--downtime", "0.2"]
    out = _run("survey_crash.py", *args, tmp_path=tmp_path)
    assert "SIGKILL after" in out and "restarted" in out
    assert _counts(out, "acknowledged") == [300]
    assert _counts(out, "lost") == [0]
    assert _counts(out, "duplicated") == [0]
    assert _counts(out, "wrong_id") == [0]
