"""Comparing two checks of a register: which engagements changed tier or findings, and why.

The two sides may be two registers, or one register under two rule packs or taxonomies (the
reviewer's question when a country's sensitivity is raised or a rule is added).
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

from riskscreen.models.base import TIER_ORDER
from riskscreen.models.register import RegisterReport
from riskscreen.models.result import Finding, Provenance, ScreeningResult


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EngagementChange(_Model):
    engagement_id: str
    change: Literal["added", "removed", "raised", "lowered", "findings_changed"]
    old_tier: str | None
    new_tier: str | None
    added_findings: list[str]
    removed_findings: list[str]
    why: list[str]


class DiffSummary(_Model):
    old_total: int
    new_total: int
    unchanged: int
    added: int
    removed: int
    raised: int
    lowered: int
    findings_changed: int


class RegisterDiff(_Model):
    old: str
    new: str
    changes: list[EngagementChange]
    summary: DiffSummary
    old_provenance: Provenance
    new_provenance: Provenance


def _because(finding: Finding) -> str:
    evidence = "; ".join(f"{e.fact} = {e.value}" for e in finding.evidence)
    return f"{finding.rule_id} [{finding.tier}]: {finding.title}" + (f" (because {evidence})" if evidence else "")


def compare_results(old: ScreeningResult, new: ScreeningResult) -> EngagementChange | None:
    """How one engagement's screening changed, or None when tier and findings are the same."""
    old_rules = {f.rule_id: f for f in old.findings}
    new_rules = {f.rule_id: f for f in new.findings}
    added = sorted(set(new_rules) - set(old_rules))
    removed = sorted(set(old_rules) - set(new_rules))
    if old.tier == new.tier and not added and not removed:
        return None
    step = TIER_ORDER.index(new.tier) - TIER_ORDER.index(old.tier)
    kind: Literal["raised", "lowered", "findings_changed"] = (
        "raised" if step > 0 else "lowered" if step < 0 else "findings_changed")
    why = [f"new finding {_because(new_rules[r])}" for r in added]
    why += [f"finding no longer fires: {r} [{old_rules[r].tier}] {old_rules[r].title}" for r in removed]
    old_deciders = {d.rule_id for d in old.tier_decisions if d.sets_tier}
    why += [f"tier set by {d.rule_id}: {d.title}" for d in new.tier_decisions
            if d.sets_tier == new.tier and d.rule_id not in old_deciders and step]
    if old.engagement.country != new.engagement.country or old.engagement.sectors != new.engagement.sectors:
        why.append("the engagement's country or sectors changed")
    return EngagementChange(engagement_id=new.engagement_id, change=kind, old_tier=old.tier, new_tier=new.tier,
                            added_findings=added, removed_findings=removed, why=why)


def diff_reports(old: RegisterReport, new: RegisterReport) -> RegisterDiff:
    old_by_id = {r.result.engagement_id: r.result for r in old.results}
    new_ids = {r.result.engagement_id for r in new.results}
    changes: list[EngagementChange] = []
    for item in new.results:
        result = item.result
        before = old_by_id.get(result.engagement_id)
        if before is None:
            changes.append(EngagementChange(
                engagement_id=result.engagement_id, change="added", old_tier=None, new_tier=result.tier,
                added_findings=sorted(f.rule_id for f in result.findings), removed_findings=[],
                why=[f"new engagement; {_because(f)}" for f in result.findings] or ["new engagement"]))
        elif (change := compare_results(before, result)) is not None:
            changes.append(change)
    for item in old.results:
        if item.result.engagement_id not in new_ids:
            changes.append(EngagementChange(
                engagement_id=item.result.engagement_id, change="removed", old_tier=item.result.tier,
                new_tier=None, added_findings=[], removed_findings=sorted(f.rule_id for f in item.result.findings),
                why=["engagement no longer in the register"]))
    count = {kind: sum(c.change == kind for c in changes)
             for kind in ("added", "removed", "raised", "lowered", "findings_changed")}
    both = len(new_ids & set(old_by_id))
    summary = DiffSummary(old_total=len(old.results), new_total=len(new.results),
                          unchanged=both - count["raised"] - count["lowered"] - count["findings_changed"],
                          **count)
    return RegisterDiff(old=old.register_path, new=new.register_path, changes=changes, summary=summary,
                        old_provenance=old.provenance, new_provenance=new.provenance)


def _arrow(change: EngagementChange) -> str:
    return f"{change.old_tier or '—'} → {change.new_tier or '—'}"


def _summary_line(diff: RegisterDiff) -> str:
    s = diff.summary
    return (f"{s.raised} raised, {s.lowered} lowered, {s.findings_changed} with changed findings, "
            f"{s.added} added, {s.removed} removed, {s.unchanged} unchanged")


def render_text(diff: RegisterDiff) -> str:
    lines = [f"riskscreen diff: {diff.old} → {diff.new}", _summary_line(diff), ""]
    if not diff.changes:
        lines.append("No engagement changed tier or findings.")
    for c in diff.changes:
        lines.append(f"{c.engagement_id}: {c.change.replace('_', ' ')} ({_arrow(c)})")
        lines += [f"  - {reason}" for reason in c.why]
    return "\n".join(lines) + "\n"


def render_markdown(diff: RegisterDiff) -> str:
    lines = [f"# riskscreen diff: `{diff.old}` → `{diff.new}`", "", _summary_line(diff) + ".", ""]
    if diff.changes:
        lines += ["| Engagement | Change | Tier | Findings added | Findings removed |", "|---|---|---|---|---|"]
        lines += [f"| {c.engagement_id} | {c.change.replace('_', ' ')} | {_arrow(c)} | "
                  f"{', '.join(c.added_findings) or '—'} | {', '.join(c.removed_findings) or '—'} |"
                  for c in diff.changes]
        lines.append("")
        for c in diff.changes:
            lines += [f"## {c.engagement_id}", ""] + [f"- {reason}" for reason in c.why] + [""]
    else:
        lines += ["No engagement changed tier or findings.", ""]
    return "\n".join(lines)


def render_json(diff: RegisterDiff) -> str:
    return json.dumps(diff.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "md": render_markdown}
