"""JSON Schemas (draft 2020-12) of riskscreen's JSON outputs, for consumers and for the tests.

``result_schema()`` is ``screen --format json`` (one screening, as rich as it is);
``register_schema()`` is ``check --format json`` (schema-versioned, rules once, compact results);
``register_line_schema()`` is one line of ``check --format jsonl``.
"""

from __future__ import annotations

from typing import Any

from riskscreen.models.base import RISK_TYPES, TIER_ORDER
from riskscreen.models.register import RegisterSummary, WaiverNote
from riskscreen.models.result import Provenance, ScreeningResult

DIALECT = "https://json-schema.org/draft/2020-12/schema"
REGISTER_SCHEMA_VERSION = 2

_TIER = {"enum": list(TIER_ORDER)}
_STRINGS = {"type": "array", "items": {"type": "string"}}


def result_schema() -> dict[str, Any]:
    schema = ScreeningResult.model_json_schema(mode="serialization")
    return {"$schema": DIALECT, "title": "riskscreen screening result", **schema}


def _model(model: Any) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema(mode="serialization")
    return schema


def _finding() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["rule_id", "risk_type", "tier", "evidence"],
        "additionalProperties": False,
        "properties": {
            "rule_id": {"type": "string"},
            "risk_type": {"enum": list(RISK_TYPES)},
            "tier": _TIER,
            "evidence": {"type": "object", "description": "fact -> the value that made the rule fire"},
            "waiver": {
                "type": "object",
                "required": ["reason", "approved_by", "expires", "source"],
                "additionalProperties": False,
                "properties": {"reason": {"type": "string"}, "approved_by": {"type": "string"},
                               "expires": {"type": "string", "format": "date"}, "source": {"type": "string"}},
            },
        },
    }


def _result(kind: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "engagement_id": {"type": "string"},
        "tier": _TIER,
        "effective_tier": _TIER,
        "failing": {"type": "boolean"},
        "waived": {"type": "boolean"},
        "baseline": {"enum": ["new", "known", "worse", None]},
        "location": {
            "type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
            "properties": {"line": {"type": "integer", "minimum": 1}, "row": {"type": "integer", "minimum": 1}},
        },
        "findings": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
    }
    if kind:
        properties = {"type": {"const": "result"}, **properties}
    return {"type": "object", "required": list(properties), "additionalProperties": False,
            "properties": properties}


def _rule() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["title", "risk_type", "tier", "rationale", "advice", "references"],
        "properties": {
            "title": {"type": "string"}, "risk_type": {"enum": list(RISK_TYPES)}, "tier": _TIER,
            "impact": {"type": "string"}, "likelihood": {"type": "string"}, "severity": {"type": "integer"},
            "rationale": {"type": "string"}, "advice": {"type": "string"}, "escalate_to": _STRINGS,
            "references": {"type": "array", "items": {"type": "object"}}, "amplifier": {"type": "boolean"},
        },
    }


def _defs() -> dict[str, Any]:
    summary, note, provenance = _model(RegisterSummary), _model(WaiverNote), _model(Provenance)
    defs: dict[str, Any] = {"Finding": _finding(), "Result": _result(), "Rule": _rule()}
    for schema in (summary, note, provenance):
        defs.update(schema.pop("$defs", {}))
    defs.update({"RegisterSummary": summary, "WaiverNote": note, "Provenance": provenance})
    return defs


def _head() -> dict[str, Any]:
    return {
        "schema_version": {"const": REGISTER_SCHEMA_VERSION},
        "register": {"type": "string"},
        "as_of": {"type": "string", "format": "date"},
        "fail_on": _TIER,
    }


def _closing() -> dict[str, Any]:
    return {
        "summary": {"$ref": "#/$defs/RegisterSummary"},
        "waiver_notes": {"type": "array", "items": {"$ref": "#/$defs/WaiverNote"}},
        "warnings": _STRINGS,
    }


def register_schema() -> dict[str, Any]:
    properties = {
        **_head(), **_closing(),
        "provenance": {"$ref": "#/$defs/Provenance"},
        "rules": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Rule"}},
        "checklist": {"type": "array", "items": {
            "type": "object", "required": ["id", "text", "source"],
            "properties": {"id": {"type": "string"}, "text": {"type": "string"}, "source": {"type": "object"},
                           "done_when": {"description": "the condition, as written in the taxonomy"},
                           "applies_when": {"description": "the condition, as written in the taxonomy"}},
        }},
        "results": {"type": "array", "items": {"$ref": "#/$defs/Result"}},
    }
    return {"$schema": DIALECT, "title": "riskscreen register check", "type": "object",
            "required": list(properties), "additionalProperties": False, "properties": properties,
            "$defs": _defs()}


def register_line_schema() -> dict[str, Any]:
    header = {"type": "object", "required": ["type", *_head(), "provenance"], "additionalProperties": False,
              "properties": {"type": {"const": "register"}, **_head(), "provenance": {"$ref": "#/$defs/Provenance"}}}
    summary = {"type": "object", "required": ["type", *_closing()], "additionalProperties": False,
               "properties": {"type": {"const": "summary"}, **_closing()}}
    return {"$schema": DIALECT, "title": "riskscreen register check, one JSON Lines record",
            "oneOf": [header, _result(kind=True), summary], "$defs": _defs()}


SCHEMAS = {"result": result_schema, "register": register_schema, "register-line": register_line_schema}

__all__ = ["SCHEMAS", "register_line_schema", "register_schema", "result_schema"]
