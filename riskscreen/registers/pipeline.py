"""The register pipeline: read → validate → match → assemble → write, one row at a time.

Rows are read with the fast readers and screened to compact results (in this process or in
batches by worker processes), waivers and the baseline are applied, and each entry goes
straight to the output writer; only aggregates stay in memory. Entries come out in register
order whatever ``jobs`` is, so output is byte-identical.

An invalid register produces no output: at the first invalid row the pipeline stops and
re-reads the register with the exact readers (every field's line) to report every problem,
exactly as a validate-only pass over the whole file would.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, Protocol

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.yamlio import join_surrogates
from riskscreen.models.base import RISK_TYPES, TIER_ORDER
from riskscreen.models.compact import CompactFinding, CompactResult
from riskscreen.models.register import RegisterSummary, SourceLocation, WaiverNote
from riskscreen.models.result import AppliedWaiver, Provenance
from riskscreen.registers import RegisterRow, read_register
from riskscreen.registers.baseline import BaselineEntry, compare
from riskscreen.registers.counting import estimate_rows
from riskscreen.registers.notices import register_notices
from riskscreen.registers.pool import AUTO_JOBS, EngineSpec, screen_rows
from riskscreen.registers.waivers import (
    WaiverEntry,
    inline_waivers,
    match_waivers,
    unknown_engagement_notes,
    unknown_rule_problems,
)
from riskscreen.screening.engine import Engine

REVIEW_HORIZON_DAYS = 90
REVIEWS_KEPT = 100  # the most urgent reviews listed in reports; the rest are counted


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One engagement of a register as every output shows it (findings carry their waivers)."""

    index: int  # 1-based position in the register
    result: CompactResult
    location: SourceLocation
    effective_tier: str
    waived: bool
    failing: bool
    baseline: Literal["new", "known", "worse"] | None


class EntrySink(Protocol):
    def add(self, entry: RegisterEntry) -> None: ...

    def restart(self) -> None:
        """Forget every entry added so far (the register is being read again)."""


_RANK = {tier: rank for rank, tier in enumerate(TIER_ORDER)}


def at_or_above(tier: str, threshold: str) -> bool:
    return _RANK[tier] >= _RANK[threshold]


def where(location: SourceLocation) -> str:
    if location.line is not None:
        return f"{location.file}:{location.line}"
    return f"{location.file}: row {location.row}"


@dataclass
class Tally:
    """The aggregates the summaries, charts and notes need; nothing per engagement but ids."""

    fail_on: str
    as_of: date
    total: int = 0
    by_tier: Counter[str] = field(default_factory=Counter)
    by_effective: Counter[str] = field(default_factory=Counter)
    failing: int = 0
    waived: int = 0
    waived_findings: int = 0
    baselined: int = 0
    with_findings: int = 0
    rules: Counter[str] = field(default_factory=Counter)  # engagements per rule fired
    heatmap: dict[str, Counter[str]] = field(default_factory=lambda: {rt: Counter() for rt in RISK_TYPES})
    countries: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    agreement_types: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # the REVIEWS_KEPT earliest review dates (as a heap of negated keys, so the latest is dropped first)
    review_heap: list[tuple[int, int, date, str, str | None, str, bool]] = field(default_factory=list)
    reviews_due: int = 0
    no_review_date: int = 0
    baseline_entries: list[BaselineEntry] | None = None

    def add(self, entry: RegisterEntry) -> None:
        result = entry.result
        self.total += 1
        self.by_tier[result.tier] += 1
        self.by_effective[entry.effective_tier] += 1
        self.failing += entry.failing
        self.waived += entry.waived
        self.baselined += entry.baseline == "known" and at_or_above(entry.effective_tier, self.fail_on)
        self.with_findings += bool(result.findings)
        called: dict[str, str] = {}
        for finding in result.findings:
            self.rules[finding.rule_id] += 1
            if finding.risk_type in self.heatmap and at_or_above(finding.tier, called.get(finding.risk_type, "autonomy")):
                called[finding.risk_type] = finding.tier
        for risk_type, tier in called.items():
            self.heatmap[risk_type][tier] += 1
        self.countries[result.country][result.tier] += 1
        self.agreement_types[result.agreement_type][result.tier] += 1
        due = result.review_date
        if due is None:
            self.no_review_date += 1
        elif due <= self.as_of + timedelta(days=REVIEW_HORIZON_DAYS):
            self.reviews_due += 1
            item = (-due.toordinal(), -entry.index, due, result.engagement_id, result.title, result.tier,
                    entry.failing)
            if len(self.review_heap) < REVIEWS_KEPT:
                heapq.heappush(self.review_heap, item)
            elif item > self.review_heap[0]:
                heapq.heapreplace(self.review_heap, item)
        if self.baseline_entries is not None:
            rules = sorted({f.rule_id for f in result.findings if f.waiver is None})
            self.baseline_entries.append(BaselineEntry(engagement_id=result.engagement_id,
                                                       tier=entry.effective_tier, rules=rules))

    @property
    def reviews(self) -> list[tuple[date, int, str, str | None, str, bool]]:
        """The most urgent reviews due, earliest first: (date, index, id, title, tier, failing)."""
        return [(due, -index, eid, title, tier, failing)
                for _, index, due, eid, title, tier, failing in sorted(self.review_heap, reverse=True)]

    def summary(self, notes: list[WaiverNote], notices: list[str]) -> RegisterSummary:
        return RegisterSummary(
            total=self.total,
            by_tier={tier: self.by_tier.get(tier, 0) for tier in TIER_ORDER},
            by_effective_tier={tier: self.by_effective.get(tier, 0) for tier in TIER_ORDER},
            failing=self.failing,
            waived=self.waived,
            expired_waivers=sum(n.kind == "expired" for n in notes),
            fail_on=self.fail_on,
            waived_findings=self.waived_findings,
            waiver_warnings=sum(n.kind != "expired" for n in notes),
            baselined=self.baselined,
            notices=notices,
        )


