"""The layer contract in pyproject.toml holds, and breaking it fails the test run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layer_contracts_are_kept():
    res = _lint(ROOT, ROOT / "src")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "2 kept, 0 broken" in res.stdout


@pytest.fixture
def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "src" / "kundfokus",
        tmp_path / "kundfokus",
        ignore=shutil.ignore_patterns("__pycache__", "*.kfm", "examples"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "shown"),
    [
        # a method that reaches into the store
        (
            "kano/_bad.py",
            "from kundfokus.store import db",
            "kundfokus.kano._bad -> kundfokus.store",
        ),
        # a method that imports the CLI (what contacts/situations.py once did)
        (
            "contacts/_bad.py",
            "from kundfokus.cli import _common",
            "kundfokus.contacts._bad -> kundfokus.cli",
        ),
        # two methods that depend on each other
        (
            "jtbd/_bad.py",
            "from kundfokus.kano import analyze",
            "kundfokus.jtbd._bad -> kundfokus.kano",
        ),
        # a shared module that knows a domain
        ("_bad_shared.py", "", None),
    ],
)
def test_a_wrong_import_breaks_the_contract(copy_of_the_package: Path, module, line, shown):
    pkg = copy_of_the_package
    if module == "_bad_shared.py":
        # a new top-level module that is in no layer: the contract is exhaustive
        (pkg / "kundfokus" / module).write_text("X = 1\n", encoding="utf-8")
        shown = "kundfokus._bad_shared"
    else:
        (pkg / "kundfokus" / module).write_text(line + "\n", encoding="utf-8")
    res = _lint(pkg, pkg)
    assert res.returncode != 0
    assert shown in res.stdout.replace("\n", " ") or shown in res.stdout, res.stdout
    assert "broken" in res.stdout.lower()


def test_the_copy_is_clean_before_the_wrong_import(copy_of_the_package: Path):
    """The copy itself passes, so the failures above come from the one added line."""
    res = _lint(copy_of_the_package, copy_of_the_package)
    assert res.returncode == 0, res.stdout + res.stderr
