"""Checking a register: read every row, report every invalid one, screen, apply waivers and baseline.

The register is streamed: rows are validated as they are read, and screened only while no
problem has been found (once the register is known to be invalid, the rest is only validated so
that every bad row is reported at once). Only the results kept for the report stay in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.yamlio import LineDict
from riskscreen.models.base import TIER_ORDER
from riskscreen.models.engagement import Engagement
from riskscreen.models.register import (
    RegisterReport,
    RegisterResult,
    RegisterSummary,
    SourceLocation,
    WaiverNote,
)
from riskscreen.models.result import ScreeningResult
from riskscreen.models.rule import FindingRule, ProportionalityRule
from riskscreen.registers import RegisterRow, read_register
from riskscreen.registers.baseline import BaselineEntry, compare
from riskscreen.registers.notices import register_notices
from riskscreen.registers.pool import EngineSpec, screen_in_order
from riskscreen.registers.waivers import (
    WaiverEntry,
    apply_waivers,
    inline_waivers,
    unknown_engagement_notes,
    unknown_rule_problems,
)
from riskscreen.screening.engine import Engine
from riskscreen.screening.proportionality import Hit, highest_tier, summarise


@dataclass
class CheckSettings:
    as_of: date
    fail_on: str = "alignment"
    waivers: list[WaiverEntry] = field(default_factory=list)
    baseline: dict[str, BaselineEntry] | None = None
    jobs: int = 1
    engine_spec: EngineSpec | None = None  # needed to build engines in worker processes
    progress: Callable[[int], None] | None = None


def at_or_above(tier: str, threshold: str) -> bool:
    return TIER_ORDER.index(tier) >= TIER_ORDER.index(threshold)


def where(location: SourceLocation) -> str:
    if location.line is not None:
        return f"{location.file}:{location.line}"
    return f"{location.file}: row {location.row}"


def effective_tier(engine: Engine, engagement: Engagement, result: ScreeningResult, as_of: date) -> str:
    """The tier the proportionality rules give once waived findings are set aside."""
    unwaived = [f.rule_id for f in result.findings if f.waiver is None]
    if len(unwaived) == len(result.findings):
        return result.tier
    rules = {r.id: r.rule for r in engine.pack.findings}
    hits = [Hit.of(rule) for rule_id in unwaived if isinstance(rule := rules[rule_id], FindingRule)]
    _, screening = summarise(hits, engine.facts(engagement, as_of)["exposure_rank"])
    deciders = {r.id: r.rule for r in engine.pack.proportionality}
    tiers = [rule.sets_tier.value for rule_id in engine.backend.match("screening", screening)
             if isinstance(rule := deciders[rule_id], ProportionalityRule) and rule.sets_tier]
    tier = highest_tier(tiers)
    return min(tier, result.tier, key=TIER_ORDER.index)


class _Validator:
    """Validates rows as they stream past, collecting every problem and checking id uniqueness."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path
        self.file = display_path(path)
        self.problems: list[Problem] = []
        self.first_seen: dict[str, str] = {}
        self.rows = 0

    def engagements(self) -> Iterator[tuple[RegisterRow, Engagement]]:
        try:
            for row in read_register(self.path):
                engagement = self._validate(row)
                if engagement is not None and not self.problems:
                    yield row, engagement
        except InputError as exc:  # an unreadable file (e.g. a YAML syntax error) ends the register
            self.problems.extend(exc.problems)
        if self.rows == 0 and not self.problems:
            self.problems.append(Problem("the register is empty", Location(self.file),
                                         suggestion="add at least one engagement"))

    def _validate(self, row: RegisterRow) -> Engagement | None:
        self.problems.extend(row.problems)
        if row.data is None:
            return None
        self.rows += 1
        loc = row.location
        try:
            engagement = self.engine.validate(row.data, source=self.file, row=loc.row)
        except InputError as exc:
            self.problems.extend(exc.problems)
            return None
        if engagement.id in self.first_seen:
            first = self.first_seen[engagement.id]
            line = row.data.line_of("id") if isinstance(row.data, LineDict) else None
            self.problems.append(Problem("duplicate engagement id", Location(self.file, line=line, row=loc.row,
                                                                           field="id"), value=engagement.id,
                                         suggestion=f"first used at {first}; ids must be unique in a register"))
            return None
        self.first_seen[engagement.id] = where(loc)
        return engagement


