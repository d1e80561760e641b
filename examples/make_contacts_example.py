"""Generate ``examples/contacts.csv``: a small, made-up set of Swedish and English contacts.

Every personal number, phone number and e-mail address in it is fictitious (the personnummer are
Luhn-valid on purpose, so that redaction has something to find). Run from the repository root:

    python examples/make_contacts_example.py
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

TEXTS = [
    ("chat", "Hej! Mitt kort är stulet, spärra det nu. Mitt personnummer är 811218-9876."),
    ("phone", "Jag har blivit dragen dubbelt för samma köp på 1 299 kr, vad gör jag?"),
    ("email", "Hur ändrar jag min adress? Vi flyttar den 1 maj."),
    ("chat", "Jag vill säga upp mitt konto, ring mig på 070-123 45 67."),
    ("app", "Kortet har inte kommit fast det gått två veckor, jag reser utomlands på fredag!"),
    ("email", "Min pappa har gått bort och jag behöver hjälp med hans konton."),
    ("chat", "Kan jag höja gränsen för kortköp idag?"),
    ("phone", "Jag behöver ett nytt kort innan resan i morgon."),
    ("email", "Tack för snabb hjälp igår, allt fungerar nu!"),
    ("chat", "Varför har min överföring inte kommit fram? Ärende 2024-12345."),
    ("chat", "My card was stolen, please block it right now."),
    ("email", "How do I change my PIN? My e-mail is anna.svensson@example.com"),
    ("phone", "I was charged twice for the same purchase, this is unacceptable!"),
    ("app", "I want to close my account."),
    ("chat", "What is the exchange rate for euros today?"),
    ("email", "I am moving to Germany next month, can I keep my account?"),
    ("chat", "My transfer is still pending after three days, order 558812."),
    ("phone", "I need a new card before my trip on Friday."),
    ("app", "Where can I see my statements?"),
    ("email", "Thanks, the refund arrived. Great service!"),
]


def main(
    path: Path = Path(__file__).with_name("contacts.csv"), n: int = 60, seed: int = 11
) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, 8, 0)
    rows = []
    for i in range(n):
        channel, text = TEXTS[i % len(TEXTS)] if i < len(TEXTS) else rng.choice(TEXTS)
        when = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
        rows.append(
            {
                "id": f"K{i + 1:04d}",
                "customer_id": f"C{rng.randrange(1, 40):03d}",
                "timestamp": when.strftime("%Y-%m-%dT%H:%M"),
                "channel": channel,
                "text": text,
                "queue": rng.choice(["privat", "kort", "betalningar"]),
                "handle_time_s": rng.randrange(60, 900),
            }
        )
    rows.sort(key=lambda r: r["timestamp"])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
