"""The watchlist entry and hit models."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from unidecode import unidecode

from riskscreen.inputs.countries import CountryResolver

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")

# Everyday names official lists use where ISO 3166 differs ("Russia" for "Russian Federation").
COUNTRY_ALIASES: dict[str, str] = {
    "Russia": "RU",
    "Iran": "IR",
    "Syria": "SY",
    "North Korea": "KP",
    "South Korea": "KR",
    "Korea (North)": "KP",
    "DPRK": "KP",
    "Venezuela": "VE",
    "Bolivia": "BO",
    "Tanzania": "TZ",
    "Vietnam": "VN",
    "Laos": "LA",
    "Moldova": "MD",
    "Turkey": "TR",
    "Czech Republic": "CZ",
    "Burma": "MM",
    "Congo (Democratic Republic)": "CD",
    "Democratic Republic of the Congo": "CD",
    "UK": "GB",
    "United States of America": "US",
    "USA": "US",
    "Taiwan": "TW",
    "Palestine": "PS",
    "Kosovo": "XK",
    "Ivory Coast": "CI",
    "Macau": "MO",
    "Hong Kong": "HK",
}

_RESOLVER: CountryResolver | None = None


def _resolver() -> CountryResolver:
    global _RESOLVER  # built once: pycountry's tables are large
    if _RESOLVER is None:
        _RESOLVER = CountryResolver(COUNTRY_ALIASES)
    return _RESOLVER


def slugify(name: str) -> str:
    """A stable id from a name: 'Huawei Technologies Co., Ltd.' → 'huawei-technologies-co-ltd'."""
    slug = _SLUG_JUNK.sub("-", unidecode(name).casefold()).strip("-")
    return slug or "entry"


def normalise_country(value: str) -> str:
    """ISO 3166 alpha-2 for a code or English name (XK for Kosovo); ValueError otherwise."""
    code = _resolver().resolve(value)
    if code is None:
        hints = _resolver().suggestions(value)
        hint = f"; did you mean {' or '.join(hints)}?" if hints else ""
        raise ValueError(f"unknown country {value!r}, expected an ISO 3166 alpha-2 code{hint}")
    return code


class WatchlistEntry(BaseModel):
    """One listed organisation (or person, when imported on request) with its names and tags."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=200)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    tags: list[str] = Field(default_factory=list)
    source: str = Field(min_length=1)
    as_of: date | None = None
    name_types: dict[str, str] = Field(default_factory=dict)
    notes: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("id") is None and isinstance(data.get("name"), str):
            data = {**data, "id": slugify(data["name"])}
        return data

    @field_validator("name", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, values: list[str]) -> list[str]:
        cleaned = [" ".join(v.split()) for v in values]
        if any(not v for v in cleaned):
            raise ValueError("aliases must not be blank")
        return list(dict.fromkeys(cleaned))

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else normalise_country(value)

    @model_validator(mode="after")
    def _name_types_refer_to_names(self) -> WatchlistEntry:
        known = {self.name, *self.aliases}
        for key in self.name_types:
            if key not in known:
                raise ValueError(f"name_types key {key!r} is neither the name nor an alias")
        return self

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class WatchlistHit(BaseModel):
    """One input name matched to one watchlist entry, with the evidence for the score."""

    model_config = ConfigDict(frozen=True)

    entry_id: str
    entry_name: str
    matched_name: str
    input_field: str
    input_name: str
    normalised_input: str
    normalised_match: str
    score: float = Field(ge=0.0, le=1.0)
    parts: dict[str, float]
    threshold: float
    tags: list[str]
    source: str
    via_parent: bool
    country: str | None
    explanation: str

    @property
    def is_match(self) -> bool:
        return self.score >= self.threshold
