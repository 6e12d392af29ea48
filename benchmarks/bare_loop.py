"""The engine's own limit: durable-rules over already-built facts, with nothing else around it.

Shared by ``bench_engine.py`` and ``bench_register.py`` so both report the same baseline.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import durable.engine as durable_engine

from riskscreen.rulepack.backends.base import CompiledRule
from riskscreen.rulepack.backends.durable import DurableBackend, _QuietHost


def _messages(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = itertools.count(1)
    return [
        {k: v for k, v in fact.items() if v is not None and v != []} | {"id": next(ids), "sid": "0"}
        for fact in facts
    ]


def bare_durable_seconds(rules: list[CompiledRule], facts: list[dict[str, Any]]) -> float:
    """Assert each fact through the C module, drain its fired rules, delete the session: the floor."""
    backend = DurableBackend({"engagement": rules})
    engine = durable_engine.durable_rules_engine
    handle = backend._handles["engagement"]  # bypass the wrapper on purpose
    messages = _messages(facts)
    start = time.perf_counter()
    for message in messages:
        _, state = engine.assert_fact(handle, json.dumps(message, ensure_ascii=False))
        pending = engine.start_action_for_state(handle, state)
        while pending:
            pending = engine.complete_and_start_action(handle, state)
        engine.delete_state(handle, "0")
    seconds = time.perf_counter() - start
    backend.close()
    return seconds


def host_dispatch_seconds(rules: list[CompiledRule], facts: list[dict[str, Any]]) -> float:
    """The same facts through durable-rules' Python host, which runs a Python action per fired rule.

    This is how the engine called durable-rules before it read fired rules from the C module.
    """
    backend = DurableBackend({"engagement": rules})
    host = _QuietHost()
    name = f"host_dispatch_{id(backend)}"
    fired: list[int] = []
    definition = {
        key: {"all": value["all"], "run": lambda _closure: fired.append(1)}
        for key, value in backend.definitions[backend._names["engagement"]].items()
    }
    host.set_rulesets({name: definition})
    messages = _messages(facts)
    start = time.perf_counter()
    for message in messages:
        host.assert_fact(name, message)
        host.delete_state(name, "0")
    seconds = time.perf_counter() - start
    durable_engine.durable_rules_engine.delete_ruleset(host.get_ruleset(name)._handle)
    backend.close()
    return seconds
