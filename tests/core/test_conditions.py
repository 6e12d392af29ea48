"""Every condition operator, on both backends, including missing-value behaviour; and load errors."""

from __future__ import annotations

from typing import Any

import pytest

from riskscreen import Engine
from riskscreen.errors import RulePackError
from riskscreen.inputs.yamlio import parse_yaml
from riskscreen.rulepack.backends import CompiledRule, available_backends, make_backend
from riskscreen.rulepack.conditions import And, ConditionParser, Leaf, Or, negate
from riskscreen.rulepack.facts_catalogue import ENGAGEMENT_FACTS

FACT = {
    "kind": "engagement",
    "partner_country": "CN",
    "value_gbp": 250000.0,
    "sectors": ["energy", "research"],
    "involves": [],
    "binding": True,
    "published": None,
}

CASES: list[tuple[str, bool]] = [
    ("{fact: partner_country, equals: CN}", True),
    ("{fact: partner_country, equals: FR}", False),
    ("{fact: partner_country, not_equals: FR}", True),
    ("{fact: published, not_equals: true}", True),  # missing counts as "not equal"
    ("{fact: published, equals: false}", False),  # missing is not false
    ("{fact: partner_country, in: [FR, CN]}", True),
    ("{fact: partner_country, not_in: [FR, CN]}", False),
    ("{fact: partner_country, not_in: [FR, DE]}", True),
    ("{fact: value_gbp, gt: 250000}", False),
    ("{fact: value_gbp, gte: 250000}", True),
    ("{fact: value_gbp, lt: 250001}", True),
    ("{fact: value_gbp, lte: 249999.5}", False),
    ("{fact: term_years, lt: 10}", False),  # missing numbers never compare
    ("{not: {fact: term_years, lt: 10}}", True),
    ("{fact: published, exists: true}", False),
    ("{fact: published, exists: false}", True),
    ("{fact: involves, exists: false}", True),  # an empty list is absent
    ("{fact: sectors, contains_any: [water, energy]}", True),
    ("{fact: sectors, contains_any: [water]}", False),
    ("{fact: sectors, contains_any: [water, quantum, research]}", True),
    ("{fact: sectors, contains_any: [water, quantum]}", False),
    ("{fact: involves, contains_any: [dual_use, site_access]}", False),  # absent list
    ("{not: {fact: sectors, contains_any: [water, energy]}}", False),
    ("{fact: sectors, contains_all: [energy, research]}", True),
    ("{fact: sectors, contains_all: [energy, water]}", False),
    ("{fact: sectors, contains_none: [water, quantum]}", True),
    ("{fact: sectors, contains_none: [research]}", False),
    ("{fact: involves, contains_none: [dual_use]}", True),  # empty list contains none
    ("{fact: involves, contains_any: [dual_use]}", False),
    ("{fact: binding, equals: true}", True),
    ("{all: [{fact: binding, equals: true}, {fact: partner_country, equals: CN}]}", True),
    ("{all: [{fact: binding, equals: true}, {fact: partner_country, equals: FR}]}", False),
    ("{any: [{fact: binding, equals: false}, {fact: partner_country, equals: CN}]}", True),
    ("{any: [{fact: binding, equals: false}, {fact: partner_country, equals: FR}]}", False),
    ("{not: {any: [{fact: binding, equals: false}, {fact: sectors, contains_any: [water]}]}}", True),
    ("{not: {all: [{fact: binding, equals: true}, {fact: sectors, contains_any: [energy]}]}}", False),
]


def _parse(engine: Engine, text: str) -> Any:
    parser = ConditionParser(ENGAGEMENT_FACTS, engine.taxonomies.ids, "test.yaml")
    return parser.parse(parse_yaml(text, "test.yaml"))


@pytest.mark.parametrize("backend", available_backends())
@pytest.mark.parametrize(("condition", "expected"), CASES)
def test_operator_semantics(python_engine: Engine, backend: str, condition: str, expected: bool) -> None:
    node = _parse(python_engine, condition)
    matcher = make_backend(backend, {"engagement": [CompiledRule("r", "engagement", node)]})
    assert matcher.match("engagement", dict(FACT)) == (["r"] if expected else [])


def test_rules_ignore_facts_of_another_kind(python_engine: Engine) -> None:
    node = _parse(python_engine, "{fact: involves, exists: false}")
    for backend in available_backends():
        matcher = make_backend(backend, {"engagement": [CompiledRule("r", "engagement", node)]})
        assert matcher.match("engagement", {"kind": "other"}) == []


def test_negation_is_pushed_to_the_leaves() -> None:
    node = negate(And((Leaf("eq", "a", 1), Or((Leaf("lt", "b", 2), Leaf("any", "c", ("x",)))))))
    assert node == Or((Leaf("neq", "a", 1), And((Or((Leaf("nex", "b"), Leaf("gte", "b", 2))), Leaf("none", "c", ("x",))))))


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("{fact: partner_contry, equals: CN}", "test.yaml:1, field 'fact': unknown fact (got 'partner_contry'); did you mean 'partner_country'"),
        ("{fact: value_gbp, greater: 5}", "test.yaml:1, field 'greater': unknown operator (got 'greater'); operators: equals, not_equals, in, not_in, lt, lte, gt, gte"),
        ("{fact: value_gbp, gt: '5'}", "test.yaml:1, field 'gt': 'gt' needs a number (got '5')"),
        ("{fact: partner_country, gt: 5}", "test.yaml:1, field 'gt': 'gt' needs a number fact; 'partner_country' is a string (got 'partner_country')"),
        ("{fact: sectors, contains_any: [enrgy]}", "test.yaml:1, field 'contains_any': unknown sectors id for 'sectors' (got 'enrgy'); did you mean 'energy'"),
        ("{fact: sectors, equals: energy}", "test.yaml:1, field 'equals': 'equals' does not apply to list fact 'sectors' (got 'sectors'); use contains_any"),
        ("{fact: partner_country, contains_any: [CN]}", "test.yaml:1, field 'contains_any': 'contains_any' needs a list fact"),
        ("{fact: binding, equals: 'yes'}", "test.yaml:1, field 'equals': 'binding' is true/false (got 'yes')"),
        ("{fact: binding, exists: 1}", "test.yaml:1, field 'exists': 'exists' takes true or false (got 1)"),
        ("{all: []}", "test.yaml:1: 'all' needs a non-empty list of conditions (got [])"),
        ("{every: [{fact: binding, equals: true}]}", "test.yaml:1: a condition must be all/any/not or have a 'fact'"),
        ("{fact: partner_country, in: []}", "test.yaml:1, field 'in': 'in' needs a non-empty list (got [])"),
    ],
)
def test_bad_conditions_are_located_load_errors(python_engine: Engine, condition: str, message: str) -> None:
    with pytest.raises(RulePackError) as caught:
        _parse(python_engine, condition)
    assert str(caught.value).startswith(message)
