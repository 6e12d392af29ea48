"""Models for the YAML vocabularies in ``taxonomies/``."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from riskscreen.models.base import CountrySensitivity, Sensitivity, StrictModel

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


SOURCE_KEY_PATTERN = r"^[a-z][a-z0-9-]*$"


class Reference(StrictModel):
    """A citation: a bibliography key (``taxonomies/sources.yaml``), the section relied on, a note.

    ``title``, ``author``, ``year`` and ``url`` are filled in from the bibliography when the pack
    is loaded, so every loaded reference carries what a reader needs to find the document.
    """

    source: str = Field(min_length=3)
    section: str | None = None
    note: str | None = None
    title: str | None = None
    author: str | None = None
    year: int | None = None
    url: str | None = None

    def citation(self) -> str:
        """``Title (year), section — URL``; the bare key when the reference is unresolved."""
        text = self.title or self.source
        if self.year is not None:
            text += f" ({self.year})"
        if self.section:
            text += f", {self.section}"
        if self.url:
            text += f" — {self.url}"
        return text


class SourceEntry(StrictModel):
    """One document of the bibliography."""

    key: str = Field(pattern=SOURCE_KEY_PATTERN)
    title: str = Field(min_length=3)
    author: str = Field(min_length=2)
    year: int | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")
    sections: str = Field(min_length=3)
    note: str | None = None

    def resolve(self, reference: Reference) -> Reference:
        return reference.model_copy(
            update={"title": self.title, "author": self.author, "year": self.year, "url": self.url}
        )


class VocabEntry(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    label: str
    description: str = ""


class RiskTypeEntry(VocabEntry):
    primary_source: str
    typical_trigger: str
    actors_exposed: str
    manifestation: str
    impact_profile: str
    amplifies_others: bool = False
    references: list[Reference] = Field(min_length=1)


class TierEntry(VocabEntry):
    meaning: str
    next_steps: str


class TaggedEntry(VocabEntry):
    sensitivity: Sensitivity
    tags: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)


class SectorEntry(TaggedEntry):
    nsi_area: str | None = None


class AgreementTypeEntry(TaggedEntry):
    binding_default: bool = False


class PartnerTypeEntry(TaggedEntry):
    state_linked_default: bool = False


class InvolvesEntry(TaggedEntry):
    pass


class LeadTypeEntry(VocabEntry):
    pass


class DueDiligenceEntry(VocabEntry):
    pass


class ApprovalEntry(VocabEntry):
    rank: int = Field(ge=0)


class TagEntry(VocabEntry):
    applies_to: list[Literal["country", "sector", "agreement_type", "partner_type", "involves"]]


class CountryReason(StrictModel):
    tag: str
    note: str
    source: Reference


class TerritoryEntry(StrictModel):
    """An ISO 3166-2 region that another state controls in whole or in part."""

    region: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    controlled_by: str = Field(pattern=r"^[A-Z]{2}$")
    control: Literal["full", "partial"]
    source: Reference


class CountryEntry(StrictModel):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    sensitivity: CountrySensitivity
    reasons: list[CountryReason] = Field(min_length=1)


class EscalationBody(VocabEntry):
    name: str
    kind: Literal["national", "internal", "proposed"]
    ask: str
    when: Literal["before_negotiation", "before_signing"]
    contact: str
    interim: str | None = None
    references: list[Reference] = Field(default_factory=list)


class ChecklistItem(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    text: str
    source: Reference
    done_when: dict[str, Any]
    applies_when: dict[str, Any] | None = None


class VocabularyFile(StrictModel):
    """Common envelope of a taxonomy file: when it was last checked and its entries."""

    as_of: date | None = None
    description: str = ""
    entries: list[dict[str, Any]]


class CountriesFile(StrictModel):
    as_of: date | None = None
    description: str = ""
    default_sensitivity: CountrySensitivity = CountrySensitivity.standard
    aliases: dict[str, str] = Field(default_factory=dict)
    entries: list[dict[str, Any]]
