"""Survey submissions under load: one ``kundfokus serve`` process beside a minimal FastAPI floor.

Claim: one server process acknowledges at least 500 NPS and Kano responses per second (each one
committed before its 201), with p99 latency under 100 ms, within 2x of a minimal FastAPI endpoint
that inserts the same row with no validation (the floor), on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/survey_load.py                      # both back ends, 3 x 5000
    .venv/bin/python benchmarks/survey_load.py --backend sqlite --requests 20000
    .venv/bin/python benchmarks/survey_load.py --backend postgresql --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/survey_load.py --rate 500           # open loop: 500 req/s offered

How it measures
---------------
* Every server runs in its own subprocess (``python -m kundfokus serve`` and, for the floor,
  ``python -m uvicorn --factory survey_load:floor_app``), both with uvicorn's defaults (uvloop,
  httptools, access log off), so the load generator never shares a GIL with a server.
* The floor is :func:`floor_app` below: one FastAPI route that takes the JSON body as a plain
  ``dict`` and, in a worker thread (at most 8 at a time, as kundfokus does), inserts
  ``survey_id, client_token, lang, answers, context, complete, submitted_at`` into a table of the
  same shape (unique ``(survey_id, client_token)``, an index on ``survey_id``, a foreign key to a
  survey table) through the *same* kundfokus engine (:func:`kundfokus.store.db.get_engine`: the
  same pool, SQLite pragmas, write lock and durability), commits and answers 201 ``{"id"}``.
  What is left between the two is the cost of kundfokus itself: validation, redaction, the
  survey and webhook look-ups, the ORM, the middleware and the larger router.
* The load generator is asyncio on uvloop in this process with :class:`HTTPPool`, a minimal
  HTTP/1.1 keep-alive client with ``--concurrency`` connections (``--client httpx`` uses
  ``httpx.AsyncClient`` instead: it is far too slow to load a server here, see the class).
  Half the requests are NPS (a score, a comment that is redacted, two context keys), half Kano
  (5 features: functional, dysfunctional and importance, as codes and as wordings). Each round
  starts with warm-up requests that are not counted; ``--rounds`` rounds alternate between
  kundfokus and the floor (both servers stay up), and the ratio is taken per round, so a machine
  that gets slower or faster during the run disturbs it less.
* Closed loop by default: ``--concurrency`` requests are always in flight, so the figure is the
  most a server sustains, and by Little's law its mean latency is ``concurrency / throughput``
  (64 in flight at 600 req/s is about 107 ms). ``--rate R`` runs an open loop instead (one
  request every 1/R s, at most ``--concurrency`` in flight, latency counted from the planned
  start so a stalled server is not hidden): that is the latency at a given load.
* The CPU time of each server process, of this generator, of all ``postgres`` processes and of
  everything else on the machine (``/proc``) is read around the measured part: when the
  generator's CPU is close to 100% of one core it is the bottleneck, and when other processes
  were busy the output says the figures are disturbed.
* Afterwards every acknowledged token is looked up in the store (kundfokus: through the
  ``responses.csv`` export): ``lost`` (acknowledged, not stored) and ``duplicated`` (stored more
  than once) must both be 0, and the exit status is 1 otherwise or when a request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_PG = os.environ.get(
    "KUNDFOKUS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ANALYST = "bench-analyst@example.se"
PASSWORD = "passwordpassword"
N_FEATURES = 5
KANO_TEXTS = [
    "I like it that way",
    "It must be that way",
    "I am neutral",
    "I can live with it that way",
    "I dislike it that way",
]
COMMENTS = [
    "Snabb och trevlig hjälp, tack!",
    "Fick vänta länge i telefonkön men sen gick det bra.",
    "Ring mig gärna på 070-123 45 67 om ni har frågor.",
    "Helpful agent, solved my card problem on the first call.",
    "Skicka svaret till anna.svensson@example.se istället.",
    "",
]
TICK = os.sysconf("SC_CLK_TCK")
FLOOR_THREADS = 8  # as kundfokus.web.api.submit_response
MAX_IDLE = 2.0  # seconds a keep-alive connection may rest before the generator drops it


# --------------------------------------------------------------------------------------------------
# The floor: a minimal FastAPI endpoint that inserts the same row with no validation


def floor_app():
    """The floor app (``uvicorn --factory survey_load:floor_app``), store from ``FLOOR_DB``."""
    from datetime import UTC, datetime

    import anyio.to_thread
    from fastapi import Body, FastAPI
    from fastapi.responses import JSONResponse
    from sqlalchemy import (
        JSON,
        Boolean,
        Column,
        DateTime,
        ForeignKey,
        Integer,
        MetaData,
        String,
        Table,
        UniqueConstraint,
        insert,
    )

    from kundfokus.store.db import get_engine

    engine = get_engine(os.environ["FLOOR_DB"])
    meta = MetaData()
    surveys = Table("floor_surveys", meta, Column("id", Integer, primary_key=True))
    responses = Table(
        "floor_responses",
        meta,
        Column("id", Integer, primary_key=True),
        Column("survey_id", ForeignKey("floor_surveys.id", ondelete="CASCADE"), index=True),
        Column("client_token", String(200)),
        Column("lang", String(5)),
        Column("answers", JSON),
        Column("context", JSON),
        Column("complete", Boolean),
        Column("submitted_at", DateTime),
        UniqueConstraint("survey_id", "client_token"),
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        if conn.execute(surveys.select().limit(1)).first() is None:
            conn.execute(insert(surveys), [{"id": 1}, {"id": 2}])
    stmt = insert(responses).returning(responses.c.id)
    limiter: list = []
    app = FastAPI()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/floor/{survey_id}/responses", status_code=201)
    async def submit(survey_id: int, body: dict = Body(...)):
        row = {
            "survey_id": survey_id,
            "client_token": body.get("client_token"),
            "lang": body.get("lang") or "sv",
            "answers": body.get("answers") or {},
            "context": body.get("context") or {},
            "complete": True,
            "submitted_at": datetime.now(UTC).replace(tzinfo=None),
        }

        def store() -> int:
            with engine.begin() as conn:
                return conn.execute(stmt, row).scalar_one()

        # the database work in a worker thread, at most 8 at a time: what kundfokus does
        if not limiter:
            limiter.append(anyio.CapacityLimiter(FLOOR_THREADS))
        new_id = await anyio.to_thread.run_sync(store, limiter=limiter[0])
        return JSONResponse({"id": new_id}, status_code=201)

    return app


def floor_tokens(url: str) -> dict[str, list[int]]:
    """client_token -> stored ids, read straight from the floor's table."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT client_token, id FROM floor_responses")).all()
    finally:
        engine.dispose()
    out: dict[str, list[int]] = {}
    for token, rid in rows:
        out.setdefault(token, []).append(int(rid))
    return out


