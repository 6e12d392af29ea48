"""Fixtures for the report tests: the fixture engagements screened, and a register built from them."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from riskscreen import Engine
from riskscreen.models.base import TIER_ORDER
from riskscreen.models.register import (
    RegisterReport,
    RegisterResult,
    RegisterSummary,
    SourceLocation,
)
from riskscreen.models.result import ScreeningResult

DATA = Path(__file__).resolve().parent / "data"
AS_OF = date(2026, 11, 22)


def load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def screen(engine: Engine, data: dict[str, Any]) -> ScreeningResult:
    return engine.screen(data, as_of=AS_OF, what_if=True)


def build_register(engine: Engine, engagements: list[dict[str, Any]], fail_on: str = "alignment") -> RegisterReport:
    """A RegisterReport as the check command would build it (no waivers), from Engine.screen results."""
    results: list[RegisterResult] = []
    for line, data in enumerate(engagements, start=2):
        result = screen(engine, data)
        failing = TIER_ORDER.index(result.tier) >= TIER_ORDER.index(fail_on)
        results.append(RegisterResult(result=result, location=SourceLocation(file="register.yaml", line=line),
                                      effective_tier=result.tier, waived=False, failing=failing))
    tiers = Counter(r.result.tier for r in results)
    summary = RegisterSummary(total=len(results), by_tier={t: tiers[t] for t in TIER_ORDER},
                              by_effective_tier={t: tiers[t] for t in TIER_ORDER},
                              failing=sum(r.failing for r in results), waived=0, expired_waivers=0, fail_on=fail_on)
    return RegisterReport(register_path="register.yaml", as_of=AS_OF, fail_on=fail_on, results=results,
                          summary=summary, provenance=engine.provenance(AS_OF))


@pytest.fixture(scope="session")
def investment(python_engine: Engine) -> ScreeningResult:
    return screen(python_engine, load("investment-mou.yaml"))


@pytest.fixture(scope="session")
def register(python_engine: Engine) -> RegisterReport:
    return build_register(python_engine, load("register.yaml"))
