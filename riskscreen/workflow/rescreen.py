"""Re-screening when the rules change: which engagements to re-screen, what changed (the same
comparison as ``riskscreen diff``), and what that does to the review.

A tier that rose sends the engagement back to the queue, flagged (a decided one is re-queued by
the system); a tier that fell, or findings that changed at the same tier, are noted and nothing is
re-opened. Nothing is overwritten: the new screening is stored beside the old.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from riskscreen.models.result import Provenance, ScreeningResult
from riskscreen.registers.diff import EngagementChange, compare_results
from riskscreen.workflow.decisions import DecisionKind
from riskscreen.workflow.machine import (
    OPEN_STATES,
    SYSTEM_ACTOR,
    Action,
    Case,
    State,
    Step,
    transition,
)

_APPROVALS = frozenset({DecisionKind.APPROVED, DecisionKind.APPROVED_WITH_CONDITIONS})


class Effect(str, Enum):
    REQUEUED = "requeued"      # decided → back in the queue, flagged
    FLAGGED = "flagged"        # already in the queue; flagged for the reviewer
    NOTED = "noted"            # tier fell or findings changed; recorded, not re-opened
    UNCHANGED = "unchanged"


def rules_changed(old: Provenance, new: Provenance) -> bool:
    """Whether the rule pack, taxonomies or watchlists differ from those a screening used."""
    return (old.rule_pack.hash, old.taxonomies.hash, old.watchlists.hash) != (
        new.rule_pack.hash, new.taxonomies.hash, new.watchlists.hash)


def should_rescreen(case: Case) -> bool:
    """Open engagements and approved ones; drafts, withdrawn, declined and referred are left alone."""
    if case.state in OPEN_STATES:
        return True
    return case.state is State.DECIDED and case.decision is not None and case.decision.kind in _APPROVALS


@dataclass(frozen=True)
class RescreenOutcome:
    change: EngagementChange | None
    effect: Effect
    step: Step | None

    @property
    def rose(self) -> bool:
        return self.change is not None and self.change.change == "raised"


def rescreen_outcome(case: Case, old: ScreeningResult, new: ScreeningResult) -> RescreenOutcome:
    """Compare the latest stored screening with the new one and say what happens to the case."""
    change = compare_results(old, new)
    if change is None:
        return RescreenOutcome(None, Effect.UNCHANGED, None)
    if change.change != "raised":
        return RescreenOutcome(change, Effect.NOTED, None)
    if case.state is State.DECIDED:
        step = transition(case, Action.REQUEUE, SYSTEM_ACTOR,
                          note=f"re-screening under changed rules raised the tier from {change.old_tier} "
                               f"to {change.new_tier}")
        return RescreenOutcome(change, Effect.REQUEUED, step)
    return RescreenOutcome(change, Effect.FLAGGED, None)
