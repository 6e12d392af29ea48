"""The public input contract: validation, vocabularies with suggestions, countries."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen import Engine
from riskscreen.errors import InputError
from riskscreen.inputs.loading import load_engagement_file

from .helpers import engagement


def problems(engine: Engine, data: dict[str, object]) -> list[str]:
    with pytest.raises(InputError) as caught:
        engine.validate(data, source="e.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("given", "code"),
    [("GB", "GB"), ("gbr", "GB"), ("United Kingdom", "GB"), ("TW", "TW"), ("Taiwan", "TW"),
     ("PS", "PS"), ("Palestine", "PS"), ("XK", "XK"), ("Kosovo", "XK"), ("XKX", "XK"),
     ("Russian Federation", "RU"), ("Russia", "RU"), ("China", "CN"), ("DEU", "DE"), ("Japan", "JP")],
)
def test_countries_are_normalised_to_alpha_2(engine: Engine, given: str, code: str) -> None:
    assert engine.validate(engagement(partner={"country": given})).partner.country == code


def test_unknown_country_suggests_the_nearest(engine: Engine) -> None:
    [message] = problems(engine, engagement(partner={"country": "Germny"}))
    assert message.startswith("e.yaml, field 'partner.country': unknown country")
    assert "(got 'Germny')" in message
    assert "did you mean 'DE' (Germany)? list every country with: riskscreen vocab countries" in message


def test_unknown_vocabulary_id_suggests_the_nearest(engine: Engine) -> None:
    [message] = problems(engine, engagement(agreement_type="twining"))
    assert message == (
        "e.yaml, field 'agreement_type': unknown agreement type id (got 'twining'); did you mean "
        "'twinning'? (all 18 agreement types: riskscreen vocab agreement_types)"
    )


def test_unknown_sector_in_a_list_names_the_index(engine: Engine) -> None:
    [message] = problems(engine, engagement(sectors=["culture", "enrgy"]))
    assert message.startswith("e.yaml, field 'sectors[1]': unknown sector id (got 'enrgy'); did you mean 'energy'")


def test_unknown_field_suggests_the_valid_one(engine: Engine) -> None:
    [message] = problems(engine, engagement(partner={"contry": "FR"}))
    assert message.startswith("e.yaml, field 'partner.contry': unknown field; did you mean 'country'")


def test_wrong_type_is_reported_with_the_value(engine: Engine) -> None:
    [message] = problems(engine, engagement(value_gbp="lots"))
    assert message == "e.yaml, field 'value_gbp': Input should be a valid number, unable to parse string as a number (got 'lots')"


def test_every_problem_is_reported(engine: Engine) -> None:
    found = problems(engine, engagement(agreement_type="x_y", term_years=-1, lead={"type": "council"}))
    assert [m.split(":")[0] for m in found] == [
        "e.yaml, field 'lead.type'", "e.yaml, field 'agreement_type'", "e.yaml, field 'term_years'"
    ]


def test_missing_required_field(engine: Engine) -> None:
    data = engagement()
    del data["partner"]
    assert problems(engine, data) == ["e.yaml, field 'partner': required field is missing"]


def test_duplicate_list_entries_are_refused(engine: Engine) -> None:
    [message] = problems(engine, engagement(sectors=["culture", "culture"]))
    assert message.startswith("e.yaml, field 'sectors': lists the same id more than once")


def test_file_errors_carry_the_line(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mou.yaml"
    path.write_text(
        "id: A\nlead: {name: L, type: local_authority}\npartner:\n  name: P\n  type: city_government\n"
        "  country: Frnace\nagreement_type: mou\nsectors: [culture]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_engagement_file(path, engine.taxonomies)
    assert str(caught.value).startswith(f"{path}:6, field 'partner.country': unknown country")


def test_a_register_given_to_screen_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text("- id: A\n- id: B\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds a register of engagements; use 'riskscreen check'"):
        load_engagement_file(path, engine.taxonomies)
