"""The public input contract: one proposed engagement (DESIGN.md, "Engagement input").

Vocabulary ids are checked against the loaded taxonomies, which the loader passes in the
validation context as ``{"taxonomies": Taxonomies}``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from riskscreen.inputs.dates import parse_date_text
from riskscreen.inputs.limits import (
    MAX_ID_LENGTH,
    MAX_LIST_ITEMS,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
)
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.models.base import StrictModel

if TYPE_CHECKING:
    from riskscreen.inputs.taxonomy import Taxonomies


def _taxonomies(info: ValidationInfo) -> Taxonomies | None:
    context = info.context or {}
    return context.get("taxonomies")


# Where a field's vocabulary is named for the JSON Schema generator (riskscreen/inputs/schema.py).
VOCABULARY_KEY = "x-riskscreen-vocabulary"


# How errors name one id of a vocabulary, and several.
TERM_NAMES = {
    "lead_types": ("lead type", "lead types"),
    "partner_types": ("partner type", "partner types"),
    "agreement_types": ("agreement type", "agreement types"),
    "sectors": ("sector", "sectors"),
    "involves": ("involves", "involves ids"),
    "due_diligence": ("due-diligence check", "due-diligence checks"),
    "approval_levels": ("approval level", "approval levels"),
}


def check_id(value: str, vocabulary: str, info: ValidationInfo) -> str:
    """Raise a 'vocabulary' error with a suggestion when ``value`` is not a known id."""
    taxonomies = _taxonomies(info)
    if taxonomies is None:
        return value
    valid = taxonomies.ids(vocabulary)
    if value not in valid:
        table = getattr(taxonomies, vocabulary, None)
        one, many = TERM_NAMES.get(vocabulary, (vocabulary, vocabulary))
        raise PydanticCustomError(
            "vocabulary",
            "unknown {vocabulary} id",
            {
                "vocabulary": vocabulary,
                "reason": f"unknown {one} id",
                "suggestion": did_you_mean(
                    value,
                    list(table) if isinstance(table, dict) else valid,
                    many,
                    synonyms=taxonomies.synonyms.for_vocabulary(vocabulary),
                    command=f"riskscreen vocab {vocabulary}",
                ),
                "value": value,
            },
        )
    return value


def check_ids(values: list[str], vocabulary: str, info: ValidationInfo) -> list[str]:
    """Items are checked one by one (every bad item is reported); here, only repeats."""
    del vocabulary, info
    if len(set(values)) != len(values):
        raise ValueError("lists the same id more than once")
    return values


def _sector(value: str, info: ValidationInfo) -> str:
    return check_id(value, "sectors", info)


def _involves(value: str, info: ValidationInfo) -> str:
    return check_id(value, "involves", info)


def _due_diligence(value: str, info: ValidationInfo) -> str:
    return check_id(value, "due_diligence", info)


# List items are checked one by one, so every bad item is its own located error.
SectorId = Annotated[
    str, AfterValidator(_sector), Field(json_schema_extra={VOCABULARY_KEY: "sectors"})
]
InvolvesId = Annotated[
    str, AfterValidator(_involves), Field(json_schema_extra={VOCABULARY_KEY: "involves"})
]
DueDiligenceId = Annotated[
    str, AfterValidator(_due_diligence), Field(json_schema_extra={VOCABULARY_KEY: "due_diligence"})
]


def _vocabulary(name: str, **kwargs: Any) -> Any:
    return Field(json_schema_extra={VOCABULARY_KEY: name}, **kwargs)


Name = Annotated[str, Field(max_length=MAX_NAME_LENGTH)]


class Lead(StrictModel):
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    type: str = _vocabulary("lead_types")
    international_team_fte: float | None = Field(default=None, ge=0)
    has_international_strategy: bool | None = None
    due_diligence: list[DueDiligenceId] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    approval: str | None = _vocabulary("approval_levels", default=None)

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
    """A located 'unknown country' error: each likely country once, and where to see them all."""
    resolver = taxonomies.country_resolver
    close = resolver.suggestions(value)
    hint = ("did you mean " + " or ".join(close) + "?") if close else "none is close;"
    note = resolver.note(value)
    hint = f"{hint} {note};" if note else hint
    return PydanticCustomError(
        "vocabulary",
        "unknown country",
        {
            "reason": "unknown country (use an ISO 3166 alpha-2 or alpha-3 code, or the English name)",
            "value": value,
            "suggestion": f"{hint} list every country with: riskscreen vocab countries",
        },
    )


class Partner(StrictModel):
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    type: str = _vocabulary("partner_types")
    country: str = Field(max_length=MAX_NAME_LENGTH, json_schema_extra={VOCABULARY_KEY: "countries"})
    state_linked: bool | None = None
    parent: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    aliases: list[Name] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)

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

    engagement_id: str | None = Field(default=None, max_length=MAX_ID_LENGTH)
    rule_id: str | None = Field(default=None, max_length=MAX_ID_LENGTH)
    reason: str = Field(min_length=3, max_length=MAX_TEXT_LENGTH)
    approved_by: str = Field(min_length=2, max_length=MAX_NAME_LENGTH)
    expires: date

    _expires_text = field_validator("expires", mode="before")(parse_date_text)


class Engagement(StrictModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    title: str | None = Field(default=None, max_length=MAX_TITLE_LENGTH)
    lead: Lead
    partner: Partner
    agreement_type: str = _vocabulary("agreement_types")
    sectors: list[SectorId] = Field(min_length=1, max_length=MAX_LIST_ITEMS)
    value_gbp: float | None = Field(default=None, ge=0)
    term_years: float | None = Field(default=None, gt=0)
    binding: bool | None = None
    involves: list[InvolvesId] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    published: bool | None = None
    objectives_defined: bool | None = None
    review_date: date | None = None
    notes: str | None = Field(default=None, max_length=MAX_TEXT_LENGTH)
    waivers: list[Waiver] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)

    _review_date_text = field_validator("review_date", mode="before")(parse_date_text)

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
