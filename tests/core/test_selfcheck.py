"""The load-time proof: a backend must fire exactly what the plain-Python oracle fires on every
rule-example fact; one that disagrees is rebuilt once, then refused with the rule located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from riskscreen import Engine
from riskscreen.errors import RulePackError
from riskscreen.rulepack.backends import (
    Backend,
    CompiledRule,
    EngineError,
    available_backends,
    make_backend,
)
from riskscreen.rulepack.backends.base import Fact
from riskscreen.rulepack.backends.python import PythonBackend
from riskscreen.screening import selfcheck
from riskscreen.screening.selfcheck import first_disagreement, proof_facts, proven_backend

from .helpers import finding_rule, write_rules

BEST = "durable" if "durable" in available_backends() else "python"


class Faulty:
    """A backend that silently drops one rule (or fails outright), as a corrupted ruleset might."""

    name = "faulty"

    def __init__(self, rulesets: dict[str, list[CompiledRule]], drop: str | None) -> None:
        self.inner = make_backend(BEST, rulesets)
        self.drop = drop
        self.closed = False

    def match(self, ruleset: str, fact: Fact) -> list[str]:
        if self.drop is None:
            raise EngineError("durable-rules returned without evaluating the fact")
        return [rule for rule in self.inner.match(ruleset, fact) if rule != self.drop]

    def close(self) -> None:
        self.closed = True
        self.inner.close()


def builds(
    *plan: str | bool | None,
) -> tuple[Callable[[str | None, dict[str, list[CompiledRule]]], Backend], list[Backend]]:
    """A build function giving, in turn, a Faulty backend dropping each named rule (None: failing),
    or a sound backend for ``True``; and the list of what it built."""
    built: list[Backend] = []
    steps = iter(plan)

    def build(_name: str | None, rulesets: dict[str, list[CompiledRule]]) -> Backend:
        step = next(steps)
        # A rebuild happens while the faulty backend still holds its rulesets (their memory).
        assert not any(isinstance(item, Faulty) and item.closed for item in built)
        backend: Backend = (
            make_backend(BEST, rulesets) if step is True else Faulty(rulesets, step or None)
        )
        built.append(backend)
        return backend

    return build, built


def test_the_proof_covers_every_ruleset_and_shows_every_rule_firing(engine: Engine) -> None:
    facts = proof_facts(engine.pack, engine.taxonomies, engine.watchlist)
    assert {proof.ruleset for proof in facts} == {"engagement", "risk_type", "screening"}
    assert len(facts) >= 100
    oracle = PythonBackend(engine.pack.compiled())
    fired = {rule for proof in facts for rule in oracle.match(proof.ruleset, proof.fact)}
    assert fired == {loaded.id for loaded in engine.pack.all_rules()}
    # Facts are distinct: a repeated fact would cost a match and prove nothing more.
    keys = [(proof.ruleset, repr(sorted(proof.fact.items()))) for proof in facts]
    assert len(keys) == len(set(keys))


def test_the_loaded_backend_agrees_with_the_oracle(engine: Engine) -> None:
    facts = proof_facts(engine.pack, engine.taxonomies, engine.watchlist)
    assert first_disagreement(engine.backend, PythonBackend(engine.pack.compiled()), facts) is None


def test_a_backend_that_disagrees_is_rebuilt(engine: Engine) -> None:
    build, built = builds("sec_critical_infrastructure", True)
    backend = proven_backend(None, engine.pack, engine.taxonomies, engine.watchlist, build)
    assert backend is built[1]
    assert isinstance(built[0], Faulty) and built[0].closed
    backend.close()


def test_a_backend_that_disagrees_twice_is_refused_naming_the_rule(engine: Engine) -> None:
    rule = "sec_critical_infrastructure"
    build, built = builds(rule, rule)
    with pytest.raises(RulePackError) as caught:
        proven_backend(None, engine.pack, engine.taxonomies, engine.watchlist, build)
    problem = caught.value.problems[0]
    loaded = engine.pack.get(rule)
    assert loaded is not None
    assert (problem.location.file, problem.location.line) == (loaded.file, loaded.line)
    # Every rule is checked on every fact: this one first fires on another rule's example.
    assert problem.message == (
        f"the faulty backend does not evaluate rule '{rule}' as its condition says: it does not "
        "fire on the no_match example 1 of rule 'geo_seed_named_sensitive_symbolic', also after "
        "rebuilding its rulesets"
    )
    assert problem.value == {
        "fired": ["geo_seed_named_sensitive_substantive", "inst_approval_too_low"],
        "expected": ["geo_seed_named_sensitive_substantive", "inst_approval_too_low", rule],
    }
    assert problem.suggestion is not None and "--backend python" in problem.suggestion
    assert len(built) == 2 and all(isinstance(item, Faulty) and item.closed for item in built)


def test_a_backend_that_fails_on_a_fact_is_rebuilt_then_refused(engine: Engine) -> None:
    build, built = builds(None, True)
    proven_backend(None, engine.pack, engine.taxonomies, engine.watchlist, build).close()
    assert len(built) == 2
    build, built = builds(None, None)
    with pytest.raises(RulePackError, match="failed on the neutral example, also after rebuilding"):
        proven_backend(None, engine.pack, engine.taxonomies, engine.watchlist, build)


def test_the_python_backend_is_the_oracle_and_is_not_proven(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> list[selfcheck.ProofFact]:
        raise AssertionError("the oracle was proven against itself")

    monkeypatch.setattr(selfcheck, "proof_facts", refuse)
    backend = proven_backend("python", engine.pack, engine.taxonomies, engine.watchlist)
    assert isinstance(backend, PythonBackend)


@pytest.mark.skipif(
    "durable" not in available_backends(), reason="durable-rules does not import on this Python"
)
def test_engine_load_refuses_a_durable_ruleset_that_silently_misfires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from riskscreen.rulepack.backends.durable import DurableBackend

    sound = DurableBackend.match

    def misfires(self: DurableBackend, ruleset: str, fact: Fact) -> list[str]:
        return [rule for rule in sound(self, ruleset, fact) if rule != "pol_unpublished"]

    monkeypatch.setattr(DurableBackend, "match", misfires)
    with pytest.raises(RulePackError, match="rule 'pol_unpublished'"):
        Engine.load(backend="durable")


def test_invalid_examples_do_not_stop_a_pack_loading(tmp_path: Path) -> None:
    rules = finding_rule() + (
        "    examples:\n"
        "      match: [{sectors: [energy]}, {sectors: [energy], partner: {country: ZZ}}]\n"
        "      no_match: [{sectors: [culture]}]\n"
    )
    directory = write_rules(tmp_path, {"test.yaml": rules})
    with Engine.load(rules=directory, backend=BEST) as engine:
        sources = [
            proof.source for proof in proof_facts(engine.pack, engine.taxonomies, engine.watchlist)
        ]
    assert "match example 1 of rule 'test_rule'" in sources
    assert "match example 2 of rule 'test_rule'" not in sources  # ZZ is no country: skipped
