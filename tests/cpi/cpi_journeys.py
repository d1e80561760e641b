"""Generated journeys with known answers, for the CPI tests.

Every journey is a contact that opens, gets a first answer after a known number of minutes, may be
transferred (then the agent changes), may switch channel, and is resolved after a known number of
hours, or stays open. The truth per journey is returned beside the events, computed from the
generating numbers, not from the events.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2024-03-01 08:00:00")


def generate(
    n: int = 300, seed: int = 1, open_share: float = 0.2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rows: list[dict] = []
    truth: list[dict] = []
    channels = ["phone", "chat", "email"]
    for j in range(n):
        cust = j // 2  # two journeys per customer
        t0 = START + pd.Timedelta(minutes=int(rng.integers(0, 60 * 24 * 40)))
        channel = channels[j % 3]
        answer_min = int(rng.integers(1, 180))
        resolve_h = float(rng.integers(4, 72))  # after every other event (<= 3h13m)
        is_open = rng.random() < open_share
        transferred = bool(rng.random() < 0.3)
        switch = bool(rng.random() < 0.25)
        extra_contacts = int(rng.integers(0, 3))
        saved = float(rng.integers(0, 500))
        ces = int(rng.integers(1, 8))
        agent = f"a{j % 7}"
        other_agent = f"a{(j + 1) % 7}"
        base = dict(customer_id=cust, journey_id=j)

        def ev(step, t, ch=channel, ag=agent, amount=np.nan, score=np.nan, base=base, cust=cust):
            rows.append(
                dict(
                    base,
                    step=step,
                    timestamp=t,
                    channel=ch,
                    agent=ag,
                    amount_saved=amount,
                    ces_score=score,
                    segment="A" if cust % 2 else "B",
                )
            )

        ev("contact_opened", t0)
        ev("first_answer", t0 + pd.Timedelta(minutes=answer_min))
        ch2 = "chat" if channel != "chat" else "phone"
        changes = 0
        handovers = 0
        for k in range(extra_contacts):
            ev(
                "contact_opened",
                t0 + pd.Timedelta(minutes=answer_min + 1 + k),
                ch=ch2 if switch else channel,
            )
        if switch and extra_contacts:
            changes = 1
        if transferred:
            ev(
                "transferred",
                t0 + pd.Timedelta(minutes=answer_min + 10),
                ch=ch2 if switch and extra_contacts else channel,
                ag=other_agent,
            )
            handovers = 1
        last_channel = ch2 if switch and extra_contacts else channel
        last_agent = other_agent if transferred else agent
        last = t0 + pd.Timedelta(minutes=answer_min + max(extra_contacts, 10 if transferred else 0))
        if not is_open:
            last = t0 + pd.Timedelta(hours=resolve_h)
            ev(
                "resolved",
                t0 + pd.Timedelta(hours=resolve_h),
                ch=last_channel,
                ag=last_agent,
                amount=saved,
                score=ces,
            )
        truth.append(
            dict(
                customer_id=cust,
                journey_id=j,
                answer_minutes=answer_min,
                resolve_hours=resolve_h if not is_open else np.nan,
                open=is_open,
                start=t0,
                last=last,
                contacts=1 + extra_contacts,
                channel_switches=changes,
                handovers=handovers,
                fcr=(not is_open) and not transferred,
                saved=0.0 if is_open else saved,
                ces=np.nan if is_open else ces,
                segment="A" if cust % 2 else "B",
            )
        )
    events = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return events, pd.DataFrame(truth)


DEFS = {
    "cpis": [
        {
            "id": "tfa",
            "kind": "duration",
            "from": {"step": "contact_opened"},
            "to": {"step": "first_answer"},
            "unit": "minutes",
            "target": 60,
        },
        {
            "id": "ttr",
            "kind": "duration",
            "from": {"step": "contact_opened"},
            "to": {"step": "resolved"},
            "unit": "hours",
            "target": 24,
        },
        {"id": "contacts", "kind": "count", "where": {"step": "contact_opened"}, "target": 1},
        {"id": "switches", "kind": "changes", "field": "channel", "target": 0},
        {"id": "handovers", "kind": "changes", "field": "agent"},
        {
            "id": "fcr",
            "kind": "share",
            "reach": {"step": "resolved"},
            "without": {"step": "transferred"},
            "target": 0.5,
        },
        {"id": "saved", "kind": "sum", "field": "amount_saved", "unit": "SEK"},
        {"id": "saved_median", "kind": "sum", "field": "amount_saved", "stat": "median"},
        {
            "id": "ces",
            "kind": "answer",
            "field": "ces_score",
            "at": {"step": "resolved"},
            "target": 5,
        },
        {"id": "chat_resolved", "kind": "share", "reach": {"step": "resolved", "channel": "chat"}},
    ]
}
