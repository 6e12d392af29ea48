"""Shared builders for the workflow tests."""

from __future__ import annotations

from datetime import date

from riskscreen.workflow.decisions import DecisionKind, ReviewDecision, make_decision

BODIES = frozenset({"ddu", "fcdo", "isu", "rcat"})
BASIS = {"screening_id": "s-1", "tier": "advice", "rule_pack_hash": "r" * 8, "taxonomies_hash": "t" * 8,
         "watchlists_hash": "w" * 8}


def decision(kind: DecisionKind = DecisionKind.APPROVED) -> ReviewDecision:
    data: dict[str, object] = {"kind": kind.value, "reason": "Proportionate and well documented",
                               "basis": BASIS}
    if kind is DecisionKind.REFERRED:
        data["referred_to"] = "ddu"
    if kind is DecisionKind.APPROVED_WITH_CONDITIONS:
        data["conditions"] = [{"text": "Publish the MoU", "owner": "International team", "due": date(2027, 1, 31)}]
    return make_decision(data, BODIES)


__all__ = ["BASIS", "BODIES", "decision"]
