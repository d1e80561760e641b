"""Every command in the README's "Using it" block runs as written (issue 11: the README's promises
hold), in a fresh folder beside the repository's example data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _usage_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using it", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert blocks, "no bash block under 'Using it' in README.md"
    return blocks[0]


def test_the_readme_usage_examples_run_as_written(tmp_path):
    script = _usage_block()
    commands = [
        ln for ln in script.splitlines() if ln.startswith("kundfokus ") or "| kundfokus" in ln
    ]
    assert len(commands) >= 10, commands
    for name in ("examples", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    res = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert "Traceback" not in res.stderr
    for written in ("enkat.html", "kano.html", "odi.html", "kundfokus.db", "modes.json"):
        assert (tmp_path / written).is_file(), written
