"""Models for ``taxonomies/synonyms.yaml``: words people write for vocabulary ids and countries."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from riskscreen.models.base import StrictModel
from riskscreen.models.taxonomy import ID_PATTERN


class SynonymEntry(StrictModel):
    """Words that should suggest ``ids`` (in order; ids the directory lacks are skipped)."""

    ids: list[str] = Field(min_length=1)
    words: list[str] = Field(min_length=1)
    source: str = Field(min_length=3)


class CountryAlias(StrictModel):
    """A country name pycountry does not carry, with where the name comes from."""

    name: str = Field(min_length=2)
    code: str = Field(pattern=r"^[A-Z]{2}$")
    source: str = Field(min_length=3)
    suggest_only: bool = False
    note: str | None = None


class SynonymsFile(StrictModel):
    as_of: date | None = None
    description: str = ""
    vocabularies: dict[str, list[SynonymEntry]] = Field(default_factory=dict)
    countries: list[CountryAlias] = Field(default_factory=list)


__all__ = ["ID_PATTERN", "CountryAlias", "SynonymEntry", "SynonymsFile"]
