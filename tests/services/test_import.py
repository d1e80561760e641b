"""Contact import: validation with exact locations, all-or-nothing, redaction, language, rules."""

from __future__ import annotations

import json

import pandas as pd
import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.errors import InputError
from kundfokus.services.contacts_import import import_contacts, prepare_contacts
from kundfokus.store import db
from kundfokus.store.models import Contact, ImportBatch, Inference, Label, TaxonomyLabel
from kundfokus.store.testing import BACKENDS, temporary_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def contacts(n: int, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"k{i:05d}" for i in range(start, start + n)],
            "customer_id": [f"c{i % 37}" for i in range(start, start + n)],
            "timestamp": [f"2024-03-{1 + i % 28:02d}T08:{i % 60:02d}:00+01:00" for i in range(n)],
            "channel": ["chat", "email", "phone", "social"] * (n // 4) + ["chat"] * (n % 4),
            "text": [f"My card number {i} does not work, please help" for i in range(n)],
            "queue": ["private"] * n,
            "handle_time": [str(60 + i) for i in range(n)],
        }
    )


def count(url: str, model) -> int:
    with db.session_scope(url) as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model))


def test_import_stores_contacts_metadata_language_and_rule_guesses(store):
    df = contacts(8)
    with db.session_scope(store) as s:
        res = import_contacts(s, df, source="contacts.csv", imported_by="lena")
    assert res.n_rows == 8 and res.redacted and res.languages == {"en": 8}
    assert res.channels == {"chat": 2, "email": 2, "phone": 2, "social": 2}
    assert res.n_rule_guesses == 8 * 4  # purpose, urgency, mood, treatment
    with db.session_scope(store) as s:
        c = s.scalar(sa.select(Contact).where(Contact.external_id == "k00003"))
        assert c.meta == {"queue": "private", "handle_time": "63"}
        assert c.customer_id == "c3" and c.channel == "social" and c.language == "en"
        # 2024-03-04T08:03+01:00 is stored as naive UTC
        assert c.timestamp.isoformat() == "2024-03-04T07:03:00"
        batch = s.get(ImportBatch, res.batch_id)
        assert batch.source == "contacts.csv" and batch.imported_by == "lena"
        inf = s.scalars(sa.select(Inference).where(Inference.contact_id == c.id)).all()
        by_axis = {i.axis: i for i in inf}
        assert set(by_axis) == {"purpose", "urgency", "mood", "treatment"}
        assert by_axis["purpose"].label == "problem" and by_axis["purpose"].source == "rules"
        assert 0 < by_axis["purpose"].confidence <= 1
        assert "does not work" in (by_axis["purpose"].evidence or "")


def test_bad_row_500_leaves_the_store_unchanged(store):
    with db.session_scope(store) as s:
        import_contacts(s, contacts(3, start=9000), source="first.csv")
    before = (count(store, Contact), count(store, Inference), count(store, ImportBatch))
    df = contacts(600)
    df.loc[499, "timestamp"] = "31/02/2024 kl 25"
    with pytest.raises(InputError) as err, db.session_scope(store) as s:
        import_contacts(s, df, source="big.csv")
    assert err.value.row == 500 and err.value.column == "timestamp"
    assert err.value.value == "31/02/2024 kl 25"
    assert (count(store, Contact), count(store, Inference), count(store, ImportBatch)) == before

    # a duplicate of a stored id on row 500 is caught before anything is written, too
    df = contacts(600)
    df.loc[499, "id"] = "k09001"
    with pytest.raises(InputError) as err, db.session_scope(store) as s:
        import_contacts(s, df, source="big.csv")
    assert (err.value.row, err.value.column, err.value.value) == (500, "id", "k09001")
    assert "already in the store" in err.value.message
    assert (count(store, Contact), count(store, Inference), count(store, ImportBatch)) == before


@pytest.mark.parametrize(
    ("change", "row", "column", "value", "words"),
    [
        (lambda d: d.drop(columns=["channel"]), None, "channel", None, "missing column"),
        (lambda d: d.assign(text=["ok", "  ", "ok", "ok"]), 2, "text", "  ", "text is empty"),
        (lambda d: d.assign(id=["a", "b", "a", "c"]), 3, "id", "a", "duplicate contact id"),
        (lambda d: d.assign(id=["a", None, "b", "c"]), 2, "id", None, "id is empty"),
        (
            lambda d: d.assign(channel=["chat", "chat", "chat", "fax"]),
            4,
            "channel",
            "fax",
            "unknown channel",
        ),
        (
            lambda d: d.assign(timestamp=["2024-01-01", "2024-01-02", "i går", "2024-01-03"]),
            3,
            "timestamp",
            "i går",
            "cannot read the timestamp",
        ),
    ],
)
def test_validation_names_row_column_and_value(change, row, column, value, words):
    df = change(contacts(4))
    with pytest.raises(InputError) as err:
        prepare_contacts(df, channels=["chat", "email", "phone", "social"])
    e = err.value
    assert (e.row, e.column, e.value) == (row, column, value)
    assert words in e.message


def test_custom_column_names_and_labels_from_the_file(store):
    df = contacts(4).rename(columns={"id": "ärende", "text": "meddelande"})
    df["kategori"] = ["card_lost", None, "card_lost", "fees"]
    with db.session_scope(store) as s:
        res = import_contacts(
            s,
            pl.from_pandas(df),
            source="x.parquet",
            columns={"id": "ärende", "text": "meddelande"},
            label_columns={"reason": "kategori"},
        )
    assert res.n_labels == 3
    with db.session_scope(store) as s:
        labels = s.execute(sa.select(Label.axis, Label.label)).all()
        assert sorted(labels) == [
            ("reason", "card_lost"),
            ("reason", "card_lost"),
            ("reason", "fees"),
        ]
        tax = set(s.scalars(sa.select(TaxonomyLabel.label).where(TaxonomyLabel.axis == "reason")))
        assert tax == {"card_lost", "fees"}
        meta = s.scalar(sa.select(Contact.meta).where(Contact.external_id == "k00000"))
        assert "kategori" not in meta and meta["queue"] == "private"


