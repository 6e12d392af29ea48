"""Every (state, action, role) triple against the transition table as the issue states it, plus the
four-eyes rule and what each step carries."""

from __future__ import annotations

import itertools

import pytest

from riskscreen.workflow.decisions import DecisionKind
from riskscreen.workflow.errors import FourEyesViolation, IllegalTransition, InvalidDecision
from riskscreen.workflow.machine import (
    SYSTEM_ACTOR,
    Action,
    Actor,
    Case,
    Role,
    State,
    allowed_actions,
    transition,
)
from tests.workflow.helpers import decision

S = State
# The specification, written out independently of the module's table: (action, from) -> (to, role).
LEGAL: dict[tuple[Action, State], tuple[State, Role]] = {
    (Action.SUBMIT, S.DRAFT): (S.SUBMITTED, Role.OFFICER),
    (Action.ACCEPT, S.SUBMITTED): (S.IN_REVIEW, Role.REVIEWER),
    (Action.REQUEST_INFORMATION, S.SUBMITTED): (S.INFORMATION_REQUESTED, Role.REVIEWER),
    (Action.REQUEST_INFORMATION, S.IN_REVIEW): (S.INFORMATION_REQUESTED, Role.REVIEWER),
    (Action.PROVIDE_INFORMATION, S.INFORMATION_REQUESTED): (S.IN_REVIEW, Role.OFFICER),
    (Action.DECIDE, S.IN_REVIEW): (S.DECIDED, Role.REVIEWER),
    (Action.WITHDRAW, S.DRAFT): (S.WITHDRAWN, Role.OFFICER),
    (Action.WITHDRAW, S.SUBMITTED): (S.WITHDRAWN, Role.OFFICER),
    (Action.WITHDRAW, S.IN_REVIEW): (S.WITHDRAWN, Role.OFFICER),
    (Action.WITHDRAW, S.INFORMATION_REQUESTED): (S.WITHDRAWN, Role.OFFICER),
    (Action.REOPEN, S.WITHDRAWN): (S.DRAFT, Role.OFFICER),
    (Action.REOPEN, S.DECIDED): (S.IN_REVIEW, Role.REVIEWER),
    (Action.REQUEUE, S.DECIDED): (S.IN_REVIEW, Role.SYSTEM),
}
# (action, role) pairs that must carry a message
NEEDS_NOTE = {(Action.REQUEST_INFORMATION, Role.REVIEWER), (Action.PROVIDE_INFORMATION, Role.OFFICER),
              (Action.REOPEN, Role.REVIEWER), (Action.REQUEUE, Role.SYSTEM)}

SUBMITTER = "officer-1"


def case_in(state: State) -> Case:
    submitted = state is not S.DRAFT
    return Case(state=state, submitters=frozenset({SUBMITTER}) if submitted else frozenset(),
                decision=decision() if state is S.DECIDED else None)


def kwargs_for(action: Action) -> dict[str, object]:
    out: dict[str, object] = {}
    if any(a is action for a, _ in NEEDS_NOTE):
        out["note"] = "Please send the partner's ownership chart"
    if action is Action.DECIDE:
        out["decision"] = decision()
    return out


@pytest.mark.parametrize(("state", "action", "role"), list(itertools.product(State, Action, Role)))
def test_every_triple_follows_the_specification(state: State, action: Action, role: Role) -> None:
    actor = Actor("someone-else", role)
    before = case_in(state)
    expected = LEGAL.get((action, state))
    if expected is not None and expected[1] is role:
        step = transition(before, action, actor, **kwargs_for(action))  # type: ignore[arg-type]
        assert step.after.state is expected[0]
        assert step.before == before
        assert action in allowed_actions(before, actor)
    else:
        with pytest.raises(IllegalTransition) as info:
            transition(before, action, actor, **kwargs_for(action))  # type: ignore[arg-type]
        assert info.value.state == state.value and info.value.action == action.value
        assert action not in allowed_actions(before, actor)
        # the message names what the actor could do instead
        assert sorted(a.value for a in allowed_actions(before, actor)) == info.value.allowed


def test_illegal_message_is_plain() -> None:
    with pytest.raises(IllegalTransition, match=r"cannot decide an engagement that is submitted: it must be "
                                                r"in review; from 'submitted' a reviewer may: accept, "
                                                r"request_information"):
        transition(case_in(S.SUBMITTED), Action.DECIDE, Actor("r", Role.REVIEWER), decision=decision())
    with pytest.raises(IllegalTransition, match="only a officer may submit it; a reviewer may do nothing"):
        transition(case_in(S.DRAFT), Action.SUBMIT, Actor("r", Role.REVIEWER))


