"""Small builders shared by the core tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from riskscreen.inputs.resources import bundled_dir
from riskscreen.screening.ruletest import BASE_EXAMPLE, overlay


def engagement(**changes: Any) -> dict[str, Any]:
    """The neutral base engagement with ``changes`` laid over it (None deletes a key)."""
    return overlay(BASE_EXAMPLE, changes)


def copy_taxonomies(tmp_path: Path) -> Path:
    target = tmp_path / "taxonomies"
    shutil.copytree(bundled_dir("taxonomies"), target)
    return target


def write_rules(tmp_path: Path, files: dict[str, str], with_proportionality: bool = True) -> Path:
    """A rule pack directory holding ``files`` (name -> YAML), plus the bundled proportionality rules."""
    target = tmp_path / "rules"
    target.mkdir()
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    if with_proportionality:
        shutil.copy(bundled_dir("rules") / "proportionality.yaml", target / "proportionality.yaml")
    return target


FINDING_RULE = """\
stage: findings
rules:
  - id: {rule_id}
    risk_type: {risk_type}
    title: A test rule
    when: {when}
    impact: {impact}
    likelihood: medium
    tier: {tier}
    rationale: Rationale for the test rule.
    advice: Advice for the test rule.
    escalate_to: [fcdo]
    references: [{{source: commission-2026, section: core}}]
"""


def finding_rule(rule_id: str = "test_rule", when: str = "{fact: sectors, contains_any: [energy]}",
                 risk_type: str = "security", tier: str = "advice", impact: str = "medium") -> str:
    return FINDING_RULE.format(rule_id=rule_id, when=when, risk_type=risk_type, tier=tier, impact=impact)