# --------------------------------------------------------------------------------------------------
# Stores and servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def fresh_store(
    backend: str, folder: Path, pg: str = DEFAULT_PG, name: str = "kf"
) -> Iterator[str]:
    """The URL of an empty store: an SQLite file in ``folder`` or a new schema on ``pg``
    (selected with ``options=-csearch_path``), removed at the end."""
    if backend == "sqlite":
        path = folder / f"{name}-{uuid.uuid4().hex[:8]}.db"
        try:
            yield str(path)
        finally:
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{name}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in pg else "?"
        try:
            yield f"{pg}{sep}options={quote(f'-csearch_path={schema}')}"
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def sqlalchemy_url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


class Server:
    """A server subprocess (in its own process group) on a loopback port."""

    def __init__(self, name: str, argv: list[str], port: int, env: dict[str, str], log: Path):
        self.name, self.argv, self.port, self.env, self.log = name, argv, port, env, log
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        import httpx

        out = open(self.log, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT),
            start_new_session=True,
        )  # fmt: skip
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log}:\n{self.tail()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer /healthz in {timeout} s; see {self.log}")

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def cpu(self) -> float:
        """CPU seconds (user + system, all threads) of the server process so far."""
        return proc_cpu(self.proc.pid) if self.proc else 0.0

    def kill(self) -> None:
        """SIGKILL, at once, to the whole process group (no shutdown code runs)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def postgres_cpu() -> float:
    """CPU seconds of every ``postgres`` process on this machine (0 when not readable)."""
    total = 0.0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        if stat.split("(", 1)[1].split(")", 1)[0] == "postgres":
            total += proc_cpu(int(d.name))
    return total


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("KUNDFOKUS_SECRET_KEY", "benchmark-secret-key")
    return env


def kundfokus_server(
    db: str, folder: Path, *, jobs: bool = True, port: int | None = None
) -> Server:
    port = port or free_port()
    argv = [sys.executable, "-m", "kundfokus", "serve", "--db", db, "--port", str(port)]
    if not jobs:
        argv.append("--no-jobs")
    return Server("kundfokus", argv, port, base_env(), folder / "kundfokus-server.log")


def floor_server(db: str, folder: Path) -> Server:
    port = free_port()
    env = base_env() | {"FLOOR_DB": sqlalchemy_url(db)}
    argv = [
        sys.executable, "-m", "uvicorn", "--factory", "survey_load:floor_app",
        "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    return Server("floor", argv, port, env, folder / "floor-server.log")


def cli(*args: str, input: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kundfokus", *args], input=input, capture_output=True, text=True,
        env=base_env(), cwd=str(ROOT),
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"kundfokus {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def analyst_token(db: str) -> str:
    """An analyst and an API token, made with the CLI like an operator would."""
    cli("users", "add", ANALYST, "--role", "analyst", "--password-stdin", "--db", db,
        input=PASSWORD + "\n")  # fmt: skip
    return cli("tokens", "create", "--user", ANALYST, "--name", "bench", "--db", db).strip()


def create_surveys(base: str, token: str) -> dict[str, int]:
    """An NPS and a Kano survey (5 features, importance 1-9) through the API; kind -> id."""
    import httpx

    specs = {
        "nps": {"kind": "nps", "title": {"sv": "Efter samtalet", "en": "After the call"}},
        "kano": {
            "kind": "kano",
            "title": "Appen",
            "importance": "1-9",
            "items": [
                {"id": f"F{i}", "label_sv": f"funktion {i}", "label_en": f"feature {i}"}
                for i in range(1, N_FEATURES + 1)
            ],
        },
    }
    out = {}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
        for kind, spec in specs.items():
            r = c.post("/api/v1/surveys", json=spec)
            if r.status_code != 201:
                raise RuntimeError(f"creating the {kind} survey: {r.status_code} {r.text}")
            out[kind] = r.json()["id"]
    return out


def exported_tokens(base: str, token: str, survey_ids: Iterator[int]) -> dict[str, list[int]]:
    """client_token -> stored ids, from the ``responses.csv`` export of each survey."""
    import httpx
    import pandas as pd

    out: dict[str, list[int]] = {}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=120) as c:  # fmt: skip
        for sid in survey_ids:
            r = c.get(f"/api/v1/surveys/{sid}/responses.csv", params={"partial": "true"})
            r.raise_for_status()
            frame = pd.read_csv(io.StringIO(r.text), usecols=["id", "client_token"],
                                dtype={"client_token": str})  # fmt: skip
            for rid, tok in zip(frame["id"], frame["client_token"], strict=True):
                out.setdefault(tok, []).append(int(rid))
    return out


# --------------------------------------------------------------------------------------------------
# Requests


def make_request(i: int, targets: dict[str, str], run: str) -> tuple[str, str, dict]:
    """The ``i``-th request of a run: (path, client_token, JSON body); even i NPS, odd i Kano."""
    token = f"{run}-{i}-{uuid.uuid4().hex[:12]}"
    lang = "sv" if i % 3 else "en"
    if i % 2 == 0:
        comment = COMMENTS[i % len(COMMENTS)]
        answers: dict = {"score": i % 11}
        if comment:
            answers["comment"] = comment
        body = {
            "client_token": token,
            "lang": lang,
            "answers": answers,
            "context": {"journey_step": "after_call", "channel": "phone"},
        }
        return targets["nps"], token, body
    answers = {}
    for f in range(1, N_FEATURES + 1):
        k = i + f
        answers[f"F{f}_functional"] = (k % 5) + 1 if k % 2 else KANO_TEXTS[k % 5]
        answers[f"F{f}_dysfunctional"] = ((k + 2) % 5) + 1
        answers[f"F{f}_importance"] = (k % 9) + 1
    body = {
        "client_token": token,
        "lang": lang,
        "answers": answers,
        "context": {"journey_step": "app_onboarding", "channel": "app", "segment": "B2C"},
    }
    return targets["kano"], token, body


@dataclass
class Outcome:
    token: str
    status: int  # 0: no answer (connection refused, reset, timeout)
    rid: int | None
    latency: float  # seconds
    error: str | None = None


@dataclass
class RunResult:
    outcomes: list[Outcome]
    wall: float
    client_cpu: float
    server_cpu: float = 0.0
    db_cpu: float = 0.0
    other_cpu: float = 0.0  # CPU seconds of every other process on the machine
    rates: list[float] = field(default_factory=list)  # req/s of each round

    def add(self, other: RunResult) -> None:
        """Pool another round into this one."""
        self.outcomes += other.outcomes
        self.wall += other.wall
        self.client_cpu += other.client_cpu
        self.server_cpu += other.server_cpu
        self.db_cpu += other.db_cpu
        self.other_cpu += other.other_cpu
        self.rates += other.rates

    @property
    def ok(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in (200, 201)]

    @property
    def rate(self) -> float:
        return len(self.ok) / self.wall if self.wall > 0 else 0.0

    def percentile(self, q: float) -> float:
        lat = sorted(o.latency for o in self.ok)
        if not lat:
            return float("nan")
        k = max(0, min(len(lat) - 1, round(q / 100 * len(lat) + 0.5) - 1))
        return lat[k] * 1000


class HTTPPool:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: at most ``size`` connections,
    each carrying one request at a time.

    It exists because ``httpx.AsyncClient`` is far too slow to load a server on this machine
    (``--client httpx`` shows it: with a pool of 64 it tops out near 200 requests per second at
    90% of a core); this one needs about 30 microseconds of CPU per request.
    """

    def __init__(self, base: str, size: int, timeout: float = 60) -> None:
        host_port = base.split("://", 1)[1].rstrip("/")
        self.host, _, port = host_port.partition(":")
        self.port = int(port or 80)
        self.timeout = timeout
        # (reader, writer, idle since): a connection idle for longer than MAX_IDLE is closed
        # instead of reused, before uvicorn's keep-alive timeout (5 s) closes it under us
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.slots = asyncio.Semaphore(size)
        self.head = f"Host: {host_port}\r\nContent-Type: application/json\r\n".encode()

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        async with self.slots:
            conn = None
            while self.idle and conn is None:
                reader, writer, since = self.idle.pop()
                if time.monotonic() - since < MAX_IDLE:
                    conn = (reader, writer)
                else:
                    writer.close()
            try:
                async with asyncio.timeout(self.timeout):
                    if conn is None:
                        conn = await asyncio.open_connection(self.host, self.port)
                    status, data, keep = await self._exchange(conn, path, body)
            except BaseException:
                if conn is not None:
                    conn[1].close()
                raise
            if keep:
                self.idle.append((*conn, time.monotonic()))
            else:
                conn[1].close()
            return status, data

    async def _exchange(self, conn, path: str, body: bytes) -> tuple[int, bytes, bool]:
        reader, writer = conn
        writer.write(b"POST %s HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s"
                     % (path.encode(), self.head, len(body), body))  # fmt: skip
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, keep = None, False, True
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                keep = False
        if chunked:
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            data = b"".join(parts)
        elif length is not None:
            data = await reader.readexactly(length)
        else:
            data, keep = await reader.read(), False
        return status, data, keep

    async def aclose(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()
        self.idle.clear()

    async def __aenter__(self) -> HTTPPool:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()


class HttpxPool:
    """The same interface over ``httpx.AsyncClient`` (``--client httpx``)."""

    def __init__(self, base: str, size: int, timeout: float = 60) -> None:
        import httpx

        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        self.client = httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout)

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        import httpx

        try:
            r = await self.client.post(path, content=body,
                                       headers={"content-type": "application/json"})  # fmt: skip
        except httpx.HTTPError as exc:
            raise OSError(str(exc)) from exc
        return r.status_code, r.content

    async def __aenter__(self) -> HttpxPool:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()


CLIENTS = {"raw": HTTPPool, "httpx": HttpxPool}


async def post_one(pool, path: str, token: str, body: dict, started: float) -> Outcome:
    try:
        status, data = await pool.post(path, json.dumps(body).encode())
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError,
            ValueError, IndexError) as exc:  # fmt: skip
        return Outcome(token, 0, None, time.perf_counter() - started, type(exc).__name__)
    latency = time.perf_counter() - started
    if status in (200, 201):
        return Outcome(token, status, int(json.loads(data)["id"]), latency)
    return Outcome(token, status, None, latency, data[:200].decode(errors="replace"))


