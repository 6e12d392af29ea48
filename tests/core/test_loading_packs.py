"""Taxonomy and rule-pack loading: validation errors name file, line and what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen import Engine
from riskscreen.errors import RulePackError
from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.taxonomy import REQUIRED_IDS, load_taxonomies
from riskscreen.rulepack.loader import load_rule_pack

from .helpers import copy_taxonomies, finding_rule, write_rules


def test_bundled_taxonomies_define_every_contract_id(engine: Engine) -> None:
    for vocabulary, ids in REQUIRED_IDS.items():
        assert set(ids) <= engine.taxonomies.ids(vocabulary), vocabulary


def test_bundled_resources_are_found_from_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert (bundled_dir("rules") / "proportionality.yaml").is_file()
    assert (bundled_dir("taxonomies") / "sectors.yaml").is_file()


def test_missing_required_id(tmp_path: Path) -> None:
    directory = copy_taxonomies(tmp_path)
    path = directory / "sectors.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - {id: quantum,", "  - {id: quantum_tech,"), encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_taxonomies(directory)
    assert str(caught.value) == (
        f"{path}: required ids missing: quantum; the public contract (DESIGN.md) fixes these ids; add entries for them"
    )


def test_duplicate_taxonomy_id_names_both_lines(tmp_path: Path) -> None:
    directory = copy_taxonomies(tmp_path)
    path = directory / "lead_types.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - {id: university, label: Again}\n", encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_taxonomies(directory)
    last_line = len((text + "x\n").splitlines())
    first = next(i for i, line in enumerate(text.splitlines(), 1) if "id: university" in line)
    assert str(caught.value) == f"{path}:{last_line}: duplicate id 'university' (first defined on line {first})"


def test_unknown_tag_in_a_sector(tmp_path: Path) -> None:
    directory = copy_taxonomies(tmp_path)
    path = directory / "sectors.yaml"
    text = path.read_text(encoding="utf-8").replace("tags: [low_exposure]}", "tags: [low_exposur]}", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_taxonomies(directory)
    message = str(caught.value)
    assert message.startswith(f"{path}:")
    assert "field 'tags': entry 'culture' uses unknown tag (got 'low_exposur'); did you mean 'low_exposure'" in message


def test_rule_naming_an_unknown_fact_is_located(tmp_path: Path, engine: Engine) -> None:
    rules = write_rules(tmp_path, {"security.yaml": finding_rule(when="{fact: sector, contains_any: [energy]}")})
    with pytest.raises(RulePackError) as caught:
        load_rule_pack(rules, engine.taxonomies)
    assert str(caught.value).startswith(
        f"{rules / 'security.yaml'}:6, field 'fact': unknown fact (got 'sector'); did you mean 'sectors'"
    )


def test_rule_naming_an_unknown_vocabulary_id(tmp_path: Path, engine: Engine) -> None:
    rules = write_rules(tmp_path, {"security.yaml": finding_rule(when="{fact: sectors, contains_any: [nuclear]}")})
    with pytest.raises(RulePackError) as caught:
        load_rule_pack(rules, engine.taxonomies)
    assert "unknown sectors id for 'sectors' (got 'nuclear'); did you mean 'civil_nuclear'" in str(caught.value)


def test_duplicate_rule_ids_across_files(tmp_path: Path, engine: Engine) -> None:
    rules = write_rules(tmp_path, {"a.yaml": finding_rule("same_id"), "b.yaml": finding_rule("same_id")})
    with pytest.raises(RulePackError) as caught:
        load_rule_pack(rules, engine.taxonomies)
    assert str(caught.value) == (
        f"{rules / 'b.yaml'}:3, field 'id': duplicate rule id 'same_id' (first defined at {rules / 'a.yaml'}:3)"
    )


def test_missing_rule_field_and_bad_enum(tmp_path: Path, engine: Engine) -> None:
    text = finding_rule().replace("    advice: Advice for the test rule.\n", "").replace("impact: medium", "impact: huge")
    rules = write_rules(tmp_path, {"security.yaml": text})
    with pytest.raises(RulePackError) as caught:
        load_rule_pack(rules, engine.taxonomies)
    assert [str(p) for p in caught.value.problems] == [
        f"{rules / 'security.yaml'}:7, field 'rules[0].impact': Input should be 'low', 'medium' or 'high' (got 'huge')",
        f"{rules / 'security.yaml'}:3, field 'rules[0].advice': required field is missing",
    ]


def test_unknown_escalation_body(tmp_path: Path, engine: Engine) -> None:
    rules = write_rules(tmp_path, {"security.yaml": finding_rule().replace("[fcdo]", "[fcd0]")})
    with pytest.raises(RulePackError) as caught:
        load_rule_pack(rules, engine.taxonomies)
    assert "rule 'test_rule' escalates to an unknown body (got 'fcd0'); did you mean 'fcdo'" in str(caught.value)


def test_a_pack_without_proportionality_rules_is_refused(tmp_path: Path, engine: Engine) -> None:
    rules = write_rules(tmp_path, {"security.yaml": finding_rule()}, with_proportionality=False)
    with pytest.raises(RulePackError, match="no proportionality rules, so no tier can be decided"):
        load_rule_pack(rules, engine.taxonomies)


def test_only_institutional_rules_amplify(tmp_path: Path, engine: Engine) -> None:
    text = finding_rule().replace("    escalate_to:", "    amplifier: true\n    escalate_to:")
    rules = write_rules(tmp_path, {"security.yaml": text})
    with pytest.raises(RulePackError, match="only institutional rules can be amplifiers"):
        load_rule_pack(rules, engine.taxonomies)
