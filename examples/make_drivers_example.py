"""Write the example file for `kundfokus drivers` (seeded, synthetic).

    python examples/make_drivers_example.py [--seed 11] [--out examples]

``drivers_survey.csv``: one row per answered after-contact survey (1,500 rows). Columns: errand
(id), channel (phone/chat/email), reason (billing/technical/moving/other), wait_minutes (time in
queue), contacts_per_errand (how many contacts the errand took), first_contact_resolved (0/1),
nps_score (0-10) and detractor (1 when nps_score is 0-6).

The NPS answer is made to fall with the wait and with every extra contact, to rise when the errand
was resolved at the first contact, and to differ a little by channel; the reason has almost no
effect of its own. Longer waits and more contacts go together (errands that bounce between
agents queue again), so the drivers overlap, as they do in real data. A few answers are blank.
The data is invented; no real person is in it.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

CHANNELS = {"phone": 0.0, "chat": 0.3, "email": -0.6}
REASONS = {"billing": 0.0, "technical": -0.2, "moving": 0.1, "other": 0.0}


def survey(rng: np.random.Generator, n: int = 1500) -> list[dict[str, object]]:
    rows = []
    for e in range(1, n + 1):
        channel = str(rng.choice(list(CHANNELS), p=[0.5, 0.3, 0.2]))
        reason = str(rng.choice(list(REASONS), p=[0.4, 0.3, 0.1, 0.2]))
        complexity = rng.gamma(2.0, 0.5) + (0.5 if reason == "technical" else 0.0)
        resolved = int(rng.random() < 1 / (1 + np.exp(complexity - 1.6)))
        contacts = 1 + (0 if resolved else 1 + int(rng.poisson(0.6 * complexity)))
        base_wait = {"phone": 6.0, "chat": 3.0, "email": 10.0}[channel]
        wait = float(rng.gamma(2.0, base_wait / 2)) + 2.0 * (contacts - 1)
        score = (
            8.6
            - 0.12 * wait
            - 0.55 * (contacts - 1)
            + 1.1 * resolved
            + CHANNELS[channel]
            + REASONS[reason]
            + rng.normal(0, 1.6)
        )
        nps: object = int(np.clip(round(score), 0, 10))
        wait_text: object = round(wait, 1)
        if rng.random() < 0.01:
            nps = ""
        if rng.random() < 0.005:
            wait_text = ""
        rows.append(
            {
                "errand": f"E{e:05d}",
                "channel": channel,
                "reason": reason,
                "wait_minutes": wait_text,
                "contacts_per_errand": contacts,
                "first_contact_resolved": resolved,
                "nps_score": nps,
                "detractor": "" if nps == "" else int(int(nps) <= 6),  # type: ignore[call-overload]
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    rows = survey(np.random.default_rng(args.seed))
    path = args.out / "drivers_survey.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
