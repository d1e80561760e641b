"""Write the example file for `kundfokus journeys` and `kundfokus cpi` (seeded, synthetic).

    python examples/make_journeys_example.py [--seed 11] [--out examples]

``journeys_events.csv``: one row per event of contact-centre journeys (errands), 800 customers,
January-March 2024. A journey starts with ``contact_opened``; then ``self_service`` (the customer
tries the help pages) or ``first_answer`` (an agent answers), maybe ``transferred`` to another
agent/queue and a new ``first_answer``, then ``resolved``; some resolved errands are ``reopened``
and resolved again. A few journeys are still open at the end of the data (the last days), some are
abandoned. Columns:

- customer_id, journey_id, step, timestamp (ISO 8601, UTC, ``YYYY-MM-DD HH:MM:SS``);
- channel (phone/chat/email; can change within a journey after a transfer);
- agent (empty for self-service and contact_opened);
- amount_saved (SEK the customer saved, at ``resolved`` for billing errands, else empty);
- ces_score (1-7, the Customer Effort answer given at ``resolved``, sometimes empty);
- reason (billing/technical/moving/other, the same on every event of a journey).

Some customers come back with the same reason within a few weeks (repeat contacts).
The data is invented; no real person is in it.
"""

from __future__ import annotations

import argparse
import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

COLUMNS = [
    "customer_id", "journey_id", "step", "timestamp", "channel", "agent", "amount_saved",
    "ces_score", "reason",
]  # fmt: skip
CHANNELS = ["phone", "chat", "email"]
REASONS = ["billing", "technical", "moving", "other"]
AGENTS = [f"A{i:02d}" for i in range(1, 16)]
START = datetime(2024, 1, 1, 8, 0, 0)
END = datetime(2024, 3, 31, 18, 0, 0)


def _hours(rng: np.random.Generator, mean: float) -> timedelta:
    return timedelta(seconds=int(rng.exponential(mean) * 3600) + 60)


def journey(
    rng: np.random.Generator, customer: str, jid: str, start: datetime, reason: str
) -> list[dict[str, object]]:
    channel = str(rng.choice(CHANNELS, p=[0.5, 0.3, 0.2]))
    t = start
    rows: list[dict[str, object]] = []

    def add(step: str, agent: str = "", **extra: object) -> None:
        rows.append(
            {
                "customer_id": customer, "journey_id": jid, "step": step,
                "timestamp": t.strftime("%Y-%m-%d %H:%M:%S"), "channel": channel,
                "agent": agent, "amount_saved": "", "ces_score": "", "reason": reason, **extra,
            }
        )  # fmt: skip

    add("contact_opened")
    effort = 0.0
    if rng.random() < 0.25:
        t += _hours(rng, 0.3)
        add("self_service")
        effort -= 0.5
        if rng.random() < 0.45:  # solved it alone
            t += _hours(rng, 0.2)
            add("resolved", ces_score=int(np.clip(round(rng.normal(5.8, 0.8)), 1, 7)))
            return rows
        if rng.random() < 0.25:  # gave up
            return rows
    wait = {"phone": 0.2, "chat": 0.5, "email": 14.0}[channel]
    t += _hours(rng, wait)
    agent = str(rng.choice(AGENTS))
    add("first_answer", agent)
    while rng.random() < 0.22:  # transferred, maybe more than once
        t += _hours(rng, 0.5)
        add("transferred", agent)
        effort += 1.0
        if rng.random() < 0.3:
            channel = str(rng.choice(CHANNELS))
        agent = str(rng.choice(AGENTS))
        t += _hours(rng, wait)
        add("first_answer", agent)
    if rng.random() < 0.05:  # abandoned after the answer
        return rows
    t += _hours(rng, {"billing": 6.0, "technical": 20.0, "moving": 30.0, "other": 4.0}[reason])
    saved = int(rng.integers(50, 900)) if reason == "billing" and rng.random() < 0.6 else ""
    ces: object = int(np.clip(round(rng.normal(5.0 - effort, 1.1)), 1, 7))
    if rng.random() < 0.3:
        ces = ""
    add("resolved", agent, amount_saved=saved, ces_score=ces)
    if rng.random() < 0.12:
        t += _hours(rng, 48.0)
        add("reopened", agent)
        t += _hours(rng, 10.0)
        if t < END and rng.random() < 0.85:
            add("resolved", agent, ces_score=int(np.clip(round(rng.normal(3.5, 1.2)), 1, 7)))
    return rows


def events(rng: np.random.Generator, n_customers: int = 800) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    n = 0
    span = (END - START).total_seconds()
    for c in range(1, n_customers + 1):
        customer = f"C{c:04d}"
        starts = sorted(START + timedelta(seconds=float(rng.uniform(0, span)))
                        for _ in range(1 + int(rng.poisson(0.5))))  # fmt: skip
        reason = str(rng.choice(REASONS, p=[0.4, 0.3, 0.1, 0.2]))
        for i, s in enumerate(starts):
            if i and rng.random() < 0.5:  # the same problem again, soon
                s = starts[i - 1] + timedelta(days=float(rng.uniform(1, 20)))
            else:
                reason = str(rng.choice(REASONS, p=[0.4, 0.3, 0.1, 0.2]))
            n += 1
            jrows = journey(rng, customer, f"J{n:05d}", s, reason)
            rows.extend(
                r for r in jrows if str(r["timestamp"]) <= END.strftime("%Y-%m-%d %H:%M:%S")
            )
    rows.sort(key=lambda r: (str(r["timestamp"]), str(r["journey_id"])))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    rows = events(rng)
    path = args.out / "journeys_events.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {path} ({len(rows)} events)")


if __name__ == "__main__":
    main()
