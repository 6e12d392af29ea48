"""Measure how many policy cases the bundled pack screens within their accepted tier range.

Run from the repository root:  .venv/bin/python tests/cases/policy/measure.py [--cases]
Prints agreement per category, the cases the pack cannot read yet (new fields) and, with --cases,
one line per case: id, expected range, tier, and the fired rules of every miss.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_cases import (
    CATEGORIES,
    Outcome,
    PolicyCase,
    case_paths,
    engines,
    load_case,
    screen_case,
)


def measure() -> list[tuple[PolicyCase, Outcome]]:
    with engines() as cache:
        return [(case, screen_case(cache, case)) for case in map(load_case, case_paths())]


def verdict(case: PolicyCase, outcome: Outcome) -> str:
    if outcome.tier is None:
        return "unreadable"
    if case.accepts(outcome.tier):
        return "within"
    return "too high" if _rank(outcome.tier) > _rank(case.max_tier) else "too low"


def _rank(tier: str) -> int:
    from riskscreen.models.base import TIER_ORDER

    return TIER_ORDER.index(tier)


def report(results: list[tuple[PolicyCase, Outcome]], per_case: bool) -> str:
    lines: list[str] = []
    by_category: dict[str, list[str]] = defaultdict(list)
    for case, outcome in results:
        by_category[case.category].append(verdict(case, outcome))
    lines.append(
        f"{'category':<10}{'cases':>6}{'within':>8}{'too high':>10}{'too low':>9}{'unreadable':>12}"
    )
    total = [v for verdicts in by_category.values() for v in verdicts]
    for name, verdicts in [*((c, by_category[c]) for c in CATEGORIES), ("all", total)]:
        lines.append(
            f"{name:<10}{len(verdicts):>6}{verdicts.count('within'):>8}"
            f"{verdicts.count('too high'):>10}{verdicts.count('too low'):>9}"
            f"{verdicts.count('unreadable'):>12}"
        )
    unreadable = [case.id for case, outcome in results if not outcome.expressible]
    if unreadable:
        lines.append("cannot be expressed with this pack: " + ", ".join(unreadable))
    if per_case:
        lines.append("")
        for case, outcome in results:
            result = verdict(case, outcome)
            tier = outcome.tier or "-"
            line = f"{case.id:<52} {case.expected:<19} {tier:<10} {result}"
            if result in ("too high", "too low"):
                line += "  [" + ", ".join(outcome.rule_ids) + "]"
            lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", action="store_true", help="also list every case")
    args = parser.parse_args()
    print(report(measure(), args.cases))


if __name__ == "__main__":
    main()
