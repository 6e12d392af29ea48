"""The neutral engagement and summaries that rule examples are laid over.

A finding rule's example is a partial engagement laid over :data:`BASE_EXAMPLE` (a neutral,
low-risk engagement that fires no finding rule in the default pack). Keys set to ``null``
remove the base value. A proportionality rule's example is a partial summary fact laid over
the neutral summary in :data:`SUMMARY_DEFAULTS`. The rule tester and the engine's load-time
proof (selfcheck.py) both build example facts from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskscreen.inputs.overlay import overlay

BASE_EXAMPLE: dict[str, Any] = {
    "id": "EXAMPLE",
    "title": "Example engagement",
    "lead": {
        "name": "Example City Council",
        "type": "local_authority",
        "international_team_fte": 2,
        "has_international_strategy": True,
        "due_diligence": ["sanctions", "ownership", "financial", "reputational", "legal"],
        "approval": "committee",
    },
    "partner": {"name": "Ville Exemple", "type": "city_government", "country": "FR"},
    "agreement_type": "cultural_exchange",
    "sectors": ["culture"],
    "value_gbp": 0,
    "term_years": 3,
    "binding": False,
    "published": True,
    "objectives_defined": True,
    "review_date": "2027-06-30",
}

SUMMARY_DEFAULTS: dict[str, dict[str, Any]] = {
    "risk_type": {
        "kind": "risk_type",
        "risk_type": "geopolitical",
        "finding_count": 0,
        "max_impact_rank": 0,
        "max_likelihood_rank": 0,
        "max_severity": 0,
        "max_called_tier": "autonomy",
        "max_called_tier_rank": 0,
        "amplified": False,
    },
    "screening": {
        "kind": "screening",
        "finding_count": 0,
        "max_called_tier": "autonomy",
        "max_called_tier_rank": 0,
        "legal_bar": False,
        "amplifier": False,
        "amplifier_count": 0,
        "high_severity_types": 0,
        "medium_severity_types": 0,
        "risk_types_present": [],
        "exposure_rank": 1,
    },
}


def engagement_example(example: Mapping[str, Any]) -> dict[str, Any]:
    """A finding rule's example as a whole engagement mapping (not yet validated)."""
    return overlay(BASE_EXAMPLE, dict(example))


def summary_example(subject: str, example: Mapping[str, Any]) -> dict[str, Any]:
    """A proportionality rule's example as a whole summary fact of its subject."""
    return {**SUMMARY_DEFAULTS[subject], **dict(example)}
