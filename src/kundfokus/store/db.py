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
from contextlib import contextmanager, suppress
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
    # FULL: every commit is fsynced before it returns, so an acknowledged write survives a
    # power loss too (NORMAL would survive a process crash only)
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


#: Statements that make pysqlite open a write transaction (it sends BEGIN before the first one).
_SQLITE_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")
_LOCK_KEY = "kundfokus_write_lock"


class _SQLiteWriters:
    """One writer at a time per process and SQLite file, queued on a lock instead of SQLite's
    busy handler.

    SQLite lets one connection write at a time anyway. Connections that collide wait in its busy
    handler, which polls with sleeps of 1 ms growing to 100 ms: under load a few unlucky requests
    wait for seconds while the file is idle in between. Here a connection takes the process's lock
    just before its first write statement (where pysqlite opens the transaction) and gives it back
    when the transaction ends (commit or rollback, or at the latest when the connection goes back
    to the pool), so the writers of one process take turns in order and reads are not held up.
    Other processes (the CLI, a second server) still meet SQLite's busy handler as before. A
    connection that cannot get the lock within the busy timeout goes on without it and gets
    SQLite's own "database is locked", as it would have without the lock. ``PRAGMA busy_timeout``
    stays for those other processes.
    """

    def __init__(self, timeout: float = 30.0) -> None:
        import threading

        self.lock = threading.Lock()
        self.timeout = timeout

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "handle_error", self._error)
        event.listen(engine.pool, "checkin", lambda _dbapi, record: self._release(record))
        event.listen(engine.pool, "close", lambda _dbapi, record: self._release(record))
        event.listen(engine.pool, "invalidate", lambda _dbapi, record, _exc: self._release(record))
        dialect = engine.dialect
        for name in ("do_commit", "do_rollback"):
            setattr(dialect, name, self._then_release(getattr(dialect, name)))

    def _then_release(self, end):
        def wrapped(connection) -> None:  # the pool's proxy of the DBAPI connection
            try:
                end(connection)
            finally:
                self._release_if_idle(connection)

        return wrapped

    def _before(self, conn, _cursor, statement, _params, _context, _many) -> None:
        info = conn.connection.info
        if (
            not info.get(_LOCK_KEY)
            and statement.lstrip()[:9].upper().startswith(_SQLITE_WRITES)
            and self.lock.acquire(timeout=self.timeout)
        ):
            info[_LOCK_KEY] = True

    def _error(self, context) -> None:
        with suppress(Exception):
            self._release_if_idle(context.connection.connection)

    def _release_if_idle(self, proxied) -> None:
        try:
            info = proxied.info
        except (AttributeError, NotImplementedError):  # not a pooled connection (first connect)
            return
        if not info.get(_LOCK_KEY):
            return
        dbapi = proxied.dbapi_connection
        try:
            busy = dbapi is not None and dbapi.in_transaction
        except Exception:
            busy = False
        if not busy:
            info[_LOCK_KEY] = False
            self.lock.release()

    def _release(self, record) -> None:
        if record is not None and record.info.get(_LOCK_KEY):
            record.info[_LOCK_KEY] = False
            self.lock.release()


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
        options: dict = {"pool_pre_ping": not url.startswith("sqlite")}
        if not url.startswith("sqlite") or _sqlite_path(url) is not None:
            # 10 kept open (SQLAlchemy's default is 5): the 8 threads that store survey
            # responses plus the job worker, so connections are not closed and opened again
            # under load (a new PostgreSQL connection is a new server process); at most 20
            options |= {"pool_size": 10, "max_overflow": 10}
        engine = create_engine(url, **options)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            if _sqlite_path(url) is not None:  # a file: in-memory databases are per connection
                _SQLiteWriters().attach(engine)
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


@contextmanager
def new_store_undone_on_error(db: str | os.PathLike[str] | None = None) -> Iterator[str]:
    """:func:`open_store` for a command that may create the store (an import): when the block
    fails and the SQLite file did not exist before, the new file (and its ``-wal``, ``-shm`` and
    lock files) is removed again, so a failed first import leaves nothing behind."""
    url = resolve_url(db)
    path = _sqlite_path(url)
    existed = path is None or path.exists()
    try:
        yield open_store(url)
    except BaseException:
        if not existed and path is not None and _holds_nothing(url):
            dispose_engine(url)
            for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        raise


def _holds_nothing(url: str) -> bool:
    """Whether every table of the store is empty (another process may have written meanwhile)."""
    try:
        with get_engine(url).connect() as conn:
            names = [r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version'"
            ))]  # fmt: skip
            return all(
                conn.execute(text(f'SELECT 1 FROM "{n}" LIMIT 1')).first() is None for n in names
            )
    except Exception:
        return False


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
