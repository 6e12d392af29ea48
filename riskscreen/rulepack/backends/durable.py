"""The durable-rules backend: the condition IR compiled to durable-rules' JSON ruleset form.

Guards for the behaviours listed in reference/durable-rules-notes.md:

1. ``$or`` fires the action once per satisfied branch -> hits are de-duplicated per rule.
2. events fire one rule only -> facts are asserted, never posted.
3. a fact matching nothing raises MessageNotHandledException -> every ruleset also carries a
   sentinel rule matching every fact of its kind, so each fact is handled (and we can check it
   was); each fact gets a fresh ``id`` so identical facts are never "already observed". Observed
   here as well: ``delete_state`` on a session whose only fact went unhandled segfaults once a
   second ruleset exists in the process — the sentinel also keeps us off that path.
4. strings compared to numbers -> facts are typed by the fact builder and rule operands checked on load.
5. ``$neq`` never matches a missing field -> ``neq`` compiles to "missing or not equal".
6. ``$nex``-only rules loop on the state fact -> every rule carries a ``kind`` discriminator.
7. action exceptions are swallowed, and the host's action dispatch costs more than matching (a
   closure, a JSON round trip of the session state and a Python callback per fired rule) -> no
   Python action runs: ``match`` asserts the fact through the C module and reads each pending
   action's rule name from ``start_action_for_state``/``complete_and_start_action``, completing it
   unchanged (4-5x faster on many-finding facts; the load-time proof checks it against the Python
   evaluator).
8. host timer threads race ``delete_state`` -> a host subclass that never starts them.
9. memory per ruleset and per session id -> one host and one session id per ruleset, reused,
   with the session state deleted after every fact. The host never deletes its C rulesets
   (about 1.5 MB each), so ``close()``, or collection of the backend, does.
10. more than 255 properties -> facts are narrow (see facts_catalogue.MAX_FACT_WIDTH).
11. the global host singleton -> never used; ruleset names are unique per backend instance.
12. ``$iany``/``$iall`` over an ``$or`` reads uninitialised memory -> about one load in 400 was
    refused with "Could not create ruleset, error code: 102" (ERR_UNEXPECTED_TYPE). In
    durable-rules 2.0.28 ``src/rules/rete.c``, ``createAlpha`` builds the inner expression of an
    ``$iany``/``$iall`` and then (line 1313) refuses it if the inner node's ``right.type`` is
    JSON_IDENTIFIER (0x09) or JSON_EXPRESSION (0x0C). When that inner expression is an ``$or``
    (or an ``$and`` ending in one), the node is the ``$forward`` alpha that the ``$or`` branch
    (line 1233) makes with ``createForwardAlpha`` (line 1110), which never sets ``right``; and
    ``storeNode`` (line 125) grows the node pool with ``realloc``, so that byte is whatever the
    heap held. The load fails when it happens to be 0x09 or 0x0C (``MALLOC_PERTURB_=9`` makes
    it fail almost every time). So ``contains_any`` with several values compiles to an ``$or``
    of one ``$iany`` per value (the same meaning; guard 1 de-duplicates), and no array test's
    inner expression ends in an ``$or`` (a test checks every compiled form).

Matching is a pure function of the fact, and facts are narrow and categorical (no engagement id,
name or title: register rows repeat them a great deal), so the rules fired are remembered per
distinct fact — keyed by the fact's JSON, the exact text durable-rules would be sent — for up to
``RISKSCREEN_MATCH_MEMO`` facts per ruleset (default 16,384, a few megabytes; ``0`` turns it off), forgotten all at
once when full. A remembered answer was produced by the same compiled ruleset in this process.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import uuid
import weakref
from typing import Any

import durable.engine as durable_engine

from riskscreen.rulepack.backends.base import CompiledRule, EngineError, Fact
from riskscreen.rulepack.conditions import And, Leaf, Node, Or

_engine = durable_engine.durable_rules_engine  # the C module the host wraps
MEMO_LIMIT = int(os.environ.get("RISKSCREEN_MATCH_MEMO", "16384") or 0)
_instances = itertools.count()
SEEN = -1  # the sentinel rule's index


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A host without the background dispatch timers (fact screening needs no timers)."""

    def _run(self) -> None:
        self._d_timer = None
        self._t_timer = None


def _delete_rulesets(handles: list[int]) -> None:
    # durable-rules' Host never deletes its C rulesets: about 1.5 MB each would stay allocated
    # for the life of the process, and handles run out after 131,071 (rules.h MAX_HANDLES).
    for handle in handles:
        durable_engine.durable_rules_engine.delete_ruleset(handle)
    handles.clear()


def to_durable(node: Node) -> dict[str, Any]:
    """One IR node as a durable-rules condition expression."""
    if isinstance(node, And):
        return {"$and": [to_durable(item) for item in node.items]}
    if isinstance(node, Or):
        return {"$or": [to_durable(item) for item in node.items]}
    return _leaf(node)


