"""The state diagram in docs/review.md is the transition table, edge for edge."""

from __future__ import annotations

import re

from riskscreen.workflow.machine import RULES
from tests.conftest import ROOT

EDGE = re.compile(r"^\s+(\w+) --> (\w+) : (\w+) \((\w+)\)$")


def test_diagram_matches_the_table() -> None:
    text = (ROOT / "docs" / "review.md").read_text(encoding="utf-8")
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    drawn = {m.groups() for line in diagram.splitlines() if (m := EDGE.match(line))}
    table = {(source.value, rule.target.value, rule.action.value, rule.role.value)
             for rule in RULES for source in rule.sources}
    assert drawn == table
