"""How well the built-in purpose-type rules do on real contacts: BANKING77 mapped to purpose types.

BANKING77 (Casanueva et al. 2020, CC BY 4.0) holds 13,083 online-banking customer queries in English
labelled with 77 intents. ``kundfokus.contacts.taxonomies.banking77_purpose`` maps each intent to one
of our four purpose types (problem, need, intent, question); this script runs the rules
(``RuleModel("purpose")``, no training) over the texts and compares.

Printed side by side: the rules, the majority class, and a "question mark" baseline (question when
the text has "?", else the majority class), with accuracy, macro-F1, per-class precision/recall
and the confusion matrix. Rules were developed against the *train* split; the *test* split (3,080
texts, 40 per intent) is the figure to quote. It is the baseline a trained model must beat.

Run::

    .venv/bin/python benchmarks/rules_eval.py ../shared/data/banking77
    .venv/bin/python benchmarks/rules_eval.py ../shared/data/banking77 --split train --show 20
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

from kundfokus.contacts.rules import PURPOSE_TYPES, RuleModel
from kundfokus.contacts.taxonomies import banking77_purpose


def load(folder: Path, split: str) -> tuple[list[str], list[str], list[str]]:
    mapping = banking77_purpose()
    with open(folder / f"{split}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = [r["text"] for r in rows]
    intents = [r["category"] for r in rows]
    return texts, [mapping[i] for i in intents], intents


def report(name: str, y: list[str], pred: np.ndarray) -> dict:
    y_arr = np.asarray(y, dtype=object)
    acc = float(np.mean(pred == y_arr))
    per = {}
    f1s = []
    for lab in PURPOSE_TYPES:
        tp = int(np.sum((pred == lab) & (y_arr == lab)))
        p = tp / max(1, int(np.sum(pred == lab)))
        r = tp / max(1, int(np.sum(y_arr == lab)))
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per[lab] = (p, r, f1)
        f1s.append(f1)
    return {"name": name, "accuracy": acc, "macro_f1": float(np.mean(f1s)), "per": per}


# A proxy for urgency (our choice, not part of BANKING77): intents where acting at once protects the
# customer's money, and purely informational intents where nothing is at stake yet.
URGENT_INTENTS = ("lost_or_stolen_card", "compromised_card", "lost_or_stolen_phone",
                  "card_swallowed", "card_payment_not_recognised", "cash_withdrawal_not_recognised")  # fmt: skip
INFO_INTENTS = ("exchange_rate", "age_limit", "fiat_currency_support", "supported_cards_and_currencies",
                "country_support", "atm_support", "card_acceptance", "visa_or_mastercard",
                "top_up_limits", "card_delivery_estimate", "transfer_timing", "disposable_card_limits")  # fmt: skip


def urgency_proxy(texts: list[str], intents: list[str]) -> None:
    """Share guessed ``now`` for urgent intents versus informational ones."""
    model = RuleModel("urgency", lang="en")
    print("\nurgency proxy (our grouping of intents; not BANKING77 labels)")
    for name, group in (("urgent intents", URGENT_INTENTS), ("informational", INFO_INTENTS)):
        sel = [t for t, i in zip(texts, intents, strict=True) if i in group]
        pred = model.predict(sel)
        share = {lab: float(np.mean(pred == lab)) for lab in ("now", "today", "no_rush")}
        print(f"  {name:<16} n={len(sel):>5}  now {share['now']:.3f}  today {share['today']:.3f}"
              f"  no_rush {share['no_rush']:.3f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="folder with BANKING77 train.csv and test.csv")
    ap.add_argument("--split", default="test", choices=["train", "test"])
    ap.add_argument("--show", type=int, default=0, help="print this many errors per true class")
    args = ap.parse_args(argv)

    texts, y, intents = load(args.folder, args.split)
    counts = {lab: y.count(lab) for lab in PURPOSE_TYPES}
    majority = max(counts, key=counts.get)
    print(f"BANKING77 {args.split}: {len(texts):,} texts; purpose types: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))  # fmt: skip

    model = RuleModel("purpose", lang="en")
    t0 = time.perf_counter()
    pred = model.predict(texts)
    secs = time.perf_counter() - t0
    qmark = np.array([("question" if "?" in t else majority) for t in texts], dtype=object)
    results = [
        report("rules (RuleModel('purpose'))", y, pred),
        report(f"majority class ({majority})", y, np.array([majority] * len(y), dtype=object)),
        report(f"'?' -> question, else {majority}", y, qmark),
    ]
    print(f"\n{'system':<34}{'accuracy':>9}{'macro-F1':>10}")
    for r in results:
        print(f"{r['name']:<34}{r['accuracy']:>9.4f}{r['macro_f1']:>10.4f}")
    print(f"\nrules per class ({args.split}):  precision  recall   F1")
    for lab, (p, r, f1) in results[0]["per"].items():
        print(f"  {lab:<12}{p:>18.3f}{r:>8.3f}{f1:>7.3f}")
    print("\nconfusion (rows: true, columns: rules)")
    print(" " * 12 + "".join(f"{lab:>10}" for lab in PURPOSE_TYPES))
    y_arr = np.asarray(y, dtype=object)
    for t in PURPOSE_TYPES:
        row = [int(np.sum((y_arr == t) & (pred == p))) for p in PURPOSE_TYPES]
        print(f"{t:<12}" + "".join(f"{v:>10}" for v in row))
    print(f"\nspeed: {len(texts) / secs:,.0f} texts/second (one core)")
    urgency_proxy(texts, intents)
    if args.show:
        for t in PURPOSE_TYPES:
            errs = [(x, p, i) for x, yy, p, i in zip(texts, y, pred, intents, strict=True)
                    if yy == t and p != t]  # fmt: skip
            print(f"\n{t} misread ({len(errs)}):")
            for x, p, i in errs[: args.show]:
                print(f"  -> {p:<9} [{i}] {x}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
