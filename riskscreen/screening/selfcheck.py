"""The load-time proof that a compiled ruleset means what the rule pack says.

durable-rules builds its network in C, partly from uninitialised memory: one such read refused
about one engine load in 400 at random (guard 12 in rulepack/backends/durable.py), and a fault of
that kind could as well go unnoticed and change answers. So when an engine loads on a backend
other than the plain-Python one, every distinct fact the pack's rule examples make is matched by
the new backend and by the plain-Python evaluation of the same conditions (the oracle), and the
two must fire exactly the same rules. A backend that disagrees is rebuilt once (while it still
holds its memory, so the new rulesets are built elsewhere); one that still disagrees is refused,
naming the rule it gets wrong.

The oracle, not each example's declared expectation, decides: an example that is simply wrong is
the rule tester's business (``riskscreen rules test``) and must not stop a pack from loading.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from riskscreen.errors import InputError, Location, Problem, RulePackError
from riskscreen.inputs.loading import validate_engagement
from riskscreen.inputs.taxonomy import Taxonomies
from riskscreen.models.rule import FindingRule, ProportionalityRule
from riskscreen.rulepack.backends import Backend, CompiledRule, EngineError, make_backend
from riskscreen.rulepack.backends.base import Fact
from riskscreen.rulepack.backends.python import PythonBackend
from riskscreen.rulepack.loader import LoadedRule, RulePack
from riskscreen.screening.facts import build_fact, screened_names
from riskscreen.screening.rule_examples import (
    BASE_EXAMPLE,
    SUMMARY_DEFAULTS,
    engagement_example,
    summary_example,
)
from riskscreen.watchlist import WatchlistMatcher

BuildBackend = Callable[[str | None, dict[str, list[CompiledRule]]], Backend]


@dataclass(frozen=True)
class ProofFact:
    ruleset: str
    fact: Fact
    source: str  # the first example that made this fact, for the refusal message


@dataclass(frozen=True)
class Disagreement:
    proof: ProofFact
    fired: tuple[str, ...] | None  # None when the backend failed on the fact
    expected: tuple[str, ...]
    error: str | None = None


def proven_backend(
    name: str | None,
    pack: RulePack,
    taxonomies: Taxonomies,
    watchlist: WatchlistMatcher,
    build: BuildBackend = make_backend,
) -> Backend:
    """The named backend for ``pack``, proven on the pack's rule examples (rebuilt once if need be)."""
    rulesets = pack.compiled()
    backend = build(name, rulesets)
    if isinstance(backend, PythonBackend):
        return backend  # the oracle itself
    oracle = PythonBackend(rulesets)
    facts = proof_facts(pack, taxonomies, watchlist)
    wrong = first_disagreement(backend, oracle, facts)
    if wrong is None:
        return backend
    # Rebuilt while the faulty rulesets still hold their memory, so the new ones cannot reuse it.
    faulty = backend
    try:
        backend = build(name, rulesets)
    finally:
        faulty.close()
    wrong = first_disagreement(backend, oracle, facts)
    if wrong is None:
        return backend
    backend.close()
    raise RulePackError(_refusal(pack, backend.name, wrong))


def proof_facts(pack: RulePack, taxonomies: Taxonomies, watchlist: WatchlistMatcher) -> list[ProofFact]:
    """Each distinct fact made by the neutral examples and the pack's rule examples."""
    made: dict[tuple[Any, ...], ProofFact] = {}  # by ruleset and fact; the first example is kept

    def add(ruleset: str, fact: Fact | None, source: str) -> None:
        if fact is not None:
            # Facts are flat (scalars and lists of scalars), built with their keys in one order.
            values = tuple(tuple(value) if isinstance(value, list) else value for value in fact.values())
            made.setdefault((ruleset, tuple(fact), values), ProofFact(ruleset, fact, source))

    add("engagement", _engagement_fact(BASE_EXAMPLE, pack, taxonomies, watchlist), "neutral example")
    for subject, neutral in SUMMARY_DEFAULTS.items():
        add(subject, dict(neutral), f"neutral {subject} summary")
    for loaded in pack.all_rules():
        examples = loaded.rule.examples
        for expectation, items in (("match", examples.match), ("no_match", examples.no_match)):
            for index, example in enumerate(items):
                fact = _example_fact(loaded, example, pack, taxonomies, watchlist)
                add(loaded.kind, fact, f"{expectation} example {index + 1} of rule '{loaded.id}'")
    return list(made.values())


def _example_fact(
    loaded: LoadedRule,
    example: Mapping[str, Any],
    pack: RulePack,
    taxonomies: Taxonomies,
    watchlist: WatchlistMatcher,
) -> Fact | None:
    # Examples the rule tester would reject (invalid, or naming unknown facts) prove nothing.
    rule = loaded.rule
    if isinstance(rule, FindingRule):
        return _engagement_fact(engagement_example(example), pack, taxonomies, watchlist)
    assert isinstance(rule, ProportionalityRule)
    fact = summary_example(rule.subject, example)
    return fact if set(fact) <= set(SUMMARY_DEFAULTS[rule.subject]) else None


def _engagement_fact(
    data: Mapping[str, Any], pack: RulePack, taxonomies: Taxonomies, watchlist: WatchlistMatcher
) -> Fact | None:
    try:
        engagement = validate_engagement(data, taxonomies)
    except InputError:
        return None
    hits = watchlist.screen(screened_names(engagement))
    return build_fact(engagement, taxonomies, hits, pack.examples_as_of)


def first_disagreement(
    backend: Backend, oracle: Backend, facts: list[ProofFact]
) -> Disagreement | None:
    """The first proof fact on which ``backend`` fires other rules than ``oracle``, if any."""
    for proof in facts:
        expected = tuple(oracle.match(proof.ruleset, proof.fact))
        try:
            fired = tuple(backend.match(proof.ruleset, proof.fact))
        except EngineError as exc:
            return Disagreement(proof, None, expected, str(exc))
        if fired != expected:
            return Disagreement(proof, fired, expected)
    return None


def _refusal(pack: RulePack, backend: str, wrong: Disagreement) -> Problem:
    suggestion = "screen with --backend python, and report the rule pack and this message"
    source = wrong.proof.source
    if wrong.fired is None:
        return Problem(
            f"the {backend} backend failed on the {source}, also after rebuilding: {wrong.error}",
            Location(str(pack.directory)),
            suggestion=suggestion,
        )
    extra = [rule for rule in wrong.fired if rule not in wrong.expected]
    missing = [rule for rule in wrong.expected if rule not in wrong.fired]
    rule_id = (extra or missing)[0]
    verb = "fires" if extra else "does not fire"
    loaded = pack.get(rule_id)
    return Problem(
        f"the {backend} backend does not evaluate rule '{rule_id}' as its condition says: it "
        f"{verb} on the {source}, also after rebuilding its rulesets",
        Location(loaded.file, line=loaded.line) if loaded else Location(str(pack.directory)),
        value={"fired": list(wrong.fired), "expected": list(wrong.expected)},
        suggestion=suggestion,
    )
