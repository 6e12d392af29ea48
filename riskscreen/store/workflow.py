"""The engagement life cycle: which status may follow which, and by what action.

draft --submit--> submitted --withdraw--> withdrawn
draft --withdraw--> withdrawn
withdrawn --reopen--> draft

Only drafts may be edited or re-screened by their organisation. The reviewers' workflow adds
states after ``submitted`` by adding rows to TRANSITIONS; nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskscreen.errors import RiskscreenError

DRAFT = "draft"
SUBMITTED = "submitted"
WITHDRAWN = "withdrawn"

STATUSES: dict[str, str] = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted for review",
    WITHDRAWN: "Withdrawn",
}

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({DRAFT}), SUBMITTED),
    "withdraw": (frozenset({DRAFT, SUBMITTED}), WITHDRAWN),
    "reopen": (frozenset({WITHDRAWN}), DRAFT),
}

EDITABLE = frozenset({DRAFT})


class TransitionError(RiskscreenError):
    """An action that the engagement's current status does not allow."""


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str


def can(action: str, status: str) -> bool:
    allowed = TRANSITIONS.get(action)
    return allowed is not None and status in allowed[0]


def transition(action: str, status: str) -> Transition:
    if action not in TRANSITIONS:
        raise TransitionError(f"unknown action '{action}'")
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionError(
            f"cannot {action} an engagement that is {STATUSES.get(status, status).lower()}"
        )
    return Transition(action, status, target)


def editable(status: str) -> bool:
    return status in EDITABLE
