"""Write the example files for `kundfokus scores` and `kundfokus retention` (seeded, synthetic).

    python examples/make_scores_example.py [--seed 7] [--out examples]

- ``scores_survey.csv``: one row per survey answer. 600 respondents answer in a spring wave
  (March-May 2024); about 70% of them answer again in an autumn wave (September-November 2024), so
  the two waves can be compared as paired samples (``--paired --respondent respondent``). Columns:
  respondent, wave, date, channel (phone/chat/email), contact_reason, segment (private/business,
  plus a small "enterprise" segment that triggers the small-sample warning), nps (0-10),
  csat (1-5), ces (1-7). A few answers are blank (missing).
- ``customers_contracts.csv``: 2,000 monthly subscriptions started 2022-01 to 2024-12; each
  customer has their own monthly churn probability drawn from beta(0.7, 3.8), so cohorts follow a
  shifted-beta-geometric pattern. Columns: customer, start, end (empty = still active on
  2024-12-31), plan.

The data is invented; no real person is in it.
"""

from __future__ import annotations

import argparse
import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

CHANNELS = {"phone": 0.35, "chat": 0.15, "email": -0.25}
REASONS = ["billing", "technical", "moving", "other"]


def _nps_answer(rng: np.random.Generator, mood: float) -> int:
    x = 7.4 + 2.1 * mood + rng.normal(0, 2.0)
    return int(np.clip(round(x), 0, 10))


def survey(rng: np.random.Generator, n: int = 600) -> list[dict[str, object]]:
    rows = []
    for r in range(1, n + 1):
        segment = "enterprise" if r % 50 == 0 else ("business" if r % 3 == 0 else "private")
        base = rng.normal(0, 0.6)
        waves = [("2024-spring", date(2024, 3, 1), 0.0)]
        if rng.random() < 0.7:
            waves.append(("2024-autumn", date(2024, 9, 1), 0.15))  # service got a bit better
        for wave, first_day, lift in waves:
            channel = rng.choice(list(CHANNELS), p=[0.5, 0.3, 0.2])
            mood = base + CHANNELS[channel] + lift + rng.normal(0, 0.4)
            day = first_day + timedelta(days=int(rng.integers(0, 91)))
            ces = int(np.clip(round(5.2 + 1.2 * mood + rng.normal(0, 1.1)), 1, 7))
            sat = int(np.clip(round(3.9 + 0.9 * mood + rng.normal(0, 0.7)), 1, 5))
            nps: object = _nps_answer(rng, mood)
            if rng.random() < 0.01:
                nps = ""
            rows.append(
                {
                    "respondent": f"R{r:04d}",
                    "wave": wave,
                    "date": day.isoformat(),
                    "channel": channel,
                    "contact_reason": rng.choice(REASONS, p=[0.4, 0.3, 0.1, 0.2]),
                    "segment": segment,
                    "nps": nps,
                    "csat": sat,
                    "ces": ces,
                }
            )
    rows.sort(key=lambda row: (row["date"], row["respondent"]))
    return rows


def contracts(rng: np.random.Generator, n: int = 2000) -> list[dict[str, object]]:
    as_of = date(2024, 12, 31)
    rows = []
    for c in range(1, n + 1):
        start = date(2022, 1, 1) + timedelta(days=int(rng.integers(0, 1096)))
        p = rng.beta(0.7, 3.8)
        months = min(int(rng.geometric(p)), 600)  # months paid before leaving (at least one)
        end = start + timedelta(days=round(30.44 * months))
        rows.append(
            {
                "customer": f"C{c:05d}",
                "start": start.isoformat(),
                "end": end.isoformat() if end <= as_of else "",
                "plan": "premium" if rng.random() < 0.3 else "basic",
            }
        )
    rows.sort(key=lambda row: (row["start"], row["customer"]))
    return rows


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "scores_survey.csv", survey(rng))
    write(args.out / "customers_contracts.csv", contracts(rng))
    print(f"wrote {args.out / 'scores_survey.csv'} and {args.out / 'customers_contracts.csv'}")


if __name__ == "__main__":
    main()
