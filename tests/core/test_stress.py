"""Many screenings in one process: no crash, no leak between screenings, no memory growth."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Engine

from ..conftest import AS_OF
from .helpers import engagement

VARIANTS: list[dict[str, Any]] = [
    {},
    {"partner": {"country": "CN"}, "agreement_type": "mou", "sectors": ["energy", "research"]},
    {"partner": {"country": "RU", "type": "state_owned_enterprise"}, "involves": ["site_access"]},
    {"sectors": ["artificial_intelligence"], "agreement_type": "research_collaboration", "involves": ["personal_data"]},
    {"agreement_type": "investment", "value_gbp": 1e9, "lead": {"due_diligence": []}, "involves": ["low_cost_financing"]},
    {"partner": {"country": "TW"}, "agreement_type": "friendship_agreement", "published": False},
    {"partner": {"parent": "Huawei Technologies Co., Ltd."}, "sectors": ["telecommunications"]},
    {"agreement_type": "trade_mission", "involves": ["elected_member_travel", "media_profile"], "objectives_defined": False},
]


def resident_kib() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_twenty_thousand_screenings_without_growth(engine: Engine) -> None:
    inputs = [engine.validate(engagement(id=f"E{i}", **variant)) for i, variant in enumerate(VARIANTS)]
    expected = [engine.screen(item, as_of=AS_OF).model_dump() for item in inputs]
    for i in range(2000):
        engine.screen(inputs[i % len(inputs)], as_of=AS_OF)
    before = resident_kib()
    for i in range(18000):
        result = engine.screen(inputs[i % len(inputs)], as_of=AS_OF)
        if i % 997 == 0:
            assert result.model_dump() == expected[i % len(inputs)]
    growth_kib = resident_kib() - before
    assert growth_kib < 16 * 1024, f"resident memory grew by {growth_kib} KiB over 18,000 screenings"
