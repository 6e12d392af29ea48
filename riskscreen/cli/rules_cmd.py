"""``riskscreen rules list|show|test|lint``: look after a rule pack."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
import yaml

from riskscreen.cli.options import build_engine, engine_options
from riskscreen.errors import InputError, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.models.rule import FindingRule
from riskscreen.screening.engine import Engine
from riskscreen.screening.ruletest import lint, run_examples


def _check_known(engine: Engine, rule_ids: Sequence[str]) -> None:
    """Every named rule must exist: a typo in CI must fail, not pass with nothing tested."""
    known = [r.id for r in engine.pack.all_rules()]
    problems = [
        Problem(
            "no such rule",
            value=rule_id,
            suggestion=did_you_mean(rule_id, known, "rules", command="riskscreen rules list"),
        )
        for rule_id in rule_ids
        if engine.pack.get(rule_id) is None
    ]
    if problems:
        raise InputError(problems)


@click.group()
def rules() -> None:
    """List, inspect, test and lint a rule pack.

    \b
    Examples:
      riskscreen rules list
      riskscreen rules show geo_sanctions_regime_country
      riskscreen rules test --rules my-rules/
      riskscreen rules lint
    """


@rules.command("list")
@engine_options
def list_rules(
    rules_dir: Path | None, taxonomies_dir: Path | None, watchlists: tuple[Path, ...], backend: str
) -> None:
    """List every rule: id, risk type or subject, the tier it calls for, and its title.

    Example: riskscreen rules list --rules ./my-pack
    """
    engine = build_engine(rules_dir, taxonomies_dir, watchlists, backend)
    for loaded in engine.pack.all_rules():
        rule = loaded.rule
        if isinstance(rule, FindingRule):
            click.echo(
                f"{rule.id:<44} {rule.risk_type.value:<13} {rule.tier.value:<9} {rule.title}"
            )
        else:
            sets = (
                rule.sets_tier.value
                if rule.sets_tier
                else f"level {rule.sets_level.value if rule.sets_level else ''}"
            )
            click.echo(f"{rule.id:<44} {'prop:' + rule.subject:<13} {sets:<9} {rule.title}")


@rules.command("show")
@click.argument("rule_id")
@engine_options
def show_rule(
    rule_id: str,
    rules_dir: Path | None,
    taxonomies_dir: Path | None,
    watchlists: tuple[Path, ...],
    backend: str,
) -> None:
    """Show one rule as YAML, with the file and line it comes from.

    Example: riskscreen rules show sec_critical_infrastructure
    """
    engine = build_engine(rules_dir, taxonomies_dir, watchlists, backend)
    _check_known(engine, [rule_id])
    loaded = engine.pack.get(rule_id)
    assert loaded is not None
    click.echo(f"# {loaded.file}:{loaded.line}")
    data = loaded.rule.model_dump(mode="json", exclude_none=True)
    click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), nl=False)


@rules.command("test")
@click.argument("rule_ids", nargs=-1)
@engine_options
def test_rules(
    rule_ids: tuple[str, ...],
    rules_dir: Path | None,
    taxonomies_dir: Path | None,
    watchlists: tuple[Path, ...],
    backend: str,
) -> None:
    """Run every rule's must-match and must-not-match examples (exit 1 on any failure).

    Example: riskscreen rules test geo_sanctions_regime_country
    """
    engine = build_engine(rules_dir, taxonomies_dir, watchlists, backend)
    _check_known(engine, rule_ids)
    outcomes = run_examples(engine, list(rule_ids) or None)
    failed = [o for o in outcomes if not o.passed]
    for outcome in failed:
        click.echo(f"FAIL {outcome.describe()} (fired: {', '.join(outcome.fired) or 'nothing'})")
    rules_count = len({o.rule_id for o in outcomes})
    click.echo(
        f"{len(outcomes) - len(failed)} passed, {len(failed)} failed "
        f"({rules_count} rules, backend {engine.backend.name})"
    )
    if failed:
        sys.exit(1)


@rules.command("lint")
@engine_options
def lint_rules(
    rules_dir: Path | None, taxonomies_dir: Path | None, watchlists: tuple[Path, ...], backend: str
) -> None:
    """Check the pack beyond loading: references, examples on both sides, every rule can fire.

    Example: riskscreen rules lint --rules ./my-pack
    """
    engine = build_engine(rules_dir, taxonomies_dir, watchlists, backend)
    issues = lint(engine)
    for issue in issues:
        click.echo(str(issue))
    click.echo(f"{len(engine.pack.all_rules())} rules, {len(issues)} issue(s)")
    if issues:
        sys.exit(1)
