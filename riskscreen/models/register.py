"""What checking a register returns: one result per engagement, waivers applied, and a summary.

Renderers for every register format (text, json, md, html, sarif, junit, github) read this.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from riskscreen.models.result import Provenance, ResultModel, ScreeningResult


class SourceLocation(ResultModel):
    """Where an engagement sits in the register file: a YAML/JSON line or a CSV/XLSX row."""

    file: str
    line: int | None = None
    row: int | None = None


class WaiverNote(ResultModel):
    """A waiver that could not be applied (expired, or naming an unknown engagement or rule)."""

    kind: Literal["expired", "unknown_engagement", "unknown_rule", "unused"]
    engagement_id: str | None
    rule_id: str | None
    message: str
    source: str


class RegisterResult(ResultModel):
    result: ScreeningResult
    location: SourceLocation
    effective_tier: str = Field(description="the tier once waived findings are set aside")
    waived: bool = Field(description="a waiver brought this result below the fail-on level")
    failing: bool = Field(description="unwaived and at or above the fail-on level")
    baseline: Literal["new", "known", "worse"] | None = None


class RegisterSummary(ResultModel):
    total: int
    by_tier: dict[str, int]
    by_effective_tier: dict[str, int]
    failing: int
    waived: int
    expired_waivers: int
    fail_on: str
    waived_findings: int = Field(default=0, description="findings covered by a current waiver")
    waiver_warnings: int = Field(default=0, description="waivers naming an unknown engagement or rule, "
                                                        "or matching nothing")
    baselined: int = Field(default=0, description="results at or above fail-on accepted by the baseline")
    notices: list[str] = Field(default_factory=list, description="what a reader must know before trusting "
                                                                 "the results, e.g. that no sanctions list was loaded")


class RegisterReport(ResultModel):
    register_path: str = Field(description="the register file as the user named it")
    as_of: date
    fail_on: str
    results: list[RegisterResult]
    summary: RegisterSummary
    waiver_notes: list[WaiverNote] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    provenance: Provenance
