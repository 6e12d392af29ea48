"""The engine end to end: tiers, evidence, escalation, isolation, determinism and backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import riskscreen.rulepack.backends as backends
from riskscreen import Engine
from riskscreen.rulepack.backends import EngineError, make_backend

from ..conftest import AS_OF
from .helpers import engagement, finding_rule, write_rules

AMPLIFIER_RULE = """\
stage: findings
rules:
  - id: weak_due_diligence
    risk_type: institutional
    title: No due diligence
    when: {fact: lead_due_diligence, exists: false}
    impact: low
    likelihood: medium
    tier: autonomy
    amplifier: true
    rationale: Weak due diligence amplifies the other risks.
    advice: Do the checks before signing.
    references: [{source: commission-2026, section: core}]
"""


@pytest.fixture()
def small_pack(tmp_path: Path) -> Engine:
    rules = write_rules(
        tmp_path,
        {
            "security.yaml": finding_rule("energy_rule", impact="high", tier="advice"),
            "institutional.yaml": AMPLIFIER_RULE,
        },
    )
    return Engine.load(rules=rules)


def test_the_neutral_base_engagement_is_within_autonomy(engine: Engine) -> None:
    result = engine.screen(engagement(), as_of=AS_OF)
    assert (result.tier, result.findings) == ("autonomy", [])
    assert [d.rule_id for d in result.tier_decisions if d.sets_tier] == ["tier_baseline_autonomy"]
    assert {entry.level for entry in result.risk_profile} == {"none"}


def test_a_finding_carries_rule_evidence_and_source(small_pack: Engine) -> None:
    result = small_pack.screen(engagement(sectors=["energy", "culture"]), as_of=AS_OF)
    [finding] = result.findings
    assert finding.rule_id == "energy_rule"
    assert finding.risk_type == "security"
    assert [(e.fact, e.value, e.inputs) for e in finding.evidence] == [
        ("sectors", ["energy"], {"sectors": ["energy", "culture"]})
    ]
    assert finding.references[0].source == "commission-2026"
    assert finding.references[0].title == "From the Local to Global: A New Framework for Devolution and Diplomacy"
    assert result.tier == "advice"
    assert [(e.body, e.by_when, e.rules) for e in result.escalation] == [("fcdo", "before_negotiation", ["energy_rule"])]


def test_institutional_amplifier_raises_a_high_severity_risk_to_alignment(small_pack: Engine) -> None:
    careful = small_pack.screen(engagement(sectors=["energy"]), as_of=AS_OF)
    careless = small_pack.screen(engagement(sectors=["energy"], lead={"due_diligence": []}), as_of=AS_OF)
    assert careful.tier == "advice"
    assert careless.tier == "alignment"
    assert careless.amplifier_applied and not careful.amplifier_applied
    # security was high on its own severity; the amplifier raised the tier, not the level
    security = next(p for p in careless.risk_profile if p.risk_type == "security")
    assert (security.level, security.amplified) == ("high", False)
    assert careless.tier_decisions[0].rule_id == "tier_amplified_escalation"


def test_two_engines_with_different_packs_do_not_interfere(engine: Engine, small_pack: Engine) -> None:
    risky = engagement(sectors=["energy"])
    expected = engine.screen(risky, as_of=AS_OF).model_dump()
    for _ in range(3):
        assert [f.rule_id for f in small_pack.screen(risky, as_of=AS_OF).findings] == ["energy_rule"]
        assert engine.screen(risky, as_of=AS_OF).model_dump() == expected


def test_nothing_leaks_between_screenings(engine: Engine) -> None:
    engine.screen(engagement(sectors=["energy"], partner={"country": "RU"}, involves=["dual_use"]), as_of=AS_OF)
    assert engine.screen(engagement(), as_of=AS_OF).findings == []


def test_json_is_byte_identical_across_runs_and_engines(engine: Engine) -> None:
    data = engagement(sectors=["energy", "research"], partner={"country": "CN"}, involves=["personal_data"])
    first = json.dumps(engine.screen(data, as_of=AS_OF).model_dump(mode="json"))
    second = json.dumps(engine.screen(data, as_of=AS_OF).model_dump(mode="json"))
    with Engine.load() as fresh:
        third = json.dumps(fresh.screen(data, as_of=AS_OF).model_dump(mode="json"))
    assert first == second == third


def test_backends_agree_on_the_bundled_examples(python_engine: Engine, durable_engine: Engine) -> None:
    from riskscreen.inputs.loading import load_engagement_file

    examples = sorted(Path(__file__).resolve().parents[2].joinpath("examples").glob("*.yaml"))
    screened = 0
    for path in examples:
        try:
            item = load_engagement_file(path, python_engine.taxonomies)
        except Exception:  # registers are checked elsewhere
            continue
        left = python_engine.screen(item, as_of=AS_OF).model_dump()
        right = durable_engine.screen(item, as_of=AS_OF).model_dump()
        left["provenance"].pop("backend"), right["provenance"].pop("backend")
        assert left == right, path.name
        screened += 1
    assert screened >= 1


def test_python_backend_is_chosen_when_durable_rules_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "durable_available", lambda: False)
    with Engine.load() as fallback:
        assert fallback.backend.name == "python"
        assert fallback.screen(engagement(), as_of=AS_OF).provenance.backend == "python"
    with pytest.raises(EngineError, match="durable-rules backend is not available on this Python"):
        make_backend("durable", {})


def test_unknown_backend_name() -> None:
    with pytest.raises(EngineError, match="unknown backend 'drools'; choose one of: auto, durable, python"):
        make_backend("drools", {})


def test_provenance_names_versions_and_hashes(engine: Engine) -> None:
    provenance = engine.screen(engagement(), as_of=AS_OF).provenance
    assert provenance.as_of == AS_OF
    assert len(provenance.rule_pack.hash) == len(provenance.taxonomies.hash) == 64
    assert provenance.rule_pack.version != "unversioned"


def test_trusted_construction_matches_validated_models(engine: Engine) -> None:
    from riskscreen.models.result import Evidence, Finding
    from riskscreen.screening.engine import trusted

    result = engine.screen(engagement(partner={"country": "CN"}, agreement_type="mou", sectors=["energy"]), as_of=AS_OF)
    for finding in result.findings:
        data = finding.model_dump()
        assert Finding.model_validate(data).model_dump() == data
        assert finding.model_fields_set == set(Finding.model_fields)
        for item in finding.evidence:
            assert Evidence.model_validate(item.model_dump()) == item
    from riskscreen.models.result import ScreeningResult

    dumped = result.model_dump()
    assert ScreeningResult.model_validate(dumped).model_dump() == dumped
    assert result.model_fields_set == set(ScreeningResult.model_fields)
    assert result.engagement.model_fields_set == set(type(result.engagement).model_fields)
    built = trusted(Evidence, fact="sectors", value=["energy"], inputs={})
    assert built == Evidence(fact="sectors", value=["energy"], inputs={})
    assert built.model_dump_json() == '{"fact":"sectors","value":["energy"],"inputs":{}}'


def test_the_fact_builder_and_the_catalogue_name_the_same_facts(engine: Engine) -> None:
    from riskscreen.rulepack.facts_catalogue import ENGAGEMENT_FACTS

    fact = engine.facts(engine.validate(engagement()), AS_OF)
    assert fact.keys() - {"kind"} == ENGAGEMENT_FACTS.keys()
