"""Engine throughput against a bare durable-rules loop over the same compiled conditions.

    python benchmarks/bench_engine.py [N]

Two mixes: "register" repeats the example register's 55 seed-based engagements with fresh ids
(mostly civic links, as real registers are); "stress" draws random sectors, flags and checks
(about 13 findings per engagement, three quarters `alignment` — a worst case).

Prints engagements/second for: the full engine (validate + enrich + watchlist + finding rules +
proportionality + result) on each backend; the bare durable-rules loop, which only asserts the
already-enriched facts into the same compiled ruleset through the C module, drains the fired rules
and deletes the session (``bare_loop.py``); and, for comparison, the same facts through
durable-rules' Python host, which runs a Python action per fired rule. The ratio of the engine to
the bare loop is the engine's overhead. Single process, so one core.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from typing import Any

from bare_loop import bare_durable_seconds, host_dispatch_seconds

from riskscreen import Engine
from riskscreen.rulepack.backends import available_backends
from riskscreen.screening.ruletest import BASE_EXAMPLE, overlay

AS_OF = date(2026, 11, 22)


def synthetic(engine: Engine, count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    tax = engine.taxonomies
    countries = (
        sorted(tax.countries) + ["FR", "DE", "JP", "US", "IN", "KE", "BR", "AU", "CA", "IT"] * 3
    )
    sectors, involves = sorted(tax.sectors), sorted(tax.involves)
    checks = sorted(tax.due_diligence)
    items = []
    for i in range(count):
        items.append(
            overlay(
                BASE_EXAMPLE,
                {
                    "id": f"BENCH-{i}",
                    "partner": {
                        "country": rng.choice(countries),
                        "type": rng.choice(sorted(tax.partner_types)),
                        "name": rng.choice(
                            ["Partner City", "Acme Holdings", "Huawei Technologies", "Globex"]
                        ),
                    },
                    "agreement_type": rng.choice(sorted(tax.agreement_types)),
                    "sectors": rng.sample(sectors, rng.randint(1, 3)),
                    "involves": rng.sample(involves, rng.randint(0, 2)),
                    "value_gbp": rng.choice([0, 10_000, 500_000, 2_000_000, 1e9]),
                    "lead": {"due_diligence": rng.sample(checks, rng.randint(0, len(checks)))},
                },
            )
        )
    return items


def register_mix(count: int) -> list[dict[str, Any]]:
    from pathlib import Path

    from riskscreen.registers import read_register

    example = Path(__file__).resolve().parent.parent / "examples" / "register.yaml"
    rows = [dict(row.data) for row in read_register(example) if row.data is not None]
    return [{**rows[i % len(rows)], "id": f"REG-{i}"} for i in range(count)]


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    for mix in ("register", "stress"):
        run_mix(mix, count)


def run_mix(mix: str, count: int) -> None:
    print(f"riskscreen engine benchmark: {count:,} engagements, {mix} mix, one process")
    rows: dict[str, float] = {}
    for backend in available_backends():
        with Engine.load(backend=backend) as engine:
            items = synthetic(engine, count) if mix == "stress" else register_mix(count)
            engine.screen(items[0], as_of=AS_OF)  # warm caches
            start = time.perf_counter()
            tiers: dict[str, int] = {}
            for item in items:
                tier = engine.screen(item, as_of=AS_OF).tier
                tiers[tier] = tiers.get(tier, 0) + 1
            rows[f"engine ({backend})"] = time.perf_counter() - start
            if backend == "durable":
                facts = [engine.facts(engine.validate(item), AS_OF) for item in items]
                rules = engine.pack.compiled()["engagement"]
                rows["bare durable-rules loop"] = bare_durable_seconds(rules, facts)
                rows["durable-rules host dispatch"] = host_dispatch_seconds(rules, facts)
            if backend == "python":
                print(
                    f"  rules: {len(engine.pack.findings)} finding + {len(engine.pack.proportionality)}"
                    f" proportionality; tiers: {dict(sorted(tiers.items()))}"
                )
    for label, seconds in rows.items():
        print(f"  {label:<26} {seconds:7.2f} s  {rate(count, seconds):>10}")
    if "engine (durable)" in rows and "bare durable-rules loop" in rows:
        print(
            f"  engine overhead vs bare durable-rules loop: {rows['engine (durable)'] / rows['bare durable-rules loop']:.2f}x"
        )


if __name__ == "__main__":
    main()
