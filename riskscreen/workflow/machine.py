"""The review state machine: the one place that decides which action may move an engagement where.

    draft → submitted → in_review ⇄ information_requested;  in_review → decided
    submitted → information_requested        (the completeness check can ask before accepting)
    draft | submitted | in_review | information_requested → withdrawn   (by the officer)
    withdrawn → draft                         (reopened by the officer)
    decided → in_review                       (reopened by a reviewer, or re-queued by the system
                                               when a re-screen raises the tier or a waiver expires)

Routes, templates and the CLI ask :func:`allowed_actions` what to offer and call :func:`transition`
to act; nothing else changes a state. An illegal action raises :class:`IllegalTransition`, never a
silent no-op. Which organisation's engagements a user may touch is the permissions module's job;
this module knows roles and states only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum

from riskscreen.errors import Location, Problem
from riskscreen.workflow.decisions import ReviewDecision
from riskscreen.workflow.errors import FourEyesViolation, IllegalTransition, InvalidDecision


class State(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    INFORMATION_REQUESTED = "information_requested"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class Action(str, Enum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    REQUEST_INFORMATION = "request_information"
    PROVIDE_INFORMATION = "provide_information"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    REQUEUE = "requeue"


class Role(str, Enum):
    OFFICER = "officer"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    AUDITOR = "auditor"
    # re-screening and waiver expiry act as the system, never as a person
    SYSTEM = "system"


OPEN_STATES = frozenset({State.SUBMITTED, State.IN_REVIEW, State.INFORMATION_REQUESTED})
"""The states of an engagement in the reviewers' queue."""


@dataclass(frozen=True)
class Rule:
    """One legal move: from any of ``sources`` to ``target``, by ``role``, with what it must carry."""

    action: Action
    sources: frozenset[State]
    target: State
    role: Role
    needs_note: bool = False
    needs_decision: bool = False


def _rule(action: Action, sources: Iterable[State], target: State, role: Role, *,
          note: bool = False, decision: bool = False) -> Rule:
    return Rule(action, frozenset(sources), target, role, needs_note=note, needs_decision=decision)


RULES: tuple[Rule, ...] = (
    _rule(Action.SUBMIT, [State.DRAFT], State.SUBMITTED, Role.OFFICER),
    _rule(Action.ACCEPT, [State.SUBMITTED], State.IN_REVIEW, Role.REVIEWER),
    _rule(Action.REQUEST_INFORMATION, [State.SUBMITTED, State.IN_REVIEW], State.INFORMATION_REQUESTED,
          Role.REVIEWER, note=True),
    _rule(Action.PROVIDE_INFORMATION, [State.INFORMATION_REQUESTED], State.IN_REVIEW, Role.OFFICER, note=True),
    _rule(Action.DECIDE, [State.IN_REVIEW], State.DECIDED, Role.REVIEWER, decision=True),
    _rule(Action.WITHDRAW, [State.DRAFT, *OPEN_STATES], State.WITHDRAWN, Role.OFFICER),
    # the officer takes a withdrawn engagement back as a draft; a reviewer reopens a decision
    _rule(Action.REOPEN, [State.WITHDRAWN], State.DRAFT, Role.OFFICER),
    _rule(Action.REOPEN, [State.DECIDED], State.IN_REVIEW, Role.REVIEWER, note=True),
    _rule(Action.REQUEUE, [State.DECIDED], State.IN_REVIEW, Role.SYSTEM, note=True),
)


def _find(action: Action, state: State, role: Role) -> Rule | None:
    return next((r for r in RULES if r.action is action and state in r.sources and r.role is role), None)


@dataclass(frozen=True)
class Actor:
    """Who acts: a user id (or ``system``) and the role they act in."""

    id: str
    role: Role


SYSTEM_ACTOR = Actor("system", Role.SYSTEM)


@dataclass(frozen=True)
class Case:
    """The workflow facts of one engagement: its state, everyone who ever submitted it, and the
    decision in force (None unless decided)."""

    state: State = State.DRAFT
    submitters: frozenset[str] = field(default_factory=frozenset)
    decision: ReviewDecision | None = None


@dataclass(frozen=True)
class Step:
    """What one transition did; the store persists it with its audit event in one transaction."""

    action: Action
    actor: Actor
    before: Case
    after: Case
    note: str | None = None

    @property
    def decision(self) -> ReviewDecision | None:
        return self.after.decision if self.action is Action.DECIDE else None


def allowed_actions(case: Case, actor: Actor) -> list[Action]:
    """Actions this actor may take now, in the table's order (what a page should offer)."""
    found = [r.action for r in RULES
             if case.state in r.sources and actor.role is r.role and _four_eyes_ok(r.action, case, actor)]
    return list(dict.fromkeys(found))


def _four_eyes_ok(action: Action, case: Case, actor: Actor) -> bool:
    return action is not Action.DECIDE or actor.id not in case.submitters


def _refusal(case: Case, action: Action, actor: Actor) -> IllegalTransition:
    rules = [r for r in RULES if r.action is action]
    from_here = [r for r in rules if case.state in r.sources]
    if from_here:
        roles = " or ".join(sorted({f"a {r.role.value}" for r in from_here}))
        reason = f"only {roles} may {action.value.replace('_', ' ')} it"
    else:
        states = sorted({s.value.replace("_", " ") for r in rules for s in r.sources})
        reason = f"it must be {' or '.join(states)}"
    return IllegalTransition(action.value, case.state.value, actor.role.value, reason,
                             (a.value for a in allowed_actions(case, actor)))


def transition(case: Case, action: Action, actor: Actor, *, note: str | None = None,
               decision: ReviewDecision | None = None) -> Step:
    """Apply one action, or raise: IllegalTransition (wrong state or role), FourEyesViolation
    (the decider submitted it), InvalidDecision (a missing note or decision)."""
    rule = _find(action, case.state, actor.role)
    if rule is None:
        raise _refusal(case, action, actor)
    if not _four_eyes_ok(action, case, actor):
        raise FourEyesViolation(f"user {actor.id} submitted this engagement and so cannot decide it; "
                                "another reviewer must")
    text = (note or "").strip() or None
    if rule.needs_note and text is None:
        raise InvalidDecision(Problem("a message is required", Location(field="note"),
                                      suggestion=f"say why you {action.value.replace('_', ' ')}"))
    if rule.needs_decision and decision is None:
        raise InvalidDecision(Problem("a decision is required", Location(field="decision")))
    if not rule.needs_decision and decision is not None:
        raise InvalidDecision(Problem(f"a decision cannot be recorded by {action.value}",
                                      Location(field="decision")))
    after = replace(case, state=rule.target,
                    submitters=case.submitters | {actor.id} if action is Action.SUBMIT else case.submitters,
                    decision=decision if action is Action.DECIDE
                    else None if rule.target is not State.DECIDED else case.decision)
    return Step(action, actor, case, after, text)