def _leaf(leaf: Leaf) -> dict[str, Any]:
    name, value, op = leaf.fact, leaf.value, leaf.op
    if op == "eq":
        return {name: value}
    if op == "neq":
        return {"$or": [{"$nex": {name: 1}}, {"$neq": {name: value}}]}
    if op in ("lt", "lte", "gt", "gte"):
        return {f"${op}": {name: value}}
    if op == "ex":
        return {"$ex": {name: 1}}
    if op == "nex":
        return {"$nex": {name: 1}}
    if op == "any":
        # One $iany per value, never $iany over an $or (guard 12).
        tests = [{"$iany": {name: {"$i": item}}} for item in value]
        return tests[0] if len(tests) == 1 else {"$or": tests}
    if op == "none":
        # $iall over an empty list never matches, so "missing" (empty lists are omitted) is its own branch.
        none_equal = [{"$neq": {"$i": v}} for v in value]
        test = none_equal[0] if len(none_equal) == 1 else {"$and": none_equal}
        return {"$or": [{"$nex": {name: 1}}, {"$iall": {name: test}}]}
    raise EngineError(f"no durable-rules form for operator '{op}'")


def _durable_fact(fact: Fact) -> dict[str, Any]:
    # Missing values are left out rather than sent as null, so $ex/$nex mean what the IR means.
    return {key: value for key, value in fact.items() if value is not None and value != []}


class DurableBackend:
    name = "durable"

    def __init__(self, rulesets: dict[str, list[CompiledRule]]) -> None:
        self._lock = threading.Lock()
        self._fact_ids = itertools.count(1)
        prefix = f"rs{next(_instances)}_{uuid.uuid4().hex[:8]}"
        self._names = {ruleset: f"{prefix}_{ruleset}" for ruleset in rulesets}
        self._rule_ids: dict[str, list[str]] = {}
        self._rule_index: dict[str, dict[str, int]] = {}
        self._kinds: dict[str, frozenset[str]] = {}
        self._memo: dict[str, dict[str, tuple[str, ...]]] = {ruleset: {} for ruleset in rulesets}
        definitions: dict[str, dict[str, Any]] = {}
        for ruleset, rules in rulesets.items():
            self._rule_ids[ruleset] = [rule.rule_id for rule in rules]
            self._rule_index[ruleset] = {f"r{index}": index for index in range(len(rules))} | {
                f"seen_{kind}": SEEN for kind in {rule.kind for rule in rules}
            }
            self._kinds[ruleset] = frozenset(rule.kind for rule in rules)
            definition = {
                f"r{index}": {
                    "all": [{"m": {"$and": [{"kind": rule.kind}, to_durable(rule.condition)]}}],
                    "run": self._never_run,
                }
                for index, rule in enumerate(rules)
            }
            for kind in sorted({rule.kind for rule in rules}):
                definition[f"seen_{kind}"] = {
                    "all": [{"m": {"kind": kind}}],
                    "run": self._never_run,
                }
            definitions[self._names[ruleset]] = definition
        self._host: _QuietHost | None = _QuietHost()
        handles: list[int] = []
        self._release = weakref.finalize(self, _delete_rulesets, handles)
        self._release.atexit = False  # the process is ending; the OS frees the memory
        for name, definition in definitions.items():
            # One ruleset at a time, so those made before a refusal are known and freed.
            try:
                self._host.set_rulesets({name: definition})
            except Exception as exc:  # durable reports bad rulesets as bare Exceptions with a code
                self._release()
                raise EngineError(f"durable-rules rejected the compiled rule pack: {exc}") from None
            handles.append(self._host.get_ruleset(name)._handle)
        self._handles = {
            ruleset: self._host.get_ruleset(name)._handle for ruleset, name in self._names.items()
        }
        self.definitions = definitions

    @staticmethod
    def _never_run(_closure: Any) -> None:
        # Actions are read and completed in ``match``; the host never dispatches them (guard 7).
        raise EngineError("a durable-rules action was dispatched through the host")

    def match(self, ruleset: str, fact: Fact) -> list[str]:
        if fact.get("kind") not in self._kinds[ruleset]:
            return []  # no rule could match; asserting it would only be "not handled"
        text = json.dumps(_durable_fact(fact), ensure_ascii=False)
        memo = self._memo[ruleset]
        known = memo.get(text)
        if known is not None:
            return list(known)
        handle = self._handles[ruleset]
        rule_index = self._rule_index[ruleset]
        with self._lock:
            if self._host is None:
                raise EngineError("this engine has been closed")
            # The fact has a "kind", so its JSON object is never empty: append the session fields.
            message = f'{text[:-1]}, "sid": "0", "id": {next(self._fact_ids)}}}'
            code, state = _engine.assert_fact(handle, message)
            if code == 1:
                raise EngineError(f"durable-rules did not handle a '{fact.get('kind')}' fact")
            fired: set[int] = set()
            pending = _engine.start_action_for_state(handle, state)
            actions = pending[1] if pending else None
            while actions:
                # Each pending action is a JSON object keyed by the rule name: {"r12": {...}}.
                fired.add(rule_index[actions[2 : actions.index('"', 2)]])
                actions = _engine.complete_and_start_action(handle, state)
            _engine.delete_state(handle, "0")
        if SEEN not in fired:
            raise EngineError("durable-rules returned without evaluating the fact")
        rule_ids = self._rule_ids[ruleset]
        answer = tuple(rule_ids[index] for index in sorted(fired - {SEEN}))
        if MEMO_LIMIT:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[text] = answer
        return list(answer)

    def close(self) -> None:
        """Drop the host and free the rulesets' C memory (also done if the backend is collected)."""
        with self._lock:
            self._host = None
            self._release()
