from __future__ import annotations

import pycountry

from riskscreen.inputs.regions import _all_subdivisions, is_region_code


def test_the_region_table_is_pycountrys_subdivisions() -> None:
    expected: dict[str, dict[str, str]] = {}
    for sub in pycountry.subdivisions:
        names = expected.setdefault(str(sub.country_code), {})
        names[str(sub.code).casefold()] = str(sub.code)
        names[str(sub.name).casefold()] = str(sub.code)
    assert _all_subdivisions() == expected


def test_region_codes() -> None:
    assert is_region_code("GB-MAN")
    assert is_region_code("UA-43")
    assert not is_region_code("GB-XXX")
    assert not is_region_code("XX-01")