async def load(
    base: str,
    requests: list[tuple[str, str, dict]],
    concurrency: int,
    *,
    rate: float | None = None,
    client: str = "raw",
    on_outcome: Callable[[Outcome], None] | None = None,
) -> tuple[list[Outcome], float]:
    """Send ``requests`` with ``concurrency`` in flight; (outcomes in order, wall seconds)."""
    outcomes: list[Outcome | None] = [None] * len(requests)
    async with CLIENTS[client](base, concurrency) as pool:
        t0 = time.perf_counter()
        if rate is None:
            it = iter(range(len(requests)))

            async def worker():
                for i in it:
                    path, token, body = requests[i]
                    o = await post_one(pool, path, token, body, time.perf_counter())
                    outcomes[i] = o
                    if on_outcome:
                        on_outcome(o)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        else:

            async def one(i: int, planned: float):
                path, token, body = requests[i]
                outcomes[i] = o = await post_one(pool, path, token, body, planned)
                if on_outcome:
                    on_outcome(o)

            tasks = []
            for i in range(len(requests)):
                planned = t0 + i / rate
                delay = planned - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.ensure_future(one(i, planned)))
            await asyncio.gather(*tasks)
        wall = time.perf_counter() - t0
    return [o for o in outcomes if o is not None], wall


