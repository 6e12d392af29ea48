"""Normalising partner countries to ISO 3166 alpha-2 codes with pycountry.

Accepted: alpha-2 and alpha-3 codes, pycountry's names (name, common and official names, the
"Korea, Republic of" forms turned round, and the same names without accents), and the aliases
kept in the taxonomies (``countries.yaml`` and ``synonyms.yaml``). Suggestions never name the
same country twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import pycountry
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from unidecode import unidecode

from riskscreen.inputs.suggest import MAX_EDITS, MAX_SUGGEST_LENGTH, SUGGESTIONS

# Codes in common use that ISO 3166-1 has not (yet) assigned; pycountry does not carry them.
USER_ASSIGNED = {"XK": ("Kosovo", "XKX")}
FUZZY_CUTOFF = 80.0


def _variants(name: str) -> set[str]:
    """A pycountry name as people write it: 'Korea, Republic of' -> 'Republic of Korea'."""
    found = {name}
    if ", " in name:
        head, _, tail = name.partition(", ")
        found.add(f"{tail} {head}")
    if " (" in name and name.endswith(")"):
        head, _, inner = name[:-1].partition(" (")
        found.update((head, inner))
    if name.lower().startswith("the "):
        found.add(name[4:])
    found.update({unidecode(n) for n in found})
    return found


def iso_codes() -> frozenset[str]:
    """Every alpha-2 code the resolver knows, without building a resolver."""
    return frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(USER_ASSIGNED)


class CountryResolver:
    """Resolves codes, names and aliases to alpha-2 codes, and suggests for the rest."""

    def __init__(
        self,
        aliases: Mapping[str, str],
        suggest_only: Iterable[tuple[str, str, str | None]] = (),
    ) -> None:
        self._names: dict[str, str] = {}
        self.display: dict[str, str] = {}
        for country in pycountry.countries:
            code = country.alpha_2
            self.display[code] = getattr(country, "common_name", None) or country.name
            self._names[country.alpha_2.casefold()] = code
            self._names[country.alpha_3.casefold()] = code
            for attribute in ("name", "common_name", "official_name"):
                name = getattr(country, attribute, None)
                for variant in _variants(name) if name else ():
                    self._names.setdefault(variant.casefold(), code)
        for code, (name, alpha_3) in USER_ASSIGNED.items():
            self.display[code] = name
            for key in (code, alpha_3, name):
                self._names[key.casefold()] = code
        for alias, code in aliases.items():
            for variant in _variants(alias):
                self._names[variant.casefold()] = code
        # names that are not (only) a country: suggest, never accept
        self._suggest_only = {
            name.casefold(): (code, note) for name, code, note in suggest_only
        }
        self._long_names = sorted(n for n in self._names if len(n) > 3)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.display)

    def resolve(self, value: str) -> str | None:
        """The alpha-2 code for ``value``, or None when nothing matches exactly."""
        return self._resolve(value.strip().casefold())

    @lru_cache(maxsize=4096)  # noqa: B019 - resolvers live as long as their taxonomies
    def _resolve(self, key: str) -> str | None:
        return self._names.get(key) or self._names.get(unidecode(key))

    def suggestion_codes(self, value: str) -> list[str]:
        """Codes for the countries ``value`` most likely means, best first, each once."""
        key = value.strip().casefold()
        if not key or len(key) > MAX_SUGGEST_LENGTH:
            return []
        codes: list[str] = []
        if key in self._suggest_only:  # a deliberate entry, not a spelling guess
            return [self._suggest_only[key][0]]
        plain = unidecode(key)
        by_edits = sorted(
            (Levenshtein.distance(plain, name, score_cutoff=MAX_EDITS), name)
            for name in self._long_names
        )
        codes.extend(self._names[name] for edits, name in by_edits if edits <= MAX_EDITS)
        if len(plain) > 3:
            for name, _score, _index in process.extract(
                plain, self._long_names, scorer=fuzz.WRatio, limit=10, score_cutoff=FUZZY_CUTOFF
            ):
                codes.append(self._names[name])
        unique: list[str] = []
        for code in codes:
            if code not in unique:
                unique.append(code)
        return unique[:SUGGESTIONS]

    def suggestions(self, value: str) -> list[str]:
        return [f"'{code}' ({self.name(code)})" for code in self.suggestion_codes(value)]

    def note(self, value: str) -> str | None:
        found = self._suggest_only.get(value.strip().casefold())
        return found[1] if found else None

    def name(self, code: str) -> str:
        return self.display.get(code, code)
