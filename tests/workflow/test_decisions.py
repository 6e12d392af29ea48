"""Decisions need a reason; referrals name a known body; conditions are structured and tracked."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from riskscreen.workflow.decisions import (
    Condition,
    DecisionKind,
    ScreeningBasis,
    condition_status,
    make_decision,
    mark_met,
)
from riskscreen.workflow.errors import InvalidDecision
from tests.workflow.helpers import BASIS, BODIES


def fields_of(data: dict[str, Any]) -> list[str | None]:
    with pytest.raises(InvalidDecision) as info:
        make_decision(data, BODIES)
    return [p.location.field for p in info.value.problems]


def test_a_decision_needs_a_reason() -> None:
    assert fields_of({"kind": "approved", "basis": BASIS}) == ["reason"]
    assert fields_of({"kind": "approved", "reason": "  ", "basis": BASIS}) == ["reason"]


def test_a_decision_records_its_screening() -> None:
    assert fields_of({"kind": "approved", "reason": "fine"}) == ["basis"]


def test_unknown_kind_is_named() -> None:
    assert fields_of({"kind": "maybe", "reason": "fine", "basis": BASIS}) == ["kind"]


def test_referral_names_a_known_body() -> None:
    assert fields_of({"kind": "referred", "reason": "national interest", "basis": BASIS}) == ["referred_to"]
    with pytest.raises(InvalidDecision) as info:
        make_decision({"kind": "referred", "reason": "national", "referred_to": "fdco", "basis": BASIS}, BODIES)
    problem = info.value.problems[0]
    assert problem.value == "fdco" and "fcdo" in (problem.suggestion or "")
    made = make_decision({"kind": "referred", "reason": "national", "referred_to": "isu", "basis": BASIS}, BODIES)
    assert made.referred_to == "isu"


def test_only_referrals_name_a_body() -> None:
    assert fields_of({"kind": "declined", "reason": "too risky", "referred_to": "ddu", "basis": BASIS}) == [
        "referred_to"]


def test_conditions_go_with_conditional_approval_only() -> None:
    cond = {"text": "Publish the agreement", "owner": "Legal", "due": "2027-02-01"}
    assert fields_of({"kind": "approved_with_conditions", "reason": "Acceptable", "basis": BASIS}) == ["conditions"]
    assert fields_of({"kind": "approved", "reason": "Acceptable", "basis": BASIS, "conditions": [cond]}) == ["conditions"]
    made = make_decision({"kind": "approved_with_conditions", "reason": "Acceptable", "basis": BASIS,
                          "conditions": [cond]}, BODIES)
    assert made.conditions == (Condition(text="Publish the agreement", owner="Legal", due=date(2027, 2, 1)),)


def test_condition_fields_are_located() -> None:
    bad = {"kind": "approved_with_conditions", "reason": "Acceptable", "basis": BASIS,
           "conditions": [{"text": "Publish", "owner": "L", "due": "soon"}]}
    assert fields_of(bad) == ["conditions[0].owner", "conditions[0].due"]


def test_conditions_are_tracked_until_met() -> None:
    cond = Condition(text="Publish the agreement", owner="Legal", due=date(2027, 2, 1))
    assert condition_status(cond, date(2027, 2, 1)) == "open"
    assert condition_status(cond, date(2027, 2, 2)) == "overdue"
    met = mark_met(cond, date(2027, 2, 5))
    assert condition_status(met, date(2027, 3, 1)) == "met" and cond.met_on is None
    with pytest.raises(InvalidDecision, match="already met on 2027-02-05"):
        mark_met(met, date(2027, 3, 1))


def test_basis_keeps_the_rule_versions(engine: Any, tmp_path: Any) -> None:
    from riskscreen.inputs.yamlio import load_yaml_file
    from tests.conftest import ROOT

    result = engine.screen(load_yaml_file(ROOT / "examples" / "edinburgh-kaohsiung.yaml"))
    basis = ScreeningBasis.of("42", result)
    assert basis.tier == result.tier
    assert basis.rule_pack_hash == result.provenance.rule_pack.hash
    assert basis.taxonomies_hash == result.provenance.taxonomies.hash
    assert basis.watchlists_hash == result.provenance.watchlists.hash
    decision = make_decision({"kind": DecisionKind.DECLINED, "reason": "Too sensitive", "basis": basis}, BODIES)
    assert decision.basis.screening_id == "42"


def test_problems_between_fields_are_reported_with_the_field_problems() -> None:
    basis = BASIS
    with pytest.raises(InvalidDecision) as caught:
        make_decision({"kind": "approved_with_conditions", "reason": "", "basis": basis}, BODIES)
    assert sorted(p.location.field for p in caught.value.problems) == ["conditions", "reason"]
    with pytest.raises(InvalidDecision) as caught:
        make_decision({"kind": "referred", "reason": "", "basis": basis}, BODIES)
    assert sorted(p.location.field for p in caught.value.problems) == ["reason", "referred_to"]
