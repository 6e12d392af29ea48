"""Hypothesis strategies for valid engagements over the bundled vocabularies."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from riskscreen.inputs.resources import bundled_dir
from riskscreen.inputs.taxonomy import load_taxonomies
from riskscreen.watchlist import load_watchlists

TAXONOMIES = load_taxonomies(bundled_dir("taxonomies"))


def ids(vocabulary: str) -> list[str]:
    return sorted(TAXONOMIES.ids(vocabulary))


# Listed countries (sensitive ones) are over-represented so sensitive paths are exercised.
COUNTRIES = [*sorted(TAXONOMIES.countries), "FR", "JP", "DE", "US", "IN", "BR", "NG"]
WATCHLIST_NAMES = sorted({entry.name for entry in load_watchlists(bundled_dir("taxonomies")).entries})
SECTORS = ids("sectors")
INVOLVES = ids("involves")


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def engagements(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": draw(st.from_regex(r"[A-Z]{3}-[0-9]{1,4}", fullmatch=True)),
        "lead": {
            "name": "Lead",
            "type": draw(st.sampled_from(ids("lead_types"))),
            "international_team_fte": draw(optional(st.integers(0, 20))),
            "has_international_strategy": draw(optional(st.booleans())),
            "due_diligence": draw(st.lists(st.sampled_from(ids("due_diligence")), unique=True)),
            "approval": draw(optional(st.sampled_from(ids("approval_levels")))),
        },
        "partner": {
            "name": draw(st.sampled_from(["Partner City", "Acme Holdings", *WATCHLIST_NAMES])),
            "type": draw(st.sampled_from(ids("partner_types"))),
            "country": draw(st.sampled_from(COUNTRIES)),
            "state_linked": draw(optional(st.booleans())),
        },
        "agreement_type": draw(st.sampled_from(ids("agreement_types"))),
        "sectors": draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=4, unique=True)),
        "involves": draw(st.lists(st.sampled_from(INVOLVES), max_size=4, unique=True)),
        "value_gbp": draw(optional(st.sampled_from([0, 5000, 250000, 999999, 1000000, 5e7, 1e9]))),
        "term_years": draw(optional(st.sampled_from([1, 3, 5, 10, 25]))),
        "binding": draw(optional(st.booleans())),
        "published": draw(optional(st.booleans())),
        "objectives_defined": draw(optional(st.booleans())),
        "review_date": draw(optional(st.dates(date(2025, 1, 1), date(2028, 12, 31)))),
    }
    return _without_none(data)


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _without_none(v) if isinstance(v, dict) else v for k, v in data.items() if v is not None}
