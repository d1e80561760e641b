"""The store: migrations on SQLite and PostgreSQL, parity with the ORM models, connection setup."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from kundfokus.store import db
from kundfokus.store.models import Base, Contact, ImportBatch, Inference, utcnow
from kundfokus.store.testing import BACKENDS, temporary_store

TABLES = {
    "contacts",
    "corrections",
    "evaluations",
    "import_batches",
    "inferences",
    "users",
    "web_sessions",
    "api_tokens",
    "login_attempts",
    "surveys",
    "survey_responses",
    "jobs",
    "webhooks",
    "app_secrets",
    "labels",
    "model_versions",
    "taxonomy_labels",
    "journey_events",
    "recommendation_log",
    "review_labels",
    "review_settings",
    "goals",
    "observations",
    "report_schedules",
    "customer_contracts",
    "customer_purchases",
}


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def test_migrations_create_every_table_and_match_the_models(store):
    engine = db.get_engine(store)
    names = set(sa.inspect(engine).get_table_names())
    assert names >= TABLES
    assert "alembic_version" in names
    assert db.current_revision(store) == "0006"
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], diff


def test_upgrade_is_idempotent_and_downgrade_removes_everything(store):
    db.upgrade(store)  # second run: nothing to do, no error
    assert db.current_revision(store) == "0006"
    from alembic import command

    cfg = db.alembic_config(store)
    with db.get_engine(store).begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert TABLES.isdisjoint(sa.inspect(db.get_engine(store)).get_table_names())
    db.upgrade(store)
    assert set(sa.inspect(db.get_engine(store)).get_table_names()) >= TABLES


def test_foreign_keys_are_enforced(store):
    with pytest.raises(IntegrityError), db.session_scope(store) as s:
        s.add(Inference(contact_id=12345, axis="mood", label="x", confidence=0.5, source="rules"))
        s.flush()


def test_unique_external_id_and_json_metadata_round_trip(store):
    with db.session_scope(store) as s:
        batch = ImportBatch(source="t.csv", n_rows=1, redacted=True, options={})
        s.add(batch)
        s.flush()
        s.add(
            Contact(
                external_id="a1",
                timestamp=utcnow(),
                channel="chat",
                text="hej",
                language="sv",
                meta={"queue": "privat", "handle_time": 93, "nested": {"ok": True}},
                batch_id=batch.id,
            )
        )
    with db.session_scope(store) as s:
        c = s.scalar(sa.select(Contact))
        assert c.meta == {"queue": "privat", "handle_time": 93, "nested": {"ok": True}}
        assert c.batch.redacted is True
    with pytest.raises(IntegrityError), db.session_scope(store) as s:
        s.add(
            Contact(
                external_id="a1",
                timestamp=utcnow(),
                channel="chat",
                text="again",
                language="sv",
                meta={},
                batch_id=1,
            )
        )


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    url = db.open_store(tmp_path / "sub" / "k.db")
    try:
        assert url == f"sqlite:///{tmp_path / 'sub' / 'k.db'}"
        with db.get_engine(url).connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose_engine(url)


def test_resolve_url_precedence(monkeypatch):
    monkeypatch.delenv("KUNDFOKUS_DB", raising=False)
    assert db.resolve_url(None) == "sqlite:///kundfokus.db"
    monkeypatch.setenv("KUNDFOKUS_DB", "/data/cc.db")
    assert db.resolve_url(None) == "sqlite:////data/cc.db"
    assert db.resolve_url("other.db") == "sqlite:///other.db"
    pg = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert db.resolve_url(pg) == pg


def test_session_scope_rolls_back_on_error(store):
    with pytest.raises(RuntimeError), db.session_scope(store) as s:
        s.add(ImportBatch(source="t.csv", n_rows=0, redacted=True, options={}))
        s.flush()
        raise RuntimeError("boom")
    with db.session_scope(store) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0
