"""Who may do what: the one place the service decides it.

Routes ask :func:`may_see` first (an engagement a user may not see is answered 404, so other
organisations' engagements are not even confirmed to exist) and then :func:`allowed` for the
action (403 when seen but not allowed). Templates show a button only when ``allowed`` says so.

- officers and admins work on their own organisation's engagements;
- reviewers see every organisation's engagements once submitted (and their own organisation's
  drafts) and take the review's actions on them; they never edit an engagement;
- admins also manage users, re-screening and the public register;
- auditors see everything and change nothing.
"""

from __future__ import annotations

from typing import Literal

from riskscreen.store import workflow
from riskscreen.store.models import EngagementRecord, User
from riskscreen.workflow.machine import Role

Action = Literal[
    "create", "upload_register", "view", "edit", "screen", "delete",
    "submit", "withdraw", "reopen", "manage_users", "use_api",
    # the reviewers' workflow
    "review", "dashboard", "accept", "request_information", "provide_information", "decide",
    "assign", "comment", "grant_waiver", "meet_condition", "view_audit", "export_register",
    "rescreen", "publish",
]

_ORG_ROLES = frozenset({"officer", "admin"})
# Actions the state machine decides, given the capacity the user acts in (see capacity()).
_MACHINE_ACTIONS = frozenset({"submit", "withdraw", "reopen", "accept", "request_information",
                              "provide_information", "decide"})
# Who may do the actions that concern no one engagement.
_GLOBAL: dict[str, frozenset[str]] = {
    "manage_users": frozenset({"admin"}),
    "create": _ORG_ROLES,
    "upload_register": _ORG_ROLES,
    "review": frozenset({"reviewer", "auditor"}),
    "dashboard": frozenset({"reviewer", "auditor", "admin"}),
    "view_audit": frozenset({"auditor", "admin"}),
    "export_register": frozenset({"reviewer", "auditor"}),
    "rescreen": frozenset({"admin"}),
}
_SEES_ALL = frozenset({"reviewer", "auditor"})


def may_see(user: User, record: EngagementRecord) -> bool:
    if not user.active:
        return False
    if record.organisation_id == user.organisation_id or user.role == "auditor":
        return True
    return user.role == "reviewer" and record.status != workflow.DRAFT


def capacity(user: User, record: EngagementRecord) -> Role | None:
    """The role a user acts in on this engagement: a reviewer as reviewer; an officer or admin of
    its organisation as its officer; anyone else (auditors included) in none."""
    if not user.active:
        return None
    if user.role == "reviewer":
        return Role.REVIEWER
    if user.role in _ORG_ROLES and user.organisation_id == record.organisation_id:
        return Role.OFFICER
    return None


def allowed(user: User, action: Action, record: EngagementRecord | None = None) -> bool:
    """Whether the user may do this (to this engagement). The four-eyes rule needs the
    engagement's history and is checked by the state machine when the step is taken."""
    if not user.active:
        return False
    if action == "use_api":
        return True
    if action in _GLOBAL:
        return user.role in _GLOBAL[action]
    if record is None or not may_see(user, record):
        return False
    if action == "view":
        return True
    role = capacity(user, record)
    if role is None:
        return False
    status = record.status
    if action in _MACHINE_ACTIONS:
        return workflow.can(action, status, role)
    if action == "comment":
        return status != workflow.DRAFT
    if role is Role.REVIEWER:
        if action == "assign":
            return status in (workflow.SUBMITTED, workflow.IN_REVIEW, workflow.INFORMATION_REQUESTED)
        if action == "grant_waiver":
            return status in (workflow.IN_REVIEW, workflow.DECIDED)
        if action == "meet_condition":
            return status == workflow.DECIDED
        return False
    if action in ("edit", "screen"):
        return workflow.editable(status)
    if action == "delete":
        return status == workflow.DRAFT
    if action == "publish":
        return user.role == "admin" and status == workflow.DECIDED
    return False


def visible_organisation(user: User) -> int | None:
    """The organisation whose engagements the user's list shows (None: every organisation)."""
    return None if user.role in _SEES_ALL else user.organisation_id
