"""Alembic environment of the kundfokus store.

Run programmatically through :func:`kundfokus.store.db.upgrade`, which hands over an open
connection in ``config.attributes["connection"]``; works for SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from kundfokus.store.models import Base

target_metadata = Base.metadata
try:
    config = context.config
except AttributeError:  # imported outside an Alembic run (for example by doctest collection)
    config = None


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


if config is not None:
    if context.is_offline_mode():
        run_migrations_offline()
    else:
        run_migrations_online()
