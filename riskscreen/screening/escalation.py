"""Escalation advice merged per body, and the good-practice checklist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from riskscreen.errors import RulePackError, display_path
from riskscreen.inputs.taxonomy import Taxonomies
from riskscreen.models.result import ChecklistEntry, EscalationEntry, Finding
from riskscreen.rulepack.backends.python import Predicate, compile_predicate
from riskscreen.rulepack.conditions import ConditionParser
from riskscreen.rulepack.facts_catalogue import ENGAGEMENT_FACTS

BY_WHEN_ORDER = ("before_negotiation", "before_signing")
# Findings that call for national alignment or a stop must reach the body before talks go further.
URGENT_TIERS = frozenset({"alignment", "stop"})


def escalation_for(findings: Sequence[Finding], taxonomies: Taxonomies) -> list[EscalationEntry]:
    """One entry per body named by any finding, most urgent first, then in taxonomy order."""
    merged: dict[str, dict[str, Any]] = {}
    for finding in findings:
        for body_id in finding.escalate_to:
            body = taxonomies.escalation_bodies[body_id]
            entry = merged.setdefault(body_id, {"why": [], "rules": [], "by_when": body.when})
            entry["why"].append(finding.title)
            entry["rules"].append(finding.rule_id)
            if finding.tier in URGENT_TIERS:
                entry["by_when"] = "before_negotiation"
    body_order = list(taxonomies.escalation_bodies)
    result = [
        EscalationEntry(
            body=body_id,
            name=taxonomies.escalation_bodies[body_id].name,
            kind=taxonomies.escalation_bodies[body_id].kind,
            ask=taxonomies.escalation_bodies[body_id].ask,
            by_when=entry["by_when"],
            why=list(dict.fromkeys(entry["why"])),
            rules=list(dict.fromkeys(entry["rules"])),
            contact=taxonomies.escalation_bodies[body_id].contact,
            interim=taxonomies.escalation_bodies[body_id].interim,
        )
        for body_id, entry in merged.items()
    ]
    result.sort(key=lambda e: (BY_WHEN_ORDER.index(e.by_when), body_order.index(e.body)))
    return result


class Checklist:
    """The good-practice checklist with each item's done / applies conditions compiled."""

    def __init__(self, taxonomies: Taxonomies) -> None:
        parser = ConditionParser(
            ENGAGEMENT_FACTS, taxonomies.ids, display_path(taxonomies.directory / "checklist.yaml")
        )
        self._items: list[tuple[Any, Predicate, Predicate | None]] = []
        self._entries: dict[tuple[str, str], ChecklistEntry] = {}
        for item in taxonomies.checklist.values():
            try:
                done = compile_predicate(parser.parse(item.done_when))
                applies = (
                    compile_predicate(parser.parse(item.applies_when))
                    if item.applies_when
                    else None
                )
            except RulePackError as exc:
                raise RulePackError(
                    [
                        p.__class__(
                            f"checklist item '{item.id}': {p.message}",
                            p.location,
                            p.value,
                            p.suggestion,
                        )
                        for p in exc.problems
                    ]
                ) from None
            self._items.append((item, done, applies))

    def definitions(self) -> list[dict[str, Any]]:
        """Each item's id, text, source and conditions, as a register states them once."""
        return [{"id": item.id, "text": item.text, "done_when": item.done_when,
                 "applies_when": item.applies_when, "source": item.source.model_dump(mode="json")}
                for item, _, _ in self._items]

    def evaluate(self, fact: dict[str, Any]) -> list[ChecklistEntry]:
        entries = []
        for item, done, applies in self._items:
            if applies is not None and not applies(fact):
                status = "not_applicable"
            else:
                status = "done" if done(fact) else "outstanding"
            entries.append(self._entry(item, status))
        return entries

    def _entry(self, item: Any, status: str) -> ChecklistEntry:
        # Three possible entries per item, shared by every result that has them.
        key = (item.id, status)
        if key not in self._entries:
            self._entries[key] = ChecklistEntry(
                id=item.id, text=item.text, status=status, source=item.source
            )
        return self._entries[key]
