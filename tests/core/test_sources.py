"""The bibliography: keys resolved at load, unknown keys located, docs/sources.md generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen import Engine
from riskscreen.errors import RulePackError
from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.sources import SOURCES_FILE, bibliography_markdown, load_sources
from riskscreen.inputs.taxonomy import load_taxonomies
from riskscreen.inputs.yamlio import load_yaml_file
from riskscreen.rulepack.loader import load_rule_pack

from .helpers import copy_taxonomies, finding_rule, write_rules

ROOT = Path(__file__).resolve().parents[2]


def test_docs_sources_md_is_generated_from_the_bibliography() -> None:
    path = bundled_dir("taxonomies") / SOURCES_FILE
    expected = bibliography_markdown(load_sources(path), load_yaml_file(path).get("as_of"))
    assert (ROOT / "docs" / "sources.md").read_text(encoding="utf-8") == expected


def test_every_loaded_reference_carries_its_document(engine: Engine) -> None:
    refs = [ref for rule in engine.pack.all_rules() for ref in rule.rule.references]
    refs += [r.source for c in engine.taxonomies.countries.values() for r in c.reasons]
    assert refs and all(ref.title and ref.author for ref in refs)
    assert all(ref.source in engine.taxonomies.sources for ref in refs)
    commission = next(r for r in refs if r.source == "commission-2026")
    assert commission.title == "From the Local to Global: A New Framework for Devolution and Diplomacy"
    assert commission.year == 2026
    nsi = next(r for r in refs if r.source == "nsi-act-2021")
    assert nsi.url is not None and nsi.url.startswith("https://www.gov.uk/")


def test_an_unknown_source_key_in_a_rule_is_a_located_error(tmp_path: Path, engine: Engine) -> None:
    text = finding_rule().replace("source: commission-2026", "source: comission-2026")
    rules = write_rules(tmp_path, {"mine.yaml": text})
    with pytest.raises(RulePackError) as caught:
        load_rule_pack(rules, engine.taxonomies)
    problem = caught.value.problems[0]
    assert "unknown source key" in problem.message
    assert problem.location.file.endswith("mine.yaml") and problem.location.line == 13
    assert problem.value == "comission-2026"
    assert problem.suggestion is not None and "commission-2026" in problem.suggestion


def test_an_unknown_source_key_in_a_taxonomy_is_a_located_error(tmp_path: Path) -> None:
    directory = copy_taxonomies(tmp_path)
    countries = directory / "countries.yaml"
    countries.write_text(
        countries.read_text(encoding="utf-8").replace("source: hk-basic-law", "source: hk-basiclaw"),
        encoding="utf-8",
    )
    with pytest.raises(RulePackError) as caught:
        load_taxonomies(directory)
    problem = caught.value.problems[0]
    assert problem.value == "hk-basiclaw"
    assert problem.location.file.endswith("countries.yaml") and problem.location.line is not None
