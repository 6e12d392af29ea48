"""Re-screening under changed rules: the same comparison as `riskscreen diff`; a risen tier goes back
to the queue (flagged; a decided engagement re-queued by the system); a fallen tier is noted only."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from riskscreen import Engine, ScreeningResult
from riskscreen.workflow.decisions import DecisionKind
from riskscreen.workflow.machine import OPEN_STATES, SYSTEM_ACTOR, Action, Case, State
from riskscreen.workflow.rescreen import Effect, rescreen_outcome, rules_changed, should_rescreen
from tests.register.conftest import CLEAN, MEDIA, RULES, TAXONOMIES, TELECOMS
from tests.workflow.helpers import decision

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine]]:
    """The test pack without its media rule (old) and with it (new)."""
    old_rules = tmp_path_factory.mktemp("old") / "rules"
    shutil.copytree(RULES, old_rules)
    findings = old_rules / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text[: text.index("  - id: t_media")], encoding="utf-8")
    with Engine.load(rules=old_rules, taxonomies=TAXONOMIES) as old, \
            Engine.load(rules=RULES, taxonomies=TAXONOMIES) as new:
        yield old, new


def screen(engine: Engine, item: dict[str, object]) -> ScreeningResult:
    return engine.screen(item, as_of=AS_OF)


DECIDED = Case(State.DECIDED, frozenset({"o1"}), decision(DecisionKind.APPROVED))


def test_changed_rules_are_detected(engines: tuple[Engine, Engine]) -> None:
    old, new = engines
    assert rules_changed(screen(old, CLEAN).provenance, screen(new, CLEAN).provenance)
    assert not rules_changed(screen(new, CLEAN).provenance, screen(new, MEDIA).provenance)


def test_risen_tier_requeues_a_decided_engagement(engines: tuple[Engine, Engine]) -> None:
    old, new = engines
    outcome = rescreen_outcome(DECIDED, screen(old, MEDIA), screen(new, MEDIA))
    assert outcome.effect is Effect.REQUEUED and outcome.rose
    assert outcome.change is not None and outcome.change.added_findings == ["t_media"]
    assert (outcome.change.old_tier, outcome.change.new_tier) == ("autonomy", "advice")
    step = outcome.step
    assert step is not None and step.action is Action.REQUEUE and step.actor == SYSTEM_ACTOR
    assert step.after.state is State.IN_REVIEW and step.after.decision is None
    assert step.note == "re-screening under changed rules raised the tier from autonomy to advice"


@pytest.mark.parametrize("state", sorted(OPEN_STATES, key=lambda s: s.value))
def test_risen_tier_flags_an_open_engagement(engines: tuple[Engine, Engine], state: State) -> None:
    old, new = engines
    outcome = rescreen_outcome(Case(state, frozenset({"o1"})), screen(old, MEDIA), screen(new, MEDIA))
    assert outcome.effect is Effect.FLAGGED and outcome.step is None


def test_fallen_tier_is_noted_not_reopened(engines: tuple[Engine, Engine]) -> None:
    old, new = engines
    outcome = rescreen_outcome(DECIDED, screen(new, MEDIA), screen(old, MEDIA))
    assert outcome.effect is Effect.NOTED and outcome.step is None and not outcome.rose
    assert outcome.change is not None and outcome.change.change == "lowered"
    assert outcome.change.removed_findings == ["t_media"]


def test_unchanged_result(engines: tuple[Engine, Engine]) -> None:
    old, new = engines
    outcome = rescreen_outcome(DECIDED, screen(old, TELECOMS), screen(new, TELECOMS))
    assert outcome == type(outcome)(None, Effect.UNCHANGED, None)


def test_which_engagements_are_rescreened() -> None:
    assert {s for s in State if should_rescreen(Case(s, frozenset({"o"})))} == set(OPEN_STATES)
    expected = {DecisionKind.APPROVED, DecisionKind.APPROVED_WITH_CONDITIONS}
    assert {k for k in DecisionKind if should_rescreen(Case(State.DECIDED, frozenset({"o"}), decision(k)))} == expected


def test_same_comparison_as_the_diff_command(engines: tuple[Engine, Engine], tmp_path: Path) -> None:
    from riskscreen.registers.diff import compare_results

    old, new = engines
    outcome = rescreen_outcome(DECIDED, screen(old, MEDIA), screen(new, MEDIA))
    assert outcome.change == compare_results(screen(old, MEDIA), screen(new, MEDIA))
