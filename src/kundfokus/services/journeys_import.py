"""Importing journey events into the store, and reading them back.

:func:`import_events` checks every event (:func:`kundfokus.journeys.check_events`: columns,
timestamps, unknown steps, time going backwards in a journey, duplicate event ids), checks the event
ids against the store and inserts all of them in one transaction, or nothing: a bad row, or an event
id that is already stored, raises an :class:`~kundfokus.errors.InputError` naming the row, column
and value, and the store is left as it was.

- ``event_id``: taken from the file when it has that column. A file without it gets deterministic
  ids ``ev-<hash>`` of (customer_id, journey_id, step, timestamp, occurrence), where occurrence counts
  identical events in the file (1, 2, ...). Importing the same file twice therefore gives the same
  ids, and the second import is refused: *re-importing an event id already in the store is an
  error* (nothing is skipped silently; import only the new events).
- ``timestamp`` is stored as naive UTC; ``channel`` and ``contact_id`` in their own columns (empty
  = ``NULL``); every other column goes into ``attributes`` (JSON; empty values left out).
- The import batch (:class:`~kundfokus.store.models.ImportBatch`) records the source, the number of
  events, who imported and the options.

:func:`load_events` reads stored events back as a pandas or Polars frame (for the journey map and
the CPIs: ``--db`` as input).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kundfokus.base import Result
from kundfokus.errors import InputError
from kundfokus.journeys.events import check_events
from kundfokus.store.models import ImportBatch, JourneyEvent, utcnow

CHUNK = 5000
CUSTOMER, JOURNEY, STEP, TS = "customer_id", "journey_id", "step", "timestamp"
_OWN = {"event_id", CUSTOMER, JOURNEY, STEP, TS, "channel", "contact_id"}
_LIMITS = {"event_id": 200, CUSTOMER: 200, JOURNEY: 200, STEP: 200, "channel": 50,
           "contact_id": 200}  # fmt: skip


@dataclass
class EventsImportResult(Result):
    """What :func:`import_events` stored (``to_dict()`` is the JSON of
    ``kundfokus journeys import --format json``)."""

    batch_id: int
    n_events: int
    n_journeys: int
    n_customers: int
    generated_ids: bool
    steps: dict[str, int] = field(default_factory=dict)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "n_events": self.n_events,
            "n_journeys": self.n_journeys,
            "n_customers": self.n_customers,
            "generated_ids": self.generated_ids,
            "steps": self.steps,
        }


def _plain(v: Any) -> Any:
    """A JSON-ready Python value; ``None`` for missing."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, datetime):
        return v.isoformat()
    if hasattr(v, "item"):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if isinstance(v, str) and v.strip() == "":
        return None
    if isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def _text(v: Any) -> str | None:
    v = _plain(v)
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def generated_id(customer: str, journey: str, step: str, ts: datetime, occurrence: int) -> str:
    """The deterministic event id of an event the file gives no id for.

    >>> len(generated_id("c1", "j1", "opened", datetime(2024, 1, 1, 8), 1))
    27
    """
    key = "\x1f".join([customer, journey, step, ts.isoformat(), str(occurrence)])
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def prepare_events(frame: Any, *, steps: Sequence[str] | None = None) -> pd.DataFrame:
    """Check the events and return the rows to store (pandas, one row per event, in file order,
    with ``row`` = the 1-based data row)."""
    f = check_events(frame, steps=steps)
    native = f.collect() if hasattr(f, "collect") else f
    df = native.to_pandas().reset_index(drop=True)
    out = pd.DataFrame({"row": range(1, len(df) + 1)})
    for c in (CUSTOMER, JOURNEY, STEP):
        out[c] = [_text(v) for v in df[c]]
    ts = pd.to_datetime(df[TS])
    out[TS] = [t.to_pydatetime() for t in ts]
    for c in ("channel", "contact_id"):
        out[c] = [_text(v) for v in df[c]] if c in df.columns else None
    generated = "event_id" not in df.columns
    if generated:
        seen: dict[tuple[str, str, str, datetime], int] = {}
        ids = []
        for c, j, s, t in zip(out[CUSTOMER], out[JOURNEY], out[STEP], out[TS], strict=True):
            k = (c, j, s, t)
            seen[k] = seen.get(k, 0) + 1
            ids.append(generated_id(c, j, s, t, seen[k]))
        out["event_id"] = ids
    else:
        out["event_id"] = [_text(v) for v in df["event_id"]]
        missing = out["event_id"].isna()
        if missing.any():
            i = int(missing.to_numpy().argmax())
            raise InputError("the event id is missing", row=i + 1, column="event_id",
                             hint="give every event an id, or leave out the event_id column")  # fmt: skip
    for c, limit in _LIMITS.items():
        lengths = out[c].map(lambda v: len(v) if isinstance(v, str) else 0)
        if (lengths > limit).any():
            i = int((lengths > limit).to_numpy().argmax())
            raise InputError(f"longer than {limit} characters", row=i + 1, column=c,
                             value=out[c].iloc[i][:60] + "...")  # fmt: skip
    extra = [c for c in df.columns if c not in _OWN]
    records = df[extra].to_dict("records") if extra else [{} for _ in range(len(df))]
    out["attributes"] = [
        {k: p for k, v in r.items() if (p := _plain(v)) is not None} for r in records
    ]
    out.attrs["generated_ids"] = generated
    return out


def existing_event_ids(session: Session, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 1000):
        part = list(ids[start : start + 1000])
        found.update(
            session.scalars(select(JourneyEvent.event_id).where(JourneyEvent.event_id.in_(part)))
        )
    return found


