"""Errors the review workflow raises. Each says what was refused and what would be allowed."""

from __future__ import annotations

from collections.abc import Iterable

from riskscreen.errors import LocatedError, RiskscreenError


class WorkflowError(RiskscreenError):
    """Base class for refusals by the review workflow."""


class IllegalTransition(WorkflowError):
    """An action that the engagement's state (or the actor's role) does not allow."""

    def __init__(self, action: str, state: str, role: str, reason: str, allowed: Iterable[str]) -> None:
        self.action = action
        self.state = state
        self.role = role
        self.allowed = sorted(allowed)
        hint = (f"; from '{state}' a {role} may: {', '.join(self.allowed)}" if self.allowed
                else f"; a {role} may do nothing to an engagement in '{state}'")
        super().__init__(f"cannot {action.replace('_', ' ')} an engagement that is {state.replace('_', ' ')}: "
                         f"{reason}{hint}")


class FourEyesViolation(WorkflowError):
    """The user who submitted an engagement tried to decide it (or grant it a waiver)."""


class InvalidDecision(LocatedError, WorkflowError):
    """A decision, condition or waiver with a missing or wrong field; each problem names the field."""
