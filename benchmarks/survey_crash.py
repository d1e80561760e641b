"""Crash test of survey submissions: SIGKILL the server under load, restart it, count the rows.

Claim: every response that got a 201 or 200 is stored exactly once, with the id it was answered
with, even when the server process is killed (SIGKILL: no shutdown code runs) in the middle of the
load and the clients retry what was not answered.

    .venv/bin/python benchmarks/survey_crash.py                          # both back ends
    .venv/bin/python benchmarks/survey_crash.py --backend sqlite --requests 2000 --kills 3
    .venv/bin/python benchmarks/survey_crash.py --backend postgresql --no-retry

What it does, per back end:

1. A fresh store (an SQLite file, or a new schema on ``--pg``), an analyst and an API token made
   with the CLI, then ``python -m kundfokus serve`` in its own process group on a loopback port,
   and an NPS and a Kano survey created through the API.
2. The load of ``survey_load.py`` (the same requests: NPS with a comment, Kano with 5 features),
   ``--concurrency`` in flight. When ``--kill-at`` of the requests have been acknowledged (with
   ``--kills K``: at 1/(K+1), 2/(K+1), ...) the whole server process group gets SIGKILL while
   requests are in flight; after ``--downtime`` seconds it is started again on the same port
   (migrations run at start, as in production).
3. A request that got no answer (reset, refused, timed out) is sent again with the same client
   token until it is answered (``--no-retry``: given up), as a client should. A retry of a
   response that was committed just before the kill must answer 200 with the same id.
4. At the end every stored row is read twice: from the ``responses.csv`` export of each survey
   and straight from the ``survey_responses`` table. Reported: acknowledged, stored, lost
   (acknowledged but not stored), duplicated (a token stored more than once), wrong id (stored
   under another id than the one answered), and, for information, how many requests were in
   flight at a kill and how many answers were 200 after a retry (committed, but the first answer
   was lost with the process).

The exit status is 1 when anything was lost, duplicated or stored under another id, when the two
readings disagree, or when a request got an error status (a 4xx or 5xx) instead of an answer.

A SIGKILL tests a process crash: the operating system still writes out what the process handed
it. A power loss is not simulated; with ``PRAGMA synchronous=FULL`` (SQLite, see
``kundfokus.store.db``) and ``synchronous_commit=on`` (PostgreSQL's default) a commit returns only
after its log is fsynced, which is what covers that case.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import survey_load as sl


@dataclass
class CrashStats:
    backend: str
    requests: int
    acknowledged: int = 0
    created: int = 0
    repeated: int = 0
    repeated_after_retry: int = 0
    retries: int = 0
    in_flight_at_kill: list[int] = field(default_factory=list)
    unacknowledged: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    stored: int = 0
    stored_table: int = 0
    lost: int = 0
    duplicated: int = 0
    wrong_id: int = 0
    unacknowledged_stored: int = 0
    readings_agree: bool = True
    wall: float = 0.0

    @property
    def ok(self) -> bool:
        return (self.lost == 0 and self.duplicated == 0 and self.wrong_id == 0
                and self.readings_agree and not self.errors)  # fmt: skip


async def crash_load(
    server: sl.Server,
    requests: list[tuple[str, str, dict]],
    args: argparse.Namespace,
    stats: CrashStats,
) -> dict[str, tuple[int, int]]:
    """Run the load, killing and restarting ``server``; token -> (status, id) of its answer."""
    answered: dict[str, tuple[int, int]] = {}
    pending: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(requests)):
        pending.put_nowait(i)
    tries = [0] * len(requests)
    in_flight = 0
    left = len(requests)
    done = asyncio.Event()
    thresholds = [int(len(requests) * k / (args.kills + 1)) for k in range(1, args.kills + 1)]
    if args.kill_at is not None and args.kills == 1:
        thresholds = [int(len(requests) * args.kill_at)]
    kill_due = asyncio.Event()
    deadline = time.monotonic() + args.deadline

    def settle() -> None:
        nonlocal left
        left -= 1
        if thresholds and len(answered) >= thresholds[0]:
            kill_due.set()
        if left == 0:
            done.set()

    async with sl.HTTPPool(server.url, args.concurrency, timeout=args.timeout) as pool:

        async def worker() -> None:
            nonlocal in_flight
            while not done.is_set():
                try:
                    i = await asyncio.wait_for(pending.get(), timeout=0.2)
                except TimeoutError:
                    continue
                path, token, body = requests[i]
                tries[i] += 1
                in_flight += 1
                o = await sl.post_one(pool, path, token, body, time.perf_counter())
                in_flight -= 1
                if o.status in (200, 201):
                    answered[token] = (o.status, o.rid)
                    if o.status == 201:
                        stats.created += 1
                    else:
                        stats.repeated += 1
                        if tries[i] > 1:
                            stats.repeated_after_retry += 1
                    settle()
                elif o.status == 0 and not args.no_retry and time.monotonic() < deadline:
                    stats.retries += 1
                    await asyncio.sleep(random.uniform(0.02, 0.1))
                    pending.put_nowait(i)
                else:
                    if o.status:
                        key = f"HTTP {o.status}: {(o.error or '')[:120]}"
                        stats.errors[key] = stats.errors.get(key, 0) + 1
                    else:
                        stats.unacknowledged += 1
                    settle()

        async def killer() -> None:
            while thresholds and not done.is_set():
                await kill_due.wait()
                thresholds.pop(0)
                kill_due.clear()
                stats.in_flight_at_kill.append(in_flight)
                server.kill()
                print(f"  SIGKILL after {len(answered)} acknowledged, {in_flight} in flight",
                      flush=True)  # fmt: skip
                await asyncio.sleep(args.downtime)
                await asyncio.to_thread(server.start)
                print("  restarted", flush=True)
                if thresholds and len(answered) >= thresholds[0]:
                    kill_due.set()

        t0 = time.perf_counter()
        await asyncio.gather(killer(), *(worker() for _ in range(args.concurrency)))
        stats.wall = time.perf_counter() - t0
    return answered


def table_tokens(db: str, survey_ids) -> dict[str, list[int]]:
    """client_token -> ids, read straight from the ``survey_responses`` table."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(sl.sqlalchemy_url(db))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT client_token, id FROM survey_responses WHERE survey_id IN :ids"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": list(survey_ids)},
            ).all()
    finally:
        engine.dispose()
    out: dict[str, list[int]] = {}
    for token, rid in rows:
        out.setdefault(token, []).append(int(rid))
    return out


