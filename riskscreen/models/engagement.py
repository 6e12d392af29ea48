"""The public input contract: one proposed engagement (DESIGN.md, "Engagement input").

Vocabulary ids are checked against the loaded taxonomies, which the loader passes in the
validation context as ``{"taxonomies": Taxonomies}``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from riskscreen.inputs.suggest import did_you_mean
from riskscreen.models.base import StrictModel

if TYPE_CHECKING:
    from riskscreen.inputs.taxonomy import Taxonomies


def _taxonomies(info: ValidationInfo) -> Taxonomies | None:
    context = info.context or {}
    return context.get("taxonomies")


def check_id(value: str, vocabulary: str, info: ValidationInfo, index: int | None = None) -> str:
    """Raise a 'vocabulary' error with a suggestion when ``value`` is not a known id."""
    taxonomies = _taxonomies(info)
    if taxonomies is None:
        return value
    valid = taxonomies.ids(vocabulary)
    if value not in valid:
        raise PydanticCustomError(
            "vocabulary",
            "unknown {vocabulary} id",
            {
                "vocabulary": vocabulary,
                "reason": f"unknown {vocabulary.replace('_', ' ')} id",
                "suggestion": did_you_mean(value, valid, vocabulary),
                "value": value,
                "index": index,
            },
        )
    return value


def check_ids(values: list[str], vocabulary: str, info: ValidationInfo) -> list[str]:
    for index, value in enumerate(values):
        check_id(value, vocabulary, info, index)
    if len(set(values)) != len(values):
        raise ValueError("lists the same id more than once")
    return values


class Lead(StrictModel):
    name: str = Field(min_length=1)
    type: str
    international_team_fte: float | None = Field(default=None, ge=0)
    has_international_strategy: bool | None = None
    due_diligence: list[str] = Field(default_factory=list)
    approval: str | None = None

    @field_validator("type")
    @classmethod
    def _type(cls, value: str, info: ValidationInfo) -> str:
        return check_id(value, "lead_types", info)

    @field_validator("due_diligence")
    @classmethod
    def _due_diligence(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return check_ids(value, "due_diligence", info)

    @field_validator("approval")
    @classmethod
    def _approval(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else check_id(value, "approval_levels", info)


def _unknown_country(taxonomies: Taxonomies, value: str) -> PydanticCustomError:
    close = taxonomies.country_resolver.suggestions(value)
    return PydanticCustomError(
        "vocabulary",
        "unknown country",
        {
            "reason": "unknown country (use an ISO 3166 alpha-2 or alpha-3 code, or the English name)",
            "suggestion": ("did you mean " + " or ".join(close) + "?") if close else None,
        },
    )


class Partner(StrictModel):
    name: str = Field(min_length=1)
    type: str
    country: str
    # ISO 3166-2 region (code or name); matters where another state controls the region.
    region: str | None = None
    state_linked: bool | None = None
    parent: str | None = None
    # Country of the ultimate owner; the partner is screened as that country too.
    parent_country: str | None = None
    aliases: list[str] = Field(default_factory=list)

    @field_validator("parent_country")
    @classmethod
    def _parent_country(cls, value: str | None, info: ValidationInfo) -> str | None:
        taxonomies = _taxonomies(info)
        if value is None or taxonomies is None:
            return value
        code = taxonomies.country_resolver.resolve(value)
        if code is None:
            raise _unknown_country(taxonomies, value)
        return code

    @model_validator(mode="after")
    def _region(self, info: ValidationInfo) -> Partner:
        taxonomies = _taxonomies(info)
        if self.region is None or taxonomies is None:
            return self
        code = taxonomies.region_resolver.resolve(self.region, self.country)
        if code is None:
            examples = taxonomies.region_resolver.suggestions(self.country)
            raise PydanticCustomError(
                "vocabulary",
                "unknown region for the partner's country",
                {
                    "reason": f"unknown region for country {self.country} (use an ISO 3166-2 code or the region's name)",
                    "suggestion": ("for example " + ", ".join(examples)) if examples else None,
                },
            )
        self.region = code
        return self

    @field_validator("type")
    @classmethod
    def _type(cls, value: str, info: ValidationInfo) -> str:
        return check_id(value, "partner_types", info)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str, info: ValidationInfo) -> str:
        taxonomies = _taxonomies(info)
        if taxonomies is None:
            return value
        code = taxonomies.country_resolver.resolve(value)
        if code is None:
            raise _unknown_country(taxonomies, value)
        return code


class Waiver(StrictModel):
    """An accepted risk: a reviewer's decision to let a result through, with a reason and an expiry."""

    engagement_id: str | None = None
    rule_id: str | None = None
    reason: str = Field(min_length=3)
    approved_by: str = Field(min_length=2)
    expires: date


class Engagement(StrictModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    id: str = Field(min_length=1, max_length=200)
    title: str | None = None
    lead: Lead
    partner: Partner
    agreement_type: str
    sectors: list[str] = Field(min_length=1)
    value_gbp: float | None = Field(default=None, ge=0)
    term_years: float | None = Field(default=None, gt=0)
    binding: bool | None = None
    involves: list[str] = Field(default_factory=list)
    published: bool | None = None
    objectives_defined: bool | None = None
    review_date: date | None = None
    notes: str | None = None
    waivers: list[Waiver] = Field(default_factory=list)

    @field_validator("agreement_type")
    @classmethod
    def _agreement_type(cls, value: str, info: ValidationInfo) -> str:
        return check_id(value, "agreement_types", info)

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return check_ids(value, "sectors", info)

    @field_validator("involves")
    @classmethod
    def _involves(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return check_ids(value, "involves", info)


ENGAGEMENT_FIELDS: tuple[str, ...] = tuple(Engagement.model_fields)


def engagement_field_names() -> list[str]:
    """Every dotted field name an engagement accepts (for CSV headers and suggestions)."""
    names: list[str] = []
    for name, info in Engagement.model_fields.items():
        nested: Any = info.annotation
        if nested in (Lead, Partner):
            names.extend(f"{name}.{sub}" for sub in nested.model_fields)
        else:
            names.append(name)
    return names
