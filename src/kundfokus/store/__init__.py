"""The application store: contacts, labels, corrections, model versions (SQLAlchemy 2 + Alembic).

``db`` makes engines and sessions and runs the migrations, ``models`` holds the ORM tables, and
``repositories`` holds small query helpers that services (``kundfokus.services.contacts_import``,
``kundfokus.services.review``) and, later, web routes call. An SQLite file is the default
(``kundfokus.db``, WAL mode, foreign keys on); PostgreSQL is used in production.
"""

from kundfokus.store.db import (
    DEFAULT_DB,
    open_store,
    resolve_url,
    session_scope,
    upgrade,
)

__all__ = ["DEFAULT_DB", "open_store", "resolve_url", "session_scope", "upgrade"]
