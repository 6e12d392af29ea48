"""Properties that must hold for every valid engagement (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Engine
from riskscreen.models.base import TIER_ORDER

from ..conftest import AS_OF
from .strategies import INVOLVES, SECTORS, WATCHLIST_NAMES, engagements

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


def as_json(engine: Engine, data: dict[str, Any]) -> str:
    return json.dumps(engine.screen(data, as_of=AS_OF).model_dump(mode="json"), sort_keys=True)


@SETTINGS
@given(engagements())
def test_any_valid_engagement_screens_and_json_is_identical_twice(engine: Engine, data: dict[str, Any]) -> None:
    first = as_json(engine, data)
    assert first == as_json(engine, data)
    result = json.loads(first)
    assert result["tier"] in TIER_ORDER
    # the tier is at least what every finding calls for, and stop only with a legal bar
    assert rank(result["tier"]) >= max((rank(f["tier"]) for f in result["findings"]), default=0)
    if result["tier"] == "stop":
        assert any(f["tier"] == "stop" for f in result["findings"])


@SETTINGS
@given(engagements())
def test_backends_give_identical_findings(python_engine: Engine, durable_engine: Engine, data: dict[str, Any]) -> None:
    left = python_engine.screen(data, as_of=AS_OF).model_dump(mode="json")
    right = durable_engine.screen(data, as_of=AS_OF).model_dump(mode="json")
    for result in (left, right):
        result["provenance"].pop("backend")
    assert left == right


@SETTINGS
@given(engagements(), st.sampled_from(SECTORS))
def test_adding_a_sector_never_lowers_the_tier(engine: Engine, data: dict[str, Any], sector: str) -> None:
    before = engine.screen(data, as_of=AS_OF).tier
    if sector not in data["sectors"]:
        data["sectors"] = [*data["sectors"], sector]
    assert rank(engine.screen(data, as_of=AS_OF).tier) >= rank(before)


@SETTINGS
@given(engagements(), st.sampled_from(INVOLVES))
def test_adding_an_involves_flag_never_lowers_the_tier(engine: Engine, data: dict[str, Any], flag: str) -> None:
    before = engine.screen(data, as_of=AS_OF).tier
    data["involves"] = sorted({*data.get("involves", []), flag})
    assert rank(engine.screen(data, as_of=AS_OF).tier) >= rank(before)


@SETTINGS
@given(engagements(), st.sampled_from(WATCHLIST_NAMES))
def test_a_watchlist_hit_never_lowers_the_tier(engine: Engine, data: dict[str, Any], listed: str) -> None:
    before = engine.screen(data, as_of=AS_OF)
    data["partner"]["parent"] = listed
    after = engine.screen(data, as_of=AS_OF)
    assert after.watchlist_hits
    assert rank(after.tier) >= rank(before.tier)


@SETTINGS
@given(engagements())
def test_declaring_state_linkage_never_lowers_the_tier(engine: Engine, data: dict[str, Any]) -> None:
    before = engine.screen(data, as_of=AS_OF).tier
    data["partner"]["state_linked"] = True
    assert rank(engine.screen(data, as_of=AS_OF).tier) >= rank(before)
