"""The published JSON Schemas describe what riskscreen writes, and reject what it does not."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from riskscreen.render.schemas import SCHEMAS, register_line_schema, register_schema, result_schema
from tests.register.conftest import CLEAN, MEDIA, TELECOMS, Invoke, engagement, write_yaml

WAIVED = engagement("W-1", sectors=["telecommunications"], waivers=[
    {"rule_id": "t_telecoms", "reason": "agreed", "approved_by": "DDU", "expires": "2030-01-01"}])


def _validator(schema: dict[str, object]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    _validator(SCHEMAS[name]())


def test_register_json_validates_and_a_broken_one_does_not(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS, MEDIA, WAIVED])
    data = json.loads(invoke("check", "register.yaml", "--format", "json").stdout)
    validator = _validator(register_schema())
    validator.validate(data)
    assert any(f.get("waiver") for r in data["results"] for f in r["findings"])
    del data["results"][1]["findings"][0]["rule_id"]
    assert not validator.is_valid(data)


def test_every_jsonl_line_validates(invoke: Invoke, tmp_path: Path) -> None:
    write_yaml(tmp_path / "register.yaml", [CLEAN, TELECOMS, MEDIA, WAIVED])
    validator = _validator(register_line_schema())
    lines = [json.loads(line) for line in invoke("check", "register.yaml", "--format", "jsonl").stdout.splitlines()]
    for line in lines:
        validator.validate(line)
    lines[1]["tier"] = "urgent"
    assert not validator.is_valid(lines[1])


def test_screen_json_validates_against_the_result_schema(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "tel.yaml").write_text(json.dumps(TELECOMS), encoding="utf-8")
    data = json.loads(invoke("screen", "tel.yaml", "--format", "json").stdout)
    validator = _validator(result_schema())
    validator.validate(data)
    del data["engagement_id"]
    assert not validator.is_valid(data)


@pytest.mark.parametrize("subject", ["result", "register", "register-line"])
def test_schema_command_prints_each_schema(invoke: Invoke, subject: str) -> None:
    result = invoke("schema", subject, engine=False)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == SCHEMAS[subject]()


def test_schema_command_refuses_an_unknown_subject(invoke: Invoke) -> None:
    result = invoke("schema", "everything", engine=False)
    assert result.exit_code == 2 and "everything" in result.stderr
