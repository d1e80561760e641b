"""Seeded journey generators with known answers, and a plain-Python reference journey map."""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

import numpy as np

STEPS = ["opened", "answered", "transferred", "resolved", "reopened"]
T0 = datetime(2024, 1, 1, 8, 0, 0)


def random_events(
    seed: int, n_customers: int = 40, ties: bool = False, shuffle: bool = False
) -> list[dict[str, Any]]:
    """Random journeys (1-3 per customer, 1-7 events each); minute-resolution times.

    ``ties=False`` keeps every gap inside a journey at least one minute, so the order is the same
    in every engine; ``ties=True`` allows gaps of zero (broken by file order).
    """
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    n = 0
    for c in range(n_customers):
        start = T0 + timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
        reason = rng.choice(["billing", "tech", None])
        for _ in range(rng.randint(1, 3)):
            n += 1
            t = start
            segment = rng.choice(["private", "business"])
            length = rng.randint(1, 7)
            for k in range(length):
                step = "opened" if k == 0 else rng.choice(STEPS[1:])
                rows.append(
                    {
                        "customer_id": f"c{c:03d}",
                        "journey_id": f"j{n:04d}",
                        "step": step,
                        "timestamp": t,
                        "channel": rng.choice(["phone", "chat"]),
                        "segment": segment if k == 0 else rng.choice(["private", "business"]),
                        "reason": reason,
                    }
                )
                t += timedelta(minutes=rng.randrange(0 if ties else 1, 3000))
            start += timedelta(days=rng.choice([2, 10, 29, 31, 45]))
            if rng.random() < 0.3:
                reason = rng.choice(["billing", "tech", None])
    if shuffle:
        rng.shuffle(rows)
    else:
        rows.sort(key=lambda r: (r["timestamp"], r["journey_id"]))
    return rows


def reference_map(
    rows: list[dict[str, Any]],
    *,
    by: str | None = None,
    reason: str | None = None,
    end_steps: list[str] | None = None,
    open_days: float | None = None,
    repeat_days: float = 30,
    top: int = 10,
) -> dict[str, Any]:
    """The journey map by plain loops, to check the SQL against (same definitions as the docs)."""
    journeys: dict[tuple[str, str], list[tuple[datetime, int, dict[str, Any]]]] = defaultdict(list)
    for i, r in enumerate(rows):
        journeys[(str(r["customer_id"]), str(r["journey_id"]))].append((r["timestamp"], i, r))
    data_end = max(r["timestamp"] for r in rows)
    n_events: Counter = Counter()
    reached: Counter = Counter()
    status: dict[tuple[Any, str], Counter] = defaultdict(Counter)
    gaps: dict[tuple[Any, str, str], list[float]] = defaultdict(list)
    paths: dict[Any, Counter] = defaultdict(Counter)
    starts = []
    for (c, j), evs in journeys.items():
        evs.sort(key=lambda e: (e[0], e[1]))
        first = evs[0][2]
        g = None if by is None or first[by] is None else str(first[by])
        rsn = first["step"] if reason is None else first[reason]
        steps = [e[2]["step"] for e in evs]
        for s in steps:
            n_events[(g, s)] += 1
        for s in set(steps):
            reached[(g, s)] += 1
        last, last_ts = steps[-1], evs[-1][0]
        if end_steps is None:
            st = "n_dropped"
        elif last in end_steps:
            st = "n_ended"
        elif open_days is None or last_ts >= data_end - timedelta(days=open_days):
            st = "n_open"
        else:
            st = "n_dropped"
        status[(g, last)][st] += 1
        for a, b in itertools.pairwise(evs):
            gaps[(g, a[2]["step"], b[2]["step"])].append((b[0] - a[0]).total_seconds() / 3600)
        paths[g][" > ".join(steps)] += 1
        starts.append((c, j, g, rsn, evs[0][0]))
    steps_t = {
        k: {
            "n_events": n_events[k],
            "n_journeys": reached[k],
            "n_ended": status[k]["n_ended"],
            "n_open": status[k]["n_open"],
            "n_dropped": status[k]["n_dropped"],
            "drop_off": status[k]["n_dropped"] / reached[k],
        }
        for k in reached
    }
    trans = {
        k: {
            "n": len(v),
            "median_hours": float(np.quantile(v, 0.5)),
            "p90_hours": float(np.quantile(v, 0.9)),
        }
        for k, v in gaps.items()
    }
    variants = {}
    for g, cnt in paths.items():
        total = sum(cnt.values())
        ranked = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        for rank, (p, n) in enumerate(ranked, 1):
            variants[(g, rank)] = {"path": p, "n": n, "share": n / total}
    by_cr: dict[tuple[str, Any], list[tuple[datetime, str, Any]]] = defaultdict(list)
    for c, j, g, rsn, start in starts:
        by_cr[(c, rsn)].append((start, j, g))
    rep: dict[tuple[Any, Any], dict[str, Any]] = defaultdict(
        lambda: {"n_journeys": 0, "c": set(), "n_repeats": 0, "cr": set()}
    )
    for (c, rsn), js in by_cr.items():
        js.sort(key=lambda x: (x[0], x[1]))
        prev = None
        for start, _j, g in js:
            d = rep[(g, rsn)]
            d["n_journeys"] += 1
            d["c"].add(c)
            if rsn is not None and prev is not None and start - prev <= timedelta(days=repeat_days):
                d["n_repeats"] += 1
                d["cr"].add(c)
            prev = start
    repeats = {
        k: {
            "n_journeys": d["n_journeys"],
            "n_customers": len(d["c"]),
            "n_repeats": d["n_repeats"],
            "repeat_share": d["n_repeats"] / d["n_journeys"],
            "n_customers_repeating": len(d["cr"]),
        }
        for k, d in rep.items()
    }
    return {
        "steps": steps_t,
        "transitions": trans,
        "variants": variants,
        "repeats": repeats,
        "n_journeys": len(journeys),
        "n_events": len(rows),
        "data_end": data_end,
    }
