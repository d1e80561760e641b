"""Journey events into the store: all or nothing, deterministic ids, duplicates refused, read back
equal, on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest
import sqlalchemy as sa

from kundfokus.errors import InputError
from kundfokus.journeys import journey_map
from kundfokus.services.journeys_import import import_events, load_events
from kundfokus.store import db
from kundfokus.store.models import ImportBatch, JourneyEvent
from kundfokus.store.testing import BACKENDS, temporary_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def frame(n_journeys: int, start: int = 0) -> pd.DataFrame:
    rows = []
    for j in range(start, start + n_journeys):
        t0 = pd.Timestamp("2024-04-01 08:00") + pd.Timedelta(hours=j)
        for k, step in enumerate(["opened", "answered", "resolved"][: 1 + j % 3]):
            rows.append(
                {
                    "customer_id": f"c{j % 7}",
                    "journey_id": f"j{j}",
                    "step": step,
                    "timestamp": (t0 + pd.Timedelta(minutes=30 * k)).isoformat(sep=" "),
                    "channel": "chat" if j % 2 else "phone",
                    "agent": f"A{k}" if k else "",
                    "ces_score": str(3 + j % 5) if step == "resolved" else "",
                }
            )
    return pd.DataFrame(rows)


def count(url: str) -> int:
    with db.session_scope(url) as s:
        return s.scalar(sa.select(sa.func.count()).select_from(JourneyEvent))


def test_import_stores_every_event_and_reads_back(store) -> None:
    df = frame(30)
    with db.session_scope(store) as s:
        res = import_events(s, pl.from_pandas(df), source="events.csv", by="lena",
                            steps=["opened", "answered", "resolved"])  # fmt: skip
    assert (res.n_events, res.n_journeys, res.n_customers) == (len(df), 30, 7)
    assert res.generated_ids and res.steps == {"answered": 20, "opened": 30, "resolved": 10}
    with db.session_scope(store) as s:
        ev = s.scalar(sa.select(JourneyEvent).where(JourneyEvent.journey_id == "j2",
                                                    JourneyEvent.step == "resolved"))  # fmt: skip
        assert ev.attributes == {"agent": "A2", "ces_score": "5"}
        assert ev.channel == "phone" and ev.contact_id is None
        assert ev.timestamp.isoformat() == "2024-04-01T11:00:00"
        batch = s.get(ImportBatch, res.batch_id)
        assert batch.source == "events.csv" and batch.imported_by == "lena"
        assert batch.n_rows == len(df) and batch.options["kind"] == "journey_events"
    back = load_events(store)
    assert len(back) == len(df) and back["ces_score"].dropna().tolist()  # numeric again
    assert pd.api.types.is_numeric_dtype(back["ces_score"])
    # the map of the stored events equals the map of the file
    a = journey_map(df, end_steps=["resolved"])
    b = journey_map(load_events(store, engine="polars"), end_steps=["resolved"])
    for t in ("steps", "transitions", "variants", "repeats"):
        pd.testing.assert_frame_equal(getattr(a, t), getattr(b, t))


def test_reimport_is_refused_and_nothing_is_written(store) -> None:
    import_events(store, frame(10), source="a.csv")
    n = count(store)
    both = pd.concat([frame(5, start=10), frame(10)], ignore_index=True)  # new ones + old ones
    with pytest.raises(InputError, match="already in the store") as err:
        import_events(store, both, source="b.csv")
    assert err.value.row == len(frame(5, start=10)) + 1
    assert count(store) == n  # the new events were not written either
    import_events(store, frame(5, start=10), source="c.csv")
    assert count(store) == n + len(frame(5, start=10))


def test_file_event_ids_are_kept_and_checked(store) -> None:
    df = frame(4)
    df["event_id"] = [f"x{i}" for i in range(len(df))]
    res = import_events(store, df, source="ids.csv")
    assert not res.generated_ids
    assert sorted(load_events(store)["event_id"]) == sorted(df["event_id"])
    df2 = frame(2, start=50)
    df2["event_id"] = ["x0"] + [f"y{i}" for i in range(len(df2) - 1)]
    with pytest.raises(InputError, match="event id already in the store") as err:
        import_events(store, df2, source="ids2.csv")
    assert (err.value.row, err.value.column, err.value.value) == (1, "event_id", "x0")


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"step": "closed"}, "step", "unknown step"),
        ({"timestamp": "2024-04-01 07:00:00"}, "timestamp", "time goes backwards"),
        ({"timestamp": "soon"}, "timestamp", "not a timestamp"),
    ],
)
def test_bad_row_writes_nothing(store, change, column, message) -> None:
    df = frame(40)
    row = 2  # data row 3: the second event of journey j1 (j0 has one event)
    for k, v in change.items():
        df.loc[row, k] = v
    with pytest.raises(InputError, match=message) as err:
        import_events(store, df, source="bad.csv", steps=["opened", "answered", "resolved"])
    assert (err.value.row, err.value.column) == (row + 1, column)
    assert count(store) == 0
    with db.session_scope(store) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_duplicate_ids_in_the_file_and_long_values(store) -> None:
    df = frame(3)
    df["event_id"] = ["e1", "e2", "e1", "e3", "e4", "e5"][: len(df)]
    with pytest.raises(InputError, match="duplicate event id") as err:
        import_events(store, df, source="d.csv")
    assert (err.value.row, err.value.value) == (3, "e1")
    df = frame(3)
    df.loc[0, "channel"] = "x" * 60
    with pytest.raises(InputError, match="longer than 50") as err:
        import_events(store, df, source="l.csv")
    assert (err.value.row, err.value.column) == (1, "channel")
    assert count(store) == 0


def test_bulk_import_in_chunks(store) -> None:
    df = frame(4000)  # 8,000 events: more than one insert chunk
    res = import_events(store, df, source="big.csv")
    assert res.n_events == len(df) == count(store)
    assert len(load_events(store, batch_id=res.batch_id, since=pd.Timestamp("2024-04-02"))) < len(
        df
    )
