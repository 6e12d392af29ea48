"""Waivers: a reviewer's recorded decision to accept a finding, with a reason and an expiry.

Waivers come from a waivers file (``--waivers``) or inline on an engagement (``waivers:``).
A waiver covers one engagement and optionally one rule. A waived finding stays in every report,
marked with its waiver; an expired waiver no longer applies and is reported; a waiver naming an
unknown engagement, an inline waiver naming an unknown rule, or one that matches nothing, is
reported as a warning; a waivers-file entry naming an unknown rule is an error (a typo would
otherwise waive nothing, silently).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.validation import line_for, problems_from
from riskscreen.inputs.yamlio import load_yaml_file
from riskscreen.models.engagement import Waiver
from riskscreen.models.register import WaiverNote
from riskscreen.models.result import AppliedWaiver, Finding, ScreeningResult


@dataclass(frozen=True)
class WaiverEntry:
    """A waiver and where it was written (``file:line``), for reports and notes."""

    waiver: Waiver
    source: str


def load_waivers(path: Path) -> list[WaiverEntry]:
    """A waivers file: a list of waivers, or a mapping with ``waivers:``. Every problem is reported."""
    shown = display_path(path)
    data = load_yaml_file(path)
    if isinstance(data, Mapping) and "waivers" in data:
        items, prefix = data["waivers"], ["waivers"]
    else:
        items, prefix = data, []
    if not isinstance(items, list):
        raise InputError(Problem("a waivers file is a list of waivers, or a mapping with 'waivers:'",
                                 Location(shown, line=getattr(data, "line", None))))
    entries: list[WaiverEntry] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        line = line_for(items, [index])
        if not isinstance(item, Mapping):
            problems.append(Problem("a waiver must be a mapping", Location(shown, line=line)))
            continue
        try:
            waiver = Waiver.model_validate(item)
        except ValidationError as exc:
            problems.extend(problems_from(exc, item, Waiver, shown, prefix=[*prefix, index]))
            continue
        if waiver.engagement_id is None:
            problems.append(Problem("required field is missing", Location(shown, line=line,
                                    field=f"{'waivers' if prefix else ''}[{index}].engagement_id"),
                                    suggestion="a waiver in a waivers file names its engagement"))
            continue
        entries.append(WaiverEntry(waiver, f"{shown}:{line}" if line else shown))
    if problems:
        raise InputError(problems)
    return entries


def unknown_rule_problems(entries: Iterable[WaiverEntry], known_rules: list[str]) -> list[Problem]:
    """A waivers-file entry naming a rule the pack lacks is an error, with the nearest rule ids."""
    problems = []
    for entry in entries:
        rule_id = entry.waiver.rule_id
        if rule_id is None or rule_id in known_rules:
            continue
        file, _, line = entry.source.rpartition(":")
        location = (Location(file, line=int(line), field="rule_id") if line.isdigit()
                    else Location(entry.source, field="rule_id"))
        problems.append(Problem("no such rule in the rule pack", location, value=rule_id,
                                suggestion=did_you_mean(rule_id, known_rules, "finding rules",
                                                        command="riskscreen rules list")))
    return problems


def inline_waivers(waivers: Iterable[Waiver], engagement_id: str, source: str) -> list[WaiverEntry]:
    """An engagement's own ``waivers:``; they apply to that engagement whatever id they name."""
    return [WaiverEntry(w if w.engagement_id else w.model_copy(update={"engagement_id": engagement_id}),
                        source) for w in waivers]


@dataclass
class WaiverOutcome:
    result: ScreeningResult
    notes: list[WaiverNote]
    waived_findings: int


def _note(kind: Any, entry: WaiverEntry, message: str) -> WaiverNote:
    return WaiverNote(kind=kind, engagement_id=entry.waiver.engagement_id, rule_id=entry.waiver.rule_id,
                      message=message, source=entry.source)


def match_waivers(fired: Iterable[str], entries: list[WaiverEntry], as_of: date,
                  known_rules: set[str]) -> tuple[dict[str, AppliedWaiver], list[WaiverNote]]:
    """Which fired rules each current waiver covers; notes for expired, unknown-rule and unused ones."""
    notes: list[WaiverNote] = []
    applied: dict[str, AppliedWaiver] = {}
    fired = sorted(set(fired))
    for entry in entries:
        waiver = entry.waiver
        who = f"waiver for {waiver.engagement_id}" + (f" / {waiver.rule_id}" if waiver.rule_id else "")
        if waiver.rule_id is not None and waiver.rule_id not in known_rules:
            notes.append(_note("unknown_rule", entry, f"{who} names a rule that is not in the rule pack"))
            continue
        if waiver.expires < as_of:
            notes.append(_note("expired", entry, f"{who} expired on {waiver.expires.isoformat()} and no "
                                                 "longer applies"))
            continue
        covered = [r for r in fired if waiver.rule_id in (None, r)]
        if not covered:
            notes.append(_note("unused", entry, f"{who} matches no finding; remove it if the risk has gone"))
            continue
        for rule_id in covered:
            applied.setdefault(rule_id, AppliedWaiver(reason=waiver.reason, approved_by=waiver.approved_by,
                                                      expires=waiver.expires, source=entry.source))
    return applied, notes


def apply_waivers(result: ScreeningResult, entries: list[WaiverEntry], as_of: date,
                  known_rules: set[str]) -> WaiverOutcome:
    """Mark the findings each current waiver covers; note expired, unknown-rule and unused waivers."""
    applied, notes = match_waivers((f.rule_id for f in result.findings), entries, as_of, known_rules)
    if not applied:
        return WaiverOutcome(result, notes, 0)
    findings: list[Finding] = [
        f.model_copy(update={"waiver": applied[f.rule_id]}) if f.rule_id in applied else f
        for f in result.findings
    ]
    return WaiverOutcome(result.model_copy(update={"findings": findings}), notes, len(applied))


def unknown_engagement_notes(entries: Iterable[WaiverEntry], seen_ids: set[str]) -> list[WaiverNote]:
    return [_note("unknown_engagement", e, f"waiver names engagement {e.waiver.engagement_id}, which is "
                                           "not in the register")
            for e in entries if e.waiver.engagement_id not in seen_ids]