def crash_backend(backend: str, args: argparse.Namespace, folder: Path) -> CrashStats:
    stats = CrashStats(backend, args.requests)
    print(f"{backend}: {args.requests} requests, concurrency {args.concurrency}, "
          f"{args.kills} kill(s)", flush=True)  # fmt: skip
    with sl.fresh_store(backend, folder, args.pg, "crash") as db:
        token = sl.analyst_token(db)
        server = sl.kundfokus_server(db, folder, jobs=not args.no_jobs).start()
        try:
            ids = sl.create_surveys(server.url, token)
            targets = {k: f"/api/v1/surveys/{v}/responses" for k, v in ids.items()}
            requests = [sl.make_request(i, targets, "crash") for i in range(args.requests)]
            answered = sl.run_async(crash_load(server, requests, args, stats))
            if server.proc is None or server.proc.poll() is not None:
                server.start()
            stored = sl.exported_tokens(server.url, token, ids.values())
        finally:
            server.stop()
        in_table = table_tokens(db, ids.values())
    stats.acknowledged = len(answered)
    stats.stored = sum(len(v) for v in stored.values())
    stats.stored_table = sum(len(v) for v in in_table.values())
    stats.readings_agree = {t: sorted(v) for t, v in stored.items()} == {
        t: sorted(v) for t, v in in_table.items()
    }
    stats.lost = sum(1 for t in answered if t not in in_table or t not in stored)
    stats.duplicated = sum(
        1 for t in set(stored) | set(in_table) if max(len(stored.get(t, [])),
                                                      len(in_table.get(t, []))) > 1
    )  # fmt: skip
    stats.wrong_id = sum(
        1 for t, (_, rid) in answered.items() if t in in_table and in_table[t] != [rid]
    )
    stats.unacknowledged_stored = sum(1 for t in in_table if t not in answered)
    return stats


def print_report(rows: list[CrashStats]) -> None:
    print()
    head = (f"{'backend':<11}{'requests':>9}{'acknowledged':>13}{'stored':>8}{'lost':>6}"
            f"{'duplicated':>11}{'wrong id':>9}{'in flight at kill':>18}{'200 after retry':>16}"
            f"{'retries':>8}{'seconds':>8}")  # fmt: skip
    print(head)
    print("-" * len(head))
    for s in rows:
        flight = ",".join(str(n) for n in s.in_flight_at_kill) or "-"
        print(f"{s.backend:<11}{s.requests:>9}{s.acknowledged:>13}{s.stored:>8}{s.lost:>6}"
              f"{s.duplicated:>11}{s.wrong_id:>9}{flight:>18}{s.repeated_after_retry:>16}"
              f"{s.retries:>8}{s.wall:>8.1f}")  # fmt: skip
    print()
    for s in rows:
        verdict = "OK" if s.ok else "FAILED"
        print(f"{s.backend}: {verdict}: acknowledged={s.acknowledged} stored={s.stored} "
              f"lost={s.lost} duplicated={s.duplicated} wrong_id={s.wrong_id} "
              f"unacknowledged={s.unacknowledged} unacknowledged_but_stored="
              f"{s.unacknowledged_stored} export_matches_table={s.readings_agree}")  # fmt: skip
        for key, n in s.errors.items():
            print(f"  error x{n}: {key}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--requests", type=int, default=5000, help="distinct responses to send")
    p.add_argument("--concurrency", type=int, default=64, help="requests in flight")
    p.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--pg", default=sl.DEFAULT_PG, help="PostgreSQL server (a schema is made there)")
    p.add_argument("--kills", type=int, default=1, help="how many times to SIGKILL the server")
    p.add_argument(
        "--kill-at",
        type=float,
        default=None,
        help="with one kill: the share of acknowledged requests to kill at (0.5)",
    )
    p.add_argument("--downtime", type=float, default=0.5, help="seconds before the restart")
    p.add_argument("--no-retry", action="store_true", help="do not resend unanswered requests")
    p.add_argument("--no-jobs", action="store_true", help="serve with --no-jobs")
    p.add_argument("--timeout", type=float, default=30, help="seconds to wait for one answer")
    p.add_argument("--deadline", type=float, default=600, help="stop retrying after this")
    p.add_argument("--folder", type=Path, default=None, help="for SQLite files and server logs")
    args = p.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kf-crash-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for backend in backends:
            rows.append(crash_backend(backend, args, folder))
    print_report(rows)
    return 0 if all(s.ok for s in rows) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
