"""What each engagement field means, for templates, the JSON Schema and ``riskscreen init``.

Every field of the input models must be explained here or by its pydantic ``description``
(a test checks this), so a new field cannot reach the template unexplained.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from riskscreen.models.engagement import Engagement, Lead, Partner, Waiver

FIELD_HELP: dict[str, str] = {
    "id": "Required. Your reference for this engagement; unique within a register.",
    "title": "A short title, as the committee paper would put it.",
    "lead": "Required. The UK side: your organisation.",
    "lead.name": "Required. Name of the UK organisation leading the engagement.",
    "lead.type": "Required. Kind of UK organisation.",
    "lead.international_team_fte": "Staff (full-time equivalent) working on international links.",
    "lead.has_international_strategy": "true if the organisation has an adopted international strategy.",
    "lead.due_diligence": "Due-diligence checks already completed (list).",
    "lead.approval": "The governance level that approved, or will approve, the engagement.",
    "partner": "Required. The overseas partner.",
    "partner.name": "Required. The partner's name as it appears on the agreement.",
    "partner.type": "Required. Kind of partner organisation.",
    "partner.country": (
        "Required. The partner's country: ISO 3166 alpha-2 (FR) or alpha-3 (FRA) code or English "
        "name (France). List: riskscreen vocab countries."
    ),
    "partner.region": (
        "The partner's region within its country (ISO 3166-2 code or name), where it matters — "
        "for example a region another state controls."
    ),
    "partner.parent_country": "The country of the partner's ultimate owner, if different.",
    "partner.state_linked": "true if a foreign state is known to own or control the partner.",
    "partner.parent": "The partner's ultimate owner, if any (also screened against watchlists).",
    "partner.aliases": "Other names the partner trades under (also screened against watchlists).",
    "agreement_type": "Required. Kind of agreement.",
    "sectors": "Required. Every sector the engagement touches (list, at least one).",
    "value_gbp": "Money involved, in pounds (0 if none).",
    "term_years": "How long the agreement runs, in years.",
    "binding": "true if the agreement is legally binding (the agreement type's default otherwise).",
    "involves": "What the engagement involves beyond the sectors (list; may be empty).",
    "published": "true if the agreement will be published.",
    "objectives_defined": "true if the engagement has clear objectives and measures of success.",
    "review_date": "When the agreement will next be reviewed (YYYY-MM-DD).",
    "notes": "Free text for the reviewer.",
    "waivers": "Accepted risks recorded by a reviewer (usually kept in a waivers file instead).",
    "waivers.engagement_id": "The engagement the waiver covers (inline waivers: this one).",
    "waivers.rule_id": "The rule waived (all findings of the engagement when omitted).",
    "waivers.reason": "Required. Why the risk is accepted.",
    "waivers.approved_by": "Required. Who accepted it.",
    "waivers.expires": "Required. When the waiver lapses (YYYY-MM-DD).",
}

NESTED: dict[str, type[BaseModel]] = {"lead": Lead, "partner": Partner, "waivers": Waiver}


def field_paths() -> list[str]:
    """Every dotted field path of the input contract, in model order."""
    paths: list[str] = []
    for name in Engagement.model_fields:
        paths.append(name)
        nested = NESTED.get(name)
        if nested is not None:
            paths.extend(f"{name}.{sub}" for sub in nested.model_fields)
    return paths


def _field_info(path: str) -> Any:
    head, _, tail = path.partition(".")
    if tail:
        return NESTED[head].model_fields[tail]
    return Engagement.model_fields[head]


def field_help(path: str) -> str:
    """The meaning of a field: from this table, else from the model's own description."""
    return FIELD_HELP.get(path) or _field_info(path).description or ""


def is_required(path: str) -> bool:
    return bool(_field_info(path).is_required())
