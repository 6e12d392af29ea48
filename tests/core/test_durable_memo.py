"""The durable-rules backend remembers the rules fired per distinct fact: the answers must be
exactly what asserting the fact gives, whether remembered, forgotten when full, or turned off."""

from __future__ import annotations

import pytest

from riskscreen import Engine
from riskscreen.rulepack.backends import available_backends
from riskscreen.rulepack.backends.python import PythonBackend
from riskscreen.screening.selfcheck import proof_facts

pytestmark = pytest.mark.skipif("durable" not in available_backends(), reason="durable-rules does not import here")


def _facts(engine: Engine) -> list[tuple[str, dict[str, object]]]:
    return [(proof.ruleset, proof.fact) for proof in proof_facts(engine.pack, engine.taxonomies, engine.watchlist)]


def _backend(engine: Engine):  # type: ignore[no-untyped-def]
    from riskscreen.rulepack.backends.durable import DurableBackend

    return DurableBackend(engine.pack.compiled())


def test_remembered_answers_equal_the_oracle_and_the_first_answer(python_engine: Engine) -> None:
    facts = _facts(python_engine)
    oracle = PythonBackend(python_engine.pack.compiled())
    backend = _backend(python_engine)
    first = [backend.match(ruleset, fact) for ruleset, fact in facts]
    remembered = sum(len(memo) for memo in backend._memo.values())
    assert remembered == len({(r, str(sorted(f.items(), key=str))) for r, f in facts}) > 100
    again = [backend.match(ruleset, fact) for ruleset, fact in facts]
    assert again == first == [oracle.match(ruleset, fact) for ruleset, fact in facts]
    assert sum(len(memo) for memo in backend._memo.values()) == remembered  # nothing asserted twice
    backend.close()


def test_a_full_memo_is_forgotten_and_answers_stay_right(python_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from riskscreen.rulepack.backends import durable

    monkeypatch.setattr(durable, "MEMO_LIMIT", 3)
    facts = [(r, f) for r, f in _facts(python_engine) if r == "engagement"][:10]
    oracle = PythonBackend(python_engine.pack.compiled())
    backend = _backend(python_engine)
    for ruleset, fact in facts + facts:
        assert backend.match(ruleset, fact) == oracle.match(ruleset, fact)
        assert len(backend._memo["engagement"]) <= 3
    backend.close()


def test_the_memo_can_be_turned_off(python_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from riskscreen.rulepack.backends import durable

    monkeypatch.setattr(durable, "MEMO_LIMIT", 0)
    ruleset, fact = _facts(python_engine)[0]
    backend = _backend(python_engine)
    assert backend.match(ruleset, fact) == backend.match(ruleset, fact)
    assert not any(backend._memo.values())
    backend.close()


def test_a_returned_list_cannot_change_what_is_remembered(python_engine: Engine) -> None:
    ruleset, fact = next((r, f) for r, f in _facts(python_engine) if r == "engagement")
    backend = _backend(python_engine)
    answer = backend.match(ruleset, fact)
    answer.append("not_a_rule")
    assert "not_a_rule" not in backend.match(ruleset, fact)
    backend.close()
