from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The reference data sets beside the project (../shared/data). CI has them; a test that needs
    them fails loudly rather than skipping when they are missing."""
    if not SHARED_DATA.exists():
        pytest.fail(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return ROOT / "examples"


os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
