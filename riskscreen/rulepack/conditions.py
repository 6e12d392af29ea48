"""Parsing rule conditions from YAML into a small intermediate form (the IR).

The IR is in negation normal form: ``not`` is pushed down to the leaves, so both backends
(durable-rules and plain Python) only ever see ``And``, ``Or`` and leaf comparisons whose
behaviour on missing facts is fixed here, once:

* ``eq lt lte gt gte any`` are false when the fact is missing;
* ``neq none`` are true when the fact is missing (``not equals`` means "missing or different");
* ``ex`` / ``nex`` test presence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from riskscreen.errors import Location, Problem, RulePackError
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.rulepack.facts_catalogue import FactSpec

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Leaf:
    op: str  # eq neq lt lte gt gte ex nex any none
    fact: str
    value: Any = None  # a scalar, or a tuple of scalars for any/none


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Leaf | And | Or

NEGATED = {"eq": "neq", "neq": "eq", "ex": "nex", "nex": "ex", "any": "none", "none": "any"}
# not (x < v) is "missing or x >= v"
NEGATED_COMPARISON = {"lt": "gte", "lte": "gt", "gt": "lte", "gte": "lt"}

COMPARISONS = ("lt", "lte", "gt", "gte")
SCALAR_OPERATORS = ("equals", "not_equals", "in", "not_in")
LIST_OPERATORS = ("contains_any", "contains_all", "contains_none")
OPERATORS = (*SCALAR_OPERATORS, *COMPARISONS, "exists", *LIST_OPERATORS)


def negate(node: Node) -> Node:
    """The negation of a node, still in negation normal form."""
    if isinstance(node, And):
        return Or(tuple(negate(item) for item in node.items))
    if isinstance(node, Or):
        return And(tuple(negate(item) for item in node.items))
    if node.op in NEGATED:
        return Leaf(NEGATED[node.op], node.fact, node.value)
    return Or((Leaf("nex", node.fact), Leaf(NEGATED_COMPARISON[node.op], node.fact, node.value)))


def facts_used(node: Node) -> Iterator[Leaf]:
    """Every leaf of a condition, in order."""
    if isinstance(node, Leaf):
        yield node
    else:
        for item in node.items:
            yield from facts_used(item)


VocabularyLookup = Callable[[str], frozenset[str]]


class ConditionParser:
    """Validates a YAML condition against a fact catalogue and the vocabularies, and builds IR."""

    def __init__(
        self, catalogue: Mapping[str, FactSpec], vocabulary: VocabularyLookup, file: str
    ) -> None:
        self.catalogue = catalogue
        self.vocabulary = vocabulary
        self.file = file

    def parse(self, raw: Any, line: int | None = None) -> Node:
        line = getattr(raw, "line", None) or line
        if not isinstance(raw, Mapping) or not raw:
            self._fail(
                "a condition must be a mapping with all/any/not or fact + operator", line, raw
            )
        keys = set(raw)
        if keys == {"all"} or keys == {"any"}:
            key = "all" if "all" in raw else "any"
            items = raw[key]
            if not isinstance(items, list) or not items:
                self._fail(f"'{key}' needs a non-empty list of conditions", line, items)
            item_lines = getattr(items, "item_lines", [line] * len(items))
            parsed = tuple(self.parse(item, item_lines[i]) for i, item in enumerate(items))
            return And(parsed) if key == "all" else Or(parsed)
        if keys == {"not"}:
            return negate(self.parse(raw["not"], line))
        if "fact" in keys:
            return self._leaf(raw, line)
        self._fail(
            "a condition must be all/any/not or have a 'fact'",
            line,
            dict(raw),
            field=None,
            suggestion=did_you_mean(next(iter(keys)), ["all", "any", "not", "fact"], "keys"),
        )
        raise AssertionError("unreachable")

    def _leaf(self, raw: Mapping[str, Any], line: int | None) -> Node:
        fact = raw["fact"]
        if fact not in self.catalogue:
            self._fail(
                "unknown fact",
                line,
                fact,
                field="fact",
                suggestion=did_you_mean(fact, self.catalogue, "facts"),
            )
        spec = self.catalogue[fact]
        ops = [k for k in raw if k != "fact"]
        if len(ops) != 1:
            self._fail(
                "a fact condition needs exactly one operator",
                line,
                ops,
                suggestion="operators: " + ", ".join(OPERATORS),
            )
        op = ops[0]
        if op not in OPERATORS:
            self._fail(
                "unknown operator",
                line,
                op,
                field=op,
                suggestion=did_you_mean(op, OPERATORS, "operators"),
            )
        value = raw[op]
        if op == "exists":
            if not isinstance(value, bool):
                self._fail("'exists' takes true or false", line, value, field=op)
            return Leaf("ex" if value else "nex", fact)
        if op in COMPARISONS:
            if spec.type != "number":
                self._fail(
                    f"'{op}' needs a number fact; '{fact}' is a {spec.type}", line, fact, field=op
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self._fail(f"'{op}' needs a number", line, value, field=op)
            return Leaf(op, fact, value)
        if op in LIST_OPERATORS:
            if spec.type != "list":
                self._fail(
                    f"'{op}' needs a list fact; '{fact}' is a {spec.type}",
                    line,
                    fact,
                    field=op,
                    suggestion="use equals/in for single values",
                )
            values = self._values(value, spec, fact, op, line)
            if op == "contains_any":
                return Leaf("any", fact, values)
            if op == "contains_none":
                return Leaf("none", fact, values)
            return And(tuple(Leaf("any", fact, (v,)) for v in values))
        if spec.type == "list":
            self._fail(
                f"'{op}' does not apply to list fact '{fact}'",
                line,
                fact,
                field=op,
                suggestion="use contains_any, contains_all or contains_none",
            )
        if op in ("equals", "not_equals"):
            self._check_scalar(value, spec, fact, op, line)
            return Leaf("eq" if op == "equals" else "neq", fact, value)
        values = self._values(value, spec, fact, op, line)
        if op == "in":
            return (
                Or(tuple(Leaf("eq", fact, v) for v in values))
                if len(values) > 1
                else Leaf("eq", fact, values[0])
            )
        return (
            And(tuple(Leaf("neq", fact, v) for v in values))
            if len(values) > 1
            else Leaf("neq", fact, values[0])
        )

    def _values(
        self, value: Any, spec: FactSpec, fact: str, op: str, line: int | None
    ) -> tuple[Scalar, ...]:
        if not isinstance(value, list) or not value:
            self._fail(f"'{op}' needs a non-empty list", line, value, field=op)
        for item in value:
            self._check_scalar(item, spec, fact, op, line)
        return tuple(dict.fromkeys(value))

    def _check_scalar(
        self, value: Any, spec: FactSpec, fact: str, op: str, line: int | None
    ) -> None:
        if spec.type == "bool":
            if not isinstance(value, bool):
                self._fail(f"'{fact}' is true/false", line, value, field=op)
            return
        if spec.type == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self._fail(f"'{fact}' is a number", line, value, field=op)
            return
        if not isinstance(value, str):
            self._fail(f"'{fact}' holds text ids", line, value, field=op)
        if spec.vocabulary:
            valid = self.vocabulary(spec.vocabulary)
            if value not in valid:
                self._fail(
                    f"unknown {spec.vocabulary} id for '{fact}'",
                    line,
                    value,
                    field=op,
                    suggestion=did_you_mean(value, valid, spec.vocabulary),
                )

    def _fail(
        self,
        message: str,
        line: int | None,
        value: Any,
        field: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        raise RulePackError(
            Problem(
                message,
                Location(self.file, line=line, field=field),
                value=value,
                suggestion=suggestion,
            )
        )
