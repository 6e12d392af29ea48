"""Compact screening results for registers: what each engagement needs beyond the rule catalogue.

A register's output states each rule's texts once; per engagement it carries only the tier,
the rules that fired with the fact values that made them fire, waivers and the few engagement
fields the tables show. Findings with the same rule and values are one shared object, so a
100,000-row register costs little more than its ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from riskscreen.models.engagement import Waiver
from riskscreen.models.result import AppliedWaiver, ScreeningResult


@dataclass(frozen=True, slots=True)
class CompactFinding:
    rule_id: str
    risk_type: str
    tier: str
    evidence: tuple[tuple[str, Any], ...]  # (fact, JSON-ready value) for each condition that held
    waiver: AppliedWaiver | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "risk_type": self.risk_type,
            "tier": self.tier,
            "evidence": dict(self.evidence),
        }
        if self.waiver is not None:
            data["waiver"] = self.waiver.model_dump(mode="json")
        return data


@dataclass(frozen=True, slots=True)
class CompactResult:
    """One engagement screened: tier, findings (most severe first) and the fields tables show."""

    engagement_id: str
    tier: str
    findings: tuple[CompactFinding, ...]
    exposure_rank: int
    title: str | None
    partner_name: str
    country: str
    agreement_type: str
    review_date: date | None
    waivers: tuple[Waiver, ...] = ()


def jsonable(value: Any) -> Any:
    """A fact value as JSON shows it (dates as ISO text, tuples as lists)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def compact_of(result: ScreeningResult, exposure_rank: int = 0) -> CompactResult:
    """The compact form of a full screening result (e.g. one screened by ``Engine.screen``)."""
    e = result.engagement
    findings = tuple(
        CompactFinding(f.rule_id, f.risk_type, f.tier, tuple((ev.fact, jsonable(ev.value)) for ev in f.evidence),
                       f.waiver)
        for f in result.findings
    )
    return CompactResult(engagement_id=result.engagement_id, tier=result.tier, findings=findings,
                         exposure_rank=exposure_rank, title=e.title, partner_name=e.partner_name,
                         country=e.country, agreement_type=e.agreement_type, review_date=e.review_date)
