"""Waivers granted in review: validation, the four-eyes rule, expiry exactly as `check` applies it,
and a file export that `riskscreen check --waivers` reads back (round trip)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from riskscreen.models.engagement import Waiver
from riskscreen.registers.waivers import load_waivers
from riskscreen.workflow.errors import FourEyesViolation, InvalidDecision
from riskscreen.workflow.machine import Actor, Case, Role, State
from riskscreen.workflow.waivers import grant_waiver, is_expired, waivers_file
from tests.register.conftest import CLEAN, TELECOMS, Invoke, write_yaml

TODAY = date(2026, 12, 4)
REVIEWER = Actor("r1", Role.REVIEWER)
IN_REVIEW = Case(State.IN_REVIEW, frozenset({"o1"}))
RULES = {"t_telecoms", "t_media"}


def grant(data: dict[str, object], case: Case = IN_REVIEW, actor: Actor = REVIEWER) -> Waiver:
    return grant_waiver(data, engagement_id="TEL-1", case=case, actor=actor, approver_name="Rita Reviewer",
                        today=TODAY, known_rules=RULES)


def test_a_granted_waiver_uses_the_cli_model() -> None:
    waiver = grant({"rule_id": "t_telecoms", "reason": "DDU cleared the partner", "expires": "2027-06-30"})
    assert waiver == Waiver(engagement_id="TEL-1", rule_id="t_telecoms", reason="DDU cleared the partner",
                            approved_by="Rita Reviewer", expires=date(2027, 6, 30))
    assert grant({"rule_id": "", "reason": "Whole engagement", "expires": "2027-01-01"}).rule_id is None


def test_every_field_problem_is_reported() -> None:
    with pytest.raises(InvalidDecision) as info:
        grant({"rule_id": "t_telecom", "reason": "x", "expires": "someday"})
    assert [p.location.field for p in info.value.problems] == ["reason", "expires"]
    with pytest.raises(InvalidDecision) as info:
        grant({"rule_id": "t_telecom", "reason": "Cleared", "expires": "2026-12-04"})
    problems = info.value.problems
    assert [p.location.field for p in problems] == ["rule_id", "expires"]
    assert "t_telecoms" in (problems[0].suggestion or "")


def test_the_submitter_cannot_waive() -> None:
    with pytest.raises(FourEyesViolation):
        grant({"reason": "Cleared", "expires": "2027-01-01"}, actor=Actor("o1", Role.REVIEWER))


def test_only_reviewers_in_review_or_decided() -> None:
    with pytest.raises(InvalidDecision, match="only a reviewer"):
        grant({"reason": "Cleared", "expires": "2027-01-01"}, actor=Actor("a1", Role.ADMIN))
    with pytest.raises(InvalidDecision, match="not when it is submitted"):
        grant({"reason": "Cleared", "expires": "2027-01-01"}, case=Case(State.SUBMITTED, frozenset({"o1"})))
    assert grant({"reason": "Cleared", "expires": "2027-01-01"}, case=Case(State.DECIDED, frozenset({"o1"})))


def test_expiry_matches_the_check() -> None:
    waiver = Waiver(engagement_id="E", reason="Cleared", approved_by="Rita", expires=date(2026, 12, 4))
    assert not is_expired(waiver, date(2026, 12, 4))
    assert is_expired(waiver, date(2026, 12, 5))


def test_export_reads_back_as_the_same_waivers(tmp_path: Path) -> None:
    granted = [
        Waiver(engagement_id="TEL-1", rule_id="t_telecoms", reason="DDU cleared: see letter 12/26",
               approved_by="Rita Reviewer", expires=date(2027, 6, 30)),
        Waiver(engagement_id="MEDIA-1", reason="Whole engagement — committee minute #4", approved_by="Ö. Reviewer",
               expires=date(2027, 1, 31)),
    ]
    path = tmp_path / "waivers.yaml"
    path.write_text(waivers_file(granted), encoding="utf-8")
    loaded = [entry.waiver for entry in load_waivers(path)]
    assert sorted(loaded, key=lambda w: w.engagement_id or "") == sorted(granted, key=lambda w: w.engagement_id or "")
    assert waivers_file(reversed(granted)) == path.read_text(encoding="utf-8")  # order-independent, stable
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["waivers"][0]["expires"] == date(2027, 1, 31)


def test_check_applies_the_exported_file(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS])
    waiver = grant({"rule_id": "t_telecoms", "reason": "DDU cleared the partner", "expires": "2027-06-30"})
    (tmp_path / "waivers.yaml").write_text(waivers_file([waiver]), encoding="utf-8")
    result = invoke("check", "register.yaml", "--waivers", "waivers.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    tel = json.loads(result.stdout)["results"][1]
    assert (tel["tier"], tel["effective_tier"], tel["waived"]) == ("alignment", "autonomy", True)
    assert tel["findings"][0]["waiver"]["approved_by"] == "Rita Reviewer"


def test_an_expired_waiver_requeues_a_decided_engagement() -> None:
    from riskscreen.workflow.machine import SYSTEM_ACTOR, Action
    from riskscreen.workflow.waivers import requeue_on_expiry
    from tests.workflow.helpers import decision

    decided = Case(State.DECIDED, frozenset({"o1"}), decision())
    waiver = Waiver(engagement_id="TEL-1", rule_id="t_telecoms", reason="Cleared", approved_by="Rita",
                    expires=date(2026, 12, 4))
    assert requeue_on_expiry(decided, waiver, date(2026, 12, 4)) is None
    step = requeue_on_expiry(decided, waiver, date(2026, 12, 5))
    assert step is not None and step.action is Action.REQUEUE and step.actor == SYSTEM_ACTOR
    assert step.after.state is State.IN_REVIEW
    assert step.note == "the waiver for t_telecoms expired on 2026-12-04"
    assert requeue_on_expiry(IN_REVIEW, waiver, date(2026, 12, 5)) is None
