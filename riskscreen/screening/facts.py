"""Enrichment: one validated engagement plus the taxonomies and watchlist hits -> a flat fact.

The fact is flat (no nesting), typed, and every key is listed in facts_catalogue. Optional
inputs the user left out stay ``None`` (absent), so rules can tell "false" from "not said".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from riskscreen.inputs.taxonomy import Taxonomies
from riskscreen.models.engagement import Engagement

SENSITIVITY_NAMES = {1: "low", 2: "moderate", 3: "high"}
STATE_LINK_TAGS = frozenset({"state_linked", "state_owned"})
# "Money above a stated threshold" (rules/README.md, Policy 1): the point at which a sum is at stake.
SIGNIFICANT_VALUE_GBP = 100_000
# Tags of involves flags that put something at stake: access to assets or data, money or equity.
STAKE_INVOLVES_TAGS = frozenset({"security_exposure", "financial_exposure"})
# Tags of agreement types whose substance (not their form) is a transaction or a data flow.
STAKE_AGREEMENT_TAGS = frozenset({"commercial", "data_flow"})
GOVERNMENT_PARTNER_TAGS = frozenset({"sub_national_government", "state_body"})


class HitLike(Protocol):
    @property
    def tags(self) -> list[str]: ...

    @property
    def via_parent(self) -> bool: ...


def screened_names(engagement: Engagement) -> list[tuple[str, str]]:
    """The partner names to check against watchlists, labelled with their input field."""
    names = [("partner.name", engagement.partner.name)]
    if engagement.partner.parent:
        names.append(("partner.parent", engagement.partner.parent))
    names.extend(
        (f"partner.aliases[{i}]", alias) for i, alias in enumerate(engagement.partner.aliases)
    )
    return names


def _tags(entries: Sequence[Any]) -> list[str]:
    return sorted({tag for entry in entries for tag in entry.tags})


def build_fact(
    engagement: Engagement, taxonomies: Taxonomies, hits: Sequence[HitLike], as_of: date
) -> dict[str, Any]:
    """The engagement fact rules are matched against."""
    lead, partner = engagement.lead, engagement.partner
    partner_type = taxonomies.partner_types[partner.type]
    agreement = taxonomies.agreement_types[engagement.agreement_type]
    sectors = [taxonomies.sectors[s] for s in engagement.sectors]
    involves = [taxonomies.involves[i] for i in engagement.involves]
    screened = screened_countries(engagement, taxonomies)
    sensitivity = max(
        (taxonomies.country_sensitivity(code) for code, _ in screened), key=lambda s: s.rank
    )
    country_tags = sorted(
        {
            reason.tag
            for code, _ in screened
            for reason in (taxonomies.countries[code].reasons if code in taxonomies.countries else [])
        }
    )
    territory = taxonomies.territories.get(partner.region) if partner.region else None
    parent_sensitivity = (
        taxonomies.country_sensitivity(partner.parent_country) if partner.parent_country else None
    )
    watch_tags = sorted({tag for hit in hits for tag in hit.tags})

    sector_rank = max(s.sensitivity.rank for s in sectors)
    exposure_rank = max(
        sector_rank,
        agreement.sensitivity.rank,
        *(i.sensitivity.rank for i in involves),
    )
    binding = engagement.binding if engagement.binding is not None else agreement.binding_default
    state_linked = bool(
        partner.state_linked
        or partner_type.state_linked_default
        or STATE_LINK_TAGS & set(watch_tags)
    )
    review = engagement.review_date
    # Substance, not form (Policy 1): a transaction or data flow, money, or access/data/IP/equity.
    # Neither the agreement's form, nor a sector, nor binding terms alone are a stake.
    substantive = bool(
        STAKE_AGREEMENT_TAGS & set(agreement.tags)
        or (engagement.value_gbp or 0) >= SIGNIFICANT_VALUE_GBP
        or any(STAKE_INVOLVES_TAGS & set(i.tags) for i in involves)
    )
    fact: dict[str, Any] = {
        "kind": "engagement",
        "lead_type": lead.type,
        "lead_international_team_fte": lead.international_team_fte,
        "lead_has_international_strategy": lead.has_international_strategy,
        "lead_due_diligence": sorted(lead.due_diligence),
        "lead_due_diligence_recorded": bool(lead.due_diligence),
        "lead_approval": lead.approval,
        "lead_approval_rank": taxonomies.approval_levels[lead.approval].rank
        if lead.approval
        else None,
        "partner_type": partner.type,
        "partner_type_tags": sorted(partner_type.tags),
        "partner_country": partner.country,
        "partner_state_linked": partner.state_linked,
        "partner_state_linked_effective": state_linked,
        "partner_has_parent": bool(partner.parent),
        "partner_region": partner.region,
        "region_controlled_by": territory.controlled_by if territory else None,
        "region_control": territory.control if territory else None,
        "occupation_authority": _occupation_authority(engagement, partner_type.tags, territory),
        "parent_country": partner.parent_country,
        "parent_country_sensitivity_rank": parent_sensitivity.rank if parent_sensitivity else None,
        "countries_screened": [f"{code} ({why})" for code, why in screened],
        "country_sensitivity": sensitivity.value,
        "country_sensitivity_rank": sensitivity.rank,
        "country_tags": country_tags,
        "agreement_type": engagement.agreement_type,
        "agreement_tags": sorted(agreement.tags),
        "agreement_sensitivity_rank": agreement.sensitivity.rank,
        "sectors": sorted(engagement.sectors),
        "sector_tags": _tags(sectors),
        "sector_max_sensitivity_rank": sector_rank,
        "nsi_areas": sorted({s.nsi_area for s in sectors if s.nsi_area}),
        "involves": sorted(engagement.involves),
        "involves_tags": _tags(involves),
        "substantive": substantive,
        "exposure": SENSITIVITY_NAMES[exposure_rank],
        "exposure_rank": exposure_rank,
        "value_gbp": engagement.value_gbp,
        "term_years": engagement.term_years,
        "binding": binding,
        "published": engagement.published,
        "objectives_defined": engagement.objectives_defined,
        "has_review_date": review is not None,
        "review_date_passed": review is not None and review < as_of,
        "review_due_within_90_days": review is not None and 0 <= (review - as_of).days <= 90,
        "watchlist_hit": bool(hits),
        "watchlist_tags": watch_tags,
        "watchlist_via_parent": any(hit.via_parent for hit in hits),
    }
    return fact


def _occupation_authority(
    engagement: Engagement, partner_tags: Sequence[str], territory: Any
) -> bool:
    """A government body in a region another state controls, acting for the controlling state."""
    if territory is None or not GOVERNMENT_PARTNER_TAGS & set(partner_tags):
        return False
    return bool(
        territory.control == "full" or engagement.partner.country == territory.controlled_by
    )


def screened_countries(engagement: Engagement, taxonomies: Taxonomies) -> list[tuple[str, str]]:
    """Every country the partner is screened as, with why: its own, the controlling state of a
    region under another state's control, and its owner's country (Policy 7 and 9)."""
    partner = engagement.partner
    screened = [(partner.country, "partner country")]
    territory = taxonomies.territories.get(partner.region) if partner.region else None
    if territory is not None and (
        territory.control == "full" or partner.country == territory.controlled_by
    ):
        screened.append((territory.controlled_by, f"controls region {territory.region}"))
    if partner.parent_country:
        screened.append((partner.parent_country, "via parent"))
    seen: set[str] = set()
    unique = []
    for code, why in screened:
        if code not in seen:
            seen.add(code)
            unique.append((code, why))
    return unique


def input_values(engagement: Engagement) -> dict[str, Any]:
    """Dotted input path -> the value the user gave (for evidence)."""
    data = engagement.model_dump(mode="json", exclude={"waivers"})
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                flat[f"{key}.{sub}"] = sub_value
        else:
            flat[key] = value
    return flat
