"""Background jobs that survive a restart: a job table and a worker, no extra server.

A job is a row (kind, parameters, state, progress). A worker claims the oldest queued job — or a
running one whose worker stopped sending heartbeats — with one conditional UPDATE, so two workers
never run the same job. Handlers save progress as they go (a checkpoint commits it), so a job
picked up again after a crash or restart resumes where it stopped instead of starting over.
The web service runs a worker thread; ``riskscreen jobs work`` runs one from the command line.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    Text,
    or_,
    select,
    update,
)

from riskscreen.review.audit_store import Executor, metadata

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STALE_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 3

job = Table(
    "job", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(50), nullable=False),
    Column("params_json", Text, nullable=False),
    Column("state", String(10), nullable=False, index=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("heartbeat_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("progress_json", Text, nullable=False, default="{}"),
    Column("result_json", Text),
    Column("error", Text),
)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every time this module writes is UTC
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class Job:
    id: int
    kind: str
    params: dict[str, Any]
    state: str
    created_by: str
    created_at: datetime
    attempts: int
    progress: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    started_at: datetime | None = None
    finished_at: datetime | None = None


def _job(row: Any) -> Job:
    return Job(int(row.id), row.kind, json.loads(row.params_json), row.state, row.created_by,
               _aware(row.created_at) or utcnow(), int(row.attempts), json.loads(row.progress_json or "{}"),
               json.loads(row.result_json) if row.result_json else None, row.error,
               _aware(row.started_at), _aware(row.finished_at))


def enqueue(db: Executor, kind: str, params: Mapping[str, Any], created_by: str) -> int:
    """Queue a job in the caller's transaction (so it exists only if the request that made it commits)."""
    result = db.execute(job.insert().values(kind=kind, params_json=json.dumps(dict(params), sort_keys=True),
                                            state=QUEUED, created_by=created_by, created_at=utcnow(),
                                            attempts=0, progress_json="{}").returning(job.c.id))
    return int(result.scalar_one())


def get(db: Executor, job_id: int) -> Job | None:
    row = db.execute(select(job).where(job.c.id == job_id)).one_or_none()
    return None if row is None else _job(row)


def recent(db: Executor, kind: str | None = None, limit: int = 20) -> list[Job]:
    query = select(job).order_by(job.c.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(job.c.kind == kind)
    return [_job(row) for row in db.execute(query)]


def active(db: Executor, kind: str) -> Job | None:
    row = db.execute(select(job).where(job.c.kind == kind, job.c.state.in_((QUEUED, RUNNING)))
                     .order_by(job.c.id).limit(1)).one_or_none()
    return None if row is None else _job(row)


def _claimable(now: datetime, stale_after: timedelta) -> Any:
    return or_(job.c.state == QUEUED, (job.c.state == RUNNING) & (job.c.heartbeat_at < now - stale_after))


def claim(engine: Engine, *, now: datetime | None = None, stale_after: timedelta = STALE_AFTER) -> Job | None:
    """Take the oldest claimable job, or None. The UPDATE re-checks the condition, so when two
    workers race for one job only one of them gets a row back."""
    now = now or utcnow()
    with engine.begin() as connection:
        candidate = connection.execute(select(job.c.id).where(_claimable(now, stale_after))
                                       .order_by(job.c.id).limit(1)).scalar_one_or_none()
        if candidate is None:
            return None
        claimed = connection.execute(
            update(job).where(job.c.id == candidate, _claimable(now, stale_after))
            .values(state=RUNNING, started_at=now, heartbeat_at=now, attempts=job.c.attempts + 1)
            .returning(job.c.id)).scalar_one_or_none()
        if claimed is None:
            return None
        row = connection.execute(select(job).where(job.c.id == claimed)).one()
    return _job(row)


@dataclass
class JobContext:
    """What a handler gets: the job, and a way to save progress that a restart resumes from."""

    engine: Engine
    job: Job
    stop: threading.Event = field(default_factory=threading.Event)

    def checkpoint(self, progress: Mapping[str, Any]) -> None:
        self.job.progress = dict(progress)
        with self.engine.begin() as connection:
            connection.execute(update(job).where(job.c.id == self.job.id, job.c.state == RUNNING)
                               .values(progress_json=json.dumps(self.job.progress, sort_keys=True),
                                       heartbeat_at=utcnow()))


Handler = Callable[[JobContext], Mapping[str, Any]]


def _finish(engine: Engine, job_id: int, state: str, *, result: Mapping[str, Any] | None = None,
            error: str | None = None) -> None:
    with engine.begin() as connection:
        connection.execute(update(job).where(job.c.id == job_id).values(
            state=state, finished_at=utcnow(), error=error,
            result_json=None if result is None else json.dumps(dict(result), sort_keys=True)))


def run_one(engine: Engine, handlers: Mapping[str, Handler], *, stop: threading.Event | None = None,
            stale_after: timedelta = STALE_AFTER) -> Job | None:
    """Claim and run one job; returns it as it ended (None when nothing was waiting)."""
    claimed = claim(engine, stale_after=stale_after)
    if claimed is None:
        return None
    handler = handlers.get(claimed.kind)
    if handler is None:
        _finish(engine, claimed.id, FAILED, error=f"no handler for jobs of kind {claimed.kind!r}")
    elif claimed.attempts > MAX_ATTEMPTS:
        _finish(engine, claimed.id, FAILED, error=f"gave up after {MAX_ATTEMPTS} attempts")
    else:
        try:
            result = handler(JobContext(engine, claimed, stop or threading.Event()))
        except Exception as exc:  # a failing job is recorded, never kills the worker
            log.error("job %s (%s) failed: %s", claimed.id, claimed.kind, traceback.format_exc())
            _finish(engine, claimed.id, FAILED, error=f"{type(exc).__name__}: {exc}")
        else:
            _finish(engine, claimed.id, DONE, result=result)
    with engine.connect() as connection:
        return get(connection, claimed.id)


class Worker:
    """A thread that runs jobs until stopped, polling when idle."""

    def __init__(self, engine: Engine, handlers: Mapping[str, Handler], poll_seconds: float = 2.0,
                 on_idle: Callable[[], None] | None = None) -> None:
        self.engine, self.handlers, self.poll_seconds = engine, handlers, poll_seconds
        self.on_idle = on_idle
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="riskscreen-jobs", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.thread.join(timeout)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                ran = run_one(self.engine, self.handlers, stop=self.stopping)
            except Exception:  # e.g. the database restarting: try again later
                log.exception("job worker: cannot reach the job table")
                ran = None
            if ran is None:
                if self.on_idle is not None:
                    try:
                        self.on_idle()
                    except Exception:  # housekeeping must not stop the jobs
                        log.exception("job worker: housekeeping failed")
                self.stopping.wait(self.poll_seconds)
