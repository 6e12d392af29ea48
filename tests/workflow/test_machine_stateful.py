"""Random sequences of actions by random users: the machine agrees with an independent model at
every step, refuses every illegal move without changing anything, and keeps its invariants."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from riskscreen.workflow.errors import FourEyesViolation, IllegalTransition, InvalidDecision
from riskscreen.workflow.machine import Action, Actor, Case, Role, State, transition
from tests.workflow.helpers import decision

# Users may hold different roles over time (an officer promoted to reviewer), which is what makes
# the four-eyes rule bite.
USERS = ("u1", "u2", "u3")
ACTORS = st.builds(Actor, st.sampled_from(USERS), st.sampled_from([r for r in Role if r is not Role.SYSTEM]))
ACTORS = ACTORS | st.just(Actor("system", Role.SYSTEM))

_MOVES = {  # the model: (action, from state) -> (to state, role)
    ("submit", "draft"): ("submitted", "officer"),
    ("accept", "submitted"): ("in_review", "reviewer"),
    ("request_information", "submitted"): ("information_requested", "reviewer"),
    ("request_information", "in_review"): ("information_requested", "reviewer"),
    ("provide_information", "information_requested"): ("in_review", "officer"),
    ("decide", "in_review"): ("decided", "reviewer"),
    ("reopen", "decided"): ("in_review", "reviewer"),
    ("reopen", "withdrawn"): ("draft", "officer"),
    ("requeue", "decided"): ("in_review", "system"),
    **{("withdraw", s): ("withdrawn", "officer") for s in ("draft", "submitted", "in_review",
                                                            "information_requested")},
}


class Workflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.case = Case()
        self.model_state = "draft"
        self.model_submitters: set[str] = set()
        self.visited: set[str] = {"draft"}

    @rule(action=st.sampled_from(Action), actor=ACTORS, with_note=st.booleans())
    def act(self, action: Action, actor: Actor, with_note: bool) -> None:
        move = _MOVES.get((action.value, self.model_state))
        legal = move is not None and move[1] == actor.role.value
        four_eyes = legal and action is Action.DECIDE and actor.id in self.model_submitters
        needs_note = action in (Action.REQUEST_INFORMATION, Action.PROVIDE_INFORMATION, Action.REQUEUE) or (
            action is Action.REOPEN and actor.role is Role.REVIEWER)
        before = self.case
        kwargs: dict[str, object] = {"note": "because" if with_note else None}
        if action is Action.DECIDE:
            kwargs["decision"] = decision()
        try:
            step = transition(self.case, action, actor, **kwargs)  # type: ignore[arg-type]
        except IllegalTransition:
            assert not legal
        except FourEyesViolation:
            assert four_eyes
        except InvalidDecision:
            assert legal and needs_note and not with_note
        else:
            assert legal and not four_eyes and (with_note or not needs_note)
            assert move is not None
            self.case = step.after
            self.model_state = move[0]
            if action is Action.SUBMIT:
                self.model_submitters.add(actor.id)
            self.visited.add(self.model_state)
            return
        assert self.case is before  # a refusal changes nothing

    @rule(data=st.data(), user=st.sampled_from(USERS), with_note=st.booleans())
    def act_as_the_model_allows(self, data: st.DataObject, user: str, with_note: bool) -> None:
        """Drive deep into the machine: pick a move the model says is legal from here."""
        moves = sorted((a, r) for (a, s), (_, r) in _MOVES.items() if s == self.model_state)
        action, role = data.draw(st.sampled_from(moves))
        self.act(Action(action), Actor("system" if role == "system" else user, Role(role)), with_note)

    @invariant()
    def agrees_with_model(self) -> None:
        assert self.case.state.value == self.model_state
        assert self.case.submitters == self.model_submitters

    @invariant()
    def decision_iff_decided(self) -> None:
        assert (self.case.decision is not None) == (self.case.state is State.DECIDED)

    @invariant()
    def only_drafts_and_withdrawn_may_lack_a_submitter(self) -> None:
        if self.case.state not in (State.DRAFT, State.WITHDRAWN):
            assert self.case.submitters


Workflow.TestCase.settings = settings(max_examples=300, stateful_step_count=30, deadline=None)
TestWorkflow = Workflow.TestCase
