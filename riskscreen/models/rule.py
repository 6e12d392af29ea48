"""Models for YAML rules: finding rules (the five risk types) and proportionality rules."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from riskscreen.models.base import Level, RiskType, StrictModel, Tier
from riskscreen.models.taxonomy import ID_PATTERN, Reference


class RuleExamples(StrictModel):
    """Inputs the rule must fire on and must not fire on.

    For finding rules each example is a partial engagement laid over the neutral base engagement
    (see rules/README.md); for proportionality rules it is a partial summary fact.
    """

    match: list[dict[str, Any]] = Field(default_factory=list)
    no_match: list[dict[str, Any]] = Field(default_factory=list)


class FindingRule(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    risk_type: RiskType
    title: str = Field(min_length=3)
    when: dict[str, Any]
    impact: Level
    likelihood: Level
    tier: Tier
    rationale: str = Field(min_length=10)
    advice: str = Field(min_length=10)
    escalate_to: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    amplifier: bool = False
    examples: RuleExamples = Field(default_factory=RuleExamples)

    @model_validator(mode="after")
    def _amplifier_is_institutional(self) -> FindingRule:
        if self.amplifier and self.risk_type is not RiskType.institutional:
            raise ValueError("only institutional rules can be amplifiers")
        return self


class ProportionalityRule(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    subject: Literal["risk_type", "screening"]
    title: str = Field(min_length=3)
    when: dict[str, Any]
    sets_tier: Tier | None = None
    sets_level: Level | None = None
    rationale: str = Field(min_length=10)
    references: list[Reference] = Field(default_factory=list)
    examples: RuleExamples = Field(default_factory=RuleExamples)

    @model_validator(mode="after")
    def _sets_something(self) -> ProportionalityRule:
        if self.sets_tier is None and self.sets_level is None:
            raise ValueError(
                "a proportionality rule must set a tier (sets_tier) or a level (sets_level)"
            )
        if self.sets_level is not None and self.subject != "risk_type":
            raise ValueError("sets_level needs subject: risk_type")
        if self.sets_tier is not None and self.subject != "screening":
            raise ValueError("sets_tier needs subject: screening")
        return self


class RuleFile(StrictModel):
    """One rule file: its stage, a description and its rules."""

    stage: Literal["findings", "proportionality"]
    description: str = ""
    rules: list[dict[str, Any]] = Field(min_length=1)
