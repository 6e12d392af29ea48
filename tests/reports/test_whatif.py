"""Every 'what would change it' step is verified: re-screening with its change gives what it claims."""

from __future__ import annotations

from riskscreen import Engine
from riskscreen.models.base import TIER_ORDER
from riskscreen.models.result import ScreeningResult
from riskscreen.screening.ruletest import BASE_EXAMPLE, overlay
from tests.reports.conftest import AS_OF, load, screen


def _verify(engine: Engine, data: dict[str, object], result: ScreeningResult) -> None:
    before = {f.rule_id for f in result.findings}
    assert result.what_would_change, "the fixture should offer steps"
    for step in result.what_would_change:
        after = engine.screen(engine.validate(overlay(engine.validate(data).model_dump(mode="json", exclude_none=True),
                                                      step.change)), as_of=AS_OF)
        found = {f.rule_id for f in after.findings}
        assert after.tier == step.tier_after, step.id
        assert sorted(before - found) == step.removes, step.id
        assert step.lowers_tier == (TIER_ORDER.index(after.tier) < TIER_ORDER.index(result.tier)), step.id
        if step.id != "all_of_the_above":
            assert found <= before, f"{step.id} adds a finding"


def test_every_step_is_verified_by_rescreening(python_engine: Engine, investment: ScreeningResult) -> None:
    _verify(python_engine, load("investment-mou.yaml"), investment)


def test_every_step_in_a_register_is_verified(python_engine: Engine) -> None:
    for data in load("register.yaml"):
        result = screen(python_engine, data)
        if result.what_would_change:
            _verify(python_engine, data, result)


def test_combined_steps_lower_the_investment_tier(investment: ScreeningResult) -> None:
    combined = investment.what_would_change[-1]
    assert combined.id == "all_of_the_above"
    assert combined.removes == sorted({f.rule_id for f in investment.findings}
                                      - {f.rule_id for f in investment.findings if f.tier == "autonomy"}
                                      ) or combined.lowers_tier


def test_a_single_unpublished_flag_gives_exactly_one_step(python_engine: Engine) -> None:
    result = python_engine.screen(overlay(BASE_EXAMPLE, {"published": False}), as_of=AS_OF, what_if=True)
    assert [(s.id, s.change, s.removes) for s in result.what_would_change] == [
        ("publish", {"published": True}, ["pol_unpublished"])]


def test_the_lowest_approval_level_that_clears_is_offered(python_engine: Engine) -> None:
    """A level that clears one finding but raises another (approval too low for the tier) is skipped."""
    data = load("investment-mou.yaml")
    data["lead"]["approval"] = "none"
    result = python_engine.screen(data, as_of=AS_OF, what_if=True)
    offered = [s for s in result.what_would_change if s.id.startswith("approval_")]
    assert len(offered) == 1
    before = {f.rule_id for f in result.findings}
    levels = sorted(python_engine.taxonomies.approval_levels.values(), key=lambda e: (e.rank, e.id))

    def clears_cleanly(level: str) -> bool:
        after = {f.rule_id for f in python_engine.screen(overlay(data, {"lead": {"approval": level}}),
                                                         as_of=AS_OF).findings}
        return bool(before - after) and after <= before

    clearing = [e.id for e in levels if e.rank > 0 and clears_cleanly(e.id)]
    assert offered[0].change == {"lead": {"approval": clearing[0]}}


def test_nothing_to_change_for_a_clean_engagement(python_engine: Engine) -> None:
    assert screen(python_engine, load("culture-exchange.yaml")).what_would_change == []
