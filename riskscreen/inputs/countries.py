"""Normalising partner countries to ISO 3166 alpha-2 codes with pycountry."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from riskscreen.inputs.suggest import nearest

# Codes in common use that ISO 3166-1 has not (yet) assigned; pycountry does not carry them.
USER_ASSIGNED = {"XK": ("Kosovo", "XKX")}


class CountryResolver:
    """Resolves alpha-2, alpha-3 and English names (plus taxonomy aliases) to alpha-2 codes."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self._names: dict[str, str] = {}
        self.display: dict[str, str] = {}
        for country in pycountry.countries:
            code = country.alpha_2
            self.display[code] = getattr(country, "common_name", None) or country.name
            for name in (
                country.alpha_2,
                country.alpha_3,
                country.name,
                getattr(country, "common_name", None),
                getattr(country, "official_name", None),
            ):
                if name:
                    self._names[name.casefold()] = code
        for code, (name, alpha_3) in USER_ASSIGNED.items():
            self.display[code] = name
            for key in (code, alpha_3, name):
                self._names[key.casefold()] = code
        for alias, code in aliases.items():
            self._names[alias.casefold()] = code

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.display)

    def resolve(self, value: str) -> str | None:
        """The alpha-2 code for ``value``, or None when nothing matches exactly."""
        return self._resolve(value.strip().casefold())

    @lru_cache(maxsize=4096)  # noqa: B019 - resolvers live as long as their taxonomies
    def _resolve(self, key: str) -> str | None:
        return self._names.get(key)

    def suggestions(self, value: str) -> list[str]:
        names = {name: code for name, code in self._names.items() if len(name) > 3}
        return [f"{names[n]} ({self.display[names[n]]})" for n in nearest(value.casefold(), names)]

    def name(self, code: str) -> str:
        return self.display.get(code, code)