def run_async(coro):
    """``asyncio.run`` on uvloop when it is installed (it is, with uvicorn[standard])."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(coro)
    return uvloop.run(coro)


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (all cores, from ``/proc/stat``)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / TICK


def measure(
    server: Server,
    targets: dict[str, str],
    n: int,
    concurrency: int,
    warmup: int,
    *,
    rate: float | None = None,
    client: str = "raw",
    pg: bool = False,
    run: str = "run",
) -> RunResult:
    """Warm up, then send ``n`` requests and time them (CPU of the server, this generator,
    postgres and everything else on the machine)."""
    if warmup:
        warm = [make_request(i, targets, f"{run}w") for i in range(warmup)]
        run_async(load(server.url, warm, concurrency, client=client))
    reqs = [make_request(i, targets, run) for i in range(n)]
    cpu0, s0, d0, m0 = (
        time.process_time(),
        server.cpu(),
        postgres_cpu() if pg else 0.0,
        machine_cpu(),
    )
    outcomes, wall = run_async(load(server.url, reqs, concurrency, rate=rate, client=client))
    res = RunResult(outcomes, wall, time.process_time() - cpu0, server.cpu() - s0)
    if pg:
        res.db_cpu = postgres_cpu() - d0
    res.other_cpu = max(0.0, machine_cpu() - m0 - res.client_cpu - res.server_cpu - res.db_cpu)
    res.rates = [res.rate]
    return res


def check_stored(outcomes: list[Outcome], stored: dict[str, list[int]]) -> dict[str, int]:
    """acknowledged / lost / duplicated / wrong id for the acknowledged tokens."""
    acked = {o.token: o.rid for o in outcomes if o.status in (200, 201)}
    lost = sum(1 for t in acked if t not in stored)
    dup = sum(1 for ids in stored.values() if len(ids) > 1)
    wrong = sum(1 for t, rid in acked.items() if t in stored and rid not in stored[t])
    return {"acknowledged": len(acked), "stored": sum(len(v) for v in stored.values()),
            "lost": lost, "duplicated": dup, "wrong_id": wrong}  # fmt: skip


# --------------------------------------------------------------------------------------------------
# One back end


def bench_backend(backend: str, args: argparse.Namespace, folder: Path) -> list[dict]:
    """Both servers up side by side; ``--rounds`` rounds of kundfokus then the floor."""
    pg = backend == "postgresql"
    with fresh_store(backend, folder, args.pg, "kf") as kf_db, \
            fresh_store(backend, folder, args.pg, "floor") as floor_db:  # fmt: skip
        token = analyst_token(kf_db)  # this migrates the store (the server would, at start)
        kf = kundfokus_server(kf_db, folder, jobs=not args.no_jobs).start()
        fl = None if args.no_floor else floor_server(floor_db, folder).start()
        results: dict[str, RunResult] = {}
        try:
            ids = create_surveys(kf.url, token)
            runs = [
                ("kundfokus", kf, {k: f"/api/v1/surveys/{v}/responses" for k, v in ids.items()})
            ]
            if fl is not None:
                runs.append(
                    ("floor", fl, {"nps": "/floor/1/responses", "kano": "/floor/2/responses"})
                )
            for r in range(args.rounds):
                for name, server, targets in runs:
                    res = measure(server, targets, args.requests, args.concurrency,
                                  args.warmup if r == 0 else min(args.warmup, 200),
                                  rate=args.rate, client=args.client, pg=pg,
                                  run=f"{name[:2]}{r}")  # fmt: skip
                    if name in results:
                        results[name].add(res)
                    else:
                        results[name] = res
            stored = {"kundfokus": exported_tokens(kf.url, token, ids.values())}
        finally:
            kf.stop()
            if fl is not None:
                fl.stop()
        if fl is not None:
            stored["floor"] = floor_tokens(sqlalchemy_url(floor_db))
    rows = [summary(backend, name, res, check_stored(res.outcomes, stored[name]))
            for name, res in results.items()]  # fmt: skip
    if len(rows) == 2:
        paired = [a / b for a, b in zip(results["kundfokus"].rates, results["floor"].rates,
                                        strict=True) if b > 0]  # fmt: skip
        rows[0]["ratio_rounds"] = paired
    return rows


def summary(backend: str, server: str, res: RunResult, check: dict[str, int]) -> dict:
    errors = [o for o in res.outcomes if o.status not in (200, 201)]
    kinds: dict[str, int] = {}
    for o in errors:
        key = str(o.status or o.error)
        kinds[key] = kinds.get(key, 0) + 1
    return {
        "backend": backend,
        "server": server,
        "requests": len(res.outcomes),
        "rps": statistics.median(res.rates) if res.rates else res.rate,
        "rps_rounds": res.rates,
        "p50": res.percentile(50),
        "p90": res.percentile(90),
        "p99": res.percentile(99),
        "max": res.percentile(100),
        "errors": len(errors),
        "error_kinds": kinds,
        "first_error": errors[0].error if errors else None,
        "server_cpu": res.server_cpu / res.wall,
        "server_ms_per_request": 1000 * res.server_cpu / max(1, len(res.ok)),
        "client_cpu": res.client_cpu / res.wall,
        "db_cpu": res.db_cpu / res.wall if backend == "postgresql" else None,
        "other_cpu": res.other_cpu / res.wall,
        **check,
    }


def print_report(rows: list[dict], args: argparse.Namespace) -> None:
    mode = f"open loop at {args.rate:g} req/s offered" if args.rate else "closed loop"
    print(f"\nsurvey submissions: {args.requests} measured requests per run after "
          f"{args.warmup} warm-up, concurrency {args.concurrency}, {mode}, {args.rounds} "
          f"round(s), {os.cpu_count()} CPU(s), generator {args.client}\n")  # fmt: skip
    print("req/s: median over the rounds; latencies: all rounds pooled; srv CPU: cores the server")
    print("process used; ms/req: its CPU per acknowledged response; gen: this generator; pg: all")
    print("postgres processes; others: the rest of the machine's CPU (other processes, the")
    print("kernel's own work): noise\n")
    head = (f"{'backend':<11}{'server':<10}{'req/s':>7}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}"
            f"{'max ms':>8}{'errors':>7}{'srv CPU':>8}{'ms/req':>7}{'gen':>5}{'pg':>5}"
            f"{'others':>7}  acknowledged stored lost duplicated")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in rows:
        pgc = "" if r["db_cpu"] is None else f"{r['db_cpu']:.0%}"
        print(f"{r['backend']:<11}{r['server']:<10}{r['rps']:>7.0f}{r['p50']:>8.1f}"
              f"{r['p90']:>8.1f}{r['p99']:>8.1f}{r['max']:>8.1f}{r['errors']:>7}"
              f"{r['server_cpu']:>8.0%}{r['server_ms_per_request']:>7.2f}"
              f"{r['client_cpu']:>5.0%}{pgc:>5}{r['other_cpu']:>7.0%}  "
              f"acknowledged={r['acknowledged']} stored={r['stored']} lost={r['lost']} "
              f"duplicated={r['duplicated']}")  # fmt: skip
    print()
    for r in rows:
        if len(r["rps_rounds"]) > 1:
            print(f"{r['backend']} {r['server']} req/s per round: "
                  + " ".join(f"{x:.0f}" for x in r["rps_rounds"]))  # fmt: skip
    for backend in dict.fromkeys(r["backend"] for r in rows):
        kf = next((r for r in rows if r["backend"] == backend and r["server"] == "kundfokus"), None)
        fl = next((r for r in rows if r["backend"] == backend and r["server"] == "floor"), None)
        if kf is None:
            continue
        if args.rate:  # open loop: the server can only keep up with what is offered
            aims = [(f"kept up with {args.rate:g} req/s", kf["rps"] >= 0.98 * args.rate)]
        else:
            aims = [("500 req/s", kf["rps"] >= 500)]
        aims.append(("p99 < 100 ms", kf["p99"] < 100))
        line = f"{backend}: "
        if fl is not None and kf.get("ratio_rounds"):
            ratio = statistics.median(kf["ratio_rounds"])
            line += (f"kundfokus/floor req/s {ratio:.2f} (median of the rounds; the floor is "
                     f"{1 / ratio:.2f}x), CPU per response {kf['server_ms_per_request'] / fl['server_ms_per_request']:.2f}x, "
                     f"p99 {kf['p99'] / fl['p99']:.2f}x; ")  # fmt: skip
            if not args.rate:  # in an open loop both only keep up: compare CPU and p99 there
                aims.append(("within 2x of the floor", ratio >= 0.5))
        line += ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in aims)
        print(line)
    for r in rows:
        if r["client_cpu"] > 0.85:
            print(f"note: the load generator used {r['client_cpu']:.0%} of a core during the "
                  f"{r['backend']} {r['server']} run: it may be the bottleneck there")  # fmt: skip
        if r["other_cpu"] > 0.25:
            print(f"note: other processes used {r['other_cpu']:.0%} of a core during the "
                  f"{r['backend']} {r['server']} runs: the figures are disturbed")  # fmt: skip
        if r["errors"]:
            print(f"errors in {r['backend']} {r['server']}: {r['error_kinds']} "
                  f"(first: {r['first_error']})")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--requests", type=int, default=5000, help="measured requests per run")
    p.add_argument("--warmup", type=int, default=None, help="warm-up requests (default 10%%, "
                   "at least 200)")  # fmt: skip
    p.add_argument("--concurrency", type=int, default=64, help="requests in flight")
    p.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server (a schema is made there)")
    p.add_argument("--rate", type=float, default=None, help="open loop: requests per second")
    p.add_argument(
        "--client",
        choices=sorted(CLIENTS),
        default="raw",
        help="load generator: raw asyncio HTTP/1.1 (default) or httpx.AsyncClient",
    )
    p.add_argument("--rounds", type=int, default=3, help="rounds of kundfokus, then the floor")
    p.add_argument("--no-floor", action="store_true", help="skip the floor runs")
    p.add_argument("--no-jobs", action="store_true", help="serve with --no-jobs")
    p.add_argument("--json", type=Path, default=None, help="also write the rows to this file")
    p.add_argument("--folder", type=Path, default=None, help="for SQLite files and server logs")
    args = p.parse_args(argv)
    if args.warmup is None:
        args.warmup = max(200, args.requests // 10)
    import tempfile

    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="kf-load-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for backend in backends:
            rows += bench_backend(backend, args, folder)
    print_report(rows, args)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    bad = [r for r in rows if r["errors"] or r["lost"] or r["duplicated"] or r["wrong_id"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
