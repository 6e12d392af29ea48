"""SARIF 2.1.0 for code scanning (e.g. GitHub's upload-sarif).

One result per finding of each engagement at or above ``--fail-on``, its ``level`` from that
finding's own tier; ``ruleId`` is the rule's id and ``partialFingerprints`` hash the rule id and engagement id (not the line), so alerts
survive edits elsewhere in the register. Waived findings carry a SARIF suppression; baseline
status maps to ``baselineState``. Invalid input becomes a run whose invocation failed, with one
``toolExecutionNotifications`` entry per problem.
"""

from __future__ import annotations

import hashlib
import json
import os
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, TextIO

from riskscreen import __version__
from riskscreen.errors import Problem
from riskscreen.models.base import TIER_ORDER
from riskscreen.models.compact import CompactFinding
from riskscreen.models.result import Finding
from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome
from riskscreen.render.options import RenderOptions
from riskscreen.render.stream import RegisterContext, RegisterWriter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
# GitHub reads properties.security-severity: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, below low.
SECURITY_SEVERITY = {"stop": "9.5", "alignment": "7.5", "advice": "5.0", "autonomy": "2.0"}
BASELINE_STATE = {"new": "new", "worse": "updated", "known": "unchanged"}
_MESSAGE_CACHE = 65536  # findings whose message text is kept (each entry holds its finding alive)


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
        "defaultConfiguration": {"level": level(finding.tier, fail_on)},
        "properties": {
            "tags": ["riskscreen", finding.risk_type, f"tier-{finding.tier}"],
            "security-severity": SECURITY_SEVERITY[finding.tier],
            "precision": "high",
            "problem.severity": "error" if level(finding.tier, fail_on) == "error" else "warning",
        },
    }


def level(tier: str, fail_on: str) -> str:
    """A finding's own level: an error at or above --fail-on, a warning for advice, else a note."""
    if TIER_ORDER.index(tier) >= TIER_ORDER.index(fail_on):
        return "error"
    return "warning" if TIER_ORDER.index(tier) >= TIER_ORDER.index("advice") else "note"


def _evidence(finding: CompactFinding) -> str:
    return "; ".join(f"{fact} = {_value(value)}" for fact, value in finding.evidence)


def _value(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _string(text: str) -> str:
    return encode_basestring(text)  # exactly what json.dumps(text, ensure_ascii=False) writes


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


class SarifWriter(RegisterWriter):
    """One small result per finding of each engagement at or above --fail-on, rules stated once.

    Results are written as they come; ``tool.driver.rules`` lists the rules they reference in
    order of first use (``ruleIndex``), so it is written with the rest of the log at the end.
    """

    def __init__(self, context: RegisterContext) -> None:
        super().__init__(context)
        self._uri = artifact_uri(context.register_path)
        self._order: dict[str, int] = {}
        engine = context.options.engine
        self._rules = {rule.rule_id: rule for rule in engine.rule_catalogue()} if engine is not None else {}
        self._first = True
        self._messages: dict[int, tuple[CompactFinding, str]] = {}
        self._heads: dict[tuple[str, str], str] = {}
        self._artifact = json.dumps({"uri": self._uri, "uriBaseId": SRCROOT}, ensure_ascii=False)

    def add(self, entry: RegisterEntry) -> None:
        if TIER_ORDER.index(entry.result.tier) < TIER_ORDER.index(self.context.fail_on):
            return
        if not entry.result.findings:
            return
        # Results are the bulk of a large log, so each is written as text from pieces: what is the
        # same for every finding of this engagement once, what is the same for every use of a rule
        # once per rule, and only the engagement's own strings escaped per result. The text is
        # exactly json.dumps of the result object (tests compare the two).
        engagement = entry.result.engagement_id
        name = _string(engagement)
        line = max(1, entry.location.line or entry.location.row or 1)
        where = (f'}}, "locations": [{{"physicalLocation": {{"artifactLocation": {self._artifact}, '
                 f'"region": {{"startLine": {line}}}}}, "logicalLocations": [{{"name": {name}, "kind": "object"}}]}}], '
                 '"partialFingerprints": {"riskscreenEngagementRule/v1": ')
        properties = json.dumps({"engagement_id": engagement, "tier": entry.result.tier,
                                 "effective_tier": entry.effective_tier, "failing": entry.failing},
                                ensure_ascii=False)
        baseline = (f', "baselineState": "{BASELINE_STATE[entry.baseline]}"'
                    if entry.baseline is not None else "")
        texts = []
        for finding in entry.result.findings:
            suppressions = ""
            if finding.waiver is not None:
                suppressions = ', "suppressions": ' + json.dumps([{
                    "kind": "external", "status": "accepted",
                    "justification": f"{finding.waiver.reason} (approved by {finding.waiver.approved_by}, "
                                     f"expires {finding.waiver.expires.isoformat()}; {finding.waiver.source})",
                }], ensure_ascii=False)
            texts.append(
                f'{self._head(finding)}{_string(engagement + self._message(finding))}{where}'
                f'"{fingerprint(finding.rule_id, engagement)}"}}, "properties": {properties}'
                f'{suppressions}{baseline}}}'
            )
        # One write per engagement: the spool is written tens of thousands of times.
        self.body.write(("        " if self._first else ",\n        ") + ",\n        ".join(texts))
        self._first = False

    def _head(self, finding: CompactFinding) -> str:
        key = (finding.rule_id, finding.tier)
        head = self._heads.get(key)
        if head is None:
            index = self._order.setdefault(finding.rule_id, len(self._order))
            head = self._heads[key] = (f'{{"ruleId": {_string(finding.rule_id)}, "ruleIndex": {index}, '
                                       f'"level": "{level(finding.tier, self.context.fail_on)}", "message": {{"text": ')
        return head

    def _message(self, finding: CompactFinding) -> str:
        """The text after the engagement id; findings are shared objects, so it is made once each."""
        known = self._messages.get(id(finding))
        if known is not None and known[0] is finding:
            return known[1]
        if len(self._messages) >= _MESSAGE_CACHE:
            self._messages.clear()
        rule = self._rules.get(finding.rule_id)
        title = rule.title if rule is not None else finding.rule_id
        because = _evidence(finding)
        text = f": {title} ({finding.tier})" + (f" because {because}." if because else ".")
        self._messages[id(finding)] = (finding, text)
        return text

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        fail_on = self.context.fail_on
        rules = [_rule(self._rules[rule_id], fail_on) for rule_id in self._order]
        notifications = []
        for note in outcome.waiver_notes:
            file, _, line = note.source.rpartition(":")
            notifications.append(_notification(note.message, "warning", file or note.source,
                                               int(line) if line.isdigit() else None))
        run = {
            "tool": {"driver": _driver(rules)},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications,
                             "properties": {"as_of": outcome.as_of.isoformat(), "fail_on": fail_on,
                                            "summary": outcome.summary.model_dump(mode="json")}}],
            "results": "@RESULTS@",
            "columnKind": "unicodeCodePoints",
            "properties": {"provenance": outcome.provenance.model_dump(mode="json")},
        }
        head, _, tail = _log(run).partition('"@RESULTS@"')
        out.write(head)
        if self.body.written:
            out.write("[\n")
            self.body.copy_to(out)
            out.write("\n      ]")
        else:
            out.write("[]")
        out.write(tail)


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
