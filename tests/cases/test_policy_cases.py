"""The policy case set: each engagement's tier must fall in the range a UK policy reviewer accepts.

The ranges were written from the Commission report, the public policy facts and the research-security
lists before any case was screened (tests/cases/policy/README.md); the pack is judged against them,
never the other way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from policy_cases import (
    CATEGORIES,
    EngineCache,
    MalformedCase,
    case_paths,
    engines,
    load_case,
    screen_case,
)

PATHS = case_paths()


@pytest.fixture(scope="module")
def policy_engines() -> Iterator[EngineCache]:
    with engines() as cache:
        yield cache


@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_case_file_is_well_formed(path: Path) -> None:
    case = load_case(path)
    assert case.why
    assert case.category in CATEGORIES


def test_case_set_is_large_and_mixed() -> None:
    cases = [load_case(path) for path in PATHS]
    counts = Counter(case.category for case in cases)
    assert len(cases) >= 45
    assert counts["low"] >= 20 and counts["middle"] >= 10 and counts["hard"] >= 15
    engagement_ids = Counter(str(case.engagement["id"]) for case in cases)
    assert [eid for eid, n in engagement_ids.items() if n > 1] == []


def test_malformed_case_is_rejected_with_its_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad-case.yaml"
    bad.write_text(
        "id: bad-case\ncategory: low\nexpect: {min: alignment, max: advice}\nwhy: x\n"
        "uses_new_fields: false\nas_of: 2026-12-01\nengagement: {id: X}\n",
        encoding="utf-8",
    )
    with pytest.raises(MalformedCase, match=r"bad-case.yaml: expect: min alignment is above max"):
        load_case(bad)


def test_undeclared_new_field_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "undeclared.yaml"
    bad.write_text(
        "id: undeclared\ncategory: hard\nexpect: {min: alignment, max: stop}\nwhy: x\n"
        "uses_new_fields: false\nas_of: 2026-12-01\n"
        "engagement: {id: X, partner: {region: UA-43}, sectors: [ports]}\n",
        encoding="utf-8",
    )
    with pytest.raises(MalformedCase, match=r"partner.region.*sectors=ports"):
        load_case(bad)


@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_tier_is_within_policy_range(policy_engines: EngineCache, path: Path) -> None:
    case = load_case(path)
    outcome = screen_case(policy_engines, case)
    if not outcome.expressible:
        pytest.fail(
            f"{case.id}: the pack cannot read this engagement"
            f"{' (uses new fields)' if case.uses_new_fields else ''}:\n{outcome.input_error}\n"
            f"why {case.expected}: {case.why}"
        )
    assert outcome.tier is not None
    if not case.accepts(outcome.tier):
        pytest.fail(
            f"{case.id}: tier {outcome.tier}, policy accepts {case.expected}\n"
            f"why: {case.why}\nfired: {', '.join(outcome.rule_ids) or '(none)'}"
        )
