"""Generate ``examples/recommend_history.csv``: made-up contact-centre history for
``kundfokus recommend``.

Each row is one errand: the customer's situation (``need``, ``urgency``, ``mood``), the service
mode the agent chose (``mode``), the probability with which the old routing chose it
(``propensity``), and two outcomes: ``resolved`` (1 when solved without a repeat contact) and
``minutes`` (time to resolution). The history is confounded on purpose: urgent and upset customers
were mostly sent to the specialist queue, which is the best mode for everyone but looks worst in
raw averages because it got the hardest cases. Customers come back (``customer_id``,
``contacted_at``), so earlier-behaviour features can be derived. Run from the repository root:

    python examples/make_recommend_example.py
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

MODES = ["callback", "chat", "self_service_guide", "specialist_queue"]
NEEDS = ["card_lost", "billing", "address_change"]
BASE = {"card_lost": 0.55, "billing": 0.6, "address_change": 0.8}
EFFECT = {"callback": 0.05, "chat": 0.0, "self_service_guide": -0.05, "specialist_queue": 0.15}


def true_resolution(need: str, urgency: str, mood: str, mode: str) -> float:
    p = BASE[need] + EFFECT[mode]
    if urgency == "urgent":
        p -= 0.25
        if mode == "self_service_guide":
            p -= 0.15
        if mode == "callback":
            p += 0.05
    if mood == "upset":
        p -= 0.1
    return float(min(max(p, 0.02), 0.98))


def routing(urgency: str, mood: str) -> list[float]:
    if urgency == "urgent":
        return [0.2, 0.1, 0.05, 0.65] if mood == "upset" else [0.3, 0.15, 0.1, 0.45]
    return [0.15, 0.3, 0.5, 0.05] if mood == "neutral" else [0.2, 0.35, 0.35, 0.1]


def main(n: int = 2400, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    out = Path(__file__).resolve().parent / "recommend_history.csv"
    start = datetime(2025, 1, 1, 8, 0)
    customers = [f"C{i:04d}" for i in range(700)]
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["case_id", "customer_id", "contacted_at", "need", "urgency", "mood", "mode",
                    "propensity", "resolved", "minutes"])  # fmt: skip
        for i in range(n):
            need = str(rng.choice(NEEDS, p=[0.35, 0.4, 0.25]))
            urgency = "urgent" if rng.random() < (0.6 if need == "card_lost" else 0.25) else "calm"
            mood = "upset" if rng.random() < (0.5 if urgency == "urgent" else 0.2) else "neutral"
            probs = routing(urgency, mood)
            k = int(rng.choice(len(MODES), p=probs))
            mode = MODES[k]
            resolved = int(rng.random() < true_resolution(need, urgency, mood, mode))
            minutes = round(float(rng.gamma(2.0, 20.0 if resolved else 45.0)), 1)
            when = start + timedelta(minutes=int(i * 37 + rng.integers(0, 30)))
            w.writerow([f"K{i:05d}", str(rng.choice(customers)), when.isoformat(), need, urgency,
                        mood, mode, probs[k], resolved, minutes])  # fmt: skip
    return out


if __name__ == "__main__":
    print(f"wrote {main()}")
