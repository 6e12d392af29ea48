"""SARIF 2.1.0 for code scanning (e.g. GitHub's upload-sarif).

One result per finding of each engagement at or above ``--fail-on``; ``ruleId`` is the rule's
id and ``partialFingerprints`` hash the rule id and engagement id (not the line), so alerts
survive edits elsewhere in the register. Waived findings carry a SARIF suppression; baseline
status maps to ``baselineState``. Invalid input becomes a run whose invocation failed, with one
``toolExecutionNotifications`` entry per problem.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from riskscreen import __version__
from riskscreen.errors import Problem
from riskscreen.models.base import TIER_ORDER
from riskscreen.models.register import RegisterReport, RegisterResult
from riskscreen.models.result import Finding
from riskscreen.render.options import RenderOptions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
# GitHub reads properties.security-severity: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, below low.
SECURITY_SEVERITY = {"stop": "9.5", "alignment": "7.5", "advice": "5.0", "autonomy": "2.0"}
BASELINE_STATE = {"new": "new", "worse": "updated", "known": "unchanged"}


def artifact_uri(path: str) -> str:
    """The file relative to the working directory (the repository root in CI), with '/'."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = Path(os.path.relpath(candidate))
        except ValueError:  # another drive on Windows
            return candidate.as_posix()
    return candidate.as_posix().removeprefix("./")


def fingerprint(rule_id: str, engagement_id: str) -> str:
    return hashlib.sha256(f"{rule_id}\x00{engagement_id}".encode()).hexdigest()[:32]


def _driver(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": "riskscreen", "version": __version__, "semanticVersion": __version__,
            "informationUri": "https://pypi.org/project/riskscreen/", "rules": rules}


def _rule(finding: Finding, fail_on: str) -> dict[str, Any]:
    references = "\n".join(f"- {r.citation()}" for r in finding.references)
    return {
        "id": finding.rule_id,
        "name": "".join(part.capitalize() for part in finding.rule_id.split("_")),
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": finding.rationale},
        "help": {"text": f"{finding.advice}\n\nSources:\n{references}",
                 "markdown": f"{finding.advice}\n\n**Sources**\n\n{references}"},
        "defaultConfiguration": {"level": _level(finding.tier, fail_on)},
        "properties": {
            "tags": ["riskscreen", finding.risk_type, f"tier-{finding.tier}"],
            "security-severity": SECURITY_SEVERITY[finding.tier],
            "precision": "high",
            "problem.severity": "error" if _level(finding.tier, fail_on) == "error" else "warning",
        },
    }


def _level(tier: str, fail_on: str) -> str:
    return "error" if TIER_ORDER.index(tier) >= TIER_ORDER.index(fail_on) else "warning"


def _result(r: RegisterResult, finding: Finding, index: int, uri: str) -> dict[str, Any]:
    engagement = r.result.engagement_id
    evidence = "; ".join(f"{e.fact} = {e.value}" for e in finding.evidence)
    message = (f"{engagement}: {finding.title} (calls for '{finding.tier}'; engagement tier "
               f"'{r.result.tier}'). Because {evidence or 'the rule matched'}. {finding.advice}")
    data: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": "error" if r.failing and finding.waiver is None else "warning",
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
                "region": {"startLine": max(1, r.location.line or r.location.row or 1)},
            },
            "logicalLocations": [{"name": engagement, "kind": "object"}],
        }],
        "partialFingerprints": {"riskscreenEngagementRule/v1": fingerprint(finding.rule_id, engagement)},
        "properties": {"engagement_id": engagement, "tier": r.result.tier, "effective_tier": r.effective_tier,
                       "risk_type": finding.risk_type, "failing": r.failing},
    }
    if finding.waiver is not None:
        data["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": f"{finding.waiver.reason} (approved by {finding.waiver.approved_by}, "
                             f"expires {finding.waiver.expires.isoformat()}; {finding.waiver.source})",
        }]
    if r.baseline is not None:
        data["baselineState"] = BASELINE_STATE[r.baseline]
    return data


def _log(run: dict[str, Any]) -> str:
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _notification(text: str, level: str, uri: str | None = None, line: int | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {"level": level, "message": {"text": text}}
    if uri is not None:
        region = {"region": {"startLine": line}} if line else {}
        note["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(uri),
                                                                        "uriBaseId": SRCROOT}, **region}}]
    return note


def render_register(report: RegisterReport, options: RenderOptions) -> str:
    uri = artifact_uri(report.register_path)
    selected = [(r, f) for r in report.results if TIER_ORDER.index(r.result.tier) >= TIER_ORDER.index(report.fail_on)
                for f in r.result.findings]
    rules: dict[str, dict[str, Any]] = {}
    for _, finding in sorted(selected, key=lambda pair: pair[1].rule_id):
        rules.setdefault(finding.rule_id, _rule(finding, report.fail_on))
    order = {rule_id: index for index, rule_id in enumerate(rules)}
    notifications = []
    for note in report.waiver_notes:
        file, _, line = note.source.rpartition(":")
        notifications.append(_notification(note.message, "warning", file or note.source,
                                           int(line) if line.isdigit() else None))
    run = {
        "tool": {"driver": _driver(list(rules.values()))},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications,
                         "properties": {"as_of": report.as_of.isoformat(), "fail_on": report.fail_on,
                                        "summary": report.summary.model_dump(mode="json")}}],
        "results": [_result(r, f, order[f.rule_id], uri) for r, f in selected],
        "columnKind": "unicodeCodePoints",
        "properties": {"provenance": report.provenance.model_dump(mode="json")},
    }
    return _log(run)


def render_failure(problems: list[Problem], options: RenderOptions) -> str:
    """A SARIF log for input or rule errors: the invocation failed, each problem a notification."""
    notes = [_notification(f"{p}", "error", p.location.file, p.location.line or p.location.row)
             for p in problems]
    run = {
        "tool": {"driver": _driver([])},
        "invocations": [{"executionSuccessful": False, "exitCode": 2, "toolExecutionNotifications": notes}],
        "results": [],
    }
    return _log(run)
