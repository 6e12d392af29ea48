"""The reviewers' workflow: steps, decisions, conditions, waivers, comments, review cases,
re-screen changes, the job table and the audit trail (hash chain with a locked head).

Steps, decisions, comments and audit events are append-only, enforced by the database.

Revision ID: 0003_review
Revises: 0002_engagements
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_review"
down_revision = "0002_engagements"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
APPEND_ONLY = ("workflow_step", "review_decision", "review_comment", "audit_event")
GENESIS = "0" * 64


def _user(name: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey("app_user.id"), nullable=nullable)


def _engagement() -> sa.Column[int]:
    return sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagement.id"), nullable=False)


def _triggers(dialect: str, table: str) -> list[str]:
    message = f"{table} is append-only"
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"]
    if dialect == "postgresql":
        return [f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{message}'; END $$",
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"]
    return []


def upgrade() -> None:
    # 'information_requested' needs more than the 20 characters the first statuses did (SQLite
    # does not enforce VARCHAR lengths, and re-creating the table there would gain nothing)
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("engagement", "status", type_=sa.String(30), existing_nullable=False)
    op.create_table(
        "workflow_step",
        sa.Column("id", sa.Integer, primary_key=True),
        _engagement(),
        sa.Column("action", sa.String(30), nullable=False),
        _user("actor_id", nullable=True),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("from_state", sa.String(30), nullable=False),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_workflow_step_engagement", "workflow_step", ["engagement_id", "id"])
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer, primary_key=True),
        _engagement(),
        sa.Column("step_id", sa.Integer, sa.ForeignKey("workflow_step.id"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("referred_to", sa.String(50), nullable=True),
        sa.Column("screening_id", sa.Integer, sa.ForeignKey("screening.id"), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("rule_pack_hash", sa.String(100), nullable=False),
        sa.Column("taxonomies_hash", sa.String(100), nullable=False),
        sa.Column("watchlists_hash", sa.String(100), nullable=False),
        _user("decided_by_id"),
        sa.Column("decided_at", TS, nullable=False),
    )
    op.create_index("ix_review_decision_engagement_id", "review_decision", ["engagement_id"])
    op.create_table(
        "review_condition",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("review_decision.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("met_on", sa.Date, nullable=True),
        _user("met_by_id", nullable=True),
    )
    op.create_index("ix_review_condition_decision_id", "review_condition", ["decision_id"])
    op.create_table(
        "waiver_grant",
        sa.Column("id", sa.Integer, primary_key=True),
        _engagement(),
        sa.Column("rule_id", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=False),
        sa.Column("expires", sa.Date, nullable=False),
        _user("granted_by_id"),
        sa.Column("granted_at", TS, nullable=False),
        sa.Column("expiry_handled_at", TS, nullable=True),
    )
    op.create_index("ix_waiver_grant_engagement_id", "waiver_grant", ["engagement_id"])
    op.create_index("ix_waiver_grant_expires", "waiver_grant", ["expires"])
    op.create_table(
        "review_comment",
        sa.Column("id", sa.Integer, primary_key=True),
        _engagement(),
        _user("author_id"),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_review_comment_engagement", "review_comment", ["engagement_id", "id"])
    op.create_table(
        "review_case",
        sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagement.id"), primary_key=True),
        _user("assignee_id", nullable=True),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("risk_types", sa.String(200), nullable=False, server_default=""),
        sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("flag_note", sa.Text, nullable=True),
        sa.Column("public", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("decided_at", TS, nullable=True),
    )
    op.create_index("ix_review_case_assignee", "review_case", ["assignee_id"])
    op.create_index("ix_review_case_country", "review_case", ["country"])
    op.create_table(
        "rescreen_change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, nullable=True),
        _engagement(),
        sa.Column("old_screening_id", sa.Integer, sa.ForeignKey("screening.id"), nullable=False),
        sa.Column("new_screening_id", sa.Integer, sa.ForeignKey("screening.id"), nullable=False),
        sa.Column("change", sa.String(30), nullable=False),
        sa.Column("old_tier", sa.String(20), nullable=False),
        sa.Column("new_tier", sa.String(20), nullable=False),
        sa.Column("added_findings", sa.Text, nullable=False),
        sa.Column("removed_findings", sa.Text, nullable=False),
        sa.Column("effect", sa.String(20), nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_rescreen_change_job_id", "rescreen_change", ["job_id"])
    op.create_index("ix_rescreen_change_engagement_id", "rescreen_change", ["engagement_id"])
    op.create_table(
        "job",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("params_json", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("heartbeat_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("progress_json", sa.Text, nullable=False),
        sa.Column("result_json", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_index("ix_job_state", "job", ["state"])
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("before_json", sa.Text, nullable=False),
        sa.Column("after_json", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_audit_event_subject", "audit_event", ["subject"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    # how far the notification sender has read the steps and comments (one row)
    cursor = op.create_table(
        "notify_cursor",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("step_id", sa.Integer, nullable=False),
        sa.Column("comment_id", sa.Integer, nullable=False),
    )
    op.bulk_insert(cursor, [{"id": 1, "step_id": 0, "comment_id": 0}])
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in _triggers(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP FUNCTION {table}_append_only()")
    for table in ("notify_cursor", "audit_head", "audit_event", "job", "rescreen_change", "review_case", "review_comment",
                  "waiver_grant", "review_condition", "review_decision", "workflow_step"):
        op.drop_table(table)
