"""The review workflow's core: states and transitions, decisions, the audit hash chain, the review
clock, waivers and re-screening. Pure Python: no web framework and no database."""

from __future__ import annotations

from riskscreen.workflow.audit import AuditEvent, ChainReport, SealedEvent, seal, verify
from riskscreen.workflow.clock import ClockPolicy, ClockStatus, ReviewClock, review_clock
from riskscreen.workflow.decisions import (
    Condition,
    DecisionKind,
    ReviewDecision,
    ScreeningBasis,
    make_decision,
)
from riskscreen.workflow.errors import (
    FourEyesViolation,
    IllegalTransition,
    InvalidDecision,
    WorkflowError,
)
from riskscreen.workflow.machine import (
    OPEN_STATES,
    RULES,
    SYSTEM_ACTOR,
    Action,
    Actor,
    Case,
    Role,
    State,
    Step,
    allowed_actions,
    transition,
)

__all__ = [
    "OPEN_STATES",
    "RULES",
    "SYSTEM_ACTOR",
    "Action",
    "Actor",
    "AuditEvent",
    "Case",
    "ChainReport",
    "ClockPolicy",
    "ClockStatus",
    "Condition",
    "DecisionKind",
    "FourEyesViolation",
    "IllegalTransition",
    "InvalidDecision",
    "ReviewClock",
    "ReviewDecision",
    "Role",
    "ScreeningBasis",
    "SealedEvent",
    "State",
    "Step",
    "WorkflowError",
    "allowed_actions",
    "make_decision",
    "review_clock",
    "seal",
    "transition",
    "verify",
]
