"""'What would change it': concrete steps, each verified by re-screening the changed engagement.

A step is shown only when screening the engagement again with the change applied clears at
least one finding and adds none (a mitigation that opens a new risk is not a mitigation). Steps
that only work together (every outstanding due-diligence check; both capacity and strategy) are
offered as one step when they clear something no single step does. Nothing here is guessed:
``tier_after`` and ``removes`` come from the engine.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from riskscreen.inputs.overlay import overlay
from riskscreen.models.base import TIER_ORDER
from riskscreen.models.engagement import Engagement
from riskscreen.models.result import ScreeningResult, WhatIfStep

if TYPE_CHECKING:
    from riskscreen.inputs.taxonomy import Taxonomies
    from riskscreen.screening.engine import Engine

# Elements a lead can leave out of the agreement, in the words a report uses. Removing a sector,
# the partner or the country is not offered: that is a different engagement, not a mitigation.
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
DUE_DILIGENCE_ORDER = ("sanctions", "ownership", "financial", "reputational", "legal", "security", "data_protection")


@dataclass(frozen=True)
class Candidate:
    id: str
    action: str
    change: dict[str, Any]
    group: str | None = None  # a grouped step names the group its single steps belong to
    member_of: str | None = None


def _label(taxonomies: Taxonomies, vocabulary: str, value: str) -> str:
    entry = getattr(taxonomies, vocabulary).get(value)
    return entry.label if entry is not None else value.replace("_", " ")


def _approval_candidates(engagement: Engagement, taxonomies: Taxonomies) -> list[Candidate]:
    """Each approval level above the current one, lowest first: the first that clears a finding wins."""
    levels = taxonomies.approval_levels
    current = levels[engagement.lead.approval].rank if engagement.lead.approval in levels else 0
    higher = sorted((entry for entry in levels.values() if entry.rank > current), key=lambda e: (e.rank, e.id))
    return [Candidate(f"approval_{entry.id}", f"Obtain approval at the level of: {entry.label}",
                      {"lead": {"approval": entry.id}}, member_of="approval") for entry in higher]


def _candidates(engagement: Engagement, taxonomies: Taxonomies, as_of: date) -> list[Candidate]:
    steps: list[Candidate] = []
    done = set(engagement.lead.due_diligence)
    missing = [c for c in DUE_DILIGENCE_ORDER if c not in done and c in taxonomies.due_diligence]
    for check in missing:
        steps.append(Candidate(f"due_diligence_{check}",
                               f"Complete and record due diligence: {_label(taxonomies, 'due_diligence', check)}",
                               {"lead": {"due_diligence": sorted(done | {check})}}, member_of="due_diligence"))
    if len(missing) > 1:
        steps.append(Candidate("due_diligence_all", "Complete and record every outstanding due-diligence check ("
                               + ", ".join(_label(taxonomies, "due_diligence", c) for c in missing) + ")",
                               {"lead": {"due_diligence": sorted(done | set(missing))}}, group="due_diligence"))
    steps.extend(_approval_candidates(engagement, taxonomies))
    if engagement.published is not True:
        steps.append(Candidate("publish", "Commit to publishing the agreement", {"published": True}))
    if engagement.objectives_defined is not True:
        steps.append(Candidate("objectives", "Define objectives and measures of success", {"objectives_defined": True}))
    if engagement.term_years is None:
        steps.append(Candidate("fixed_term", "Agree a fixed term (for example three years, renewable)", {"term_years": 3}))
    if engagement.review_date is None or engagement.review_date < as_of:
        review = (as_of + timedelta(days=365)).isoformat()
        steps.append(Candidate("review_date", "Set a review date within the next year", {"review_date": review}))
    capacity: list[Candidate] = []
    if engagement.lead.international_team_fte is not None and engagement.lead.international_team_fte <= 0:
        capacity.append(Candidate("capacity", "Name at least one officer (1 FTE) accountable for international work",
                                  {"lead": {"international_team_fte": 1}}, member_of="capacity"))
    if engagement.lead.has_international_strategy is False:
        capacity.append(Candidate("strategy", "Tie the engagement to an adopted international strategy",
                                  {"lead": {"has_international_strategy": True}}, member_of="capacity"))
    steps.extend(capacity)
    if len(capacity) > 1:
        steps.append(Candidate("capacity_and_strategy", "Name an accountable officer and tie the engagement to "
                               "an adopted international strategy",
                               {"lead": {"international_team_fte": 1, "has_international_strategy": True}},
                               group="capacity"))
    for flag in engagement.involves:
        if flag in INVOLVES_STEPS:
            remaining = [f for f in engagement.involves if f != flag]
            steps.append(Candidate(f"remove_{flag}", INVOLVES_STEPS[flag], {"involves": remaining}))
    return steps


@dataclass(frozen=True)
class _Outcome:
    fired: frozenset[str]
    tier: str


def _rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


def what_would_change(engine: Engine, engagement: Engagement, result: ScreeningResult, as_of: date) -> list[WhatIfStep]:
    """Verified steps that clear findings, then all of them together when there is more than one."""
    base = engagement.model_dump(mode="json", exclude_none=True)
    before = {f.rule_id for f in result.findings}

    def rescreen(change: dict[str, Any]) -> _Outcome:
        # Only which rules fire and the tier matter here, so the explaining half is skipped.
        matched = engine.match(engine.validate(overlay(base, change)), as_of)
        return _Outcome(frozenset(matched.fired), engine.tier_for(matched.fired, matched.fact["exposure_rank"]))

    useful: list[WhatIfStep] = []
    cleared_by_member: dict[str, set[str]] = {}
    approval_found = False
    combined: dict[str, Any] = {}
    for candidate in _candidates(engagement, engine.taxonomies, as_of):
        if candidate.member_of == "approval" and approval_found:
            continue
        after = rescreen(candidate.change)
        found = after.fired
        removed = before - found
        if not removed or found - before or _rank(after.tier) > _rank(result.tier):
            continue
        if candidate.group is not None and removed <= cleared_by_member.get(candidate.group, set()):
            continue  # the single steps already clear everything the group would
        if candidate.member_of is not None:
            cleared_by_member.setdefault(candidate.member_of, set()).update(removed)
        approval_found = approval_found or candidate.member_of == "approval"
        useful.append(WhatIfStep(id=candidate.id, action=candidate.action, change=candidate.change,
                                 tier_after=after.tier, lowers_tier=_rank(after.tier) < _rank(result.tier),
                                 removes=sorted(removed)))
        combined = _merge_change(combined, candidate.change)
    if len(useful) > 1:
        after = rescreen(combined)
        useful.append(WhatIfStep(
            id="all_of_the_above", action="All of the steps above together", change=combined,
            tier_after=after.tier, lowers_tier=_rank(after.tier) < _rank(result.tier),
            removes=sorted(before - after.fired),
        ))
    return useful


def _merge_change(combined: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    merged = overlay(combined, change)
    # Two removals from `involves` must both apply, so keep only what both leave in.
    if "involves" in combined and "involves" in change:
        merged["involves"] = [f for f in combined["involves"] if f in change["involves"]]
    # Completed checks accumulate.
    old = combined.get("lead", {}).get("due_diligence")
    new = change.get("lead", {}).get("due_diligence")
    if old is not None and new is not None:
        merged["lead"]["due_diligence"] = sorted(set(old) | set(new))
    return merged


class WhatIfMemo:
    """Screening with what-if steps over many engagements in one run (re-screening a database),
    working out the steps once per distinct engagement and day.

    The steps are a pure function of the engagement, the day and the engine's rules: screening
    never reads the engagement's ``id``, so engagements that differ only in id share them. The
    memo is bounded (least recently used first out), so memory stays flat however long the run.
    """

    def __init__(self, engine: Engine, limit: int = 2048) -> None:
        self.engine, self.limit = engine, limit
        self._steps: OrderedDict[tuple[date, str], list[WhatIfStep]] = OrderedDict()
        self.hits = self.misses = 0

    def screen(self, data: Mapping[str, Any] | Engagement, as_of: date) -> ScreeningResult:
        engagement = data if isinstance(data, Engagement) else self.engine.validate(data)
        result = self.engine.screen(engagement, as_of=as_of)
        # a digest, not the text, keeps each entry small
        text = json.dumps(engagement.model_dump(mode="json", exclude={"id"}), sort_keys=True)
        key = (as_of, hashlib.sha256(text.encode("utf-8")).hexdigest())
        steps = self._steps.get(key)
        if steps is None:
            self.misses += 1
            steps = what_would_change(self.engine, engagement, result, as_of)
            self._steps[key] = steps
            if len(self._steps) > self.limit:
                self._steps.popitem(last=False)
        else:
            self.hits += 1
            self._steps.move_to_end(key)
        # a copy of each step, so no two results share (and could alter) one object
        result.what_would_change = [step.model_copy(deep=True) for step in steps]
        return result
