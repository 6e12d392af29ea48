"""Plain-Python evaluation of the condition IR.

It runs anywhere (including Python 3.13+, where durable-rules does not import) and is the
oracle the property tests compare durable-rules against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from riskscreen.rulepack.backends.base import CompiledRule, Fact
from riskscreen.rulepack.conditions import And, Leaf, Node, Or

Predicate = Callable[[Fact], bool]


def _present(value: Any) -> bool:
    return value is not None and value != []


def compile_predicate(node: Node) -> Predicate:
    """A closure evaluating ``node`` with the missing-value semantics documented in conditions.py."""
    if isinstance(node, And):
        parts = [compile_predicate(item) for item in node.items]
        return lambda fact: all(p(fact) for p in parts)
    if isinstance(node, Or):
        parts = [compile_predicate(item) for item in node.items]
        return lambda fact: any(p(fact) for p in parts)
    return _leaf(node)


def _leaf(leaf: Leaf) -> Predicate:
    name, value = leaf.fact, leaf.value
    op = leaf.op
    if op == "ex":
        return lambda fact: _present(fact.get(name))
    if op == "nex":
        return lambda fact: not _present(fact.get(name))
    # Facts and operands are type-checked on load, so plain equality is exact here.
    if op == "eq":
        return lambda fact: fact.get(name) is not None and fact[name] == value
    if op == "neq":
        return lambda fact: fact.get(name) is None or fact[name] != value
    if op == "any":
        wanted = frozenset(value)
        return lambda fact: _present(fact.get(name)) and not wanted.isdisjoint(fact[name])
    if op == "none":
        wanted = frozenset(value)
        return lambda fact: not _present(fact.get(name)) or wanted.isdisjoint(fact[name])
    compare: dict[str, Callable[[Any], bool]] = {
        "lt": lambda x: x < value,
        "lte": lambda x: x <= value,
        "gt": lambda x: x > value,
        "gte": lambda x: x >= value,
    }
    test = compare[op]
    return lambda fact: _present(fact.get(name)) and test(fact[name])


class PythonBackend:
    name = "python"

    def __init__(self, rulesets: dict[str, list[CompiledRule]]) -> None:
        self._rules = {
            ruleset: [
                (rule.rule_id, rule.kind, compile_predicate(rule.condition)) for rule in rules
            ]
            for ruleset, rules in rulesets.items()
        }

    def match(self, ruleset: str, fact: Fact) -> list[str]:
        kind = fact.get("kind")
        return [
            rule_id
            for rule_id, rule_kind, test in self._rules[ruleset]
            if rule_kind == kind and test(fact)
        ]

    def close(self) -> None:
        """Nothing to release."""
