from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from riskscreen.errors import InputError
from riskscreen.watchlist import load_watchlists
from riskscreen.watchlist.importers import (
    ftm_topic_tags,
    import_opensanctions_ftm,
    import_uk_sanctions_csv,
    to_yaml,
    uk_regime_tag,
)

DATA = Path(__file__).resolve().parent / "data"


def test_uk_csv_groups_rows_by_unique_id_entities_only() -> None:
    entries = import_uk_sanctions_csv(DATA / "uk_sanctions_list.csv")
    assert [e.id for e in entries] == ["CYB9002", "IRN9004", "RUS9001"]
    plant = entries[2]
    assert plant.name == "EXAMPLE DEFENCE PLANT"
    assert plant.aliases == ["EXAMPLE DEFENCE PLANT JSC", "EDP", "ПРИМЕРНЫЙ ОБОРОННЫЙ ЗАВОД"]
    assert plant.name_types == {
        "EXAMPLE DEFENCE PLANT": "Primary Name",
        "EXAMPLE DEFENCE PLANT JSC": "Primary Name Variation",
        "EDP": "Alias",
        "ПРИМЕРНЫЙ ОБОРОННЫЙ ЗАВОД": "Non-Latin script",
    }
    assert plant.tags == ["sanctioned", "regime_russia"]
    assert plant.source == "UK Sanctions List (FCDO), Russia"
    assert plant.country == "RU"
    assert plant.as_of == date(2026, 3, 16)  # the report date on line 1
    shipping = entries[1]
    assert shipping.tags == ["sanctioned", "regime_iran_nuclear", "regime_other"]
    assert shipping.source == "UK Sanctions List (FCDO), Iran (Nuclear); Some New Regime"


def test_uk_csv_people_on_request() -> None:
    entries = import_uk_sanctions_csv(DATA / "uk_sanctions_list.csv", include_individuals=True)
    person = next(e for e in entries if e.id == "GHR9003")
    assert person.name == "John Q EXAMPLE-PERSON"
    assert person.tags == ["sanctioned", "regime_global_human_rights"]


def test_uk_csv_missing_column_is_located() -> None:
    with pytest.raises(InputError) as caught:
        import_uk_sanctions_csv(DATA / "uk_sanctions_missing_column.csv")
    assert str(caught.value).endswith(
        "uk_sanctions_missing_column.csv:2: missing column(s) 'Regime Name'; "
        "is this the UK Sanctions List CSV?"
    )


def test_uk_csv_without_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.csv:1: not a UK Sanctions List CSV"):
        import_uk_sanctions_csv(path)


@pytest.mark.parametrize(
    ("regime", "tag"),
    [
        ("Russia", "regime_russia"),
        ("Iran", "regime_iran"),
        ("Iran (Nuclear)", "regime_iran_nuclear"),
        ("Guinea-Bissau", "regime_guinea_bissau"),
        ("Guinea", "regime_guinea"),
        ("South Sudan", "regime_south_sudan"),
        ("Global Human Rights", "regime_global_human_rights"),
        ("Counter-Terrorism (International)", "regime_counter_terrorism"),
        ("ISIL (Da'esh) and Al-Qaida", "regime_isil_al_qaida"),
        ("Democratic People's Republic of Korea", "regime_dprk"),
        ("Atlantis", "regime_other"),
    ],
)
def test_regime_table(regime: str, tag: str) -> None:
    assert uk_regime_tag(regime) == tag


def test_ftm_import_maps_topics_and_skips_other_schemas() -> None:
    entries = import_opensanctions_ftm(DATA / "entities.ftm.json")
    assert [e.id for e in entries] == ["NK-fict1", "NK-public", "Q9999991"]
    company = entries[0]
    assert company.name == "Fictional Trading House LLC"
    assert company.aliases == ["FTH", "ООО Фиктивный Торговый Дом"]
    assert company.tags == ["sanctioned", "state_owned"]
    assert company.country == "RU"
    assert company.source == "OpenSanctions (gb_fcdo_sanctions, eu_fsf)"
    assert company.as_of == date(2026, 2, 1)
    assert entries[1].country == "XK"
    assert entries[1].tags == ["state_linked"]
    assert entries[2].tags == ["military_linked", "export_controlled", "crime"]


def test_ftm_people_on_request() -> None:
    entries = import_opensanctions_ftm(DATA / "entities.ftm.json", include_individuals=True)
    assert "NK-person" in [e.id for e in entries]


def test_ftm_bad_json_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        import_opensanctions_ftm(DATA / "broken.ftm.json")
    assert "broken.ftm.json:2: invalid JSON" in str(caught.value)


def test_topic_table() -> None:
    assert ftm_topic_tags(["sanction", "sanction.linked", "gov.muni", "role.rca", "poi"]) == [
        "sanctioned",
        "sanction_linked",
        "state_linked",
        "pep_associate",
    ]


def test_yaml_output_is_sorted_deterministic_and_loadable(
    tmp_path: Path, taxonomy_copy: Path
) -> None:
    entries = import_uk_sanctions_csv(DATA / "uk_sanctions_list.csv")
    text = to_yaml(reversed(entries), "test")
    assert text == to_yaml(entries, "test")
    data = yaml.safe_load(text)
    assert [e["id"] for e in data["entries"]] == ["CYB9002", "IRN9004", "RUS9001"]
    path = tmp_path / "uk.yaml"
    path.write_text(text, encoding="utf-8")
    matcher = load_watchlists(taxonomy_copy, [path])
    hits = matcher.screen([("partner.name", "Example Defence Plant Ltd")])
    assert [(h.entry_id, h.tags) for h in hits] == [("RUS9001", ["sanctioned", "regime_russia"])]
    ftm = tmp_path / "ftm.yaml"
    ftm.write_text(to_yaml(import_opensanctions_ftm(DATA / "entities.ftm.json"), "t"), "utf-8")
    assert len(load_watchlists(taxonomy_copy, [path, ftm]).entries) == 6
