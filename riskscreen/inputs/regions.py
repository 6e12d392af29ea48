"""Resolving ``partner.region`` to an ISO 3166-2 code with pycountry and the territories taxonomy.

A region is accepted when it belongs to the partner's country, or when the territories taxonomy
says the partner's country controls it (an authority installed by the controlling state).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pycountry

from riskscreen.models.taxonomy import TerritoryEntry


@lru_cache(maxsize=1)
def _all_subdivisions() -> dict[str, dict[str, str]]:
    """Country code -> (casefolded code and name -> ISO 3166-2 code), built once from pycountry.

    Read from the JSON file behind ``pycountry.subdivisions``: pycountry would first make an
    object and index entries for each of its ~5,000 subdivisions, which is a tenth of a
    screening's start-up; the country is the code's prefix, as pycountry derives it.
    """
    database = pycountry.subdivisions
    with Path(database.filename).open(encoding="utf-8") as stream:
        entries = json.load(stream)[database.root_key]
    table: dict[str, dict[str, str]] = {}
    for entry in entries:
        code = str(entry["code"])
        names = table.setdefault(code.split("-")[0], {})
        names[code.casefold()] = code
        names[str(entry["name"]).casefold()] = code
    return table


def _subdivisions(country: str) -> dict[str, str]:
    return _all_subdivisions().get(country, {})


def is_region_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-2 subdivision code pycountry knows."""
    return code.casefold() in _subdivisions(code.split("-")[0])


class RegionResolver:
    def __init__(self, territories: dict[str, TerritoryEntry]) -> None:
        self.territories = territories
        self._aliases: dict[str, str] = {}
        for code, entry in territories.items():
            for name in (code, entry.name, *entry.aliases):
                self._aliases[name.casefold()] = code

    def resolve(self, value: str, country: str) -> str | None:
        """The ISO 3166-2 code of ``value`` for a partner in ``country``, or None."""
        key = value.strip().casefold()
        code = self._aliases.get(key) or _subdivisions(country).get(key)
        if code is None:
            # A code or name of a region the partner's country controls elsewhere.
            for entry in self.territories.values():
                if entry.controlled_by == country:
                    code = code or _subdivisions(entry.country).get(key)
        if code is None:
            return None
        territory = self.territories.get(code)
        if code.split("-")[0] == country or (
            territory is not None and territory.controlled_by == country
        ):
            return code
        return None

    def suggestions(self, country: str) -> list[str]:
        """A few valid region codes for the partner's country (for error messages)."""
        return sorted(set(_subdivisions(country).values()))[:6]
