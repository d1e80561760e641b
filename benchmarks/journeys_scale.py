"""The journey map and ten CPIs on 10 million events, beside a plain pandas groupby implementation.

Claim (issue 10): kundfokus computes the journey map (steps, transitions with median and 90th
percentile time, the top variants, drop-off) and the ten bundled CPIs on 10 million events at
least 10x faster than a plain pandas groupby implementation of the same figures, under 4 GiB peak
memory, on a 2-core machine.

    .venv/bin/python benchmarks/journeys_scale.py                    # 10 million events
    .venv/bin/python benchmarks/journeys_scale.py --events 1000000   # a quicker run
    .venv/bin/python benchmarks/journeys_scale.py --engine polars    # a Polars lazy scan instead

How it measures
---------------
* A seeded generator writes the events to a Parquet file first (not timed): journeys of a contact
  centre (contact_opened, first_answer, self_service, transferred, resolved, reopened) with
  customer_id, journey_id, step, timestamp, channel, agent, amount_saved, ces_score and
  goal_achieved; about 10 % of the journeys are still open at the end of the data.
* kundfokus runs first, on a DuckDB relation over the Parquet file (``--engine duckdb``, default)
  or a Polars lazy scan (``--engine polars``): :func:`kundfokus.journeys.load_journeys` reads,
  checks and sorts the events once, then :func:`kundfokus.journeys.journey_map` and
  :func:`kundfokus.cpi.compute_cpis` (the bundled definitions) both use them, as the peer reads
  and sorts once for all its figures. Its peak memory is the process's
  peak resident set (``ru_maxrss``) right after it, before the peer has loaded anything.
* The peer then reads the same file into pandas and computes the same figures with sort +
  groupby + shift (the way one writes it by hand in pandas): per-journey first times of the
  conditions, counts, changes, sums, shares, plain medians of the durations (the peer drops open
  journeys, which is less work than kundfokus's Kaplan-Meier), transitions and variants.
* It prints both times and the ratio peer / kundfokus, and compares a few figures (transition
  counts, journey counts, the share CPIs), which must agree.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

STEPS = ["contact_opened", "first_answer", "self_service", "transferred", "resolved", "reopened"]
# path templates (step indices) and how often they occur; -1 marks "still open" at the end
TEMPLATES = [
    ([0, 1, 4], 0.30),
    ([0, 2, 4], 0.15),
    ([0, 1, 3, 1, 4], 0.12),
    ([0, 2, 1, 4], 0.08),
    ([0, 1, 4, 5, 1, 4], 0.07),
    ([0, 1, 3, 1, 4, 5, 1, 4], 0.04),
    ([0, 1, 3, 3, 1, 4], 0.04),
    ([0, 2], 0.05),
    ([0, 1], 0.05),
    ([0, 1, 3], 0.04),
    ([0, 2, 1, 3, 1, 4], 0.03),
    ([0], 0.03),
]
CHANNELS = np.array(["phone", "chat", "email", "web"])


def generate(n_events: int, path: Path, seed: int = 0) -> int:
    """Write about ``n_events`` events to ``path``; return the number written."""
    rng = np.random.default_rng(seed)
    lengths = np.array([len(t) for t, _ in TEMPLATES])
    probs = np.array([p for _, p in TEMPLATES])
    probs = probs / probs.sum()
    mean_len = float(lengths @ probs)
    n_journeys = int(n_events / mean_len)
    tpl = rng.choice(len(TEMPLATES), size=n_journeys, p=probs)
    per = lengths[tpl]
    offsets = np.concatenate([[0], np.cumsum(per)[:-1]])
    n = int(per.sum())
    journey = np.repeat(np.arange(n_journeys), per)
    pos = np.arange(n) - np.repeat(offsets, per)
    flat = np.concatenate([np.array(t) for t, _ in TEMPLATES])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    step = flat[np.repeat(starts[tpl], per) + pos]
    # times: journeys start over a year, gaps of minutes to days
    start = rng.uniform(0, 365 * 86400, n_journeys)
    gaps = rng.exponential(3 * 3600, n) * (pos > 0)
    gaps = np.where(step == 1, rng.exponential(1800, n), gaps) * (pos > 0)
    csum = np.cumsum(gaps)
    base = np.repeat(csum[offsets], per)
    secs = np.repeat(start, per) + (csum - base)
    ts = np.datetime64("2025-01-01T00:00:00") + (secs * 1e6).astype("timedelta64[us]")
    customers = rng.integers(0, max(1, n_journeys // 2), n_journeys)
    ch = rng.integers(0, 4, n_journeys)
    switch = rng.random(n) < 0.15
    channel = CHANNELS[(np.repeat(ch, per) + switch.cumsum()) % 4]
    agent = np.where(np.isin(step, [1, 3, 4]), rng.integers(0, 400, n), -1)
    resolved = step == 4
    table = pa.table(
        {
            "event_id": pa.array(np.arange(n)).cast(pa.string()),
            "customer_id": pa.array(np.repeat(customers, per)).cast(pa.string()),
            "journey_id": pa.array(journey).cast(pa.string()),
            "step": pa.DictionaryArray.from_arrays(pa.array(step.astype(np.int32)), STEPS),
            "timestamp": pa.array(ts),
            "channel": pa.array(channel).dictionary_encode(),
            "agent": pa.array(np.where(agent >= 0, agent, None), type=pa.int64()).cast(pa.string()),
            "amount_saved": pa.array(np.where(resolved, rng.gamma(2, 60, n), 0.0)),
            "ces_score": pa.array(
                np.where(resolved, rng.integers(1, 8, n), None), type=pa.float64()
            ),
            "goal_achieved": pa.array(
                np.where(resolved, (rng.random(n) < 0.8).astype(float), None), type=pa.float64()
            ),
        }
    )
    pq.write_table(table, path, row_group_size=1_000_000)
    return n


def kundfokus_run(path: Path, engine: str) -> dict:
    from kundfokus.cpi import compute_cpis, default_definitions
    from kundfokus.journeys import journey_map, load_journeys

    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET threads = {os.cpu_count() or 2}")
        events = con.read_parquet(str(path))
    else:
        import polars as pl

        events = pl.scan_parquet(path)
    t0 = time.perf_counter()
    loaded = load_journeys(events)  # read, check and sort once, for the map and the CPIs
    t_load = time.perf_counter() - t0
    jmap = journey_map(loaded)
    t_map = time.perf_counter() - t0 - t_load
    report = compute_cpis(loaded, default_definitions())
    elapsed = time.perf_counter() - t0
    table = report.table
    return {
        "seconds": elapsed,
        "load_seconds": t_load,
        "map_seconds": t_map,
        "transitions": jmap.transitions,
        "cpis": table,
        "n_journeys": jmap.n_journeys,
    }


def _first_time(e: pd.DataFrame, mask: pd.Series) -> pd.Series:
    return e.loc[mask].groupby("journey_id", observed=True)["timestamp"].min()


def pandas_peer(path: Path) -> dict:
    t0 = time.perf_counter()
    e = pd.read_parquet(path)
    e["step"] = e["step"].astype(str)
    e = e.sort_values(["journey_id", "timestamp"], kind="stable")
    g = e.groupby("journey_id", sort=False)
    # the map: transitions with counts and times, variants, drop-off
    nxt = g["step"].shift(-1)
    dt = (g["timestamp"].shift(-1) - e["timestamp"]).dt.total_seconds() / 3600
    tr = pd.DataFrame({"from_step": e["step"], "to_step": nxt, "h": dt}).dropna()
    tg = tr.groupby(["from_step", "to_step"])["h"]
    transitions = pd.DataFrame(
        {"n": tg.size(), "median_hours": tg.median(), "p90_hours": tg.quantile(0.9)}
    ).reset_index()
    paths = (e["step"] + " > ").groupby(e["journey_id"], sort=False).sum().str[:-3]
    variants = paths.value_counts().head(10)
    last = g["step"].last()
    reached = e.groupby("step")["journey_id"].nunique()
    drop_off = last.value_counts() / reached
    # the ten CPIs, one value per journey, then summaries
    opened = _first_time(e, e["step"] == "contact_opened")
    first = _first_time(e, e["step"].isin(["first_answer", "resolved"]))
    res = _first_time(e, e["step"] == "resolved")
    cpis = {}
    tfa = (first - opened).dt.total_seconds().dropna() / 60
    ttr = (res - opened).dt.total_seconds().dropna() / 3600
    cpis["time_to_first_answer"] = (tfa.median(), (tfa <= 60).mean())
    cpis["time_to_resolution"] = (ttr.median(), (ttr <= 24).mean())
    cnt = e[e["step"].isin(["contact_opened", "reopened"])].groupby("journey_id").size()
    cpis["contacts_per_errand"] = (cnt.mean(), (cnt <= 1).mean())
    for col, cid in (("channel", "channel_switches"), ("agent", "agent_handovers")):
        sub = e[e[col].notna()]
        prev = sub.groupby("journey_id", sort=False)[col].shift()
        ch = ((sub[col] != prev) & prev.notna()).groupby(sub["journey_id"]).sum()
        cpis[cid] = (ch.mean(), (ch == 0).mean())
    has = pd.get_dummies(e["step"]).groupby(e["journey_id"]).any()
    fcr = has["resolved"] & ~(has["transferred"] | has["reopened"])
    cpis["first_contact_resolution"] = (fcr.mean(), None)
    ss = has[has["self_service"]]
    cpis["self_service_success"] = ((ss["resolved"] & ~ss["first_answer"]).mean(), None)
    cpis["money_saved"] = (g["amount_saved"].sum().mean(), None)
    at = e[e["step"] == "resolved"].groupby("journey_id").first()
    cpis["effort_at_resolution"] = (at["ces_score"].mean(), None)
    cpis["goal_achieved"] = (at["goal_achieved"].mean(), None)
    elapsed = time.perf_counter() - t0
    return {
        "seconds": elapsed,
        "transitions": transitions,
        "variants": variants,
        "drop_off": drop_off,
        "cpis": cpis,
        "n_journeys": int(g.ngroups),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--engine", choices=["duckdb", "polars"], default="duckdb")
    ap.add_argument("--no-peer", action="store_true", help="only run kundfokus")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        t = time.perf_counter()
        n = generate(args.events, path, args.seed)
        print(
            f"generated {n:,} events in {time.perf_counter() - t:.1f} s ({path.stat().st_size / 2**20:.0f} MiB Parquet)"
        )
        ours = kundfokus_run(path, args.engine)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
        print(
            f"kundfokus ({args.engine}): {ours['seconds']:.1f} s (read, check and sort "
            f"{ours['load_seconds']:.1f} s, map {ours['map_seconds']:.1f} s, ten CPIs "
            f"{ours['seconds'] - ours['map_seconds'] - ours['load_seconds']:.1f} s), "
            f"peak memory {peak:.2f} GiB"
        )
        ok = True
        if not args.no_peer:
            peer = pandas_peer(path)
            ratio = peer["seconds"] / ours["seconds"]
            print(f"pandas groupby peer: {peer['seconds']:.1f} s")
            print(f"ratio peer / kundfokus: {ratio:.1f}x (aim: at least 10x)")
            a = ours["transitions"].set_index(["from_step", "to_step"])["n"].sort_index()
            b = peer["transitions"].set_index(["from_step", "to_step"])["n"].sort_index()
            same = a.astype(int).equals(b.astype(int)) and ours["n_journeys"] == peer["n_journeys"]
            cpi = ours["cpis"].set_index("cpi")
            for cid in ("first_contact_resolution", "self_service_success"):
                same &= abs(float(cpi.loc[cid, "value"]) - float(peer["cpis"][cid][0])) < 1e-9
            print(f"figures agree with the peer: {same}")
            ok = same
            print(f"aims: >= 10x {'met' if ratio >= 10 else 'missed'}; "
                  f"< 4 GiB {'met' if peak < 4 else 'missed'}")  # fmt: skip
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
