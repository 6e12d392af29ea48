"""'What would change it': concrete steps, each verified by re-screening the changed engagement."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from riskscreen.models.base import TIER_ORDER
from riskscreen.models.engagement import Engagement
from riskscreen.models.result import ScreeningResult, WhatIfStep
from riskscreen.ruletest import overlay

if TYPE_CHECKING:
    from riskscreen.engine import Engine

# Changes a lead can make itself, in the order a report lists them. Removing a sector or
# partner is not offered: that is a different engagement, not a mitigation.
INVOLVES_STEPS = {
    "exclusivity": "Remove the exclusivity clause",
    "low_cost_financing": "Decline the low-upfront-cost financing offer and use conventional finance",
    "political_statement": "Take the political statement or cause out of the agreement",
    "sovereignty_recognition": "Remove language on statehood or recognition",
    "equity_stake": "Drop the equity stake",
    "land_or_property": "Leave land and property out of the agreement",
    "site_access": "Give the partner no access to sites, systems or networks",
    "personal_data": "Share no personal data (anonymised or aggregate data only)",
    "ip_transfer": "Keep intellectual property out of scope",
    "dual_use": "Keep dual-use and export-controlled technology out of scope",
    "critical_infrastructure": "Keep critical infrastructure out of scope",
    "foreign_funding": "Decline the foreign funding",
    "elected_member_travel": "Hold the meetings without overseas travel by elected members",
    "media_profile": "Keep the launch low-key",
    "sensitive_research": "Keep sensitive research out of scope",
}


def _candidates(engagement: Engagement, as_of: date) -> list[tuple[str, str, dict[str, Any]]]:
    steps: list[tuple[str, str, dict[str, Any]]] = []
    done = set(engagement.lead.due_diligence)
    for check in ("sanctions", "ownership", "financial", "reputational", "legal", "security", "data_protection"):
        if check not in done:
            steps.append((f"due_diligence_{check}", f"Complete {check.replace('_', ' ')} due diligence and record it",
                          {"lead": {"due_diligence": sorted(done | {check})}}))
    if (engagement.lead.approval or "none") in ("none", "officer"):
        steps.append(("approval_board", "Obtain approval at committee, cabinet or board level",
                      {"lead": {"approval": "cabinet"}}))
    if engagement.published is not True:
        steps.append(("publish", "Commit to publishing the agreement", {"published": True}))
    if engagement.objectives_defined is not True:
        steps.append(("objectives", "Define objectives and measures of success", {"objectives_defined": True}))
    if engagement.term_years is None:
        steps.append(("fixed_term", "Agree a fixed term (for example three years, renewable)", {"term_years": 3}))
    if engagement.review_date is None or engagement.review_date < as_of:
        review = (as_of + timedelta(days=365)).isoformat()
        steps.append(("review_date", "Set a review date within the next year", {"review_date": review}))
    if engagement.lead.has_international_strategy is False:
        steps.append(("strategy", "Tie the engagement to an adopted international strategy",
                      {"lead": {"has_international_strategy": True}}))
    for flag in engagement.involves:
        if flag in INVOLVES_STEPS:
            remaining = [f for f in engagement.involves if f != flag]
            steps.append((f"remove_{flag}", INVOLVES_STEPS[flag], {"involves": remaining}))
    return steps


def what_would_change(engine: Engine, engagement: Engagement, result: ScreeningResult, as_of: date) -> list[WhatIfStep]:
    """Steps that remove at least one finding, then all of them together if that lowers the tier."""
    base = engagement.model_dump(mode="json", exclude_none=True)
    before = {f.rule_id for f in result.findings}
    useful: list[WhatIfStep] = []
    combined: dict[str, Any] = {}
    for step_id, action, change in _candidates(engagement, as_of):
        after = engine.screen(engine.validate(overlay(base, change)), as_of=as_of)
        removed = sorted(before - {f.rule_id for f in after.findings})
        if not removed:
            continue
        useful.append(WhatIfStep(id=step_id, action=action, change=change, tier_after=after.tier,
                                 lowers_tier=TIER_ORDER.index(after.tier) < TIER_ORDER.index(result.tier),
                                 removes=removed))
        combined = _merge_change(combined, change, base)
    if len(useful) > 1:
        after = engine.screen(engine.validate(overlay(base, combined)), as_of=as_of)
        useful.append(WhatIfStep(
            id="all_of_the_above", action="All of the steps above together", change=combined,
            tier_after=after.tier, lowers_tier=TIER_ORDER.index(after.tier) < TIER_ORDER.index(result.tier),
            removes=sorted(before - {f.rule_id for f in after.findings}),
        ))
    return useful


def _merge_change(combined: dict[str, Any], change: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    merged = overlay(combined, change)
    # Two removals from `involves` must both apply, so intersect the remaining lists.
    if "involves" in combined and "involves" in change:
        merged["involves"] = [f for f in combined["involves"] if f in change["involves"]]
    if "lead" in combined and "lead" in change and "due_diligence" in combined["lead"] and "due_diligence" in change["lead"]:
        merged["lead"]["due_diligence"] = sorted(set(combined["lead"]["due_diligence"]) | set(change["lead"]["due_diligence"]))
    return merged
