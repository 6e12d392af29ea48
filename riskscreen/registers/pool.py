"""Screening validated engagements in order, in this process or in worker processes.

Each worker builds its own Engine (the durable-rules host is per process). Work is sent in
chunks with a bounded number in flight, so memory does not grow with the register, and results
come back in register order so output is byte-identical whatever ``jobs`` is.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, TypeVar

from riskscreen.errors import InputError
from riskscreen.inputs.yamlio import join_surrogates
from riskscreen.models.compact import CompactFinding, CompactResult
from riskscreen.models.engagement import Engagement
from riskscreen.models.result import ScreeningResult
from riskscreen.registers.rows import LazyRow, RegisterRow
from riskscreen.screening.engine import Engine, Matched

T = TypeVar("T")
CHUNK = 256


@dataclass(frozen=True)
class EngineSpec:
    """How to build the same engine again in another process."""

    rules: Path | None = None
    taxonomies: Path | None = None
    watchlists: tuple[Path, ...] = ()
    backend: str | None = None

    def build(self) -> Engine:
        return Engine.load(
            rules=self.rules,
            taxonomies=self.taxonomies,
            watchlists=list(self.watchlists),
            backend=self.backend,
        )


_worker_engine: Engine | None = None
_worker_as_of: date | None = None


def _init_worker(spec: EngineSpec, as_of: date) -> None:
    global _worker_engine, _worker_as_of
    _worker_engine = spec.build()
    _worker_as_of = as_of


def screen_one(engine: Engine, data: Mapping[str, Any], source: str, row: int | None,
               as_of: date) -> CompactResult | None:
    """Validate, match and assemble one register row compactly; None when the row is invalid."""
    try:
        if isinstance(data, LazyRow):
            data = data.materialise()
        join_surrogates(data)  # escaped pairs from JSON or YAML; lone surrogates cannot be written out
        engagement = engine.validate(data, source=source, row=row)
    except (InputError, UnicodeError):  # UnicodeError: a lone surrogate the message cannot hold
        return None  # the pipeline reports every problem from the exact readers
    return engine.compact(engagement, as_of, engine.match(engagement, as_of))


def _screen_batch(batch: tuple[str, list[tuple[Mapping[str, Any], int | None]]]) -> list[CompactResult | None]:
    assert _worker_engine is not None and _worker_as_of is not None
    source, rows = batch
    return [screen_one(_worker_engine, data, source, row, _worker_as_of) for data, row in rows]


def screen_rows(
    rows: Iterable[RegisterRow],
    engine: Engine,
    source: str,
    as_of: date,
    jobs: int = 1,
    spec: EngineSpec | None = None,
    expected_rows: int | None = None,
) -> Iterator[tuple[RegisterRow, CompactResult | None]]:
    """Screen register rows to compact results, in the order given, here or in worker processes.

    Workers receive batches of raw rows and return compact results (a few hundred bytes each),
    so the parent only reads, applies waivers and writes. ``AUTO_JOBS`` screens the first
    ``AUTO_THRESHOLD`` rows in this process and starts workers only for a longer register
    (from the first row when ``expected_rows`` says it is longer).
    """
    iterator = iter(rows)
    if jobs == AUTO_JOBS and expected_rows is not None and expected_rows > AUTO_THRESHOLD:
        jobs = auto_workers()
    if jobs == AUTO_JOBS:
        for row in islice(iterator, AUTO_THRESHOLD):
            yield row, screen_one(engine, row.data if row.data is not None else {}, source, row.location.row, as_of)
        jobs = auto_workers()
    if jobs <= 1 or spec is None:
        for row in iterator:
            yield row, screen_one(engine, row.data if row.data is not None else {}, source, row.location.row, as_of)
        return
    first = next(iterator, None)
    if first is None:
        return
    context = multiprocessing.get_context("spawn")
    iterator = chain([first], iterator)
    shared = _Shared()
    with context.Pool(jobs, initializer=_init_worker, initargs=(spec, as_of)) as pool:
        pending: deque[tuple[list[RegisterRow], AsyncResult[list[CompactResult | None]]]] = deque()
        while True:
            while len(pending) < 2 * jobs:
                batch = list(islice(iterator, CHUNK))
                if not batch:
                    break
                work = (source, [(row.data if row.data is not None else {}, row.location.row) for row in batch])
                pending.append((batch, pool.apply_async(_screen_batch, (work,))))
            if not pending:
                return
            batch, future = pending.popleft()
            for row, result in zip(batch, future.get(), strict=True):
                yield row, shared.result(result)


class _Shared:
    """Findings that arrive from workers as copies become one shared object per rule and values again,
    as in-process screening gives them, so what the parent keeps per finding stays bounded."""

    LIMIT = 65536

    def __init__(self) -> None:
        self._findings: dict[tuple[str, str, str], CompactFinding] = {}

    def result(self, result: CompactResult | None) -> CompactResult | None:
        if result is None or not result.findings:
            return result
        return dataclasses.replace(result, findings=tuple(self._finding(f) for f in result.findings))

    def _finding(self, finding: CompactFinding) -> CompactFinding:
        key = (finding.rule_id, finding.tier, repr(finding.evidence))
        known = self._findings.get(key)
        if known is None:
            if len(self._findings) >= self.LIMIT:
                self._findings.clear()
            known = self._findings[key] = finding
        return known


def _match_chunk(engagements: list[Engagement]) -> list[Matched]:
    assert _worker_engine is not None and _worker_as_of is not None
    # Workers do the matching (watchlists, facts, durable-rules) and send back only what matched;
    # the parent assembles the full result from its own engine, so large results never cross
    # the process boundary.
    return [_worker_engine.match(e, _worker_as_of) for e in engagements]


AUTO_JOBS = 0
# With --jobs auto, registers up to this many rows are screened in-process: starting workers
# (each loads and proves its own engine) costs about what it saves. Measured on the 2-core machine
# idle (benchmarks/bench_register.py mix, jsonl; in-process against two workers): 20,000 rows CSV
# 2.7 s / 2.5 s, JSON 2.7 s / 2.3 s, YAML 5.8 s / 4.0 s; 100,000 rows CSV 12.7 s / 9.9 s, JSON
# 12.5 s / 9.4 s, YAML 28.5 s / 16.9 s. With the cores already busy (load 7-8) in-process won at
# 10,000 and 30,000 rows: workers only pay on idle cores.
AUTO_THRESHOLD = 10_000
AUTO_MAX_WORKERS = 4
_SAMPLE_SECONDS = 0.1


def auto_workers() -> int:
    """One worker per idle core (up to AUTO_MAX_WORKERS); 1 means screen in this process."""
    cores = os.cpu_count() or 1
    idle = cores - round(busy_cores())
    return max(1, min(idle, AUTO_MAX_WORKERS)) if idle >= 2 else 1


def busy_cores() -> float:
    """How many cores are busy now: sampled from /proc/stat over a tenth of a second on Linux.

    The load average would do elsewhere, but it trails by a minute: right after one check has
    finished, it still counts that check's workers and keeps the next one in-process.
    """
    try:
        first = _cpu_ticks()
        time.sleep(_SAMPLE_SECONDS)
        second = _cpu_ticks()
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0]
        except OSError:  # no load average on this platform
            return 0.0
    total, idle = second[0] - first[0], second[1] - first[1]
    return (os.cpu_count() or 1) * (1 - idle / total) if total > 0 else 0.0


def _cpu_ticks() -> tuple[int, int]:
    """All CPU ticks and the idle ones (idle + iowait) since boot, from /proc/stat's first line."""
    with Path("/proc/stat").open(encoding="ascii") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]
    return sum(ticks), ticks[3] + ticks[4]


