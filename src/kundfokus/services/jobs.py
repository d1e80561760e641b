"""Jobs: long work that survives a restart and shows its progress.

A job is a row in the store's ``jobs`` table. :func:`enqueue` adds one; a :class:`Worker` (a thread
inside the server process by default, or ``kundfokus worker`` processes against PostgreSQL) claims
queued jobs one at a time, runs the handler registered for the job's kind, and writes progress,
the result or the error back. Claiming is one atomic ``UPDATE`` (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL), so two workers never run the same job. A running job sends a heartbeat; when the
process running it dies, the heartbeat stops and the job is queued again (up to
``max_attempts``). A failing job is retried with a growing pause.

Kinds built in: ``survey_results`` (the results of a survey, for large ones), ``contacts_import``
(a CSV text or a file), ``retrain`` (one axis of the review loop), ``webhook_delivery``.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.store.db import get_engine, session_scope
from kundfokus.store.models import Job, utcnow

log = logging.getLogger("kundfokus.jobs")

#: A running job whose heartbeat is older than this is taken to be dead and queued again.
STALE = timedelta(seconds=60)
HEARTBEAT = 10.0
POLL = 0.5

Handler = Callable[["JobContext"], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def enqueue(
    session: Session,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    created_by: str | None = None,
    max_attempts: int = 3,
    delay: float = 0.0,
) -> Job:
    """Queue a job (in the caller's transaction: it exists once the caller commits)."""
    if kind not in HANDLERS:
        raise InputError("unknown job kind", column="kind", value=kind)
    job = Job(
        kind=kind,
        params=params or {},
        status="queued",
        progress=0.0,
        attempts=0,
        max_attempts=max_attempts,
        run_after=utcnow() + timedelta(seconds=delay),
        created_by=created_by,
    )
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def recent(session: Session, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[Job]:
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    return list(session.scalars(query))


def job_dict(job: Job) -> dict[str, Any]:
    def iso(t):
        return None if t is None else t.isoformat() + "Z"

    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": round(float(job.progress or 0.0), 4),
        "message": job.message,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
    }


def requeue_stale(url: str) -> int:
    """Queue again the running jobs whose worker stopped sending heartbeats; fail those that
    used up their attempts. Returns how many were queued again."""
    now = utcnow()
    with get_engine(url).begin() as conn:
        conn.execute(
            update(Job)
            .where(Job.status == "running", Job.heartbeat_at < now - STALE)
            .where(Job.attempts >= Job.max_attempts)
            .values(status="failed", finished_at=now, error="the worker running it stopped")
        )
        queued = conn.execute(
            update(Job)
            .where(Job.status == "running", Job.heartbeat_at < now - STALE)
            .values(status="queued", worker=None, message="queued again after a restart")
        )
    return int(queued.rowcount or 0)


def claim(url: str, worker: str) -> int | None:
    """Take the oldest due job (atomically); returns its id or ``None``."""
    engine = get_engine(url)
    now = utcnow()
    lock = " FOR UPDATE SKIP LOCKED" if engine.dialect.name == "postgresql" else ""
    sql = text(
        "UPDATE jobs SET status = 'running', started_at = :now, heartbeat_at = :now, "
        "worker = :worker, attempts = attempts + 1 "
        "WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_after <= :now "
        f"ORDER BY id LIMIT 1{lock}) AND status = 'queued' RETURNING id"
    )
    with engine.begin() as conn:
        row = conn.execute(sql, {"now": now, "worker": worker[:200]}).first()
    return None if row is None else int(row[0])


@dataclass
class JobContext:
    """What a handler gets: the job's id, parameters and store, and a way to report progress."""

    url: str
    job_id: int
    kind: str
    params: dict[str, Any]
    created_by: str | None
    settings: Any = None

    def progress(self, fraction: float, message: str | None = None) -> None:
        """Report progress (0-1) and a short message; also a heartbeat."""
        with get_engine(self.url).begin() as conn:
            conn.execute(
                update(Job)
                .where(Job.id == self.job_id)
                .values(
                    progress=max(0.0, min(1.0, float(fraction))),
                    message=message,
                    heartbeat_at=utcnow(),
                )
            )

    def session(self):
        return session_scope(self.url)


def _beat(url: str, job_id: int, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT):
        try:
            with get_engine(url).begin() as conn:
                conn.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow()))
        except Exception:  # pragma: no cover - the database went away; the job will be retried
            log.exception("heartbeat of job %s failed", job_id)


def run_job(url: str, job_id: int, *, settings: Any = None) -> str:
    """Run one claimed job to its end; returns its final status."""
    with session_scope(url) as s:
        job = s.get(Job, job_id)
        if job is None:
            return "missing"
        ctx = JobContext(url, job.id, job.kind, dict(job.params), job.created_by, settings)
        attempts, max_attempts = job.attempts, job.max_attempts
    fn = HANDLERS.get(ctx.kind)
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(url, job_id, stop), daemon=True)
    beat.start()
    try:
        if fn is None:
            raise InputError("unknown job kind", column="kind", value=ctx.kind)
        result = fn(ctx) or {}
    except Exception as exc:
        stop.set()
        message = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        retry = attempts < max_attempts and not isinstance(exc, InputError)
        if not isinstance(exc, InputError):
            log.warning("job %s (%s) failed: %s", job_id, ctx.kind, traceback.format_exc())
        values: dict[str, Any] = {"error": message[:4000], "worker": None}
        if retry:
            pause = min(3600.0, 2.0**attempts)
            values |= {"status": "queued", "run_after": utcnow() + timedelta(seconds=pause)}
        else:
            values |= {"status": "failed", "finished_at": utcnow()}
        with get_engine(url).begin() as conn:
            conn.execute(update(Job).where(Job.id == job_id).values(**values))
        return values["status"]
    stop.set()
    from kundfokus.serialize import json_safe

    params = None
    if "data_b64" in ctx.params:  # the upload is imported: do not keep a second copy of it
        params = {k: v for k, v in ctx.params.items() if k != "data_b64"}
    with get_engine(url).begin() as conn:
        if params is not None:
            conn.execute(update(Job).where(Job.id == job_id).values(params=params))
        conn.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                status="done",
                progress=1.0,
                result=json_safe(result),
                error=None,
                finished_at=utcnow(),
            )
        )
    return "done"


