"""One case test per example engagement: the tier and the exact set of risk types with findings.

Each docstring says why an international-relations officer and a national reviewer would agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from riskscreen.inputs.loading import load_engagement_file
from riskscreen.screening.engine import Engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = date(2026, 11, 22)


def outcome(engine: Engine, name: str) -> tuple[str, set[str], set[str]]:
    engagement = load_engagement_file(EXAMPLES / name, engine.taxonomies)
    result = engine.screen(engagement, as_of=AS_OF)
    return result.tier, {f.risk_type for f in result.findings}, {f.rule_id for f in result.findings}


def test_edinburgh_kaohsiung(engine: Engine) -> None:
    """A friendship agreement with a Taiwanese city government: symbolic, but with a government of
    contested status — the seed's own example of a link that drew the UK into a dispute. Both would
    refer it to the DDU/FCDO before going further (alignment); the media profile is noted."""
    tier, types, rules = outcome(engine, "edinburgh-kaohsiung.yaml")
    assert tier == "alignment"
    assert types == {"geopolitical", "political", "institutional"}
    assert "geo_contested_sovereignty_government" in rules


def test_victoria_belt_and_road(engine: Engine) -> None:
    """An MoU with China's national planning body endorsing the Belt and Road and covering transport and
    digital infrastructure: a sensitive state, a state partner and critical infrastructure — exactly what
    Australia's federal government cancelled. Alignment."""
    tier, types, rules = outcome(engine, "victoria-belt-and-road.yaml")
    assert tier == "alignment"
    assert types == {"geopolitical", "political", "security", "institutional"}
    assert {
        "geo_state_linked_partner",
        "sec_critical_infrastructure",
        "geo_mission_creep_cause",
    } <= rules


def test_sheffield_sichuan_guodong(engine: Engine) -> None:
    """A £1bn investment framework with a Chinese construction firm, with only sanctions screening done:
    substantive engagement with a sensitive country (alignment) plus the commercial findings the seed
    draws from the case (large value, no ownership or financial checks, an investor whose deal was withdrawn)."""
    tier, types, rules = outcome(engine, "sheffield-sichuan-guodong.yaml")
    assert tier == "alignment"
    assert types == {"geopolitical", "commercial", "political", "institutional"}
    assert {
        "com_large_value",
        "com_investment_without_ownership_checks",
        "com_withdrawn_investor",
    } <= rules


def test_digital_infrastructure_low_cost_offer(engine: Engine) -> None:
    """Digital infrastructure financed at minimal upfront cost, with network access and exclusivity, taken
    by an officer with no team or checks: alignment whoever the investor is, and the institutional
    findings explain why the council cannot judge it alone."""
    tier, types, rules = outcome(engine, "digital-infrastructure-low-cost-offer.yaml")
    assert tier == "alignment"
    assert types == {"commercial", "security", "political", "institutional"}
    assert {"com_low_cost_financing", "sec_critical_infrastructure", "inst_no_approval"} <= rules


def test_huawei_5g_partnership(engine: Engine) -> None:
    """A smart-city 5G partnership with Huawei: a named state-linked actor and a restricted telecoms vendor
    with access to networks and data. Alignment, not stop — Huawei is restricted, not designated."""
    tier, types, rules = outcome(engine, "huawei-5g-partnership.yaml")
    assert tier == "alignment"
    assert types == {"geopolitical", "security", "institutional"}
    assert {
        "sec_restricted_telecoms_vendor",
        "geo_watchlist_state_linked",
        "sec_state_linked_access",
    } <= rules


def test_greater_manchester_osaka(engine: Engine) -> None:
    """A sister-city agreement with an allied city on climate, manufacturing, education and culture, well
    governed: within local autonomy. Member travel to sign it is noted, not escalated."""
    tier, types, rules = outcome(engine, "greater-manchester-osaka.yaml")
    assert tier == "autonomy"
    assert types == {"political"}
    assert rules == {"pol_member_travel_or_mission"}


