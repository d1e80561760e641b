"""Does correcting the contacts at the top of the review queue teach more than correcting random ones?

Side by side, in one process, on the same data and the same start: import contacts with a few
labels per intent, train version 1, then correct ``--batch`` contacts chosen (a) by the review
queue or (b) at random, retrain, and measure version 2 on every contact still unlabelled (the
true intent is known for all of them). Repeated over seeds; prints both accuracies and their ratio.

    python benchmarks/review_queue_vs_random.py                       # tests/data sample, 5 seeds
    python benchmarks/review_queue_vs_random.py --data ../shared/data/banking77/train.csv \\
        --intents 20 --per-intent 40 --seeds 3

Data: BANKING77 (Casanueva et al. 2020, CC BY 4.0), columns ``text,category``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from kundfokus.services.contacts_import import import_contacts
from kundfokus.services.review import correct, retrain, review_queue, training_set
from kundfokus.store import db
from kundfokus.store.models import Contact, Inference, ModelVersion
from kundfokus.store.testing import temporary_store

ROOT = Path(__file__).resolve().parents[1]


def load(path: Path, intents: int | None, per_intent: int | None, seed: int) -> pd.DataFrame:
    df = pd.read_csv(path)
    if intents:
        keep = sorted(df["category"].unique())[:intents]
        df = df[df["category"].isin(keep)]
    if per_intent:
        shuffled = df.sample(frac=1, random_state=seed)
        df = shuffled[shuffled.groupby("category").cumcount() < per_intent]
    df = df.sample(frac=1, random_state=seed).reset_index(drop=True)
    n = len(df)
    return df.assign(
        id=[f"b{i:05d}" for i in range(n)], customer_id="c", timestamp="2024-01-01", channel="chat"
    )


def accuracy_of(session, version: int, ids: list[str], truth: dict[str, str]) -> float:
    rows = session.execute(
        sa.select(Contact.external_id, Inference.label)
        .join(Contact, Contact.id == Inference.contact_id)
        .join(ModelVersion, ModelVersion.id == Inference.model_version_id)
        .where(ModelVersion.version == version, ModelVersion.axis == "reason")
    ).all()
    guess = dict(rows)
    return float(np.mean([guess[i] == truth[i] for i in ids]))


def run(df: pd.DataFrame, strategy: str, start: int, batch: int, seed: int) -> dict[str, float]:
    df = df.assign(reason_label=df["category"].where(df.groupby("category").cumcount() < start))
    truth = dict(zip(df["id"], df["category"], strict=True))
    with (
        tempfile.TemporaryDirectory() as tmp,
        temporary_store("sqlite", tmp) as url,
        db.session_scope(url) as s,
    ):
        import_contacts(
            s, df.drop(columns=["category"]), source="bench",
            label_columns={"reason": "reason_label"}, rules=False,
        )  # fmt: skip
        retrain(s, "reason")
        if strategy == "queue":
            picked = review_queue(s, "reason", limit=batch)["id"].tolist()
        else:
            rest = sorted(set(df["id"]) - set(training_set(s, "reason")["external_id"]))
            rng = np.random.default_rng(seed)
            picked = [str(x) for x in rng.choice(rest, batch, replace=False)]
        for ext in picked:
            correct(s, ext, "reason", truth[ext], by="bench")
        retrain(s, "reason")
        rest = sorted(set(df["id"]) - set(training_set(s, "reason")["external_id"]))
        return {
            "v1_on_picked": accuracy_of(s, 1, picked, truth),
            "v2_on_rest": accuracy_of(s, 2, rest, truth),
            "n_rest": len(rest),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests/data/banking77_review_sample.csv")
    ap.add_argument("--intents", type=int, default=None)
    ap.add_argument("--per-intent", type=int, default=None)
    ap.add_argument("--start", type=int, default=3, help="labels per intent before the loop")
    ap.add_argument("--batch", type=int, default=40, help="corrections per strategy")
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    rows = []
    t0 = time.perf_counter()
    for seed in range(args.seeds):
        df = load(args.data, args.intents, args.per_intent, seed)
        for strategy in ("queue", "random"):
            r = run(df, strategy, args.start, args.batch, seed)
            rows.append({"seed": seed, "strategy": strategy, **r})
    res = pd.DataFrame(rows)
    wide = res.pivot(index="seed", columns="strategy", values="v2_on_rest")
    print(res.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    q, r = wide["queue"].mean(), wide["random"].mean()
    print(
        f"\nversion-2 accuracy on the still unlabelled contacts, mean over {args.seeds} seeds: "
        f"queue {q:.3f}, random {r:.3f}, ratio queue/random {q / r:.3f}; "
        f"queue better in {(wide['queue'] > wide['random']).sum()} of {args.seeds} seeds "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
