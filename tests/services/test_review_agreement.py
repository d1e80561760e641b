"""Overlap, independent second opinions, agreement figures and a lead's decision, on the store."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from kundfokus.contacts.agreement import cohen_kappa, krippendorff_alpha
from kundfokus.errors import InputError
from kundfokus.services.agreement import agreement, set_overlap, settle
from kundfokus.services.contacts_import import import_contacts
from kundfokus.services.review import contact_detail, correct, in_overlap, review_queue
from kundfokus.store import db
from kundfokus.store.models import Label
from kundfokus.store.testing import BACKENDS, temporary_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path, test_data):
    df = pd.read_csv(test_data / "banking77_review_sample.csv").head(80)
    df = df.assign(
        id=[f"o{i:03d}" for i in range(len(df))],
        customer_id="c",
        timestamp="2024-02-01",
        channel="chat",
    )
    df["reason_label"] = df["category"].where(df.groupby("category").cumcount() < 2)
    with temporary_store(request.param, tmp_path) as url:
        with db.session_scope(url) as s:
            import_contacts(s, df.drop(columns=["category"]), source="o.csv",
                            label_columns={"reason": "reason_label"})  # fmt: skip
        yield url, dict(zip(df["id"], df["category"], strict=True))


def test_overlap_membership_is_deterministic_and_about_the_share():
    ids = [f"id{i}" for i in range(4000)]
    inside = [i for i in ids if in_overlap(i, 0.25)]
    assert 0.22 < len(inside) / len(ids) < 0.28
    assert set(inside) <= {i for i in ids if in_overlap(i, 0.5)}  # a larger share keeps them


def test_second_reviewer_sees_overlap_contacts_and_agreement_is_measured(store):
    url, truth = store
    labels = sorted(set(truth.values()))
    with db.session_scope(url) as s:
        with pytest.raises(InputError, match="from 0 to 1"):
            set_overlap(s, 1.5, by="admin")
        set_overlap(s, 0.5, by="admin")
        q_anna = review_queue(s, "reason", limit=30, reviewer="anna")
        assert (q_anna["kind"] == "queue").all()
        for ext in q_anna["id"]:
            correct(s, ext, "reason", truth[ext], by="anna")
        first = {ext for ext in q_anna["id"] if in_overlap(ext, 0.5)}
        assert len(first) >= 5
    with db.session_scope(url) as s:
        q_bo = review_queue(s, "reason", limit=60, reviewer="bo")
        second = q_bo.loc[q_bo["kind"] == "second_look", "id"].tolist()
        assert set(second) == first  # exactly the overlap contacts anna labelled
        assert q_bo["kind"].tolist()[: len(second)] == ["second_look"] * len(second)
        assert q_bo["why"].iloc[0].startswith("reason: second look")
        # anna does not get her own overlap contacts back
        again = review_queue(s, "reason", limit=60, reviewer="anna")
        assert set(again["id"]).isdisjoint(first)
        bo_labels = {}
        for n, ext in enumerate(sorted(second)):
            wrong = labels[(labels.index(truth[ext]) + 1) % len(labels)]
            bo_labels[ext] = truth[ext] if n % 3 else wrong
            r = correct(s, ext, "reason", bo_labels[ext], by="bo")
            assert not r.applied and r.overlap and r.correction_id is None
    with db.session_scope(url) as s:
        # the label in force is still anna's; bo's is kept beside it
        current = dict(
            s.execute(sa.select(Label.contact_id, Label.label).where(Label.axis == "reason")).all()
        )
        detail = contact_detail(s, sorted(second)[0])
        assert detail["labels"]["reason"]["who"] == "anna"
        assert [r["who"] for r in detail["reviews"]] == ["anna", "bo"]
        ag = agreement(s, "reason")
    assert len(current) > 0
    units = [[truth[e], bo_labels[e]] for e in sorted(second)]
    assert ag["n_overlap"] == len(second)
    assert ag["alpha"] == pytest.approx(round(krippendorff_alpha(units), 4))
    assert ag["kappa"] == pytest.approx(
        round(cohen_kappa([u[0] for u in units], [u[1] for u in units]), 4)
    )
    split = sorted(e for e in second if bo_labels[e] != truth[e])
    assert ag["n_disagreements"] == len(split) >= 1
    d = ag["disagreements"][0]
    assert set(d["labels"]) == {"anna", "bo"} and d["current"] == truth[d["id"]]
    assert {r["label"] for r in ag["per_label"]} <= set(labels)

    # a lead settles: the lead's label wins and becomes the label in force, audited
    with db.session_scope(url) as s:
        with pytest.raises(InputError, match="only a lead"):
            settle(s, d["id"], "reason", d["labels"]["bo"], by="bo", role="reviewer")
        res = settle(s, d["id"], "reason", d["labels"]["bo"], by="lead@x", role="analyst")
        assert res.applied and res.after == d["labels"]["bo"]
        later = correct(s, d["id"], "reason", truth[d["id"]], by="anna")
        assert not later.applied  # after a lead's decision only a lead changes it
    with db.session_scope(url) as s:
        detail = contact_detail(s, d["id"])
        ag2 = agreement(s, "reason")
    assert detail["labels"]["reason"]["label"] == d["labels"]["bo"]
    assert detail["history"][-1]["who"] == "lead@x"
    settled = next(x for x in ag2["disagreements"] if x["id"] == d["id"])
    assert settled["settled"] == d["labels"]["bo"]
    assert ag2["disagreements"][-1]["settled"] is not None  # unsettled ones are listed first


def test_agreement_without_overlap_is_empty(store):
    url, _ = store
    with db.session_scope(url) as s:
        ag = agreement(s, "reason")
    assert ag["n_overlap"] == 0 and ag["alpha"] is None and ag["disagreements"] == []
