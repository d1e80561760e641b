"""Opening a store: read commands do not create one, and first migrations do not race."""

from __future__ import annotations

import multiprocessing as mp
import subprocess
import sys
from pathlib import Path

import pytest

from kundfokus.errors import InputError
from kundfokus.store.db import current_revision, dispose_engine, open_store

KUNDFOKUS = Path(sys.executable).parent / "kundfokus"


def test_a_missing_store_is_an_error_for_readers_and_nothing_is_created(tmp_path):
    path = tmp_path / "typo.db"
    with pytest.raises(InputError, match="no kundfokus store") as e:
        open_store(path, create=False)
    assert "typo.db" in str(e.value)
    assert not path.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["contacts", "queue"],
        ["contacts", "history", "--axis", "purpose"],
        ["contacts", "situations"],
        ["contacts", "taxonomy"],
    ],
)
def test_read_commands_on_a_mistyped_db_say_so(args, tmp_path):
    res = subprocess.run(
        [str(KUNDFOKUS), *args, "--db", str(tmp_path / "typo.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2, res.stderr
    assert "no kundfokus store" in res.stderr and "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []


def _open(path: str, barrier) -> None:
    barrier.wait()
    open_store(path)


def test_two_first_opens_of_a_new_sqlite_file_at_once_both_succeed(tmp_path):
    path = str(tmp_path / "new.db")
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_open, args=(path, barrier)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    url = f"sqlite:///{path}"
    assert current_revision(url) is not None
    dispose_engine(url)
