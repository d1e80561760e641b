"""Help and the version answer without loading the heavy libraries (no timing asserted here;
the start-up time is in the closing note and measured with /usr/bin/time)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
sys.argv = ["kundfokus", *{args!r}]
from kundfokus.cli import main
try:
    main()
except SystemExit:
    pass
heavy = ("pandas", "polars", "sklearn", "scipy", "jinja2", "vl_convert", "sqlalchemy", "pyarrow")
print("HEAVY:" + ",".join(sorted(m for m in heavy if m in sys.modules)))
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["scores", "--help"], ["contacts", "--help"]]
)
def test_help_loads_no_heavy_library(args):
    res = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    line = [x for x in res.stdout.splitlines() if x.startswith("HEAVY:")]
    assert line == ["HEAVY:"], line
