"""Shared fixtures: engines on the bundled pack, one per backend, built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from riskscreen import Engine
from riskscreen.rulepack.backends import available_backends

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    with Engine.load() as loaded:
        yield loaded


@pytest.fixture(scope="session")
def python_engine() -> Iterator[Engine]:
    with Engine.load(backend="python") as loaded:
        yield loaded


@pytest.fixture(scope="session")
def durable_engine() -> Iterator[Engine]:
    if "durable" not in available_backends():
        pytest.skip("durable-rules does not import on this Python")
    with Engine.load(backend="durable") as loaded:
        yield loaded
