"""--jobs auto: workers only for idle cores, judged from a short sample of CPU time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskscreen.registers import pool


def ticks(*samples: tuple[int, int]) -> Iterator[tuple[int, int]]:
    yield from samples


def test_busy_cores_are_the_share_of_ticks_not_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pool, "_SAMPLE_SECONDS", 0)
    samples = ticks((1000, 600), (1200, 700))  # 200 ticks, 100 of them idle: one core's worth busy
    monkeypatch.setattr(pool, "_cpu_ticks", lambda: next(samples))
    assert pool.busy_cores() == pytest.approx(1.0)


def test_without_proc_stat_the_load_average_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> tuple[int, int]:
        raise OSError("no /proc/stat")

    monkeypatch.setattr(pool, "_cpu_ticks", missing)
    monkeypatch.setattr(pool.os, "getloadavg", lambda: (3.0, 2.0, 1.0))
    assert pool.busy_cores() == 3.0


@pytest.mark.parametrize(("cores", "busy", "workers"), [(2, 0.0, 2), (2, 0.6, 1), (2, 1.0, 1), (8, 1.2, 4),
                                                        (4, 1.4, 3), (1, 0.0, 1)])
def test_one_worker_per_idle_core_when_two_are_idle(monkeypatch: pytest.MonkeyPatch, cores: int, busy: float,
                                                     workers: int) -> None:
    monkeypatch.setattr(pool.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(pool, "busy_cores", lambda: busy)
    assert pool.auto_workers() == workers


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="Linux only")
def test_the_sample_reads_this_machine() -> None:
    assert 0.0 <= pool.busy_cores() <= (os.cpu_count() or 1) + 1e-9
