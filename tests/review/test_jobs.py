"""The job table and worker: one claimant per job, progress that survives a restart, failures
recorded without stopping the worker — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from riskscreen.review import jobs
from riskscreen.review.jobs import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    JobContext,
    Worker,
    claim,
    enqueue,
    get,
    run_one,
)
from tests.review.helpers import install_audit


def queue(engine: Engine, kind: str, params: Mapping[str, Any] | None = None) -> int:
    with engine.begin() as connection:
        return enqueue(connection, kind, params or {}, "user:1")


def counting(ctx: JobContext) -> Mapping[str, Any]:
    """Counts to params['to'], saving progress after each step; stops early when asked."""
    done = int(ctx.job.progress.get("done", 0))
    seen = list(ctx.job.progress.get("seen", []))
    while done < ctx.job.params["to"]:
        done += 1
        seen.append(done)
        ctx.checkpoint({"done": done, "seen": seen})
        if ctx.job.params.get("crash_at") == done and ctx.job.attempts == 1:
            raise SystemExit("the process died")  # not an Exception: like a kill, the job stays running
    return {"counted": done, "seen": seen}


def test_a_job_runs_to_done(db_engine: Engine) -> None:
    install_audit(db_engine)
    job_id = queue(db_engine, "count", {"to": 3})
    with db_engine.connect() as connection:
        assert get(connection, job_id).state == QUEUED  # type: ignore[union-attr]
    ran = run_one(db_engine, {"count": counting})
    assert ran is not None and ran.id == job_id and ran.state == DONE
    assert ran.result == {"counted": 3, "seen": [1, 2, 3]} and ran.attempts == 1
    assert run_one(db_engine, {"count": counting}) is None


def test_a_restarted_job_resumes_from_its_checkpoint(db_engine: Engine) -> None:
    install_audit(db_engine)
    job_id = queue(db_engine, "count", {"to": 5, "crash_at": 2})
    with pytest.raises(SystemExit):
        run_one(db_engine, {"count": counting})
    with db_engine.connect() as connection:
        crashed = get(connection, job_id)
    assert crashed is not None and crashed.state == RUNNING and crashed.progress["done"] == 2
    # while its heartbeat is fresh nobody else takes it
    assert claim(db_engine) is None
    ran = run_one(db_engine, {"count": counting}, stale_after=timedelta(0))
    assert ran is not None and ran.state == DONE and ran.attempts == 2
    assert ran.result == {"counted": 5, "seen": [1, 2, 3, 4, 5]}  # 1 and 2 were not done twice


def test_failures_are_recorded(db_engine: Engine) -> None:
    install_audit(db_engine)

    def broken(ctx: JobContext) -> Mapping[str, Any]:
        raise ValueError("watchlist file unreadable")

    failing = queue(db_engine, "broken")
    unknown = queue(db_engine, "nobody-handles-this")
    assert run_one(db_engine, {"broken": broken}).error == "ValueError: watchlist file unreadable"  # type: ignore[union-attr]
    ran = run_one(db_engine, {"broken": broken})
    assert ran is not None and ran.id == unknown and ran.state == FAILED
    assert ran.error == "no handler for jobs of kind 'nobody-handles-this'"
    with db_engine.connect() as connection:
        assert get(connection, failing).state == FAILED  # type: ignore[union-attr]


def test_a_job_that_keeps_dying_is_given_up(db_engine: Engine) -> None:
    install_audit(db_engine)
    job_id = queue(db_engine, "count", {"to": 1})
    for _ in range(jobs.MAX_ATTEMPTS):
        assert claim(db_engine, stale_after=timedelta(0)) is not None
    ran = run_one(db_engine, {"count": counting}, stale_after=timedelta(0))
    assert ran is not None and ran.id == job_id and ran.state == FAILED
    assert ran.error == f"gave up after {jobs.MAX_ATTEMPTS} attempts"


def test_racing_workers_claim_each_job_once(db_engine: Engine) -> None:
    install_audit(db_engine)
    ids = [queue(db_engine, "count", {"to": 1}) for _ in range(12)]
    claimed: list[int] = []
    lock = threading.Lock()

    def race() -> None:
        while (got := claim(db_engine)) is not None:
            with lock:
                claimed.append(got.id)

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == ids


def test_worker_thread_runs_jobs_until_stopped(db_engine: Engine) -> None:
    install_audit(db_engine)
    worker = Worker(db_engine, {"count": counting}, poll_seconds=0.05)
    worker.start()
    try:
        job_id = queue(db_engine, "count", {"to": 2})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with db_engine.connect() as connection:
                if get(connection, job_id).state == DONE:  # type: ignore[union-attr]
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("the worker did not finish the job")
    finally:
        worker.stop()
    assert not worker.thread.is_alive()