def check_register(engine: Engine, path: Path, settings: CheckSettings) -> RegisterReport:
    """Check a register; raise InputError listing every invalid row, else return the report."""
    validator = _Validator(engine, path)
    by_engagement: dict[str, list[WaiverEntry]] = {}
    for entry in settings.waivers:
        by_engagement.setdefault(entry.waiver.engagement_id or "", []).append(entry)
    known_rules = {r.id for r in engine.pack.findings}
    unknown = unknown_rule_problems(settings.waivers, sorted(known_rules))
    if unknown:  # a misspelt rule id would silently waive nothing: stop before screening
        raise InputError(unknown)
    results: list[RegisterResult] = []
    notes: list[WaiverNote] = []
    waived_findings = 0

    screened = screen_in_order(validator.engagements(), engine, settings.as_of, settings.jobs,
                               settings.engine_spec)
    for row, engagement, raw in screened:
        result = raw
        waivers = by_engagement.get(engagement.id, []) + inline_waivers(
            engagement.waivers, engagement.id, where(row.location))
        outcome = apply_waivers(result, waivers, settings.as_of, known_rules) if waivers else None
        if outcome is not None:
            result = outcome.result
            notes.extend(outcome.notes)
            waived_findings += outcome.waived_findings
        effective = effective_tier(engine, engagement, result, settings.as_of) if outcome else result.tier
        results.append(_register_result(result, row.location, effective, settings))
        if settings.progress is not None:
            settings.progress(len(results))
    if validator.problems:
        raise InputError(validator.problems)

    notes.extend(unknown_engagement_notes(settings.waivers, set(validator.first_seen)))
    return RegisterReport(
        register_path=validator.file,
        as_of=settings.as_of,
        fail_on=settings.fail_on,
        results=results,
        summary=_summary(results, notes, waived_findings, settings.fail_on,
                         register_notices(engine.provenance(settings.as_of))),
        waiver_notes=notes,
        provenance=engine.provenance(settings.as_of),
    )


def _register_result(result: ScreeningResult, location: SourceLocation, effective: str,
                     settings: CheckSettings) -> RegisterResult:
    above = at_or_above(effective, settings.fail_on)
    status = None
    if settings.baseline is not None:
        rules = {f.rule_id for f in result.findings if f.waiver is None}
        status = compare(settings.baseline.get(result.engagement_id), effective, rules)
    return RegisterResult(
        result=result,
        location=location,
        effective_tier=effective,
        waived=at_or_above(result.tier, settings.fail_on) and not above,
        failing=above and status != "known",
        baseline=status,
    )


def _summary(results: list[RegisterResult], notes: list[WaiverNote], waived_findings: int,
             fail_on: str, notices: list[str]) -> RegisterSummary:
    by_tier = Counter(r.result.tier for r in results)
    by_effective = Counter(r.effective_tier for r in results)
    return RegisterSummary(
        total=len(results),
        by_tier={tier: by_tier.get(tier, 0) for tier in TIER_ORDER},
        by_effective_tier={tier: by_effective.get(tier, 0) for tier in TIER_ORDER},
        failing=sum(r.failing for r in results),
        waived=sum(r.waived for r in results),
        expired_waivers=sum(n.kind == "expired" for n in notes),
        fail_on=fail_on,
        waived_findings=waived_findings,
        waiver_warnings=sum(n.kind != "expired" for n in notes),
        baselined=sum(r.baseline == "known" and at_or_above(r.effective_tier, fail_on) for r in results),
        notices=notices,
    )
