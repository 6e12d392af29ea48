"""Who may do what: the one place the service decides it.

Routes ask :func:`may_see` first (an engagement a user may not see is answered 404, so other
organisations' engagements are not even confirmed to exist) and then :func:`allowed` for the
action (403 when seen but not allowed). Templates show a button only when ``allowed`` says so.

- officers and admins work on their own organisation's engagements;
- reviewers see every organisation's engagements once submitted (and their own organisation's
  drafts), and change none of them — the reviewers' workflow adds their actions here;
- admins also manage users.
"""

from __future__ import annotations

from typing import Literal

from riskscreen.store import workflow
from riskscreen.store.models import EngagementRecord, User

Action = Literal[
    "create", "upload_register", "view", "edit", "screen", "delete",
    "submit", "withdraw", "reopen", "manage_users", "use_api",
]

_ORG_ROLES = frozenset({"officer", "admin"})
_WORKFLOW_ACTIONS = frozenset({"submit", "withdraw", "reopen"})


def may_see(user: User, record: EngagementRecord) -> bool:
    if not user.active:
        return False
    if record.organisation_id == user.organisation_id:
        return True
    return user.role == "reviewer" and record.status != workflow.DRAFT


def allowed(user: User, action: Action, record: EngagementRecord | None = None) -> bool:
    if not user.active:
        return False
    if action == "use_api":
        return True
    if action == "manage_users":
        return user.role == "admin"
    if action in ("create", "upload_register"):
        return user.role in _ORG_ROLES
    if record is None or not may_see(user, record):
        return False
    if action == "view":
        return True
    if user.role not in _ORG_ROLES or record.organisation_id != user.organisation_id:
        return False
    if action in ("edit", "screen"):
        return workflow.editable(record.status)
    if action == "delete":
        return record.status == workflow.DRAFT
    if action in _WORKFLOW_ACTIONS:
        return workflow.can(action, record.status)
    return False


def visible_organisation(user: User) -> int | None:
    """The organisation whose engagements the user's list shows (None: reviewers see all)."""
    return None if user.role == "reviewer" else user.organisation_id