def screen_in_order(
    items: Iterable[tuple[T, Engagement]],
    engine: Engine,
    as_of: date,
    jobs: int = 1,
    spec: EngineSpec | None = None,
) -> Iterator[tuple[T, Engagement, ScreeningResult]]:
    """Screen each engagement, yielding ``(tag, engagement, result)`` in the order given.

    ``jobs`` is the number of worker processes; ``AUTO_JOBS`` (0) screens the first
    ``AUTO_THRESHOLD`` rows in-process and uses one worker per core for the rest.
    """
    iterator = iter(items)
    if jobs == AUTO_JOBS:
        for tag, engagement in islice(iterator, AUTO_THRESHOLD):
            yield tag, engagement, engine.screen(engagement, as_of=as_of)
        jobs = auto_workers()
    if jobs <= 1 or spec is None:
        for tag, engagement in iterator:
            yield tag, engagement, engine.screen(engagement, as_of=as_of)
        return
    first = next(iterator, None)
    if first is None:
        return
    context = multiprocessing.get_context("spawn")
    iterator = chain([first], iterator)
    with context.Pool(jobs, initializer=_init_worker, initargs=(spec, as_of)) as pool:
        pending: deque[tuple[list[tuple[T, Engagement]], AsyncResult[list[Matched]]]] = deque()
        while True:
            while len(pending) < 2 * jobs:
                chunk = list(islice(iterator, CHUNK))
                if not chunk:
                    break
                pending.append((chunk, pool.apply_async(_match_chunk, ([e for _, e in chunk],))))
            if not pending:
                return
            chunk, future = pending.popleft()
            for (tag, engagement), matched in zip(chunk, future.get(), strict=True):
                yield tag, engagement, engine.assemble(engagement, as_of, matched)
