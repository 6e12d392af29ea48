"""Every mistake reported once, in one run, with the right suggestion: exact CLI output.

The three engagements in data/newcomer/ are what a new officer wrote from the README alone
(a town-council twinning renewal, a university battery-research MoU, a combined authority
selling a port stake to a Gulf sovereign wealth fund).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskscreen.screening.engine import Engine
from tests.authoring.conftest import DATA, Invoke, no_traceback

LEAD_TYPES = ("lead types: strategic_authority, local_authority, university, growth_company, "
              "cultural_institution, business_body, other")
SECTORS = "(all {n} sectors: riskscreen vocab sectors)"
AGREEMENTS = "(all 18 agreement types: riskscreen vocab agreement_types)"
DUE_DILIGENCE = ("due-diligence checks: sanctions, ownership, financial, reputational, legal, security, "
                 "data_protection")


def _run(invoke: Invoke, tmp_path: Path, name: str) -> list[str]:
    shutil.copy(DATA / "newcomer" / name, tmp_path / name)
    result = invoke("screen", name, "-o", "report.txt")
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert not (tmp_path / "report.txt").exists()
    lines = result.stderr.splitlines()
    suggestions = [line.split("; ", 1)[-1] for line in lines]
    assert all(s.count("did you mean") <= 1 for s in suggestions)
    return lines


def test_twinning_renewal_every_mistake_in_one_run(invoke: Invoke, tmp_path: Path, engine: Engine) -> None:
    partner_types = "partner types: " + ", ".join(engine.taxonomies.partner_types)
    sectors = SECTORS.format(n=len(engine.taxonomies.sectors))
    assert _run(invoke, tmp_path, "twinning.yaml") == [
        "Error: twinning.yaml:5, field 'lead.type': unknown lead type id (got 'town_council'); "
        f"did you mean 'local_authority'? {LEAD_TYPES}",
        "Error: twinning.yaml:6, field 'lead.approval': unknown approval level id (got 'full_council'); "
        "did you mean 'committee'? approval levels: none, officer, committee, cabinet, board",
        "Error: twinning.yaml:9, field 'partner.type': unknown partner type id (got 'municipality'); "
        f"did you mean 'city_government'? {partner_types}",
        "Error: twinning.yaml:11, field 'agreement_type': unknown agreement type id (got 'twinning_renewal'); "
        f"did you mean 'twinning'? {AGREEMENTS}",
        f"Error: twinning.yaml:12, field 'sectors[1]': unknown sector id (got 'schools'); did you mean 'education'? {sectors}",
        f"Error: twinning.yaml:12, field 'sectors[2]': unknown sector id (got 'sports'); did you mean 'sport'? {sectors}",
        "Error: twinning.yaml:13, field 'review_date': expected a date written YYYY-MM-DD (got '01/06/2035'); "
        "if you mean 1 June 2035, write 2035-06-01",
    ]


def test_battery_research_mou(invoke: Invoke, tmp_path: Path, engine: Engine) -> None:
    partner_types = "partner types: " + ", ".join(engine.taxonomies.partner_types)
    sectors = SECTORS.format(n=len(engine.taxonomies.sectors))
    involves = f"(all {len(engine.taxonomies.involves)} involves ids: riskscreen vocab involves)"
    # 'Republic of Korea' is accepted: pycountry's 'Korea, Republic of', turned round
    assert _run(invoke, tmp_path, "battery.yaml") == [
        "Error: battery.yaml:6, field 'lead.due_diligence[0]': unknown due-diligence check id "
        f"(got 'trusted_research'); did you mean 'security'? {DUE_DILIGENCE}",
        "Error: battery.yaml:6, field 'lead.due_diligence[2]': unknown due-diligence check id "
        f"(got 'export_control'); {DUE_DILIGENCE}",
        "Error: battery.yaml:9, field 'partner.type': unknown partner type id (got 'research_centre'); "
        f"did you mean 'research_institute'? {partner_types}",
        "Error: battery.yaml:11, field 'agreement_type': unknown agreement type id (got 'research_mou'); "
        f"did you mean 'research_collaboration'? {AGREEMENTS}",
        "Error: battery.yaml:12, field 'sectors[0]': unknown sector id (got 'batteries'); "
        f"did you mean 'energy' or 'advanced_materials'? {sectors}",
        f"Error: battery.yaml:13, field 'involves[0]': unknown involves id (got 'ip'); did you mean 'ip_transfer'? {involves}",
        "Error: battery.yaml:14, field 'review_date': expected a date written YYYY-MM-DD (got '31/03/2029'); "
        "did you mean 2029-03-31?",
    ]


def test_port_stake_sale_to_a_sovereign_wealth_fund(invoke: Invoke, tmp_path: Path, engine: Engine) -> None:
    taxonomies = engine.taxonomies
    partner_types = "partner types: " + ", ".join(taxonomies.partner_types)
    sectors = SECTORS.format(n=len(taxonomies.sectors))
    expected = [
        "Error: port.yaml:5, field 'lead.type': unknown lead type id (got 'mayoral_combined_authority'); "
        f"did you mean 'strategic_authority'? {LEAD_TYPES}",
    ]
    # 'UAE' is accepted (synonyms.yaml). Sovereign wealth funds, ports and logistics get ids of
    # their own in the taxonomies; until then the synonyms point at the nearest existing ids.
    if "sovereign_wealth_fund" not in taxonomies.partner_types:
        expected.append("Error: port.yaml:8, field 'partner.type': unknown partner type id "
                        f"(got 'sovereign_wealth_fund'); did you mean 'state_owned_enterprise'? {partner_types}")
    expected.append("Error: port.yaml:11, field 'agreement_type': unknown agreement type id (got 'stake_sale'); "
                    f"did you mean 'investment'? {AGREEMENTS}")
    if "ports" not in taxonomies.sectors:
        expected.append(f"Error: port.yaml:12, field 'sectors[0]': unknown sector id (got 'ports'); "
                        f"did you mean 'transport'? {sectors}")
    if "logistics" not in taxonomies.sectors:
        expected.append(f"Error: port.yaml:12, field 'sectors[1]': unknown sector id (got 'logistics'); "
                        f"did you mean 'transport'? {sectors}")
    assert _run(invoke, tmp_path, "port.yaml") == expected


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("Holland", "did you mean 'NL' (Netherlands)? North and South Holland are two provinces of the "
                    "Netherlands; list every country with: riskscreen vocab countries"),
        ("Frnace", "did you mean 'FR' (France)? list every country with: riskscreen vocab countries"),
        ("Atlantis", "none is close; list every country with: riskscreen vocab countries"),
    ],
)
def test_country_suggestions_name_each_country_once(
        invoke: Invoke, tmp_path: Path, country: str, expected: str) -> None:
    text = (DATA / "newcomer" / "twinning.yaml").read_text(encoding="utf-8")
    fixed = {"town_council": "local_authority", "full_council": "committee", "municipality": "city_government",
             "twinning_renewal": "twinning", "schools, sports": "education", "01/06/2035": "2035-06-01",
             "France": country}
    for old, new in fixed.items():
        text = text.replace(old, new)
    (tmp_path / "e.yaml").write_text(text, encoding="utf-8")
    result = invoke("screen", "e.yaml")
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: e.yaml:10, field 'partner.country': unknown country (use an ISO 3166 alpha-2 or alpha-3 "
        f"code, or the English name) (got '{country}'); {expected}\n")


@pytest.mark.parametrize(
    "country", ["UAE", "KSA", "South Korea", "Republic of Korea", "Türkiye", "Turkiye", "Ivory Coast",
                "Côte d'Ivoire", "Cape Verde", "DRC"])
def test_common_country_names_are_accepted(engine: Engine, country: str) -> None:
    expected = {"UAE": "AE", "KSA": "SA", "South Korea": "KR", "Republic of Korea": "KR", "Türkiye": "TR",
                "Turkiye": "TR", "Ivory Coast": "CI", "Côte d'Ivoire": "CI", "Cape Verde": "CV", "DRC": "CD"}
    assert engine.taxonomies.country_resolver.resolve(country) == expected[country]


def test_unknown_field_lists_every_valid_field(invoke: Invoke, tmp_path: Path) -> None:
    text = (DATA / "newcomer" / "port.yaml").read_text(encoding="utf-8")
    (tmp_path / "e.yaml").write_text(text + "colour: blue\n", encoding="utf-8")
    result = invoke("screen", "e.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: e.yaml:16, field 'colour': unknown field; valid fields: id, title, lead, partner, "
        "agreement_type, sectors, value_gbp, term_years, binding, involves, published, objectives_defined, "
        "review_date, notes, waivers")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("rules", "test", "geo_sanctions_regime_contry"),
         "Error: no such rule (got 'geo_sanctions_regime_contry'); did you mean 'geo_sanctions_regime_country'? "
         "(all {n} rules: riskscreen rules list)\n"),
        (("rules", "show", "sec_critical_infrastructur"),
         "Error: no such rule (got 'sec_critical_infrastructur'); did you mean 'sec_critical_infrastructure'? "
         "(all {n} rules: riskscreen rules list)\n"),
    ],
)
def test_unknown_rule_ids_exit_2_with_did_you_mean(
        invoke: Invoke, engine: Engine, args: tuple[str, ...], expected: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == expected.format(n=len(engine.pack.all_rules()))


def test_a_200000_character_name_is_refused_at_once(invoke: Invoke, tmp_path: Path) -> None:
    text = (DATA / "newcomer" / "port.yaml").read_text(encoding="utf-8")
    text = text.replace("Gulf Sovereign Investment Fund", "A" * 200_000)
    (tmp_path / "e.yaml").write_text(text, encoding="utf-8")
    result = invoke("screen", "e.yaml")
    no_traceback(result)
    assert result.exit_code == 2
    assert ("Error: e.yaml:7, field 'partner.name': too long: 200,000 characters (limit 300; see docs/limits.md)"
            in result.stderr.splitlines())


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("deep.yaml", "[" * 50_000,
         "Error: deep.yaml:1: invalid YAML: nested more than 20 levels deep (see docs/limits.md)\n"),
        ("deep.json", "[" * 50_000 + "]" * 50_000,
         "Error: deep.json: nested more than 20 levels deep (see docs/limits.md)\n"),
        ("bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)),
         "Error: bomb.yaml:1: invalid YAML: aliases expand the document more than 10 times over "
         "(see docs/limits.md)\n"),
    ],
)
def test_hostile_nesting_is_a_located_error(
        invoke: Invoke, tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    for command in ("screen", "check"):
        result = invoke(command, name)
        no_traceback(result)
        assert result.exit_code == 2
    assert invoke("screen", name).stderr == expected


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_a_long_name_in_a_register_is_a_located_error(invoke: Invoke, tmp_path: Path, suffix: str) -> None:
    name = "A" * 100_000
    if suffix == ".yaml":
        text = ("engagements:\n- id: X-1\n  lead: {name: Council, type: local_authority}\n"
                f"  partner: {{name: {name}, type: private_company, country: FR}}\n"
                "  agreement_type: mou\n  sectors: [culture]\n")
        where = "register.yaml:4"
    else:
        text = ("id,lead.name,lead.type,partner.name,partner.type,partner.country,agreement_type,sectors\n"
                f"X-1,Council,local_authority,{name},private_company,FR,mou,culture\n")
        where = "register.csv: row 2"
    (tmp_path / f"register{suffix}").write_text(text, encoding="utf-8")
    result = invoke("check", f"register{suffix}")
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {where}, field 'partner.name': too long: 100,000 characters "
                             "(limit 300; see docs/limits.md)\n")
