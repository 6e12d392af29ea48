"""A reviewer's decision: the outcome, the reason, structured conditions, and the screening it rests on.

The decision keeps the state at decision time — the screening's id, tier and the rule pack,
taxonomies and watchlist hashes — so it can be replayed later even after the rules change.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from riskscreen.errors import Location, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.validation import problems_from
from riskscreen.models.result import ScreeningResult
from riskscreen.workflow.errors import InvalidDecision


class DecisionKind(str, Enum):
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REFERRED = "referred"
    DECLINED = "declined"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Condition(_Frozen):
    """Something the lead must do for an approval to stand, tracked until it is met."""

    text: str = Field(min_length=3)
    owner: str = Field(min_length=2, description="who must meet it (a person or team)")
    due: date
    met_on: date | None = None


class ScreeningBasis(_Frozen):
    """The screening a decision was based on, and the versions of the rules that produced it."""

    screening_id: str = Field(min_length=1)
    tier: str
    rule_pack_hash: str
    taxonomies_hash: str
    watchlists_hash: str

    @classmethod
    def of(cls, screening_id: str, result: ScreeningResult) -> ScreeningBasis:
        p = result.provenance
        return cls(screening_id=screening_id, tier=result.tier, rule_pack_hash=p.rule_pack.hash,
                   taxonomies_hash=p.taxonomies.hash, watchlists_hash=p.watchlists.hash)


class ReviewDecision(_Frozen):
    kind: DecisionKind
    reason: str = Field(min_length=3)
    referred_to: str | None = Field(default=None, description="escalation body id, for 'referred'")
    conditions: tuple[Condition, ...] = ()
    basis: ScreeningBasis


def make_decision(data: Mapping[str, Any], bodies: Collection[str]) -> ReviewDecision:
    """Validate a decision from a form or API body; every problem is reported with its field.

    ``bodies`` are the escalation body ids (``taxonomies/escalation_bodies.yaml``) a referral may name.
    """
    try:
        decision = ReviewDecision.model_validate(data)
    except ValidationError as exc:
        # the rules between fields are checked too, so every problem is reported at once
        problems = problems_from(exc, data, ReviewDecision, None)
        kind = data.get("kind")
        if kind in {k.value for k in DecisionKind}:
            fields = {p.location.field for p in problems}
            problems += [p for p in _between_fields(DecisionKind(kind), data.get("referred_to"),
                                                    bool(data.get("conditions")), bodies)
                         if p.location.field not in fields]
        raise InvalidDecision(problems) from None
    problems = _between_fields(decision.kind, decision.referred_to, bool(decision.conditions), bodies)
    if problems:
        raise InvalidDecision(problems)
    return decision


def _between_fields(kind: DecisionKind, referred_to: Any, has_conditions: bool,
                    bodies: Collection[str]) -> list[Problem]:
    problems: list[Problem] = []
    if kind is DecisionKind.REFERRED:
        if referred_to is None:
            problems.append(Problem("a referral names the body it goes to", Location(field="referred_to"),
                                    suggestion=did_you_mean("", bodies, "escalation bodies")))
        elif referred_to not in bodies:
            problems.append(Problem("unknown escalation body", Location(field="referred_to"),
                                    value=referred_to,
                                    suggestion=did_you_mean(str(referred_to), bodies, "escalation bodies")))
    elif referred_to is not None:
        problems.append(Problem("only a referral names a body", Location(field="referred_to"),
                                value=referred_to, suggestion="choose 'referred' or clear the body"))
    if kind is DecisionKind.APPROVED_WITH_CONDITIONS and not has_conditions:
        problems.append(Problem("an approval with conditions needs at least one condition",
                                Location(field="conditions")))
    elif kind is not DecisionKind.APPROVED_WITH_CONDITIONS and has_conditions:
        problems.append(Problem(f"a decision of '{kind.value}' carries no conditions",
                                Location(field="conditions"),
                                suggestion="choose 'approved_with_conditions' or remove the conditions"))
    return problems


def condition_status(condition: Condition, today: date) -> str:
    """``met``, ``overdue`` (past its due date and not met) or ``open``."""
    if condition.met_on is not None:
        return "met"
    return "overdue" if condition.due < today else "open"


def mark_met(condition: Condition, on: date) -> Condition:
    if condition.met_on is not None:
        raise InvalidDecision(Problem(f"this condition was already met on {condition.met_on.isoformat()}",
                                      Location(field="met_on")))
    return condition.model_copy(update={"met_on": on})