def test_reopen_means_redraft_for_the_officer_and_review_again_for_a_reviewer() -> None:
    officer, reviewer = Actor("o", Role.OFFICER), Actor("r", Role.REVIEWER)
    assert transition(case_in(S.WITHDRAWN), Action.REOPEN, officer).after.state is S.DRAFT
    assert transition(case_in(S.DECIDED), Action.REOPEN, reviewer, note="FCDO view changed").after.state is S.IN_REVIEW
    with pytest.raises(IllegalTransition, match="only a reviewer may reopen it"):
        transition(case_in(S.DECIDED), Action.REOPEN, officer)


def test_submitter_cannot_decide_even_after_becoming_a_reviewer() -> None:
    case = transition(Case(), Action.SUBMIT, Actor("u7", Role.OFFICER)).after
    case = transition(case, Action.ACCEPT, Actor("r1", Role.REVIEWER)).after
    promoted = Actor("u7", Role.REVIEWER)
    assert Action.DECIDE not in allowed_actions(case, promoted)
    with pytest.raises(FourEyesViolation, match="u7 submitted this engagement"):
        transition(case, Action.DECIDE, promoted, decision=decision())
    # another reviewer may, and the decision is kept on the case
    step = transition(case, Action.DECIDE, Actor("r1", Role.REVIEWER), decision=decision())
    assert step.after.state is S.DECIDED and step.decision == decision()


def test_every_submitter_is_barred_not_only_the_latest() -> None:
    case = transition(Case(), Action.SUBMIT, Actor("a", Role.OFFICER)).after
    case = transition(case, Action.WITHDRAW, Actor("a", Role.OFFICER)).after
    assert case.submitters == {"a"}
    again = Case(state=S.DRAFT, submitters=case.submitters)
    case = transition(again, Action.SUBMIT, Actor("b", Role.OFFICER)).after
    case = transition(case, Action.ACCEPT, Actor("c", Role.REVIEWER)).after
    for who in ("a", "b"):
        with pytest.raises(FourEyesViolation):
            transition(case, Action.DECIDE, Actor(who, Role.REVIEWER), decision=decision())


@pytest.mark.parametrize(("action", "role"), sorted(NEEDS_NOTE, key=lambda p: p[0].value))
@pytest.mark.parametrize("note", [None, "", "   "])
def test_actions_that_need_a_message_refuse_without_one(action: Action, role: Role, note: str | None) -> None:
    state = next(s for (a, s), (_, r) in LEGAL.items() if a is action and r is role)
    with pytest.raises(InvalidDecision) as info:
        transition(case_in(state), action, Actor("x", role), note=note)
    assert info.value.problems[0].location.field == "note"


def test_message_is_trimmed_and_kept() -> None:
    step = transition(case_in(S.SUBMITTED), Action.REQUEST_INFORMATION, Actor("r", Role.REVIEWER),
                      note="  Who owns the partner?  ")
    assert step.note == "Who owns the partner?"


def test_decide_needs_a_decision_and_others_refuse_one() -> None:
    with pytest.raises(InvalidDecision, match="a decision is required"):
        transition(case_in(S.IN_REVIEW), Action.DECIDE, Actor("r", Role.REVIEWER))
    with pytest.raises(InvalidDecision, match="cannot be recorded by accept"):
        transition(case_in(S.SUBMITTED), Action.ACCEPT, Actor("r", Role.REVIEWER), decision=decision())


def test_reopening_clears_the_decision_in_force() -> None:
    decided = case_in(S.DECIDED)
    step = transition(decided, Action.REOPEN, Actor("r", Role.REVIEWER), note="New information from FCDO")
    assert step.after.decision is None and step.before.decision is not None and step.decision is None
    requeued = transition(decided, Action.REQUEUE, SYSTEM_ACTOR, note="tier rose").after
    assert requeued.state is S.IN_REVIEW and requeued.decision is None


def test_each_decision_kind_can_be_recorded() -> None:
    for kind in DecisionKind:
        step = transition(case_in(S.IN_REVIEW), Action.DECIDE, Actor("r", Role.REVIEWER), decision=decision(kind))
        assert step.after.decision is not None and step.after.decision.kind is kind


def test_admin_and_auditor_can_move_nothing() -> None:
    for state in State:
        for role in (Role.ADMIN, Role.AUDITOR):
            assert allowed_actions(case_in(state), Actor("x", role)) == []
