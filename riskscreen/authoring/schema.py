"""JSON Schemas of riskscreen's contracts, generated from the pydantic models.

``input``: one engagement, with every vocabulary field narrowed to the loaded taxonomies' ids
(labels as descriptions), so an editor (yaml-language-server, VS Code) can complete and check an
engagement as it is written. Other subjects register a builder in ``SUBJECTS``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from riskscreen.authoring.fields import field_help
from riskscreen.authoring.vocabularies import vocabulary
from riskscreen.errors import InputError, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.taxonomy import Taxonomies
from riskscreen.models.engagement import VOCABULARY_KEY, Engagement

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
INPUT_SCHEMA_FILE = "engagement.schema.json"


def _narrow(node: Any, taxonomies: Taxonomies) -> None:
    """Replace each vocabulary marker with the vocabulary's ids (countries: examples only)."""
    if isinstance(node, dict):
        name = node.pop(VOCABULARY_KEY, None)
        if name is not None:
            terms = vocabulary(taxonomies, name).terms
            # an optional field: narrow its string branch, so null stays allowed
            strings = [b for b in node.get("anyOf", []) if b.get("type") == "string"]
            target = strings[0] if strings else node
            node["x-vocabulary"] = name
            if name == "countries":
                # names are accepted too, so the codes are offered, not enforced
                target["examples"] = [t.id for t in terms]
            else:
                target["enum"] = [t.id for t in terms]
                target["markdownEnumDescriptions"] = [f"{t.label}. {t.description}".strip()
                                                      .removesuffix(".") for t in terms]
                note = f"All values with their meaning: riskscreen vocab {name}."
                node["description"] = (node.get("description", "") + "\n" + note).strip()
        for value in node.values():
            _narrow(value, taxonomies)
    elif isinstance(node, list):
        for value in node:
            _narrow(value, taxonomies)


def _describe(schema: dict[str, Any]) -> None:
    """Field meanings (authoring/fields.py) as descriptions, so editors show them on hover."""
    definitions = schema.get("$defs", {})
    models = {"": schema, "lead": definitions.get("Lead"), "partner": definitions.get("Partner"),
              "waivers": definitions.get("Waiver")}
    for prefix, model in models.items():
        for name, prop in (model or {}).get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            meaning = field_help(path)
            if meaning:
                prop["description"] = (meaning + "\n" + prop.get("description", "")).strip()


def input_schema(taxonomies: Taxonomies) -> dict[str, Any]:
    """The JSON Schema of one engagement under these taxonomies."""
    schema = Engagement.model_json_schema(mode="validation")
    _describe(schema)
    _narrow(schema, taxonomies)
    return {
        "$schema": DRAFT,
        "$id": f"https://riskscreen.invalid/schemas/{INPUT_SCHEMA_FILE}",
        **{k: v for k, v in schema.items() if k != "title"},
        "title": "riskscreen engagement",
        "description": (
            "One proposed international engagement, as riskscreen screens it. Vocabularies are "
            f"those of taxonomies version {taxonomies.version}."
        ),
    }


def _output(name: str) -> Callable[[Taxonomies], dict[str, Any]]:
    """An output's schema (riskscreen.render.schemas); outputs do not depend on the taxonomies."""

    def build(_taxonomies: Taxonomies) -> dict[str, Any]:
        from riskscreen.render.schemas import SCHEMAS

        return SCHEMAS[name]()

    return build


SUBJECTS: dict[str, Callable[[Taxonomies], dict[str, Any]]] = {
    "input": input_schema,
    "result": _output("result"),  # screen --format json
    "register": _output("register"),  # check --format json
    "register-line": _output("register-line"),  # one line of check --format jsonl
}


def build_schema(subject: str, taxonomies: Taxonomies) -> dict[str, Any]:
    builder = SUBJECTS.get(subject)
    if builder is None:
        raise InputError(
            Problem(
                "no schema for this subject",
                value=subject,
                suggestion=did_you_mean(subject, list(SUBJECTS), "subjects"),
            )
        )
    return builder(taxonomies)


def schema_text(schema: dict[str, Any]) -> str:
    """Stable text: the same taxonomies give byte-identical output."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def shipped_input_schema() -> Path:
    """The input schema for the bundled taxonomies, as shipped in the package."""
    return SCHEMA_DIR / INPUT_SCHEMA_FILE