def test_derbyshire_toyota_city(engine: Engine) -> None:
    """The Toyota City Partnership Board: an allied city, a formal governance framework and funding to 2028.
    The seed's model of good practice; nothing to flag."""
    tier, types, _ = outcome(engine, "derbyshire-toyota-city.yaml")
    assert tier == "autonomy"
    assert types == set()


def test_birmingham_frankfurt(engine: Engine) -> None:
    """A twinning with a German city that produced the Frankfurt Christmas Market: cultural exchange with an
    ally is where the Commission wants flexibility. Autonomy with no findings."""
    tier, types, _ = outcome(engine, "birmingham-frankfurt.yaml")
    assert tier == "autonomy"
    assert types == set()


def test_birmingham_nanjing_is_advice_not_alignment(engine: Engine) -> None:
    """A cultural sister-city link with a Chinese city and no economic substance: ask the FCDO about
    sensitivities (advice). Sending it to national alignment would be the over-flagging the Commission warns of."""
    tier, types, rules = outcome(engine, "birmingham-nanjing.yaml")
    assert tier == "advice"
    assert types == {"geopolitical"}
    assert rules == {"geo_seed_named_sensitive_symbolic"}


def test_dundee_palestine_recognition(engine: Engine) -> None:
    """A friendship link with the State of Palestine, with recognition language, screened today: the UK
    Government recognised Palestine in 2025, so the recognition no longer contradicts national policy — it is a
    position on a cause in a live conflict, with a state body of a high-sensitivity country. Advice (FCDO),
    not alignment; the missing objectives and capacity are noted."""
    tier, types, rules = outcome(engine, "dundee-palestine-recognition.yaml")
    assert tier == "advice"
    assert types == {"geopolitical", "political", "institutional"}
    assert "geo_recognition_consistent_with_uk_policy" in rules
    assert "geo_mission_creep_recognition" not in rules


def test_council_motion_recognising_taiwan(engine: Engine) -> None:
    """A friendship agreement with a Taiwanese city government that calls Taiwan a sovereign state: an
    agreement with a government the UK does not recognise, with recognition language — alignment."""
    tier, _types, rules = outcome(engine, "council-motion-recognising-taiwan.yaml")
    assert tier == "alignment"
    assert {
        "geo_mission_creep_recognition",
        "geo_contested_sovereignty_statement",
        "geo_contested_sovereignty_government",
    } <= rules


def test_birmingham_russian_city(engine: Engine) -> None:
    """A Russian sister city today: severe sensitivity, FIRS enhanced tier, sanctions regime and the war.
    Birmingham severed the link; the screen says refer before any contact continues (alignment). It is not
    stop: a city government is not a designated person."""
    tier, types, rules = outcome(engine, "birmingham-russian-city.yaml")
    assert tier == "alignment"
    assert types == {"geopolitical", "institutional"}
    assert {"geo_severe_country", "geo_firs_enhanced_tier", "geo_sanctions_regime_country"} <= rules


def test_university_ai_research_collaboration(engine: Engine) -> None:
    """Joint AI research with IP transfer and co-funding with a university in China: a partner of concern
    plus sensitive science is high risk (alignment, RCAT and ECJU), however good the governance."""
    tier, types, rules = outcome(engine, "university-ai-research-collaboration.yaml")
    assert tier == "alignment"
    assert types == {"geopolitical", "security", "commercial"}
    assert "sec_sensitive_technology_partner_of_concern" in rules


def test_designated_partner_needs_the_watchlist_to_stop(
    engine: Engine, designated_engine: Engine
) -> None:
    """A supply contract with a (fictional) designated company in Russia. With the designation on a watchlist
    it is a likely legal bar (stop); without it the country alone gives alignment — stop comes only from a
    designation match."""
    tier, types, rules = outcome(designated_engine, "designated-partner.yaml")
    assert tier == "stop"
    assert types == {"geopolitical", "institutional"}
    assert "geo_sanctions_designation_match" in rules
    tier_without, _, rules_without = outcome(engine, "designated-partner.yaml")
    assert tier_without == "alignment"
    assert "geo_sanctions_designation_match" not in rules_without


