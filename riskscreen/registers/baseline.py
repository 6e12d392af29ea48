"""Baselines: accept today's known results so CI fails only on new or worsened ones.

A baseline records, per engagement id, the effective tier and the unwaived rule ids. A later
result is ``known`` when its tier is no higher and it has no rule the baseline lacks, ``worse``
otherwise, and ``new`` when the engagement was not in the baseline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.validation import problems_from
from riskscreen.inputs.yamlio import read_text
from riskscreen.models.base import TIER_ORDER
from riskscreen.models.register import RegisterResult

BASELINE_VERSION = 1


class BaselineEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engagement_id: str
    tier: Literal["autonomy", "advice", "alignment", "stop"]
    rules: list[str]


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = BASELINE_VERSION
    entries: list[BaselineEntry]

    def index(self) -> dict[str, BaselineEntry]:
        return {entry.engagement_id: entry for entry in self.entries}


def baseline_entry(result: RegisterResult) -> BaselineEntry:
    rules = sorted({f.rule_id for f in result.result.findings if f.waiver is None})
    return BaselineEntry(engagement_id=result.result.engagement_id, tier=result.effective_tier, rules=rules)


def build_baseline(results: Iterable[RegisterResult]) -> Baseline:
    return Baseline(entries=sorted((baseline_entry(r) for r in results), key=lambda e: e.engagement_id))


def dump_baseline(baseline: Baseline) -> str:
    return json.dumps(baseline.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> dict[str, BaselineEntry]:
    shown = display_path(path)
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(Problem(f"invalid JSON: {exc.msg}", Location(shown, line=exc.lineno))) from None
    try:
        baseline = Baseline.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, data, Baseline, shown)) from None
    if baseline.version != BASELINE_VERSION:
        raise InputError(Problem("unsupported baseline version", Location(shown, field="version"),
                                 value=baseline.version, suggestion="regenerate it with --write-baseline"))
    return baseline.index()


def compare(entry: BaselineEntry | None, tier: str, rules: set[str]) -> Literal["new", "known", "worse"]:
    if entry is None:
        return "new"
    if TIER_ORDER.index(tier) > TIER_ORDER.index(entry.tier) or not rules <= set(entry.rules):
        return "worse"
    return "known"
