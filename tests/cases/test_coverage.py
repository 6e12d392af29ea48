"""Pack-wide coverage: every finding rule fires on some example, the register covers every risk type,
and the YAML and CSV registers hold the same engagements."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from riskscreen.inputs.loading import load_engagement_file
from riskscreen.models.base import RISK_TYPES
from riskscreen.models.engagement import Engagement
from riskscreen.registers import read_register
from riskscreen.screening.engine import Engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = date(2026, 11, 22)
ENGAGEMENT_FILES = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.startswith("register"))


def register(engine: Engine, path: Path) -> list[Engagement]:
    rows = list(read_register(path))
    assert [r.problems for r in rows if r.problems] == []
    return [engine.validate(r.data or {}, source=str(path), row=r.location.row) for r in rows]


def fired_rules(engine: Engine, engagements: list[Engagement]) -> set[str]:
    return {f.rule_id for e in engagements for f in engine.screen(e, as_of=AS_OF).findings}


def test_every_finding_rule_fires_on_an_example(designated_engine: Engine) -> None:
    engine = designated_engine
    engagements = [load_engagement_file(p, engine.taxonomies) for p in ENGAGEMENT_FILES]
    engagements += register(engine, EXAMPLES / "register.yaml")
    all_rules = {loaded.id for loaded in engine.pack.findings}
    assert all_rules - fired_rules(engine, engagements) == set()


def test_register_covers_every_risk_type(engine: Engine) -> None:
    engagements = register(engine, EXAMPLES / "register.yaml")
    types = {f.risk_type for e in engagements for f in engine.screen(e, as_of=AS_OF).findings}
    assert types == set(RISK_TYPES)


def test_register_yaml_and_csv_hold_the_same_engagements(engine: Engine) -> None:
    from_yaml = register(engine, EXAMPLES / "register.yaml")
    from_csv = register(engine, EXAMPLES / "register.csv")
    assert [e.model_dump() for e in from_csv] == [e.model_dump() for e in from_yaml]


def test_register_tiers_with_allies_stay_autonomous(engine: Engine) -> None:
    """Twinning and sister-city links with allies in the register come out autonomy."""
    engagements = register(engine, EXAMPLES / "register.yaml")
    tiers = {e.id: engine.screen(e, as_of=AS_OF).tier for e in engagements}
    allied = [
        "BHM-LYS-1951",
        "BHM-FRA-1966",
        "NOT-GNT",
        "NOT-KAE",
        "LEI-KRE",
        "LEI-SXB",
        "DER-OSN",
        "DERBYS-TOYOTA-1998",
        "NTH-PTS",
        "NTH-MAR",
        "GLA-BER",
        "GLA-PAR",
        "GLA-TYO",
        "GM-OSAKA-2025",
    ]
    assert {i: tiers[i] for i in allied} == dict.fromkeys(allied, "autonomy")
    # Links without substance with Chinese cities, including a non-binding co-operation partnership
    # with no money, data, access or critical technology (BHM-CGQ): FCDO advice, not alignment.
    advice = ["BHM-CAN", "LEI-CKG", "GLA-SHA", "BHM-CGQ"]
    assert {i: tiers[i] for i in advice} == dict.fromkeys(advice, "advice")
    # A twinning with the Minsk City Executive Committee is a formal link with a government body of a
    # broad-regime country (Belarus): alignment, twinning or not.
    alignment = ["GLA-MOW", "NOT-MSQ", "LDS-THORPE-JV"]
    assert {i: tiers[i] for i in alignment} == dict.fromkeys(alignment, "alignment")


def test_every_nsi_area_is_reachable(engine: Engine) -> None:
    areas = {s.nsi_area for s in engine.taxonomies.sectors.values() if s.nsi_area}
    assert len(areas) == 17
    assert all("nsi_mandatory" in s.tags for s in engine.taxonomies.sectors.values() if s.nsi_area)
