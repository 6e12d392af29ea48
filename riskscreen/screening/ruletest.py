"""Running the examples that rules carry, and linting a rule pack.

Examples are laid over the neutral engagement and summaries of rule_examples.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskscreen.errors import InputError, Location, Problem, RulePackError
from riskscreen.inputs.overlay import overlay
from riskscreen.models.rule import FindingRule, ProportionalityRule
from riskscreen.rulepack.loader import LoadedRule
from riskscreen.screening.engine import Engine
from riskscreen.screening.rule_examples import (
    BASE_EXAMPLE,
    SUMMARY_DEFAULTS,
    engagement_example,
    summary_example,
)

# BASE_EXAMPLE and overlay stay importable from here for the tests and benchmarks.
__all__ = [
    "BASE_EXAMPLE",
    "SUMMARY_DEFAULTS",
    "ExampleOutcome",
    "LintIssue",
    "lint",
    "overlay",
    "run_examples",
]


@dataclass(frozen=True)
class ExampleOutcome:
    rule_id: str
    expectation: str  # "match" or "no_match"
    index: int
    passed: bool
    fired: tuple[str, ...]

    def describe(self) -> str:
        verb = (
            "should fire but did not" if self.expectation == "match" else "should not fire but did"
        )
        return f"{self.rule_id}: {self.expectation} example {self.index + 1} {verb}"


def _fired_for(engine: Engine, loaded: LoadedRule, example: dict[str, Any]) -> tuple[str, ...]:
    rule = loaded.rule
    if isinstance(rule, FindingRule):
        data = engagement_example(example)
        try:
            engagement = engine.validate(data, source=f"{loaded.file} (rule {rule.id} example)")
        except InputError as exc:
            raise RulePackError(
                Problem(
                    f"rule '{rule.id}' has an invalid example: {exc.problems[0].message}",
                    Location(loaded.file, line=loaded.line, field=exc.problems[0].location.field),
                    value=exc.problems[0].value,
                    suggestion=exc.problems[0].suggestion,
                )
            ) from None
        facts = engine.facts(engagement, engine.pack.examples_as_of)
        return tuple(engine.backend.match("engagement", facts))
    assert isinstance(rule, ProportionalityRule)
    fact = summary_example(rule.subject, example)
    unknown = set(fact) - set(SUMMARY_DEFAULTS[rule.subject])
    if unknown:
        raise RulePackError(
            Problem(
                f"rule '{rule.id}' example names unknown facts",
                Location(loaded.file, line=loaded.line),
                value=sorted(unknown),
            )
        )
    return tuple(engine.backend.match(rule.subject, fact))


def run_examples(engine: Engine, rule_ids: list[str] | None = None) -> list[ExampleOutcome]:
    """Every example of every (selected) rule, with whether it behaved as declared."""
    outcomes: list[ExampleOutcome] = []
    for loaded in engine.pack.all_rules():
        if rule_ids and loaded.id not in rule_ids:
            continue
        for expectation in ("match", "no_match"):
            for index, example in enumerate(getattr(loaded.rule.examples, expectation)):
                fired = _fired_for(engine, loaded, example)
                passed = (loaded.id in fired) == (expectation == "match")
                outcomes.append(ExampleOutcome(loaded.id, expectation, index, passed, fired))
    return outcomes


@dataclass(frozen=True)
class LintIssue:
    rule_id: str
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule_id}: {self.message}"


def lint(engine: Engine) -> list[LintIssue]:
    """Pack-wide checks beyond what loading enforces."""
    issues: list[LintIssue] = []
    outcomes = run_examples(engine)
    fires = {o.rule_id for o in outcomes if o.expectation == "match" and o.passed}
    for loaded in engine.pack.all_rules():
        rule = loaded.rule

        def add(message: str, loaded: LoadedRule = loaded) -> None:
            issues.append(LintIssue(loaded.id, loaded.file, loaded.line, message))

        if not rule.references:
            add("has no reference (source and section)")
        if not rule.examples.match:
            add("has no example it must match")
        if not rule.examples.no_match:
            add("has no example it must not match")
        if loaded.id not in fires:
            add("is never shown to fire: no 'match' example fires it")
        for outcome in outcomes:
            if outcome.rule_id == loaded.id and not outcome.passed:
                add(outcome.describe().split(": ", 1)[1])
        if isinstance(rule, FindingRule):
            if rule.tier.value != "autonomy" and not rule.escalate_to:
                add(f"calls for '{rule.tier.value}' but names nobody to ask (escalate_to)")
            if rule.tier.value == "stop" and "sanctioned" not in str(rule.when):
                add("calls for 'stop' without testing a sanctions designation (a likely legal bar)")
    return issues
