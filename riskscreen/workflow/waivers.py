"""Waivers granted in the review service: the CLI's waiver model and expiry semantics, plus who
granted them, and export as a waivers file that ``riskscreen check --waivers`` reads.

A waiver is current up to and including its expiry date and expired from the day after — exactly
as ``riskscreen check`` applies it — and an expired waiver puts a decided engagement back in the queue.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

import yaml
from pydantic import ValidationError

from riskscreen.errors import Location, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.validation import problems_from
from riskscreen.models.engagement import Waiver
from riskscreen.workflow.errors import FourEyesViolation, InvalidDecision
from riskscreen.workflow.machine import (
    SYSTEM_ACTOR,
    Action,
    Actor,
    Case,
    Role,
    State,
    Step,
    transition,
)

HEADER = ("# Waivers granted in riskscreen's review service.\n"
          "# Use with: riskscreen check REGISTER --waivers THIS_FILE\n")


def is_expired(waiver: Waiver, today: date) -> bool:
    """The same test ``riskscreen check`` applies: expired once the expiry date has passed."""
    return waiver.expires < today


def grant_waiver(data: Mapping[str, Any], *, engagement_id: str, case: Case, actor: Actor,
                 approver_name: str, today: date, known_rules: Collection[str]) -> Waiver:
    """A new waiver for an engagement under review or decided, granted by a reviewer who did not
    submit it; every field problem is reported at once."""
    if actor.role is not Role.REVIEWER:
        raise InvalidDecision(Problem(f"only a reviewer may grant a waiver (you act as {actor.role.value})"))
    if case.state not in (State.IN_REVIEW, State.DECIDED):
        raise InvalidDecision(Problem("a waiver is granted while reviewing or deciding an engagement, not when it "
                                      f"is {case.state.value.replace('_', ' ')}"))
    if actor.id in case.submitters:
        raise FourEyesViolation(f"user {actor.id} submitted this engagement and so cannot waive its findings")
    fields = {k: v for k, v in data.items() if k in ("rule_id", "reason", "expires")}
    if not fields.get("rule_id"):
        fields["rule_id"] = None
    record = {**fields, "engagement_id": engagement_id, "approved_by": approver_name}
    try:
        waiver = Waiver.model_validate(record)
    except ValidationError as exc:
        raise InvalidDecision(problems_from(exc, record, Waiver, None)) from None
    problems: list[Problem] = []
    if waiver.rule_id is not None and waiver.rule_id not in known_rules:
        problems.append(Problem("unknown rule", Location(field="rule_id"), value=waiver.rule_id,
                                suggestion=did_you_mean(waiver.rule_id, known_rules, "rule ids")))
    if waiver.expires <= today:
        problems.append(Problem("a waiver must expire after today", Location(field="expires"),
                                value=waiver.expires.isoformat(), suggestion="choose a later date"))
    if problems:
        raise InvalidDecision(problems)
    return waiver


def waivers_file(waivers: Iterable[Waiver]) -> str:
    """YAML text in the waivers-file format (``waivers:`` list), sorted for stable output."""
    items = sorted(waivers, key=lambda w: (w.engagement_id or "", w.rule_id or "", w.expires, w.reason))
    records = []
    for w in items:
        record: dict[str, Any] = {"engagement_id": w.engagement_id}
        if w.rule_id is not None:
            record["rule_id"] = w.rule_id
        record.update(reason=w.reason, approved_by=w.approved_by, expires=w.expires)
        records.append(record)
    return HEADER + yaml.safe_dump({"waivers": records}, sort_keys=False, allow_unicode=True, width=100)


def requeue_on_expiry(case: Case, waiver: Waiver, today: date) -> Step | None:
    """An expired waiver puts a decided engagement back in the queue (once: the store marks the
    waiver handled); an open engagement is already in the queue, so nothing moves."""
    if not is_expired(waiver, today) or case.state is not State.DECIDED:
        return None
    what = f"the waiver for {waiver.rule_id}" if waiver.rule_id else "the waiver for the whole engagement"
    return transition(case, Action.REQUEUE, SYSTEM_ACTOR,
                      note=f"{what} expired on {waiver.expires.isoformat()}")