@dataclass
class PipelineSettings:
    as_of: date
    fail_on: str = "alignment"
    waivers: list[WaiverEntry] = field(default_factory=list)
    baseline: dict[str, BaselineEntry] | None = None
    jobs: int = 1
    engine_spec: EngineSpec | None = None
    progress: Callable[[int], None] | None = None
    collect_baseline: bool = False


@dataclass
class RegisterOutcome:
    """What a checked register leaves once every entry has been written."""

    register_path: str
    as_of: date
    fail_on: str
    summary: RegisterSummary
    waiver_notes: list[WaiverNote]
    provenance: Provenance
    tally: Tally
    warnings: list[str] = field(default_factory=list)


class _Invalid(Exception):
    """A row is invalid: stop screening and report every problem from the exact readers."""


def run_register(engine: Engine, path: Path, settings: PipelineSettings, sink: EntrySink) -> RegisterOutcome:
    """Check a register, sending each entry to ``sink``; raise InputError listing every invalid row."""
    shown = display_path(path)
    unknown = unknown_rule_problems(settings.waivers, sorted(r.id for r in engine.pack.findings))
    if unknown:  # a misspelt rule id would silently waive nothing: stop before screening
        raise InputError(unknown)
    tally = Tally(settings.fail_on, settings.as_of,
                  baseline_entries=[] if settings.collect_baseline else None)
    notes: list[WaiverNote] = []
    seen: set[str] = set()
    try:
        _stream(engine, path, settings, sink, tally, notes, seen)
    except (_Invalid, InputError):  # a file-level error from a fast reader is re-read exactly too
        problems = exact_problems(engine, path)
        if problems:
            raise InputError(problems) from None
        # the fast readers disagreed with the exact ones: check again, exactly
        sink.restart()
        return _exact_rerun(engine, path, settings, sink)
    if tally.total == 0:
        raise InputError(Problem("the register is empty", Location(shown), suggestion="add at least one engagement"))
    notes.extend(unknown_engagement_notes(settings.waivers, seen))
    return RegisterOutcome(register_path=shown, as_of=settings.as_of, fail_on=settings.fail_on,
                           summary=tally.summary(notes, register_notices(engine.provenance(settings.as_of))),
                           waiver_notes=notes,
                           provenance=engine.provenance(settings.as_of), tally=tally)


def _exact_rerun(engine: Engine, path: Path, settings: PipelineSettings, sink: EntrySink) -> RegisterOutcome:
    tally = Tally(settings.fail_on, settings.as_of, baseline_entries=[] if settings.collect_baseline else None)
    notes: list[WaiverNote] = []
    seen: set[str] = set()
    rows = read_register(path)
    _stream(engine, path, settings, sink, tally, notes, seen, rows)
    notes.extend(unknown_engagement_notes(settings.waivers, seen))
    return RegisterOutcome(register_path=display_path(path), as_of=settings.as_of, fail_on=settings.fail_on,
                           summary=tally.summary(notes, register_notices(engine.provenance(settings.as_of))),
                           waiver_notes=notes,
                           provenance=engine.provenance(settings.as_of), tally=tally)


