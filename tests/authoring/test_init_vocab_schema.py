"""riskscreen init, vocab and schema: templates that validate and screen, vocabularies at hand,
and a JSON Schema every bundled example satisfies."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from riskscreen.authoring.fields import field_help, field_paths
from riskscreen.authoring.schema import input_schema, schema_text, shipped_input_schema
from riskscreen.authoring.template import PRESETS
from riskscreen.inputs.loading import load_engagement_file
from riskscreen.screening.engine import Engine
from tests.authoring.conftest import Invoke, no_traceback, umask

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.mark.parametrize("kind", sorted(PRESETS))
def test_init_for_every_type_validates_and_screens(invoke: Invoke, tmp_path: Path, engine: Engine,
                                                    kind: str) -> None:
    result = invoke("init", "--type", kind, "-o", f"{kind}.yaml")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / f"{kind}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={shipped_input_schema().as_uri()}\n")
    engagement = load_engagement_file(path, engine.taxonomies)
    assert engagement.agreement_type == PRESETS[kind]["agreement_type"]
    screened = invoke("screen", f"{kind}.yaml", "--format", "json", "--as-of", "2026-12-01")
    assert screened.exit_code == 0, screened.stderr
    assert json.loads(screened.stdout)["engagement_id"] == PRESETS[kind]["id"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask()


def test_template_names_every_field_its_meaning_and_allowed_values(invoke: Invoke, engine: Engine) -> None:
    text = invoke("init", "--type", "twinning").stdout
    for path in field_paths():
        if path.startswith("waivers"):
            continue
        name = path.rpartition(".")[2]
        assert f"{name}:" in text, path
        assert field_help(path) in text, path
    for vocabulary in ("lead_types", "partner_types", "agreement_types", "sectors", "involves",
                       "due_diligence", "approval_levels"):
        assert f"riskscreen vocab {vocabulary}" in text
        for entry in getattr(engine.taxonomies, vocabulary).values():
            assert f"#   {entry.id}" in text and entry.label in text


def test_every_field_is_explained() -> None:
    assert [p for p in field_paths() if not field_help(p)] == []


def test_init_refuses_to_replace_a_file_without_force(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("id: keep me\n", encoding="utf-8")
    result = invoke("init", "-o", "mine.yaml")
    assert result.exit_code == 2
    assert result.stderr == ("Error: mine.yaml: file exists; choose another name, or add --force to "
                             "replace it\n")
    assert (tmp_path / "mine.yaml").read_text(encoding="utf-8") == "id: keep me\n"
    assert invoke("init", "-o", "mine.yaml", "--force").exit_code == 0


def test_init_interactive_answers_become_the_engagement(invoke: Invoke, tmp_path: Path, engine: Engine) -> None:
    answers = "\n".join([
        "ASH-TWIN-2026", "Twinning renewal", "Ashby Town Council",
        "town_council", "2",          # an unknown id is asked again; 2 = local_authority
        "committee", "1, 2",          # approval; due diligence sanctions, ownership
        "Mairie de Ville", "city_government", "Holland", "Netherlands", "no", "",
        "twinning", "culture, education", "", "", "5", "no", "yes", "yes",
    ]) + "\n"
    result = invoke("init", "--type", "twinning", "--interactive", "-o", "t.yaml", input=answers)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "Error: 'town_council' is not a number from 1 to 7 or an id of lead_types; did you mean " \
           "'local_authority'?" in result.stderr
    assert "Error: unknown country; did you mean 'NL' (Netherlands)?" in result.stderr
    engagement = load_engagement_file(tmp_path / "t.yaml", engine.taxonomies)
    assert (engagement.id, engagement.lead.type, engagement.lead.due_diligence) == (
        "ASH-TWIN-2026", "local_authority", ["sanctions", "ownership"])
    assert (engagement.partner.country, engagement.partner.state_linked, engagement.term_years) == ("NL", False, 5)
    assert engagement.sectors == ["culture", "education"] and engagement.published is True


def test_vocab_lists_vocabularies_and_one_vocabulary(invoke: Invoke, engine: Engine) -> None:
    listing = invoke("vocab")
    assert listing.exit_code == 0
    assert listing.stdout.splitlines()[0].split()[:2] == ["lead_types", "7"]
    sectors = invoke("vocab", "sectors")
    assert sectors.stdout.splitlines()[2] == "culture                  Culture and the arts"
    data = json.loads(invoke("vocab", "sectors", "--format", "json").stdout)
    assert [t["id"] for t in data["terms"]] == list(engine.taxonomies.sectors)
    assert data["fields"] == ["sectors"]
    countries = json.loads(invoke("vocab", "countries", "--format", "json").stdout)
    assert {"id": "AE", "label": "United Arab Emirates", "description": ""} in countries["terms"]
    unknown = invoke("vocab", "sector")
    assert unknown.exit_code == 2
    assert unknown.stderr == ("Error: no such vocabulary (got 'sector'); did you mean 'sectors'? vocabularies: "
                              "lead_types, due_diligence, approval_levels, partner_types, countries, "
                              "agreement_types, sectors, involves\n")


def test_shipped_and_published_schemas_are_what_the_taxonomies_generate(engine: Engine) -> None:
    generated = schema_text(input_schema(engine.taxonomies))
    stale = "stale: run scripts/regenerate-schemas.sh and review the diff"
    assert shipped_input_schema().read_text(encoding="utf-8") == generated, stale
    assert (ROOT / "docs" / "schemas" / "engagement.schema.json").read_text(encoding="utf-8") == generated, stale


def test_schema_command_writes_the_input_schema(invoke: Invoke, tmp_path: Path, engine: Engine) -> None:
    result = invoke("schema", "input", "-o", "s.json")
    assert result.exit_code == 0
    written = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(written)
    assert written["$defs"]["Partner"]["properties"]["type"]["enum"] == list(engine.taxonomies.partner_types)
    assert invoke("schema", "output").exit_code == 2


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


def _bundled_engagements() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for path in sorted(EXAMPLES.glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("engagements") if isinstance(data, dict) and "engagements" in data else data
        for index, item in enumerate(items if isinstance(items, list) else [items]):
            found.append((f"{path.name}[{index}]", item))
    return found


def test_every_bundled_example_validates_against_the_schema(engine: Engine) -> None:
    validator = jsonschema.Draft202012Validator(input_schema(engine.taxonomies),
                                                format_checker=jsonschema.FormatChecker())
    examples = _bundled_engagements()
    assert len(examples) > 20
    failures = {name: [e.message for e in validator.iter_errors(_as_json(item))] for name, item in examples}
    assert {name: errors for name, errors in failures.items() if errors} == {}


def test_the_schema_rejects_what_validation_rejects(engine: Engine) -> None:
    validator = jsonschema.Draft202012Validator(input_schema(engine.taxonomies))
    _, good = _bundled_engagements()[0]
    bad = _as_json(good) | {"sectors": ["ports-and-harbours"], "colour": "blue"}
    messages = sorted(e.message for e in validator.iter_errors(bad))
    assert any("'ports-and-harbours' is not one of" in m for m in messages)
    assert any("'colour' was unexpected" in m for m in messages)
