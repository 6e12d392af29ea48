"""JSON and JSON Lines for a register: the rule catalogue once, then one compact object per engagement.

``--format json`` is one schema-versioned document: summary, provenance, the rule catalogue
(texts, rationale, advice, references) and checklist definitions, then ``results[]`` with, per
engagement, only its tier, findings (rule id, risk type, tier, evidence values, waiver) and
location, one result per line. ``--format jsonl`` is one JSON object per line: a ``register``
header, a ``result`` per engagement, and a closing ``summary``. Both are deterministic: key
order fixed, dates from --as-of. ``riskscreen.schemas`` publishes their JSON Schemas.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from riskscreen.models.compact import CompactFinding
from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome
from riskscreen.render.schemas import REGISTER_SCHEMA_VERSION
from riskscreen.render.stream import RegisterContext, RegisterWriter

SCHEMA_VERSION = REGISTER_SCHEMA_VERSION


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


class _Findings:
    """Findings as JSON text, serialised once per shared finding object."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[CompactFinding, str]] = {}

    def text(self, finding: CompactFinding) -> str:
        cached = self._texts.get(id(finding))
        if cached is None or cached[0] is not finding:
            if len(self._texts) > 20_000:
                self._texts.clear()
            cached = (finding, _dumps(finding.as_json()))
            self._texts[id(finding)] = cached
        return cached[1]


def location_object(entry: RegisterEntry) -> dict[str, int]:
    loc = entry.location
    return {"line": loc.line} if loc.line is not None else {"row": loc.row or 0}


def result_text(entry: RegisterEntry, findings: _Findings, kind: str | None = None) -> str:
    """One engagement as a single line of JSON (findings spliced in from their cached text)."""
    head: dict[str, Any] = {"type": kind} if kind else {}
    head.update({
        "engagement_id": entry.result.engagement_id,
        "tier": entry.result.tier,
        "effective_tier": entry.effective_tier,
        "failing": entry.failing,
        "waived": entry.waived,
        "baseline": entry.baseline,
        "location": location_object(entry),
    })
    return _dumps(head)[:-1] + ', "findings": [' + ", ".join(findings.text(f) for f in entry.result.findings) + "]}"


def catalogue(context: RegisterContext) -> dict[str, Any]:
    engine = context.options.engine
    if engine is None:
        return {"rules": {}, "checklist": []}
    rules = {
        rule.rule_id: {
            "title": rule.title, "risk_type": rule.risk_type, "tier": rule.tier, "impact": rule.impact,
            "likelihood": rule.likelihood, "severity": rule.severity, "rationale": rule.rationale,
            "advice": rule.advice, "escalate_to": rule.escalate_to,
            "references": [r.model_dump(mode="json") for r in rule.references], "amplifier": rule.amplifier,
        }
        for rule in engine.rule_catalogue()
    }
    return {"rules": rules, "checklist": engine.checklist.definitions()}


def header(context: RegisterContext) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "register": context.register_path,
            "as_of": context.as_of.isoformat(), "fail_on": context.fail_on}


def closing(outcome: RegisterOutcome) -> dict[str, Any]:
    return {
        "summary": outcome.summary.model_dump(mode="json"),
        "waiver_notes": [n.model_dump(mode="json") for n in outcome.waiver_notes],
        "warnings": outcome.warnings,
    }


def _indented(data: Any, level: int) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


class JsonWriter(RegisterWriter):
    def __init__(self, context: RegisterContext) -> None:
        super().__init__(context)
        self._findings = _Findings()
        self._first = True

    def add(self, entry: RegisterEntry) -> None:
        self.body.write(("    " if self._first else ",\n    ") + result_text(entry, self._findings))
        self._first = False

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        head = {**header(self.context), **closing(outcome),
                "provenance": outcome.provenance.model_dump(mode="json"), **catalogue(self.context)}
        out.write("{\n")
        out.write("".join(f"  {json.dumps(k)}: {_indented(v, 1)},\n" for k, v in head.items()))
        out.write('  "results": [\n')
        self.body.copy_to(out)
        out.write("\n  ]\n}\n" if self.body.written else "  ]\n}\n")


class JsonLinesWriter(RegisterWriter):
    def __init__(self, context: RegisterContext) -> None:
        super().__init__(context)
        self._findings = _Findings()

    def add(self, entry: RegisterEntry) -> None:
        self.body.write(result_text(entry, self._findings, kind="result") + "\n")

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        out.write(_dumps({"type": "register", **header(self.context),
                          "provenance": outcome.provenance.model_dump(mode="json")}) + "\n")
        self.body.copy_to(out)
        out.write(_dumps({"type": "summary", **closing(outcome)}) + "\n")
