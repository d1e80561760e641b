"""Throw-away stores for tests: a temporary SQLite file or a fresh PostgreSQL schema.

The test suite runs the same store tests on both back ends. PostgreSQL is taken from
``$KUNDFOKUS_TEST_PG`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); when it is
down the tests fail, they do not skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from kundfokus.store.db import dispose_engine, upgrade

BACKENDS = ("sqlite", "postgresql")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    """The PostgreSQL server used by the tests."""
    return os.environ.get("KUNDFOKUS_TEST_PG", DEFAULT_PG)


@contextmanager
def temporary_store(backend: str, folder: str | Path, *, migrate: bool = True) -> Iterator[str]:
    """Yield the URL of an empty store (migrated unless ``migrate=False``), removed afterwards.

    ``sqlite``: a file in ``folder``. ``postgresql``: a new schema ``kf_<random>`` on
    :func:`postgres_url`, selected through the connection's ``search_path`` and dropped at the end.
    """
    if backend == "sqlite":
        path = Path(folder) / f"kundfokus-test-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{path}"
        try:
            if migrate:
                upgrade(url)
            yield url
        finally:
            dispose_engine(url)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend!r}")
    base = postgres_url()
    schema = f"kf_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
        try:
            if migrate:
                upgrade(url)
            yield url
        finally:
            dispose_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()