def run_pending(url: str, *, worker: str = "inline", settings: Any = None, limit: int = 100) -> int:
    """Run due jobs until none is left (tests, the CLI); returns how many ran."""
    n = 0
    while n < limit:
        job_id = claim(url, worker)
        if job_id is None:
            break
        run_job(url, job_id, settings=settings)
        n += 1
    return n


class Worker(threading.Thread):
    """A thread that runs jobs until :meth:`stop` (one job at a time)."""

    def __init__(self, url: str, *, name: str | None = None, settings: Any = None) -> None:
        super().__init__(name=name or f"kundfokus-worker-{os.getpid()}", daemon=True)
        self.url = url
        self.settings = settings
        self._stop_event = threading.Event()

    def run(self) -> None:
        last_sweep = 0.0
        import time

        while not self._stop_event.is_set():
            try:
                now = time.monotonic()
                if now - last_sweep > STALE.total_seconds() / 2:
                    requeue_stale(self.url)
                    last_sweep = now
                job_id = claim(self.url, self.name)
                if job_id is None:
                    self._stop_event.wait(POLL)
                    continue
                run_job(self.url, job_id, settings=self.settings)
            except Exception:  # pragma: no cover - keep the worker alive; the job is retried
                log.exception("worker loop")
                self._stop_event.wait(POLL * 4)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)


# --------------------------------------------------------------------------------------------------
# Built-in job kinds


@handler("survey_results")
def _survey_results(ctx: JobContext) -> dict[str, Any]:
    from kundfokus.services import surveys

    ctx.progress(0.1, "reading the answers")
    with ctx.session() as s:
        survey = surveys.get_survey(s, int(ctx.params["survey_id"]))
        if survey is None:
            raise InputError("no survey with this id", value=ctx.params["survey_id"])
        out = surveys.results(s, survey, ctx.params.get("options") or {})
    return {"survey_id": int(ctx.params["survey_id"]), "results": out}


@handler("contacts_import")
def _contacts_import(ctx: JobContext) -> dict[str, Any]:
    from kundfokus.io import read_table
    from kundfokus.services.contacts_import import import_contacts

    source = ctx.params.get("source") or "upload"
    ctx.progress(0.05, "reading the file")
    if "path" in ctx.params:
        frame = read_table(ctx.params["path"])
    elif "data_b64" in ctx.params:  # an upload: any format read_table knows, by its name
        import base64

        frame = read_table(base64.b64decode(ctx.params["data_b64"]), name=source)
    else:
        frame = read_table(str(ctx.params["csv"]).encode("utf-8"), name=source)
    ctx.progress(0.2, "checking, redacting and storing")
    redact = True if ctx.settings is None else bool(ctx.settings.redact)
    try:
        with ctx.session() as s:
            result = import_contacts(
                s, frame, source=source, redact=redact, imported_by=ctx.created_by
            )
            return result.to_dict()
    except InputError as exc:
        if exc.file is None:  # name the uploaded file, as the CLI does
            raise InputError(exc.message, file=source, row=exc.row, column=exc.column,
                             value=exc.value, hint=exc.hint) from exc  # fmt: skip
        raise


@handler("retrain")
def _retrain(ctx: JobContext) -> dict[str, Any]:
    """Retrain one axis, or every axis of a group (``need``, ``situation``, ``all``), behind the
    quality gate. The result is the first axis's :meth:`RetrainResult.to_dict` (``version``,
    ``promoted``, ``reason``, ``heldout_new``, ``heldout_current``, ...) plus ``axes``: one such
    dict per retrained axis."""
    from kundfokus.services.review import retrain
    from kundfokus.store.repositories import resolve_axes

    axes = resolve_axes(ctx.params.get("axis", "need"))
    dicts: list[dict[str, Any]] = []
    skipped: list[InputError] = []
    for i, axis in enumerate(axes):

        def report(f: float, msg: str, i: int = i, axis: str = axis) -> None:
            ctx.progress(0.02 + 0.96 * (i + f) / len(axes), f"{axis}: {msg}")

        try:
            with ctx.session() as s:  # one transaction per axis
                dicts.append(
                    retrain(s, axis, by=ctx.created_by or "job", progress=report).to_dict()
                )
        except InputError as exc:
            if len(axes) == 1 or "too few labels" not in exc.message:
                raise
            skipped.append(exc)
    if not dicts:
        raise skipped[0]
    return {**dicts[0], "axes": dicts, "skipped": [str(e) for e in skipped]}


@handler("webhook_delivery")
def _webhook_delivery(ctx: JobContext) -> dict[str, Any]:
    from kundfokus.services.webhooks import deliver

    return deliver(ctx.url, ctx.params)
