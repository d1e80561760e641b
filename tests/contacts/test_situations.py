"""Situations in aggregate: grouping by situation only, needs per situation, engines, store, CLI."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.metrics import silhouette_score
from typer.testing import CliRunner

from kundfokus.cli import app
from kundfokus.contacts.situations import situations, weighted_silhouette
from kundfokus.errors import InputError
from kundfokus.services.contacts_import import import_contacts
from kundfokus.services.review import correct
from kundfokus.store import db
from kundfokus.store.repositories import situations_frame
from kundfokus.store.testing import BACKENDS, temporary_store

PLANTED = [
    # urgency, treatment, mood, tags, channel, purposes (cycled)
    ("now", "personal", "negative", "bereavement", "phone", ["need", "need", "question"]),
    ("now", "quick", "negative", "travelling_abroad", "chat", ["problem"]),
    ("no_rush", "self_service", "neutral", "moving_house|new_customer", "email", ["intent", "question"]),
]  # fmt: skip


def planted(n_per: tuple[int, ...] = (60, 40, 30), seed: int = 0) -> pd.DataFrame:
    """Three situations with noise: in every fourth contact one random situation feature
    takes another random value."""
    rng = np.random.default_rng(seed)
    values = {
        "urgency": ["now", "today", "no_rush"],
        "treatment": ["quick", "personal", "guided", "self_service"],
        "mood": ["negative", "neutral", "positive"],
        "channel": ["phone", "chat", "email", "social"],
    }
    rows = []
    for s, (n, spec) in enumerate(zip(n_per, PLANTED, strict=True)):
        u, t, m, tags, ch, purposes = spec
        for i in range(n):
            row = {"urgency": u, "treatment": t, "mood": m, "tags": tags, "channel": ch}
            if i % 4 == 3:
                col = str(rng.choice(list(values)))
                row[col] = str(rng.choice([v for v in values[col] if v != row[col]]))
            row.update(
                purpose=purposes[i % len(purposes)],
                reason=f"reason_{s}_{i % 2}",
                timestamp=pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 90))),
                planted=s,
                noisy=i % 4 == 3,
            )
            rows.append(row)
    return pd.DataFrame(rows)


def test_weighted_silhouette_equals_sklearn_on_expanded_data():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 2, (40, 7)).astype(float)
    w = rng.integers(1, 6, 40)
    lab = rng.integers(0, 4, 40)
    expected = silhouette_score(np.repeat(x, w, axis=0), np.repeat(lab, w))
    assert weighted_silhouette(x, lab, w) == pytest.approx(expected, abs=1e-12)


def test_recovers_planted_situations_and_reports_needs_per_situation():
    df = planted()
    res = situations(df, k_range=(2, 6))
    assert res.chosen_by == "silhouette" and res.k == 3
    assert res.scan["k"].tolist() == [2, 3, 4, 5, 6]
    scan = res.scan.set_index("k")
    assert res.silhouette == pytest.approx(scan.loc[3, "silhouette"])
    eligible = scan[scan["eligible"]]
    assert (eligible["smallest_share"] >= 0.05).all()
    assert res.silhouette >= eligible["silhouette"].max() - 0.01
    assert not scan.loc[5, "eligible"]  # k=5 peels off groups of a handful of noisy contacts
    assert res.summary["n"].tolist() == [60, 40, 30]  # numbered by size
    # every planted group lands in exactly one situation
    key = df[["urgency", "treatment", "mood", "tags", "channel"]].astype(str).agg("|".join, axis=1)
    pkey = res.profiles[["urgency", "treatment", "mood", "tags", "channel"]].agg("|".join, axis=1)
    sit = key.map(dict(zip(pkey, res.profiles["situation"], strict=True)))
    assert pd.crosstab(df["planted"], sit).gt(0).sum(axis=1).tolist() == [1, 1, 1]
    names = res.summary.set_index("situation")
    assert names.loc[1, "name_en"] == "urgent now · personal help · negative · bereavement · phone"
    assert names.loc[1, "name_sv"] == "akut nu · personlig hjälp · negativ · dödsfall · telefon"
    assert "moving house" in names.loc[3, "name_en"] and "flytt" in names.loc[3, "name_sv"]
    assert names.loc[3, "tags"] == "moving_house|new_customer"
    # needs per situation, checked against a direct count
    s1 = res.needs[res.needs["situation"] == 1].set_index("purpose")
    assert s1["n"].to_dict() == {"need": 40, "question": 20}
    assert s1["share"].to_dict() == pytest.approx({"need": 2 / 3, "question": 1 / 3})
    assert res.reasons.groupby("situation")["n"].sum().tolist() == [60, 40, 30]
    ch2 = res.channels[res.channels["situation"] == 2]
    assert ch2["channel"].iloc[0] == "chat" and ch2["share"].iloc[0] >= 0.75
    assert ch2["n"].sum() == 40 and ch2["share"].sum() == pytest.approx(1.0)
    for period in ("week", "month"):
        vol = situations(df, k=3, period=period).volumes
        assert vol.groupby("situation")["n"].sum().tolist() == [60, 40, 30]
    month = situations(df, k=3).volumes
    assert set(month["period"]) <= {"2024-01-01", "2024-02-01", "2024-03-01"}
    weeks = situations(df, k=3, period="week").volumes
    assert (pd.to_datetime(weeks["period"]).dt.dayofweek == 0).all()  # weeks start on Monday


def test_the_need_does_not_shape_the_situations():
    df = planted()
    shuffled = df.assign(purpose=df["purpose"].sample(frac=1, random_state=1).to_numpy())
    a, b = situations(df, k=3), situations(shuffled, k=3)
    pd.testing.assert_frame_equal(a.profiles, b.profiles)
    assert not a.needs.equals(b.needs)


def test_same_result_on_pandas_polars_lazy_and_duckdb():
    df = planted().drop(columns=["planted", "noisy"])
    ref = situations(df, k_range=(2, 5))
    pl_df = pl.from_pandas(df)
    rel = duckdb.from_arrow(pl_df.to_arrow())
    for native in (pl_df, pl_df.lazy(), rel):
        res = situations(native, k_range=(2, 5))
        assert res.k == ref.k
        pd.testing.assert_frame_equal(res.summary, ref.summary)
        for name in ("needs", "reasons", "channels", "volumes"):
            got = getattr(res, name).reset_index(drop=True)
            want = getattr(ref, name).reset_index(drop=True)
            pd.testing.assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.spark
def test_runs_on_spark(spark):
    df = planted().drop(columns=["planted", "noisy"])
    res = situations(spark.createDataFrame(df), k=3)
    ref = situations(df, k=3)
    pd.testing.assert_frame_equal(res.summary, ref.summary)
    pd.testing.assert_frame_equal(
        res.needs.reset_index(drop=True), ref.needs.reset_index(drop=True), check_dtype=False
    )


def test_bad_input():
    df = planted()
    with pytest.raises(InputError) as err:
        situations(df.drop(columns=["mood"]))
    assert err.value.column == "mood"
    with pytest.raises(InputError):
        situations(df, period="day")
    with pytest.raises(InputError):
        situations(df, k_range=(1, 3))
    two = df[~df["noisy"] & df["planted"].isin([0, 1])]
    one = situations(two)
    assert one.chosen_by == "profiles" and one.k == 2  # only two distinct profiles


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path) as url:
        yield url


def test_situations_from_the_store_use_labels_over_guesses(store):
    texts = [
        "Min pappa har dött och jag behöver hjälp med hans konto, ring mig.",
        "My card was stolen abroad, block it now!",
        "How do I change my address? No rush.",
        "Jag har flyttat, hur ändrar jag adressen?",
    ]
    df = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(4)],
            "customer_id": ["c1", "c2", "c3", "c4"],
            "timestamp": ["2024-01-03", "2024-01-10", "2024-02-01", "2024-02-20"],
            "channel": ["phone", "chat", "email", "email"],
            "text": texts,
        }
    )
    with db.session_scope(store) as s:
        import_contacts(s, df, source="s.csv")
        correct(s, "s0", "tags", "bereavement", by="anna")
        correct(s, "s1", "tags", "travelling_abroad", by="anna")
        correct(s, "s3", "tags", "moving_house", by="anna")
        correct(s, "s3", "urgency", "today", by="anna")
        frame = situations_frame(s)
    assert frame["external_id"].tolist() == ["s0", "s1", "s2", "s3"]
    assert frame["tags"].tolist() == ["bereavement", "travelling_abroad", None, "moving_house"]
    assert frame.loc[3, "urgency"] == "today"  # the person's label wins over the rule guess
    assert frame["purpose"].notna().all() and frame["reason"].isna().all()
    res = situations(frame, k=2)
    assert res.summary["n"].sum() == 4
    assert set(res.needs["purpose"]) <= {"problem", "need", "intent", "question"}
    assert set(res.reasons["reason"]) == {"unknown"}


def test_cli_situations_text_json_html(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    df = planted().drop(columns=["planted", "noisy"])
    contacts = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(len(df))],
            "customer_id": "c",
            "timestamp": df["timestamp"].dt.strftime("%Y-%m-%d"),
            "channel": df["channel"],
            "text": "Hej",
            **{f"l_{a}": df[a] for a in ("urgency", "treatment", "mood", "tags", "purpose")},
        }
    )
    contacts.to_csv(tmp_path / "c.csv", index=False)
    runner = CliRunner()
    labels = []
    for a in ("urgency", "treatment", "mood", "tags", "purpose"):
        labels += ["--label", f"{a}=l_{a}"]
    try:
        r = runner.invoke(
            app, ["contacts", "import", str(tmp_path / "c.csv"), "--db", url, *labels]
        )
        assert r.exit_code == 0, r.output
        r = runner.invoke(app, ["contacts", "situations", "--db", url, "--k", "3"])
        assert r.exit_code == 0, r.output
        assert r.output.startswith("3 situations among 130 contacts (k given)")
        assert (
            "1. urgent now · personal help · negative · bereavement · phone: 60 contacts"
            in r.output
        )
        r = runner.invoke(app, ["contacts", "situations", "--db", url, "--format", "json"])
        data = json.loads(r.output)
        assert data["k"] == 3 and data["chosen_by"] == "silhouette"
        assert [s["n"] for s in data["summary"]] == [60, 40, 30]
        out = tmp_path / "sit.html"
        r = runner.invoke(
            app,
            ["contacts", "situations", "--db", url, "--format", "html", "--lang", "sv",
             "--out", str(out)],
        )  # fmt: skip
        assert r.exit_code == 0, r.output
        page = out.read_text(encoding="utf-8")
        assert "Behov per situation" in page and "akut nu" in page and "<svg" in page
    finally:
        db.dispose_engine(url)