def _stream(engine: Engine, path: Path, settings: PipelineSettings, sink: EntrySink, tally: Tally,
            notes: list[WaiverNote], seen: set[str], rows: Iterable[RegisterRow] | None = None) -> None:
    by_engagement: dict[str, list[WaiverEntry]] = {}
    for waiver in settings.waivers:
        by_engagement.setdefault(waiver.waiver.engagement_id or "", []).append(waiver)
    known_rules = {r.id for r in engine.pack.findings}
    screened = screen_rows(_checked_rows(rows if rows is not None else read_register(path, fast=True)),
                           engine, display_path(path), settings.as_of, settings.jobs, settings.engine_spec,
                           estimate_rows(path) if settings.jobs == AUTO_JOBS else None)
    for index, (row, result) in enumerate(screened, start=1):
        if result is None or result.engagement_id in seen:
            raise _Invalid
        seen.add(result.engagement_id)
        waivers = by_engagement.get(result.engagement_id, [])
        if result.waivers:
            waivers = waivers + inline_waivers(result.waivers, result.engagement_id, where(row.location))
        effective = result.tier
        if waivers:
            applied, found = match_waivers((f.rule_id for f in result.findings), waivers, settings.as_of,
                                           known_rules)
            notes.extend(found)
            if applied:
                tally.waived_findings += len(applied)
                result = dataclasses.replace(result, findings=_waived(result.findings, applied))
                unwaived = [f.rule_id for f in result.findings if f.waiver is None]
                effective = min(engine.tier_for(unwaived, result.exposure_rank), result.tier,
                                key=TIER_ORDER.index)
        entry = _entry(index, result, row.location, effective, settings)
        tally.add(entry)
        sink.add(entry)
        if settings.progress is not None:
            settings.progress(index)


def _checked_rows(rows: Iterable[RegisterRow]) -> Iterator[RegisterRow]:
    for row in rows:
        if row.problems or row.data is None:
            raise _Invalid
        yield row


def _waived(findings: tuple[CompactFinding, ...], applied: dict[str, AppliedWaiver]) -> tuple[CompactFinding, ...]:
    return tuple(dataclasses.replace(f, waiver=applied[f.rule_id]) if f.rule_id in applied else f
                 for f in findings)


def _entry(index: int, result: CompactResult, location: SourceLocation, effective: str,
           settings: PipelineSettings) -> RegisterEntry:
    above = at_or_above(effective, settings.fail_on)
    status: Literal["new", "known", "worse"] | None = None
    if settings.baseline is not None:
        rules = {f.rule_id for f in result.findings if f.waiver is None}
        status = compare(settings.baseline.get(result.engagement_id), effective, rules)
    return RegisterEntry(index=index, result=result, location=location, effective_tier=effective,
                         waived=at_or_above(result.tier, settings.fail_on) and not above,
                         failing=above and status != "known", baseline=status)


def exact_problems(engine: Engine, path: Path) -> list[Problem]:
    """Every problem in the register, each at its exact line and field (a validate-only pass)."""
    shown = display_path(path)
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    rows = 0
    try:
        for row in read_register(path):
            problems.extend(row.problems)
            if row.data is None:
                continue
            rows += 1
            join_surrogates(row.data)
            try:
                engagement = engine.validate(row.data, source=shown, row=row.location.row)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            if engagement.id in first_seen:
                line_of = getattr(row.data, "line_of", None)
                line = line_of("id") if line_of is not None else None
                problems.append(Problem("duplicate engagement id",
                                        Location(shown, line=line, row=row.location.row, field="id"),
                                        value=engagement.id,
                                        suggestion=f"first used at {first_seen[engagement.id]}; ids must be "
                                                   "unique in a register"))
                continue
            first_seen[engagement.id] = where(row.location)
    except InputError as exc:  # an unreadable file (e.g. a YAML syntax error) ends the register
        problems.extend(exc.problems)
    if rows == 0 and not problems:
        problems.append(Problem("the register is empty", Location(shown), suggestion="add at least one engagement"))
    return problems
