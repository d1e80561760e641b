"""Generate ``examples/odi_answers.csv``: a seeded, made-up outcome-driven-innovation survey.

A Swedish bank's contact centre asked 300 customers to rate each desired outcome in
``examples/jtbd_inventory.yaml`` twice on a 1-5 scale: how important it is and how satisfied they
are today. The answers are drawn so that a few outcomes are clearly under-served (reaching someone
who can help, repeating oneself, knowing whether money comes back) and one is over-served (opening
hours: chat and app are open around the clock, few care). Phone customers wait longer than chat
customers, so ``reach_time`` is worse on the phone. About 2% of answers are left blank.

Run from the project root (the output is committed; the same seed gives the same file):

    python examples/make_odi_example.py [--out examples/odi_answers.csv] [--n 300] [--seed 2016]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

#: Share of respondents answering 4 or 5: (importance, satisfaction) per outcome.
PROFILES: dict[str, tuple[float, float]] = {
    "reach_time": (0.85, 0.30),
    "repeat": (0.80, 0.25),
    "first_contact": (0.75, 0.45),
    "case_status": (0.60, 0.45),
    "opening_hours": (0.35, 0.85),
    "block_time": (0.90, 0.75),
    "refund_clarity": (0.88, 0.20),
    "identify": (0.60, 0.50),
    "explained": (0.70, 0.50),
    "late_payment": (0.65, 0.60),
    "bill_overview": (0.70, 0.35),
    "explain_charge": (0.45, 0.40),
}

CHANNELS: dict[str, float] = {"phone": 0.45, "chat": 0.35, "email": 0.20}

#: Satisfaction per channel where it differs from the profile.
CHANNEL_SATISFACTION: dict[tuple[str, str], float] = {
    ("reach_time", "phone"): 0.12,
    ("reach_time", "chat"): 0.50,
    ("repeat", "phone"): 0.18,
    ("repeat", "email"): 0.35,
    ("case_status", "email"): 0.25,
}

MISSING_RATE = 0.02


def draw(rng: np.random.Generator, top_share: float, size: int) -> np.ndarray:
    """Ratings 1-5 where ``top_share`` of the answers are 4 or 5 in expectation."""
    low = 1.0 - top_share
    probs = np.array([0.2 * low, 0.3 * low, 0.5 * low, 0.55 * top_share, 0.45 * top_share])
    return rng.choice(np.arange(1, 6), size=size, p=probs / probs.sum())


def generate(n: int = 300, seed: int = 2016) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    channels = rng.choice(list(CHANNELS), size=n, p=list(CHANNELS.values()))
    rows: list[dict[str, str]] = [
        {"respondent": f"R{i + 1:04d}", "channel": str(ch)} for i, ch in enumerate(channels)
    ]
    for outcome, (imp_share, sat_share) in PROFILES.items():
        importance = draw(rng, imp_share, n)
        satisfaction = np.array(
            [
                draw(rng, CHANNEL_SATISFACTION.get((outcome, str(ch)), sat_share), 1)[0]
                for ch in channels
            ]
        )
        imp_blank = rng.random(n) < MISSING_RATE
        sat_blank = rng.random(n) < MISSING_RATE
        for i, row in enumerate(rows):
            row[f"{outcome}_importance"] = "" if imp_blank[i] else str(importance[i])
            row[f"{outcome}_satisfaction"] = "" if sat_blank[i] else str(satisfaction[i])
    return rows


def check_inventory(inventory_path: Path) -> None:
    """Every generated outcome must be in the example inventory (and the other way round)."""
    from kundfokus.jtbd import read_inventory

    ids = set(read_inventory(inventory_path).outcome_ids)
    if ids != set(PROFILES):
        raise SystemExit(f"inventory and generator disagree: {sorted(ids ^ set(PROFILES))}")


def write(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "odi_answers.csv")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--inventory", type=Path, default=HERE / "jtbd_inventory.yaml")
    args = parser.parse_args(argv)
    check_inventory(args.inventory)
    write(generate(args.n, args.seed), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
