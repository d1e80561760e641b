"""Engines, sessions and migrations for the kundfokus store.

A store is addressed by a SQLAlchemy URL. A plain path (``kundfokus.db``, ``data/cc.sqlite``) means
an SQLite file; anything with ``://`` is used as given (``postgresql+psycopg://user@host/db``).
The schema is created and upgraded only by the Alembic migrations shipped in
``kundfokus/store/migrations`` (:func:`upgrade`), never by ``create_all``.

Examples
--------
>>> resolve_url("contacts.db")
'sqlite:///contacts.db'
>>> resolve_url("postgresql+psycopg://postgres@127.0.0.1:5432/cc")
'postgresql+psycopg://postgres@127.0.0.1:5432/cc'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from kundfokus.errors import InputError

DEFAULT_DB = "kundfokus.db"
ENV_VAR = "KUNDFOKUS_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn a ``--db`` value into a SQLAlchemy URL.

    Parameters
    ----------
    db:
        A path to an SQLite file or a full database URL. ``None`` takes the environment variable
        ``KUNDFOKUS_DB`` and then ``kundfokus.db`` in the current folder.

    Returns
    -------
    str
        The database URL.

    Examples
    --------
    >>> resolve_url("sqlite:///x.db")
    'sqlite:///x.db'
    """
    from kundfokus.settings import get_settings

    return get_settings(db=str(db) if db is not None else None).database_url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str) -> Engine:
    """One engine per URL (cached); SQLite gets WAL mode and foreign keys on every connection.

    Examples
    --------
    >>> get_engine("sqlite://").dialect.name
    'sqlite'
    """
    engine = _ENGINES.get(url)
    if engine is None:
        engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _ENGINES[url] = engine
    return engine


def dispose_engine(url: str) -> None:
    """Close the pooled connections of ``url`` and forget its engine (tests, shutdown)."""
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def sessionmaker_for(url: str) -> sessionmaker[Session]:
    """A session factory bound to the engine of ``url`` (what a web app keeps per process)."""
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back on any error.

    Everything done inside one block is one transaction: an import that fails half-way leaves the
    store as it was.
    """
    session = sessionmaker_for(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str):
    """The Alembic configuration for ``url``, pointing at the migrations inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the schema of the store at ``url`` to ``revision`` (default: latest).

    Safe to run on every start: an up-to-date store is left unchanged.
    """
    from alembic import command

    cfg = alembic_config(url)
    with _sqlite_migration_lock(url), get_engine(url).begin() as connection:
        if connection.dialect.name == "postgresql":
            # two processes starting at once on an empty database must not both create tables
            connection.execute(text("SELECT pg_advisory_xact_lock(4242424242)"))
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


@contextmanager
def _sqlite_migration_lock(url: str) -> Iterator[None]:
    """Serialise migrations of one SQLite file across processes (a lock file beside it).

    Two first imports into a new file at once must not both create the tables; PostgreSQL uses an
    advisory lock inside the transaction instead.
    """
    path = _sqlite_path(url)
    if path is None:
        yield
        return
    from filelock import FileLock

    with FileLock(str(path) + ".lock", timeout=120):
        yield


def _sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url not in ("sqlite:///:memory:", "sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return None


def current_revision(url: str) -> str | None:
    """The Alembic revision the store at ``url`` is at (``None`` for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def open_store(
    db: str | os.PathLike[str] | None = None, *, migrate: bool = True, create: bool = True
) -> str:
    """Resolve ``db`` to a URL and (by default) bring its schema up to date; returns the URL.

    With ``create=False`` (commands that only read) a store that does not exist yet is an
    :class:`~kundfokus.errors.InputError` instead of a new, empty database: a mistyped ``--db``
    then says so rather than "the queue is empty".
    """
    url = resolve_url(db)
    path = _sqlite_path(url)
    if path is not None:
        if not create and not path.is_file():
            raise InputError(
                "there is no kundfokus store at this address",
                file=str(path),
                hint="check --db (or KUNDFOKUS_DB); 'kundfokus contacts import' creates a store",
            )
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not create and migrate and current_revision(url) is None:
        raise InputError(
            f"the database at {_safe_url(url)} holds no kundfokus store",
            hint="check --db (or KUNDFOKUS_DB); 'kundfokus contacts import' creates a store",
        )
    if migrate:
        upgrade(url)
    return url


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
