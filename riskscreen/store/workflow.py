"""Engagement statuses for the service's pages, over the review state machine.

The states, the transitions and who may take them are decided in one place,
:mod:`riskscreen.workflow.machine`; this module gives the service its labels and the officer's
view of it (what an organisation's own user may do to its engagement in a given status).
"""

from __future__ import annotations

from riskscreen.workflow.errors import IllegalTransition
from riskscreen.workflow.machine import RULES, Action, Role, State

DRAFT = State.DRAFT.value
SUBMITTED = State.SUBMITTED.value
IN_REVIEW = State.IN_REVIEW.value
INFORMATION_REQUESTED = State.INFORMATION_REQUESTED.value
DECIDED = State.DECIDED.value
WITHDRAWN = State.WITHDRAWN.value

STATUSES: dict[str, str] = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted for review",
    IN_REVIEW: "In review",
    INFORMATION_REQUESTED: "Information requested",
    DECIDED: "Decided",
    WITHDRAWN: "Withdrawn",
}

# The officer may change the answers of a draft, and while a reviewer waits for information.
EDITABLE = frozenset({DRAFT, INFORMATION_REQUESTED})

TransitionError = IllegalTransition


def can(action: str, status: str, role: Role = Role.OFFICER) -> bool:
    """Whether the machine has a move for this action from this status in this role."""
    if action not in {a.value for a in Action} or status not in STATUSES:
        return False
    return any(r.action.value == action and State(status) in r.sources and r.role is role for r in RULES)


def editable(status: str) -> bool:
    return status in EDITABLE