def test_swedish_contacts_are_redacted_and_detected_as_swedish(store):
    df = pd.DataFrame(
        {
            "id": ["s1", "s2", "e1"],
            "customer_id": ["c1", "c2", "c3"],
            "timestamp": ["2024-05-02 09:00", "2024-05-02 10:30", "2024-05-03"],
            "channel": ["email", "chat", "email"],
            "text": [
                "Hej, mitt personnummer är 19811218-9876 och mitt kort är stulet. "
                "Ring mig på 070-123 45 67, det är bråttom!",
                "Vi ska flytta nästa vecka, hur ändrar jag min adress? Mejla anna.svensson@example.se",
                "I was charged twice for my order, please refund me.",
            ],
        }
    )
    with db.session_scope(store) as s:
        res = import_contacts(s, df, source="sv.csv")
    assert res.languages == {"en": 1, "sv": 2}
    with db.session_scope(store) as s:
        rows = dict(s.execute(sa.select(Contact.external_id, Contact.text)).all())
        langs = dict(s.execute(sa.select(Contact.external_id, Contact.language)).all())
        urgency = s.scalar(
            sa.select(Inference.label)
            .join(Contact, Contact.id == Inference.contact_id)
            .where(Contact.external_id == "s1", Inference.axis == "urgency")
        )
    assert langs == {"s1": "sv", "s2": "sv", "e1": "en"}
    assert "19811218-9876" not in rows["s1"] and "[PERSONNUMMER]" in rows["s1"]
    assert "070-123 45 67" not in rows["s1"] and "[PHONE]" in rows["s1"]
    assert "anna.svensson@example.se" not in rows["s2"] and "[EMAIL]" in rows["s2"]
    assert "kort är stulet" in rows["s1"]
    assert urgency == "now"


def test_administrator_can_turn_redaction_off_and_it_is_recorded(store):
    df = contacts(1).assign(text="Ring 070-123 45 67")
    with db.session_scope(store) as s:
        res = import_contacts(s, df, source="raw.csv", redact=False, imported_by="admin")
    with db.session_scope(store) as s:
        assert s.scalar(sa.select(Contact.text)) == "Ring 070-123 45 67"
        assert s.get(ImportBatch, res.batch_id).redacted is False


def test_cli_import_csv_jsonl_and_parquet_and_reports_bad_files(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    df = contacts(6)
    df.iloc[:2].to_csv(tmp_path / "a.csv", index=False)
    with open(tmp_path / "b.jsonl", "w", encoding="utf-8") as fh:
        for rec in df.iloc[2:4].to_dict(orient="records"):
            fh.write(json.dumps(rec) + "\n")
    df.iloc[4:].to_parquet(tmp_path / "c.parquet")
    try:
        for name in ("a.csv", "b.jsonl", "c.parquet"):
            r = runner.invoke(app, ["contacts", "import", str(tmp_path / name), "--db", url])
            assert r.exit_code == 0, r.output
            assert "imported 2 contacts" in r.output
        assert count(url, Contact) == 6

        bad = contacts(3, start=100)
        bad.loc[2, "channel"] = "fax"
        bad.to_csv(tmp_path / "bad.csv", index=False)
        r = runner.invoke(
            app,
            ["contacts", "import", str(tmp_path / "bad.csv"), "--db", url, "--channels",
             "chat,email,phone,social"],
        )  # fmt: skip
        assert isinstance(r.exception, InputError)
        assert str(r.exception).startswith(f"{tmp_path / 'bad.csv'}, row 3, column 'channel'")
        assert count(url, Contact) == 6

        r = runner.invoke(
            app, ["contacts", "import", str(tmp_path / "a.csv"), "--db", url, "--format", "json"]
        )
        assert isinstance(r.exception, InputError) and "already in the store" in str(r.exception)

        raw = contacts(1, start=500).assign(text="Ring 070-123 45 67")
        raw.to_csv(tmp_path / "raw.csv", index=False)
        r = runner.invoke(app, ["contacts", "import", str(tmp_path / "raw.csv"), "--db", url,
                                "--no-redact"])  # fmt: skip
        assert isinstance(r.exception, InputError) and "--by" in str(r.exception)
        r = runner.invoke(app, ["contacts", "import", str(tmp_path / "raw.csv"), "--db", url,
                                "--no-redact", "--by", "admin", "--lang", "sv"])  # fmt: skip
        assert r.exit_code == 0 and "importerade 1 kontakter" in r.output
        assert "INTE maskerade" in r.output
        with db.session_scope(url) as s:
            assert s.scalar(sa.select(Contact.text).where(Contact.external_id == "k00500")) == (
                "Ring 070-123 45 67"
            )
    finally:
        db.dispose_engine(url)


def test_a_concurrent_duplicate_is_an_input_error_and_nothing_is_written(store, monkeypatch):
    with db.session_scope(store) as s:
        import_contacts(s, contacts(2), source="first.csv")
    before = (count(store, Contact), count(store, ImportBatch))
    # pretend the duplicate check ran before another process stored the same ids
    import kundfokus.services.contacts_import as importing

    monkeypatch.setattr(importing, "existing_external_ids", lambda session, ids: set())
    with pytest.raises(InputError, match="another import"), db.session_scope(store) as s:
        import_contacts(s, contacts(3), source="again.csv")
    assert (count(store, Contact), count(store, ImportBatch)) == before
