"""The facts rules can test: names, types, vocabularies and the input each comes from.

Three kinds of fact exist. ``engagement`` facts describe one proposed engagement after
enrichment; ``risk_type`` and ``screening`` facts summarise the findings for the
proportionality stage. Rules naming a fact that is not listed here fail to load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FactType = Literal["string", "number", "bool", "list"]


@dataclass(frozen=True)
class FactSpec:
    type: FactType
    description: str
    vocabulary: str | None = None
    inputs: tuple[str, ...] = ()


E = FactSpec
ENGAGEMENT_FACTS: dict[str, FactSpec] = {
    "lead_type": E("string", "Kind of UK lead", "lead_types", ("lead.type",)),
    "lead_international_team_fte": E(
        "number", "International team size (FTE)", None, ("lead.international_team_fte",)
    ),
    "lead_has_international_strategy": E(
        "bool", "Lead has an international strategy", None, ("lead.has_international_strategy",)
    ),
    "lead_due_diligence": E(
        "list", "Due-diligence checks completed", "due_diligence", ("lead.due_diligence",)
    ),
    "lead_due_diligence_recorded": E(
        "bool",
        "At least one due-diligence check is recorded (an empty list reads as not recorded)",
        None,
        ("lead.due_diligence",),
    ),
    "lead_approval": E(
        "string", "Governance approval level", "approval_levels", ("lead.approval",)
    ),
    "lead_approval_rank": E(
        "number", "Rank of the approval level (0 none … 3 cabinet/board)", None, ("lead.approval",)
    ),
    "partner_type": E("string", "Kind of partner", "partner_types", ("partner.type",)),
    "partner_type_tags": E(
        "list", "Tags of the partner type", "partner_type_tags", ("partner.type",)
    ),
    "partner_country": E(
        "string", "Partner country (ISO alpha-2)", "countries", ("partner.country",)
    ),
    "partner_state_linked": E(
        "bool", "Declared control by a foreign state", None, ("partner.state_linked",)
    ),
    "partner_state_linked_effective": E(
        "bool",
        "State-linked by declaration, by partner type, or by a state_linked/state_owned watchlist match",
        None,
        ("partner.state_linked", "partner.type", "partner.name", "partner.parent"),
    ),
    "partner_has_parent": E("bool", "An ultimate owner is named", None, ("partner.parent",)),
    "partner_region": E(
        "string", "Partner region (ISO 3166-2 code)", None, ("partner.region",)
    ),
    "region_controlled_by": E(
        "string",
        "The state that controls the partner's region, when another state does (territories.yaml)",
        "countries",
        ("partner.region",),
    ),
    "region_control": E(
        "string", "Whether that state controls the region in full or in part", None, ("partner.region",)
    ),
    "occupation_authority": E(
        "bool",
        "A government body in a region another state controls, acting for the controlling state",
        None,
        ("partner.type", "partner.country", "partner.region"),
    ),
    "parent_country": E(
        "string", "Country of the partner's ultimate owner", "countries", ("partner.parent_country",)
    ),
    "parent_country_sensitivity_rank": E(
        "number",
        "Sensitivity of the owner's country (0 standard … 3 severe)",
        None,
        ("partner.parent_country",),
    ),
    "countries_screened": E(
        "list",
        "Every country the partner is screened as, and why (own country, controlling state, via parent)",
        None,
        ("partner.country", "partner.region", "partner.parent_country"),
    ),
    "country_sensitivity": E(
        "string",
        "Highest sensitivity of the countries screened",
        "country_sensitivity",
        ("partner.country", "partner.region", "partner.parent_country"),
    ),
    "country_sensitivity_rank": E(
        "number",
        "Highest sensitivity of the countries screened (0 standard … 3 severe)",
        None,
        ("partner.country", "partner.region", "partner.parent_country"),
    ),
    "country_tags": E(
        "list",
        "Tagged reasons of every country screened (own, controlling state, owner's)",
        "country_tags",
        ("partner.country", "partner.region", "partner.parent_country"),
    ),
    "agreement_type": E("string", "Kind of agreement", "agreement_types", ("agreement_type",)),
    "agreement_tags": E(
        "list", "Tags of the agreement type", "agreement_type_tags", ("agreement_type",)
    ),
    "agreement_sensitivity_rank": E(
        "number", "Agreement-type sensitivity (1 low … 3 high)", None, ("agreement_type",)
    ),
    "sectors": E("list", "Sectors", "sectors", ("sectors",)),
    "sector_tags": E("list", "Tags of all sectors", "sector_tags", ("sectors",)),
    "sector_max_sensitivity_rank": E(
        "number", "Highest sector sensitivity (1 low … 3 high)", None, ("sectors",)
    ),
    "nsi_areas": E("list", "NSI Act mandatory areas the sectors fall in", None, ("sectors",)),
    "involves": E("list", "What the engagement involves", "involves", ("involves",)),
    "involves_tags": E("list", "Tags of the involves flags", "involves_tags", ("involves",)),
    "substantive": E(
        "bool",
        "Substance, not form: a commercial or data agreement, £100,000 or more, or access, data, IP, "
        "money or equity involved",
        None,
        ("agreement_type", "value_gbp", "involves"),
    ),
    "exposure": E(
        "string",
        "Overall exposure: highest of sector, agreement and involves sensitivity",
        "exposure",
        ("sectors", "agreement_type", "involves"),
    ),
    "exposure_rank": E(
        "number",
        "Overall exposure (1 low … 3 high)",
        None,
        ("sectors", "agreement_type", "involves"),
    ),
    "value_gbp": E("number", "Value in pounds", None, ("value_gbp",)),
    "term_years": E("number", "Term in years", None, ("term_years",)),
    "binding": E(
        "bool",
        "Legally binding (declared, or the agreement type's default)",
        None,
        ("binding", "agreement_type"),
    ),
    "published": E("bool", "The agreement will be published", None, ("published",)),
    "objectives_defined": E(
        "bool", "Clear objectives and measures of success", None, ("objectives_defined",)
    ),
    "has_review_date": E("bool", "A review date is set", None, ("review_date",)),
    "review_date_passed": E(
        "bool", "The review date is before the screening date", None, ("review_date",)
    ),
    "review_due_within_90_days": E(
        "bool", "The review date falls within 90 days of the screening date", None, ("review_date",)
    ),
    "watchlist_hit": E(
        "bool",
        "The partner or its parent matched a watchlist entry",
        None,
        ("partner.name", "partner.parent", "partner.aliases"),
    ),
    "watchlist_tags": E(
        "list",
        "Tags of the matched watchlist entries",
        "watchlist_tags",
        ("partner.name", "partner.parent", "partner.aliases"),
    ),
    "watchlist_via_parent": E(
        "bool",
        "A watchlist match came through the parent (ownership chain)",
        None,
        ("partner.parent",),
    ),
}

R = FactSpec
RISK_TYPE_FACTS: dict[str, FactSpec] = {
    "risk_type": R("string", "The risk type summarised", "risk_types"),
    "finding_count": R("number", "Findings of this type"),
    "max_impact_rank": R("number", "Highest impact (1 low … 3 high)"),
    "max_likelihood_rank": R("number", "Highest likelihood (1 low … 3 high)"),
    "max_severity": R("number", "Highest impact × likelihood (1 … 9)"),
    "max_called_tier": R("string", "Highest tier a finding of this type calls for", "tiers"),
    "max_called_tier_rank": R("number", "Rank of that tier (0 autonomy … 3 stop)"),
    "amplified": R("bool", "The institutional amplifier applies to this (non-institutional) type"),
}

SCREENING_FACTS: dict[str, FactSpec] = {
    "finding_count": R("number", "All findings"),
    "max_called_tier": R("string", "Highest tier any finding calls for", "tiers"),
    "max_called_tier_rank": R("number", "Rank of that tier (0 autonomy … 3 stop)"),
    "legal_bar": R("bool", "A finding identifies a likely legal bar (calls for stop)"),
    "amplifier": R("bool", "An institutional amplifier finding is present"),
    "amplifier_count": R("number", "Institutional amplifier findings"),
    "high_severity_types": R("number", "Non-institutional risk types with severity ≥ 6"),
    "medium_severity_types": R("number", "Non-institutional risk types with severity ≥ 3"),
    "risk_types_present": R("list", "Risk types with at least one finding", "risk_types"),
    "exposure_rank": R("number", "Overall exposure of the engagement (1 low … 3 high)"),
}

CATALOGUES: dict[str, dict[str, FactSpec]] = {
    "engagement": ENGAGEMENT_FACTS,
    "risk_type": RISK_TYPE_FACTS,
    "screening": SCREENING_FACTS,
}

MAX_FACT_WIDTH = 200  # durable-rules rejects facts wider than 255 properties
assert all(len(c) + 4 < MAX_FACT_WIDTH for c in CATALOGUES.values())
