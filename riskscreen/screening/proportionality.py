"""The proportionality stage: summarising findings into facts and reading back the decisions.

Findings are summarised per risk type (one ``risk_type`` fact each) and for the whole
screening (one ``screening`` fact). Proportionality rules — YAML, matched by the same
backend as the finding rules — set a level for a risk type or a tier for the screening.
The outcome is the highest level / tier set, so adding a finding can never lower either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from riskscreen.models.base import RISK_TYPES, TIER_ORDER, Level, Tier
from riskscreen.models.rule import FindingRule

LEVELS = ("none", "low", "medium", "high")
HIGH_SEVERITY = 6
MEDIUM_SEVERITY = 3


@dataclass(frozen=True)
class Hit:
    """The parts of a fired finding rule the summary needs, as plain values."""

    risk_type: str
    impact_rank: int
    likelihood_rank: int
    tier: str
    amplifier: bool

    @classmethod
    def of(cls, rule: FindingRule) -> Hit:
        return cls(
            rule.risk_type.value,
            Level(rule.impact).rank,
            Level(rule.likelihood).rank,
            rule.tier.value,
            rule.amplifier,
        )

    @property
    def severity(self) -> int:
        return self.impact_rank * self.likelihood_rank


def _max_tier(hits: Sequence[Hit]) -> str:
    return max((h.tier for h in hits), key=TIER_ORDER.index, default="autonomy")


def summarise(
    hits: Sequence[Hit], exposure_rank: int
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Per-risk-type facts and the screening fact for a set of fired finding rules."""
    amplifiers = [h for h in hits if h.amplifier]
    per_type: dict[str, dict[str, Any]] = {}
    for risk_type in RISK_TYPES:
        mine = [h for h in hits if h.risk_type == risk_type]
        tier = _max_tier(mine)
        per_type[risk_type] = {
            "kind": "risk_type",
            "risk_type": risk_type,
            "finding_count": len(mine),
            "max_impact_rank": max((h.impact_rank for h in mine), default=0),
            "max_likelihood_rank": max((h.likelihood_rank for h in mine), default=0),
            "max_severity": max((h.severity for h in mine), default=0),
            "max_called_tier": tier,
            "max_called_tier_rank": TIER_ORDER.index(tier),
            "amplified": bool(amplifiers) and risk_type != "institutional" and bool(mine),
        }
    others = [f for t, f in per_type.items() if t != "institutional"]
    tier = _max_tier(hits)
    screening = {
        "kind": "screening",
        "finding_count": len(hits),
        "max_called_tier": tier,
        "max_called_tier_rank": TIER_ORDER.index(tier),
        "legal_bar": any(h.tier == Tier.stop.value for h in hits),
        "amplifier": bool(amplifiers),
        "amplifier_count": len(amplifiers),
        "high_severity_types": sum(1 for f in others if f["max_severity"] >= HIGH_SEVERITY),
        "medium_severity_types": sum(1 for f in others if f["max_severity"] >= MEDIUM_SEVERITY),
        "risk_types_present": [t for t, f in per_type.items() if f["finding_count"]],
        "exposure_rank": exposure_rank,
    }
    return per_type, screening


def fact_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    """A hashable key for a summary fact (the proportionality stage is a pure function of it)."""
    # summarise() always builds the keys in the same order, so the values alone identify a fact.
    return tuple(tuple(v) if isinstance(v, list) else v for v in fact.values())


def highest_level(levels: Sequence[str]) -> str:
    return max(levels, key=LEVELS.index, default="none")


def highest_tier(tiers: Sequence[str]) -> str:
    return max(tiers, key=TIER_ORDER.index, default="autonomy")
