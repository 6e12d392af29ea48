"""Shared pydantic configuration and small enums used across the models."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A model that rejects unknown fields (typos must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class Level(str, Enum):
    """Impact and likelihood scale."""

    low = "low"
    medium = "medium"
    high = "high"

    @property
    def rank(self) -> int:
        return {"low": 1, "medium": 2, "high": 3}[self.value]


class RiskType(str, Enum):
    """The Commission's five risk types."""

    geopolitical = "geopolitical"
    political = "political"
    security = "security"
    commercial = "commercial"
    institutional = "institutional"


RISK_TYPES: tuple[str, ...] = tuple(t.value for t in RiskType)


class Tier(str, Enum):
    """Outcome tiers, lowest to highest."""

    autonomy = "autonomy"
    advice = "advice"
    alignment = "alignment"
    stop = "stop"

    @property
    def rank(self) -> int:
        return TIER_ORDER.index(self.value)


TIER_ORDER: tuple[str, ...] = ("autonomy", "advice", "alignment", "stop")


class Sensitivity(str, Enum):
    """Base sensitivity of a sector, agreement type, partner type or `involves` flag."""

    low = "low"
    moderate = "moderate"
    high = "high"

    @property
    def rank(self) -> int:
        return {"low": 1, "moderate": 2, "high": 3}[self.value]


class CountrySensitivity(str, Enum):
    """How sensitive engagement with a partner in a country is, before anything else is known."""

    standard = "standard"
    elevated = "elevated"
    high = "high"
    severe = "severe"

    @property
    def rank(self) -> int:
        return {"standard": 0, "elevated": 1, "high": 2, "severe": 3}[self.value]
