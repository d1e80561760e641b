"""Importing contacts into the store: validate everything, then insert everything, in one go.

:func:`prepare_contacts` is pure: it takes any data frame (pandas, Polars, DuckDB, PySpark through
narwhals), checks every row and returns a clean pandas frame, or raises an
:class:`~kundfokus.errors.InputError` naming the row, column and value of the first problem.
:func:`import_contacts` is the service: it checks the ids against the store, redacts personal data,
detects the language, stores the rule-based first guesses and inserts all of it inside the
caller's transaction, so a bad row leaves the store exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kundfokus.base import Result
from kundfokus.contacts.preparation import (  # noqa: F401  (public names of the old module)
    CHANNELS,
    DEFAULT_COLUMNS,
    _rule_guesses,
    parse_timestamp,
    prepare_contacts,
)
from kundfokus.errors import InputError
from kundfokus.store.models import AXES, Contact, ImportBatch, Inference, Label, utcnow
from kundfokus.store.repositories import ensure_taxonomy_labels, existing_external_ids


@dataclass
class ImportResult(Result):
    """What :func:`import_contacts` did.

    A :class:`kundfokus.base.Result` (no tables; :meth:`to_dict` is the JSON of
    ``kundfokus contacts import --format json``).

    Attributes
    ----------
    batch_id : int
        The import batch written.
    n_rows : int
        Contacts imported.
    redacted : bool
        Whether personal data was redacted from the texts.
    languages, channels : dict
        Contacts per detected language and per channel.
    n_rule_guesses, n_labels : int
        Rule-based first guesses and imported labels written.
    """

    batch_id: int
    n_rows: int
    redacted: bool
    languages: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    n_rule_guesses: int = 0
    n_labels: int = 0

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The fields as a JSON-ready dict (nothing in it depends on ``lang``)."""
        return {
            "batch_id": self.batch_id,
            "n_rows": self.n_rows,
            "redacted": self.redacted,
            "languages": self.languages,
            "channels": self.channels,
            "n_rule_guesses": self.n_rule_guesses,
            "n_labels": self.n_labels,
        }


def import_contacts(
    session: Session,
    frame: Any,
    *,
    source: str,
    columns: Mapping[str, str] | None = None,
    channels: Sequence[str] | None = None,
    label_columns: Mapping[str, str] | None = None,
    redact: bool = True,
    imported_by: str | None = None,
    rules: bool = True,
) -> ImportResult:
    """Validate, redact and insert contacts, with language and rule-based first guesses.

    Nothing is written unless every row is valid; everything is written in the session's
    transaction (the caller commits, see :func:`kundfokus.store.db.session_scope`).

    Parameters
    ----------
    session:
        An open store session.
    frame:
        The contacts (see :func:`prepare_contacts`).
    source:
        Where they come from (a file name), recorded on the import batch.
    columns, channels, label_columns:
        As in :func:`prepare_contacts`.
    redact:
        Replace personal data (personnummer, phone numbers, e-mail, card and account numbers)
        before storing. Only an administrator should turn this off; the choice is recorded on
        the batch.
    imported_by:
        Who ran the import (recorded on the batch and on imported labels).
    rules:
        Store the built-in rules' first guesses as inferences (source ``rules``).

    Returns
    -------
    ImportResult
    """
    clean = prepare_contacts(frame, columns=columns, channels=channels, label_columns=label_columns)
    col_id = (columns or {}).get("id", "id")
    dupes = existing_external_ids(session, clean["external_id"].tolist())
    if dupes:
        first = clean[clean["external_id"].isin(dupes)].iloc[0]
        raise InputError(
            f"contact id already in the store ({len(dupes)} of the ids are)",
            row=int(first["row"]),
            column=col_id,
            value=first["external_id"],
        )
    from kundfokus.contacts.language import detect_language
    from kundfokus.contacts.redaction import redact as redact_text

    original = clean["text"].tolist()
    languages = [detect_language(t) for t in original]
    stored = [redact_text(t) for t in original] if redact else original
    guesses = (
        [_rule_guesses(t, lang) for t, lang in zip(stored, languages, strict=True)]
        if rules
        else [{} for _ in stored]
    )

    batch = ImportBatch(
        source=str(source),
        imported_at=utcnow(),
        imported_by=imported_by,
        n_rows=len(clean),
        redacted=bool(redact),
        options={
            "columns": {**DEFAULT_COLUMNS, **(columns or {})},
            "channels": list(channels) if channels else None,
            "label_columns": dict(label_columns or {}),
            "rules": rules,
        },
    )
    session.add(batch)
    session.flush()
    now = utcnow()
    rows = [
        {
            "external_id": r.external_id,
            "customer_id": r.customer_id,
            "timestamp": r.timestamp,
            "channel": r.channel,
            "text": stored[i],
            "language": languages[i],
            "meta": r.metadata,
            "batch_id": batch.id,
        }
        for i, r in enumerate(clean.itertuples(index=False))
    ]
    id_of: dict[str, int] = {}
    for part_start in range(0, len(rows), 1000):
        part = rows[part_start : part_start + 1000]
        try:
            result = session.execute(
                insert(Contact).returning(
                    Contact.id, Contact.external_id, sort_by_parameter_order=True
                ),
                part,
            )
        except IntegrityError as exc:  # another import stored one of these ids meanwhile
            raise InputError(
                "a contact id was stored by another import at the same time; nothing was "
                "imported, run the import again to see which",
                column=col_id,
            ) from exc
        id_of.update({ext: cid for cid, ext in result.all()})

    inf_rows: list[dict[str, Any]] = []
    for ext, g in zip(clean["external_id"], guesses, strict=True):
        for axis, rg in g.items():
            axis_name = getattr(rg, "axis", axis)
            if axis_name not in AXES or getattr(rg, "label", None) is None:
                continue
            evidence = getattr(rg, "evidence", None)
            if isinstance(evidence, (list, tuple)):
                evidence = "; ".join(map(str, evidence))
            inf_rows.append(
                {
                    "contact_id": id_of[ext],
                    "axis": axis_name,
                    "label": str(rg.label),
                    "confidence": float(rg.confidence),
                    "source": "rules",
                    "model_version_id": None,
                    "scores": {},
                    "evidence": evidence,
                    "created_at": now,
                }
            )
    for part_start in range(0, len(inf_rows), 5000):
        session.execute(insert(Inference), inf_rows[part_start : part_start + 5000])

    who = imported_by or f"import:{batch.id}"
    label_rows: list[dict[str, Any]] = []
    for axis in label_columns or {}:
        values = clean[f"label_{axis}"]
        present = clean.loc[values.notna(), ["external_id", f"label_{axis}"]]
        ensure_taxonomy_labels(session, axis, present[f"label_{axis}"].tolist(), who=who)
        label_rows.extend(
            {"contact_id": id_of[e], "axis": axis, "label": lab, "who": who, "at": now}
            for e, lab in present.itertuples(index=False)
        )
    for part_start in range(0, len(label_rows), 5000):
        session.execute(insert(Label), label_rows[part_start : part_start + 5000])
    session.flush()
    return ImportResult(
        batch_id=batch.id,
        n_rows=len(clean),
        redacted=bool(redact),
        languages=pd.Series(languages).value_counts().sort_index().to_dict(),
        channels=clean["channel"].value_counts().sort_index().to_dict(),
        n_rule_guesses=len(inf_rows),
        n_labels=len(label_rows),
    )
