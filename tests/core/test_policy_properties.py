"""Proportionality properties of the default pack (rules/README.md, Policy 1–3), on both backends.

- A civic or cultural link with a partner of any type in a low-sensitivity country, with nothing in
  ``involves`` and no money, is within local autonomy whichever optional fields are left out.
- Leaving an optional field out never gives a higher tier than recording it with its most
  favourable value ("not recorded" is not "not done").
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Engine
from riskscreen.models.base import TIER_ORDER

from ..conftest import AS_OF
from .strategies import TAXONOMIES, engagements, ids

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

CIVIC_AGREEMENTS = [
    "twinning",
    "sister_city",
    "friendship_agreement",
    "cultural_exchange",
    "student_exchange",
    "network_membership",
    "delegation_visit",
]
LOW_EXPOSURE_SECTORS = sorted(s.id for s in TAXONOMIES.sectors.values() if "low_exposure" in s.tags)
# Countries of standard sensitivity: allies and partners the taxonomy lists no concern for.
LOW_SENSITIVITY = ["FR", "DE", "JP", "US", "DK", "FO", "NO", "IE", "NL", "CA", "AU", "NZ", "KR", "IN", "BR"]

# Each optional field with its most favourable recorded value.
FAVOURABLE: dict[tuple[str, ...], Any] = {
    ("lead", "international_team_fte"): 5,
    ("lead", "has_international_strategy"): True,
    ("lead", "due_diligence"): ids("due_diligence"),
    ("lead", "approval"): "cabinet",
    ("partner", "state_linked"): False,
    ("partner", "parent"): "Example Parent Holdings",
    ("partner", "parent_country"): "GB",
    ("value_gbp",): 0,
    ("term_years",): 3,
    ("binding",): False,
    ("published",): True,
    ("objectives_defined",): True,
    ("review_date",): date(2099, 1, 1),
}
OPTIONAL = sorted(FAVOURABLE)


def rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


def tiers(python_engine: Engine, durable_engine: Engine, data: dict[str, Any]) -> list[str]:
    return [e.screen(copy.deepcopy(data), as_of=AS_OF).tier for e in (python_engine, durable_engine)]


def without(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    target.pop(path[-1], None)
    return out


def recorded(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = FAVOURABLE[path]
    return out


@st.composite
def civic_links(draw: st.DrawFn) -> dict[str, Any]:
    """A civic or cultural link with a low-sensitivity country; optional fields drawn or left out."""
    data: dict[str, Any] = {
        "id": "CIVIC-1",
        "lead": {"name": "Lead", "type": draw(st.sampled_from(ids("lead_types")))},
        "partner": {
            "name": "Partner",
            "type": draw(st.sampled_from(ids("partner_types"))),
            "country": draw(st.sampled_from(LOW_SENSITIVITY)),
        },
        "agreement_type": draw(st.sampled_from(CIVIC_AGREEMENTS)),
        "sectors": draw(st.lists(st.sampled_from(LOW_EXPOSURE_SECTORS), min_size=1, max_size=3, unique=True)),
    }
    # Any recorded value of an optional field, as long as it adds no stake (no money, not binding).
    choices: dict[tuple[str, ...], st.SearchStrategy[Any]] = {
        ("lead", "international_team_fte"): st.integers(0, 10),
        ("lead", "has_international_strategy"): st.booleans(),
        ("lead", "due_diligence"): st.lists(st.sampled_from(ids("due_diligence")), unique=True),
        ("lead", "approval"): st.sampled_from(ids("approval_levels")),
        ("partner", "state_linked"): st.booleans(),
        ("partner", "parent"): st.just("Example Parent Holdings"),
        ("partner", "parent_country"): st.sampled_from(LOW_SENSITIVITY),
        ("value_gbp",): st.just(0),
        ("term_years",): st.sampled_from([1, 3, 10]),
        ("binding",): st.just(False),
        ("published",): st.just(True),
        ("objectives_defined",): st.booleans(),
        ("review_date",): st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    }
    for path, strategy in choices.items():
        if draw(st.booleans()):
            target = data
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = draw(strategy)
    return data


@SETTINGS
@given(civic_links())
def test_a_civic_link_with_a_low_sensitivity_country_is_autonomy(
    python_engine: Engine, durable_engine: Engine, data: dict[str, Any]
) -> None:
    assert tiers(python_engine, durable_engine, data) == ["autonomy", "autonomy"], data


@SETTINGS
@given(engagements(), st.sampled_from(OPTIONAL))
def test_leaving_an_optional_field_out_is_never_worse_than_its_best_value(
    python_engine: Engine, durable_engine: Engine, data: dict[str, Any], path: tuple[str, ...]
) -> None:
    absent = tiers(python_engine, durable_engine, without(data, path))
    best = tiers(python_engine, durable_engine, recorded(data, path))
    assert absent[0] == absent[1] and best[0] == best[1]
    assert rank(absent[0]) <= rank(best[0]), (path, data)