def import_events(
    session_or_url: Session | str,
    frame: Any,
    *,
    source: str,
    by: str | None = None,
    steps: Sequence[str] | None = None,
) -> EventsImportResult:
    """Check and store journey events, all or nothing.

    Parameters
    ----------
    session_or_url:
        An open store session (the caller commits, see
        :func:`kundfokus.store.db.session_scope`) or a store URL (then one transaction is opened
        and committed here).
    frame:
        The events, from any engine (see :func:`kundfokus.journeys.check_events`).
    source:
        Where they come from (a file name), recorded on the import batch.
    by:
        Who imported (recorded on the batch).
    steps:
        The known steps; any other step is an error.
    """
    if isinstance(session_or_url, str):
        from kundfokus.store.db import session_scope

        with session_scope(session_or_url) as session:
            return import_events(session, frame, source=source, by=by, steps=steps)
    session = session_or_url
    clean = prepare_events(frame, steps=steps)
    generated = bool(clean.attrs.get("generated_ids"))
    stored = existing_event_ids(session, clean["event_id"].tolist())
    if stored:
        first = clean[clean["event_id"].isin(stored)].iloc[0]
        if generated:
            raise InputError(
                f"this event is already in the store ({len(stored)} of the events are: the same "
                "customer, journey, step and timestamp); nothing was imported",
                row=int(first["row"]),
                column=STEP,
                value=first[STEP],
                hint="the file (or these events) was imported before: import only new events",
            )
        raise InputError(
            f"event id already in the store ({len(stored)} of the events are); nothing was "
            "imported",
            row=int(first["row"]),
            column="event_id",
            value=first["event_id"],
            hint="this file (or these events) was imported before: import only new events",
        )
    batch = ImportBatch(
        source=str(source),
        imported_at=utcnow(),
        imported_by=by,
        n_rows=len(clean),
        redacted=False,
        options={
            "kind": "journey_events",
            "steps": list(steps) if steps else None,
            "generated_ids": generated,
        },
    )
    session.add(batch)
    session.flush()
    cols = ["event_id", CUSTOMER, JOURNEY, STEP, TS, "channel", "contact_id", "attributes"]
    rows = [dict(zip(cols, r, strict=True)) for r in clean[cols].itertuples(index=False)]
    for r in rows:
        r["batch_id"] = batch.id
    for start in range(0, len(rows), CHUNK):
        try:
            session.execute(insert(JourneyEvent), rows[start : start + CHUNK])
        except IntegrityError as exc:  # another import stored one of these ids meanwhile
            raise InputError(
                "an event id was stored by another import at the same time; nothing was "
                "imported, run the import again to see which",
                column="event_id",
            ) from exc
    session.flush()
    journeys = clean[[CUSTOMER, JOURNEY]].drop_duplicates()
    return EventsImportResult(
        batch_id=batch.id,
        n_events=len(clean),
        n_journeys=len(journeys),
        n_customers=int(clean[CUSTOMER].nunique()),
        generated_ids=generated,
        steps={str(k): int(v) for k, v in clean[STEP].value_counts().sort_index().items()},
    )


def load_events(
    session_or_url: Session | str,
    *,
    batch_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    customer_ids: Sequence[str] | None = None,
    engine: str = "pandas",
    infer_types: bool = True,
) -> Any:
    """Stored journey events as a pandas (``engine="pandas"``) or Polars (``"polars"``) frame.

    Columns: ``event_id``, ``customer_id``, ``journey_id``, ``step``, ``timestamp`` (naive UTC),
    ``channel``, ``contact_id``, then one column per attribute key. With ``infer_types``, an
    attribute column whose values all read as numbers becomes numeric (CSV files store them as
    text). Rows are ordered by journey and time. ``since``/``until`` filter on the timestamp
    (``until`` exclusive), ``batch_id`` on one import.
    """
    if engine not in ("pandas", "polars"):
        raise InputError("engine must be 'pandas' or 'polars'", value=engine)
    if isinstance(session_or_url, str):
        from kundfokus.store.db import session_scope

        with session_scope(session_or_url) as session:
            return load_events(
                session, batch_id=batch_id, since=since, until=until,
                customer_ids=customer_ids, engine=engine, infer_types=infer_types,
            )  # fmt: skip
    session = session_or_url
    e = JourneyEvent
    q = select(
        e.event_id, e.customer_id, e.journey_id, e.step, e.timestamp, e.channel, e.contact_id,
        e.attributes,
    ).order_by(e.customer_id, e.journey_id, e.timestamp, e.id)  # fmt: skip
    if batch_id is not None:
        q = q.where(e.batch_id == batch_id)
    if since is not None:
        q = q.where(e.timestamp >= since)
    if until is not None:
        q = q.where(e.timestamp < until)
    if customer_ids is not None:
        q = q.where(e.customer_id.in_(list(customer_ids)))
    own = ["event_id", CUSTOMER, JOURNEY, STEP, TS, "channel", "contact_id"]
    data = session.execute(q).all()
    df = pd.DataFrame([r[:7] for r in data], columns=own)
    df[TS] = pd.to_datetime(df[TS]) if len(df) else pd.Series([], dtype="datetime64[us]")
    attrs = pd.DataFrame([r[7] or {} for r in data])
    for c in attrs.columns:
        col = attrs[c]
        if infer_types:
            num = pd.to_numeric(col, errors="coerce")
            if num.notna().sum() == col.notna().sum() and col.notna().any():
                col = num
        df[c if c not in df.columns else f"attr_{c}"] = col.to_numpy() if len(df) else col
    for c in (CUSTOMER, JOURNEY, STEP, "channel", "contact_id", "event_id"):
        df[c] = df[c].astype(object)
    if engine == "polars":
        import polars as pl

        return pl.from_pandas(df)
    return df