def test_occupation_authority_in_donetsk(engine: Engine) -> None:
    """A 'friendship' renewal proposed by the Russian-installed administration of occupied Donetsk, recorded
    with the controlling state as the country and the region UA-14: dealing with an occupation authority is at
    least alignment, and it is screened as Russia (broad sanctions regime, FIRS enhanced tier) too."""
    tier, types, rules = outcome(engine, "donetsk-occupation-authority.yaml")
    assert tier == "alignment"
    assert {"geo_occupation_authority", "geo_sanctions_broad_state_body", "geo_severe_country"} <= rules
    assert "geopolitical" in types


def test_zaporizhzhia_humanitarian_partnership_is_advice(engine: Engine) -> None:
    """Birmingham's humanitarian partnership with the government-controlled city of Zaporizhzhia: the oblast
    is partly occupied, so the FCDO and OFSI should confirm where the partner works and how money moves
    (advice) — but a Ukrainian city council is not an occupation authority, so not alignment."""
    tier, types, rules = outcome(engine, "zaporizhzhia-humanitarian-partnership.yaml")
    assert tier == "advice"
    assert types == {"geopolitical"}
    assert rules == {"geo_active_conflict", "geo_region_under_foreign_control"}


def test_port_stake_to_a_sovereign_wealth_fund(engine: Engine) -> None:
    """A 30% stake in a port company sold to a Gulf sovereign wealth fund: an acquisition of control in the
    NSI Act's Transport area (mandatory notification) and foreign ownership of critical infrastructure —
    alignment, although the UAE is a country of standard sensitivity."""
    tier, types, rules = outcome(engine, "port-stake-sovereign-wealth-fund.yaml")
    assert tier == "alignment"
    assert types == {"security", "commercial"}
    assert {"sec_nsi_mandatory_area", "sec_critical_infrastructure"} <= rules


def test_hikvision_cctv_procurement(engine: Engine) -> None:
    """Town-centre cameras bought from Hikvision: a named state-linked vendor restricted on sensitive
    government sites, handling personal data — alignment (buying cameras from an allied vendor would not be)."""
    tier, _types, rules = outcome(engine, "hikvision-cctv-procurement.yaml")
    assert tier == "alignment"
    assert {"sec_restricted_surveillance_vendor", "geo_watchlist_state_linked"} <= rules
    assert "sec_critical_infrastructure" not in rules


def test_battery_research_with_a_chinese_owned_subsidiary(engine: Engine) -> None:
    """A battery-materials MoU with IP transfer, with a German company owned from China: screened as China
    too (via parent), so advanced materials with a research-security partner of concern — alignment; the
    ownership check the lead did not make is advice."""
    tier, _types, rules = outcome(engine, "battery-research-chinese-owned-subsidiary.yaml")
    assert tier == "alignment"
    assert {
        "geo_owner_in_sensitive_country",
        "sec_sensitive_technology_partner_of_concern",
        "inst_no_ownership_check",
    } <= rules


def test_hong_kong_dual_use_supply(engine: Engine) -> None:
    """Dual-use drone components to Hong Kong: the UK has applied its China arms embargo to Hong Kong since
    2020 — alignment, with ECJU's licence question first."""
    tier, _types, rules = outcome(engine, "hong-kong-drone-components.yaml")
    assert tier == "alignment"
    assert {"sec_arms_embargo_destination", "sec_dual_use", "geo_china_sar"} <= rules


def test_parish_council_french_twinning_with_required_fields_only(engine: Engine) -> None:
    """A busy parish clerk fills in only the required fields of a French twinning: nothing is at stake, so
    nothing not recorded can raise the tier — autonomy, with checklist notes only."""
    tier, types, rules = outcome(engine, "parish-council-french-twinning.yaml")
    assert tier == "autonomy"
    assert types <= {"political", "institutional"}
    assert not any(r.startswith(("inst_no_sanctions", "inst_no_approval", "inst_checks")) for r in rules)
