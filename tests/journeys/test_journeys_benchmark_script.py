"""benchmarks/journeys_scale.py runs end to end on a small input (no timings asserted), and its
kundfokus figures agree with the plain pandas peer's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_journeys_benchmark_runs_and_agrees_with_its_peer():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "journeys_scale.py"), "--events", "20000"],
        capture_output=True, text=True, cwd=str(ROOT), timeout=600,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    assert "ratio peer / kundfokus" in out and "figures agree with the peer: True" in out
