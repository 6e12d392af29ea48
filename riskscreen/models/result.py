"""What a screening returns: findings, the risk profile, the tier, escalation and provenance."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from riskscreen.models.taxonomy import Reference


class ResultModel(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Evidence(ResultModel):
    """One fact a rule tested, its value, and the input values it was derived from."""

    fact: str
    value: Any
    inputs: dict[str, Any] = Field(default_factory=dict)


class AppliedWaiver(ResultModel):
    reason: str
    approved_by: str
    expires: date
    source: str


class Finding(ResultModel):
    rule_id: str
    risk_type: str
    title: str
    impact: str
    likelihood: str
    severity: int
    tier: str
    rationale: str
    advice: str
    escalate_to: list[str]
    evidence: list[Evidence]
    references: list[Reference]
    amplifier: bool = False
    waiver: AppliedWaiver | None = None


class Decision(ResultModel):
    """A proportionality rule that fired: the tier or level it set, and why."""

    rule_id: str
    title: str
    subject: str
    sets_tier: str | None = None
    sets_level: str | None = None
    rationale: str
    references: list[Reference] = Field(default_factory=list)


class RiskProfileEntry(ResultModel):
    risk_type: str
    label: str
    level: Literal["none", "low", "medium", "high"]
    finding_count: int
    max_severity: int
    amplified: bool
    rules: list[str]
    decided_by: list[str]


class EscalationEntry(ResultModel):
    body: str
    name: str
    kind: str
    ask: str
    by_when: Literal["before_negotiation", "before_signing"]
    why: list[str]
    rules: list[str]
    contact: str
    interim: str | None = None


class ChecklistEntry(ResultModel):
    id: str
    text: str
    status: Literal["done", "outstanding", "not_applicable"]
    source: Reference


class EngagementSummary(ResultModel):
    id: str
    title: str | None
    lead_name: str
    lead_type: str
    partner_name: str
    partner_type: str
    partner_parent: str | None
    country: str
    country_name: str
    agreement_type: str
    sectors: list[str]
    involves: list[str]
    value_gbp: float | None
    term_years: float | None
    binding: bool | None
    review_date: date | None


class PackInfo(ResultModel):
    name: str
    version: str
    hash: str


class Provenance(ResultModel):
    tool_version: str
    backend: str
    as_of: date
    rule_pack: PackInfo
    taxonomies: PackInfo
    watchlists: PackInfo
    # True when a loaded watchlist entry carries the `sanctioned` tag. Without such a list no
    # designation can be found, so reports must say so (False for results saved before it existed).
    sanctions_list_loaded: bool = False


class WhatIfStep(ResultModel):
    """A concrete change to the engagement and what re-screening with it gives."""

    id: str
    action: str
    change: dict[str, Any]
    tier_after: str
    lowers_tier: bool
    removes: list[str]


class ScreeningResult(ResultModel):
    engagement_id: str
    tier: str
    tier_label: str
    tier_meaning: str
    next_steps: str
    engagement: EngagementSummary
    findings: list[Finding]
    risk_profile: list[RiskProfileEntry]
    amplifier_applied: bool
    tier_decisions: list[Decision]
    escalation: list[EscalationEntry]
    checklist: list[ChecklistEntry]
    watchlist_hits: list[dict[str, Any]]
    provenance: Provenance
    what_would_change: list[WhatIfStep] = Field(default_factory=list)
