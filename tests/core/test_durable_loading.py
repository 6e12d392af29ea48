"""durable-rules loads every compiled pack every time, whatever the heap holds.

durable-rules 2.0.28 reads an uninitialised byte when an array test (``$iany``/``$iall``) wraps
an ``$or`` and refuses the ruleset (error 102) when the byte is 0x09 or 0x0C; see guard 12 in
riskscreen/rulepack/backends/durable.py. glibc's ``MALLOC_PERTURB_=N`` fills freed memory with
the byte N, which turns that one-in-400 refusal into a near certainty, so the stress tests run
under it.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from riskscreen import Engine
from riskscreen.rulepack.backends import CompiledRule, available_backends
from riskscreen.rulepack.conditions import And, Leaf, Node, Or

pytestmark = pytest.mark.skipif(
    "durable" not in available_backends(), reason="durable-rules does not import on this Python"
)

ARRAY_TESTS = ("$iany", "$iall")


def inner_ends_in_or(expression: Any) -> bool:
    """Whether the node durable-rules checks after building this array test's inner expression
    is the ``$forward`` node of an ``$or`` (an ``$or``, or an ``$and`` whose last item is one)."""
    if not isinstance(expression, dict) or len(expression) != 1:
        return False
    ((key, value),) = expression.items()
    if key == "$or":
        return True
    if key == "$and":
        return bool(value) and inner_ends_in_or(value[-1])
    return False


def faulty_array_tests(expression: Any, path: str = "") -> list[str]:
    """Paths of every array test in a durable-rules expression whose inner expression ends in an $or."""
    found: list[str] = []
    if isinstance(expression, dict):
        for key, value in expression.items():
            if key in ARRAY_TESTS:
                ((_name, inner),) = value.items()
                if inner_ends_in_or(inner):
                    found.append(f"{path}/{key}")
            found.extend(faulty_array_tests(value, f"{path}/{key}"))
    elif isinstance(expression, list):
        for index, item in enumerate(expression):
            found.extend(faulty_array_tests(item, f"{path}[{index}]"))
    return found


def test_the_checker_recognises_the_faulty_forms() -> None:
    assert faulty_array_tests({"$iany": {"tags": {"$or": [{"$i": "a"}, {"$i": "b"}]}}}) == [
        "/$iany"
    ]
    nested = {
        "$and": [{"kind": "x"}, {"$iall": {"tags": {"$and": [{"$neq": {"$i": "a"}}, {"$or": []}]}}}]
    }
    assert faulty_array_tests(nested) == ["/$and[1]/$iall"]
    assert (
        faulty_array_tests(
            {"$or": [{"$iany": {"tags": {"$i": "a"}}}, {"$iany": {"tags": {"$i": "b"}}}]}
        )
        == []
    )


def test_no_compiled_rule_of_the_bundled_pack_takes_the_faulty_path(durable_engine: Engine) -> None:
    definitions = durable_engine.backend.definitions  # type: ignore[attr-defined]
    assert definitions, "the bundled pack compiled to no durable-rules rulesets"
    assert faulty_array_tests(definitions) == []


LEAVES = [
    Leaf("any", "sectors", ("energy",)),
    Leaf("any", "sectors", ("energy", "water", "research")),
    Leaf("none", "sectors", ("energy",)),
    Leaf("none", "sectors", ("energy", "water")),
    Leaf("neq", "partner_country", "CN"),
    Leaf("gte", "value_gbp", 1000.0),
]


@pytest.mark.parametrize(
    "leaf",
    LEAVES,
    ids=lambda leaf: f"{leaf.op}{len(leaf.value) if isinstance(leaf.value, tuple) else ''}",
)
def test_no_operator_form_takes_the_faulty_path_alone_or_combined(leaf: Leaf) -> None:
    from riskscreen.rulepack.backends.durable import to_durable

    forms: list[Node] = [
        leaf,
        And((leaf, LEAVES[1])),
        Or((LEAVES[1], leaf)),
        And((Or((leaf, LEAVES[3])), leaf)),
    ]
    for node in forms:
        assert faulty_array_tests(to_durable(node)) == [], node


HOSTILE_HEAP_LOADS = textwrap.dedent(
    """
    import sys
    from riskscreen import Engine
    from riskscreen.errors import RiskscreenError
    from riskscreen.rulepack.backends.durable import DurableBackend

    loads, engines = int(sys.argv[1]), int(sys.argv[2])
    failures = []
    compiled = None
    for i in range(engines):
        try:
            engine = Engine.load(backend="durable")
        except RiskscreenError as exc:
            failures.append(f"Engine.load {i}: {exc}")
            continue
        compiled = engine.pack.compiled()
        engine.close()
    if compiled is None:
        from riskscreen.inputs.resources import bundled_dir
        from riskscreen.inputs.taxonomy import load_taxonomies
        from riskscreen.rulepack.loader import load_rule_pack

        compiled = load_rule_pack(bundled_dir("rules"), load_taxonomies(bundled_dir("taxonomies"))).compiled()
    for i in range(loads):
        try:
            DurableBackend(compiled).close()
        except RiskscreenError as exc:
            failures.append(f"ruleset load {i}: {exc}")
    print(len(failures), "failures")
    print("\\n".join(failures[:5]))
    """
)


def _run_hostile(byte: int, loads: int, engines: int) -> None:
    env = {**os.environ, "MALLOC_PERTURB_": str(byte)}
    done = subprocess.run(
        [sys.executable, "-c", HOSTILE_HEAP_LOADS, str(loads), str(engines)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("0 failures"), done.stdout


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="MALLOC_PERTURB_ is a glibc feature")
@pytest.mark.parametrize("byte", [0x09, 0x0C], ids=["JSON_IDENTIFIER", "JSON_EXPRESSION"])
def test_two_thousand_loads_on_a_heap_full_of_the_fatal_bytes(byte: int) -> None:
    # 1,000 ruleset loads of the bundled pack through the backend (where the fault was) and 5
    # full Engine.load() calls per byte: 2,010 loads in all. Before guard 12, about 19 loads in
    # 20 were refused under these settings.
    _run_hostile(byte, loads=1000, engines=5)


def test_rulesets_are_freed_when_the_backend_closes() -> None:
    from riskscreen.rulepack.backends.durable import DurableBackend
    from riskscreen.rulepack.backends.durable import durable_engine as durable

    rules = {"engagement": [CompiledRule("r", "engagement", Leaf("any", "sectors", ("a", "b")))]}
    backend = DurableBackend(rules)
    handle = backend._host.get_ruleset(backend._names["engagement"])._handle  # type: ignore[union-attr]
    backend.close()
    with pytest.raises(Exception, match="error code: 111"):
        durable.durable_rules_engine.delete_ruleset(handle)
    with pytest.raises(Exception, match="closed"):
        backend.match("engagement", {"kind": "engagement", "sectors": ["a"]})
