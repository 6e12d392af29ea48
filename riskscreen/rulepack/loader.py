"""Loading a rule pack: YAML rule files validated, cross-checked and compiled to the IR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from riskscreen.errors import InputError, Location, Problem, RulePackError, display_path
from riskscreen.inputs.hashing import directory_hash
from riskscreen.inputs.sources import resolve_all
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.taxonomy import Taxonomies
from riskscreen.inputs.validation import problems_from
from riskscreen.inputs.yamlio import LineDict, LineList, load_yaml_file
from riskscreen.models.rule import FindingRule, ProportionalityRule, RuleFile
from riskscreen.rulepack.backends.base import CompiledRule
from riskscreen.rulepack.conditions import ConditionParser, Node
from riskscreen.rulepack.facts_catalogue import CATALOGUES

PACK_FILE = "pack.yaml"
# Rule examples are screened on a fixed date so review-date facts do not drift with the calendar.
DEFAULT_EXAMPLES_AS_OF = date(2026, 11, 22)


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule, its compiled condition and where it was written."""

    rule: FindingRule | ProportionalityRule
    condition: Node
    file: str
    line: int | None

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def kind(self) -> str:
        return "engagement" if isinstance(self.rule, FindingRule) else self.rule.subject


@dataclass
class RulePack:
    directory: Path
    name: str
    version: str
    digest: str
    findings: list[LoadedRule]
    proportionality: list[LoadedRule]
    examples_as_of: date = DEFAULT_EXAMPLES_AS_OF

    def all_rules(self) -> list[LoadedRule]:
        return [*self.findings, *self.proportionality]

    def get(self, rule_id: str) -> LoadedRule | None:
        return next((r for r in self.all_rules() if r.id == rule_id), None)

    def compiled(self) -> dict[str, list[CompiledRule]]:
        """The rulesets a backend registers: findings, and one per proportionality subject."""
        sets: dict[str, list[CompiledRule]] = {"engagement": [], "risk_type": [], "screening": []}
        for loaded in self.all_rules():
            sets[loaded.kind].append(CompiledRule(loaded.id, loaded.kind, loaded.condition))
        return sets


def _read(path: Path) -> Any:
    try:
        return load_yaml_file(path)
    except InputError as exc:
        raise RulePackError(exc.problems) from None


def load_rule_pack(directory: Path, taxonomies: Taxonomies) -> RulePack:
    """Load every ``*.yaml`` rule file in ``directory`` (sorted by name); errors name file and line."""
    if not directory.is_dir():
        raise RulePackError(Problem("rules directory not found", Location(display_path(directory))))
    meta: dict[str, Any] = {}
    if (directory / PACK_FILE).is_file():
        loaded_meta = _read(directory / PACK_FILE)
        meta = dict(loaded_meta) if isinstance(loaded_meta, dict) else {}
    findings: list[LoadedRule] = []
    proportionality: list[LoadedRule] = []
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    files = sorted(p for p in directory.glob("*.yaml") if p.name != PACK_FILE)
    if not files:
        raise RulePackError(
            Problem("no rule files (*.yaml) found", Location(display_path(directory)))
        )
    for path in files:
        for loaded in _load_file(path, taxonomies, problems):
            where = f"{loaded.file}:{loaded.line}"
            if loaded.id in seen:
                problems.append(
                    Problem(
                        f"duplicate rule id '{loaded.id}' (first defined at {seen[loaded.id]})",
                        Location(loaded.file, line=loaded.line, field="id"),
                    )
                )
                continue
            seen[loaded.id] = where
            (findings if isinstance(loaded.rule, FindingRule) else proportionality).append(loaded)
    if problems:
        raise RulePackError(problems)
    if not proportionality:
        raise RulePackError(
            Problem(
                "the rule pack has no proportionality rules, so no tier can be decided",
                Location(display_path(directory)),
                suggestion="add a file with 'stage: proportionality'",
            )
        )
    return RulePack(
        directory=directory,
        name=str(meta.get("name", directory.name)),
        version=str(meta.get("version", "unversioned")),
        digest=directory_hash(directory),
        findings=findings,
        proportionality=proportionality,
        examples_as_of=_examples_date(meta.get("examples_as_of"), directory),
    )


def _examples_date(value: Any, directory: Path) -> date:
    if value is None:
        return DEFAULT_EXAMPLES_AS_OF
    if isinstance(value, date):
        return value
    raise RulePackError(
        Problem(
            "examples_as_of must be a date (YYYY-MM-DD)",
            Location(display_path(directory / PACK_FILE), field="examples_as_of"),
            value=value,
        )
    )


def _load_file(path: Path, taxonomies: Taxonomies, problems: list[Problem]) -> list[LoadedRule]:
    shown = display_path(path)
    data = _read(path)
    try:
        envelope = RuleFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, data, RuleFile, shown))
        return []
    model: type[BaseModel] = FindingRule if envelope.stage == "findings" else ProportionalityRule
    raw_rules = data["rules"]
    lines = raw_rules.item_lines if isinstance(raw_rules, LineList) else [None] * len(raw_rules)
    loaded: list[LoadedRule] = []
    for index, raw in enumerate(raw_rules):
        line = lines[index]
        try:
            rule = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(problems_from(exc, raw, model, shown, prefix=("rules", index)))
            continue
        assert isinstance(rule, (FindingRule, ProportionalityRule))
        kind = "engagement" if isinstance(rule, FindingRule) else rule.subject
        parser = ConditionParser(CATALOGUES[kind], taxonomies.ids, shown)
        when_line = raw.line_of("when") if isinstance(raw, LineDict) else line
        try:
            condition = parser.parse(raw["when"], when_line)
        except RulePackError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(rule, FindingRule):
            for body in rule.escalate_to:
                if body not in taxonomies.escalation_bodies:
                    problems.append(
                        Problem(
                            f"rule '{rule.id}' escalates to an unknown body",
                            Location(
                                shown,
                                line=raw.line_of("escalate_to")
                                if isinstance(raw, LineDict)
                                else line,
                                field="escalate_to",
                            ),
                            value=body,
                            suggestion=did_you_mean(
                                body, taxonomies.escalation_bodies, "escalation bodies"
                            ),
                        )
                    )
        refs_line = raw.line_of("references") if isinstance(raw, LineDict) else line
        rule.references = resolve_all(
            rule.references,
            taxonomies.sources,
            Location(shown, line=refs_line or line, field=f"rules[{index}].references"),
            problems,
        )
        loaded.append(LoadedRule(rule, condition, shown, line))
    return loaded
