"""Keeping many screening results in memory: share the parts that repeat across results.

A register's results repeat the same checklist entries, tier decisions, risk-profile rows,
escalation entries, references and provenance thousands of times. Sharing one instance of each
keeps the memory a large register needs to a fraction. Shared parts must not be mutated; waivers
replace findings by copies, never edit them.
"""

from __future__ import annotations

from typing import Any

from riskscreen.models.result import ScreeningResult


class Interner:
    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], Any] = {}

    def _same(self, key: tuple[Any, ...], value: Any) -> Any:
        return self._cache.setdefault(key, value)

    def compact(self, result: ScreeningResult) -> ScreeningResult:
        p = result.provenance
        result.provenance = self._same(("provenance", p.tool_version, p.backend, p.as_of, p.rule_pack.hash,
                                        p.taxonomies.hash, p.watchlists.hash), p)
        for name in ("tier_label", "tier_meaning", "next_steps"):
            value = getattr(result, name)
            setattr(result, name, self._same(("text", value), value))
        result.checklist = [self._same(("checklist", c.id, c.status), c) for c in result.checklist]
        result.tier_decisions = [self._same(("decision", d.rule_id, d.subject, d.sets_tier, d.sets_level), d)
                                 for d in result.tier_decisions]
        result.risk_profile = [
            self._same(("profile", r.risk_type, r.level, r.finding_count, r.max_severity, r.amplified,
                        tuple(r.rules), tuple(r.decided_by)), r) for r in result.risk_profile
        ]
        result.escalation = [self._same(("escalation", e.body, e.ask, e.by_when, tuple(e.why), tuple(e.rules),
                                         e.interim), e) for e in result.escalation]
        for finding in result.findings:
            canonical = self._same(("finding", finding.rule_id), finding)
            if canonical is not finding:
                finding.title = canonical.title
                finding.rationale = canonical.rationale
                finding.advice = canonical.advice
                finding.references = canonical.references
                finding.escalate_to = canonical.escalate_to
        return result
